/**
 * One sticky comment per pull request and gate key, kept current.
 *
 * Ours is a comment whose last line is this gate's marker AND whose author is the token's own identity (a
 * marker typed into someone else's comment — a person's or another app's bot's — is ignored). The line before the
 * marker records the head commit the comment reports. The protocol tolerates re-runs, lost answers and concurrent runs:
 *   1. list every comment (all pages) and pick ours;
 *   2. none: create one (never retried blindly: after a timeout or 5xx we list again, since the POST may have
 *      landed). Some: update the oldest — unless this run's head is no longer the pull request's head, in
 *      which case the newer commit's run owns the comment and we leave it alone;
 *   3. list again; when concurrent runs each created one, keep the oldest, delete the others (ours only) and,
 *      if this run reports the current head, make sure the kept comment holds its result.
 * Failures to write are warnings (the decision and the exit status never depend on the comment), except a
 * rejected token (401), which is a configuration error.
 */
import { SettingsError } from '../errors.js';
import { commentMarker, hasMarker } from '../render/marker.js';
import { LIMITS } from '../settings/defaults.js';
import { GitHubApiError, type ApiComment, type GitHubApi, type RepoRef, type TokenIdentity } from './api.js';
import type { ApiLog } from './client.js';

/** The login GITHUB_TOKEN writes as, on github.com and GitHub Enterprise Server. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

const HEAD_LINE = /^<!-- agent-release-gate:head=([0-9a-f]{40}|[0-9a-f]{64}) -->$/;
const ATTEMPTS = 3;

export const FORK_HELP =
  'On a pull request from a fork GitHub gives the workflow a read-only token; see "Fork pull requests" in the README for the two-workflow pattern that posts the comment.';

export interface StickyCommentRequest {
  api: GitHubApi;
  repo: RepoRef;
  pullNumber: number;
  gateKey: string;
  /** the pull request head commit this run judged */
  headSha: string;
  /** the rendered comment (renderComment): its last line is commentMarker(gateKey) */
  body: string;
  /** false in `comment: on-failure` mode when the gate passed: update an existing comment, never create one */
  mayCreate: boolean;
  log: ApiLog;
}

export type CommentResult =
  | { status: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  /** nothing written, on purpose (a newer head's run owns the comment; passing with no earlier comment) */
  | { status: 'skipped'; reason: string; id: number | null; url: string | null }
  /** could not write; the warning was logged */
  | { status: 'failed'; reason: string };

/** The body as posted: the rendered comment with the head line inserted before the marker, within GitHub's size limit. */
export function stickyBody(rendered: string, gateKey: string, headSha: string): string {
  const marker = commentMarker(gateKey);
  const lines = rendered.replace(/\s+$/, '').split('\n');
  if (lines[lines.length - 1] === marker) lines.pop();
  const headLine = `<!-- agent-release-gate:head=${headSha} -->`;
  let content = lines.join('\n').replace(/\s+$/, '');
  const tail = `\n\n${headLine}\n${marker}`;
  if (content.length + tail.length > LIMITS.commentChars) {
    const note = '\n\n… (shortened to fit GitHub’s comment limit; the job summary has the full report)';
    content = content.slice(0, LIMITS.commentChars - tail.length - note.length);
    content = content.slice(0, Math.max(0, content.lastIndexOf('\n'))) + note;
  }
  return content + tail;
}

/** The head commit a comment of ours reports (the line before the marker), or null. */
export function reportedHead(body: string): string | null {
  const lines = body.replace(/\s+$/, '').split('\n');
  const line = (lines[lines.length - 2] ?? '').replace(/\r$/, '');
  return HEAD_LINE.exec(line)?.[1] ?? null;
}

/**
 * Whether the token wrote this comment. A user token knows its login (GET /user). An installation token cannot
 * ask (GET /user answers 403), so before its first write it is taken to be GITHUB_TOKEN: only
 * github-actions[bot] through the github-actions app counts — never another app's bot (renovate[bot] quoting
 * our marker), whose comment we must not edit. A GitHub App token learns its own bot login from the comment it
 * writes (`exact`), and settle() then folds that into the app's earlier comment.
 */
export function writtenBy(comment: ApiComment, identity: TokenIdentity | { kind: 'exact'; login: string }): boolean {
  const user = comment.user;
  if (!user) return false;
  if (identity.kind === 'user' || identity.kind === 'exact')
    return user.login.toLowerCase() === identity.login.toLowerCase();
  return user.type === 'Bot' && user.login === ACTIONS_BOT_LOGIN;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** A rejected token is the user's configuration error, not a comment problem: it fails the run. */
export function rejectBadToken(error: unknown, action: string): void {
  if (error instanceof GitHubApiError && error.status === 401) {
    throw new SettingsError(
      `GitHub rejected github-token while trying to ${action} (HTTP 401 Bad credentials): check the token (expired, revoked, or a secret that is not set)`
    );
  }
}

function writeFailure(error: unknown, action: string, log: ApiLog): CommentResult {
  rejectBadToken(error, action);
  let reason: string;
  if (error instanceof GitHubApiError && error.rateLimited) {
    reason = `could not ${action}: GitHub's rate limit did not clear within the gate's bounded wait (${error.message})`;
  } else if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404)) {
    reason =
      `could not ${action} (HTTP ${error.status}): the token lacks the \`pull-requests: write\` permission ` +
      `(\`issues: write\` works too). ${FORK_HELP} The decision and the check result are unchanged.`;
  } else {
    reason = `could not ${action}: ${error instanceof Error ? error.message : String(error)}. The decision and the check result are unchanged.`;
  }
  log.warning(reason);
  return { status: 'failed', reason };
}

export async function upsertStickyComment(req: StickyCommentRequest): Promise<CommentResult> {
  const { api, repo, pullNumber, gateKey, headSha, log } = req;
  const body = stickyBody(req.body, gateKey, headSha);

  let identity: TokenIdentity;
  try {
    identity = await api.getAuthenticatedIdentity();
  } catch (error) {
    return writeFailure(error, 'read the token identity', log);
  }

  let currentHead: string | null | undefined; // undefined: not asked yet; null: unknown
  const pullHead = async (): Promise<string | null> => {
    if (currentHead === undefined) {
      try {
        currentHead = (await api.getPull(repo, pullNumber)).headSha;
      } catch (error) {
        rejectBadToken(error, `read pull request #${pullNumber}`);
        log.info(
          `could not read pull request #${pullNumber} to compare head commits (${(error as Error).message}); writing the comment`
        );
        currentHead = null;
      }
    }
    return currentHead;
  };

  let lastError: unknown = null;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let ours: ApiComment[];
    try {
      ours = (await api.listComments(repo, pullNumber)).filter(
        (c) => hasMarker(c.body, gateKey) && writtenBy(c, identity)
      );
    } catch (error) {
      if (error instanceof GitHubApiError && error.uncertain && attempt < ATTEMPTS) {
        lastError = error;
        continue;
      }
      return writeFailure(error, `list the comments of pull request #${pullNumber}`, log);
    }

    let written: ApiComment;
    let status: 'created' | 'updated' | 'unchanged';
    try {
      const existing = ours[0];
      if (!existing) {
        if (!req.mayCreate) {
          return {
            status: 'skipped',
            reason: 'the gate passed and there is no earlier comment to update',
            id: null,
            url: null
          };
        }
        written = await api.createComment(repo, pullNumber, body);
        status = 'created';
      } else {
        const head = await pullHead();
        if (head !== null && head !== headSha) {
          const reason =
            `this run is for ${short(headSha)} but the pull request's head is now ${short(head)}: ` +
            `the comment is left to that commit's run`;
          log.info(reason);
          return { status: 'skipped', reason, id: existing.id, url: existing.htmlUrl };
        }
        if (existing.body === body) {
          written = existing;
          status = 'unchanged';
        } else {
          written = await api.updateComment(repo, existing.id, body);
          status = 'updated';
        }
      }
    } catch (error) {
      if (error instanceof GitHubApiError && error.uncertain && attempt < ATTEMPTS) {
        // the write may have landed: list again rather than writing a second comment
        log.info(`writing the comment got no clear answer (${error.message}); checking what landed`);
        lastError = error;
        continue;
      }
      return writeFailure(
        error,
        ours.length === 0 ? `comment on pull request #${pullNumber}` : 'update the comment',
        log
      );
    }
    return settle(req, body, written, status, pullHead);
  }
  return writeFailure(lastError, `comment on pull request #${pullNumber}`, log);
}

/** After our write: collapse duplicates left by concurrent runs onto the oldest comment. */
async function settle(
  req: StickyCommentRequest,
  body: string,
  written: ApiComment,
  status: 'created' | 'updated' | 'unchanged',
  pullHead: () => Promise<string | null>
): Promise<CommentResult> {
  const { api, repo, pullNumber, gateKey, headSha, log } = req;
  // the comment we wrote tells us exactly who we are
  const me = written.user ? { kind: 'exact' as const, login: written.user.login } : null;
  if (!me) return { status, id: written.id, url: written.htmlUrl };
  let ours: ApiComment[];
  try {
    ours = (await api.listComments(repo, pullNumber)).filter((c) => hasMarker(c.body, gateKey) && writtenBy(c, me));
  } catch (error) {
    log.info(`could not re-read the comments to check for duplicates (${(error as Error).message})`);
    return { status, id: written.id, url: written.htmlUrl };
  }
  const kept = ours[0];
  if (!kept || ours.length === 1) return { status, id: kept?.id ?? written.id, url: kept?.htmlUrl ?? written.htmlUrl };

  for (const duplicate of ours.slice(1)) {
    try {
      await api.deleteComment(repo, duplicate.id);
    } catch (error) {
      // another run deleted it first (404), or we may not delete: either way not ours to worry about
      if (!(error instanceof GitHubApiError && error.status === 404)) {
        log.info(`could not delete duplicate comment ${duplicate.id} (${(error as Error).message})`);
      }
    }
  }
  log.info(`removed ${ours.length - 1} duplicate comment(s) left by concurrent runs; kept ${kept.id}`);

  if (kept.id === written.id) return { status, id: kept.id, url: kept.htmlUrl };
  const head = await pullHead();
  if (head !== null && head !== headSha) {
    return {
      status: 'skipped',
      reason: `a run for the newer head ${short(head)} owns the comment`,
      id: kept.id,
      url: kept.htmlUrl
    };
  }
  if (kept.body === body) return { status: 'unchanged', id: kept.id, url: kept.htmlUrl };
  try {
    const updated = await api.updateComment(repo, kept.id, body);
    return { status: 'updated', id: updated.id, url: updated.htmlUrl };
  } catch (error) {
    return writeFailure(error, 'update the comment', log);
  }
}
