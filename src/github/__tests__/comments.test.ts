import { describe, expect, it } from '@jest/globals';
import { SettingsError } from '../../errors.js';
import { commentMarker } from '../../render/marker.js';
import { GITHUB_ACTIONS_BOT, type FakeGitHub } from '../../testing/github-server.js';
import { reportedHead, stickyBody, upsertStickyComment, writtenBy, type StickyCommentRequest } from '../comments.js';
import { apiFor, BASE, HEAD, NEWER_HEAD, recordingLog, REPO, useFakeGitHub, type RecordingLog } from './helpers.js';

const KEY = 'agent-release-gate';
const MARKER = commentMarker(KEY);
const COMMENTS = '/repos/acme/support-triage/issues/7/comments';
const DANA = { login: 'dana', id: 11, type: 'User' as const };

function rendered(text: string): string {
  return `## Agent release gate: ${text}\n\n${MARKER}\n`;
}

function request(
  server: FakeGitHub,
  overrides: Partial<StickyCommentRequest> = {},
  log: RecordingLog = recordingLog()
) {
  return {
    api: apiFor(server, overrides.api ? undefined : 'ghs_actions-token', log, { timeoutMs: 400 }),
    repo: REPO,
    pullNumber: 7,
    gateKey: KEY,
    headSha: HEAD,
    body: rendered('deny'),
    mayCreate: true,
    log,
    ...overrides
  };
}

/** Method, path, query and body of every request: the exact API payloads the gate sends. */
function payloads(server: FakeGitHub) {
  return server.log.map((r) => ({ call: `${r.method} ${r.path}`, query: r.query, body: r.body, status: r.status }));
}

describe('sticky comment', () => {
  const { server } = useFakeGitHub();
  const pull = (head = HEAD) =>
    server().addPull({
      number: 7,
      author: 'dana',
      head: { sha: head, ref: 'prompt-tune' },
      base: { sha: BASE, ref: 'main' }
    });

  it('creates one comment, then updates it in place on every re-run', async () => {
    pull();
    const first = await upsertStickyComment(request(server()));
    expect(first).toMatchObject({ status: 'created' });
    const second = await upsertStickyComment(request(server(), { body: rendered('allow') }));
    expect(second).toMatchObject({ status: 'updated', id: (first as { id: number }).id });
    const third = await upsertStickyComment(request(server(), { body: rendered('allow') }));
    expect(third).toMatchObject({ status: 'unchanged' });

    const comments = server().commentsOn(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(stickyBody(rendered('allow'), KEY, HEAD));
    expect(comments[0]!.user).toEqual(GITHUB_ACTIONS_BOT);
    expect(payloads(server())).toMatchSnapshot();
  });

  it('puts the head commit on the line before the marker, which stays last', () => {
    const body = stickyBody(rendered('deny'), KEY, HEAD);
    expect(body.split('\n').slice(-2)).toEqual([`<!-- agent-release-gate:head=${HEAD} -->`, MARKER]);
    expect(reportedHead(body)).toBe(HEAD);
    expect(reportedHead(rendered('deny'))).toBeNull();
  });

  it('shortens a body over GitHub’s 65,536 characters and keeps the marker', () => {
    const body = stickyBody(rendered('x'.repeat(10) + '\nline\n'.repeat(20_000)), KEY, HEAD);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.endsWith(MARKER)).toBe(true);
    expect(body).toContain('shortened to fit');
  });

  it('finds its comment on page 2 of 150 comments and updates it', async () => {
    pull();
    for (let i = 0; i < 120; i++) server().addComment(7, DANA, `discussion ${i}`);
    const ours = server().addComment(7, GITHUB_ACTIONS_BOT, stickyBody(rendered('deny'), KEY, HEAD), 'github-actions');
    for (let i = 0; i < 40; i++) server().addComment(7, DANA, `more discussion ${i}`);

    const result = await upsertStickyComment(request(server(), { body: rendered('allow') }));
    expect(result).toMatchObject({ status: 'updated', id: ours.id });
    expect(server().log.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(server().calls()).toContain(`GET ${COMMENTS}?per_page=100&page=2 → 200`);
  });

  it('ignores a marker forged in another user’s comment', async () => {
    pull();
    const forged = server().addComment(7, DANA, stickyBody('## ✅ passed\n\n' + MARKER, KEY, HEAD));
    const result = await upsertStickyComment(request(server()));
    expect(result).toMatchObject({ status: 'created' });
    expect(
      server()
        .commentsOn(7)
        .map((c) => c.id)
    ).toEqual([forged.id, (result as { id: number }).id]);
    expect(server().commentsOn(7)[0]!.body).toContain('✅ passed'); // untouched
  });

  it('keeps two gates in one repository apart by key', async () => {
    pull();
    const other = server().addComment(
      7,
      GITHUB_ACTIONS_BOT,
      stickyBody(`x\n${commentMarker('evals-gate')}`, 'evals-gate', HEAD),
      'github-actions'
    );
    const result = await upsertStickyComment(request(server()));
    expect(result).toMatchObject({ status: 'created' });
    expect(
      server()
        .commentsOn(7)
        .find((c) => c.id === other.id)!.body
    ).toContain('evals-gate');
  });

  it('matches a personal access token’s comments by its login', async () => {
    pull();
    const botComment = server().addComment(
      7,
      GITHUB_ACTIONS_BOT,
      stickyBody(rendered('old'), KEY, HEAD),
      'github-actions'
    );
    const log = recordingLog();
    const result = await upsertStickyComment({
      ...request(server(), {}, log),
      api: apiFor(server(), 'ghp_release-bot', log)
    });
    expect(result).toMatchObject({ status: 'created' });
    expect(
      server()
        .commentsOn(7)
        .map((c) => c.user.login)
    ).toEqual(['github-actions[bot]', 'release-bot']);
    expect(server().commentsOn(7)[0]!.id).toBe(botComment.id);
  });

  it('lists again after a POST that timed out, and does not post twice', async () => {
    pull();
    server().inject({ method: 'POST', path: COMMENTS, kind: 'apply-then-timeout' });
    const log = recordingLog();
    const result = await upsertStickyComment(request(server(), {}, log));
    expect(result).toMatchObject({ status: 'unchanged' });
    expect(server().commentsOn(7)).toHaveLength(1);
    expect(server().log.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(log.lines.join('\n')).toContain('checking what landed');
  });

  it('lists again after a POST answered 502 that did land, and does not post twice', async () => {
    pull();
    server().inject({ method: 'POST', path: COMMENTS, kind: 'apply-then-status', status: 502 });
    await upsertStickyComment(request(server()));
    expect(server().commentsOn(7)).toHaveLength(1);
  });

  it('posts again after a POST that failed with 500 without landing', async () => {
    pull();
    server().inject({ method: 'POST', path: COMMENTS, status: 500 });
    const result = await upsertStickyComment(request(server()));
    expect(result).toMatchObject({ status: 'created' });
    expect(server().commentsOn(7)).toHaveLength(1);
    expect(
      server()
        .calls()
        .filter((c) => c.startsWith('POST'))
    ).toEqual([`POST ${COMMENTS} → 500`, `POST ${COMMENTS} → 201`]);
  });

  it('turns a 403 (read-only fork token) into a warning naming the permission and the README', async () => {
    pull();
    const log = recordingLog();
    const result = await upsertStickyComment({
      ...request(server(), {}, log),
      api: apiFor(server(), 'ghs_fork-token', log)
    });
    expect(result.status).toBe('failed');
    const warning = log.lines.find((l) => l.startsWith('warning:'))!;
    expect(warning).toContain('`pull-requests: write`');
    expect(warning).toContain('Fork pull requests');
    expect(warning).toContain('unchanged');
    expect(server().commentsOn(7)).toHaveLength(0);
  });

  it('fails with a configuration error on 401', async () => {
    pull();
    const log = recordingLog();
    await expect(
      upsertStickyComment({ ...request(server(), {}, log), api: apiFor(server(), 'ghp_revoked', log) })
    ).rejects.toThrow(SettingsError);
  });

  it('leaves the comment alone when this run is for an older head commit', async () => {
    pull(NEWER_HEAD);
    const newer = server().addComment(
      7,
      GITHUB_ACTIONS_BOT,
      stickyBody(rendered('allow'), KEY, NEWER_HEAD),
      'github-actions'
    );
    const log = recordingLog();
    const result = await upsertStickyComment(request(server(), { headSha: HEAD, body: rendered('deny') }, log));
    expect(result).toMatchObject({ status: 'skipped', id: newer.id });
    expect(server().commentsOn(7)[0]!.body).toBe(newer.body);
    expect(log.lines.join('\n')).toContain("the pull request's head is now b200000");
  });

  it('in on-failure mode, posts nothing for a pass but updates an earlier failure', async () => {
    pull();
    const skipped = await upsertStickyComment(request(server(), { mayCreate: false, body: rendered('allow') }));
    expect(skipped).toMatchObject({ status: 'skipped' });
    expect(server().log.filter((r) => r.method !== 'GET')).toHaveLength(0);

    server().addComment(7, GITHUB_ACTIONS_BOT, stickyBody(rendered('deny'), KEY, HEAD), 'github-actions');
    const updated = await upsertStickyComment(request(server(), { mayCreate: false, body: rendered('allow') }));
    expect(updated).toMatchObject({ status: 'updated' });
    expect(server().commentsOn(7)[0]!.body).toContain('allow');
  });

  it('recognises an installation token’s comments before writing: github-actions[bot] only, never a person or another app', () => {
    const installation = { kind: 'installation' as const, login: null };
    const base = { id: 1, body: '', htmlUrl: '' };
    expect(
      writtenBy(
        { ...base, user: { login: 'github-actions[bot]', type: 'Bot' }, viaApp: 'github-actions' },
        installation
      )
    ).toBe(true);
    expect(
      writtenBy({ ...base, user: { login: 'renovate[bot]', type: 'Bot' }, viaApp: 'renovate' }, installation)
    ).toBe(false);
    expect(writtenBy({ ...base, user: { login: 'github-actions', type: 'User' }, viaApp: null }, installation)).toBe(
      false
    );
    expect(writtenBy({ ...base, user: null, viaApp: null }, installation)).toBe(false);
    // once an app token has written, its own bot login is known exactly
    expect(
      writtenBy(
        { ...base, user: { login: 'release-app[bot]', type: 'Bot' }, viaApp: 'release-app' },
        {
          kind: 'exact',
          login: 'release-app[bot]'
        }
      )
    ).toBe(true);
  });

  it('never takes over another app’s comment that ends in the marker (renovate[bot] quoting it)', async () => {
    pull();
    const renovate = { login: 'renovate[bot]', id: 29139614, type: 'Bot' as const };
    const theirs = server().addComment(7, renovate, stickyBody(rendered('allow'), KEY, HEAD), 'renovate');
    const log = recordingLog();
    const result = await upsertStickyComment(request(server(), {}, log));
    expect(result).toMatchObject({ status: 'created' });
    expect(server().log.some((r) => r.method === 'PATCH' || r.method === 'DELETE')).toBe(false);
    const comments = server().commentsOn(7);
    expect(comments.map((c) => c.user.login)).toEqual(['renovate[bot]', 'github-actions[bot]']);
    expect(comments[0]!.body).toBe(theirs.body);
    expect(comments[1]!.body).toContain('deny');
    expect(log.lines.join('\n')).not.toContain('pull-requests: write');
  });
});

describe('sticky comment with a GitHub App token', () => {
  const releaseApp = { login: 'release-app[bot]', id: 9001, type: 'Bot' as const };
  const { server } = useFakeGitHub({
    tokens: {
      'ghs_actions-token': { kind: 'installation', user: GITHUB_ACTIONS_BOT, write: true, app: 'github-actions' },
      'ghs_release-app': { kind: 'installation', user: releaseApp, write: true, app: 'release-app' }
    }
  });

  it('learns its bot login from its write and folds it into the app’s earlier comment, ignoring other apps', async () => {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    const renovate = { login: 'renovate[bot]', id: 29139614, type: 'Bot' as const };
    const other = server().addComment(7, renovate, stickyBody(rendered('forged'), KEY, HEAD), 'renovate');
    const earlier = server().addComment(7, releaseApp, stickyBody(rendered('allow'), KEY, HEAD), 'release-app');
    const log = recordingLog();
    const result = await upsertStickyComment(
      request(server(), { api: apiFor(server(), 'ghs_release-app', log, { timeoutMs: 400 }) }, log)
    );
    expect(result).toMatchObject({ status: 'updated', id: earlier.id });
    const comments = server().commentsOn(7);
    expect(comments.map((c) => c.id)).toEqual([other.id, earlier.id]);
    expect(comments[0]!.body).toBe(other.body);
    expect(comments[1]!.body).toContain('deny');
  });
});

describe('sticky comment under concurrency', () => {
  const { server } = useFakeGitHub({ latencyMs: [0, 25], seed: 42 });

  it('ten concurrent runs for ten head commits end with one comment holding the newest head’s result', async () => {
    const heads = Array.from({ length: 10 }, (_, i) => (i + 1).toString(16).padStart(2, '0').padEnd(40, 'e'));
    const newest = heads[9]!;
    server().addPull({ number: 7, author: 'dana', head: { sha: newest, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    // every run lists the comments before any of them posts: each finds none and posts its own
    server().gather('GET', /\/issues\/7\/comments$/, heads.length);
    const results = await Promise.all(
      heads.map((head, i) => upsertStickyComment(request(server(), { headSha: head, body: rendered(`run ${i + 1}`) })))
    );
    const comments = server().commentsOn(7);
    expect(comments).toHaveLength(1);
    expect(reportedHead(comments[0]!.body)).toBe(newest);
    expect(comments[0]!.body).toContain('run 10');
    expect(new Set(results.map((r) => ('id' in r ? r.id : null)))).toEqual(new Set([comments[0]!.id]));
    // the race really happened: every run posted, and the duplicates were deleted
    expect(server().log.filter((r) => r.method === 'POST').length).toBe(heads.length);
    expect(server().log.filter((r) => r.method === 'DELETE').length).toBeGreaterThan(0);
  });

  it('ten concurrent re-runs of one head commit end with one comment', async () => {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => upsertStickyComment(request(server(), { body: rendered(`attempt ${i}`) })))
    );
    const comments = server().commentsOn(7);
    expect(comments).toHaveLength(1);
    expect(reportedHead(comments[0]!.body)).toBe(HEAD);
  });
});
