/**
 * Bytes → text. Records are UTF-8, strictly: an invalid sequence is a located error (byte offset, line,
 * column), never a replacement character that changes a value. A UTF-8 byte order mark is dropped;
 * UTF-16/UTF-32 text and NUL bytes are rejected with a message that says how to fix the file.
 */
import type { RecordIssue } from '../model/issue.js';

export type DecodeResult = { ok: true; text: string } | { ok: false; issues: RecordIssue[] };

export interface DecodeOptions {
  /** byte offset of `bytes` in the file (for a line of a streamed file) */
  baseOffset?: number;
  /** 1-based line number of the first byte of `bytes` */
  baseLine?: number;
  /** whether `bytes` starts the file (a byte order mark is only looked for there) */
  atStart?: boolean;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const SAVE_AS_UTF8 = 'save the file as UTF-8 (without NUL bytes)';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array, file: string, options: DecodeOptions = {}): DecodeResult {
  const baseOffset = options.baseOffset ?? 0;
  const baseLine = options.baseLine ?? 1;
  let body = bytes;
  let skipped = 0;
  if (options.atStart ?? true) {
    const foreign = foreignEncoding(bytes);
    if (foreign) {
      return fail({
        code: 'text.encoding',
        message: `is encoded as ${foreign}, not UTF-8`,
        file,
        line: 1,
        column: 1,
        hint: SAVE_AS_UTF8
      });
    }
    if (startsWith(bytes, UTF8_BOM)) {
      body = bytes.subarray(3);
      skipped = 3;
    }
  }
  const nul = body.indexOf(0);
  if (nul >= 0) {
    const where = position(body, nul, baseLine);
    return fail({
      code: 'text.nul',
      message: `contains a NUL byte at byte offset ${baseOffset + skipped + nul}; records are text, not binary data`,
      file,
      ...where,
      hint: SAVE_AS_UTF8
    });
  }
  try {
    return { ok: true, text: strictDecoder.decode(body) };
  } catch {
    const bad = firstInvalidUtf8(body);
    if (bad < 0) {
      // valid UTF-8 that still cannot be decoded: longer than the longest string the runtime can hold
      return fail({
        code: 'text.too-large',
        message: `is too large to read as text (${body.length} bytes)`,
        file,
        hint: 'lower records.max_evidence_bytes or split the file'
      });
    }
    const at = bad;
    const where = position(body, at, baseLine);
    return fail({
      code: 'text.invalid-utf8',
      message: `is not valid UTF-8: invalid byte sequence (0x${hexByte(body[at] ?? 0)}) at byte offset ${baseOffset + skipped + at}`,
      file,
      ...where,
      hint: SAVE_AS_UTF8
    });
  }
}

/** "UTF-16 (little-endian)" etc. when the bytes start with a UTF-16/32 byte order mark or NUL pattern. */
export function foreignEncoding(bytes: Uint8Array): string | null {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return 'UTF-32 (big-endian, with a byte order mark)';
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return 'UTF-32 (little-endian, with a byte order mark)';
  if (b0 === 0xfe && b1 === 0xff) return 'UTF-16 (big-endian, with a byte order mark)';
  if (b0 === 0xff && b1 === 0xfe) return 'UTF-16 (little-endian, with a byte order mark)';
  if (bytes.length >= 4) {
    // ASCII text in a wide encoding: the NUL pattern of the first character
    if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'UTF-32 (big-endian)';
    if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'UTF-32 (little-endian)';
  }
  if (bytes.length >= 2) {
    if (b0 === 0 && b1 !== 0) return 'UTF-16 (big-endian)';
    if (b0 !== 0 && b1 === 0) return 'UTF-16 (little-endian)';
  }
  return null;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (WHATWG rules), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else return i;
    if (i + need >= n) return i; // truncated at the end
    const second = bytes[i + 1]!;
    if (second < lower || second > upper) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of a byte offset. */
function position(bytes: Uint8Array, offset: number, baseLine: number): { line: number; column: number } {
  let line = baseLine;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const prefix = lenientDecoder.decode(bytes.subarray(lineStart, offset));
  return { line, column: [...prefix].length + 1 };
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function hexByte(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

function fail(issue: RecordIssue): DecodeResult {
  return { ok: false, issues: [issue] };
}
