/**
 * Assessment signals (agent_runtime_ref): named booleans that change.yaml `required_signals`, a rollout
 * gate record's `required_checks` and the rollout policy's `require` / `block_if` refer to.
 *
 * Evidence, strongest first: what the gate derives itself from `signals:` in the configuration (an
 * eval's verdict, a role's approval, a file in the head tree), then what this change's
 * rollout_assessment records assert. False wins: a derived false is not overridden by an asserted
 * true, and when sources disagree the value is false and the entry is marked as a conflict (the
 * rollout family reports it). A signal nobody evidences is unknown (null): not true, not false.
 */
import type { EvalEvidence, Evidence, RoleEvidence } from '../model/evidence.js';
import type { Finding } from '../model/finding.js';
import type { Location } from '../model/location.js';
import { checkRole, configLocation } from './approvals.js';
import { cmp, locationOf, pointer, type GateContext } from './context.js';
import { normalizePath } from './globs.js';

/** One piece of evidence for a signal. */
export interface SignalObservation {
  origin: 'derived' | 'asserted';
  value: boolean | null;
  /** what it is, for people: "eval support-triage-quality: pass", "asserted in records/assess.yaml" */
  source: string;
  location?: Location;
  /** derived from a role's approval, but there are no reviews to read (no pull request): unknown until there are */
  awaiting_approval?: true;
}

export interface SignalEntry {
  value: boolean | null;
  /** where the value comes from (and what contradicts it) */
  source: string;
  observations: SignalObservation[];
  /** the observations disagree (some true, some false) */
  conflict: boolean;
  /**
   * Not evidenced only because the approval it is derived from cannot be read yet (no pull request):
   * a person's action, so the findings it causes are follow-ups rather than blockers.
   */
  awaiting_approval: boolean;
}

export type SignalTable = Map<string, SignalEntry>;

const NO_EVIDENCE =
  'no evidence: not derived by `signals:` in the configuration and not asserted in a rollout_assessment record';

function own<T>(map: Record<string, T> | null | undefined, key: string): T | undefined {
  return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Every signal name this change's records or the standing rollout policy refer to. */
function referencedSignals(ctx: GateContext): string[] {
  const names = new Set<string>();
  for (const r of ctx.active('change')) for (const s of strings(r.data.change?.required_signals)) names.add(s);
  for (const r of ctx.active('rollout_gate_record')) for (const s of strings(r.data.required_checks)) names.add(s);
  for (const r of ctx.head.of('rollout_policy')) {
    for (const s of strings(r.data.rollout?.require)) names.add(s);
    for (const s of strings(r.data.rollout?.block_if)) names.add(s);
  }
  return [...names];
}

function derive(
  ctx: GateContext,
  name: string,
  evals: EvalEvidence[],
  approvals: RoleEvidence[]
): SignalObservation | null {
  const written: unknown = own(ctx.config.signals, name);
  if (written === undefined) return null;
  const location = configLocation(ctx, pointer('signals', name));
  const at = location ? { location } : {};
  const def = (written !== null && typeof written === 'object' ? written : {}) as Record<string, unknown>;
  if (typeof def.eval === 'string') {
    const ev = evals.find((e) => e.eval === def.eval);
    const verdict = ev?.verdict ?? 'missing';
    return { origin: 'derived', value: verdict === 'pass', source: `eval ${def.eval}: ${verdict}`, ...at };
  }
  if (typeof def.approval === 'string') {
    const role = def.approval;
    if (!ctx.input.approvals.available) {
      const why = ctx.input.approvals.unavailable_reason ?? 'approvals unavailable';
      return {
        origin: 'derived',
        value: null,
        source: `approval ${role}: not readable (${why})`,
        awaiting_approval: true,
        ...at
      };
    }
    const ev = approvals.find((a) => a.role === role) ?? checkRole(ctx, role, []).evidence;
    const state = ev.satisfied ? `approved by ${ev.approved_by.map((u) => '@' + u).join(', ')}` : 'not approved';
    return { origin: 'derived', value: ev.satisfied, source: `approval ${role}: ${state}`, ...at };
  }
  if (typeof def.file === 'string') {
    const paths = ctx.input.head.paths;
    const file = normalizePath(def.file);
    if (paths === null) {
      return { origin: 'derived', value: null, source: `file ${file}: the head tree was not listed`, ...at };
    }
    const present = paths.some((p) => normalizePath(p) === file);
    return {
      origin: 'derived',
      value: present,
      source: `file ${file}: ${present ? 'present' : 'absent'} in head`,
      ...at
    };
  }
  return { origin: 'derived', value: null, source: 'configuration: unrecognised signal source', ...at };
}

function assertions(ctx: GateContext): Map<string, SignalObservation[]> {
  const out = new Map<string, SignalObservation[]>();
  const records = [...ctx.active('rollout_assessment')].sort((a, b) => cmp(a.source.path, b.source.path));
  for (const r of records) {
    const signals = r.data.signals;
    if (signals === null || typeof signals !== 'object') continue;
    for (const name of Object.keys(signals).sort(cmp)) {
      const value = (signals as Record<string, unknown>)[name];
      if (typeof value !== 'boolean') continue; // the schema requires booleans; anything else is no evidence
      const note = own(r.data.evidence, name);
      const obs: SignalObservation = {
        origin: 'asserted',
        value,
        source: `asserted in ${r.source.path}` + (typeof note === 'string' && note !== '' ? ` (${note})` : ''),
        location: locationOf(r, pointer('signals', name))
      };
      const list = out.get(name);
      if (list) list.push(obs);
      else out.set(name, [obs]);
    }
  }
  return out;
}

function combine(observations: SignalObservation[]): SignalEntry {
  const known = observations.filter((o) => o.value !== null);
  // a signal the configuration derives from an approval is the approval's to decide: while it cannot be read,
  // an assertion does not stand in for it
  const awaiting = observations.some((o) => o.awaiting_approval === true);
  const value = known.some((o) => o.value === false)
    ? false
    : !awaiting && known.some((o) => o.value === true)
      ? true
      : null;
  const conflict = known.some((o) => o.value === true) && known.some((o) => o.value === false);
  const decisive =
    (awaiting && value === null ? observations.find((o) => o.awaiting_approval) : undefined) ??
    known.find((o) => o.value === value) ??
    observations[0];
  let source = decisive ? decisive.source : NO_EVIDENCE;
  if (conflict) {
    const others = known.filter((o) => o.value !== value).map((o) => `${o.source} says ${String(o.value)}`);
    source += `; contradicted: ${others.join('; ')}`;
  }
  return { value, source, observations, conflict, awaiting_approval: awaiting && value === null };
}

/** The signal table for this change: every signal derived, asserted or referenced, by name. */
export function deriveSignals(ctx: GateContext, evals: EvalEvidence[], approvals: RoleEvidence[]): SignalTable {
  const asserted = assertions(ctx);
  const names = new Set<string>([
    ...Object.keys(ctx.config.signals ?? {}),
    ...asserted.keys(),
    ...referencedSignals(ctx)
  ]);
  const table: SignalTable = new Map();
  for (const name of [...names].sort(cmp)) {
    const derived = derive(ctx, name, evals, approvals);
    table.set(name, combine([...(derived ? [derived] : []), ...(asserted.get(name) ?? [])]));
  }
  return table;
}

/** A signal's entry; unknown signals are null with "no evidence". */
export function signalOf(table: SignalTable, name: string): SignalEntry {
  return (
    table.get(name) ?? { value: null, source: NO_EVIDENCE, observations: [], conflict: false, awaiting_approval: false }
  );
}

/** "false: eval x: fail" / "unknown: no evidence …" */
function describeSignal(table: SignalTable, name: string): string {
  const e = signalOf(table, name);
  return `${e.value === null ? 'unknown' : String(e.value)}: ${e.source}`;
}

/**
 * Signals that are not evidenced true, for a message: each with its value and source, and those
 * without any evidence grouped at the end so a long list stays readable.
 */
export function describeUnevidenced(table: SignalTable, names: string[]): string {
  const without = names.filter((n) => signalOf(table, n).observations.length === 0);
  const parts = names.filter((n) => !without.includes(n)).map((n) => `${n} (${describeSignal(table, n)})`);
  if (without.length > 0) {
    parts.push(
      `${without.join(', ')} (no evidence: not derived by \`signals:\` in the configuration and not asserted in ` +
        'a rollout_assessment record)'
    );
  }
  return parts.join('; ');
}

/** A finding's observed and required values for signals not evidenced true: what each is, and true for each. */
export function unevidencedValues(
  table: SignalTable,
  names: readonly string[]
): { observed: Record<string, boolean | null>; required: Record<string, true> } {
  return {
    observed: Object.fromEntries(names.map((n) => [n, signalOf(table, n).value])),
    required: Object.fromEntries(names.map((n) => [n, true] as const))
  };
}

/** Each signal's value and where it comes from, for a finding's evidence. */
export function signalSources(
  table: SignalTable,
  names: readonly string[]
): { signal: string; value: boolean | null; source: string }[] {
  return names.map((signal) => ({
    signal,
    value: signalOf(table, signal).value,
    source: signalOf(table, signal).source
  }));
}

export function signalEvidence(table: SignalTable): Evidence['signals'] {
  return [...table.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([name, e]) => ({ name, value: e.value, source: e.source }));
}

/** Every name is unevidenced only because approvals cannot be read yet: a person's action, not a blocker. */
export function allAwaitingApproval(table: SignalTable, names: readonly string[]): boolean {
  return names.length > 0 && names.every((n) => signalOf(table, n).awaiting_approval);
}

/** Blocking findings caused only by unreadable approvals become follow-ups (a configured severity below deny stays). */
export function softenIfAwaiting(finding: Finding | null, table: SignalTable, names: readonly string[]): void {
  if (finding && finding.severity === 'deny' && allAwaitingApproval(table, names)) {
    finding.severity = 'follow_up';
    finding.message +=
      " These signals come from approvals, which cannot be read here: they need the pull request's reviews.";
  }
}
