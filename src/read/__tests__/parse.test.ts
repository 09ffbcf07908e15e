import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LineIndex, MAX_DEPTH, excerpt, parseDocument } from '../parse.js';
import type { ParseResult } from '../parse.js';
import type { RecordIssue } from '../../model/issue.js';

function ok(result: ParseResult): Extract<ParseResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result;
}
function issues(result: ParseResult): RecordIssue[] {
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.value)}`);
  return result.issues;
}
const yaml = (text: string): ParseResult => parseDocument(text, 'records/x.yaml', 'yaml');
const json = (text: string): ParseResult => parseDocument(text, 'records/x.json', 'json');

describe('YAML: core schema pinned', () => {
  it('reads no/yes/on/off as strings and true/false as booleans', () => {
    const { value } = ok(yaml('a: no\nb: yes\nc: on\nd: off\ne: true\nf: false\ng: ~\nh: 0o17\n'));
    expect(value).toEqual({ a: 'no', b: 'yes', c: 'on', d: 'off', e: true, f: false, g: null, h: 15 });
  });

  it('rejects a %YAML 1.1 directive with a located message instead of reading `no` as false', () => {
    const [issue, ...rest] = issues(yaml('%YAML 1.1\n---\nrequire_shadow_period: no\n'));
    expect(rest).toHaveLength(0);
    expect(issue).toMatchObject({ code: 'yaml.directive', file: 'records/x.yaml', line: 1, column: 1 });
    expect(issue!.message).toMatch(/%YAML 1\.1.*YAML 1\.2 only/);
    expect(issue!.hint).toMatch(/`no`.*strings/);
  });

  it('accepts an explicit %YAML 1.2 directive', () => {
    expect(ok(yaml('%YAML 1.2\n---\na: no\n')).value).toEqual({ a: 'no' });
  });

  it('rejects %TAG directives', () => {
    expect(issues(yaml('%TAG !e! tag:example.com,2000:\n---\na: 1\n'))[0]).toMatchObject({
      code: 'yaml.directive',
      line: 1
    });
  });
});

describe('YAML: hostile constructs', () => {
  it('rejects an alias bomb without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const found = issues(yaml(levels.join('\n') + '\n'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(found.some((i) => i.code === 'yaml.alias')).toBe(true);
    expect(found.some((i) => i.code === 'yaml.anchor')).toBe(true);
    const alias = found.find((i) => i.code === 'yaml.alias')!;
    expect(alias).toMatchObject({ line: 2, pointer: '/b/0' });
    expect(alias.hint).toMatch(/alias bomb/);
  });

  it('rejects merge keys', () => {
    const [issue] = issues(yaml('base: {a: 1}\nderived:\n  <<: {a: 1}\n  b: 2\n'));
    expect(issue).toMatchObject({ code: 'yaml.merge-key', line: 3, column: 3, pointer: '/derived' });
  });

  it('keeps a quoted "<<" as an ordinary key', () => {
    expect(ok(yaml('"<<": 1\n')).value).toEqual({ '<<': 1 });
  });

  it.each([
    ['!!binary', 'data: !!binary aGVsbG8=\n', '/data'],
    ['!!set', 'tags: !!set {a, b}\n', '/tags'],
    ['!!timestamp', 'at: !!timestamp 2001-12-14\n', '/at'],
    ['!!omap', 'o: !!omap [a: 1]\n', '/o'],
    ['!foo', 'x: !foo bar\n', '/x'],
    ['!<tag:example.com:x>', 'x: !<tag:example.com:x> bar\n', '/x']
  ])('rejects the tag %s', (tag, text, pointer) => {
    const found = issues(yaml(text));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'yaml.tag', line: 1, pointer });
    expect(found[0]!.message).toContain(tag);
  });

  it('accepts the core tags', () => {
    const { value } = ok(
      yaml('a: !!str 12\nb: !!int "7"\nc: !!float 1.5\nd: !!bool true\ne: !!null ""\nf: !!map {x: 1}\ng: !!seq [1]\n')
    );
    expect(value).toEqual({ a: '12', b: 7, c: 1.5, d: true, e: null, f: { x: 1 }, g: [1] });
  });

  it('rejects several documents in one file', () => {
    const [issue] = issues(yaml('a: 1\n---\nb: 2\n'));
    expect(issue).toMatchObject({ code: 'yaml.multiple-documents', line: 2 });
  });

  it('rejects duplicate keys, naming both lines', () => {
    const found = issues(yaml('change:\n  change_id: a\n  owner: x\n  change_id: b\n'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'yaml.duplicate-key', line: 4, column: 3, pointer: '/change/change_id' });
    expect(found[0]!.message).toContain('at line 2 and line 4');
  });

  it('rejects duplicate keys in flow mappings', () => {
    expect(issues(yaml('{a: 1, b: 2, a: 3}\n'))[0]).toMatchObject({ code: 'yaml.duplicate-key', pointer: '/a' });
  });

  it.each([
    ['5,000 nested flow sequences', '['.repeat(5000) + ']'.repeat(5000)],
    ['5,000 nested flow mappings', '{a: '.repeat(5000) + '1' + '}'.repeat(5000)],
    ['100,000 unclosed brackets', '['.repeat(100_000)],
    ['5,000 compact block sequences on one line', '- '.repeat(5000) + 'x\n'],
    ['a megabyte of brackets', '['.repeat(1_000_000)],
    ['a megabyte of explicit keys', '? '.repeat(500_000)],
    [
      '300 levels of indented mappings',
      Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'
    ]
  ])('rejects %s quickly, with a located error', (_name, text) => {
    const started = Date.now();
    const found = issues(yaml(text));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(found[0]!.code).toBe('yaml.too-deep');
    expect(found[0]!.line).toBeGreaterThanOrEqual(1);
    expect(found[0]!.column).toBeGreaterThanOrEqual(1);
  });

  it('turns a stack overflow into a located issue even without the depth cap', () => {
    const text = '['.repeat(20_000) + ']'.repeat(20_000);
    const result = parseDocument(text, 'records/x.yaml', 'yaml', { maxDepth: Number.MAX_SAFE_INTEGER });
    expect(issues(result)[0]).toMatchObject({ code: 'yaml.too-complex', file: 'records/x.yaml', line: 1 });
  });

  it(`accepts nesting up to ${MAX_DEPTH} levels`, () => {
    const text = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH);
    expect(ok(yaml(text)).value).toBeInstanceOf(Array);
    expect(issues(yaml('[' + text + ']'))[0]!.code).toBe('yaml.too-deep');
  });

  it('keeps __proto__ and constructor as plain own data', () => {
    const { value } = ok(yaml('__proto__:\n  polluted: true\nconstructor:\n  prototype: {x: 1}\n'));
    const v = value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: true });
    expect((v as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('rejects complex and empty keys', () => {
    expect(issues(yaml('? [a, b]\n: c\n'))[0]).toMatchObject({ code: 'yaml.complex-key', line: 1 });
    expect(issues(yaml(': c\n'))[0]!.code).toBe('yaml.empty-key');
  });

  it('reports syntax errors with a location', () => {
    const [issue] = issues(yaml('a: 1\nb: [1, 2\nc: 3\n'));
    expect(issue!.code).toBe('yaml.syntax');
    expect(issue!.line).toBeGreaterThanOrEqual(2);
  });
});

describe('YAML: numbers', () => {
  it('rejects integers beyond 2^53 with a quote-it hint', () => {
    const [issue] = issues(yaml('build: 12345678901234567890\n'));
    expect(issue).toMatchObject({ code: 'yaml.unsafe-integer', line: 1, column: 8, pointer: '/build' });
    expect(issue!.hint).toBe('quote it: "12345678901234567890"');
  });

  it.each(['.nan', '.NaN', '.inf', '-.inf', '+.Inf', '1e400'])('rejects %s as a non-finite number', (literal) => {
    const [issue] = issues(yaml(`threshold: ${literal}\n`));
    expect(issue).toMatchObject({ code: 'yaml.non-finite', line: 1, column: 12, pointer: '/threshold' });
    expect(issue!.hint).toContain(`"${literal}"`);
  });

  it('keeps 2^53 − 1 and quoted big numbers', () => {
    expect(ok(yaml('a: 9007199254740991\nb: "12345678901234567890"\n')).value).toEqual({
      a: 9007199254740991,
      b: '12345678901234567890'
    });
  });

  it('gives the original text of a scalar for hints', () => {
    const result = ok(yaml('sha: 1e10\nversion: 1.10\n'));
    expect(result.value).toEqual({ sha: 1e10, version: 1.1 });
    expect(result.sourceOf('/sha')).toBe('1e10');
    expect(result.sourceOf('/version')).toBe('1.10');
    expect(result.sourceOf('/missing')).toBeUndefined();
  });
});

describe('YAML: locations', () => {
  const text = [
    'change:',
    '  change_id: chg-1',
    '  artifacts:',
    '    - agent.yaml',
    '    - policy.yaml',
    '  owners: {a: 1, b: [x, y]}',
    ''
  ].join('\n');
  const { locate } = ok(yaml(text));
  it.each([
    ['', 1, 1],
    ['/change', 1, 1],
    ['/change/change_id', 2, 3],
    ['/change/artifacts', 3, 3],
    ['/change/artifacts/1', 5, 7],
    ['/change/owners/b/1', 6, 25],
    ['/change/artifacts/7', 3, 3],
    ['/change/nothing/deeper', 1, 1]
  ])('locates %s at %i:%i', (pointer, line, column) => {
    expect(locate(pointer)).toEqual({ line, column });
  });

  it('locates an empty document at the start', () => {
    const result = ok(yaml('# only a comment\n'));
    expect(result.value).toBeNull();
    expect(result.locate('/a')).toEqual({ line: 1, column: 1 });
  });

  it('escapes ~ and / in pointers', () => {
    const { locate, value } = ok(yaml('a/b: 1\nc~d: 2\n'));
    expect(value).toEqual({ 'a/b': 1, 'c~d': 2 });
    expect(locate('/a~1b')).toEqual({ line: 1, column: 1 });
    expect(locate('/c~0d')).toEqual({ line: 2, column: 1 });
  });
});

describe('JSON: strict', () => {
  it('parses plain JSON', () => {
    expect(ok(json('{"a": [1, 2.5, -3e2, true, false, null, "x\\u0041"]}')).value).toEqual({
      a: [1, 2.5, -300, true, false, null, 'xA']
    });
  });

  it.each([
    ['a comment', '{"a": 1 // note\n}', 1, 9, /comments/],
    ['a trailing comma', '{"a": 1,}', 1, 9, /trailing commas/],
    ['single quotes', "{'a': 1}", 1, 2, /double quotes/],
    ['NaN', '{"a": NaN}', 1, 7, /NaN or Infinity/],
    ['an unquoted name', '{a: 1}', 1, 2, /double quotes/],
    ['a control character', '{"a": "x\ty"}', 1, 9, /escape/],
    ['a bad escape', '{"a": "\\x"}', 1, 8, /valid escapes/],
    ['a leading zero', '[01]', 1, 3, undefined],
    ['text after the value', '{} {}', 1, 4, undefined],
    ['an unterminated string', '{"a": "x', 1, 9, undefined],
    ['an empty file', '   ', 1, 4, undefined]
  ])('rejects %s with a located error', (_name, text, line, column, hint) => {
    const found = issues(json(text));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'json.syntax', line, column });
    if (hint) expect(found[0]!.hint).toMatch(hint);
  });

  it('rejects duplicate keys, naming both lines', () => {
    const found = issues(json('{\n  "bomFormat": "CycloneDX",\n  "a": {"x": 1,\n  "x": 2}\n}'));
    expect(found).toEqual([
      {
        code: 'json.duplicate-key',
        message: 'has the key "x" twice in one object: at line 3 and line 4',
        file: 'records/x.json',
        line: 4,
        column: 3,
        pointer: '/a/x',
        hint: 'keep one of them; JSON readers silently keep only the last'
      }
    ]);
  });

  it('names the columns of duplicate keys on one line (a JSON Lines line is read as a text of its own)', () => {
    expect(issues(json('{"a": 1, "b": 2, "a": 3}'))[0]!.message).toBe(
      'has the key "a" twice in one object: at columns 2 and 18 of the line'
    );
  });

  it('compares keys after unescaping', () => {
    expect(issues(json('{"a": 1, "\\u0061": 2}'))[0]!.code).toBe('json.duplicate-key');
  });

  it('rejects 5,000 nested brackets with a located error', () => {
    for (const text of [
      '['.repeat(5000) + ']'.repeat(5000),
      '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
      '['.repeat(200_000)
    ]) {
      const [issue] = issues(json(text));
      expect(issue).toMatchObject({
        code: 'json.too-deep',
        line: 1,
        column: MAX_DEPTH + 1 + (text[1] === '"' ? MAX_DEPTH * 4 : 0)
      });
    }
  });

  it('rejects integers beyond 2^53 and overflowing numbers with a quote-it hint', () => {
    const found = issues(json('{"id": 12345678901234567890, "big": 1e400, "ok": 9007199254740991, "f": 1.5e300}'));
    expect(found.map((i) => [i.code, i.pointer, i.hint])).toEqual([
      ['json.unsafe-integer', '/id', 'quote it: "12345678901234567890"'],
      ['json.non-finite', '/big', 'numbers in records must be finite; if this is text, quote it: "1e400"']
    ]);
  });

  it('keeps __proto__ and constructor as plain own data', () => {
    const v = ok(json('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}')).value as object;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect((v as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('locates pointers lazily, falling back to the nearest ancestor', () => {
    const text =
      '{\n  "components": [\n    {"name": "a", "hashes": [{"alg": "SHA-256"}]},\n    {"name": "b"}\n  ]\n}\n';
    const result = ok(json(text));
    expect(result.locate('')).toEqual({ line: 1, column: 1 });
    expect(result.locate('/components')).toEqual({ line: 2, column: 3 });
    expect(result.locate('/components/1')).toEqual({ line: 4, column: 5 });
    expect(result.locate('/components/0/hashes/0/alg')).toEqual({ line: 3, column: 31 });
    expect(result.locate('/components/1/version')).toEqual({ line: 4, column: 5 });
    expect(result.sourceOf('/components/1/name')).toBe('"b"');
  });

  it('parses a large document quickly', () => {
    const components = Array.from({ length: 50_000 }, (_, i) => ({
      type: 'library',
      name: `c${i}`,
      version: '1.0.0',
      hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
      properties: [{ name: 'agent:kind', value: 'tool' }]
    }));
    const text = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components }, null, 2);
    // relative to the native parser, so that a busy machine does not fail the test
    let started = Date.now();
    JSON.parse(text);
    const native = Date.now() - started;
    started = Date.now();
    const result = ok(json(text));
    expect(Date.now() - started).toBeLessThan(10 * native + 2000);
    expect((result.value as { components: unknown[] }).components).toHaveLength(50_000);
    expect(result.locate('/components/49999/name')?.line).toBeGreaterThan(50_000);
  });
});

describe('secrets in messages', () => {
  // assembled, not written out, so that no scanner mistakes this file for a leak; none is a real credential
  const GITHUB = 'ghp_' + 'R4nd0mLooK1ngT0kenF0rTests0nly12345678';
  const AWS = 'AKIA' + 'IOSFODNN7EXAMPLE';
  const LEAKS = /R4nd0mLooK1ngT0ken|IOSFODNN7|hunter22|8675309867530986753/;
  const shownIn = (found: RecordIssue[]) => found.map((i) => `${i.message} ${i.hint ?? ''}`).join('\n');

  /**
   * One of the issues has `code` and quotes the masked form; no message or hint repeats the secret. (Pointers are
   * masked by the loader, maskIssue: they locate the value.)
   */
  const expectMasked = (found: RecordIssue[], code: string, masked: string) => {
    expect(shownIn(found)).not.toMatch(LEAKS);
    expect(found.filter((i) => i.code === code).map((i) => i.message)).toContainEqual(expect.stringContaining(masked));
  };

  it('masks a secret in a duplicate key before clipping it (YAML and JSON)', () => {
    const key = `Bearer ${GITHUB}`;
    expectMasked(issues(yaml(`"${key}": 1\n"${key}": 2\n`)), 'yaml.duplicate-key', '"Bearer ghp_…5678" twice');
    expectMasked(issues(json(`{"${key}": 1, "${key}": 2}`)), 'json.duplicate-key', '"Bearer ghp_…5678" twice');
  });

  it('masks a secret the YAML parser quotes in a syntax error', () => {
    expectMasked(issues(yaml(`- a\nb: ${GITHUB}\n`)), 'yaml.syntax', 'YAML stream: "ghp_…5678"');
    expectMasked(issues(yaml(`a: |x ${GITHUB}\n  t\n`)), 'yaml.syntax', 'Not a YAML token: ghp_…5678');
  });

  it('masks a secret in directives, aliases, anchors and tags', () => {
    expectMasked(issues(yaml(`%FOO ${AWS}\n---\na: 1\n`)), 'yaml.directive', 'directive %FOO AKIA…');
    expectMasked(issues(yaml(`%YAML ${AWS}\n---\na: 1\n`)), 'yaml.directive', 'declares %YAML AKIA…');
    expectMasked(issues(yaml(`a: *${GITHUB}\n`)), 'yaml.alias', 'alias *ghp_…5678;');
    expectMasked(issues(yaml(`a: &${GITHUB} x\n`)), 'yaml.anchor', 'anchor &ghp_…5678;');
    expectMasked(issues(yaml(`a: !${GITHUB} x\n`)), 'yaml.tag', 'tag !ghp_…5678;');
    expectMasked(issues(yaml(`a: !!${GITHUB} x\n`)), 'yaml.tag', 'tag !!ghp_…5678;');
    expectMasked(
      issues(yaml(`a: !<tag:acme.test,2024:${AWS}> x\n`)),
      'yaml.tag',
      'tag !<tag:acme.test,2024:AKIA…MPLE>;'
    );
  });

  it('masks a number a message quotes by the name it sits under', () => {
    const long = '8675309867530986753098675309';
    for (const found of [
      issues(json(`{"db": {"password": ${long}}}`)),
      issues(yaml(`db:\n  password: ${long}\n`)),
      issues(yaml(`db:\n  password: [${long}]\n`))
    ]) {
      expect(found).toHaveLength(1);
      expect(found[0]!.code).toMatch(/\.unsafe-integer$/);
      expect(found[0]!.message).toMatch(/^…5309 is an integer larger/);
      expect(found[0]!.hint).toBe('quote it: "…5309"');
    }
    // an ordinary number is still shown in full
    expect(issues(json(`{"id": ${long}}`))[0]!.message).toContain(long);
  });

  it('quotes no more than one character of a JSON text in a syntax error', () => {
    for (const text of [`{"a": ${GITHUB}}`, `{"a": "x" ${GITHUB}}`, `{${GITHUB}: 1}`, '["password=hunter22" "x"]']) {
      const found = issues(json(text));
      expect(found[0]!.code).toBe('json.syntax');
      expect(shownIn(found)).not.toMatch(LEAKS);
    }
  });
});

describe('excerpt', () => {
  it('escapes control and invisible characters and caps the length', () => {
    expect(excerpt('a\nb\u0007c\u202e', 40)).toBe('a\\nb\\u0007c\\u202e');
    expect(excerpt('x'.repeat(50), 10)).toBe('xxxxxxxxxx…');
  });
});

describe('LineIndex', () => {
  /** Line and column the slow way: count the newlines before the offset. */
  function naive(text: string, offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, text.length));
    const before = text.slice(0, at);
    const lastNewline = before.lastIndexOf('\n');
    return { line: before.split('\n').length, column: at - (lastNewline + 1) + 1 };
  }

  it('gives the same line and column as counting newlines, for offsets asked in any order and any stride', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', '\n', '\r', ' ', 'é', '😀'), { maxLength: 300 })
      .map((cs) => cs.join(''));
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: -5, max: 320 }), { minLength: 1, maxLength: 30 }),
        (t, stride, offsets) => {
          const index = new LineIndex(t, stride);
          for (const offset of offsets) expect(index.position(offset)).toEqual(naive(t, offset));
        }
      ),
      { numRuns: 1000 }
    );
  });

  it('locates the end of a text of a million lines (checkpoints grow past their first size)', () => {
    const text = 'x\n'.repeat(1_000_000) + 'tail';
    const index = new LineIndex(text);
    expect(index.position(text.length - 1)).toEqual({ line: 1_000_001, column: 4 });
    expect(index.position(3)).toEqual({ line: 2, column: 2 });
    expect(index.position(2 * 654_321)).toEqual({ line: 654_322, column: 1 });
  });
});
