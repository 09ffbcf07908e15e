import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { SettingsError } from '../../errors.js';
import { webhookExample } from '../../testing/action-harness.js';
import { queuedPullNumber, readEvent, readRunnerEnv } from '../event.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-gate-event-'));
const NONE = { baseRef: null, headRef: null };

function runner(eventName: string, payload: unknown, extra: Record<string, string> = {}) {
  const path = join(dir, `${eventName}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return readRunnerEnv({
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_WORKSPACE: '/work',
    ...extra
  });
}

describe('events (real webhook payloads from @octokit/webhooks-examples)', () => {
  it('pull_request: base and head from the pull request; the test merge commit is the working tree', () => {
    const payload = webhookExample('pull_request', 'synchronize');
    const event = readEvent(runner('pull_request', payload), NONE);
    expect(event.pullRequest).toEqual({
      number: 2,
      author: 'codertocat',
      headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      headRef: 'changes',
      baseSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      baseRef: 'master',
      headRepository: 'Codertocat/Hello-World',
      fromFork: false
    });
    expect(event.base).toEqual({
      sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      ref: null,
      origin: 'pull_request.base.sha'
    });
    expect(event.workingTreeCommits).toEqual(['ec26c3e57ca3a959ca5aad62de7213c562f8c821', 'f'.repeat(40)]);
  });

  it('pull_request_target: the working tree (the base branch) is never the head', () => {
    const event = readEvent(runner('pull_request_target', webhookExample('pull_request', 'opened')), NONE);
    expect(event.workingTreeCommits).toEqual([event.pullRequest!.headSha]);
  });

  it('merge_group: group base and head, and the queued pull request', () => {
    const event = readEvent(runner('merge_group', webhookExample('merge_group', 'checks_requested')), NONE);
    expect(event.base?.sha).toBe('380387fbc80638b734a49e1be1c4dfec1c01b33c');
    expect(event.head.sha).toBe('2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d');
    expect(event.queuedPullNumber).toBe(104);
    expect(event.pullRequest).toBeNull();
  });

  it('push: before..after, or the default branch for a new branch', () => {
    const push = webhookExample('push');
    const existing = { ...push, ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40) };
    expect(readEvent(runner('push', existing), NONE)).toMatchObject({
      base: { sha: 'a'.repeat(40) },
      head: { sha: 'b'.repeat(40) }
    });
    const created = { ...push, ref: 'refs/heads/feature', before: '0'.repeat(40), after: 'b'.repeat(40) };
    expect(readEvent(runner('push', created), NONE).base).toEqual({
      sha: null,
      ref: 'refs/remotes/origin/master',
      origin: 'the default branch (master)'
    });
  });

  it('workflow_dispatch: GITHUB_SHA, the default branch as base, and the overrides', () => {
    const payload = webhookExample('workflow_dispatch');
    const event = readEvent(runner('workflow_dispatch', { ...payload, ref: 'refs/heads/feature' }), NONE);
    expect(event.head).toEqual({ sha: 'f'.repeat(40), ref: null, origin: 'GITHUB_SHA' });
    expect(event.base?.ref).toBe(
      `refs/remotes/origin/${(payload.repository as { default_branch: string }).default_branch}`
    );
    const overridden = readEvent(runner('workflow_dispatch', payload), {
      baseRef: 'release/1',
      headRef: 'c'.repeat(40)
    });
    expect(overridden.base).toEqual({ sha: null, ref: 'release/1', origin: 'input base-ref' });
    expect(overridden.head).toEqual({ sha: 'c'.repeat(40), ref: null, origin: 'input head-ref' });
    expect(overridden.workingTreeCommits).toEqual(['c'.repeat(40)]);
  });

  it.each([
    [
      'issue_comment',
      '{}',
      'does not run on the "issue_comment" event; supported events: pull_request, pull_request_target, merge_group, push, workflow_dispatch'
    ],
    ['pull_request', 'not json', 'is not a JSON object'],
    [
      'pull_request',
      '{"pull_request": {"number": 1, "head": {"sha": "$(rm -rf /)"}, "base": {"sha": "x"}}}',
      'pull_request.head.sha in the event payload is not a commit SHA'
    ],
    ['merge_group', '{}', 'no merge_group object']
  ])('rejects %s with payload %s', (name, payload, message) => {
    expect(() => readEvent(runner(name, payload), NONE)).toThrow(SettingsError);
    expect(() => readEvent(runner(name, payload), NONE)).toThrow(message);
  });

  it('reads the pull request number of a merge queue branch', () => {
    expect(queuedPullNumber('refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64')).toBe(
      104
    );
    expect(queuedPullNumber('refs/heads/main')).toBeNull();
  });
});
