/**
 * Approvals that cannot be read never pass the gate by accident, on the example repository end to end
 * (readers → engine → decision → exit code):
 * - reviews of a pull request that could not be read (an API error) fail closed, even with `fail-on: deny`;
 * - a change request by someone who may hold a role through a team whose members could not be read stands.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCode } from '../cli/check.js';
import { readReviewsFile } from '../cli/reviews.js';
import { unavailableApprovals } from '../github/reviews.js';
import type { ApprovalInput } from '../model/input.js';
import { runGate } from '../pipeline.js';
import { diffSources } from '../read/diff.js';
import { WorkingTreeSource } from '../read/fs-source.js';
import { DEFAULT_CONFIG } from '../settings/defaults.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/support-triage', import.meta.url));
const REVIEWS = `${EXAMPLE}/reviews.json`;

async function decide(dir: string, approvals: ApprovalInput) {
  const head = new WorkingTreeSource(`${dir}/head`, 'head');
  const base = new WorkingTreeSource(`${dir}/base`, 'base');
  return runGate({
    head,
    base,
    headCommit: null,
    baseCommit: null,
    configPath: '.github/agent-gate.yml',
    trustConfigFrom: 'base',
    changedFiles: await diffSources(base, head, DEFAULT_CONFIG.records.max_evidence_bytes),
    approvals
  });
}

describe('reviews that could not be read', () => {
  it('block with fail-on: deny, unlike a run that has no pull request to read', async () => {
    const reviews = await readReviewsFile(REVIEWS, 'reviews.json');
    const failed: ApprovalInput = {
      ...unavailableApprovals(
        'could not read the reviews of pull request #412 (GitHub API 500 Internal Server Error)',
        true
      ),
      author: reviews.author,
      head_sha: reviews.head_sha
    };
    const run = await decide(EXAMPLE, failed);
    expect(run.decision.decision).toBe('deny');
    expect(exitCode(run, 'deny')).not.toBe(0);
    const rules = run.decision.findings.map((f) => `${f.rule} ${f.severity}`);
    expect(rules).toContain('approvals.read-failed deny');
    expect(rules).not.toContain('approvals.unavailable follow_up');

    // no pull request (a push): the same roles are a person's follow-up, as documented
    const push = await decide(EXAMPLE, unavailableApprovals('a push event has no pull request to read reviews from'));
    expect(push.decision.findings.map((f) => f.rule)).toContain('approvals.unavailable');
    expect(push.decision.findings.map((f) => f.rule)).not.toContain('approvals.read-failed');
  });
});

describe('a team whose members could not be read', () => {
  let dir: string;
  beforeAll(() => {
    // release-manager = users [dana-release] + team [acme/release-managers]
    dir = mkdtempSync(join(tmpdir(), 'agent-gate-team-'));
    for (const side of ['base', 'head']) {
      cpSync(`${EXAMPLE}/${side}`, `${dir}/${side}`, { recursive: true });
      const file = `${dir}/${side}/.github/agent-gate.yml`;
      const text = readFileSync(file, 'utf8');
      const changed = text.replace(
        'release-manager:\n    users: [dana-release]',
        'release-manager:\n    users: [dana-release]\n    teams: [acme/release-managers]'
      );
      expect(changed).not.toBe(text);
      writeFileSync(file, changed);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const withBob = async (teams: ApprovalInput['teams'], teamErrors?: Record<string, string>) => {
    const reviews = await readReviewsFile(REVIEWS, 'reviews.json');
    return {
      ...reviews,
      reviews: [
        ...reviews.reviews,
        {
          id: 2819999,
          user: 'bob-release',
          state: 'CHANGES_REQUESTED' as const,
          commit_id: reviews.head_sha,
          submitted_at: '2026-11-19T00:00:00Z'
        }
      ],
      teams,
      ...(teamErrors ? { team_errors: teamErrors } : {})
    };
  };

  it('does not ignore a change request by someone who may be a member', async () => {
    const reason = 'GitHub API 404 Not Found: the token cannot read organization teams (GITHUB_TOKEN never can)';
    const run = await decide(
      dir,
      await withBob({ 'acme/release-managers': null }, { 'acme/release-managers': reason })
    );
    expect(run.decision.decision).toBe('follow_up');
    expect(exitCode(run, 'follow_up')).not.toBe(0);
    const finding = run.decision.findings.find((f) => f.rule === 'approvals.team-unreadable');
    expect(finding?.message).toContain('@bob-release');
    expect(finding?.message).toContain('@acme/release-managers');
    expect(finding?.message).toContain(reason);
  });

  it('decides as with a readable team that holds the reviewer', async () => {
    const run = await decide(dir, await withBob({ 'acme/release-managers': ['bob-release'] }));
    expect(run.decision.decision).toBe('follow_up');
    expect(run.decision.findings.map((f) => f.rule)).toContain('approvals.changes-requested');
  });

  it('stays an allow without such a request (a GITHUB_TOKEN setup that names users)', async () => {
    const reviews = await readReviewsFile(REVIEWS, 'reviews.json');
    const run = await decide(dir, {
      ...reviews,
      teams: { 'acme/release-managers': null },
      team_errors: { 'acme/release-managers': 'GitHub API 404 Not Found' }
    });
    expect(run.decision.decision).toBe('allow');
  });
});
