/**
 * --reviews FILE: approval evidence for a local check, in the shape GitHub's API returns
 * (`gh api repos/OWNER/REPO/pulls/N/reviews`), optionally wrapped with the PR's author and head:
 *   { "pull_request": { "author": "alex", "head_sha": "…" }, "reviews": [ …API review objects… ] }
 */
import { readFile } from 'node:fs/promises';
import { SettingsError } from '../errors.js';
import type { ApprovalInput, Review, ReviewState } from '../model/input.js';

const STATES: readonly ReviewState[] = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'];

export async function readReviewsFile(path: string): Promise<ApprovalInput> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new SettingsError(`--reviews ${path}: not readable JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return approvalsFromJson(value, path);
}

export function approvalsFromJson(value: unknown, path: string): ApprovalInput {
  const wrapped = isObject(value) && Array.isArray(value.reviews);
  const list = wrapped ? (value as { reviews: unknown[] }).reviews : value;
  if (!Array.isArray(list)) {
    throw new SettingsError(`--reviews ${path}: expected a list of reviews or { "pull_request": …, "reviews": [ … ] }`);
  }
  const pr = wrapped && isObject((value as Record<string, unknown>).pull_request) ? ((value as Record<string, unknown>).pull_request as Record<string, unknown>) : {};
  const reviews = list.map((item, i) => toReview(item, `${path}: reviews[${i}]`));
  return {
    available: true,
    author: typeof pr.author === 'string' ? pr.author.toLowerCase() : null,
    head_sha: typeof pr.head_sha === 'string' ? pr.head_sha : null,
    reviews,
    teams: {}
  };
}

function toReview(item: unknown, where: string): Review {
  if (!isObject(item)) throw new SettingsError(`${where} must be an object`);
  const user = isObject(item.user) ? item.user.login : item.user;
  if (typeof user !== 'string' || user === '') throw new SettingsError(`${where}.user.login must be a non-empty string`);
  if (typeof item.id !== 'number' || !Number.isSafeInteger(item.id)) throw new SettingsError(`${where}.id must be an integer`);
  if (typeof item.state !== 'string' || !(STATES as readonly string[]).includes(item.state)) {
    throw new SettingsError(`${where}.state must be one of ${STATES.join(', ')}`);
  }
  return {
    id: item.id,
    user: user.toLowerCase(),
    state: item.state as ReviewState,
    commit_id: typeof item.commit_id === 'string' ? item.commit_id : null,
    submitted_at: typeof item.submitted_at === 'string' ? item.submitted_at : null
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function noPullRequest(reason: string): ApprovalInput {
  return { available: false, unavailable_reason: reason, author: null, head_sha: null, reviews: [], teams: {} };
}
