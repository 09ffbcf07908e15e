/**
 * The one path from files to a decision, shared by the action and the CLI:
 * configuration (trusted side) → records on head and base → evaluate → canonical statement.
 * Record and configuration problems never throw: they become an invalid_input decision (fail closed).
 */
import type { GateConfig } from './model/config.js';
import type { DecisionDocument, DecisionStatement } from './model/decision.js';
import type { ApprovalInput, ChangedFile, GateInput, RecordSet } from './model/input.js';
import type { RecordIssue } from './model/issue.js';
import type { Locator, SourceFile } from './model/location.js';
import type { FileSource } from './read/source.js';
import { loadRecordSet, readConfigFile, type LoadResult } from './read/load.js';
import { maskIssue } from './read/text.js';
import { resolveConfig } from './settings/config.js';
import { DEFAULT_CONFIG } from './settings/defaults.js';
import { evaluate, decisionContext } from './gate/evaluate.js';
import { RULE_IDS } from './gate/catalog.js';
import {
  internalErrorDecision,
  invalidInputDecision,
  serialiseStatement,
  toStatement,
  type DecisionContext
} from './decision/document.js';
import { internalErrorMessage } from './errors.js';
import { VERSION } from './version.js';

export interface GateRunOptions {
  head: FileSource;
  base: FileSource | null;
  headCommit: string | null;
  baseCommit: string | null;
  configPath: string;
  trustConfigFrom: 'base' | 'head';
  changedFiles: ChangedFile[] | null;
  approvals: ApprovalInput;
  /** the in-toto subject name, e.g. "https://github.com/acme/support-bot" */
  subjectName?: string;
  onProgress?: (message: string) => void;
}

export interface GateRun {
  decision: DecisionDocument;
  statement: DecisionStatement;
  /** the decision file's bytes (canonical JSON of the statement) */
  canonical: string;
  /** sha256 of `canonical` */
  digest: string;
  config: GateConfig;
}

interface ConfigRead {
  config: GateConfig;
  source: GateInput['config_source'];
  file: SourceFile | null;
  issues: RecordIssue[];
  /** positions in the configuration file, when it was read */
  locate: Locator | null;
}

async function readConfig(source: FileSource, path: string): Promise<ConfigRead> {
  const read = await readConfigFile(source, path);
  if (read.status === 'absent') {
    return {
      config: structuredClone(DEFAULT_CONFIG),
      source: { side: 'default', file: null, sha256: null },
      file: null,
      issues: [],
      locate: null
    };
  }
  if (read.status === 'invalid') {
    return {
      config: structuredClone(DEFAULT_CONFIG),
      source: { side: source.side, file: path, sha256: null },
      file: null,
      issues: read.issues,
      locate: null
    };
  }
  const resolved = resolveConfig(read.value, RULE_IDS);
  const issues = resolved.issues.map((i) => locatedIssue(i, read.file, read.locate));
  return {
    config: resolved.config,
    source: { side: source.side, file: read.file.path, sha256: read.file.sha256 },
    file: read.file,
    issues,
    locate: read.locate
  };
}

function locatedIssue(
  i: { pointer: string; message: string; code: string },
  file: SourceFile,
  locate: Locator
): RecordIssue {
  const issue: RecordIssue = { code: i.code, message: i.message, file: file.path, side: file.side, pointer: i.pointer };
  const pos = locate(i.pointer);
  if (pos) {
    issue.line = pos.line;
    issue.column = pos.column;
  }
  // located by the real pointer, shown masked: a key of the configuration can be a pasted token
  return maskIssue(issue);
}

function withFile(set: RecordSet, file: SourceFile | null): RecordSet {
  if (!file || set.files.some((f) => f.path === file.path)) return set;
  const files = [...set.files, file].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...set, files };
}

export async function runGate(opts: GateRunOptions): Promise<GateRun> {
  const progress = opts.onProgress ?? (() => undefined);
  const trustedSource = opts.trustConfigFrom === 'base' && opts.base ? opts.base : opts.head;

  progress(`reading configuration ${opts.configPath} from ${trustedSource.description}`);
  const trusted = await readConfig(trustedSource, opts.configPath);
  const issues: RecordIssue[] = [...trusted.issues];

  // The head's own configuration, when it differs from the one judging it: the integrity family
  // reports what it would loosen, and it must itself be valid since it is what merging would install.
  let proposed: GateInput['proposed_config'] = null;
  let proposedFile: SourceFile | null = null;
  let proposedLocate: Locator | null = null;
  if (trustedSource !== opts.head) {
    const head = await readConfig(opts.head, opts.configPath);
    issues.push(...head.issues);
    if (head.file && head.file.sha256 !== trusted.source.sha256 && head.issues.length === 0) {
      proposed = { config: head.config, file: head.file.path, sha256: head.file.sha256 };
      proposedFile = head.file;
      proposedLocate = head.locate;
    }
  }
  const config = trusted.config;
  // A configuration that cannot be used selects no records: reading them with the defaults instead would report
  // problems that are not there (files the real configuration excludes) next to the real one.
  const load = (source: FileSource, commit: string | null): Promise<LoadResult> =>
    trusted.issues.length > 0
      ? Promise.resolve({
          set: { side: source.side, commit, files: [], records: [], artifacts: {}, paths: null },
          issues: []
        })
      : loadRecordSet(source, config, { commit, configFile: opts.configPath });

  progress(`reading records from ${opts.head.description}`);
  const headLoad = await phase('load-head', () => load(opts.head, opts.headCommit));
  issues.push(...headLoad.issues);
  if (proposed && headLoad.issues.length === 0) {
    // what merging would install must be able to read the records it would judge: a proposed configuration that
    // selects files that are not records (an exclude pattern broken) would fail every later pull request
    progress(`reading records from ${opts.head.description} with the proposed configuration`);
    const underProposed = await loadRecordSet(opts.head, proposed.config, {
      commit: opts.headCommit,
      configFile: opts.configPath
    });
    const where = `under the configuration this change proposes (${opts.configPath} on the head)`;
    if (underProposed.issues.length > 0) {
      const files = new Set(underProposed.issues.map((i) => i.file)).size;
      const pos = proposedLocate?.('/records') ?? proposedLocate?.('');
      issues.push({
        code: 'config.records-invalid',
        message: `the configuration this change proposes could not read the records it would judge once merged: ${underProposed.issues.length} error(s) in ${files} file(s), listed with it`,
        hint: 'check records.include and records.exclude (run `agent-gate validate` on the head)',
        file: opts.configPath,
        side: 'head',
        pointer: '/records',
        ...(pos ? { line: pos.line, column: pos.column } : {})
      });
      issues.push(...underProposed.issues.map((i) => ({ ...i, message: `${where}: ${i.message}` })));
    }
  }

  let base: RecordSet | null = null;
  let baseIssues: RecordIssue[] = [];
  if (opts.base) {
    progress(`reading records from ${opts.base.description}`);
    const baseSource = opts.base;
    const baseLoad = await phase('load-base', () => load(baseSource, opts.baseCommit));
    base = baseLoad.set;
    baseIssues = baseLoad.issues;
  }

  let head = withFile(headLoad.set, trusted.source.side === 'head' ? trusted.file : proposedFile);
  if (base && trusted.source.side === 'base') base = withFile(base, trusted.file);
  head = { ...head, commit: opts.headCommit };

  const input: GateInput = {
    config,
    config_source: trusted.source,
    proposed_config: proposed,
    head,
    base,
    base_issues: baseIssues,
    changed_files: opts.changedFiles,
    approvals: opts.approvals,
    tool_version: VERSION
  };

  progress('evaluating');
  const decision = await phase('evaluate', () =>
    issues.length > 0 ? invalidInputDecision(decisionContext(input), issues) : evaluate(input)
  );
  return phase('serialise', () => finish(decision, config, opts));
}

/**
 * Times a phase of a run as a performance measure named agent-gate:<name>, which `npm run bench` and profilers
 * read (performance.getEntriesByType('measure')); nothing else looks at it.
 */
async function phase<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await work();
  performance.measure(`agent-gate:${name}`, { start, end: performance.now() });
  return value;
}

function finish(decision: DecisionDocument, config: GateConfig, opts: Pick<GateRunOptions, 'subjectName'>): GateRun {
  const statement = toStatement(decision, opts.subjectName ?? 'head');
  const { canonical, digest } = serialiseStatement(statement);
  return { decision, statement, canonical, digest, config };
}

/** The decision written when the gate itself failed: deny, outcome internal_error, our message only. */
export function internalErrorRun(
  error: unknown,
  context: { headCommit: string | null; baseCommit: string | null; gateKey?: string; subjectName?: string }
): GateRun {
  const ctx: DecisionContext = {
    toolVersion: VERSION,
    gateKey: context.gateKey ?? DEFAULT_CONFIG.key,
    commits: { base: context.baseCommit, head: context.headCommit },
    config: { side: 'default', file: null, sha256: null },
    inputs: []
  };
  return finish(internalErrorDecision(ctx, internalErrorMessage(error)), DEFAULT_CONFIG, context);
}

/** Longest failure message we write: a git error quotes the first lines of git's stderr. */

/** Records and configuration only, for `agent-gate validate`: every problem, located. */
export async function checkRecords(
  source: FileSource,
  configPath: string
): Promise<{ issues: RecordIssue[]; files: number; records: number; configFile: string | null }> {
  const cfg = await readConfig(source, configPath);
  const loaded = await loadRecordSet(source, cfg.config, { configFile: configPath });
  const issues = [...cfg.issues, ...loaded.issues];
  return {
    issues,
    files: loaded.set.files.length,
    records: loaded.set.records.length,
    configFile: cfg.file?.path ?? null
  };
}
