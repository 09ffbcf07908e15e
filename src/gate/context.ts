/**
 * What every rule family sees: the input, indexed. Built once by evaluate(); pure data.
 */
import type { GateConfig } from '../model/config.js';
import type { Location } from '../model/location.js';
import type { GateInput, LoadedRecord, Rec, RecordKind, RecordSet } from '../model/input.js';
import type { Finding } from '../model/finding.js';

export interface RecordIndex {
  set: RecordSet;
  /** records of one kind, sorted by file path */
  of<K extends RecordKind>(kind: K): Rec<K>[];
}

export interface GateContext {
  input: GateInput;
  config: GateConfig;
  head: RecordIndex;
  base: RecordIndex | null;
  /**
   * Records of this change: head records whose file is new or differs from the base.
   * Without a base, every head record is of this change.
   */
  active<K extends RecordKind>(kind: K): Rec<K>[];
}

/** What a rule family returns. */
export interface FamilyResult<E> {
  findings: Finding[];
  evidence: E;
}

export function indexRecords(set: RecordSet): RecordIndex {
  const byKind = new Map<RecordKind, LoadedRecord[]>();
  const sorted = [...set.records].sort((a, b) => cmp(a.source.path, b.source.path));
  for (const r of sorted) {
    const list = byKind.get(r.kind);
    if (list) list.push(r);
    else byKind.set(r.kind, [r]);
  }
  return {
    set,
    of<K extends RecordKind>(kind: K): Rec<K>[] {
      return (byKind.get(kind) ?? []) as Rec<K>[];
    }
  };
}

export function createContext(input: GateInput): GateContext {
  const head = indexRecords(input.head);
  const base = input.base ? indexRecords(input.base) : null;
  const baseDigests = new Map<string, string>();
  if (input.base) for (const f of input.base.files) baseDigests.set(f.path, f.sha256);
  return {
    input,
    config: input.config,
    head,
    base,
    active<K extends RecordKind>(kind: K): Rec<K>[] {
      const all = head.of(kind);
      if (!input.base) return all;
      return all.filter((r) => baseDigests.get(r.source.path) !== r.source.sha256);
    }
  };
}

/** The kinds of record that are about one change (they carry its change_id). */
export type ChangeKind = 'change' | 'change_review_record' | 'rollout_gate_record' | 'rollout_assessment';

/** A record about one of this pull request's changes (see changeRecords). */
export interface ChangeRecord<K extends ChangeKind> {
  record: Rec<K>;
  /**
   * not added or updated by this pull request: merged earlier and unchanged on the head, or merged earlier and
   * removed from the head (deleted, renamed out of the records, or given another id): then `record` is its base copy
   */
  earlier: boolean;
  /** the base copy of a record this pull request updates: what that copy required still binds the change */
  was: Rec<K> | null;
}

/** The change a record is about. */
export function changeIdOf(kind: ChangeKind, rec: Rec<ChangeKind>): string | null {
  const data = rec.data as { change_id?: unknown; change?: { change_id?: unknown } };
  const id = kind === 'change' ? data.change?.change_id : data.change_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** What makes two records of a kind the same record: its id (an assessment has none: its file). */
function identityOf(kind: ChangeKind, rec: Rec<ChangeKind>): string {
  const data = rec.data as { review_id?: unknown; gate_id?: unknown };
  const id =
    kind === 'change'
      ? changeIdOf(kind, rec)
      : kind === 'change_review_record'
        ? data.review_id
        : kind === 'rollout_gate_record'
          ? data.gate_id
          : null;
  return typeof id === 'string' ? `${kind} ${id}` : `${kind} @ ${rec.source.path}`;
}

/**
 * The records of one kind about this pull request's changes (changeIds), sorted by file path: every head record of
 * that kind the pull request adds or updates; every one merged earlier about one of its changes (an assessment
 * without a change_id is about every change), whether the pull request leaves it alone or removes it from the head
 * — a gate decision, a review's verdict or a change's requirements do not stop holding because a later pull
 * request of the same change leaves its bytes alone, deletes the file, renames it out of the records or changes its
 * id (the base copy then counts); and, for each record the pull request updates, its base copy, whose requirements
 * still bind (a pull request cannot drop a required eval or approval the change was reviewed with by editing the
 * record). Which records count never depends on which bytes a pull request touches. Records of any other change,
 * unchanged on the base branch, are not among them. Without a base every head record is of this change.
 */
export function changeRecords<K extends ChangeKind>(ctx: GateContext, kind: K): ChangeRecord<K>[] {
  const active = new Set<Rec<K>>(ctx.active(kind));
  const ids = new Set(changeIds(ctx));
  const about = (rec: Rec<K>) => {
    const id = changeIdOf(kind, rec);
    return id === null ? kind === 'rollout_assessment' : ids.has(id);
  };
  const baseAt = new Map<string, Rec<K>>();
  for (const rec of ctx.base?.of(kind) ?? []) baseAt.set(`${rec.source.path}\0${identityOf(kind, rec)}`, rec);
  const onHead = new Set<string>();
  const out: ChangeRecord<K>[] = [];
  for (const record of ctx.head.of(kind)) {
    onHead.add(identityOf(kind, record));
    if (active.has(record)) {
      const was = baseAt.get(`${record.source.path}\0${identityOf(kind, record)}`) ?? null;
      out.push({ record, earlier: false, was });
    } else if (about(record)) out.push({ record, earlier: true, was: null });
  }
  for (const record of ctx.base?.of(kind) ?? []) {
    if (about(record) && !onHead.has(identityOf(kind, record))) out.push({ record, earlier: true, was: null });
  }
  return out.sort((a, b) => cmp(a.record.source.path, b.record.source.path));
}

/**
 * The base copies of the standing rollout policies this pull request edits or removes (deletes, renames out of the
 * records, turns into another kind). The policy that judges a change is the head's together with these: a pull
 * request cannot switch off or loosen the policy that judges it — not by editing it, not by deleting it (a
 * pull request with no change of its own, which the policy does not judge, can).
 */
export function replacedPolicies(ctx: GateContext): Rec<'rollout_policy'>[] {
  const head = new Map(ctx.head.of('rollout_policy').map((r) => [r.source.path, r.source.sha256]));
  return (ctx.base?.of('rollout_policy') ?? []).filter((r) => head.get(r.source.path) !== r.source.sha256);
}

/** How findings name a record that is not the pull request's own: " (merged earlier)", or after `separator`. */
export function earlierNote(c: ChangeRecord<ChangeKind>, separator: string | null = null): string {
  if (!c.earlier) return '';
  const note = c.record.source.side === 'base' ? 'merged earlier, removed on the head' : 'merged earlier';
  return separator === null ? ` (${note})` : `${separator}${note}`;
}

/**
 * The changes this pull request is about, sorted: the change_ids of the change records (change.yaml), change review
 * records and rollout gate records it adds or updates, or, when it touches none of those, the change_ids its
 * added or updated rollout_assessment records name. Empty: the pull request has no change of its own (it edits
 * only records no change is named by — eval results, an unscoped assessment, the rollout policy, …).
 */
export function changeIds(ctx: GateContext): string[] {
  const ids = new Set<string>();
  const add = (id: unknown) => {
    if (typeof id === 'string' && id !== '') ids.add(id);
  };
  for (const r of ctx.active('change')) add(r.data.change?.change_id);
  for (const r of ctx.active('change_review_record')) add(r.data.change_id);
  for (const r of ctx.active('rollout_gate_record')) add(r.data.change_id);
  if (ids.size === 0) for (const r of ctx.active('rollout_assessment')) add(r.data.change_id);
  return [...ids].sort(cmp);
}

/** The location of a JSON pointer inside a record's file. */
export function locationOf(rec: Pick<LoadedRecord, 'source' | 'locate'>, pointer = ''): Location {
  const loc: Location = { file: rec.source.path, side: rec.source.side, pointer };
  const pos = rec.locate(pointer);
  if (pos) {
    loc.line = pos.line;
    loc.column = pos.column;
  }
  return loc;
}

/** Escape one JSON pointer segment (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + pointerSegment(s)).join('');
}

/** Code-unit string order: deterministic, locale-independent. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
