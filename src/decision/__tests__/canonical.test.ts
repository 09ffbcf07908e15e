/**
 * Canonical JSON: the same value always gives the same bytes (keys sorted by UTF-16 code unit, as RFC 8785),
 * whatever order the keys were inserted in, so a decision's digest can be signed and compared.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, sha256Hex } from '../canonical.js';

describe('canonicalJson', () => {
  it('sorts object keys by UTF-16 code unit at every depth, and keeps array order', () => {
    const value = { b: 1, a: { z: [3, 1, 2], y: null }, A: true, '10': 'ten', '9': 'nine', é: 'e', '': 'empty' };
    expect(canonicalJson(value)).toBe(
      '{"":"empty","10":"ten","9":"nine","A":true,"a":{"y":null,"z":[3,1,2]},"b":1,"é":"e"}'
    );
  });

  it('orders keys outside the BMP by code unit, not by code point (U+1F600 before U+FF61)', () => {
    // code points: U+FF61 < U+1F600; code units: 0xD83D (the high surrogate of U+1F600) < 0xFF61
    expect(canonicalJson({ '\uFF61': 1, '\u{1F600}': 2 })).toBe('{"\u{1F600}":2,"\uFF61":1}');
  });

  it('does not depend on the order keys were inserted in', () => {
    const forward: Record<string, number> = {};
    const backward: Record<string, number> = {};
    const keys = ['rule', 'family', 'severity', 'title', '2', '1', 'Z', '__proto__'];
    keys.forEach((k, i) => Object.defineProperty(forward, k, { value: i, enumerable: true }));
    [...keys]
      .reverse()
      .forEach((k) => Object.defineProperty(backward, k, { value: keys.indexOf(k), enumerable: true }));
    expect(canonicalJson(backward)).toBe(canonicalJson(forward));
    expect(canonicalJson(forward)).toContain('"__proto__":7');
  });

  it('writes -0 as 0 and non-finite numbers as null', () => {
    expect(canonicalJson({ a: -0, b: NaN, c: Infinity, d: -Infinity, e: [-0, NaN] })).toBe(
      '{"a":0,"b":null,"c":null,"d":null,"e":[0,null]}'
    );
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(NaN)).toBe('null');
  });

  it('writes numbers as ECMAScript does (shortest round-trip form)', () => {
    expect(canonicalJson([0.1 + 0.2, 1e21, 1e-7, 5e-324, 123456789012345680000, 1.5, -3])).toBe(
      '[0.30000000000000004,1e+21,1e-7,5e-324,123456789012345680000,1.5,-3]'
    );
  });

  it('writes typed arrays as arrays, with their non-finite values as null', () => {
    const column = new Float64Array([0.5, NaN, -0, Infinity, 2]);
    expect(canonicalJson({ column })).toBe('{"column":[0.5,null,0,null,2]}');
    expect(canonicalJson(new Uint8Array([1, 2, 255]))).toBe('[1,2,255]');
    expect(canonicalJson(new Float64Array(0))).toBe('[]');
  });

  it('drops undefined members, and writes undefined in arrays and holes in sparse arrays as null (like JSON)', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    expect(canonicalJson(sparse)).toBe('[1,null,3]');
    expect(canonicalJson(new Array(2))).toBe('[null,null]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('escapes strings as JSON does, lone surrogates included, so the output is always valid UTF-8 JSON', () => {
    const text = 'line\nbreak "quoted" \\ tab\t \u0000 \u2028 \uD800 ✅';
    const out = canonicalJson({ text });
    expect(out).toBe(`{"text":${JSON.stringify(text)}}`);
    expect(out).toContain('\\ud800');
    expect(JSON.parse(out)).toEqual({ text });
    expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
  });

  it('refuses values that have no JSON form instead of dropping them silently', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot serialise a function/);
    expect(() => canonicalJson([Symbol('x')])).toThrow(/cannot serialise a symbol/);
    expect(() => canonicalJson(new BigInt64Array([1n]))).toThrow(TypeError);
  });

  it('round-trips any JSON value: parsing the output gives the value back, and re-serialising gives the same bytes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const parsed: unknown = JSON.parse(text);
        // JSON itself cannot tell -0 from 0
        expect(parsed).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(parsed)).toBe(text);
      }),
      { numRuns: 300 }
    );
  });

  it('gives the same bytes for the same object built in any key order', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })), {
      selector: ([k]) => k,
      maxLength: 12
    });
    fc.assert(
      fc.property(entries, fc.nat(), (list, seed) => {
        const shuffled = [...list].sort((a, b) => (hash(a[0], seed) - hash(b[0], seed)) | 0 || (a[0] < b[0] ? -1 : 1));
        const build = (pairs: typeof list) => {
          const o = {};
          for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true });
          return o;
        };
        expect(canonicalJson(build(shuffled))).toBe(canonicalJson(build(list)));
      }),
      { numRuns: 200 }
    );
  });
});

/** A seeded string hash, to shuffle deterministically. */
function hash(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 2654435761);
  return h;
}

describe('sha256Hex', () => {
  it('is the SHA-256 of the UTF-8 bytes, in lower-case hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const text = '✅ décision';
    expect(sha256Hex(text)).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
  });
});
