/**
 * Assessment signals (agent_runtime_ref): named booleans that change.yaml `required_signals`, a rollout
 * gate record's `required_checks` and the rollout policy's `require` / `block_if` refer to.
 *
 * Evidence, strongest first: what the gate derives itself from `signals:` in the configuration (an
 * eval's verdict, a role's approval, a file in the head tree), then what this change's
 * rollout_assessment records assert. False wins: a derived false is not overridden by an asserted
 * true, and when sources disagree the value is false and the entry is marked as a conflict (the
 * rollout family reports it). A signal nobody evidences is unknown (null): not true, not false.
 *
 * Assertions are scoped: an assessment with a change_id evidences that change only, one without applies to
 * every change. The assessments read are those of this pull request's changes (context changeRecords): added or
 * updated here, or merged earlier with one of its change_ids or with none; another change's, unchanged, are not. A change record's required_signals and a rollout gate record's required_checks are judged
 * with their change's signals (`forChange`); the standing rollout policy holds for every change of the pull
 * request: a `require` entry must be true for each (the table itself), a `block_if` entry blocks when it is
 * true for any (`blocking`). An assessment of this change that names a change none of its records is about
 * evidences nothing here (`elsewhere`; the review family reports it).
 */
import type { EvalEvidence, Evidence, RoleEvidence } from '../model/evidence.js';
import type { Finding } from '../model/finding.js';
import type { Rec } from '../model/input.js';
import type { Location } from '../model/location.js';
import { checkRole, configLocation } from './approvals.js';
import { changeIds, changeRecords, cmp, locationOf, pointer, replacedPolicies, type GateContext } from './context.js';
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
  /**
   * derived from a role's approval, but the pull request's reviews could not be read: unknown, and the findings
   * it causes keep their severity (fail closed); an assertion does not stand in for it either
   */
  approval_unreadable?: true;
  /** asserted by an assessment that names this change: it evidences that change only */
  change_id?: string;
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
  /** assertions about other changes: they do not evidence this one (listed so a reader sees why) */
  not_applying: SignalObservation[];
}

/** Every signal's entry for one change (or for the pull request as a whole). */
export type SignalScope = ReadonlyMap<string, SignalEntry>;

const NO_EVIDENCE =
  'no evidence: not derived by `signals:` in the configuration and not asserted in a rollout_assessment record';

function own<T>(map: Record<string, T> | null | undefined, key: string): T | undefined {
  return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Every signal name this change's records (its gate records merged earlier too) or the standing rollout policy refer to. */
function referencedSignals(ctx: GateContext): string[] {
  const names = new Set<string>();
  for (const c of changeRecords(ctx, 'change'))
    for (const r of c.was ? [c.record, c.was] : [c.record])
      for (const s of strings(r.data.change?.required_signals)) names.add(s);
  for (const { record: r } of changeRecords(ctx, 'rollout_gate_record'))
    for (const s of strings(r.data.required_checks)) names.add(s);
  for (const r of [...ctx.head.of('rollout_policy'), ...replacedPolicies(ctx)]) {
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
    if (!ctx.input.approvals.available && ctx.input.approvals.read_failed === true) {
      const why = ctx.input.approvals.unavailable_reason ?? 'the pull request reviews could not be read';
      return {
        origin: 'derived',
        value: null,
        source: `approval ${role}: the reviews could not be read (${why})`,
        approval_unreadable: true,
        ...at
      };
    }
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
  // this change's assessments: added or updated here, or merged earlier for one of its changes (or for every change)
  // One merged earlier and removed on the head (its base copy) still holds what it asserted against the change — a
  // blocker true, anything else false — but no longer vouches for anything: deleting a blocker does not lift it,
  // and deleting a claim withdraws it.
  const blockers = new Set(
    [...ctx.head.of('rollout_policy'), ...replacedPolicies(ctx)].flatMap((p) => strings(p.data.rollout?.block_if))
  );
  const records = changeRecords(ctx, 'rollout_assessment').map((e) => e.record);
  for (const r of records) {
    const signals = r.data.signals;
    if (signals === null || typeof signals !== 'object') continue;
    const removed = r.source.side === 'base';
    for (const name of Object.keys(signals).sort(cmp)) {
      const value = (signals as Record<string, unknown>)[name];
      if (typeof value !== 'boolean') continue; // the schema requires booleans; anything else is no evidence
      if (removed && value !== blockers.has(name)) continue;
      const note = own(r.data.evidence, name);
      const obs: SignalObservation = {
        origin: 'asserted',
        value,
        source:
          `asserted in ${r.source.path}${removed ? ' (merged earlier, removed on the head)' : ''}` +
          (typeof note === 'string' && note !== '' ? ` (${note})` : ''),
        location: locationOf(r, pointer('signals', name)),
        ...(typeof r.data.change_id === 'string' ? { change_id: r.data.change_id } : {})
      };
      const list = out.get(name);
      if (list) list.push(obs);
      else out.set(name, [obs]);
    }
  }
  return out;
}

function combine(observations: SignalObservation[], notApplying: SignalObservation[] = []): SignalEntry {
  const known = observations.filter((o) => o.value !== null);
  // a signal the configuration derives from an approval is the approval's to decide: while it cannot be read,
  // an assertion does not stand in for it
  const awaiting = observations.some((o) => o.awaiting_approval === true);
  const unreadable = observations.some((o) => o.approval_unreadable === true);
  const value = known.some((o) => o.value === false)
    ? false
    : !awaiting && !unreadable && known.some((o) => o.value === true)
      ? true
      : null;
  const conflict = known.some((o) => o.value === true) && known.some((o) => o.value === false);
  const decisive =
    (value === null ? observations.find((o) => o.awaiting_approval || o.approval_unreadable) : undefined) ??
    known.find((o) => o.value === value) ??
    observations[0];
  let source = decisive ? decisive.source : notApplying.length > 0 ? 'no evidence for this change' : NO_EVIDENCE;
  if (conflict) {
    const others = known.filter((o) => o.value !== value).map((o) => `${o.source} says ${String(o.value)}`);
    source += `; contradicted: ${others.join('; ')}`;
  }
  if (value !== true && notApplying.length > 0) source += `; ${describeNotApplying(notApplying)}`;
  return {
    value,
    source,
    observations,
    conflict,
    awaiting_approval: awaiting && value === null,
    not_applying: notApplying
  };
}

/** "asserted true for change chg-x in records/a.yaml (does not apply)" */
function describeNotApplying(list: SignalObservation[]): string {
  return list
    .map(
      (o) =>
        o.source.replace(/^asserted in/, `asserted ${String(o.value)} for change ${o.change_id ?? ''} in`) +
        ' (does not apply)'
    )
    .join('; ');
}

/**
 * The signals of one pull request. As a map it holds what the standing rollout policy's `require` reads: each
 * signal as it stands for every change of the pull request (true only when true for each).
 */
export class SignalTable extends Map<string, SignalEntry> {
  /** the changes the pull request's records are about, sorted */
  readonly changes: readonly string[];
  /** assessments of this change that name a change none of its records is about: they evidence nothing here */
  readonly elsewhere: readonly Rec<'rollout_assessment'>[];
  /** what a `block_if` entry reads: a signal true for any change of the pull request */
  readonly blocking: SignalScope;
  private readonly derived: ReadonlyMap<string, SignalObservation | null>;
  private readonly asserted: ReadonlyMap<string, SignalObservation[]>;
  private readonly names: readonly string[];
  private readonly scopes = new Map<string | null, SignalScope>();

  constructor(
    names: string[],
    derived: Map<string, SignalObservation | null>,
    asserted: Map<string, SignalObservation[]>,
    changes: string[],
    elsewhere: Rec<'rollout_assessment'>[]
  ) {
    super();
    this.names = names;
    this.derived = derived;
    this.asserted = asserted;
    this.changes = changes;
    this.elsewhere = elsewhere;
    const blocking = new Map<string, SignalEntry>();
    // each change's scope once: the pull request's view and forChange read the same entries
    const ids: (string | null)[] = changes.length > 0 ? changes : [null];
    const scopes = ids.map((id) => [id, this.forChange(id)] as const);
    for (const name of names) {
      const perChange: [string | null, SignalEntry][] = scopes.map(([id, scope]) => [id, scope.get(name)!]);
      this.set(name, across(perChange, notTrue));
      blocking.set(
        name,
        across(perChange, (e) => (e.value === true ? 0 : notTrue(e)))
      );
    }
    this.blocking = blocking;
  }

  /**
   * The signals of one change: what the gate derives, assertions without a change_id and those naming this
   * change. null: the pull request names no change, so only derived signals and unscoped assertions count.
   */
  forChange(changeId: string | null): SignalScope {
    let scope = this.scopes.get(changeId);
    if (!scope) {
      scope = new Map(this.names.map((n) => [n, this.entryFor(n, changeId)] as const));
      this.scopes.set(changeId, scope);
    }
    return scope;
  }

  private entryFor(name: string, changeId: string | null): SignalEntry {
    const derived = this.derived.get(name);
    const asserted = this.asserted.get(name) ?? [];
    const applies = (o: SignalObservation) => o.change_id === undefined || o.change_id === changeId;
    return combine(
      [...(derived ? [derived] : []), ...asserted.filter(applies)],
      asserted.filter((o) => !applies(o))
    );
  }
}

/**
 * How strongly an entry that is not true speaks against a `require`: false first, then unknown, and last
 * unknown only because an approval cannot be read yet (so a false elsewhere is never softened to a follow-up).
 */
function notTrue(e: SignalEntry): number {
  return e.value === true ? Infinity : e.value === false ? 1 : e.awaiting_approval ? 3 : 2;
}

/**
 * One entry from each change's: when they all agree, the first; otherwise the first entry of the lowest `rank`
 * (Infinity: it decides nothing), its source naming the change.
 */
function across(perChange: [string | null, SignalEntry][], rank: (e: SignalEntry) => number): SignalEntry {
  const [firstId, first] = perChange[0]!;
  if (perChange.every(([, e]) => e.value === first.value && e.source === first.source)) return first;
  let best: [string | null, SignalEntry] = [firstId, first];
  let bestRank = Infinity;
  for (const [id, e] of perChange) {
    const r = rank(e);
    if (r < bestRank) [best, bestRank] = [[id, e], r];
  }
  const [id, entry] = best;
  return { ...entry, source: `for change ${id ?? '(none)'}: ${entry.source}` };
}

/** The signal table for this change: every signal derived, asserted or referenced, by name. */
export function deriveSignals(ctx: GateContext, evals: EvalEvidence[], approvals: RoleEvidence[]): SignalTable {
  const asserted = assertions(ctx);
  const names = [
    ...new Set<string>([...Object.keys(ctx.config.signals ?? {}), ...asserted.keys(), ...referencedSignals(ctx)])
  ].sort(cmp);
  const derived = new Map(names.map((name) => [name, derive(ctx, name, evals, approvals)] as const));
  const changes = changeIds(ctx);
  const elsewhere = ctx
    .active('rollout_assessment')
    .filter((r) => typeof r.data.change_id === 'string' && !changes.includes(r.data.change_id))
    .sort((a, b) => cmp(a.source.path, b.source.path));
  return new SignalTable(names, derived, asserted, changes, elsewhere);
}

/** A signal's entry; unknown signals are null with "no evidence". */
export function signalOf(table: SignalScope, name: string): SignalEntry {
  return (
    table.get(name) ?? {
      value: null,
      source: NO_EVIDENCE,
      observations: [],
      conflict: false,
      awaiting_approval: false,
      not_applying: []
    }
  );
}

/** "false: eval x: fail" / "unknown: no evidence …" */
function describeSignal(table: SignalScope, name: string): string {
  const e = signalOf(table, name);
  return `${e.value === null ? 'unknown' : String(e.value)}: ${e.source}`;
}

/**
 * Signals that are not evidenced true, for a message: each with its value and source, and those
 * without any evidence grouped at the end so a long list stays readable.
 */
export function describeUnevidenced(table: SignalScope, names: string[]): string {
  const without = names.filter((n) => signalOf(table, n).source === NO_EVIDENCE);
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
  table: SignalScope,
  names: readonly string[]
): { observed: Record<string, boolean | null>; required: Record<string, true> } {
  return {
    observed: Object.fromEntries(names.map((n) => [n, signalOf(table, n).value])),
    required: Object.fromEntries(names.map((n) => [n, true] as const))
  };
}

/** Each signal's value and where it comes from, for a finding's evidence. */
export function signalSources(
  table: SignalScope,
  names: readonly string[]
): { signal: string; value: boolean | null; source: string }[] {
  return names.map((signal) => ({
    signal,
    value: signalOf(table, signal).value,
    source: signalOf(table, signal).source
  }));
}

export function signalEvidence(table: SignalScope): Evidence['signals'] {
  return [...table.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([name, e]) => ({ name, value: e.value, source: e.source }));
}

/** Every name is unevidenced only because approvals cannot be read yet: a person's action, not a blocker. */
export function allAwaitingApproval(table: SignalScope, names: readonly string[]): boolean {
  return names.length > 0 && names.every((n) => signalOf(table, n).awaiting_approval);
}

/** Blocking findings caused only by unreadable approvals become follow-ups (a configured severity below deny stays). */
export function softenIfAwaiting(finding: Finding | null, table: SignalScope, names: readonly string[]): void {
  if (finding && finding.severity === 'deny' && allAwaitingApproval(table, names)) {
    finding.severity = 'follow_up';
    finding.message +=
      " These signals come from approvals, which cannot be read here: they need the pull request's reviews.";
  }
}
