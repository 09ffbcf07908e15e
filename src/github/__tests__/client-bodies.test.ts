/**
 * Answers whose body is lost or unusable (HTTP 200 with an empty, cut-off, stalled, malformed or wrongly shaped
 * body) fail the call with a GitHubApiError — after the retries a 5xx gets — and are never read as an empty page;
 * and rate limits GitHub answers with a bare 429 or a 403 are waited out or reported as rate limits.
 */
import { describe, expect, it } from '@jest/globals';
import { GitHubApiError } from '../api.js';
import { changedFilesFromApi } from '../files.js';
import { readApprovals } from '../reviews.js';
import type { FakeReview } from '../../testing/github-server.js';
import { apiFor, BASE, HEAD, recordingLog, REPO, useFakeGitHub } from './helpers.js';

const REVIEWS = '/repos/acme/support-triage/pulls/7/reviews';
const PAGE_2 = `GET ${REVIEWS}?per_page=100&page=2`;

/** 105 comments, then a CHANGES_REQUESTED review on page 2 */
function reviews(): FakeReview[] {
  return [
    ...Array.from({ length: 105 }, (_, i) => ({
      user: `bystander${i}`,
      state: 'COMMENTED' as const,
      commit_id: HEAD
    })),
    { user: 'dana-release', state: 'CHANGES_REQUESTED', commit_id: HEAD }
  ];
}

async function failure(promise: Promise<unknown>): Promise<GitHubApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(GitHubApiError);
  return error as GitHubApiError;
}

describe('a 2xx answer whose body is lost or unusable', () => {
  const { server } = useFakeGitHub();

  function setup() {
    server().addPull({
      number: 7,
      author: 'dana',
      head: { sha: HEAD, ref: 'f' },
      base: { sha: BASE, ref: 'main' },
      reviews: reviews(),
      files: Array.from({ length: 28 }, (_, i) => ({ filename: `src/f${i}.ts`, status: 'modified' }))
    });
    return apiFor(server(), 'ghs_actions-token', recordingLog(), { timeoutMs: 400 });
  }

  it('control: page 2 of the reviews is read, with its CHANGES_REQUESTED', async () => {
    const list = await setup().listReviews(REPO, 7);
    expect(list).toHaveLength(106);
    expect(list.at(-1)).toMatchObject({ login: 'dana-release', state: 'CHANGES_REQUESTED' });
  });

  it.each([
    ['an empty body', { kind: 'respond', status: 200, raw: '' }, 'HTTP 200 with an empty body'],
    ['a connection reset mid-body', { kind: 'cut-then-reset' }, 'reading the body failed'],
    ['a body that stalls past the timeout', { kind: 'cut-then-stall' }, 'the body did not arrive within the 400 ms'],
    ['malformed JSON', { kind: 'respond', status: 200, raw: '[{"id": 80, "user": ' }, 'HTTP 200 with malformed JSON'],
    [
      'a non-JSON body',
      { kind: 'respond', status: 200, raw: '<html>proxy</html>', headers: { 'content-type': 'text/html' } },
      'HTTP 200 with content-type text/html, not JSON'
    ],
    [
      'an object where a list belongs',
      { kind: 'respond', status: 200, body: { message: 'ok' } },
      'HTTP 200 with a JSON object where a list was expected'
    ]
  ] as const)(
    'page 2 of the reviews with %s fails the call, after the retries a 5xx gets',
    async (_what, fault, reason) => {
      const api = setup();
      server().inject({ method: 'GET', path: REVIEWS, query: { page: '2' }, times: 4, ...fault });
      const error = await failure(api.listReviews(REPO, 7));
      expect(error).toMatchObject({ status: 200, uncertain: true, unreadableBody: PAGE_2 });
      expect(error.message).toContain(
        `list the reviews of pull request #7: GitHub answered ${PAGE_2} with an unreadable body (${reason}`
      );
      expect(
        server()
          .calls()
          .filter((c) => c.includes('page=2'))
      ).toHaveLength(4); // first try + 3 retries
    }
  );

  it.each([204, 205])(
    'a list page answered %i (no content) fails the call: its change request is not dropped',
    async (status) => {
      const api = setup();
      server().inject({
        method: 'GET',
        path: REVIEWS,
        query: { page: '2' },
        kind: 'respond',
        status,
        raw: '',
        times: 4
      });
      const error = await failure(api.listReviews(REPO, 7));
      expect(error).toMatchObject({ status, unreadableBody: PAGE_2 });
      expect(error.message).toContain(`HTTP ${status} with no content where a list was expected`);
    }
  );

  it('a read of one object answered 204 fails; a write answered 204 succeeds', async () => {
    const api = setup();
    server().inject({
      method: 'GET',
      path: '/repos/acme/support-triage/git/trees/main',
      kind: 'respond',
      status: 204,
      raw: '',
      times: 4
    });
    const tree = await failure(api.getTree(REPO, 'main'));
    expect(tree.message).toContain('HTTP 204 with no content where an object was expected');
    server().inject({ method: 'GET', path: '/user', kind: 'respond', status: 204, raw: '', times: 4 });
    await expect(apiFor(server(), 'ghp_release-bot').getAuthenticatedIdentity()).rejects.toMatchObject({
      unreadableBody: 'GET /user'
    });
    const { id } = await api.createComment(REPO, 7, 'hello');
    await expect(api.deleteComment(REPO, id)).resolves.toBeUndefined();
  });

  it('a page lost once is read again: nothing is missing', async () => {
    const api = setup();
    server().inject({ method: 'GET', path: REVIEWS, query: { page: '2' }, kind: 'cut-then-reset' });
    const list = await api.listReviews(REPO, 7);
    expect(list).toHaveLength(106);
    expect(list.at(-1)).toMatchObject({ login: 'dana-release', state: 'CHANGES_REQUESTED' });
  });

  it.each([
    ['comments', '/repos/acme/support-triage/issues/7/comments'],
    ['files', '/repos/acme/support-triage/pulls/7/files'],
    ['team members', '/orgs/acme/teams/release/members']
  ])('every paginated read fails on an empty 200: %s', async (what, path) => {
    const api = apiFor(server(), 'ghp_release-bot', recordingLog(), { timeoutMs: 400 });
    setup();
    server().teams.set('acme/release', ['priya']);
    server().inject({ method: 'GET', path, kind: 'respond', status: 200, raw: '', times: 4 });
    const read =
      what === 'comments'
        ? api.listComments(REPO, 7)
        : what === 'files'
          ? api.listPullFiles(REPO, 7)
          : api.listTeamMembers('acme', 'release');
    const error = await failure(read);
    expect(error.message).toContain(`GitHub answered GET ${path}?per_page=100 with an unreadable body`);
  });

  it('an object endpoint answering a list, malformed JSON or an empty body fails', async () => {
    const api = setup();
    const PULL = '/repos/acme/support-triage/pulls/7';
    server().inject({ method: 'GET', path: PULL, kind: 'respond', status: 200, body: [], times: 4 });
    expect((await failure(api.getPull(REPO, 7))).message).toContain('a JSON list where an object was expected');
    server().inject({ method: 'GET', path: PULL, kind: 'respond', status: 200, raw: '{"number": 7,', times: 4 });
    const malformed = await failure(api.getPull(REPO, 7));
    expect(malformed.message).toContain('with an unreadable body (HTTP 200 with malformed JSON');
    expect(malformed.message).not.toContain("Cannot use 'in' operator");
    server().inject({ method: 'GET', path: '/user', kind: 'respond', status: 200, raw: '', times: 4 });
    await expect(apiFor(server(), 'ghp_release-bot').getAuthenticatedIdentity()).rejects.toMatchObject({
      unreadableBody: 'GET /user'
    });
  });

  it('a comment whose answer is cut off is not posted again, and the error says the outcome is unknown', async () => {
    const api = setup();
    const COMMENTS = '/repos/acme/support-triage/issues/7/comments';
    server().inject({ method: 'POST', path: COMMENTS, kind: 'cut-then-reset' });
    const error = await failure(api.createComment(REPO, 7, 'hello'));
    expect(error).toMatchObject({ uncertain: true, unreadableBody: `POST ${COMMENTS}` });
    expect(
      server()
        .calls()
        .filter((c) => c.startsWith('POST'))
    ).toHaveLength(1);
    expect(server().commentsOn(7)).toHaveLength(1); // it was created: the caller lists again
  });

  it('a DELETE answered 204 (no body) still succeeds', async () => {
    const api = setup();
    const comment = server().addComment(7, { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }, 'x');
    await api.deleteComment(REPO, comment.id);
    expect(server().commentsOn(7)).toHaveLength(0);
  });

  it('approvals: a CHANGES_REQUESTED on a lost page 2 makes the approvals unavailable, never an empty page', async () => {
    const api = setup();
    server().inject({
      method: 'GET',
      path: REVIEWS,
      query: { page: '2' },
      kind: 'respond',
      status: 200,
      raw: '',
      times: 4
    });
    const log = recordingLog();
    const approvals = await readApprovals({
      api,
      repo: REPO,
      pullNumber: 7,
      author: 'dana',
      headSha: HEAD,
      teams: [],
      log
    });
    expect(approvals.available).toBe(false);
    expect(log.lines).toEqual([expect.stringContaining(`GitHub answered ${PAGE_2} with an unreadable body`)]);
  });

  it('changed files: a lost page fails the read instead of reporting "at most 3000"', async () => {
    const api = setup();
    server().inject({
      method: 'GET',
      path: '/repos/acme/support-triage/pulls/7/files',
      kind: 'respond',
      status: 200,
      raw: '',
      times: 4
    });
    const log = recordingLog();
    await expect(changedFilesFromApi(api, REPO, 7, log)).rejects.toThrow('with an unreadable body');
    expect(log.lines).toEqual([]);
  });
});

describe('rate limits GitHub answers with a bare 429 or a 403', () => {
  const { server } = useFakeGitHub();
  const PULL = '/repos/acme/support-triage/pulls/7';

  function api(log = recordingLog(), token = 'ghs_actions-token') {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    return apiFor(server(), token, log, { throttle: true });
  }

  it('waits out a plain 429 with a short retry-after, and says so', async () => {
    const log = recordingLog();
    const client = api(log);
    server().inject({
      method: 'GET',
      path: PULL,
      status: 429,
      headers: { 'retry-after': '1' },
      body: { message: 'Too Many Requests' }
    });
    expect((await client.getPull(REPO, 7)).headSha).toBe(HEAD);
    expect(server().calls()).toEqual([`GET ${PULL} → 429`, `GET ${PULL} → 200`]);
    expect(log.lines).toEqual([expect.stringMatching(/warning: GitHub rate limit .*hit on GET .*retrying in 1 s/)]);
  });

  it('does not wait out a plain 429 with a long retry-after, and reports a rate limit', async () => {
    const log = recordingLog();
    const client = api(log);
    server().inject({
      method: 'GET',
      path: PULL,
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { message: 'Too Many Requests' }
    });
    await expect(client.getPull(REPO, 7)).rejects.toMatchObject({ status: 429, rateLimited: true });
    expect(log.lines).toEqual([expect.stringContaining('not waiting 3600 s')]);
  });

  it('a 403 with an exhausted quota is a rate limit whatever its message says', async () => {
    const client = api();
    const reset = String(Math.floor(Date.now() / 1000) + 7200);
    server().inject({
      method: 'GET',
      path: PULL,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'Forbidden' }
    });
    await expect(client.getPull(REPO, 7)).rejects.toMatchObject({ status: 403, rateLimited: true });
  });

  it('a permission 403 is not a rate limit', async () => {
    const client = api();
    server().inject({
      method: 'GET',
      path: PULL,
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    });
    await expect(client.getPull(REPO, 7)).rejects.toMatchObject({ status: 403, rateLimited: false });
  });

  it('a rate-limited GET /user does not make a user token look like an installation token', async () => {
    const client = api(recordingLog(), 'ghp_release-bot');
    server().inject({
      method: 'GET',
      path: '/user',
      status: 403,
      headers: { 'retry-after': '3600' },
      body: { message: 'You have exceeded a secondary rate limit.' }
    });
    await expect(client.getAuthenticatedIdentity()).rejects.toMatchObject({ status: 403, rateLimited: true });
  });
});
