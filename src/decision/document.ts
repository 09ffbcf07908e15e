/**
 * The decision document: one canonical record of what the gate read, found and decided,
 * and its in-toto Statement v1 wrapper (subject: the head commit) for `actions/attest`.
 */
import type { DecisionDocument, DecisionStatement, DecisionValue, FamilySummary } from '../model/decision.js';
import { DECISION_SCHEMA_ID } from '../model/decision.js';
import type { Evidence } from '../model/evidence.js';
import type { Family, Finding, Severity } from '../model/finding.js';
import { FAMILIES } from '../model/finding.js';
import type { RecordIssue } from '../model/issue.js';
import type { Side, SourceFile } from '../model/location.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { setOwn } from '../model/own.js';

const SEVERITY_RANK: Record<Severity, number> = { deny: 0, follow_up: 1, warning: 2 };
const FAMILY_RANK = new Map<Family, number>(FAMILIES.map((f, i) => [f, i]));

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
function cmpNum(a: number | undefined, b: number | undefined): number {
  return (a ?? 0) - (b ?? 0);
}

/**
 * deny first, then follow_up, warning; then family, rule, file, line, column, side, subject, message; then the
 * whole finding, so that the order is total and never depends on the order the findings were produced in.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (FAMILY_RANK.get(a.family) ?? 99) - (FAMILY_RANK.get(b.family) ?? 99) ||
    cmp(a.rule, b.rule) ||
    cmp(a.location?.file ?? '', b.location?.file ?? '') ||
    cmpNum(a.location?.line, b.location?.line) ||
    cmpNum(a.location?.column, b.location?.column) ||
    cmp(a.location?.pointer ?? '', b.location?.pointer ?? '') ||
    cmp(a.location?.side ?? '', b.location?.side ?? '') ||
    cmp(a.subject ?? '', b.subject ?? '') ||
    cmp(a.message, b.message) ||
    cmp(canonicalJson(a), canonicalJson(b))
  );
}

export function compareIssues(a: RecordIssue, b: RecordIssue): number {
  return (
    cmp(a.side ?? '', b.side ?? '') ||
    cmp(a.file, b.file) ||
    cmpNum(a.line, b.line) ||
    cmpNum(a.column, b.column) ||
    cmp(a.pointer ?? '', b.pointer ?? '') ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message) ||
    cmp(a.hint ?? '', b.hint ?? '')
  );
}

/** deny when any blocking finding exists, follow_up when a finding needs a person, allow otherwise. */
export function decide(findings: readonly Finding[]): DecisionValue {
  if (findings.some((f) => f.severity === 'deny')) return 'deny';
  if (findings.some((f) => f.severity === 'follow_up')) return 'follow_up';
  return 'allow';
}

export function emptyEvidence(): Evidence {
  return {
    review: { surfaces: [] },
    rollout: null,
    evals: [],
    drift: [],
    agbom: null,
    approvals: [],
    chain: [],
    signals: []
  };
}

export interface DecisionContext {
  toolVersion: string;
  gateKey: string;
  commits: { base: string | null; head: string | null };
  config: { side: Side | 'default'; file: string | null; sha256: string | null };
  /** every file read, with the kind it was read as */
  inputs: { file: SourceFile; kind: string }[];
}

function familySummaries(findings: readonly Finding[], active: ReadonlySet<Family>): Record<Family, FamilySummary> {
  const out = {} as Record<Family, FamilySummary>;
  for (const family of FAMILIES) {
    const own = findings.filter((f) => f.family === family);
    const deny = own.filter((f) => f.severity === 'deny').length;
    const follow = own.filter((f) => f.severity === 'follow_up').length;
    const status: FamilySummary['status'] =
      deny > 0 ? 'deny' : follow > 0 ? 'follow_up' : own.length > 0 || active.has(family) ? 'pass' : 'skipped';
    out[family] = { status, findings: own.length, deny, follow_up: follow, warning: own.length - deny - follow };
  }
  return out;
}

function sortedInputs(inputs: DecisionContext['inputs']): DecisionDocument['inputs'] {
  const seen = new Set<string>();
  const rows: DecisionDocument['inputs'] = [];
  for (const { file, kind } of inputs) {
    const key = `${file.side}\u0000${file.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ path: file.path, side: file.side, sha256: file.sha256, bytes: file.bytes, kind });
  }
  return rows.sort((a, b) => cmp(a.side, b.side) || cmp(a.path, b.path));
}

/**
 * The document holds what its bytes hold: a number JSON cannot write (NaN, ±Infinity, from a division by a live
 * value of 0, say) is null and -0 is 0, as canonicalJson writes them, so the document a renderer or a schema
 * sees is the one in the decision file.
 */
function asJson<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? value + 0 : null) as T;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = asJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  // a loop over the keys with plain assignment: the evidence of 10,000 replay runs is copied here
  for (const key of Object.keys(source)) setOwn(out, key, asJson(source[key]));
  return out as T;
}

export function buildDecision(
  ctx: DecisionContext,
  findings: readonly Finding[],
  evidence: Evidence,
  activeFamilies: ReadonlySet<Family>
): DecisionDocument {
  const sorted = findings.map(asJson).sort(compareFindings);
  return {
    $schema: DECISION_SCHEMA_ID,
    tool: { name: 'agent-release-gate', version: ctx.toolVersion },
    decision: decide(sorted),
    outcome: 'evaluated',
    failure: null,
    gate_key: ctx.gateKey,
    commits: ctx.commits,
    config: ctx.config,
    counts: {
      findings: sorted.length,
      deny: sorted.filter((f) => f.severity === 'deny').length,
      follow_up: sorted.filter((f) => f.severity === 'follow_up').length,
      warning: sorted.filter((f) => f.severity === 'warning').length,
      errors: 0
    },
    families: familySummaries(sorted, activeFamilies),
    findings: sorted,
    errors: [],
    inputs: sortedInputs(ctx.inputs),
    evidence: asJson(evidence)
  };
}

/** Records or configuration are malformed: nothing was judged, and the gate fails closed. */
export function invalidInputDecision(ctx: DecisionContext, issues: readonly RecordIssue[]): DecisionDocument {
  const doc = buildDecision(ctx, [], emptyEvidence(), new Set());
  const errors = [...issues].sort(compareIssues);
  return {
    ...doc,
    decision: 'deny',
    outcome: 'invalid_input',
    errors,
    counts: { ...doc.counts, errors: errors.length }
  };
}

/** The gate itself failed. The message is ours (no record content, no stack); the decision is deny. */
export function internalErrorDecision(ctx: DecisionContext, message: string): DecisionDocument {
  const doc = buildDecision(ctx, [], emptyEvidence(), new Set());
  return { ...doc, decision: 'deny', outcome: 'internal_error', failure: message };
}

export function toStatement(doc: DecisionDocument, subjectName: string): DecisionStatement {
  const head = doc.commits.head;
  const digest: Record<string, string> =
    head && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)
      ? { gitCommit: head }
      : { sha256: sha256Hex(canonicalJson(doc.inputs)) };
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: subjectName, digest }],
    predicateType: DECISION_SCHEMA_ID,
    predicate: doc
  };
}

/** The bytes written to the decision file and their digest. */
export function serialiseStatement(statement: DecisionStatement): { canonical: string; digest: string } {
  const canonical = canonicalJson(statement);
  return { canonical, digest: sha256Hex(canonical) };
}
