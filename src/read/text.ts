/**
 * Bytes → text. Records are UTF-8, strictly: an invalid sequence is a located error (byte offset, line,
 * column), never a replacement character that changes a value. A UTF-8 byte order mark is dropped;
 * UTF-16/UTF-32 text and NUL bytes are rejected with a message that says how to fix the file.
 *
 * And text → messages: record text an issue quotes (a value, a key, an excerpt of the source) passes
 * maskSecrets first, so that no error about a record repeats a secret it holds (docs/security.md).
 */
import { findSecrets } from '../gate/secrets.js';
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

// ---------------------------------------------------------------------------------------------------------------
// Secrets in messages

/** Invisible and direction-changing characters: a value holding one looks like the value without it. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Text shown to people with every invisible or direction-changing character written as an escape (`\u200b`): a
 * change id with a zero-width space in it must not read exactly like the id it fails to match.
 */
export function revealInvisible(text: string): string {
  INVISIBLE.lastIndex = 0;
  if (!INVISIBLE.test(text)) return text;
  return text.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Record text as an issue may quote it: every secret findSecrets recognises is masked (its well-known prefix, an
 * ellipsis and, for long secrets, the last four characters), as the AgBOM's findings mask them. `fieldName` is the
 * key the value sits under, when known (a CycloneDX property's `name` for its `value`): it enables the name-based
 * checks (any password; a long random value under `api_key`, `client_secret` …). Mask before clipping: a clipped
 * secret may no longer look like one.
 */
export function maskSecrets(text: string, fieldName: string | null = null): string {
  return findSecrets(text, fieldName)?.masked ?? text;
}

/**
 * A credential's start cut short by an excerpt's '…': too short for findSecrets to recognise, still most of the
 * secret. Each alternative is a credential shape of src/gate/secrets.ts, its length requirement dropped.
 */
const CLIPPED_SECRET = new RegExp(
  [
    String.raw`\b(?:gh[pousr]_|github_pat_|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)|xox[abposre]-|[rs]k_(?:live|test)_|sk-|hf_|gl(?:pat|dt|rt|ptt|cbt|oas)-|npm_|AIza|eyJ)[A-Za-z0-9_.-]{4,}…`,
    String.raw`https://hooks\.slack\.com/[A-Za-z0-9/_-]{4,}…`,
    String.raw`\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:]*:[^\s/?#@]+…`
  ].join('|'),
  'g'
);

/**
 * Text an issue shows (its message, hint or pointer), with every secret in it masked: what maskSecrets finds, and
 * the start of a credential an excerpt clipped. The last line of defence for messages written from record text
 * without the field's name; messages should mask the values they quote where they quote them.
 */
export function maskIssueText(text: string): string {
  const masked = maskSecrets(text);
  return masked.includes('…') ? masked.replace(CLIPPED_SECRET, (hit) => maskClipped(hit)) : masked;
}

function maskClipped(hit: string): string {
  const scheme = hit.indexOf('://');
  if (scheme >= 0 && !hit.startsWith('https://hooks.slack.com/')) return `${hit.slice(0, scheme + 3)}****:****…`;
  const prefix =
    /^(?:gh[pousr]_|github_pat_|xox[abposre]-|[rs]k_(?:live|test)_|sk-|AIza|eyJ|[A-Z]{4}|https:\/\/hooks\.slack\.com\/)/.exec(
      hit
    );
  return `${prefix?.[0] ?? ''}…`;
}

/** A JSON pointer with every segment that holds a secret masked (a key can be a pasted token). */
export function maskPointer(pointer: string): string {
  if (pointer.length < 9) return pointer; // shorter than any secret with its slash
  return pointer
    .split('/')
    .map((segment) => {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      const masked = maskIssueText(key);
      return masked === key ? segment : masked.replace(/~/g, '~0').replace(/\//g, '~1');
    })
    .join('/');
}

/** An issue whose message, hint and pointer repeat no secret (see maskIssueText). */
export function maskIssue<T extends RecordIssue>(issue: T): T {
  const message = maskIssueText(issue.message);
  const hint = issue.hint === undefined ? undefined : maskIssueText(issue.hint);
  const pointer = issue.pointer === undefined ? undefined : maskPointer(issue.pointer);
  if (message === issue.message && hint === issue.hint && pointer === issue.pointer) return issue;
  const masked: T = { ...issue, message };
  if (hint !== undefined) masked.hint = hint;
  if (pointer !== undefined) masked.pointer = pointer;
  return masked;
}
