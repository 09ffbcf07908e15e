/** agent-gate check: judge a change locally, before pushing, with the action's engine. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { SettingsError } from '../errors.js';
import { readRunnerEnv, runLocation } from '../github/event.js';
import { unavailableApprovals } from '../github/reviews.js';
import type { ApprovalInput, ChangedFile } from '../model/input.js';
import { internalErrorRun, runGate, type GateRun } from '../pipeline.js';
import { diffSources } from '../read/diff.js';
import { WorkingTreeSource } from '../read/fs-source.js';
import { GitError, GitTreeSource, changedFiles, defaultBranchRef, mergeBase, revParse } from '../read/git.js';
import type { FileSource } from '../read/source.js';
import { renderSarif } from '../render/sarif.js';
import { renderSummary } from '../render/summary.js';
import { renderTerminal } from '../render/terminal.js';
import { commentMarker, type RenderContext } from '../render/context.js';
import { shortSha } from '../render/format.js';
import { DEFAULT_CONFIG, INPUT_DEFAULTS } from '../settings/defaults.js';
import { ALL_RULES } from '../gate/catalog.js';
import { existingDirectory, oneOf, parse, requireConfig, str } from './args.js';
import { gitRepository, userRevision } from './git.js';
import { EXIT, progressReporter, useColor, type CliIO } from './io.js';
import { readReviewsFile } from './reviews.js';

const OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' },
  'base-dir': { type: 'string' },
  'head-dir': { type: 'string' },
  repo: { type: 'string' },
  config: { type: 'string' },
  'trust-config-from': { type: 'string' },
  reviews: { type: 'string' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  output: { type: 'string' },
  sarif: { type: 'string' }
} as const;

/** The two sides of the change, and what they are in words for the report's header. */
interface Sides {
  head: FileSource;
  base: FileSource | null;
  headCommit: string | null;
  baseCommit: string | null;
  /**
   * the commit approvals must be on: the judged commit (--head, or a working tree identical to HEAD); null when the
   * head is not a commit (directories, a working tree with uncommitted changes)
   */
  reviewedCommit: string | null;
  /** a git working tree that differs from its HEAD commit: no review approved what is judged */
  uncommitted: boolean;
  changedFiles: ChangedFile[] | null;
  compared: { base: string; head: string };
  notes: string[];
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  const format = oneOf(values.format, ['text', 'markdown', 'json', 'sarif'] as const, '--format', 'text');
  const failOn = oneOf(values['fail-on'], ['deny', 'follow_up'] as const, '--fail-on', INPUT_DEFAULTS.failOn);
  const trust = oneOf(values['trust-config-from'], ['base', 'head'] as const, '--trust-config-from', 'base');
  const outputPath = str(values.output);
  const sarifPath = str(values.sarif);
  const location = runLocation(readRunnerEnv(io.env));
  const subject = location.repositoryUrl ? { subjectName: location.repositoryUrl } : {};
  const progress = progressReporter(io);

  let sides: Sides | null = null;
  let run: GateRun;
  try {
    progress?.update('finding the base and the changed files');
    sides = await resolveSides(values, io.cwd);
    await requireConfig(str(values.config), [sides.head, sides.base]);
    const approvals = await readApprovals(str(values.reviews), sides, io.cwd);
    run = await runGate({
      head: sides.head,
      base: sides.base,
      headCommit: sides.headCommit,
      baseCommit: sides.baseCommit,
      configPath: str(values.config) ?? INPUT_DEFAULTS.config,
      trustConfigFrom: trust,
      changedFiles: sides.changedFiles,
      approvals,
      ...subject,
      ...(progress ? { onProgress: (message: string) => progress.update(message) } : {})
    });
  } catch (error) {
    progress?.done();
    // the gate failed: a decision file that was asked for still says so (deny, outcome internal_error)
    if (outputPath && !(error instanceof SettingsError)) {
      const failed = internalErrorRun(error, {
        headCommit: sides?.headCommit ?? null,
        baseCommit: sides?.baseCommit ?? null,
        ...subject
      });
      await writeOutput(resolve(io.cwd, outputPath), failed.canonical + '\n').catch(() => undefined);
    }
    throw error;
  } finally {
    closeSources(sides);
  }
  progress?.done();
  for (const note of sides.notes) io.stderr.write(`agent-gate: ${note}\n`);

  const ctx: RenderContext = {
    repository: location.repository,
    headSha: run.decision.commits.head,
    runUrl: location.runUrl,
    decisionDigest: run.digest,
    marker: commentMarker(run.config.key ?? DEFAULT_CONFIG.key),
    fullReportHint: null,
    compared: sides.compared,
    // nothing is written unless asked: say how to get everything a long report leaves out
    decisionWhere: outputPath ? `in ${outputPath}` : 'in the JSON decision (--format json, or --output FILE)'
  };
  const sarif = () => JSON.stringify(renderSarif(run.decision, { ...ctx, rules: [...ALL_RULES] }), null, 2) + '\n';
  if (outputPath) await writeOutput(resolve(io.cwd, outputPath), run.canonical + '\n');
  if (sarifPath) await writeOutput(resolve(io.cwd, sarifPath), sarif());

  // '##[' is the runner's legacy command form, read anywhere in a line: escape it (the JSON value is unchanged)
  if (format === 'json') io.stdout.write(JSON.stringify(run.statement, null, 2).replace(/##\[/g, '#\\u0023[') + '\n');
  else if (format === 'sarif') io.stdout.write(sarif());
  else if (format === 'markdown') io.stdout.write(renderSummary(run.decision, ctx));
  else io.stdout.write(renderTerminal(run.decision, { color: useColor(io), ctx }));

  return exitCode(run, failOn);
}

export function exitCode(run: Pick<GateRun, 'decision'>, failOn: 'deny' | 'follow_up'): number {
  const d = run.decision;
  if (d.outcome === 'invalid_input') return EXIT.invalid;
  if (d.outcome === 'internal_error') return EXIT.internal;
  if (d.decision === 'deny') return EXIT.blocked;
  if (d.decision === 'follow_up' && failOn === 'follow_up') return EXIT.blocked;
  return EXIT.allow;
}

/** The --reviews file's approvals (on the head commit unless it names one), or none: every approval is pending. */
async function readApprovals(path: string | undefined, sides: Sides, cwd: string): Promise<ApprovalInput> {
  if (!path) {
    return unavailableApprovals(
      'a local check has no pull request; pass --reviews FILE with its reviews to check approvals'
    );
  }
  const approvals = await readReviewsFile(resolve(cwd, path), path);
  // Approvals count on the commit that is judged. In git mode that commit is known, and a reviews file about
  // another head (saved before more commits) cannot vouch for it; uncommitted changes were approved by no one.
  // Directories are not commits: the file's pull_request.head_sha says which commit they are, or nothing can.
  if (sides.uncommitted) {
    const reason = 'the working tree has uncommitted changes, which no review approved (check a commit with --head)';
    sides.notes.push(`${path}: approvals are pending: ${reason}`);
    return unavailableApprovals(reason);
  }
  if (sides.reviewedCommit !== null) {
    if (approvals.head_sha !== null && approvals.head_sha !== sides.reviewedCommit) {
      sides.notes.push(
        `${path} is about head ${shortSha(approvals.head_sha)}, but the gate judges ${shortSha(sides.reviewedCommit)}: ` +
          'approvals count on the commit judged, so those of the other commit do not'
      );
    }
    approvals.head_sha = sides.reviewedCommit;
  } else if (approvals.head_sha === null) {
    const reason =
      `${path} names no pull_request.head_sha and the head is a directory, not a commit, so no approval can be ` +
      'matched to it (use the form with pull_request.head_sha, or check a git commit)';
    sides.notes.push(`approvals are pending: ${reason}`);
    return unavailableApprovals(reason);
  }
  return approvals;
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SettingsError(`cannot write ${path} (${code})`);
  }
}

function closeSources(sides: Sides | null): void {
  for (const source of [sides?.head, sides?.base]) if (source instanceof GitTreeSource) source.close();
}

async function resolveSides(values: Record<string, string | boolean | undefined>, cwd: string): Promise<Sides> {
  const baseDir = str(values['base-dir']);
  const headDir = str(values['head-dir']);
  if (baseDir !== undefined || headDir !== undefined) return directorySides(values, cwd, baseDir, headDir);

  const repo = await gitRepository(resolve(cwd, str(values.repo) ?? '.'), 'check', values.repo !== undefined);
  const notes: string[] = [];
  const headRef = str(values.head);
  const headCommit = headRef ? await userRevision(repo, headRef, '--head') : null;
  const head: FileSource = headCommit
    ? new GitTreeSource(repo, headCommit, 'head')
    : new WorkingTreeSource(repo, 'head');
  // the commit the head is (or, for the working tree, starts from); null before the first commit
  const headRev = headCommit ?? (await headOf(repo));
  // a working tree with uncommitted or untracked changes is not the commit any review approved
  const uncommitted = headCommit === null && (headRev === null || (await changedFiles(repo, headRev, null)).length > 0);

  let baseCommit: string | null = null;
  let baseLabel: string;
  const baseRef = str(values.base);
  if (baseRef) {
    baseCommit = await userRevision(repo, baseRef, '--base');
    baseLabel = label(baseCommit, baseRef);
  } else {
    const branch = await defaultBranchRef(repo);
    if (branch && headRev) baseCommit = await mergeBase(repo, branch.ref, headRev);
    const name = branch ? branch.ref.replace(/^refs\/(?:heads|remotes)\//, '') : null;
    if (baseCommit) {
      baseLabel = `${shortSha(baseCommit)} (merge base with ${name})`;
    } else {
      baseLabel = 'none';
      notes.push(
        !branch
          ? 'no base: no default branch found (origin/HEAD, main or master); pass --base REF to compare with one'
          : !headRev
            ? 'no base: the repository has no commit yet; pass --base REF to compare with one'
            : `no base: the head shares no history with ${name}; pass --base REF to compare with one`
      );
    }
  }
  const base = baseCommit ? new GitTreeSource(repo, baseCommit, 'base') : null;
  const changed = baseCommit ? await changedFiles(repo, baseCommit, headCommit) : null;
  return {
    head,
    base,
    headCommit,
    baseCommit,
    reviewedCommit: uncommitted ? null : headRev,
    uncommitted,
    changedFiles: changed,
    compared: { head: headCommit ? label(headCommit, headRef!) : 'working tree', base: baseLabel },
    notes
  };
}

async function directorySides(
  values: Record<string, string | boolean | undefined>,
  cwd: string,
  baseDir: string | undefined,
  headDir: string | undefined
): Promise<Sides> {
  for (const flag of ['base', 'head', 'repo'] as const) {
    if (str(values[flag]) !== undefined) {
      throw new SettingsError(`--${flag} reads git; --base-dir/--head-dir read directories: use one or the other`);
    }
  }
  const headPath = await existingDirectory(resolve(cwd, headDir ?? '.'), '--head-dir');
  const basePath = baseDir !== undefined ? await existingDirectory(resolve(cwd, baseDir), '--base-dir') : null;
  const head = new WorkingTreeSource(headPath, 'head');
  const base = basePath ? new WorkingTreeSource(basePath, 'base') : null;
  return {
    head,
    base,
    headCommit: null,
    baseCommit: null,
    reviewedCommit: null,
    uncommitted: false,
    changedFiles: base ? await diffSources(base, head, DEFAULT_CONFIG.records.max_evidence_bytes) : null,
    compared: {
      head: `directory ${shownPath(cwd, headPath)}`,
      base: basePath ? `directory ${shownPath(cwd, basePath)}` : 'none'
    },
    notes: base ? [] : ['no base: pass --base-dir DIR to compare with one (the changed files are unknown)']
  };
}

/** "1a2b3c4 (feature/x)", or the short SHA alone when the user gave the SHA. */
function label(sha: string, ref: string): string {
  return sha.startsWith(ref.toLowerCase()) ? shortSha(sha) : `${shortSha(sha)} (${ref})`;
}

/** The commit HEAD names, or null in a repository without commits. */
async function headOf(repo: string): Promise<string | null> {
  try {
    return await revParse(repo, 'HEAD');
  } catch (error) {
    if (error instanceof GitError && error.exitCode !== null) return null;
    throw error;
  }
}

function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
