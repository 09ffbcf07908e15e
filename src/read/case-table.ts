/**
 * Per-case results as columns, and the lines of a results file read into them. The ordinary line (printable ASCII,
 * ids and numbers as the schema's common case) is read here without the YAML parser or the generated validators,
 * so that a second thread can read spans of a large file (src/read/case-thread.ts) while the reader reads others;
 * anything else in a span sends the whole span back to the reader's careful path, which locates every issue.
 */
import { isAscii } from 'node:buffer';
import { unescapedPlain } from './json-colons.js';
import { ordinaryCaseMembers } from './ordinary-case.js';
import { setOwn } from '../model/own.js';

/** One line of a per-case results file, as its schema allows it. */
export interface EvalCaseLine {
  eval: string;
  case_id: string;
  metrics: Record<string, number | boolean>;
  cost_usd?: number;
  latency_ms?: number;
}

/**
 * A span of whole lines of a results file, every one an ordinary case of one eval: its cases as columns (the
 * fields in the order the lines first set them, NaN where a case has none) and each case id's hash and length.
 */
export interface CaseSpan {
  cases: number;
  evalName: string;
  names: string[];
  columns: Float64Array<ArrayBuffer>[];
  idHashes: Float64Array<ArrayBuffer>;
  idLengths: Uint16Array<ArrayBuffer>;
}

/** What the columns of one table may hold; a case that would pass either is refused (see CaseTableBuilder). */
export interface TableLimits {
  maxColumns: number;
  maxValues: number;
}
const NO_TABLE_LIMITS: TableLimits = { maxColumns: Infinity, maxValues: Infinity };

/** Whether a case was kept, or which limit it would have passed. */
export type RowFit = 'ok' | 'columns' | 'values';

/** A case's values into the table's current row: its metrics in order (true/false as 1/0), then cost and latency. */
export function setCaseValues(table: CaseTableBuilder, c: EvalCaseLine): RowFit {
  table.startRow();
  const metrics = c.metrics;
  // for…in, not Object.keys: no array per case (a parsed line is plain data, nothing enumerable is inherited)
  for (const name in metrics) {
    const v = metrics[name];
    table.set(name, typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));
  }
  if (typeof c.cost_usd === 'number') table.set('cost_usd', c.cost_usd);
  if (typeof c.latency_ms === 'number') table.set('latency_ms', c.latency_ms);
  return table.endRow();
}

/**
 * The cases of `bytes`, whole lines each ending in '\n', when every line is what the reader's fast path accepts
 * as it is (JsonLinesReader.caseLine): ASCII without NUL, at most maxLineBytes, no backslash, an ordinary case
 * whose ':' count proves no key merged, all of one eval, at most maxColumns fields in all. null otherwise: the
 * reader then reads the span itself, line by line, and reports what it finds there. A blank line also gives null
 * (the reader numbers rows and lines apart after one).
 */
export function readOrdinarySpan(bytes: Buffer, maxLineBytes: number, maxColumns: number): CaseSpan | null {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a) return null;
  if (bytes.indexOf(0) >= 0 || !isAscii(bytes)) return null;
  // sized once for the span's lines (growing by doubling would copy every column of most spans)
  let capacity = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) capacity++;
  // the span's own columns: at most maxColumns, each as long as the span (the reader checks the file's values)
  const table = new CaseTableBuilder({ maxColumns, maxValues: Infinity });
  table.reserve(capacity);
  const idHashes = new Float64Array(capacity);
  const idLengths = new Uint16Array(capacity);
  let evalName: string | null = null;
  let cases = 0;
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(0x0a, start);
    const length = newline - start;
    if (length === 0 || length > maxLineBytes) return null;
    const end = bytes[newline - 1] === 0x0d ? newline - 1 : newline;
    const text = bytes.toString('latin1', start, end);
    start = newline + 1;
    if (text.charCodeAt(0) !== 0x7b /* { */ || text.indexOf('\\') >= 0) return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    const members = ordinaryCaseMembers(value, true);
    if (members < 0 || !unescapedPlain(text, members)) return null;
    const c = value as EvalCaseLine;
    if (evalName === null) evalName = c.eval;
    else if (c.eval !== evalName) return null;
    if (setCaseValues(table, c) !== 'ok') return null;
    idHashes[cases] = hash53(c.case_id);
    idLengths[cases++] = c.case_id.length;
  }
  if (evalName === null) return null;
  const { names, columns } = table.take();
  return { cases, evalName, names, columns, idHashes, idLengths };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One field's values; rows before `filled` hold a value or NaN, the rest are not written yet. */
interface CaseColumn {
  name: string;
  values: Float64Array<ArrayBuffer>;
  filled: number;
}

/**
 * Columns of per-case values: one growable Float64Array per field, NaN where a case has no value. NaN is
 * written only into the gaps, so a column every case fills is written once (no fill pass over fresh memory).
 */
export class CaseTableBuilder {
  cases = 0;
  private capacity = 1024;
  private readonly columns = new Map<string, CaseColumn>();
  /** the columns in the order the previous row set them: rows of one file name their fields in one order */
  private readonly order: CaseColumn[] = [];
  private at = 0;
  /**
   * Set when the current row would pass a limit: no column is made past it (a line naming 20,000 new metrics, each
   * filled back to the first case, would take gigabytes before any count could be looked at), and the names it would
   * have added are counted so that endRow can say which limit.
   */
  private refused: Set<string> | null = null;

  constructor(private readonly limits: TableLimits = NO_TABLE_LIMITS) {}

  /** Room for this many cases without growing. */
  reserve(cases: number): void {
    if (cases > this.capacity) this.resize(cases);
  }

  /** The columns so far (the metrics named, cost and latency). */
  get columnCount(): number {
    return this.columns.size;
  }

  /** Starts the next case: set() its values, then endRow(). */
  startRow(): void {
    if (this.cases === this.capacity) this.resize(this.capacity * 2);
    this.at = 0;
    this.refused = null;
    if (this.columns.size * (this.cases + 1) > this.limits.maxValues) this.refused = new Set();
  }

  /** A value of the current case (a later value for the same field replaces an earlier one). */
  set(name: string, value: number): void {
    if (this.refused) {
      if (!this.columns.has(name)) this.refused.add(name);
      return;
    }
    let column = this.order[this.at];
    if (column === undefined || column.name !== name) {
      column = this.columns.get(name);
      if (!column) {
        const columns = this.columns.size + 1;
        if (columns > this.limits.maxColumns || columns * (this.cases + 1) > this.limits.maxValues) {
          this.refused = new Set([name]);
          return;
        }
        column = { name, values: new Float64Array(this.capacity), filled: 0 };
        this.columns.set(name, column);
      }
      this.order[this.at] = column;
    }
    this.at++;
    const row = this.cases;
    if (column.filled < row) column.values.fill(NaN, column.filled, row);
    column.values[row] = value;
    column.filled = row + 1;
  }

  /**
   * Ends the case: 'ok', or the limit it would pass ('columns' first, then 'values'), in which case it is not kept
   * and the table is not to be used further. `columnsWith` is the column count the case would have made.
   */
  endRow(): RowFit {
    const refused = this.refused;
    if (refused === null) {
      this.cases++;
      return 'ok';
    }
    this.at = 0;
    return this.columns.size + refused.size > this.limits.maxColumns ? 'columns' : 'values';
  }

  /** The columns the last case would have made, refused ones included (after endRow answered other than 'ok'). */
  get columnsWith(): number {
    return this.columns.size + (this.refused?.size ?? 0);
  }

  /**
   * The cases of a span read elsewhere (readOrdinarySpan), after those already here: as if each had been set() in
   * turn. Columns the span names first are created in its order, as its lines would have created them.
   */
  append(span: CaseSpan): void {
    const rows = span.cases;
    if (this.cases + rows > this.capacity) this.resize(Math.max(this.capacity * 2, this.cases + rows));
    const at = this.cases;
    for (let i = 0; i < span.names.length; i++) {
      const name = span.names[i]!;
      let column = this.columns.get(name);
      if (!column) {
        column = { name, values: new Float64Array(this.capacity), filled: 0 };
        this.columns.set(name, column);
      }
      if (column.filled < at) column.values.fill(NaN, column.filled, at);
      column.values.set(span.columns[i]!.subarray(0, rows), at);
      column.filled = at + rows;
    }
    this.cases = at + rows;
  }

  /** The names not yet among the columns, of those given. */
  newNames(names: readonly string[]): number {
    let n = 0;
    for (const name of names) if (!this.columns.has(name)) n++;
    return n;
  }

  /** The columns in the order they were first set, each with a value (or NaN) for every case. */
  take(): { names: string[]; columns: Float64Array<ArrayBuffer>[] } {
    const names: string[] = [];
    const columns: Float64Array<ArrayBuffer>[] = [];
    for (const column of this.columns.values()) {
      column.values.fill(NaN, column.filled, this.cases);
      names.push(column.name);
      columns.push(column.values);
    }
    return { names, columns };
  }

  /** The columns, sorted by name: views of the first `cases` values (no copy: peak memory stays one table). */
  build(): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {};
    for (const name of [...this.columns.keys()].sort(cmp)) {
      const column = this.columns.get(name)!;
      column.values.fill(NaN, column.filled, this.cases);
      setOwn(out, name, column.values.subarray(0, this.cases));
    }
    return out;
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    for (const column of this.columns.values()) {
      const values = new Float64Array(capacity);
      values.set(column.values.subarray(0, column.filled));
      column.values = values;
    }
  }
}

/** cyrb53: a fast 53-bit string hash. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
