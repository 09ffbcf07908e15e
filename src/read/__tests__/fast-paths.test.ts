/**
 * The fast paths of reading (plainJson, the JSON Lines reader's per-chunk decoding, the duplicate check of case ids
 * done after the read, the AgBOM's unique-entries check) must give exactly the answers of the careful paths: the same values, the same located issues.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvalCaseTable } from '../../model/records.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';
import { WorkingTreeSource } from '../fs-source.js';
import { loadRecordSet } from '../load.js';
import { jsonResolvers, NOT_PLAIN, parseDocument, plainJson } from '../parse.js';
import type { FileSource, SourceEntry } from '../source.js';
import { isOrdinaryCaseLine, repeatedEntries, validateEvalCaseLine } from '../validate.js';
import { validate_eval_case_line } from '../generated/records.js';

const json = (text: string) => parseDocument(text, 'records/x.json', 'json');

/** JSON texts with keys that hold ':' and escapes, whitespace, and every kind of value. */
/** Keys written with an escape, as they appear between the quotes. */
const ESCAPED_KEYS = ['x\\u003ay', 'q\\"', '\\u003A'];
const key = fc.oneof(fc.constantFrom('a', 'b', 'a:b', ':', '__proto__', ...ESCAPED_KEYS), fc.string({ maxLength: 5 }));
const quoted = (k: string): string => (ESCAPED_KEYS.includes(k) ? `"${k}"` : JSON.stringify(k));
const texts = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
    fc.constantFrom('"http://x:1"', '"\\u003A"', '"\\\\u003a"', '-0', '1.5e3'),
    tie('object'),
    tie('array')
  ),
  object: fc
    .array(fc.tuple(key, tie('value'), fc.constantFrom('', ' ', '\n  ')), { maxLength: 5 })
    .map((members) => `{${members.map(([k, v, ws]) => `${ws}${quoted(k)}:${ws}${v}`).join(',')}}`),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`)
})).object;

describe('plainJson', () => {
  it('answers the value JSON.parse gives, or NOT_PLAIN when the scanner has something to say', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const result = json(text);
        const plain = plainJson(text);
        if (plain === NOT_PLAIN) return; // the scanner decides (parseDocument's own tests cover it)
        expect(result.ok).toBe(true);
        expect(plain).toEqual(JSON.parse(text));
      }),
      { numRuns: 3000 }
    );
  });

  it('never lets a duplicate key through, whatever the strings around it hold', () => {
    fc.assert(
      fc.property(texts, key, fc.jsonValue({ maxDepth: 1 }), (text, dup, v) => {
        // the same key twice at the start of the outermost object
        const withDuplicate = `{${quoted(dup)}:${JSON.stringify(v)},${quoted(dup)}:1${text.length > 2 ? `,${text.slice(1)}` : '}'}`;
        expect(plainJson(withDuplicate)).toBe(NOT_PLAIN);
        const result = json(withDuplicate);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.issues.map((i) => i.code)).toContain('json.duplicate-key');
      }),
      { numRuns: 2000 }
    );
  });

  it.each([
    ['an unsafe integer', '{"n": 9007199254740993}', 'json.unsafe-integer'],
    ['an overflow to Infinity', '{"n": 1e400}', 'json.non-finite'],
    ['nesting beyond the limit', `${'['.repeat(65)}${']'.repeat(65)}`, 'json.too-deep'],
    ['a duplicate behind an escaped colon', '{"a\\u003a": 1, "b": "x", "b": "y:"}', 'json.duplicate-key']
  ])('sends %s to the scanner', (_what, text, code) => {
    expect(plainJson(text)).toBe(NOT_PLAIN);
    const result = json(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.code).toBe(code);
  });

  it('locates values of a plain text as the scanner would', () => {
    const text = '{\n  "a": {"b:c": [1, "x\\"y", {"d": null}]},\n  "e": "\\u003a"\n}';
    const result = json(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.locate('/a/b:c/2/d')).toEqual({ line: 2, column: 29 });
    expect(result.locate('/e')).toEqual({ line: 3, column: 3 });
    expect(result.sourceOf('/a/b:c/1')).toBe('"x\\"y"');
    expect(result.locate('/a/missing')).toEqual({ line: 2, column: 3 });
  });
});

describe('locating a pointer in JSON: walking the text, then the structure index', () => {
  /** Every pointer of a value, and some that lead nowhere or only part of the way. */
  const pointersOf = (value: unknown, at = ''): string[] => {
    const here = [at];
    if (value === null || typeof value !== 'object') return [...here, `${at}/0`, `${at}/x`];
    if (Array.isArray(value))
      return [
        ...here,
        `${at}/${value.length}`,
        `${at}/01`,
        `${at}/-`,
        ...value.flatMap((v, i) => pointersOf(v, `${at}/${i}`))
      ];
    const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
    return [
      ...here,
      `${at}/no such key`,
      ...Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => pointersOf(v, `${at}/${escape(k)}`))
    ];
  };

  it('the walker answers as the structure index does, whatever order the pointers come in', () => {
    const spaced = fc.tuple(texts, fc.constantFrom('', ' ', '\n\t ', '\r\n')).map(([t, ws]) => `${ws}${t}${ws}`);
    fc.assert(
      fc.property(spaced, fc.infiniteStream(fc.nat()), (text, picks) => {
        if (plainJson(text) === NOT_PLAIN) return;
        const pointers = [...pointersOf(JSON.parse(text)), 'no slash', '/'];
        // one walker for all of them, asked in a random order (it resumes where earlier walks stopped)
        const order = pointers.map((p) => [picks.next().value as number, p] as const).sort((a, b) => a[0] - b[0]);
        const { walk, index } = jsonResolvers(text);
        for (const [, pointer] of order) {
          const walked = walk(pointer);
          if (walked !== null) expect([pointer, walked]).toEqual([pointer, index(pointer)]);
        }
      }),
      { numRuns: 1000 }
    );
  });

  it('locates and quotes through parseDocument as the structure index does', () => {
    const text = JSON.stringify({ components: [{ name: 'a' }, { name: 'b', version: '1.0' }], z: [1, 2] }, null, 2);
    const doc = json(text);
    if (!doc.ok) throw new Error('valid JSON');
    expect(doc.locate('/components/1/version')).toEqual({ line: 8, column: 7 });
    expect(doc.sourceOf('/components/1/version')).toBe('"1.0"');
    expect(doc.locate('/components/7')).toEqual({ line: 2, column: 3 });
    expect(doc.sourceOf('/components/7')).toBeUndefined();
    expect(doc.sourceOf('/z/1')).toBe('2');
  });

  it('comes from the nearer end: an item near the end of a long list costs the text after it', () => {
    // a BOM-like document: a long list, then a long tail (a dependency graph) after it
    const doc = {
      meta: { name: 'x' },
      components: Array.from({ length: 5000 }, (_, i) => ({ 'bom-ref': `c${i}`, name: `lib-${i}`, tags: ['a', 'b"'] })),
      dependencies: Array.from({ length: 1000 }, (_, i) => ({ ref: `c${i}`, dependsOn: [`c${i + 1}`] }))
    };
    const text = JSON.stringify(doc, null, 2);
    const { walk, index, scanned } = jsonResolvers(text);
    for (const pointer of ['/components/4990/name', '/components/4999/tags/1', '/components/4980']) {
      expect(walk(pointer)).toEqual(index(pointer));
    }
    const tail = text.length - text.indexOf('"dependencies"');
    const near = text.length - text.indexOf('"bom-ref": "c4980"');
    expect(scanned()).toBeLessThan(near + 200);
    expect(scanned()).toBeGreaterThanOrEqual(tail);
    // the start of the list is still walked from its start
    const before = scanned();
    expect(walk('/components/3/name')).toEqual(index('/components/3/name'));
    expect(scanned() - before).toBeLessThan(1000);
    // members of an object written in its second half are found from its end as well
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, { v: [i] }])));
    const w = jsonResolvers(wide);
    expect(w.walk('/k1998/v/0')).toEqual(w.index('/k1998/v/0'));
    expect(w.scanned()).toBeLessThan(100);
  });

  it('hands over to the structure index once walking has rescanned more than twice the text', () => {
    // nested lists entered one level at a time, from the deepest item outwards: every walk rescans the text
    const depth = 40;
    const text = `${'['.repeat(depth)}${'1,'.repeat(2000)}1${']'.repeat(depth)}`;
    const { walk } = jsonResolvers(text);
    const answers = Array.from({ length: depth }, (_, d) => walk(`${'/0'.repeat(depth - d - 1)}/1`));
    expect(answers[0]).not.toBeNull();
    expect(answers.some((a) => a === null)).toBe(true);
  });
});

describe('per-case JSON Lines, read in large chunks', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'gate-fast-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const config = structuredClone(DEFAULT_CONFIG);
  config.records.include = ['records/**/*.jsonl'];
  const line = (id: string, extra = ''): string =>
    `{"eval":"quality","case_id":"${id}","metrics":{"ok":true,"score":0.5}${extra}}`;

  /**
   * The same bytes, served in chunks of the given sizes (a git source may give any); `sized: false` keeps the file's
   * size from the reader, so that its tables grow instead of being sized up front.
   */
  function chunked(text: string, size: number, sized = true): FileSource {
    const bytes = Buffer.from(text);
    const known = sized ? bytes.length : null;
    return {
      side: 'head',
      description: `chunks of ${size}`,
      list: async (): Promise<SourceEntry[]> => [{ path: 'records/r.jsonl', type: 'file', size: known }],
      stat: async () => (sized ? { path: 'records/r.jsonl', type: 'file', size: bytes.length } : null),
      read: async () => bytes,
      async *stream() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
    };
  }

  it('gives the same issues and columns whatever the chunk boundaries', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => line(`c${i}`));
    lines[40] = line('c7'); // a duplicate case
    lines[90] = '{"eval":"quality","case_id":"c90","metrics":{"ok":true,"ok":false}}'; // a duplicate key
    lines[120] = line('c120', ',"latency_ms":1e400');
    lines[150] = '{"eval":"quality","case_id":"c\\u003a150","metrics":{"ok":1}}'; // an escape: still plain
    lines[200] = '';
    lines[250] = `\u00e9${line('c250')}`; // not JSON, with a two-byte character
    const text = lines.join('\r\n') + '\n';
    const answers = [];
    for (const size of [1, 7, 64, 4096, 1 << 20]) {
      const { set, issues } = await loadRecordSet(chunked(text, size), config);
      answers.push({ records: set.records.length, issues: issues.map((i) => [i.line, i.column, i.code, i.pointer]) });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.issues).toEqual([
      [41, 19, 'eval-cases.duplicate-case', '/40/case_id'],
      [91, 56, 'json.duplicate-key', '/90/metrics/ok'],
      [121, 83, 'json.non-finite', '/120/latency_ms'],
      [251, 1, 'json.syntax', '/250']
    ]);
  });

  it('accepts a printable line exactly when the careful path (scanner and schema) does', async () => {
    // printable ASCII lines without escapes take the one-walk fast path; keys repeated at either level, ':' inside
    // ids, numbers past 2^53 and wrong types must all end where parseDocument and the schema put them
    const id = fc.constantFrom('c', 'a:b', ':', 'x y', ' c', 'c ', 'k'.repeat(257));
    const number = fc.constantFrom('0.5', '1', '-0', '1e3', '9007199254740991', '9007199254740993', '1e300', '-2');
    const value = fc.oneof(number, fc.constantFrom('true', 'false', '"1"', 'null', '{}'));
    const member = fc.tuple(fc.oneof(fc.constantFrom('ok', 'score', 'ok'), id), value);
    const caseLine = fc
      .record({
        caseId: id,
        metrics: fc.array(member, { maxLength: 3 }),
        top: fc.array(
          fc.tuple(fc.constantFrom('eval', 'case_id', 'metrics', 'cost_usd', 'latency_ms', 'extra'), value),
          { maxLength: 2 }
        )
      })
      .map(({ caseId, metrics, top }) => (n: number) => {
        const m = metrics.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',');
        const rest = top.map(([k, v]) => `,"${k}":${v}`).join('');
        return `{"eval":"quality","case_id":"${caseId}-${n}","metrics":{${m}}${rest}}`;
      });
    await fc.assert(
      fc.asyncProperty(fc.array(caseLine, { minLength: 1, maxLength: 12 }), async (makers) => {
        const lines = makers.map((make, i) => make(i));
        const careful = lines.map((text) => {
          const parsed = json(text);
          return parsed.ok && validate_eval_case_line(parsed.value);
        });
        const { set, issues } = await loadRecordSet(chunked(lines.join('\n') + '\n', 1 << 20), config);
        const rejected = new Set(issues.map((i) => i.line));
        expect(lines.map((_, i) => !rejected.has(i + 1))).toEqual(careful);
        if (careful.every(Boolean)) {
          const table = set.records[0]!.data as EvalCaseTable;
          expect(table.cases).toBe(lines.length);
          // the values are the careful parse's (for a repeated key, the last one written)
          lines.forEach((text, row) => {
            const metrics = (json(text) as { value: { metrics: Record<string, number | boolean> } }).value.metrics;
            for (const [name, v] of Object.entries(metrics)) expect(table.columns[name]![row]).toBe(Number(v));
          });
        }
      }),
      { numRuns: 300 }
    );
  });

  it('checks ids written with escapes in ASCII text, whatever the chunk holds besides', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => line(`c${i}`));
    lines[10] = line('\\u0020c10'); // a leading space, escaped
    lines[20] = line('c20\\n'); // a line break, escaped
    lines[30] = '{"eval":"quality","case_id":"c30","metrics":{"\\t":1}}'; // a metric name of a tab
    lines[40] = line('c\u007f40'); // DEL is neither a space nor a line break: valid
    lines[50] = line('c\u00e950'); // not ASCII: valid, and the chunks around it are not ASCII
    lines[60] = line('c60\\u00a0'); // a no-break space at the end, escaped
    lines[70] = line('c70\\u0041'); // an escaped letter: valid
    const text = lines.join('\n') + '\n';
    const answers = [];
    for (const size of [1, 16, 300, 4096, 1 << 20]) {
      const { set, issues } = await loadRecordSet(chunked(text, size), config);
      answers.push({ records: set.records.length, issues: issues.map((i) => [i.line, i.code, i.pointer]) });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.issues.map(([at, , pointer]) => [at, pointer])).toEqual([
      [11, '/10/case_id'],
      [21, '/20/case_id'],
      [31, '/30/metrics/\t'],
      [61, '/60/case_id']
    ]);
  });

  it('locates every case at its line, whatever the blank lines, line endings and chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
          {
            minLength: 1,
            maxLength: 40
          }
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.constantFrom('', ' ', '\t', ' \r'),
        fc.constantFrom('', '\n', '\r\n', '\n\n \n'),
        fc.constantFrom(1, 5, 64, 4096),
        async (gaps, eol, blank, end, size) => {
          const lines: string[] = [];
          const expected: number[] = [];
          gaps.forEach((gap, row) => {
            for (let k = 0; k < gap; k++) lines.push(blank);
            lines.push(line(`c${row}`));
            expected.push(lines.length);
          });
          const { set, issues } = await loadRecordSet(chunked(lines.join(eol) + end, size), config);
          expect(issues).toEqual([]);
          const record = set.records[0]!;
          expect((record.data as EvalCaseTable).cases).toBe(gaps.length);
          expect(gaps.map((_, row) => record.locate(`/${row}/metrics/ok`)?.line)).toEqual(expected);
          expect(record.locate(`/${gaps.length}/metrics/ok`)).toBeUndefined();
        }
      ),
      { numRuns: 300 }
    );
  });

  it('keeps the line of every case of a large file, blank lines between all of them, some or a few', async () => {
    const cases = 5000;
    const patterns: [string, (row: number) => number][] = [
      ['double-spaced', () => 1],
      ['every third', (row) => (row % 3 === 0 ? 1 : 0)],
      ['irregular', (row) => (row % 7 === 0 ? 2 : row % 2)],
      ['a few', (row) => (row % 1000 === 999 ? 3 : 0)],
      ['double-spaced after a while', (row) => (row >= 2000 ? 1 : 0)]
    ];
    for (const [name, blanks] of patterns) {
      const lines: string[] = [];
      const expected: number[] = [];
      for (let row = 0; row < cases; row++) {
        for (let k = 0; k < blanks(row); k++) lines.push('');
        lines.push(line(`c${row}`));
        expected.push(lines.length);
      }
      for (const sized of [true, false]) {
        const { set, issues } = await loadRecordSet(chunked(lines.join('\n'), 65536, sized), config);
        expect(issues).toEqual([]);
        const record = set.records[0]!;
        const located = expected.map((_, row) => record.locate(`/${row}/metrics/ok`)?.line);
        expect({ name, sized, lines: located }).toEqual({ name, sized, lines: expected });
      }
    }
  });

  it('keeps every column exact across growth of its tables', async () => {
    const cases = 5000;
    const lines = Array.from({ length: cases }, (_, i) =>
      i % 3 === 0 ? line(`c${i}`, `,"latency_ms":${i}`) : line(`c${i}`)
    );
    const root = join(tmp, 'big');
    mkdirSync(join(root, 'records'), { recursive: true });
    writeFileSync(join(root, 'records/r.jsonl'), lines.join('\n'));
    const { set, issues } = await loadRecordSet(new WorkingTreeSource(root, 'head'), config);
    expect(issues).toEqual([]);
    const table = set.records[0]!.data as EvalCaseTable;
    expect(table.cases).toBe(cases);
    expect(table.columns['latency_ms']!.length).toBe(cases);
    expect(table.columns['latency_ms']![3]).toBe(3);
    expect(table.columns['latency_ms']![4]).toBeNaN();
    expect(table.columns['latency_ms']![cases - 1]).toBeNaN();
    expect(table.columns['ok']![cases - 1]).toBe(1);
  });

  it('reports a file that changes between the read and the check of repeated ids', async () => {
    const first = [line('c1'), line('c2'), line('c1')].join('\n');
    const second = [line('c1'), line('c2'), line('c3')].join('\n');
    let reads = 0;
    const source: FileSource = {
      ...chunked(first, 1 << 20),
      async *stream() {
        yield Buffer.from(reads++ === 0 ? first : second);
      }
    };
    const { set, issues } = await loadRecordSet(source, config);
    expect(set.records).toEqual([]);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'file.unreadable',
        file: 'records/r.jsonl',
        message: expect.stringContaining('changed')
      })
    ]);
  });

  it('reports exactly the repeated case ids, each naming the first line it repeats', async () => {
    await fc.assert(
      fc.asyncProperty(
        // few distinct ids (many repeats) or many (repeats rare); up to 3,000 cases, past the table's first size
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer(),
        async (distinct, count, seed) => {
          let state = seed >>> 0;
          const next = () => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state % distinct;
          };
          const ids = Array.from({ length: count }, () => `id-${next()}`);
          const first = new Map<string, number>();
          const expected: string[] = [];
          ids.forEach((id, i) => {
            const at = first.get(id);
            if (at === undefined) first.set(id, i + 1);
            else expected.push(`${i + 1}: repeats the case_id "${id}" (first at line ${at})`);
          });
          const { issues } = await loadRecordSet(chunked(ids.map((id) => line(id)).join('\n'), 1 << 16), config);
          expect(issues.map((i) => `${i.line}: ${i.message}`)).toEqual(expected);
        }
      ),
      { numRuns: 40 }
    );
  });

  it('finds a repeated case id among many, naming the first line', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => line(`case-${i}`));
    lines.push(line('case-12345'));
    const { issues } = await loadRecordSet(chunked(lines.join('\n'), 65536), config);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [20_001, 'repeats the case_id "case-12345" (first at line 12346)']
    ]);
  });
});

describe('isOrdinaryCaseLine (per-case lines recognised without the generated validator)', () => {
  // ids near the edges of the schema's `id`: spaces, line breaks and other whitespace at either end or inside,
  // non-ASCII, lengths around 256 (in code units and in code points)
  const id = fc.oneof(
    fc.constantFrom('c-1', 'task_success', 'a b', ' a', 'a ', 'a\nb', 'a\u2028b', '\ta', 'é', 'x\u00a0', '', '😀'),
    fc.constantFrom(255, 256, 257).map((n) => 'x'.repeat(n)),
    fc.constantFrom(128, 129).map((n) => '😀'.repeat(n)),
    fc.string({ maxLength: 6 }),
    fc.string({ unit: 'grapheme', maxLength: 4 })
  );
  const number = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 60));
  const value = fc.oneof(number, fc.boolean(), fc.constantFrom('1', null, [], {}));
  /** mostly the valid choice, so that a line is often valid but for one field */
  const mostly = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
    fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: other });
  const fields = {
    eval: mostly(fc.constant('e'), fc.oneof(id, value)),
    case_id: mostly(fc.constantFrom('c-1', 'c 2'), fc.oneof(id, value)),
    metrics: mostly(
      fc.dictionary(mostly(fc.constantFrom('ok', 'score'), id), mostly(fc.constantFrom(1, 0.5, true), value), {
        maxKeys: 3
      }),
      value
    ),
    cost_usd: mostly(fc.constantFrom(0, 0.01), value),
    latency_ms: mostly(fc.constantFrom(12, 3000), value)
  };
  // mostly the three required fields, the others optional; sometimes any field missing, or an unknown one
  const line = fc.oneof(
    { weight: 6, arbitrary: fc.record(fields, { requiredKeys: ['eval', 'case_id', 'metrics'] }) },
    { weight: 1, arbitrary: fc.record({ ...fields, extra: value }, { requiredKeys: [] }) }
  );
  const anything = fc.oneof(
    { weight: 8, arbitrary: line },
    { weight: 1, arbitrary: fc.anything() },
    { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__":1,"eval":"e","case_id":"c","metrics":{}}')) }
  );

  it('recognises only lines the schema accepts', () => {
    let recognised = 0;
    fc.assert(
      fc.property(anything, (v) => {
        if (isOrdinaryCaseLine(v)) {
          recognised++;
          expect(validate_eval_case_line(v)).toBe(true);
        }
        // the validation answer is the generated validator's either way
        expect(validateEvalCaseLine(v).length === 0).toBe(validate_eval_case_line(v));
      }),
      { numRuns: 5000 }
    );
    // the generator reaches the fast path often enough for the property to mean something
    expect(recognised).toBeGreaterThan(100);
  });

  it('recognises the lines the schema accepts, numbers within 2^53, when the caller vouches that every string is U+0020–U+007F', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7f }).map((c) => String.fromCharCode(c)),
      maxLength: 4
    });
    const id = fc.oneof(printable, fc.constantFrom(' ', ' a', 'a ', '\u007f', 'x'.repeat(256), 'x'.repeat(257)));
    const printableLine = fc.record(
      {
        eval: id,
        case_id: id,
        metrics: fc.dictionary(id, fc.oneof(fc.double(), fc.boolean()), { maxKeys: 3, noNullPrototype: true }),
        cost_usd: fc.double()
      },
      // as JSON.parse makes them: plain objects
      { requiredKeys: ['eval', 'case_id', 'metrics'], noNullPrototype: true }
    );
    let recognised = 0;
    fc.assert(
      fc.property(printableLine, (v) => {
        const ordinary = isOrdinaryCaseLine(v, true);
        if (ordinary) recognised++;
        // ordinary numbers are also plain JSON's: within 2^53
        const safe = [v.cost_usd, ...Object.values(v.metrics)].every(
          (n) => typeof n !== 'number' || Math.abs(n) <= Number.MAX_SAFE_INTEGER
        );
        expect(ordinary).toBe(validate_eval_case_line(v) && safe);
      }),
      { numRuns: 3000 }
    );
    expect(recognised).toBeGreaterThan(100);
  });

  it('recognises the lines eval harnesses write', () => {
    for (const v of [
      { eval: 'support-triage-quality', case_id: 'case-0001', metrics: { task_success: 1, pii: false } },
      { eval: 'e', case_id: 'c', metrics: {}, cost_usd: 0.0031, latency_ms: 1840 },
      { eval: 'e', case_id: 'a/b:c #1', metrics: { 'judge.score': 0.75 } }
    ]) {
      expect(isOrdinaryCaseLine(v)).toBe(true);
      expect(isOrdinaryCaseLine(JSON.parse(JSON.stringify(v)))).toBe(true);
    }
  });
});

describe('repeatedEntries (the uniqueItems check on AgBOM lists)', () => {
  /** The careful answer: entries compared by their JSON with keys sorted, each repeat paired with its first. */
  const canonical = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`)
      .join(',')}}`;
  };
  const careful = (list: readonly unknown[]): [number, number][] => {
    const first = new Map<string, number>();
    const repeats: [number, number][] = [];
    list.forEach((item, i) => {
      const text = canonical(item);
      const seen = first.get(text);
      if (seen === undefined) first.set(text, i);
      else repeats.push([seen, i]);
    });
    return repeats;
  };
  /** Few distinct leaves and keys, so that equal entries (in any key order) are common. */
  const leaf = fc.constantFrom<unknown>(0, -0, 1, 1.5, 2 ** 40, '', '0', 'a', true, false, null);
  const entry = fc.letrec<{ value: unknown; object: Record<string, unknown>; array: unknown[] }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array')),
    object: fc.dictionary(fc.constantFrom('name', 'version', 'purl', '__proto__', 'a'), tie('value'), {
      maxKeys: 3
    }),
    array: fc.array(tie('value'), { maxLength: 3 })
  })).value;
  /** Reorders an object's keys (recursively): the same data, written differently. */
  const shuffled = (value: unknown, seed: number): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => shuffled(v, seed));
    const entries = Object.entries(value);
    if (seed % 2 === 1) entries.reverse();
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(out, k, { value: shuffled(v, seed >> 1), enumerable: true });
    return out;
  };

  it('finds exactly the repeats that comparing canonical JSON finds, short lists and long', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(entry, fc.nat(7)), { maxLength: 60 }), (items) => {
        const list = items.map(([value, seed]) => shuffled(value, seed));
        expect(repeatedEntries(list)).toEqual(careful(list));
      }),
      { numRuns: 500 }
    );
  });

  it('stays linear on thousands of entries that differ in one deep field', () => {
    const list = Array.from({ length: 20_000 }, (_, i) => ({
      type: 'library',
      name: 'shared',
      properties: [{ name: 'agbom:index', value: String(i % 10_000) }]
    }));
    const repeats = repeatedEntries(list);
    expect(repeats).toHaveLength(10_000);
    expect(repeats[0]).toEqual([0, 10_000]);
    expect(repeats).toEqual(careful(list));
  });
});
