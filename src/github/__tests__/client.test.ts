import { describe, expect, it } from '@jest/globals';
import { FakeGitHub } from '../../testing/github-server.js';
import { GitHubApiError } from '../api.js';
import { apiFor, BASE, HEAD, recordingLog, REPO, useFakeGitHub } from './helpers.js';

describe('OctokitGitHubApi against the fake GitHub', () => {
  const { server } = useFakeGitHub();

  it('reads a pull request', async () => {
    server().addPull({
      number: 7,
      author: 'Dana',
      head: { sha: HEAD, ref: 'feature' },
      base: { sha: BASE, ref: 'main' }
    });
    const pull = await apiFor(server()).getPull(REPO, 7);
    expect(pull).toEqual({
      number: 7,
      state: 'open',
      headSha: HEAD,
      headRef: 'feature',
      baseSha: BASE,
      baseRef: 'main',
      author: 'Dana',
      changedFiles: 0
    });
  });

  it('pages through 250 comments with per_page=100', async () => {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    for (let i = 0; i < 250; i++) server().addComment(7, { login: 'dana', id: 1, type: 'User' }, `comment ${i}`);
    const comments = await apiFor(server()).listComments(REPO, 7);
    expect(comments).toHaveLength(250);
    expect(server().calls()).toEqual([
      'GET /repos/acme/support-triage/issues/7/comments?per_page=100 → 200',
      'GET /repos/acme/support-triage/issues/7/comments?per_page=100&page=2 → 200',
      'GET /repos/acme/support-triage/issues/7/comments?per_page=100&page=3 → 200'
    ]);
  });

  it('reports 401 as a GitHubApiError with the status', async () => {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    await expect(apiFor(server(), 'ghp_revoked').getPull(REPO, 7)).rejects.toMatchObject({ status: 401 });
  });

  it('tells a user token from an installation token', async () => {
    expect(await apiFor(server(), 'ghp_release-bot').getAuthenticatedIdentity()).toEqual({
      kind: 'user',
      login: 'release-bot'
    });
    expect(await apiFor(server(), 'ghs_actions-token').getAuthenticatedIdentity()).toEqual({
      kind: 'installation',
      login: null
    });
  });

  it('retries a GET after 500 and 502', async () => {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    server().inject({ method: 'GET', path: '/repos/acme/support-triage/pulls/7', status: 500 });
    server().inject({ method: 'GET', path: '/repos/acme/support-triage/pulls/7', status: 502 });
    expect((await apiFor(server()).getPull(REPO, 7)).headSha).toBe(HEAD);
    expect(server().calls()).toEqual([
      'GET /repos/acme/support-triage/pulls/7 → 500',
      'GET /repos/acme/support-triage/pulls/7 → 502',
      'GET /repos/acme/support-triage/pulls/7 → 200'
    ]);
  });

  it('times out a request that gets no answer', async () => {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    server().inject({ method: 'POST', path: '/repos/acme/support-triage/issues/7/comments', kind: 'timeout' });
    const error = await apiFor(server(), 'ghs_actions-token', recordingLog(), { timeoutMs: 300 })
      .createComment(REPO, 7, 'hello')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({ status: null, uncertain: true });
    expect(server().log.filter((r) => r.method === 'POST')).toHaveLength(1); // never retried
  });
});

describe('rate limits (throttling plugin, bounded waits)', () => {
  const { server } = useFakeGitHub();
  const PULL = '/repos/acme/support-triage/pulls/7';
  const secondary = {
    message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
  };

  function api(log = recordingLog()) {
    server().addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    return apiFor(server(), 'ghs_actions-token', log, { throttle: true });
  }

  it('waits out a secondary rate limit (403 with retry-after) and says so', async () => {
    const log = recordingLog();
    const client = api(log);
    server().inject({ method: 'GET', path: PULL, status: 403, headers: { 'retry-after': '1' }, body: secondary });
    expect((await client.getPull(REPO, 7)).headSha).toBe(HEAD);
    expect(log.lines).toEqual([expect.stringContaining('secondary rate limit hit on GET')]);
    expect(server().calls()).toEqual([`GET ${PULL} → 403`, `GET ${PULL} → 200`]);
  });

  it('waits out a 429 and a primary rate limit (x-ratelimit-remaining: 0)', async () => {
    const client = api();
    server().inject({ method: 'GET', path: PULL, status: 429, headers: { 'retry-after': '1' }, body: secondary });
    expect((await client.getPull(REPO, 7)).headSha).toBe(HEAD);
    const reset = String(Math.floor(Date.now() / 1000));
    server().inject({
      method: 'GET',
      path: PULL,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded for installation ID 1.' }
    });
    expect((await client.getPull(REPO, 7)).headSha).toBe(HEAD);
    expect(server().calls()).toEqual([
      `GET ${PULL} → 429`,
      `GET ${PULL} → 200`,
      `GET ${PULL} → 403`,
      `GET ${PULL} → 200`
    ]);
  });

  it('does not wait longer than 60 s: a retry-after of 120 s fails at once, as a rate limit', async () => {
    const log = recordingLog();
    const client = api(log);
    server().inject({ method: 'GET', path: PULL, status: 403, headers: { 'retry-after': '120' }, body: secondary });
    const started = Date.now();
    const error = await client.getPull(REPO, 7).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toMatchObject({ status: 403, rateLimited: true });
    expect(log.lines).toEqual([expect.stringContaining('not waiting 120 s')]);
  });

  it('gives up after two retries', async () => {
    const client = api();
    server().inject({
      method: 'GET',
      path: PULL,
      status: 403,
      headers: { 'retry-after': '1' },
      body: secondary,
      times: 3
    });
    await expect(client.getPull(REPO, 7)).rejects.toMatchObject({ status: 403, rateLimited: true });
    expect(server().log).toHaveLength(3);
  });
});

describe('the fake GitHub enforces the REST description', () => {
  async function withServer(fn: (url: string, s: FakeGitHub) => Promise<void>) {
    const s = new FakeGitHub();
    const url = await s.start();
    s.addPull({ number: 7, author: 'dana', head: { sha: HEAD, ref: 'f' }, base: { sha: BASE, ref: 'main' } });
    try {
      await fn(url, s);
    } finally {
      await s.stop();
    }
  }

  const headers = { authorization: 'token ghs_actions-token', 'content-type': 'application/json' };

  it.each([
    [
      'an undocumented path',
      'GET',
      '/repos/acme/support-triage/pulls/7/comments/all',
      undefined,
      'is not a documented GitHub REST operation'
    ],
    [
      'an undocumented method',
      'PUT',
      '/repos/acme/support-triage/issues/7/comments',
      '{"body":"x"}',
      'is not a documented'
    ],
    [
      'an undocumented query parameter',
      'GET',
      '/repos/acme/support-triage/issues/7/comments?sort=desc',
      undefined,
      'query parameter "sort" is not documented'
    ],
    [
      'an invalid query value',
      'GET',
      '/repos/acme/support-triage/issues/7/comments?per_page=many',
      undefined,
      'query per_page=many'
    ],
    [
      'a body that does not match the schema',
      'POST',
      '/repos/acme/support-triage/issues/7/comments',
      '{"text":"x"}',
      "must have required property 'body'"
    ],
    [
      'a body where none is documented',
      'DELETE',
      '/repos/acme/support-triage/issues/comments/1',
      '{"x":1}',
      'takes no request body'
    ]
  ])('rejects %s with HTTP 400 and records it', async (_what, method, path, body, message) => {
    await withServer(async (url, s) => {
      const response = await fetch(url + path, { method, headers, body });
      expect(response.status).toBe(400);
      expect(s.violations).toEqual([expect.stringContaining(message)]);
    });
  });
});
