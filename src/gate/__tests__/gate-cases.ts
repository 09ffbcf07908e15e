/**
 * Fixture cases for the review, rollout, approvals and integrity tests. A case is a folder:
 *
 *   case.yaml           what the test feeds in besides files, and what it expects (see Case below)
 *   base/ head/         the two trees, as a repository would have them (.github/agent-gate.yml, records/, agents/…)
 *
 * Records are the files under the configuration's records globs, parsed with the loader's parser
 * (so locations carry real lines) and classified by content. A record is "active" when its file is new
 * or changed versus base, exactly as in the engine. Changed files are the difference between the two
 * trees unless case.yaml lists them. case.yaml `seeds:` places a seed example (src/read/__tests__/fixtures/seeds/)
 * at a path of either tree, so the seed documents are used verbatim; `config:` places a shared
 * configuration in both trees (a base tree with only the configuration means every head file is new).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { GateConfig } from '../../model/config.js';
import type { EvalEvidence, Evidence, RoleEvidence } from '../../model/evidence.js';
import type { Family, Finding, RuleSpec } from '../../model/finding.js';
import type { ApprovalInput, ChangedFile, GateInput, LoadedRecord, RecordKind, RecordSet } from '../../model/input.js';
import type { Side, SourceFile } from '../../model/location.js';
import { parseDocument } from '../../read/parse.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';
import { noApprovals, sha256 } from '../../testing/records.js';
import { evaluateApprovals, RULES as APPROVALS } from '../approvals.js';
import { cmp, createContext } from '../context.js';
import { matchesAny } from '../globs.js';
import { evaluateIntegrity, RULES as INTEGRITY } from '../integrity.js';
import { evaluateReview, RULES as REVIEW } from '../review.js';
import { evaluateRollout, RULES as ROLLOUT } from '../rollout.js';
import { deriveSignals, signalEvidence, type SignalTable } from '../signals.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SEEDS = fileURLToPath(new URL('../../read/__tests__/fixtures/seeds/', import.meta.url));

/** One expected finding: rule and subject identify it; the rest is checked when given. */
export interface ExpectedFinding {
  rule: string;
  subject?: string;
  severity?: string;
  /** "file:line pointer", "file:line" or "file" */
  at?: string;
  /** substrings the message must contain */
  message?: string[];
}

export interface Case {
  name: string;
  description: string;
  input: GateInput;
  /** the evals family's evidence as this case assumes it (the evals family has its own tests) */
  evals: EvalEvidence[];
  /** families whose findings must equal `expect` (default: the fixture folder's family) */
  families: Family[];
  expect: ExpectedFinding[];
  /** a partial match on the evidence */
  evidence?: Record<string, unknown>;
}

interface CaseFile {
  description: string;
  families?: Family[];
  changed_files?: ChangedFile[] | null;
  approvals?: Partial<ApprovalInput>;
  evals?: { eval: string; verdict: EvalEvidence['verdict'] }[];
  seeds?: Partial<Record<Side, Record<string, string>>>;
  /** a configuration file (relative to the case folder) placed at .github/agent-gate.yml in both trees, unless a tree has its own */
  config?: string;
  /** where the configuration is read from when both trees have one (default base) */
  trust_config_from?: Side;
  expect?: ExpectedFinding[];
  evidence?: Record<string, unknown>;
}

function walk(dir: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full, root));
    else out.push(relative(root, full).split('\\').join('/'));
  }
  return out.sort(cmp);
}

/** The files of one tree: repository path → text. */
function readTree(caseDir: string, side: Side, seeds: Record<string, string> = {}): Map<string, string> | null {
  const dir = join(caseDir, side);
  if (!existsSync(dir) && Object.keys(seeds).length === 0) return null;
  const files = new Map<string, string>();
  for (const path of walk(dir)) files.set(path, readFileSync(join(dir, path), 'utf8'));
  for (const [path, seed] of Object.entries(seeds)) files.set(path, readFileSync(join(SEEDS, seed), 'utf8'));
  return files;
}

const CONFIG_PATH = '.github/agent-gate.yml';

/** The configuration file merged over the defaults, one section at a time (the settings module has its own tests). */
export function configFrom(text: string): GateConfig {
  const file = parse(text) as Record<string, unknown>;
  const cfg = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(file)) {
    const def = cfg[key];
    const isMap = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    cfg[key] = isMap(def) && isMap(value) ? { ...(def as object), ...(value as object) } : value;
  }
  return cfg as unknown as GateConfig;
}

function classify(value: unknown): RecordKind | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'change_review_record':
    case 'rollout_gate_record':
    case 'rollout_assessment':
    case 'eval_scores':
      return v.kind;
    case 'Eval':
      return 'eval';
    case 'Deployment':
      return 'deployment';
  }
  if ('change' in v) return 'change';
  if ('rollout' in v) return 'rollout_policy';
  return null;
}

function recordSet(side: Side, tree: Map<string, string>, config: GateConfig): RecordSet {
  const files: SourceFile[] = [];
  const records: LoadedRecord[] = [];
  for (const [path, text] of [...tree].sort(([a], [b]) => cmp(a, b))) {
    const source: SourceFile = { path, side, sha256: sha256(text), bytes: Buffer.byteLength(text) };
    const isRecord = matchesAny(path, config.records.include) && !matchesAny(path, config.records.exclude);
    if (!isRecord) continue;
    files.push(source);
    const parsed = parseDocument(text, path, path.endsWith('.json') ? 'json' : 'yaml');
    if (!parsed.ok) throw new Error(`fixture ${side}/${path} does not parse: ${JSON.stringify(parsed.issues)}`);
    const kind = classify(parsed.value);
    if (kind === null) throw new Error(`fixture ${side}/${path} is no record kind the tests know`);
    records.push({ kind, source, data: parsed.value, locate: parsed.locate } as LoadedRecord);
  }
  return { side, commit: null, files, records, artifacts: {}, paths: [...tree.keys()].sort(cmp) };
}

function diffTrees(base: Map<string, string>, head: Map<string, string>): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (const [path, text] of head) {
    if (!base.has(path)) out.push({ path, status: 'added' });
    else if (base.get(path) !== text) out.push({ path, status: 'modified' });
  }
  for (const path of base.keys()) if (!head.has(path)) out.push({ path, status: 'removed' });
  return out.sort((a, b) => cmp(a.path, b.path));
}

export function loadCase(caseDir: string, name: string, family: Family): Case {
  const spec = parse(readFileSync(join(caseDir, 'case.yaml'), 'utf8')) as CaseFile;
  let base = readTree(caseDir, 'base', spec.seeds?.base);
  const head = readTree(caseDir, 'head', spec.seeds?.head) ?? new Map<string, string>();
  if (spec.config !== undefined) {
    const shared = readFileSync(join(caseDir, spec.config), 'utf8');
    base ??= new Map<string, string>();
    for (const tree of [base, head]) if (!tree.has(CONFIG_PATH)) tree.set(CONFIG_PATH, shared);
  }

  const trusted = spec.trust_config_from ?? 'base';
  const baseCfg = base?.get(CONFIG_PATH);
  const headCfg = head.get(CONFIG_PATH);
  let config = structuredClone(DEFAULT_CONFIG);
  let config_source: GateInput['config_source'] = { side: 'default', file: null, sha256: null };
  let proposed_config: GateInput['proposed_config'] = null;
  if (baseCfg !== undefined && trusted === 'base') {
    config = configFrom(baseCfg);
    config_source = { side: 'base', file: CONFIG_PATH, sha256: sha256(baseCfg) };
    if (headCfg !== undefined && headCfg !== baseCfg) {
      proposed_config = { config: configFrom(headCfg), file: CONFIG_PATH, sha256: sha256(headCfg) };
    }
  } else if (headCfg !== undefined) {
    config = configFrom(headCfg);
    config_source = { side: 'head', file: CONFIG_PATH, sha256: sha256(headCfg) };
  }

  const approvals: ApprovalInput = spec.approvals
    ? {
        available: true,
        author: null,
        head_sha: null,
        reviews: [],
        teams: {},
        ...spec.approvals
      }
    : noApprovals('the test ran without a pull request');

  const input: GateInput = {
    config,
    config_source,
    proposed_config,
    head: recordSet('head', head, config),
    base: base ? recordSet('base', base, config) : null,
    base_issues: [],
    changed_files: spec.changed_files !== undefined ? spec.changed_files : base ? diffTrees(base, head) : null,
    approvals,
    tool_version: '0.0.0-test'
  };
  return {
    name,
    description: spec.description,
    input,
    evals: (spec.evals ?? []).map((e) => ({
      eval: e.eval,
      required: true,
      required_by: [],
      verdict: e.verdict,
      metrics: []
    })),
    families: spec.families ?? [family],
    expect: spec.expect ?? [],
    ...(spec.evidence ? { evidence: spec.evidence } : {})
  };
}

export function loadCases(family: Family): Case[] {
  const dir = join(FIXTURES, family);
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'case.yaml')))
    .sort(cmp)
    .map((name) => loadCase(join(dir, name), name, family));
}

export interface ChainResult {
  findings: Finding[];
  evidence: Pick<Evidence, 'review' | 'rollout' | 'chain' | 'approvals' | 'signals'>;
  signals: SignalTable;
  approvals: RoleEvidence[];
}

/** Default severity of every rule of these families (evaluate() passes every family's). */
const RULE_DEFAULTS = Object.fromEntries(
  [REVIEW, ROLLOUT, APPROVALS, INTEGRITY].flatMap((t) => Object.values<RuleSpec>(t)).map((r) => [r.id, r.severity])
);

/** The families this engineer owns, chained in evaluate()'s order. */
export function runFamilies(input: GateInput, evals: EvalEvidence[] = []): ChainResult {
  const ctx = createContext(input);
  const integrity = evaluateIntegrity(ctx, RULE_DEFAULTS);
  const approvals = evaluateApprovals(ctx, integrity.roleRequirements);
  const signals = deriveSignals(ctx, evals, approvals.evidence);
  const review = evaluateReview(ctx, evals, signals);
  const rollout = evaluateRollout(ctx, signals, approvals.evidence);
  return {
    findings: [...integrity.findings, ...approvals.findings, ...review.findings, ...rollout.findings],
    evidence: {
      review: review.evidence,
      rollout: rollout.evidence.rollout,
      chain: rollout.evidence.chain,
      approvals: approvals.evidence,
      signals: signalEvidence(signals)
    },
    signals,
    approvals: approvals.evidence
  };
}

/** "file:line /pointer" — where a finding points, as a reader would look for it. */
export function where(f: Finding): string {
  const loc = f.location;
  if (!loc) return '';
  let out = loc.file;
  if (loc.line !== undefined) out += `:${loc.line}`;
  if (loc.pointer) out += ` ${loc.pointer}`;
  return out;
}

/** What a user sees of a finding, one line each, for snapshots. */
export function shown(findings: Finding[]): string[] {
  return findings.map(
    (f) => `${f.severity} ${f.rule}${f.subject ? ` [${f.subject}]` : ''} @ ${where(f) || '-'}\n  ${f.message}`
  );
}

/** A seeded shuffle (mulberry32), so a failing order can be reproduced. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same input with every list the readers produce in arbitrary order shuffled. */
export function shuffledInput(input: GateInput, seed: number): GateInput {
  const set = (s: RecordSet): RecordSet => ({
    ...s,
    files: shuffled(s.files, seed),
    records: shuffled(s.records, seed + 1),
    paths: s.paths === null ? null : shuffled(s.paths, seed + 2)
  });
  const teams = Object.fromEntries(
    shuffled(Object.entries(input.approvals.teams), seed + 3).map(([k, v]) => [
      k,
      v === null ? null : shuffled(v, seed + 4)
    ])
  );
  return {
    ...input,
    head: set(input.head),
    base: input.base ? set(input.base) : null,
    changed_files: input.changed_files === null ? null : shuffled(input.changed_files, seed + 5),
    approvals: { ...input.approvals, reviews: shuffled(input.approvals.reviews, seed + 6), teams }
  };
}

const keyOf = (rule: string, subject: string | undefined) => `${rule} [${subject ?? '-'}]`;

/** Table tests: one per case folder of `family`, comparing findings, locations, messages and evidence. */
export function describeCases(family: Family): void {
  describe(`${family} fixture cases`, () => {
    for (const c of loadCases(family)) {
      it(`${c.name}: ${c.description.trim()}`, () => {
        const result = runFamilies(c.input, c.evals);
        const got = result.findings.filter((f) => c.families.includes(f.family));
        expect(got.map((f) => keyOf(f.rule, f.subject)).sort(cmp)).toEqual(
          c.expect.map((e) => keyOf(e.rule, e.subject)).sort(cmp)
        );
        for (const e of c.expect) {
          const f = got.find((g) => g.rule === e.rule && g.subject === e.subject)!;
          if (e.severity !== undefined) expect(f.severity).toBe(e.severity);
          if (e.at !== undefined) expect(where(f)).toBe(e.at);
          for (const m of e.message ?? []) expect(f.message).toContain(m);
        }
        if (c.evidence) expect(result.evidence).toMatchObject(c.evidence);
        expect(shown(got)).toMatchSnapshot();
      });
    }
  });

  describe(`${family} fixture cases in any order`, () => {
    it('gives identical findings and evidence whatever order records, files and reviews arrive in', () => {
      for (const c of loadCases(family)) {
        const expected = JSON.stringify(runFamilies(c.input, c.evals), (_k, v: unknown) =>
          v instanceof Map ? [...v] : v
        );
        for (const seed of [1, 2, 3]) {
          const again = runFamilies(shuffledInput(c.input, seed * 97), shuffled(c.evals, seed));
          expect(JSON.stringify(again, (_k, v: unknown) => (v instanceof Map ? [...v] : v))).toBe(expected);
        }
      }
    });
  });
}
