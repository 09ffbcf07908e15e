/**
 * The action's wiring: settings → event → head and base trees → changed files → approvals → runGate →
 * decision file, outputs, annotations, comment, SARIF → exit status (the job summary is written last, in a
 * finally). Every path writes the decision file, and no path ends in success unless the gate passed:
 *   exit 0 pass · 1 blocking findings · 2 invalid records, configuration or inputs · 3 the gate itself failed.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { InternalError, SettingsError, internalErrorMessage } from './errors.js';
import { ALL_RULES } from './gate/catalog.js';
import type { GitHubApi } from './github/api.js';
import { OctokitGitHubApi, type ApiLog } from './github/client.js';
import { upsertStickyComment, type CommentResult } from './github/comments.js';
import { ContentsApiSource } from './github/contents.js';
import { readEvent, readRunnerEnv, runLocation, type GateEvent, type RunnerEnv } from './github/event.js';
import { changedFilesFromApi } from './github/files.js';
import { readApprovals, unavailableApprovals } from './github/reviews.js';
import type { DecisionDocument } from './model/decision.js';
import type { ApprovalInput, ChangedFile } from './model/input.js';
import type { RecordIssue } from './model/issue.js';
import { internalErrorRun, runGate, type GateRun } from './pipeline.js';
import { WorkingTreeSource } from './read/fs-source.js';
import { GitError, GitTreeSource, changedFiles, fetchCommit, hasCommit, mergeBase, revParse } from './read/git.js';
import { readConfigFile } from './read/load.js';
import { SourceError, type FileSource } from './read/source.js';
import {
  commentMarker,
  renderComment,
  renderSarif,
  renderSummary,
  safeLogLine,
  type RenderContext
} from './render/index.js';
import { invalidInputDecision, serialiseStatement, toStatement } from './decision/document.js';
import { DEFAULT_CONFIG, INPUT_DEFAULTS, LIMITS, type CommentMode } from './settings/defaults.js';
import { readDecisionFile, readSettings, type InputReader, type Settings } from './settings/inputs.js';
import { VERSION } from './version.js';

export const EXIT = { pass: 0, blocking: 1, invalid: 2, internal: 3 } as const;

/** The error code of a wrong action input or event (not a file: no annotation location). */
const SETTINGS_ISSUE = 'action.settings';

/** What the action touches outside itself; tests replace parts of it. */
export interface ActionDeps {
  env: NodeJS.ProcessEnv;
  getInput: InputReader;
  createApi: (token: string, runner: RunnerEnv, log: ApiLog) => GitHubApi;
}

const defaultDeps = (): ActionDeps => ({
  env: process.env,
  getInput: (name) => core.getInput(name),
  createApi: (token, runner, log) =>
    new OctokitGitHubApi({
      token,
      baseUrl: runner.apiUrl,
      log,
      timeoutMs: positiveInt(process.env.AGENT_GATE_API_TIMEOUT_MS)
    })
});

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Warning annotations shown so far in this run (GitHub displays 10 per step): findings leave room for these. */
let warningsShown = 0;

/** Log lines: record text can never start a workflow command. */
const log: ApiLog = {
  info: (m) => core.info(safeLogLine(m)),
  warning: (m) => {
    warningsShown++;
    core.warning(safeLogLine(m));
  },
  debug: (m) => core.debug(safeLogLine(m))
};

/** Filled in as the run learns it: commits, the PR head the comment reports, and the gate key. */
interface Known {
  base: string | null;
  head: string | null;
  reportedHead: string | null;
  gateKey: string;
}

interface Judged {
  run: GateRun;
  /** the pull request head the comment reports (for pull_request: not the test merge commit) */
  reportedHead: string | null;
  /** the gate key from the configuration, also when the configuration is invalid */
  gateKey: string;
}

export async function run(overrides: Partial<ActionDeps> = {}): Promise<void> {
  const deps = { ...defaultDeps(), ...overrides };
  const runner = readRunnerEnv(deps.env);
  let settings: Settings | null = null;
  let event: GateEvent | null = null;
  let api: GitHubApi | null = null;
  // what is known so far, so a failure midway still reports the right commits and gate key
  const known: Known = { base: null, head: null, reportedHead: null, gateKey: DEFAULT_CONFIG.key };
  let judged: Judged;
  let summaryText: string | null = null;

  warningsShown = 0;
  const roots = { tempDir: deps.env.RUNNER_TEMP || null };
  let commentMode: CommentMode | 'update-only' | null = null;

  try {
    try {
      settings = readSettings(deps.getInput, runner.workspace, roots);
      if (settings.token) core.setSecret(settings.token);
      commentMode = settings.comment;
      event = readEvent(runner, { baseRef: settings.baseRef, headRef: settings.headRef });
      api = settings.token ? deps.createApi(settings.token, runner, log) : null;
      judged = await judge(settings, event, api, runner, known);
    } catch (error) {
      if (!settings) ({ event, api, commentMode } = await reachPullRequest(deps, runner, known));
      judged = failedRun(error, known, runner);
    }

    // the local files first: a file that cannot be written fails the run before anything says allow
    const decisionFile = settings?.decisionFile ?? readDecisionFile(deps.getInput, runner.workspace, roots);
    let ctx = renderContext(runner, event, judged);
    const unwritten = await writeLocalFiles(decisionFile, settings?.sarifFile ?? null, judged.run, ctx);
    if (unwritten) {
      judged = failedRun(unwritten.error, known, runner);
      ctx = renderContext(runner, event, judged);
      if (unwritten.input !== 'decision-file')
        await writeLocalFiles(decisionFile, null, judged.run, ctx).catch(() => undefined);
    }
    const { run: gate } = judged;
    const decision = gate.decision;
    summaryText = renderSummary(decision, ctx);

    const failOn = settings?.failOn ?? INPUT_DEFAULTS.failOn;
    const blocking = decision.findings.filter(
      (f) => f.severity === 'deny' || (failOn === 'follow_up' && f.severity === 'follow_up')
    );
    core.setOutput('decision', decision.decision);
    core.setOutput('outcome', decision.outcome);
    core.setOutput('findings', String(decision.counts.findings));
    core.setOutput('blocking', String(blocking.length));
    core.setOutput('decision-file', unwritten?.input === 'decision-file' ? '' : decisionFile);
    core.setOutput('digest', gate.digest);

    const mayComment = commentMode !== null && commentMode !== 'never' && api !== null && event?.pullRequest != null;
    annotate(decision, settings, runner, blocking.length, mayComment);

    const comment = await postComment(commentMode, event, api, judged, ctx);
    core.setOutput('comment-id', comment && 'id' in comment && comment.id !== null ? String(comment.id) : '');
    core.setOutput('comment-url', comment && 'url' in comment && comment.url !== null ? comment.url : '');

    // inputs too broken to reach the pull request: an earlier comment cannot be corrected, so say so
    const stale =
      !settings &&
      runner.eventName.startsWith('pull_request') &&
      deps.getInput('comment').trim() !== 'never' &&
      (!comment || comment.status === 'failed')
        ? ' (an earlier comment of the gate on the pull request, if any, was not updated and may be stale)'
        : '';
    conclude(decision, settings, blocking.length, stale);
  } catch (error) {
    // a failure while telling the result (a rejected token): never a pass
    if (error instanceof SettingsError) fail(EXIT.invalid, error.message);
    else {
      core.debug(safeLogLine(error instanceof Error && error.stack ? error.stack : String(error)));
      fail(EXIT.internal, `agent-release-gate failed: ${internalErrorMessage(error)}`);
    }
  } finally {
    await writeSummary(summaryText);
  }
}

/**
 * With invalid inputs the run still tries to reach the pull request — token, repository and pull request from
 * the event — to correct an earlier comment of the gate (update only), so no stale ✅ stays while the check fails.
 * The gate key (which comment) is read, best effort, from the configuration in the working tree.
 */
async function reachPullRequest(
  deps: ActionDeps,
  runner: RunnerEnv,
  known: Known
): Promise<{ event: GateEvent | null; api: GitHubApi | null; commentMode: 'update-only' | null }> {
  const none = { event: null, api: null, commentMode: null };
  try {
    const token = deps.getInput('github-token').trim();
    if (!token || /[\s\u0000-\u001F\u007F]/.test(token) || deps.getInput('comment').trim() === 'never') return none;
    core.setSecret(token);
    const event = readEvent(runner, { baseRef: null, headRef: null });
    if (!event.pullRequest) return none;
    const configPath = deps.getInput('config').trim() || INPUT_DEFAULTS.config;
    const raw = await rawConfig(new WorkingTreeSource(runner.workspace, 'head'), configPath).catch(() => null);
    if (raw && typeof raw.key === 'string' && raw.key !== '') known.gateKey = raw.key;
    return { event, api: deps.createApi(token, runner, log), commentMode: 'update-only' };
  } catch {
    return none;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: which trees, which changes, which approvals

async function judge(
  settings: Settings,
  event: GateEvent,
  api: GitHubApi | null,
  runner: RunnerEnv,
  known: Known
): Promise<Judged> {
  await checkWorkingDirectory(settings.workingDirectory, runner.workspace);
  const head = await headSide(settings, event, api);
  known.head = head.commit;
  known.reportedHead = event.pullRequest?.headSha ?? head.commit;
  const base = await baseSide(settings, event, api);
  known.base = base?.commit ?? null;

  const trusted = settings.trustConfigFrom === 'base' && base ? base.source : head.source;
  const raw = await rawConfig(trusted, settings.configPath);
  if (raw === null) await checkConfigPresent(settings, trusted, head.source);
  const rawKey = raw && typeof raw.key === 'string' && raw.key !== '' ? raw.key : null;
  if (rawKey) known.gateKey = rawKey;
  const changed = await changedFilesFor(settings, event, api, head, base);
  const approvals = await approvalsFor(event, api, teamsOf(raw), reviewedHead(settings, event, head));

  log.info(`judging ${head.source.description} against ${base ? base.source.description : 'no base'}`);
  const run = await runGate({
    head: head.source,
    base: base?.source ?? null,
    headCommit: head.commit,
    baseCommit: base?.commit ?? null,
    configPath: settings.configPath,
    trustConfigFrom: settings.trustConfigFrom,
    changedFiles: changed,
    approvals,
    subjectName: subjectName(runner),
    onProgress: (m) => log.info(m)
  });
  closeSource(head.source);
  if (base) closeSource(base.source);
  return {
    run,
    reportedHead: known.reportedHead,
    gateKey: run.decision.outcome === 'evaluated' ? run.decision.gate_key : known.gateKey
  };
}

interface Side {
  source: FileSource;
  commit: string | null;
}

/** git answers, or null when git cannot (no repository, git missing): callers fall back. */
async function tryGit<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    log.debug(`${what}: ${error.message}`);
    return null;
  }
}

async function resolveRevision(dir: string, rev: { sha: string | null; ref: string | null }): Promise<string | null> {
  if (rev.sha) return rev.sha;
  return rev.ref ? tryGit(`resolve ${rev.ref}`, () => revParse(dir, rev.ref!)) : null;
}

/** Makes sure git has the commit (fetching it without history when actions/checkout did not). */
async function ensureCommit(dir: string, sha: string): Promise<boolean> {
  if (await tryGit('look up commit', () => hasCommit(dir, sha))) return true;
  log.info(`fetching commit ${sha.slice(0, 12)} (depth 1)`);
  await tryGit('fetch commit', () => fetchCommit(dir, sha));
  return (await tryGit('look up commit', () => hasCommit(dir, sha))) === true;
}

async function headSide(settings: Settings, event: GateEvent, api: GitHubApi | null): Promise<Side> {
  const dir = settings.workingDirectory;
  const checkedOut = await tryGit('read HEAD', () => revParse(dir, 'HEAD'));
  if (!settings.headRef && checkedOut && event.workingTreeCommits.includes(checkedOut)) {
    return { source: new WorkingTreeSource(dir, 'head'), commit: checkedOut };
  }
  if (!settings.headRef && checkedOut === null && event.name !== 'pull_request_target') {
    // no git repository at all (a downloaded tree): the working tree is all there is
    log.info(`${dir} is not a git checkout: reading the working tree as the head`);
    return { source: new WorkingTreeSource(dir, 'head'), commit: event.head.sha };
  }
  // the head is not what is checked out (pull_request_target, head-ref): read it from git objects, as data
  const commit = await resolveRevision(dir, event.head);
  if (commit === null) {
    throw new SettingsError(
      `cannot resolve the head revision ${event.head.ref ?? ''} (${event.head.origin}) in ${dir}`
    );
  }
  if (await ensureCommit(dir, commit)) return { source: new GitTreeSource(dir, commit, 'head'), commit };
  if (api && /^[0-9a-f]{40,64}$/.test(commit)) {
    log.info(`reading the head commit ${commit.slice(0, 12)} through the GitHub API`);
    const source = new ContentsApiSource(api, event.repository, commit, 'head');
    if (settings.headRef) await probeHeadRef(source, settings.headRef, commit);
    return { source, commit };
  }
  throw new SettingsError(
    `${settings.headRef ? `input head-ref: "${settings.headRef}": ` : ''}the head commit ${commit.slice(0, 12)} is not in the checkout and could not be fetched`
  );
}

/** A head-ref commit that git lacks must exist for the API too: an unknown SHA is the input's fault, not the gate's. */
async function probeHeadRef(source: FileSource, input: string, commit: string): Promise<void> {
  try {
    await source.stat('.');
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    throw new SettingsError(
      `input head-ref: "${input}" does not name a commit in the checkout, it could not be fetched, and the GitHub API cannot read ${commit.slice(0, 12)} either; ` +
        'push the commit or fetch it first (actions/checkout with fetch-depth: 0)'
    );
  }
}

/** working-directory must exist: otherwise every later message would blame git or the token. */
async function checkWorkingDirectory(dir: string, workspace: string): Promise<void> {
  const found = await stat(dir).catch(() => null);
  if (found?.isDirectory()) return;
  const shown = relative(resolve(workspace), dir).split(sep).join('/') || '.';
  throw new SettingsError(
    `input working-directory: "${safeLogLine(shown)}" ${found ? 'is not a directory' : 'does not exist'} in the workspace (${workspace}); check out the repository there first`
  );
}

/**
 * The trusted configuration is absent: a `config` input naming a file that exists on neither side is an error;
 * otherwise the built-in defaults apply, said as a warning.
 */
async function checkConfigPresent(settings: Settings, trusted: FileSource, head: FileSource): Promise<void> {
  if ((await readConfigFile(trusted, settings.configPath)).status !== 'absent') return;
  const inHead = trusted === head ? false : (await head.stat(settings.configPath).catch(() => null)) !== null;
  if (settings.configExplicit && !inHead) {
    throw new SettingsError(
      `input config: "${settings.configPath}" does not exist in the ${trusted.side === 'base' ? 'base or head commit' : 'head commit'}; fix the path or add the file`
    );
  }
  log.warning(
    `no configuration file at ${settings.configPath} in the ${trusted.side}` +
      (inHead ? ' (the pull request adds it; it judges once merged)' : '') +
      `: the built-in defaults apply`
  );
}

async function baseSide(settings: Settings, event: GateEvent, api: GitHubApi | null): Promise<Side | null> {
  const dir = settings.workingDirectory;
  if (!event.base) {
    log.info(`no base to compare with (${event.name}); set base-ref to compare with a branch or commit`);
    return null;
  }
  const commit = await resolveRevision(dir, event.base);
  if (commit === null) {
    if (settings.baseRef) {
      throw new SettingsError(
        `input base-ref: "${settings.baseRef}" does not name a commit in the checkout; fetch it first (actions/checkout with fetch-depth: 0)`
      );
    }
    log.info(`${event.base.origin} is not in the checkout: judging without a base (fetch it to compare)`);
    return null;
  }
  if (await ensureCommit(dir, commit)) return { source: new GitTreeSource(dir, commit, 'base'), commit };
  if (api) {
    log.info(`reading the base commit ${commit.slice(0, 12)} through the GitHub API`);
    return { source: new ContentsApiSource(api, event.repository, commit, 'base'), commit };
  }
  throw new SettingsError(
    `the base commit ${commit.slice(0, 12)} (${event.base.origin}) is not in the checkout, could not be fetched, and there is no ` +
      'github-token to read it through the API; the gate will not judge without the base configuration'
  );
}

function closeSource(source: FileSource): void {
  if (source instanceof GitTreeSource) source.close();
}

async function changedFilesFor(
  settings: Settings,
  event: GateEvent,
  api: GitHubApi | null,
  head: Side,
  base: Side | null
): Promise<ChangedFile[] | null> {
  const dir = settings.workingDirectory;
  const pullNumber = event.pullRequest?.number ?? null;
  if (base?.commit && head.commit) {
    // base..head is the change itself for a push, a merge group and pull_request's test merge commit;
    // a pull request head needs the merge base (base...head), which a shallow checkout may lack
    const direct = event.name === 'push' || event.name === 'merge_group' || head.commit !== event.pullRequest?.headSha;
    if (direct || (await tryGit('merge base', () => mergeBase(dir, base.commit!, head.commit!)))) {
      const files = await tryGit('diff', () => changedFiles(dir, base.commit!, head.commit!, { direct }));
      if (files) return files;
    }
  }
  if (api && pullNumber !== null) {
    log.info('git cannot compute the changed files here; asking the pull-request files API');
    try {
      return await changedFilesFromApi(api, event.repository, pullNumber, log);
    } catch (error) {
      log.warning(
        `could not list the pull request's files (${(error as Error).message}): the changed files are unknown`
      );
      return null;
    }
  }
  if (base) log.warning('the changed files are unknown (no merge base in the checkout and no pull request to ask)');
  return null;
}

/**
 * The commit approvals must be on: the pull request's head — unless the head-ref input makes the gate judge another
 * commit than that head, whose content no review of the pull request approved.
 */
function reviewedHead(settings: Settings, event: GateEvent, head: Side): string | null {
  const prHead = event.pullRequest?.headSha ?? null;
  if (!settings.headRef || prHead === null || head.commit === null || head.commit === prHead) return prHead;
  log.warning(
    `input head-ref: the gate judges ${head.commit.slice(0, 12)}, not the pull request's head ${prHead.slice(0, 12)}: ` +
      'approvals count on the commit judged, so those of the pull request do not vouch for it'
  );
  return head.commit;
}

async function approvalsFor(
  event: GateEvent,
  api: GitHubApi | null,
  teams: string[],
  headSha: string | null
): Promise<ApprovalInput> {
  const pullNumber = event.pullRequest?.number ?? event.queuedPullNumber;
  if (pullNumber === null)
    return unavailableApprovals(`a ${event.name} event has no pull request to read reviews from`);
  if (!api) {
    // an empty token (say, from a secret that is not set) must not pass unnoticed where reviews exist to read
    log.warning(
      `github-token is empty: the reviews of pull request #${pullNumber} are not read, so every required role counts as missing (follow_up); with fail-on: deny they do not fail the check`
    );
    return unavailableApprovals('no github-token was given to read the pull request reviews');
  }
  return readApprovals({
    api,
    repo: event.repository,
    pullNumber,
    author: event.pullRequest?.author ?? null,
    headSha,
    teams,
    log
  });
}

type RawConfig = Record<string, unknown> | null;

/** The trusted configuration as written (no validation: runGate reports problems); used for its roles' teams and key. */
async function rawConfig(source: FileSource, path: string): Promise<RawConfig> {
  const read = await readConfigFile(source, path);
  if (read.status !== 'ok' || read.value === null || typeof read.value !== 'object' || Array.isArray(read.value))
    return null;
  return read.value as Record<string, unknown>;
}

function teamsOf(raw: RawConfig): string[] {
  const roles = raw?.roles;
  if (!roles || typeof roles !== 'object') return [];
  const teams = new Set<string>();
  for (const role of Object.values(roles as Record<string, unknown>)) {
    const list = role && typeof role === 'object' ? (role as { teams?: unknown }).teams : undefined;
    if (Array.isArray(list))
      for (const t of list) if (typeof t === 'string' && /^[^/\s]+\/[^/\s]+$/.test(t)) teams.add(t.toLowerCase());
  }
  return [...teams].sort();
}

function subjectName(runner: RunnerEnv): string {
  return runLocation(runner).repositoryUrl ?? 'head';
}

/** The decision when nothing could be judged: the inputs were wrong (invalid_input) or the gate failed (internal_error). */
function failedRun(error: unknown, known: Known, runner: RunnerEnv): Judged {
  const commits = { base: known.base, head: known.head };
  if (error instanceof SettingsError) {
    const issue: RecordIssue = {
      code: SETTINGS_ISSUE,
      message: error.message,
      file: 'workflow (action inputs and event)'
    };
    const ctx = {
      toolVersion: VERSION,
      gateKey: known.gateKey,
      commits,
      config: { side: 'default' as const, file: null, sha256: null },
      inputs: []
    };
    const decision = invalidInputDecision(ctx, [issue]);
    const statement = toStatement(decision, subjectName(runner));
    const { canonical, digest } = serialiseStatement(statement);
    return {
      run: { decision, statement, canonical, digest, config: DEFAULT_CONFIG },
      reportedHead: known.reportedHead ?? commits.head,
      gateKey: known.gateKey
    };
  }
  core.debug(error instanceof Error && error.stack ? error.stack : String(error));
  const run = internalErrorRun(error, {
    headCommit: commits.head,
    baseCommit: commits.base,
    gateKey: known.gateKey,
    subjectName: subjectName(runner)
  });
  return { run, reportedHead: known.reportedHead ?? commits.head, gateKey: known.gateKey };
}

// ---------------------------------------------------------------------------------------------------------------
// Telling: files, annotations, comment, exit

function renderContext(runner: RunnerEnv, event: GateEvent | null, judged: Judged): RenderContext {
  const { repository, runUrl } = runLocation(runner);
  return {
    repository,
    headSha: event?.pullRequest?.headSha ?? judged.reportedHead,
    runUrl,
    decisionDigest: judged.run.digest,
    marker: commentMarker(judged.gateKey),
    fullReportHint: null
  };
}

/** Which output file could not be written, and why (the error names the input). */
interface Unwritten {
  input: 'decision-file' | 'sarif-file';
  error: Error;
}

/** The decision file, then the SARIF file; the first that cannot be written is returned, not thrown. */
async function writeLocalFiles(
  decisionFile: string,
  sarifFile: string | null,
  gate: GateRun,
  ctx: RenderContext
): Promise<Unwritten | null> {
  const files: [Unwritten['input'], string | null, () => string][] = [
    ['decision-file', decisionFile, () => gate.canonical],
    [
      'sarif-file',
      sarifFile,
      () => JSON.stringify(renderSarif(gate.decision, { ...ctx, rules: [...ALL_RULES] }), null, 2) + '\n'
    ]
  ];
  for (const [input, path, content] of files) {
    if (path === null) continue;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content(), 'utf8');
      log.info(`${input === 'decision-file' ? 'decision' : 'SARIF'} file: ${path}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      const message = `input ${input}: cannot write ${path} (${(error as Error).message})`;
      // a path the workflow chose that cannot hold a file is its setting's fault; a full disk is not
      const settingsFault = ['EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ENOENT', 'EIO', 'EINVAL'];
      return { input, error: settingsFault.includes(code) ? new SettingsError(message) : new InternalError(message) };
    }
  }
  return null;
}

async function writeSummary(text: string | null): Promise<void> {
  if (text === null || !process.env.GITHUB_STEP_SUMMARY) return;
  try {
    let body = text;
    if (Buffer.byteLength(body, 'utf8') > LIMITS.summaryBytes) {
      body = Buffer.from(body, 'utf8')
        .subarray(0, LIMITS.summaryBytes - 200)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
      body += '\n\n… (shortened to GitHub’s 1 MiB job summary limit; the decision file has everything)\n';
    }
    await core.summary.addRaw(body).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${(error as Error).message}`);
  }
}

interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * At most 10 errors and 10 warnings (what GitHub displays per step), most important first, on the record's file
 * and line — leaving room for the run's own lines: the final error (or warn-only warning) that sums the run up,
 * a comment warning, and the warnings already shown.
 */
export function annotate(
  decision: DecisionDocument,
  settings: Settings | null,
  runner: RunnerEnv,
  blocking: number,
  mayComment: boolean
): void {
  const failOn = settings?.failOn ?? INPUT_DEFAULTS.failOn;
  const warnOnly = settings?.warnOnly ?? false;
  const fails = decision.outcome !== 'evaluated' || (blocking > 0 && !warnOnly);
  const room = {
    error: LIMITS.annotationsPerLevel - (fails ? 1 : 0),
    warning: LIMITS.annotationsPerLevel - warningsShown - (mayComment ? 1 : 0) - (blocking > 0 && warnOnly ? 1 : 0)
  };
  // annotation paths are relative to the workspace; records are relative to working-directory
  const prefix = settings ? relative(resolve(runner.workspace), settings.workingDirectory).split(sep).join('/') : '';
  const fileOf = (file: string | undefined, side: string | undefined): string | undefined =>
    file && side !== 'base' ? (prefix ? `${prefix}/${file}` : file) : undefined;

  const all: Annotation[] = [
    ...decision.errors.map((e) => ({
      level: 'error' as const,
      title: `agent-release-gate: ${e.code}`,
      message:
        e.message +
        (e.hint ? ` (${e.hint})` : '') +
        (e.side === 'base' ? ` [base: ${e.file}${e.line ? `:${e.line}` : ''}]` : ''),
      file: e.code === SETTINGS_ISSUE ? undefined : fileOf(e.file, e.side),
      line: e.line,
      column: e.column
    })),
    ...decision.findings.map((f) => {
      const blocks = f.severity === 'deny' || (f.severity === 'follow_up' && failOn === 'follow_up');
      const loc = f.location;
      return {
        level: blocks && !warnOnly ? ('error' as const) : ('warning' as const),
        title: `${f.rule} (${f.severity}): ${f.title}`,
        message:
          `${f.message} — fix: ${f.fix}` +
          (loc?.side === 'base' ? ` [base: ${loc.file}${loc.line ? `:${loc.line}` : ''}]` : ''),
        file: fileOf(loc?.file, loc?.side),
        line: loc?.line,
        column: loc?.column
      };
    })
  ];
  if (decision.outcome === 'internal_error' && decision.failure) {
    all.unshift({ level: 'error', title: 'agent-release-gate: internal error', message: decision.failure });
  }
  for (const level of ['error', 'warning'] as const) {
    const list = all.filter((a) => a.level === level);
    const shown = Math.max(0, room[level]);
    for (const a of list.slice(0, shown)) {
      const properties = {
        title: safeLogLine(a.title).slice(0, 200),
        ...(a.file ? { file: a.file, startLine: a.line, startColumn: a.line ? a.column : undefined } : {})
      };
      (level === 'error' ? core.error : core.warning)(safeLogLine(a.message).slice(0, 4000), properties);
    }
    if (list.length > shown) {
      core.info(`${list.length - shown} more ${level}s are in the job summary and the decision file`);
    }
  }
}

/** `update-only` (the inputs are invalid) corrects an earlier comment and never creates one. */
async function postComment(
  mode: CommentMode | 'update-only' | null,
  event: GateEvent | null,
  api: GitHubApi | null,
  judged: Judged,
  ctx: RenderContext
): Promise<CommentResult | null> {
  const pr = event?.pullRequest;
  if (!mode || !pr || mode === 'never') return null;
  if (!api) {
    log.info('no github-token: the pull request comment is skipped');
    return null;
  }
  const decision = judged.run.decision;
  const result = await upsertStickyComment({
    api,
    repo: event.repository,
    pullNumber: pr.number,
    gateKey: judged.gateKey,
    headSha: pr.headSha,
    body: renderComment(decision, ctx),
    mayCreate: mode === 'always' || (mode === 'on-failure' && decision.decision !== 'allow'),
    log
  });
  if (result.status !== 'failed')
    log.info(`comment: ${result.status}${'url' in result && result.url ? ` ${result.url}` : ''}`);
  return result;
}

function fail(code: number, message: string): void {
  core.setFailed(safeLogLine(message));
  process.exitCode = code;
}

function conclude(decision: DecisionDocument, settings: Settings | null, blocking: number, note = ''): void {
  const counts = decision.counts;
  if (decision.outcome === 'internal_error') {
    fail(EXIT.internal, `agent-release-gate failed: ${decision.failure ?? 'internal error'}${note}`);
  } else if (decision.outcome === 'invalid_input') {
    const first = decision.errors[0];
    fail(
      EXIT.invalid,
      `the records, configuration or action inputs are invalid (${counts.errors} error${counts.errors === 1 ? '' : 's'})` +
        (first ? `: ${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}` : '') +
        ' — the gate fails closed until they are fixed' +
        note
    );
  } else if (blocking > 0) {
    const text = `agent-release-gate: ${decision.decision} — ${blocking} blocking finding${blocking === 1 ? '' : 's'} (fail-on: ${settings?.failOn})`;
    if (settings?.warnOnly) core.warning(`${safeLogLine(text)}; warn-only is set, so the check passes`);
    else fail(EXIT.blocking, text);
  } else {
    log.info(
      `agent-release-gate: ${decision.decision} (${counts.findings} finding${counts.findings === 1 ? '' : 's'}, none blocking)`
    );
  }
}
