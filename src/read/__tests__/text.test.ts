import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decodeUtf8,
  firstInvalidUtf8,
  foreignEncoding,
  maskIssue,
  maskIssueText,
  maskPointer,
  maskSecrets
} from '../text.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeUtf8', () => {
  it('decodes UTF-8 text, including multi-byte characters', () => {
    expect(decodeUtf8(bytes('owner: "Zoë 🚀"\n'), 'a.yaml')).toEqual({ ok: true, text: 'owner: "Zoë 🚀"\n' });
  });

  it('drops a UTF-8 byte order mark', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'kind: x\n'), 'a.yaml')).toEqual({ ok: true, text: 'kind: x\n' });
  });

  it('keeps a byte order mark that is not at the start of the file (for a later line)', () => {
    const result = decodeUtf8(bytes([0xef, 0xbb, 0xbf], '{}'), 'a.jsonl', { atStart: false });
    expect(result).toEqual({ ok: true, text: '\ufeff{}' });
  });

  it('locates the first invalid byte: offset, line and column', () => {
    const result = decodeUtf8(bytes('kind: eval\nname: caf', [0xe9], '\n'), 'records/a.yaml');
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          code: 'text.invalid-utf8',
          message: 'is not valid UTF-8: invalid byte sequence (0xE9) at byte offset 20',
          file: 'records/a.yaml',
          line: 2,
          column: 10,
          hint: 'save the file as UTF-8 (without NUL bytes)'
        }
      ]
    });
  });

  it('counts columns in characters, and offsets from the file start for a streamed line', () => {
    const result = decodeUtf8(bytes('é€', [0xc3, 0x28]), 'a.jsonl', { baseOffset: 1000, baseLine: 42, atStart: false });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues[0]).toMatchObject({
        line: 42,
        column: 3,
        message: expect.stringContaining('byte offset 1005')
      });
  });

  it.each([
    ['UTF-16 little-endian with a BOM', [0xff, 0xfe, 0x6b, 0x00], /UTF-16 \(little-endian, with a byte order mark\)/],
    ['UTF-16 big-endian with a BOM', [0xfe, 0xff, 0x00, 0x6b], /UTF-16 \(big-endian, with a byte order mark\)/],
    ['UTF-16 little-endian without a BOM', [0x6b, 0x00, 0x69, 0x00], /UTF-16 \(little-endian\)/],
    ['UTF-16 big-endian without a BOM', [0x00, 0x6b, 0x00, 0x69], /UTF-16 \(big-endian\)/],
    [
      'UTF-32 little-endian with a BOM',
      [0xff, 0xfe, 0x00, 0x00, 0x6b, 0, 0, 0],
      /UTF-32 \(little-endian, with a byte order mark\)/
    ],
    [
      'UTF-32 big-endian with a BOM',
      [0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x6b],
      /UTF-32 \(big-endian, with a byte order mark\)/
    ],
    ['UTF-32 big-endian without a BOM', [0, 0, 0, 0x6b, 0, 0, 0, 0x69], /UTF-32 \(big-endian\)/]
  ])('rejects %s with "save it as UTF-8"', (_name, data, message) => {
    const result = decodeUtf8(Buffer.from(data), 'records/a.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]).toMatchObject({ code: 'text.encoding', line: 1, column: 1 });
      expect(result.issues[0]!.message).toMatch(message);
      expect(result.issues[0]!.hint).toMatch(/save the file as UTF-8/);
    }
  });

  it('rejects a real UTF-16 file as written by an editor', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: change_review_record\n', 'utf16le')]);
    expect(decodeUtf8(utf16, 'a.yaml')).toMatchObject({ ok: false, issues: [{ code: 'text.encoding' }] });
  });

  it('rejects NUL bytes, located', () => {
    const result = decodeUtf8(bytes('a: 1\nb: x', [0], 'y\n'), 'a.yaml');
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'text.nul', line: 2, column: 5 }] });
    if (!result.ok) expect(result.issues[0]!.message).toContain('byte offset 9');
  });

  it.each([
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence at the end', [0xe2, 0x82]],
    ['a truncated sequence before ASCII', [0xe2, 0x41, 0x41]]
  ])('rejects %s', (_name, data) => {
    const result = decodeUtf8(bytes('x: ', data), 'a.yaml');
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'text.invalid-utf8', line: 1, column: 4 }] });
  });
});

describe('foreignEncoding', () => {
  it('says nothing about UTF-8 or short inputs', () => {
    expect(foreignEncoding(bytes('kind: x'))).toBeNull();
    expect(foreignEncoding(bytes('k'))).toBeNull();
    expect(foreignEncoding(Buffer.alloc(0))).toBeNull();
  });
});

describe('firstInvalidUtf8', () => {
  const codePoints = fc.array(
    fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff),
    { maxLength: 40 }
  );

  it('agrees with the WHATWG decoder on random bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        let valid = true;
        try {
          strict.decode(data);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8(data) < 0).toBe(valid);
      }),
      { numRuns: 5000 }
    );
  });

  it('finds the offset of the first bad sequence', () => {
    fc.assert(
      fc.property(codePoints, fc.constantFrom(0x80, 0xc0, 0xff, 0xf5), (prefix, bad) => {
        const good = Buffer.from(String.fromCodePoint(...prefix), 'utf8');
        expect(firstInvalidUtf8(Buffer.concat([good, Buffer.from([bad])]))).toBe(good.length);
      })
    );
  });

  it('never throws and always answers ok or located issues for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (data) => {
        const result = decodeUtf8(data, 'fuzz.yaml');
        if (!result.ok) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 3000 }
    );
  });
});

describe('secrets in issue text', () => {
  const TOKEN = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

  it('masks what findSecrets recognises, by shape anywhere and by the field name where known', () => {
    expect(maskSecrets(`token ${TOKEN}`)).toBe('token ghp_…Q7r8');
    expect(maskSecrets('hunter2hunter2')).toBe('hunter2hunter2');
    expect(maskSecrets('hunter2hunter2', 'db_password')).toBe('…');
    expect(maskSecrets('support-triage', 'name')).toBe('support-triage');
  });

  it('masks the start of a credential that an excerpt clipped', () => {
    // too short for findSecrets, still most of the token
    expect(maskIssueText(`has the key "${TOKEN.slice(0, 30)}…" twice`)).toBe('has the key "ghp_…" twice');
    expect(maskIssueText('declares %AKIAIOSFODNN7EX…')).toBe('declares %AKIA…');
    expect(maskIssueText('see https://alice:s3cr3tpa…')).toBe('see https://****:****…');
    // a mask, and ordinary clipped text, stay as they are
    expect(maskIssueText("unknown key 'ghp_…Q7r8'")).toBe("unknown key 'ghp_…Q7r8'");
    expect(maskIssueText("got a string ('a very long description that goes on…')")).toBe(
      "got a string ('a very long description that goes on…')"
    );
  });

  it('masks each pointer segment that holds a secret, keeping the pointer escaped', () => {
    expect(maskPointer(`/services/0/${TOKEN}`)).toBe('/services/0/ghp_…Q7r8');
    expect(maskPointer('/hooks/https:~1~1hooks.slack.com~1services~1T000~1B000~1XXXXXXXXXXXXXXXX')).toBe(
      '/hooks/https:~1~1hooks.slack.com~1…XXXX'
    );
    expect(maskPointer('/components/0/hashes/0/content')).toBe('/components/0/hashes/0/content');
  });

  it('masks an issue: message, hint and pointer; an issue without secrets is returned as it is', () => {
    const clean = { code: 'schema.type', message: 'x must be a string', file: 'a.yaml', pointer: '/x' };
    expect(maskIssue(clean)).toBe(clean);
    expect(
      maskIssue({
        code: 'yaml.duplicate-key',
        message: `has the key "${TOKEN}" twice`,
        hint: `remove ${TOKEN}`,
        file: 'a.yaml',
        line: 2,
        pointer: `/${TOKEN}`
      })
    ).toEqual({
      code: 'yaml.duplicate-key',
      message: 'has the key "ghp_…Q7r8" twice',
      hint: 'remove ghp_…Q7r8',
      file: 'a.yaml',
      line: 2,
      pointer: '/ghp_…Q7r8'
    });
  });
});
