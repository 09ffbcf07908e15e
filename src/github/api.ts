/**
 * The GitHub REST calls the gate makes, as a small interface: main.ts and the other src/github modules use
 * only this, so tests can inject a fake or point the Octokit implementation (client.ts) at a test server.
 * Shapes are trimmed to the fields the gate reads.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface ApiUser {
  login: string;
  /** "User" | "Bot" | "Organization" */
  type: string;
}

export interface ApiComment {
  id: number;
  body: string;
  user: ApiUser | null;
  /** slug of the GitHub App that wrote the comment (GITHUB_TOKEN: "github-actions"), null for a person */
  viaApp: string | null;
  htmlUrl: string;
}

export interface ApiPull {
  number: number;
  state: string;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  author: string | null;
  /** as GitHub counts them (the files API lists at most 3000) */
  changedFiles: number;
}

export interface ApiReview {
  id: number;
  login: string | null;
  state: string;
  commitId: string | null;
  submittedAt: string | null;
  /** the author is a GitHub App or bot account (user.type Bot), not a person */
  bot: boolean;
}

export interface ApiPullFile {
  filename: string;
  status: string;
  previousFilename: string | null;
}

export interface ApiTreeEntry {
  path: string;
  /** git file mode: 100644/100755 file, 120000 symlink, 160000 submodule, 040000 tree */
  mode: string;
  type: string;
  sha: string;
  size: number | null;
}

/** Who the token is: a user (PAT; GET /user answers) or an app installation (GITHUB_TOKEN, GitHub App). */
export type TokenIdentity = { kind: 'user'; login: string } | { kind: 'installation'; login: null };

export interface GitHubApi {
  getAuthenticatedIdentity(): Promise<TokenIdentity>;
  getPull(repo: RepoRef, pullNumber: number): Promise<ApiPull>;
  /** every review, all pages */
  listReviews(repo: RepoRef, pullNumber: number): Promise<ApiReview[]>;
  /** every file GitHub lists (it stops at 3000) */
  listPullFiles(repo: RepoRef, pullNumber: number): Promise<ApiPullFile[]>;
  /** every comment on the issue or pull request, all pages, oldest first */
  listComments(repo: RepoRef, issueNumber: number): Promise<ApiComment[]>;
  /** never retried by the client: a failed POST may still have created the comment (the caller lists again) */
  createComment(repo: RepoRef, issueNumber: number, body: string): Promise<ApiComment>;
  updateComment(repo: RepoRef, commentId: number, body: string): Promise<ApiComment>;
  deleteComment(repo: RepoRef, commentId: number): Promise<void>;
  /** member logins of an organization team, all pages */
  listTeamMembers(org: string, teamSlug: string): Promise<string[]>;
  /** the whole tree of a commit (recursive) */
  getTree(repo: RepoRef, treeish: string): Promise<{ entries: ApiTreeEntry[]; truncated: boolean }>;
  getBlob(repo: RepoRef, sha: string): Promise<Buffer>;
}

/** What else the client learned about a failed call. */
export interface GitHubApiErrorDetails {
  /** GitHub limited the rate (403/429 with rate-limit headers or message) and the gate stopped waiting */
  rateLimited?: boolean;
  /**
   * An answer came (`status`, usually 2xx) but its body could not be used: empty, cut off (connection reset or
   * stalled past the timeout), not JSON, or JSON of the wrong shape. The value is the request, "GET /path?query".
   */
  unreadableBody?: string;
}

/**
 * A failed API call: `status` is the HTTP status, or null when no answer came (timeout, connection reset).
 * The message names the operation and never contains the token.
 */
export class GitHubApiError extends Error {
  readonly unreadableBody: string | null;
  private readonly limited: boolean;

  constructor(
    readonly operation: string,
    readonly status: number | null,
    readonly detail: string,
    details: GitHubApiErrorDetails = {}
  ) {
    super(
      details.unreadableBody !== undefined
        ? `${operation}: GitHub answered ${details.unreadableBody} with an unreadable body (${detail})`
        : `${operation}: ${status === null ? 'no answer' : `HTTP ${status}`} (${detail})`
    );
    this.name = 'GitHubApiError';
    this.unreadableBody = details.unreadableBody ?? null;
    this.limited = details.rateLimited ?? false;
  }

  /**
   * no answer, a server error, or an answer whose body was lost: the request may or may not have taken effect,
   * and what it returned is unknown
   */
  get uncertain(): boolean {
    return this.status === null || this.status >= 500 || this.unreadableBody !== null;
  }

  /** a 403/429 that is a rate limit the client gave up waiting for, not a missing permission */
  get rateLimited(): boolean {
    return this.limited || ((this.status === 403 || this.status === 429) && /rate limit/i.test(this.detail));
  }
}

export function isApiError(error: unknown, ...statuses: number[]): error is GitHubApiError {
  return error instanceof GitHubApiError && (statuses.length === 0 || statuses.includes(error.status ?? -1));
}
