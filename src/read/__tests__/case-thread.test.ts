/**
 * Reading large per-case results on two threads must give exactly what reading them on one gives: the same
 * columns, case lines, digests and issues at the same places, whatever the lines hold, however the chunks fall and
 * in whatever order the other thread answers. The other thread is played here by an in-process reader that answers
 * late and out of order (the real worker is the bundle's; the CLI tests run it).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { LoadedRecord } from '../../model/input.js';
import type { EvalCaseTable } from '../../model/records.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';
import { CaseTableBuilder, readOrdinarySpan } from '../case-table.js';
import { caseThread } from '../case-thread.js';
import type { SpanReader } from '../case-thread.js';
import type { CaseSpan } from '../case-table.js';
import { loadRecordSet } from '../load.js';
import type { ReadThreads } from '../load.js';
import type { FileSource, SourceEntry } from '../source.js';

const config = structuredClone(DEFAULT_CONFIG);
config.records.include = ['records/**/*.jsonl'];
config.records.max_file_bytes = 300; // the longest line allowed: some lines below are longer

/** The same bytes in chunks of the given sizes, in turn (a git source may give any). */
function chunked(bytes: Buffer, sizes: number[]): FileSource {
  return {
    side: 'head',
    description: 'chunks',
    list: async (): Promise<SourceEntry[]> => [{ path: 'records/r.jsonl', type: 'file', size: bytes.length }],
    stat: async () => ({ path: 'records/r.jsonl', type: 'file', size: bytes.length }),
    read: async () => bytes,
    async *stream() {
      for (let i = 0, k = 0; i < bytes.length; k++) {
        const size = sizes[k % sizes.length]!;
        // a fresh buffer each time, as a file source gives (the reader keeps some of them queued)
        yield Buffer.from(bytes.subarray(i, i + size));
        i += size;
      }
    }
  };
}

/** Another thread, played in process: each span answered after its own delay, so answers overtake each other. */
class LateSpans implements SpanReader {
  ready = true;
  busy = 0;
  spans = 0;
  /** spans answered with cases (the others are read again by the reader) */
  answered = 0;
  /** from this span on (counting from 1), the thread fails: every span is rejected */
  constructor(private readonly failsFrom = Infinity) {}
  read(lines: Buffer, maxLineBytes: number, maxColumns: number): Promise<CaseSpan | null> {
    this.busy++;
    const n = ++this.spans;
    const copy = Buffer.from(lines); // the other thread has its own copy
    const delay = (n * 7919) % 5;
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        this.busy--;
        if (n >= this.failsFrom) return reject(new Error('the thread reading results stopped (exit code 1)'));
        const span = readOrdinarySpan(copy, maxLineBytes, maxColumns);
        if (span) this.answered++;
        resolve(span);
      }, delay)
    );
  }
  async close(): Promise<void> {}
}

const threads = (reader: SpanReader | null, inFlight = true): ReadThreads => ({
  start: () => reader,
  fromBytes: 0,
  minSpanBytes: inFlight ? 1 : Number.MAX_SAFE_INTEGER
});

/** What a load gives, with each record's locator asked about every row (a function itself compares by identity). */
async function outcome(source: FileSource, with2: ReadThreads | null) {
  const { set, issues } = await loadRecordSet(source, config, { threads: with2 });
  const records = set.records.map((r: LoadedRecord) => {
    const cases = (r.data as EvalCaseTable).cases;
    const rows = Array.from({ length: cases + 1 }, (_, row) => r.locate(`/${row}/case_id`));
    return { kind: r.kind, source: r.source, data: r.data, rows };
  });
  return { files: set.files, records, issues };
}

const ordinary = (evalName: string, id: string, metrics: string, rest = ''): string =>
  `{"eval":"${evalName}","case_id":"${id}","metrics":{${metrics}}${rest}}`;

/** Lines of every sort the reader meets: most ordinary, some that only the careful path may read or reject. */
const lineKinds = (n: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 12, arbitrary: fc.constantFrom('"ok":true,"score":0.5', '"score":1', '"ok":false,"new":3') },
      { weight: 2, arbitrary: fc.constant('"ok":true') },
      { weight: 1, arbitrary: fc.constant('') }
    )
    .chain((metrics) =>
      fc.oneof(
        { weight: 30, arbitrary: fc.constant(ordinary('quality', `c${n}`, metrics, ',"latency_ms":120')) },
        { weight: 6, arbitrary: fc.constant(ordinary('quality', `c${n}`, metrics)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            ordinary('quality', `c${n % 7}`, metrics), // a repeated case id (some)
            ordinary('other', `c${n}`, metrics), // another eval
            ordinary('quality', `c${n}`, '"ok":true,"ok":false'), // a duplicate key
            ordinary('quality', `a:b${n}`, metrics), // ':' inside an id: plain, not counted as ordinary
            ordinary('quality', `c\\u003a${n}`, metrics), // an escape
            ordinary('quality', `c\u00e9${n}`, metrics), // not ASCII
            ordinary('quality', ` c${n}`, metrics), // a leading space: the schema rejects it
            ordinary('quality', `c${n}`, '"ok":"yes"'), // a wrong type
            ordinary('quality', `c${n}`, metrics, ',"latency_ms":1e400'), // beyond finite
            ordinary('quality', `c${n}`, metrics, ',"extra":1'), // a field the schema does not know
            ordinary('quality', `c${n}`, metrics, `,"cost_usd":0.5,"note":"${'x'.repeat(300)}"`), // over-long
            `  ${ordinary('quality', `c${n}`, metrics)}`, // leading whitespace: still JSON
            '', // blank
            ' \t', // blank
            '{"eval":"quality","case_id":', // truncated
            'not json',
            `${ordinary('quality', `c${n}`, metrics)}\u0000`, // a NUL byte
            `{"eval":"quality","case_id":"c${n}","metrics":{"m${n}":1}}` // a metric name of its own
          )
        }
      )
    );

const file = fc
  .tuple(
    fc.integer({ min: 1, max: 160 }).chain((length) => fc.tuple(...Array.from({ length }, (_, n) => lineKinds(n)))),
    fc.constantFrom('\n', '\r\n'),
    fc.constantFrom('', '\n', '\r\n'),
    fc.boolean(),
    // from this line on, the lines name another eval (a whole span of them may reach the other thread)
    fc.option(fc.integer({ min: 0, max: 160 }), { freq: 4 })
  )
  .map(([lines, eol, end, bom, switchAt]) => {
    const named =
      switchAt === null ? lines : lines.map((l, n) => (n < switchAt ? l : l.replace('"quality"', '"other"')));
    const text = (bom ? '\ufeff' : '') + named.join(eol) + end;
    return Buffer.from(text);
  });

describe('large per-case results read on two threads', () => {
  it('give what reading on one thread gives, for any lines, chunks and order of answers', async () => {
    let spans = 0;
    let read = 0;
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.array(fc.integer({ min: 1, max: 2048 }), { minLength: 1, maxLength: 4 }),
        async (bytes, sizes) => {
          const one = await outcome(chunked(bytes, sizes), null);
          const late = new LateSpans();
          const two = await outcome(chunked(bytes, sizes), threads(late));
          expect(two).toEqual(one);
          spans += late.spans;
          read += late.answered;
        }
      ),
      { numRuns: 250 }
    );
    // not vacuous: many spans went to the other thread, and many came back as cases
    expect(spans).toBeGreaterThan(250);
    expect(read).toBeGreaterThan(50);
  });

  it('hands spans to the other thread and merges them (the property above is not passing vacuously)', async () => {
    const lines = Array.from({ length: 400 }, (_, n) => ordinary('quality', `c${n}`, '"ok":true,"score":0.5'));
    lines[350] = ordinary('quality', 'c12', '"ok":true'); // a repeat, found after the merge
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const late = new LateSpans();
    const two = await outcome(chunked(bytes, [4096]), threads(late));
    expect(late.answered).toBe(2); // the other thread holds two at a time; this thread reads the rest meanwhile
    expect(two.issues.map((i) => [i.code, i.line, i.column])).toEqual([['eval-cases.duplicate-case', 351, 19]]);
    expect(two).toEqual(await outcome(chunked(bytes, [4096]), null));
  });

  it('stops at the line that names one metric too many, whichever thread read it', async () => {
    const lines = Array.from({ length: 700 }, (_, n) => ordinary('quality', `c${n}`, `"m${n}":1`));
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const two = await outcome(chunked(bytes, [2000]), threads(new LateSpans()));
    expect(two.issues.map((i) => [i.code, i.line])).toEqual([['eval-cases.too-many-metrics', 513]]);
    expect(two).toEqual(await outcome(chunked(bytes, [2000]), null));
  });

  it('give what one thread gives while the other has not started, for any lines and chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.array(fc.integer({ min: 1, max: 2048 }), { minLength: 1, maxLength: 4 }),
        async (bytes, sizes) => {
          const starting = new LateSpans();
          starting.ready = false;
          expect(await outcome(chunked(bytes, sizes), threads(starting))).toEqual(
            await outcome(chunked(bytes, sizes), null)
          );
        }
      ),
      { numRuns: 150 }
    );
  });

  it('gives a thread nothing until it has started, and reads meanwhile', async () => {
    const starting = new LateSpans();
    starting.ready = false;
    const lines = Array.from({ length: 100 }, (_, n) => ordinary('quality', `c${n}`, '"ok":true'));
    const bytes = Buffer.from(lines.join('\n'));
    const result = await outcome(chunked(bytes, [512]), threads(starting));
    expect(starting.spans).toBe(0);
    expect(result).toEqual(await outcome(chunked(bytes, [512]), null));
  });

  it('stops at the line past which the columns would keep more than 2^27 values, whichever thread read it', async () => {
    // 512 metrics taking turns, one a case: 262,144 cases fill 2^27 values exactly
    const lines = Array.from({ length: 262_150 }, (_, n) => ordinary('q', `c${n}`, `"m${n % 512}":1`));
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const two = await outcome(chunked(bytes, [65_536]), threads(new LateSpans()));
    expect(two.issues.map((i) => [i.code, i.line, i.message])).toEqual([
      [
        'eval-cases.too-many-values',
        262_145,
        'would keep more than 134,217,728 values (512 metrics × 262,145 cases by this line); the file is not read further'
      ]
    ]);
    expect(two).toEqual(await outcome(chunked(bytes, [65_536]), null));
  }, 120_000);

  it('reads a file on one thread when no other can start', async () => {
    const lines = Array.from({ length: 100 }, (_, n) => ordinary('quality', `c${n}`, '"ok":true'));
    const bytes = Buffer.from(lines.join('\n'));
    let asked = 0;
    const none: ReadThreads = {
      ...threads(null),
      start: () => {
        asked++;
        return null;
      }
    };
    const result = await outcome(chunked(bytes, [512]), none);
    expect(asked).toBe(1);
    expect(result.records).toHaveLength(1);
    expect(result).toEqual(await outcome(chunked(bytes, [512]), null));
  });

  it('reads the spans itself when the other thread fails, before or after answering some', async () => {
    const lines = Array.from({ length: 300 }, (_, n) => ordinary('quality', `c${n}`, '"ok":true'));
    lines[250] = ordinary('quality', 'c3', '"ok":true'); // a repeat in a span the failed thread held
    const bytes = Buffer.from(lines.join('\n'));
    const one = await outcome(chunked(bytes, [1024]), null);
    expect(one.issues.map((i) => [i.code, i.line])).toEqual([['eval-cases.duplicate-case', 251]]);
    for (const failsFrom of [1, 2, 4]) {
      const failing = new LateSpans(failsFrom);
      expect(await outcome(chunked(bytes, [1024]), threads(failing))).toEqual(one);
      expect(failing.spans).toBeGreaterThanOrEqual(failsFrom);
    }
  });

  it('closes the other thread when the load ends', async () => {
    const late = new LateSpans();
    let closed = 0;
    late.close = async () => {
      closed++;
    };
    const lines = Array.from({ length: 50 }, (_, n) => ordinary('quality', `c${n}`, '"ok":true'));
    await outcome(chunked(Buffer.from(lines.join('\n')), [512]), threads(late));
    expect(closed).toBe(1);
  });
});

describe('the other thread and a load that fails', () => {
  it('is not started for a file still being read after another file failed the load', async () => {
    const lines = Array.from({ length: 200 }, (_, n) => ordinary('quality', `c${n}`, '"ok":true'));
    const big = Buffer.from(lines.join('\n'));
    let streamed = 0;
    const source: FileSource = {
      side: 'head',
      description: 'a broken repository',
      list: async (): Promise<SourceEntry[]> => [
        { path: 'records/a.jsonl', type: 'file', size: 10 },
        { path: 'records/b.jsonl', type: 'file', size: big.length }
      ],
      stat: async () => null,
      read: async () => big,
      async *stream(path: string) {
        if (path === 'records/a.jsonl') throw new Error('git cat-file: object is corrupt'); // not a SourceError
        for (let i = 0; i < big.length; i += 512) {
          await new Promise((resolve) => setTimeout(resolve, 2)); // still reading after the load has failed
          streamed++;
          yield Buffer.from(big.subarray(i, i + 512));
        }
      }
    };
    let started = 0;
    const counting: ReadThreads = {
      ...threads(null),
      start: () => {
        started++;
        return new LateSpans();
      }
    };
    await expect(loadRecordSet(source, config, { threads: counting })).rejects.toThrow('corrupt');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(streamed).toBeGreaterThan(0);
    expect(started).toBe(0);
  });
});

describe('caseThread', () => {
  it('is not started when AGENT_GATE_READ_THREADS is 1, nor where the build has no worker (these sources)', () => {
    expect(caseThread({ AGENT_GATE_READ_THREADS: '1' })).toBeNull();
    expect(caseThread({})).toBeNull();
  });
});

describe('readOrdinarySpan', () => {
  const line = (id: string) => ordinary('quality', id, '"ok":true,"score":0.25', ',"latency_ms":9');

  it('reads ordinary lines into columns, in the order the lines first name the fields', () => {
    const text = [line('a'), ordinary('quality', 'b', '"new":2,"ok":false'), line('c')].join('\r\n') + '\n';
    const span = readOrdinarySpan(Buffer.from(text), 1000, 512)!;
    expect(span.cases).toBe(3);
    expect(span.evalName).toBe('quality');
    expect(span.names).toEqual(['ok', 'score', 'latency_ms', 'new']);
    const column = (name: string) => Array.from(span.columns[span.names.indexOf(name)]!.subarray(0, 3));
    expect(column('ok')).toEqual([1, 0, 1]);
    expect(column('score')).toEqual([0.25, NaN, 0.25]);
    expect(column('new')).toEqual([NaN, 2, NaN]);
    expect(Array.from(span.idLengths.subarray(0, 3))).toEqual([1, 1, 1]);
  });

  it.each([
    ['a line that does not end the span', line('a')],
    ['a blank line', `${line('a')}\n\n`],
    ['another eval', `${line('a')}\n${ordinary('other', 'b', '"ok":true')}\n`],
    ['an escape', `${ordinary('quality', 'a\\u0041', '"ok":true')}\n`],
    ['a character beyond ASCII', `${ordinary('quality', 'a\u00e9', '"ok":true')}\n`],
    ['a duplicate key', `${ordinary('quality', 'a', '"ok":true,"ok":false')}\n`],
    ['an id the schema rejects', `${ordinary('quality', ' a', '"ok":true')}\n`],
    ['a line too long', `${ordinary('quality', 'a'.repeat(100), '"ok":true')}\n`],
    ['more fields than allowed', `${ordinary('quality', 'a', '"m1":1,"m2":2,"m3":3,"m4":4')}\n`]
  ])('gives the span back for the reader to read line by line: %s', (_, text) => {
    expect(readOrdinarySpan(Buffer.from(text), 100, 3)).toBeNull();
  });
});

describe('CaseTableBuilder limits', () => {
  const fill = (table: CaseTableBuilder, rows: number, names: string[]) => {
    for (let r = 0; r < rows; r++) {
      table.startRow();
      for (const name of names) table.set(name, r);
      expect(table.endRow()).toBe('ok');
    }
  };

  it('refuses a case that would make too many columns before making them, and counts what it would have made', () => {
    const table = new CaseTableBuilder({ maxColumns: 512, maxValues: Infinity });
    fill(table, 1000, ['a']);
    table.startRow();
    for (let m = 0; m < 20_000; m++) table.set(`m${m}`, 1);
    expect(table.endRow()).toBe('columns');
    expect(table.columnCount).toBeLessThanOrEqual(512); // no column past the limit was made (nor filled back)
    expect(table.columnsWith).toBe(20_001);
    expect(table.cases).toBe(1000);
  });

  it('refuses a case that would pass the values budget, by a new column or by one more row', () => {
    const wide = new CaseTableBuilder({ maxColumns: 512, maxValues: 100 });
    fill(wide, 10, ['a', 'b', 'c', 'd', 'e']); // 50 values
    wide.startRow();
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) wide.set(name, 1); // 10 × 11 = 110
    expect(wide.endRow()).toBe('values');
    expect([wide.columnCount, wide.columnsWith, wide.cases]).toEqual([9, 10, 10]);

    const long = new CaseTableBuilder({ maxColumns: 512, maxValues: 100 });
    fill(long, 50, ['a', 'b']); // 100 values: at the budget, not past it
    long.startRow();
    long.set('a', 1);
    expect(long.endRow()).toBe('values');
    expect(long.cases).toBe(50);
  });

  it('names the metric limit first when a case passes both', () => {
    const table = new CaseTableBuilder({ maxColumns: 4, maxValues: 10 });
    fill(table, 2, ['a', 'b']);
    table.startRow();
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) table.set(name, 1);
    expect(table.endRow()).toBe('columns');
  });

  it('stops a results file at a line naming 20,000 new metrics, whichever thread reads it, with its columns bounded', async () => {
    const lines = Array.from({ length: 3000 }, (_, n) => ordinary('quality', `c${n}`, '"ok":true'));
    lines[2500] = ordinary('quality', 'wide', Array.from({ length: 20_000 }, (_, m) => `"m${m}":1`).join(','));
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const wide = { ...config, records: { ...config.records, max_file_bytes: 1024 * 1024 } };
    const read = async (with2: ReadThreads | null) =>
      (await loadRecordSet(chunked(bytes, [65_536]), wide, { threads: with2 })).issues.map((i) => [
        i.code,
        i.line,
        i.message
      ]);
    const one = await read(null);
    expect(one).toEqual([
      [
        'eval-cases.too-many-metrics',
        2501,
        'names more than 512 different metrics (this line brings the total to 20001); the file is not read further'
      ]
    ]);
    expect(await read(threads(new LateSpans()))).toEqual(one);
  });
});
