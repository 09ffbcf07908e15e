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

/** A change review record of this pull request's changes (see changeReviews). */
export interface ChangeReview {
  record: Rec<'change_review_record'>;
  /** unchanged here: merged in an earlier pull request, and reviewing a change record of this one */
  earlier: boolean;
}

/**
 * The change review records of this pull request's changes, sorted by file path: the review records it adds or
 * updates, and those merged earlier (unchanged on head) whose change_id is the change_id of a change record
 * (change.yaml) it adds or updates — the change reviewed in an earlier pull request is implemented in this one,
 * so what that review demands (required_reviews, required_evals) applies here. A review record of any other
 * change, unchanged on the base branch, is not one of them. Without a base every head record is of this change.
 */
export function changeReviews(ctx: GateContext): ChangeReview[] {
  const active = new Set<LoadedRecord>(ctx.active('change_review_record'));
  const changeIds = new Set<string>();
  for (const c of ctx.active('change')) {
    const id = c.data.change?.change_id;
    if (typeof id === 'string' && id !== '') changeIds.add(id);
  }
  const out: ChangeReview[] = [];
  for (const record of ctx.head.of('change_review_record')) {
    if (active.has(record)) out.push({ record, earlier: false });
    else if (typeof record.data.change_id === 'string' && changeIds.has(record.data.change_id))
      out.push({ record, earlier: true });
  }
  return out;
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

/** A head record that is evidence about this pull request's changes (see changeEvidence). */
export interface ChangeEvidenceRecord<K extends 'rollout_gate_record' | 'rollout_assessment'> {
  record: Rec<K>;
  /** unchanged here: merged in an earlier pull request, and about a change of this one (or, unscoped, about every change) */
  earlier: boolean;
}

/**
 * The rollout gate records or rollout assessments that are evidence about this pull request's changes (changeIds),
 * sorted by file path: every head record of that kind the pull request adds or updates, and every one merged
 * earlier (unchanged on head) whose change_id is one of its changes — a gate decision or an assessment does not
 * stop holding because a later pull request of the same change leaves its bytes alone, and a trivial byte change
 * must not decide which evidence counts. An assessment without a change_id applies to every change, so one merged
 * earlier is evidence too. A record of any other change, unchanged on the base branch, is not. Without a base every
 * head record is of this change.
 */
export function changeEvidence<K extends 'rollout_gate_record' | 'rollout_assessment'>(
  ctx: GateContext,
  kind: K
): ChangeEvidenceRecord<K>[] {
  const active = new Set<Rec<K>>(ctx.active(kind));
  const ids = new Set(changeIds(ctx));
  const out: ChangeEvidenceRecord<K>[] = [];
  for (const record of ctx.head.of(kind)) {
    const id: unknown = record.data.change_id;
    if (active.has(record)) out.push({ record, earlier: false });
    else if (typeof id === 'string' ? ids.has(id) : kind === 'rollout_assessment') out.push({ record, earlier: true });
  }
  return out;
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
