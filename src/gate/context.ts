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
