/**
 * The Octokit-backed GitHubApi: @actions/github's client (proxy support, GITHUB_API_URL for GitHub Enterprise
 * Server) with the retry and throttling plugins. Octokit is imported only when the first call is made, so runs
 * that never touch the API (no token, a push without comments) do not load it.
 */
import {
  GitHubApiError,
  type ApiComment,
  type ApiPull,
  type ApiPullFile,
  type ApiReview,
  type ApiTreeEntry,
  type GitHubApi,
  type RepoRef,
  type TokenIdentity
} from './api.js';

export interface ApiLog {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

export interface ClientOptions {
  token: string;
  /** REST API root: GITHUB_API_URL on a runner (https://api.github.com, or https://HOST/api/v3 on GHES) */
  baseUrl: string;
  log: ApiLog;
  /** per-request timeout (default 30 s) */
  timeoutMs?: number;
  /** first retry back-off for 5xx answers, growing quadratically (default 1000 ms; tests use less) */
  retryBaseMs?: number;
  /** the throttling plugin (rate-limit handling, one second between writes); tests of unrelated logic turn it off */
  throttle?: boolean;
}

export const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_TIMEOUT_MS = 30_000;
/** rate-limit waits the gate accepts: at most this many retries, each waiting at most this long */
export const RATE_LIMIT_RETRIES = 2;
export const RATE_LIMIT_MAX_WAIT_S = 60;

type Fetch = (url: string, init?: Record<string, unknown>) => Promise<unknown>;

interface OctokitResponse<T> {
  data: T;
  headers: Record<string, string | number | undefined>;
}

/** The part of Octokit the gate uses. */
interface Octokit {
  request<T = unknown>(
    route: string | { method: string; url: string; request?: Record<string, unknown> },
    params?: Record<string, unknown>
  ): Promise<OctokitResponse<T>>;
  hook: {
    wrap(
      name: 'request',
      wrapper: (request: (options: RequestOptions) => Promise<unknown>, options: RequestOptions) => Promise<unknown>
    ): void;
  };
}

interface RequestOptions {
  method: string;
  url: string;
  request?: Record<string, unknown>;
}

/** The JSON a successful answer must carry: a list endpoint answers an array, an object endpoint an object. */
type Shape = 'array' | 'object';

/**
 * A 2xx answer whose body the gate cannot use. Thrown from inside the fetch function, so Octokit turns it into a
 * network-style error (status 500, no response): the retry plugin retries it like a 5xx, and toApiError reports
 * it. Octokit itself would read a body that fails to arrive as "" — and its pagination turns "" into an empty page.
 */
class UnreadableBodyError extends Error {
  constructor(
    readonly request: string,
    readonly status: number,
    readonly reason: string
  ) {
    super(`GitHub answered ${request} with an unreadable body (${reason})`);
    this.name = 'UnreadableBodyError';
  }
}

interface Client {
  octokit: Octokit;
  /** the fetch for requests whose successful answer must be JSON of this shape */
  fetch: Record<Shape, Fetch>;
}

function requestLine(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.pathname}${u.search}`;
  } catch {
    return `${method} ${url}`;
  }
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON list';
  return typeof value === 'object' ? 'a JSON object' : `a JSON ${typeof value}`;
}

function isJsonType(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** Reads the whole body, or rejects when the signal fires first (also with a fetch that ignores the signal). */
async function readBody(response: Response, signal: AbortSignal): Promise<string> {
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([response.text(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
}

function readFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  const e = error as { name?: unknown; message?: unknown; cause?: { message?: unknown; code?: unknown } };
  if (signal.aborted || e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `the body did not arrive within the ${timeoutMs} ms timeout`;
  const cause = e?.cause && typeof e.cause.message === 'string' ? `: ${e.cause.message}` : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return `reading the body failed: ${oneLine(message + cause)}`;
}

async function createClient(options: ClientOptions): Promise<Client> {
  const [{ GitHub, getOctokitOptions, defaults }, { retry }, { throttling }] = await Promise.all([
    import('@actions/github/lib/utils'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling')
  ]);
  const { log } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const proxyFetch = (defaults.request?.fetch ?? globalThis.fetch) as Fetch;

  /**
   * Every request gets a deadline that covers the body too (a caller's own signal wins). A successful answer
   * (other than 204/205 to a write) is read here in full and must be JSON of the expected shape; otherwise the
   * request fails with UnreadableBodyError. The checked text is handed on to Octokit as a fresh Response.
   */
  const fetchExpecting =
    (shape: Shape): Fetch =>
    async (url, init = {}) => {
      const signal = (init.signal as AbortSignal | undefined) ?? AbortSignal.timeout(timeoutMs);
      const response = (await proxyFetch(url, { ...init, signal })) as Response;
      const method = String(init.method ?? 'GET').toUpperCase();
      const { status } = response;
      if (status < 200 || status >= 300 || method === 'HEAD') return response;
      const fail = (reason: string): never => {
        throw new UnreadableBodyError(requestLine(method, url), status, reason);
      };
      if (status === 204 || status === 205) {
        // no content is the answer to a write (a deleted comment); a read that gets it has lost what it asked for,
        // and a list page read as "" would count as an empty page (a change request on it dropped)
        if (shape === 'object' && method !== 'GET') return response;
        return fail(`HTTP ${status} with no content where ${shape === 'array' ? 'a list' : 'an object'} was expected`);
      }
      let text: string;
      try {
        text = await readBody(response, signal);
      } catch (error) {
        return fail(readFailure(error, signal, timeoutMs));
      }
      const contentType = response.headers.get('content-type');
      if (text.trim() === '') return fail(`HTTP ${status} with an empty body`);
      if (contentType !== null && !isJsonType(contentType))
        return fail(`HTTP ${status} with content-type ${oneLine(contentType)}, not JSON`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return fail(
          `HTTP ${status} with malformed JSON, ${text.length} characters: ${oneLine((error as Error).message)}`
        );
      }
      const ok =
        shape === 'array' ? Array.isArray(value) : value !== null && typeof value === 'object' && !Array.isArray(value);
      if (!ok)
        return fail(
          `HTTP ${status} with ${describeJson(value)} where ${shape === 'array' ? 'a list' : 'an object'} was expected`
        );
      const headers = new Headers(response.headers);
      headers.set('content-type', contentType ?? 'application/json; charset=utf-8');
      headers.delete('content-encoding');
      headers.delete('content-length');
      const checked = new Response(text, { status, statusText: response.statusText, headers });
      Object.defineProperty(checked, 'url', { value: response.url || url });
      return checked;
    };
  const fetch: Record<Shape, Fetch> = { array: fetchExpecting('array'), object: fetchExpecting('object') };

  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const what = `${request.method} ${request.url}`;
      if (retryCount < RATE_LIMIT_RETRIES && retryAfter <= RATE_LIMIT_MAX_WAIT_S) {
        log.warning(
          `GitHub ${kind} hit on ${what}: retrying in ${retryAfter} s (retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES})`
        );
        return true;
      }
      log.warning(
        `GitHub ${kind} hit on ${what}: not waiting ${retryAfter} s (the gate waits at most ${RATE_LIMIT_RETRIES} × ${RATE_LIMIT_MAX_WAIT_S} s)`
      );
      return false;
    };

  const Client = GitHub.plugin(retry, throttling);
  const octokit = new Client(
    getOctokitOptions(options.token, {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      request: { ...defaults.request, fetch: fetch.object },
      log: { debug: log.debug, info: log.debug, warn: log.info, error: log.info },
      // rate limits (403/429) are the throttling plugin's: it honours retry-after within the gate's bounds
      retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle:
        options.throttle === false
          ? { enabled: false }
          : { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') }
    } as Record<string, unknown>)
  ) as unknown as Octokit;

  if (options.throttle !== false) {
    // The throttling plugin waits only for a secondary rate limit (its message says so) or an exhausted primary
    // limit (x-ratelimit-remaining: 0). A bare 429 with retry-after is a rate limit too: wait it out the same way.
    const onPlain429 = onLimit('rate limit (HTTP 429)');
    octokit.hook.wrap('request', async (request, requestOptions) => {
      for (let retryCount = 0; ; retryCount++) {
        try {
          return await request(requestOptions);
        } catch (error) {
          const retryAfter = plain429RetryAfter(error);
          const url = (error as { request?: { url?: unknown } }).request?.url;
          const what = { method: requestOptions.method, url: typeof url === 'string' ? url : requestOptions.url };
          if (retryAfter === null || !onPlain429(retryAfter, what, octokit, retryCount)) throw error;
          await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
        }
      }
    });
  }
  return { octokit, fetch };
}

interface ErrorWithResponse {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown> };
}

function header(error: unknown, name: string): string | null {
  const value = (error as ErrorWithResponse)?.response?.headers?.[name];
  return value === undefined || value === null ? null : String(value);
}

/** retry-after of a 429 the throttling plugin does not handle (no "secondary rate" message, no exhausted quota) */
function plain429RetryAfter(error: unknown): number | null {
  const e = error as ErrorWithResponse;
  if (e?.status !== 429 || e.response === undefined) return null;
  if (typeof e.message === 'string' && /\bsecondary rate\b/i.test(e.message)) return null;
  if (header(error, 'x-ratelimit-remaining') === '0') return null;
  const value = header(error, 'retry-after');
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/** a 403/429 answer that is a rate limit (GitHub: "403 or 429", with rate-limit headers or message) */
function isRateLimit(error: unknown, status: number | null): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  const message = (error as ErrorWithResponse)?.message;
  return (
    header(error, 'x-ratelimit-remaining') === '0' ||
    header(error, 'retry-after') !== null ||
    (typeof message === 'string' && /rate limit/i.test(message))
  );
}

function toApiError(operation: string, error: unknown): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  const e = error as { status?: unknown; name?: unknown; message?: unknown; response?: unknown; cause?: unknown };
  if (e?.cause instanceof UnreadableBodyError) {
    const cause = e.cause;
    return new GitHubApiError(operation, cause.status, cause.reason, { unreadableBody: cause.request });
  }
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const aborted = e?.name === 'AbortError' || e?.name === 'TimeoutError' || /aborted|timeout/i.test(message);
  const hasResponse = e?.response !== undefined;
  const status = typeof e?.status === 'number' && (hasResponse || !aborted) && e.status >= 100 ? e.status : null;
  // a RequestError without a response is a network failure that Octokit reports as status 500
  const answered = hasResponse ? status : null;
  return new GitHubApiError(operation, answered, aborted ? 'timed out' : oneLine(message), {
    rateLimited: isRateLimit(error, answered)
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

/** the rel="next" address of a Link header */
function nextLink(link: unknown): string | null {
  if (typeof link !== 'string') return null;
  return /<([^<>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
}

interface RawUser {
  login: string;
  type: string;
}

interface RawComment {
  id: number;
  body?: string | null;
  user: RawUser | null;
  html_url: string;
  performed_via_github_app?: { slug?: string } | null;
}

function comment(raw: RawComment): ApiComment {
  return {
    id: raw.id,
    body: raw.body ?? '',
    user: raw.user ? { login: raw.user.login, type: raw.user.type } : null,
    viaApp: raw.performed_via_github_app ? (raw.performed_via_github_app.slug ?? 'unknown-app') : null,
    htmlUrl: raw.html_url
  };
}

/** The Octokit implementation; the client is built on the first call. */
export class OctokitGitHubApi implements GitHubApi {
  private client: Promise<Client> | null = null;

  constructor(private readonly options: ClientOptions) {}

  private build(): Promise<Client> {
    this.client ??= createClient(this.options);
    return this.client;
  }

  /** One request whose answer must be a JSON object (or no content: 204). */
  private async call<T>(operation: string, route: string, params: Record<string, unknown> = {}): Promise<T> {
    const { octokit, fetch } = await this.build();
    const request = { ...(params.request as Record<string, unknown> | undefined), fetch: fetch.object };
    try {
      return (await octokit.request<T>(route, { ...params, request })).data;
    } catch (error) {
      throw toApiError(operation, error);
    }
  }

  /**
   * Every page of a list (per_page=100, following Link rel="next"): each page must be a JSON list — a page whose
   * body is lost fails the call, it is never read as an empty page.
   */
  private async all<T>(operation: string, route: string, params: Record<string, unknown>): Promise<T[]> {
    const { octokit, fetch } = await this.build();
    const request = { fetch: fetch.array };
    const origin = new URL(this.options.baseUrl).origin;
    const items: T[] = [];
    const seen = new Set<string>();
    try {
      let response = await octokit.request<T[]>(route, { ...params, per_page: 100, request });
      for (;;) {
        // fetchExpecting has checked the page is a list; a page that is not one must never add nothing quietly
        if (!Array.isArray(response.data)) throw new GitHubApiError(operation, 200, 'a page of the list is not a list');
        items.push(...response.data);
        const next = nextLink(response.headers.link);
        if (next === null) break;
        if (new URL(next, origin).origin !== origin || seen.has(next)) {
          throw new GitHubApiError(operation, 200, `unexpected next-page link ${oneLine(next)}`);
        }
        seen.add(next);
        response = await octokit.request<T[]>({ method: 'GET', url: next, request });
      }
    } catch (error) {
      throw toApiError(operation, error);
    }
    return items;
  }

  async getAuthenticatedIdentity(): Promise<TokenIdentity> {
    try {
      const user = await this.call<RawUser>('read the token identity (GET /user)', 'GET /user');
      return { kind: 'user', login: user.login };
    } catch (error) {
      // installation tokens (GITHUB_TOKEN, GitHub Apps) may not call GET /user
      // (a rate-limited 403 says nothing about the token)
      if (error instanceof GitHubApiError && error.status === 403 && !error.rateLimited)
        return { kind: 'installation', login: null };
      throw error;
    }
  }

  async getPull(repo: RepoRef, pullNumber: number): Promise<ApiPull> {
    const raw = await this.call<{
      number: number;
      state: string;
      user: RawUser | null;
      head: { sha: string; ref: string };
      base: { sha: string; ref: string };
      changed_files?: number;
    }>(`read pull request #${pullNumber}`, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      ...repo,
      pull_number: pullNumber
    });
    return {
      number: raw.number,
      state: raw.state,
      headSha: raw.head.sha,
      headRef: raw.head.ref,
      baseSha: raw.base.sha,
      baseRef: raw.base.ref,
      author: raw.user?.login ?? null,
      changedFiles: raw.changed_files ?? 0
    };
  }

  async listReviews(repo: RepoRef, pullNumber: number): Promise<ApiReview[]> {
    const raw = await this.all<{
      id: number;
      user: RawUser | null;
      state: string;
      commit_id: string | null;
      submitted_at?: string;
    }>(`list the reviews of pull request #${pullNumber}`, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      ...repo,
      pull_number: pullNumber
    });
    return raw.map((r) => ({
      id: r.id,
      login: r.user?.login ?? null,
      state: r.state,
      commitId: r.commit_id ?? null,
      submittedAt: r.submitted_at ?? null,
      bot: r.user?.type === 'Bot'
    }));
  }

  async listPullFiles(repo: RepoRef, pullNumber: number): Promise<ApiPullFile[]> {
    const raw = await this.all<{ filename: string; status: string; previous_filename?: string }>(
      `list the files of pull request #${pullNumber}`,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      { ...repo, pull_number: pullNumber }
    );
    return raw.map((f) => ({ filename: f.filename, status: f.status, previousFilename: f.previous_filename ?? null }));
  }

  async listComments(repo: RepoRef, issueNumber: number): Promise<ApiComment[]> {
    const raw = await this.all<RawComment>(
      `list the comments of pull request #${issueNumber}`,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { ...repo, issue_number: issueNumber }
    );
    return raw.map(comment).sort((a, b) => a.id - b.id);
  }

  async createComment(repo: RepoRef, issueNumber: number, body: string): Promise<ApiComment> {
    // retries: 0 — a POST that failed with 5xx or timed out may have created the comment; the caller lists again
    return comment(
      await this.call<RawComment>(
        `comment on pull request #${issueNumber}`,
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        { ...repo, issue_number: issueNumber, body, request: { retries: 0 } }
      )
    );
  }

  async updateComment(repo: RepoRef, commentId: number, body: string): Promise<ApiComment> {
    return comment(
      await this.call<RawComment>(
        `update comment ${commentId}`,
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
        {
          ...repo,
          comment_id: commentId,
          body
        }
      )
    );
  }

  async deleteComment(repo: RepoRef, commentId: number): Promise<void> {
    await this.call(`delete comment ${commentId}`, 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      ...repo,
      comment_id: commentId
    });
  }

  async listTeamMembers(org: string, teamSlug: string): Promise<string[]> {
    const raw = await this.all<RawUser>(
      `list the members of team ${org}/${teamSlug}`,
      'GET /orgs/{org}/teams/{team_slug}/members',
      {
        org,
        team_slug: teamSlug
      }
    );
    return raw.map((u) => u.login);
  }

  async getTree(repo: RepoRef, treeish: string): Promise<{ entries: ApiTreeEntry[]; truncated: boolean }> {
    const raw = await this.call<{
      truncated: boolean;
      tree: { path?: string; mode?: string; type?: string; sha?: string; size?: number }[];
    }>(`read the tree of ${treeish}`, 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      ...repo,
      tree_sha: treeish,
      recursive: '1'
    });
    return {
      truncated: raw.truncated,
      entries: raw.tree.map((e) => ({
        path: e.path ?? '',
        mode: e.mode ?? '',
        type: e.type ?? '',
        sha: e.sha ?? '',
        size: typeof e.size === 'number' ? e.size : null
      }))
    };
  }

  async getBlob(repo: RepoRef, sha: string): Promise<Buffer> {
    const raw = await this.call<{ content: string; encoding: string }>(
      `read blob ${sha}`,
      'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
      { ...repo, file_sha: sha }
    );
    if (raw.encoding !== 'base64')
      throw new GitHubApiError(`read blob ${sha}`, 200, `unexpected encoding ${raw.encoding}`);
    return Buffer.from(raw.content, 'base64');
  }
}
