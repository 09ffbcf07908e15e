/**
 * The run's GitHub context: the runner's environment (GITHUB_*) and the event payload (GITHUB_EVENT_PATH),
 * turned into what the gate compares — the base and head commits, the pull request (if any) — with the
 * `base-ref` / `head-ref` overrides applied. Pure reading: no git, no API.
 */
import { readFileSync } from 'node:fs';
import { SettingsError } from '../errors.js';
import { excerpt } from '../read/parse.js';
import { maskSecrets } from '../read/text.js';
import type { RepoRef } from './api.js';

export const SUPPORTED_EVENTS = [
  'pull_request',
  'pull_request_target',
  'merge_group',
  'push',
  'workflow_dispatch'
] as const;
export type SupportedEvent = (typeof SUPPORTED_EVENTS)[number];

/** The runner's variables the action reads (https://docs.github.com/actions/reference/variables-reference). */
export interface RunnerEnv {
  eventName: string;
  eventPath: string | null;
  repository: RepoRef | null;
  /** GITHUB_SHA: the commit the workflow runs on (for pull_request, the test merge commit) */
  sha: string | null;
  ref: string | null;
  workspace: string;
  serverUrl: string;
  apiUrl: string;
  runId: string | null;
  runAttempt: string | null;
}

export function readRunnerEnv(env: NodeJS.ProcessEnv): RunnerEnv {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const slash = repository.indexOf('/');
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH || null,
    repository: slash > 0 ? { owner: repository.slice(0, slash), repo: repository.slice(slash + 1) } : null,
    sha: env.GITHUB_SHA || null,
    ref: env.GITHUB_REF || null,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID || null,
    runAttempt: env.GITHUB_RUN_ATTEMPT || null
  };
}

/** Where a run is on GitHub, for links and the in-toto subject; nulls when the variables are not set. */
export interface RunLocation {
  repository: { serverUrl: string; owner: string; repo: string } | null;
  /** "https://github.com/acme/support-bot" */
  repositoryUrl: string | null;
  /** the workflow run (and its attempt, after the first) */
  runUrl: string | null;
}

export function runLocation(runner: Pick<RunnerEnv, 'repository' | 'serverUrl' | 'runId' | 'runAttempt'>): RunLocation {
  if (!runner.repository) return { repository: null, repositoryUrl: null, runUrl: null };
  const repositoryUrl = `${runner.serverUrl}/${runner.repository.owner}/${runner.repository.repo}`;
  const runUrl = runner.runId
    ? `${repositoryUrl}/actions/runs/${runner.runId}` +
      (runner.runAttempt && runner.runAttempt !== '1' ? `/attempts/${runner.runAttempt}` : '')
    : null;
  return { repository: { serverUrl: runner.serverUrl, ...runner.repository }, repositoryUrl, runUrl };
}

/** A commit to judge: a SHA when the payload names one, or a ref that git must resolve. */
export interface Revision {
  sha: string | null;
  ref: string | null;
  /** where it came from, for messages: "pull_request.base.sha", "input base-ref", … */
  origin: string;
}

export interface PullRequestInfo {
  number: number;
  /** login, lower-cased */
  author: string | null;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  /** "owner/repo" of the head branch; differs from the base repository for a fork */
  headRepository: string | null;
  fromFork: boolean;
}

export interface GateEvent {
  name: SupportedEvent;
  repository: RepoRef;
  /** the pull request whose reviews count and that gets the comment (pull_request, pull_request_target) */
  pullRequest: PullRequestInfo | null;
  /** the pull request a merge-queue group was built for (its reviews count; no comment) */
  queuedPullNumber: number | null;
  base: Revision | null;
  head: Revision;
  /**
   * Commits actions/checkout leaves in the workspace for this event by default. When the working tree's HEAD is
   * one of them (and `head-ref` is not set) the working tree is read as the head; otherwise the head commit is read
   * from git objects (pull_request_target checks out the base branch: its working tree is never the head).
   */
  workingTreeCommits: string[];
  defaultBranch: string | null;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO_SHA = /^0+$/;

/** A git revision given as an input: a ref name or SHA, nothing git could read as an option or range. */
export function checkRevisionInput(name: string, value: string): string {
  const ok =
    value.length <= 255 &&
    /^[A-Za-z0-9._/@-]+$/.test(value) &&
    !value.startsWith('-') &&
    !value.includes('..') &&
    !value.includes('//') &&
    !value.endsWith('/') &&
    !value.endsWith('.lock');
  if (!ok) {
    throw new SettingsError(
      `input ${name}: "${excerpt(maskSecrets(value), 80)}" is not a git ref or commit SHA (letters, digits and . _ / @ - only; no "..", no leading "-")`
    );
  }
  return value;
}

function revisionFromInput(name: string, value: string): Revision {
  const checked = checkRevisionInput(name, value);
  return SHA.test(checked)
    ? { sha: checked, ref: null, origin: `input ${name}` }
    : { sha: null, ref: checked, origin: `input ${name}` };
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function sha(value: unknown, where: string): string {
  const s = str(value);
  if (s === null || !SHA.test(s)) throw new SettingsError(`the ${where} in the event payload is not a commit SHA`);
  return s;
}

function readPayload(path: string | null): Json {
  if (path === null)
    throw new SettingsError('GITHUB_EVENT_PATH is not set: run the gate as a step of a GitHub Actions workflow');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SettingsError(
      `cannot read the event payload at GITHUB_EVENT_PATH (${(error as NodeJS.ErrnoException).code ?? 'error'})`
    );
  }
  try {
    const payload = obj(JSON.parse(text));
    if (payload) return payload;
  } catch {
    // reported below
  }
  throw new SettingsError('the event payload at GITHUB_EVENT_PATH is not a JSON object');
}

function isSupported(name: string): name is SupportedEvent {
  return (SUPPORTED_EVENTS as readonly string[]).includes(name);
}

function pullRequestOf(payload: Json, repository: RepoRef): PullRequestInfo {
  const pr = obj(payload.pull_request);
  if (!pr) throw new SettingsError('the event payload has no pull_request object');
  const head = obj(pr.head) ?? {};
  const base = obj(pr.base) ?? {};
  const number = typeof pr.number === 'number' ? pr.number : typeof payload.number === 'number' ? payload.number : NaN;
  if (!Number.isSafeInteger(number) || number <= 0)
    throw new SettingsError('the event payload has no pull request number');
  const headRepository = str(obj(head.repo)?.full_name);
  return {
    number,
    author: str(obj(pr.user)?.login)?.toLowerCase() ?? null,
    headSha: sha(head.sha, 'pull_request.head.sha'),
    headRef: str(head.ref) ?? '',
    baseSha: sha(base.sha, 'pull_request.base.sha'),
    baseRef: str(base.ref) ?? '',
    headRepository,
    fromFork:
      headRepository !== null && headRepository.toLowerCase() !== `${repository.owner}/${repository.repo}`.toLowerCase()
  };
}

/** "refs/heads/gh-readonly-queue/main/pr-104-929f82…" → 104 */
export function queuedPullNumber(headRef: string | null): number | null {
  const match = headRef ? /\/pr-(\d+)-[0-9a-f]+$/.exec(headRef) : null;
  return match ? Number(match[1]) : null;
}

export interface RefOverrides {
  baseRef: string | null;
  headRef: string | null;
}

/** Reads the payload and works out what to compare. Throws SettingsError for an unsupported event or a broken payload. */
export function readEvent(runner: RunnerEnv, overrides: RefOverrides): GateEvent {
  const name = runner.eventName;
  if (!isSupported(name)) {
    throw new SettingsError(
      `agent-release-gate does not run on the "${name || '(unset)'}" event; supported events: ${SUPPORTED_EVENTS.join(', ')}`
    );
  }
  if (!runner.repository) throw new SettingsError('GITHUB_REPOSITORY is not set (expected "owner/repo")');
  const repository = runner.repository;
  const payload = readPayload(runner.eventPath);
  const defaultBranch = str(obj(payload.repository)?.default_branch);

  let pullRequest: PullRequestInfo | null = null;
  let queued: number | null = null;
  let base: Revision | null;
  let head: Revision;
  let workingTreeCommits: string[];

  switch (name) {
    case 'pull_request':
    case 'pull_request_target': {
      pullRequest = pullRequestOf(payload, repository);
      base = { sha: pullRequest.baseSha, ref: null, origin: 'pull_request.base.sha' };
      head = { sha: pullRequest.headSha, ref: null, origin: 'pull_request.head.sha' };
      // pull_request checks out the test merge commit (GITHUB_SHA); pull_request_target checks out the base branch
      workingTreeCommits =
        name === 'pull_request' ? [pullRequest.headSha, ...(runner.sha ? [runner.sha] : [])] : [pullRequest.headSha];
      break;
    }
    case 'merge_group': {
      const group = obj(payload.merge_group);
      if (!group) throw new SettingsError('the event payload has no merge_group object');
      base = { sha: sha(group.base_sha, 'merge_group.base_sha'), ref: null, origin: 'merge_group.base_sha' };
      head = { sha: sha(group.head_sha, 'merge_group.head_sha'), ref: null, origin: 'merge_group.head_sha' };
      queued = queuedPullNumber(str(group.head_ref));
      workingTreeCommits = [head.sha!];
      break;
    }
    case 'push': {
      const after = str(payload.after);
      head =
        after && SHA.test(after) && !ZERO_SHA.test(after)
          ? { sha: after, ref: null, origin: 'push after' }
          : { sha: runner.sha, ref: runner.sha ? null : 'HEAD', origin: 'GITHUB_SHA' };
      const before = str(payload.before);
      // a new branch has no "before": compare with the default branch (when it is not the pushed branch)
      base =
        before && SHA.test(before) && !ZERO_SHA.test(before)
          ? { sha: before, ref: null, origin: 'push before' }
          : defaultBranchBase(defaultBranch, str(payload.ref));
      workingTreeCommits = head.sha ? [head.sha] : [];
      break;
    }
    case 'workflow_dispatch': {
      head = { sha: runner.sha, ref: runner.sha ? null : 'HEAD', origin: 'GITHUB_SHA' };
      base = defaultBranchBase(defaultBranch, str(payload.ref) ?? runner.ref);
      workingTreeCommits = runner.sha ? [runner.sha] : [];
      break;
    }
  }

  if (overrides.headRef) {
    head = revisionFromInput('head-ref', overrides.headRef);
    workingTreeCommits = head.sha ? [head.sha] : [];
  }
  if (overrides.baseRef) base = revisionFromInput('base-ref', overrides.baseRef);

  return { name, repository, pullRequest, queuedPullNumber: queued, base, head, workingTreeCommits, defaultBranch };
}

function defaultBranchBase(defaultBranch: string | null, ref: string | null): Revision | null {
  if (!defaultBranch || ref === `refs/heads/${defaultBranch}`) return null;
  return { sha: null, ref: `refs/remotes/origin/${defaultBranch}`, origin: `the default branch (${defaultBranch})` };
}
