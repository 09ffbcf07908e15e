/**
 * The example repository (examples/support-triage) judged through the real loader and pipeline, and
 * variants of it: the head copied into a temporary folder and changed in one way. Shared by the engine,
 * decision-document and pipeline tests. Not bundled: only tests import this module.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvalsFromJson } from '../../cli/reviews.js';
import type { DecisionDocument } from '../../model/decision.js';
import type { Finding } from '../../model/finding.js';
import type { ApprovalInput, GateInput } from '../../model/input.js';
import { runGate, type GateRun, type GateRunOptions } from '../../pipeline.js';
import { diffSources } from '../../read/diff.js';
import { WorkingTreeSource } from '../../read/fs-source.js';
import { loadRecordSet, readConfigFile } from '../../read/load.js';
import type { FileSource } from '../../read/source.js';
import { resolveConfig } from '../../settings/config.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';
import { RULE_IDS } from '../catalog.js';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const EXAMPLE = join(ROOT, 'examples/support-triage');
export const EXAMPLE_BASE = join(EXAMPLE, 'base');
export const EXAMPLE_HEAD = join(EXAMPLE, 'head');
export const REVIEWS_FILE = join(EXAMPLE, 'reviews.json');
/** The pull request head commit the example's reviews were given on. */
export const EXAMPLE_HEAD_SHA = '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';

/** reviews.json as written (GitHub's API shape, wrapped with the pull request). */
export interface ReviewsJson {
  pull_request: { number: number; author: string; head_sha: string };
  reviews: { id: number; user: { login: string }; state: string; commit_id: string; submitted_at: string }[];
}

export function exampleReviewsJson(): ReviewsJson {
  return JSON.parse(readFileSync(REVIEWS_FILE, 'utf8')) as ReviewsJson;
}

/** The approvals the CLI reads from a reviews file of this shape (src/cli/reviews.ts). */
export function approvalsOf(json: ReviewsJson): ApprovalInput {
  return approvalsFromJson(json, 'reviews.json');
}

export interface JudgeOptions extends Partial<Omit<GateRunOptions, 'head' | 'base'>> {
  head?: FileSource | string;
  base?: FileSource | string | null;
}

function sourceOf(value: FileSource | string, side: 'base' | 'head'): FileSource {
  return typeof value === 'string' ? new WorkingTreeSource(value, side) : value;
}

/**
 * runGate as `agent-gate check --base-dir … --head-dir … --reviews …` calls it: two working trees, the
 * changed files by comparing them, the configuration from the base.
 */
export async function judge(options: JudgeOptions = {}): Promise<GateRun> {
  const { head: headOpt, base: baseOpt, ...rest } = options;
  const head = sourceOf(headOpt ?? EXAMPLE_HEAD, 'head');
  const base = baseOpt === null ? null : sourceOf(baseOpt ?? EXAMPLE_BASE, 'base');
  const changedFiles =
    rest.changedFiles !== undefined
      ? rest.changedFiles
      : base
        ? await diffSources(base, head, DEFAULT_CONFIG.records.max_evidence_bytes)
        : null;
  return runGate({
    headCommit: null,
    baseCommit: null,
    configPath: '.github/agent-gate.yml',
    trustConfigFrom: 'base',
    approvals: approvalsOf(exampleReviewsJson()),
    ...rest,
    changedFiles,
    head,
    base
  });
}

/**
 * The GateInput runGate builds for the example (the same loader, configuration and changed files), for tests
 * that call evaluate() directly and vary the input in memory. Fails on any record or configuration problem.
 */
export async function exampleInput(): Promise<GateInput> {
  const head = new WorkingTreeSource(EXAMPLE_HEAD, 'head');
  const base = new WorkingTreeSource(EXAMPLE_BASE, 'base');
  const read = await readConfigFile(base, '.github/agent-gate.yml');
  if (read.status !== 'ok') throw new Error(`the example's configuration does not read: ${read.status}`);
  const resolved = resolveConfig(read.value, RULE_IDS);
  const headLoad = await loadRecordSet(head, resolved.config);
  const baseLoad = await loadRecordSet(base, resolved.config);
  const problems = [...resolved.issues, ...headLoad.issues, ...baseLoad.issues];
  if (problems.length > 0) throw new Error(`the example does not load: ${JSON.stringify(problems[0])}`);
  return {
    config: resolved.config,
    config_source: { side: 'base', file: read.file.path, sha256: read.file.sha256 },
    proposed_config: null,
    head: headLoad.set,
    base: { ...baseLoad.set, files: [...baseLoad.set.files, read.file] },
    base_issues: [],
    changed_files: await diffSources(base, head, DEFAULT_CONFIG.records.max_evidence_bytes),
    approvals: approvalsOf(exampleReviewsJson()),
    tool_version: '0.0.0-test'
  };
}

/** A copy of a tree in a fresh temporary folder; `remove()` deletes it. */
export interface TreeCopy {
  dir: string;
  path(relative: string): string;
  read(relative: string): string;
  write(relative: string, text: string): void;
  /** replaces `from` by `to` in a file, failing when `from` is not there (so a stale fixture is noticed) */
  edit(relative: string, from: string | RegExp, to: string): void;
  /** parses a JSON file, lets `change` modify it, writes it back (two-space indent, as the example) */
  editJson<T = Record<string, unknown>>(relative: string, change: (value: T) => void): void;
  remove(relative: string): void;
  cleanup(): void;
}

export function copyTree(from: string, prefix = 'agent-gate-example-'): TreeCopy {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(root, 'repo');
  cpSync(from, dir, { recursive: true });
  return { ...treeAt(dir), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The same helpers on a folder that already exists (a git working tree, say); cleanup() leaves it. */
export function treeAt(dir: string): TreeCopy {
  const path = (relative: string) => join(dir, relative);
  const read = (relative: string) => readFileSync(path(relative), 'utf8');
  const write = (relative: string, text: string) => {
    mkdirSync(dirname(path(relative)), { recursive: true });
    writeFileSync(path(relative), text);
  };
  return {
    dir,
    path,
    read,
    write,
    edit(relative, from, to) {
      const text = read(relative);
      const next = text.replace(from, to);
      if (next === text) throw new Error(`${relative}: ${String(from)} not found`);
      write(relative, next);
    },
    editJson(relative, change) {
      const value = JSON.parse(read(relative));
      change(value);
      write(relative, JSON.stringify(value, null, 2) + '\n');
    },
    remove(relative) {
      rmSync(path(relative), { recursive: true, force: true });
    },
    cleanup() {}
  };
}

/** Distinct rule ids of a decision's findings, sorted. */
export function ruleIds(decision: DecisionDocument): string[] {
  return [...new Set(decision.findings.map((f) => f.rule))].sort();
}

/** The one finding of a rule (failing when there is none or more than one). */
export function only(decision: DecisionDocument, rule: string): Finding {
  const found = decision.findings.filter((f) => f.rule === rule);
  if (found.length !== 1) {
    throw new Error(`expected one ${rule} finding, found ${found.length}: ${ruleIds(decision).join(', ')}`);
  }
  return found[0]!;
}

/** "file:line" of a finding's location, for compact assertions. */
export function where(finding: Finding): string {
  const loc = finding.location;
  if (!loc) return '(nowhere)';
  return `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}`;
}
