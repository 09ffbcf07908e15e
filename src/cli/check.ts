/** agent-gate check: judge a change locally, before pushing, with the action's engine. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SettingsError } from '../errors.js';
import type { ApprovalInput, ChangedFile } from '../model/input.js';
import { runGate, type GateRun } from '../pipeline.js';
import { diffSources } from '../read/diff.js';
import { WorkingTreeSource } from '../read/fs-source.js';
import { GitTreeSource, changedFiles, defaultBranch, mergeBase, revParse, repositoryRoot } from '../read/git.js';
import type { FileSource } from '../read/source.js';
import { renderSarif } from '../render/sarif.js';
import { renderSummary } from '../render/summary.js';
import { renderTerminal } from '../render/terminal.js';
import { commentMarker, type RenderContext } from '../render/context.js';
import { DEFAULT_CONFIG, INPUT_DEFAULTS } from '../settings/defaults.js';
import { ALL_RULES } from '../gate/catalog.js';
import { oneOf, parse, str } from './args.js';
import { EXIT, progressReporter, useColor, type CliIO } from './io.js';
import { noPullRequest, readReviewsFile } from './reviews.js';

export const CHECK_HELP = `Usage: agent-gate check [options]

Judge a change: the head (the working tree, or --head REF) against the base
(--base REF, default the merge base with the default branch).

Options:
  --base REF              base commit or branch (default: merge base of HEAD and the default branch)
  --head REF              head commit or branch (default: the working tree, uncommitted changes included)
  --base-dir DIR          read the base from a directory instead of git
  --head-dir DIR          read the head from a directory instead of git
  --repo DIR              the repository (default: the current directory)
  --config PATH           gate configuration (default: ${INPUT_DEFAULTS.config})
  --trust-config-from S   base | head: which side's configuration judges the change (default: base)
  --reviews FILE          the pull request's reviews as JSON (GitHub API shape) to check approvals
  --format F              text | markdown | json | sarif (default: text)
  --fail-on D             deny | follow_up: the lowest decision that fails (default: follow_up)
  --output FILE           also write the decision file (in-toto statement, canonical JSON)
  --sarif FILE            also write the findings as SARIF 2.1.0
  -h, --help              show this help

Exit codes: 0 allow · 1 blocked · 2 record or configuration errors · 3 internal error`;

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

interface Sides {
  head: FileSource;
  base: FileSource | null;
  headCommit: string | null;
  baseCommit: string | null;
  changedFiles: ChangedFile[] | null;
  notes: string[];
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  const format = oneOf(values.format, ['text', 'markdown', 'json', 'sarif'] as const, '--format', 'text');
  const failOn = oneOf(values['fail-on'], ['deny', 'follow_up'] as const, '--fail-on', INPUT_DEFAULTS.failOn);
  const trust = oneOf(values['trust-config-from'], ['base', 'head'] as const, '--trust-config-from', 'base');
  const progress = progressReporter(io);

  const sides = await resolveSides(values, io.cwd);
  for (const note of sides.notes) io.stderr.write(`agent-gate: ${note}\n`);
  const reviewsPath = str(values.reviews);
  const approvals: ApprovalInput = reviewsPath
    ? await readReviewsFile(resolve(io.cwd, reviewsPath))
    : noPullRequest('a local check has no pull request; pass --reviews FILE with its reviews to check approvals');

  const run = await runGate({
    head: sides.head,
    base: sides.base,
    headCommit: sides.headCommit,
    baseCommit: sides.baseCommit,
    configPath: str(values.config) ?? INPUT_DEFAULTS.config,
    trustConfigFrom: trust,
    changedFiles: sides.changedFiles,
    approvals,
    onProgress: progress
  });

  const ctx = renderContext(run);
  const out = str(values.output);
  if (out) await writeFile(resolve(io.cwd, out), run.canonical + '\n');
  const sarifPath = str(values.sarif);
  const sarif = () => JSON.stringify(renderSarif(run.decision, { ...ctx, rules: [...ALL_RULES] }), null, 2) + '\n';
  if (sarifPath) await writeFile(resolve(io.cwd, sarifPath), sarif());

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

function renderContext(run: GateRun): RenderContext {
  return {
    repository: null,
    headSha: run.decision.commits.head,
    runUrl: null,
    decisionDigest: run.digest,
    marker: commentMarker(run.config.key ?? DEFAULT_CONFIG.key),
    fullReportHint: null
  };
}

async function resolveSides(values: Record<string, string | boolean | undefined>, cwd: string): Promise<Sides> {
  const baseDir = str(values['base-dir']);
  const headDir = str(values['head-dir']);
  if (baseDir !== undefined || headDir !== undefined) {
    if (str(values.base) || str(values.head)) throw new SettingsError('use either --base/--head (git) or --base-dir/--head-dir, not both');
    const head = new WorkingTreeSource(resolve(cwd, headDir ?? '.'), 'head');
    const base = baseDir !== undefined ? new WorkingTreeSource(resolve(cwd, baseDir), 'base') : null;
    const changed = base ? await diffSources(base, head, DEFAULT_CONFIG.records.max_evidence_bytes) : null;
    return { head, base, headCommit: null, baseCommit: null, changedFiles: changed, notes: [] };
  }

  const repo = await repositoryRoot(resolve(cwd, str(values.repo) ?? '.'));
  const notes: string[] = [];
  const headRef = str(values.head);
  const headCommit = headRef ? await revParse(repo, headRef) : null;
  const head: FileSource = headCommit ? new GitTreeSource(repo, headCommit, 'head') : new WorkingTreeSource(repo, 'head');

  let baseCommit: string | null = null;
  const baseRef = str(values.base);
  if (baseRef) {
    baseCommit = await revParse(repo, baseRef);
  } else {
    const branch = await defaultBranch(repo);
    if (branch) baseCommit = await mergeBase(repo, branch, headCommit ?? 'HEAD');
    if (!baseCommit) notes.push('no base: could not find the default branch; pass --base REF to compare with one');
  }
  const base = baseCommit ? new GitTreeSource(repo, baseCommit, 'base') : null;
  const changed = baseCommit ? await changedFiles(repo, baseCommit, headCommit) : null;
  return { head, base, headCommit, baseCommit, changedFiles: changed, notes };
}
