/**
 * --reviews FILE: approval evidence for a local check, in the shapes GitHub's API returns, so it can be saved
 * with the GitHub CLI:
 *   gh api --paginate --slurp repos/OWNER/REPO/pulls/N/reviews > reviews.json     (a list, or a list of pages)
 * or wrapped with the pull request (its author's reviews never count; approvals count on its head commit) and,
 * optionally, the members of the teams the roles name:
 *   { "pull_request": { "author": "alex", "head_sha": "…" }, "reviews": [ … ], "teams": { "acme/safety": [ … ] } }
 * `pull_request` may also be the API's own pull request object (`user.login`, `head.sha`).
 * The reviews are mapped exactly as the action maps them (src/github/reviews.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { formatIssueLocation, SettingsError } from '../errors.js';
import type { ApiReview } from '../github/api.js';
import { REVIEW_STATES, reviewsFromApi } from '../github/reviews.js';
import type { ApprovalInput } from '../model/input.js';
import type { RecordIssue } from '../model/issue.js';
import type { Locator } from '../model/location.js';
import { excerpt, parseDocument } from '../read/parse.js';
import { decodeUtf8, maskIssue, maskPointer, maskSecrets } from '../read/text.js';
import { setOwn } from '../model/own.js';

/** A pull request's reviews are a few kilobytes; anything near this is not a reviews file. */
const MAX_REVIEWS_BYTES = 16 * 1024 * 1024;

export const REVIEWS_FILE_HELP = `The --reviews file is what the GitHub API returns, e.g.
  gh api --paginate --slurp repos/OWNER/REPO/pulls/N/reviews > reviews.json
or { "pull_request": { "author": LOGIN, "head_sha": SHA }, "reviews": [ … ], "teams": { "org/team": [LOGIN, …] } }.
Approvals count on the commit judged (--head, or HEAD when the working tree has no uncommitted changes);
with --head-dir, on pull_request.head_sha (without it, approvals are pending).`;

/**
 * Reads and checks a --reviews file. `shown` is the path as the user wrote it (used in messages).
 * Every problem is a SettingsError located at file:line:column (JSON pointer).
 */
export async function readReviewsFile(path: string, shown: string): Promise<ApprovalInput> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new SettingsError(`--reviews ${shown}: not a regular file`);
    if (info.size > MAX_REVIEWS_BYTES) {
      throw new SettingsError(
        `--reviews ${shown}: ${info.size} bytes is too large for a reviews file (at most 16 MiB)`
      );
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof SettingsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SettingsError(`--reviews ${shown}: cannot read it (${code ?? (error as Error).message})`);
  }
  // decoded as records are: strict UTF-8, a byte order mark dropped (editors on Windows write one)
  const text = decodeUtf8(bytes, shown);
  if (!text.ok) throw new SettingsError(`${issueText(text.issues[0]!)}\n${REVIEWS_FILE_HELP}`);
  const parsed = parseDocument(text.text, shown, 'json');
  if (!parsed.ok) {
    const issue = parsed.issues[0]!;
    // `gh api --paginate` without --slurp writes the pages one after another: `[…][…]`
    const pages = issue.code === 'json.syntax' && issue.message.endsWith("after the JSON value but found '['");
    const hinted = pages
      ? { ...issue, hint: 'one list after another: gh api --paginate writes a list per page; add --slurp' }
      : issue;
    throw new SettingsError(`${issueText(hinted)}\n${REVIEWS_FILE_HELP}`);
  }
  return approvalsFromJson(parsed.value, shown, parsed.locate);
}

/** An issue as one line, repeating no secret the file holds (see maskIssue). */
function issueText(issue: RecordIssue): string {
  const masked = maskIssue(issue);
  return `${formatIssueLocation(masked)}: ${masked.message}${masked.hint ? ` (${masked.hint})` : ''}`;
}

type Json = Record<string, unknown>;
type Fail = (pointer: string, message: string) => never;

/** Checks one parsed --reviews document and maps it to the engine's ApprovalInput. */
export function approvalsFromJson(value: unknown, file: string, locate: Locator = () => undefined): ApprovalInput {
  const fail: Fail = (pointer, message) => {
    const pos = locate(pointer);
    const where = formatIssueLocation({ file, line: pos?.line, column: pos?.column, pointer: maskPointer(pointer) });
    throw new SettingsError(`${where}: ${message}\n${REVIEWS_FILE_HELP}`);
  };

  const wrapped = isObject(value);
  const listPointer = wrapped ? '/reviews' : '';
  const list = wrapped ? value.reviews : value;
  if (wrapped) {
    for (const key of Object.keys(value)) {
      if (!['pull_request', 'reviews', 'teams'].includes(key)) {
        fail(
          `/${escapePointer(key)}`,
          `unknown key '${excerpt(maskSecrets(key))}'; expected pull_request, reviews and teams`
        );
      }
    }
  }
  if (!Array.isArray(list)) return fail(listPointer, 'expected a list of reviews');

  const apiReviews: ApiReview[] = [];
  // `gh api --paginate --slurp` writes a list of pages
  const slurped = list.length > 0 && list.every(Array.isArray);
  const pages = slurped ? (list as unknown[][]) : [list];
  pages.forEach((page, p) => {
    page.forEach((item, i) => {
      apiReviews.push(apiReview(item, slurped ? `${listPointer}/${p}/${i}` : `${listPointer}/${i}`, fail));
    });
  });

  const rawPr = wrapped ? value.pull_request : undefined;
  if (rawPr !== undefined && !isObject(rawPr)) fail('/pull_request', 'pull_request must be an object');
  const pr = rawPr as Json | undefined;

  return {
    available: true,
    author: pr ? login(pr, '/pull_request', 'author', fail) : null,
    head_sha: pr ? commitSha(pr, fail) : null,
    reviews: reviewsFromApi(apiReviews),
    teams: wrapped && value.teams !== undefined ? teams(value.teams, fail) : {}
  };
}

function apiReview(item: unknown, at: string, fail: Fail): ApiReview {
  if (!isObject(item)) return fail(at, 'a review must be an object (as the GitHub API returns it)');
  if (typeof item.id !== 'number' || !Number.isSafeInteger(item.id) || item.id < 0) {
    fail(`${at}/id`, 'id must be a whole number (the review id GitHub gives)');
  }
  if (typeof item.state !== 'string' || !(REVIEW_STATES as readonly string[]).includes(item.state)) {
    fail(`${at}/state`, `state must be one of ${REVIEW_STATES.join(', ')}`);
  }
  // `user: null` is a deleted account ("ghost"): kept here, left out by the shared mapping
  let user: string | null = null;
  if (item.user !== null) {
    if (!isObject(item.user)) return fail(`${at}/user`, 'user must be an object with a login, or null');
    user = login(item.user, `${at}/user`, 'login', fail, true, false);
  }
  for (const key of ['commit_id', 'submitted_at'] as const) {
    if (item[key] !== undefined && item[key] !== null && typeof item[key] !== 'string') {
      fail(`${at}/${key}`, `${key} must be a string or null`);
    }
  }
  return {
    id: item.id as number,
    login: user,
    state: item.state as string,
    commitId: (item.commit_id as string | null | undefined) ?? null,
    submittedAt: (item.submitted_at as string | null | undefined) ?? null,
    bot: isObject(item.user) && (item.user.type === 'Bot' || (user ?? '').endsWith('[bot]'))
  };
}

/** A login from `obj[key]`, or (`nested`) from the API's `obj.user.login`; lower-cased. */
function login(obj: Json, at: string, key: string, fail: Fail, required = false, nested = true): string | null {
  const direct = obj[key];
  const value = direct ?? (nested && isObject(obj.user) ? obj.user.login : undefined);
  const pointer = direct !== undefined ? `${at}/${key}` : `${at}/user/login`;
  if (value === undefined || value === null) return required ? fail(`${at}/${key}`, `${key} is required`) : null;
  // GitHub logins, enterprise-managed ones (alice_acme) and apps (dependabot[bot])
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}(?:\[bot\])?$/.test(value)) {
    return fail(pointer, `${key} must be a GitHub login`);
  }
  return value.toLowerCase();
}

function commitSha(pr: Json, fail: Fail): string | null {
  const direct = pr.head_sha;
  const value = direct ?? (isObject(pr.head) ? pr.head.sha : undefined);
  const pointer = direct !== undefined ? '/pull_request/head_sha' : '/pull_request/head/sha';
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(value)) {
    return fail(pointer, 'the head commit must be a full commit SHA (40 or 64 lower-case hex digits)');
  }
  return value;
}

function teams(value: unknown, fail: Fail): Record<string, string[]> {
  if (!isObject(value)) return fail('/teams', 'teams must map "org/team-slug" to a list of logins');
  const out: Record<string, string[]> = {};
  for (const [team, members] of Object.entries(value)) {
    const at = `/teams/${escapePointer(team)}`;
    if (!/^[^/\s]+\/[^/\s]+$/.test(team)) fail(at, `'${excerpt(maskSecrets(team))}' is not "org/team-slug"`);
    if (!Array.isArray(members)) return fail(at, 'members must be a list of logins');
    const logins = members.map((m, i) =>
      typeof m === 'string' && m !== '' ? m.toLowerCase() : fail(`${at}/${i}`, 'a member must be a login')
    );
    const key = team.toLowerCase();
    // team slugs are matched without regard to case: two spellings of one team would otherwise drop one list
    if (Object.hasOwn(out, key))
      fail(at, `'${excerpt(maskSecrets(team))}' names a team listed already (in another case)`);
    setOwn(out, key, [...new Set(logins)].sort());
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
