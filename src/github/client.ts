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
  request<T = unknown>(route: string, params?: Record<string, unknown>): Promise<OctokitResponse<T>>;
  paginate: {
    iterator<T = unknown>(route: string, params?: Record<string, unknown>): AsyncIterable<OctokitResponse<T[]>>;
  };
}

async function createOctokit(options: ClientOptions): Promise<Octokit> {
  const [{ GitHub, getOctokitOptions, defaults }, { retry }, { throttling }] = await Promise.all([
    import('@actions/github/lib/utils'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling')
  ]);
  const { log } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const proxyFetch = (defaults.request?.fetch ?? globalThis.fetch) as Fetch;
  // every request gets a deadline; a caller's own signal wins
  const fetchWithTimeout: Fetch = (url, init = {}) =>
    proxyFetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });

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
      request: { ...defaults.request, fetch: fetchWithTimeout },
      log: { debug: log.debug, info: log.debug, warn: log.info, error: log.info },
      // rate limits (403/429) are the throttling plugin's: it honours retry-after within the gate's bounds
      retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle:
        options.throttle === false
          ? { enabled: false }
          : { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') }
    } as Record<string, unknown>)
  );
  return octokit as unknown as Octokit;
}

function toApiError(operation: string, error: unknown): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  const e = error as { status?: unknown; name?: unknown; message?: unknown; response?: { data?: unknown } };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const aborted = e?.name === 'AbortError' || e?.name === 'TimeoutError' || /aborted|timeout/i.test(message);
  const hasResponse = e?.response !== undefined;
  const status = typeof e?.status === 'number' && (hasResponse || !aborted) && e.status >= 100 ? e.status : null;
  // a RequestError without a response is a network failure that Octokit reports as status 500
  return new GitHubApiError(operation, hasResponse ? status : null, aborted ? 'timed out' : oneLine(message));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 300);
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
  private client: Promise<Octokit> | null = null;

  constructor(private readonly options: ClientOptions) {}

  private octokit(): Promise<Octokit> {
    this.client ??= createOctokit(this.options);
    return this.client;
  }

  private async call<T>(operation: string, route: string, params: Record<string, unknown> = {}): Promise<T> {
    const octokit = await this.octokit();
    try {
      return (await octokit.request<T>(route, params)).data;
    } catch (error) {
      throw toApiError(operation, error);
    }
  }

  private async all<T>(operation: string, route: string, params: Record<string, unknown>): Promise<T[]> {
    const octokit = await this.octokit();
    const items: T[] = [];
    try {
      for await (const page of octokit.paginate.iterator<T>(route, { ...params, per_page: 100 }))
        items.push(...page.data);
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
      if (error instanceof GitHubApiError && error.status === 403) return { kind: 'installation', login: null };
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
      submittedAt: r.submitted_at ?? null
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
