/**
 * One file's text → a plain value plus a locator (JSON pointer → line/column).
 *
 * The rules are strict because records are written by anyone who opens a pull request:
 * - YAML is read as YAML 1.2, core schema, whatever the file says: a `%YAML 1.1` directive is rejected
 *   (in 1.1, `no` and `on` are booleans; reading them as 1.2 strings would silently change the record);
 *   anchors and aliases (alias bombs), merge keys, tags other than the core ones, several documents and
 *   duplicate keys are rejected.
 * - JSON is strict JSON, and duplicate keys are rejected (JSON.parse would silently keep the last one).
 * - Both: nesting deeper than MAX_DEPTH is rejected before any recursive code runs; integers beyond
 *   2^53 and non-finite numbers are rejected with a "quote it" hint; `__proto__` and `constructor`
 *   keys stay plain own properties.
 * Messages never echo more than a short, sanitized excerpt of the file, and never a secret it holds: every excerpt is
 * masked (maskSecrets) before it is clipped, since a clipped secret may no longer look like one. Masking runs on the
 * message paths only, never per value.
 */
import { Composer, Lexer, Parser, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { CST, Document, ParsedNode, Scalar } from 'yaml';
import type { RecordIssue } from '../model/issue.js';
import type { Locator, Position } from '../model/location.js';
import { colonCount, inheritsEnumerable, unescapedPlain } from './json-colons.js';
import { maskSecrets } from './text.js';
import { setOwn } from '../model/own.js';

export { unescapedPlain };

/** Deepest nesting of mappings/sequences (objects/arrays) a record may have. */
export const MAX_DEPTH = 64;

const TOO_COMPLEX = 'is too deeply nested or too complex to read';

/** At most this many syntax errors are reported per file (a broken file cascades); other issues are all kept. */
const MAX_SYNTAX_ISSUES = 20;

export type ParseFormat = 'yaml' | 'json';

export type ParseResult =
  | { ok: true; value: unknown; locate: Locator; sourceOf(pointer: string): string | undefined }
  | { ok: false; issues: RecordIssue[] };

export interface ParseOptions {
  maxDepth?: number;
}

export function parseDocument(
  text: string,
  file: string,
  format: ParseFormat,
  options: ParseOptions = {}
): ParseResult {
  const lines = new LineIndex(text);
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  try {
    return format === 'yaml' ? parseYaml(text, file, lines, maxDepth) : parseJson(text, file, lines, maxDepth);
  } catch (error) {
    // A stack overflow in any parser is the input's fault (it is too deeply nested or too complex),
    // reported like any other parse error. Anything else is a bug and propagates.
    if (error instanceof RangeError) {
      return {
        ok: false,
        issues: [
          {
            code: `${format}.too-complex`,
            message: TOO_COMPLEX,
            file,
            line: 1,
            column: 1,
            hint: `records nest at most ${maxDepth} levels deep`
          }
        ]
      };
    }
    throw error;
  }
}

/**
 * Where two things are, for a message: lines when they differ, else columns (a JSON Lines line is read as a text of
 * its own, so its "line 1" is not the file's line; the issue's location says which line it is).
 */
function twoPlaces(a: Position, b: Position): string {
  return a.line === b.line
    ? `at columns ${a.column} and ${b.column} of the line`
    : `at line ${a.line} and line ${b.line}`;
}

/** What plainJson answers when a text needs the strict scanner instead. */
export const NOT_PLAIN: unique symbol = Symbol('not plain JSON');

/**
 * JSON.parse alone, when the text is JSON that the strict scanner (below) would accept without a problem;
 * else NOT_PLAIN. This is the fast path of every JSON record and of each line of JSON Lines: the scanner's
 * checking pass runs only on texts that fail here. What JSON.parse hides is checked on its result:
 * - nesting deeper than maxDepth;
 * - numbers beyond 2^53: an unsafe integer, or one that overflows to Infinity, parses to one;
 * - duplicate keys, which JSON.parse silently merges. Every ':' of a JSON text outside strings separates a
 *   member, so the text's ':' plus its escaped ones (\u003a, inside strings) equal the parsed members plus the
 *   ':' in the parsed keys and strings; a merged key leaves the parsed side short. When the text has no escape
 *   and as many ':' as members, no string holds one and the strings need not be looked at.
 * The value is the same JSON.parse value the slow path gives.
 */
export function plainJson(text: string, maxDepth = MAX_DEPTH): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_PLAIN;
  }
  return plainValue(text, value, maxDepth);
}

/** plainJson for a text the caller has already given to JSON.parse: `value` is what it answered. */
export function plainValue(text: string, value: unknown, maxDepth = MAX_DEPTH): unknown {
  if (typeof value !== 'object' || value === null) return plainItem(value, 0, maxDepth) < 0 ? NOT_PLAIN : value;
  if (inheritsEnumerable()) return NOT_PLAIN;
  const members = plainMembers(value, 0, maxDepth);
  if (members < 0) return NOT_PLAIN;
  const colons = colonCount(text);
  if (colons === members && text.indexOf('\\') < 0) return value;
  return colons + escapedColons(text) === members + stringColons(value) ? value : NOT_PLAIN;
}

/** Members in a parsed value; -1 when it nests too deep or holds a number beyond 2^53. */
function plainMembers(value: object, depth: number, maxDepth: number): number {
  if (depth >= maxDepth) return -1;
  let members = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = plainItem(value[i], depth, maxDepth);
      if (inner < 0) return -1;
      members += inner;
    }
    return members;
  }
  // for-in, not Object.keys: no array per object (plainJson has made sure nothing is inherited)
  for (const key in value) {
    const inner = plainItem((value as Record<string, unknown>)[key], depth, maxDepth);
    if (inner < 0) return -1;
    members += 1 + inner;
  }
  return members;
}

function plainItem(item: unknown, depth: number, maxDepth: number): number {
  if (typeof item === 'number') return Math.abs(item) <= Number.MAX_SAFE_INTEGER ? 0 : -1;
  if (typeof item === 'object' && item !== null) return plainMembers(item, depth + 1, maxDepth);
  return 0;
}

/** The ':' inside the keys and string values of a parsed value (plainJson has made sure nothing is inherited). */
function stringColons(value: unknown): number {
  if (typeof value === 'string') return colonCount(value);
  if (value === null || typeof value !== 'object') return 0;
  let colons = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) colons += stringColons(value[i]);
    return colons;
  }
  for (const key in value) colons += colonCount(key) + stringColons((value as Record<string, unknown>)[key]);
  return colons;
}

/** The escapes that stand for ':' (\u003a, any case) in a valid JSON text, where a backslash only starts an escape. */
function escapedColons(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i)) {
    if (text.charCodeAt(i + 1) === 0x75 /* u */) {
      if (text.slice(i + 2, i + 6).toLowerCase() === '003a') n++;
      i += 6;
    } else i += 2;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Shared helpers

/**
 * Offsets → 1-based line/column (column in UTF-16 code units). Line starts are found on demand, only as far
 * into the text as an offset asked for: locating a finding near the top of a large file reads little of it.
 * Only every 1,024th line start is kept (a 33 MB AgBOM has 1.6 million lines); a position is counted from the
 * nearest kept start before it.
 */
export class LineIndex {
  /** where lines 1, 1 + stride, 1 + 2 × stride … start */
  private checkpoints = new Int32Array(64);
  private kept = 1;
  /** line starts found so far, and where the last one is */
  private lines = 1;
  private last = 0;
  /** where the search for the next line start resumes; -1 once the whole text is indexed */
  private scanned = 0;
  /** `stride`: a test sets a small one, so that short texts cross many checkpoints */
  constructor(
    private readonly text: string,
    private readonly stride = 1024
  ) {}

  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    this.indexTo(at);
    const cp = this.checkpoints;
    let lo = 0;
    let hi = this.kept - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cp[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    let line = lo * this.stride + 1;
    let start = cp[lo]!;
    for (;;) {
      const newline = this.text.indexOf('\n', start);
      if (newline < 0 || newline >= at) break;
      line++;
      start = newline + 1;
    }
    return { line, column: at - start + 1 };
  }

  /** Finds line starts until one lies beyond `at` (or the text ends). */
  private indexTo(at: number): void {
    // locals, not fields, in the loop: it may run over millions of lines before a finding near the end
    const text = this.text;
    const stride = this.stride;
    let { checkpoints, kept, lines, last, scanned } = this;
    while (scanned >= 0 && last <= at) {
      const newline = text.indexOf('\n', scanned);
      if (newline < 0) {
        scanned = -1;
        break;
      }
      last = scanned = newline + 1;
      if (lines++ % stride === 0) {
        if (kept === checkpoints.length) {
          const grown = new Int32Array(kept * 2);
          grown.set(checkpoints);
          checkpoints = grown;
        }
        checkpoints[kept++] = last;
      }
    }
    this.checkpoints = checkpoints;
    this.kept = kept;
    this.lines = lines;
    this.last = last;
    this.scanned = scanned;
  }
}

/** A short, printable, single-line excerpt of user text for messages: control characters escaped, length capped. */
export function excerpt(value: string, max = 40): string {
  const chars = [...value];
  const clipped = chars.length > max ? chars.slice(0, max) : chars;
  let out = '';
  for (const ch of clipped) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += code === 0x0a ? '\\n' : code === 0x09 ? '\\t' : `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (code === 0xfeff || (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e)) {
      // invisible and bidirectional controls could disguise the excerpt
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return chars.length > max ? `${out}…` : out;
}

/**
 * Record text as a message quotes it: secrets masked first, then the excerpt (see excerpt). `fieldName` is the key the
 * text sits under, when known: it enables the name-based checks (a password, a long random value under `api_key`).
 */
function shown(value: string, max: number, fieldName: string | null = null): string {
  return excerpt(maskSecrets(value, fieldName), max);
}

/**
 * The name a value at `pointer` sits under, for the name-based secret checks: its key, or for a list item the key
 * of the list (as the AgBOM's secret scan reads it). Only for messages: pointers are not parsed on the value paths.
 */
function fieldOf(pointer: string): string | null {
  const segments = pointer.split('/');
  for (let i = segments.length - 1; i > 0; i--) {
    const seg = segments[i]!;
    if (!/^(?:0|[1-9][0-9]*)$/.test(seg)) return seg.replace(/~1/g, '/').replace(/~0/g, '~');
  }
  return null;
}

/** One JSON pointer segment (RFC 6901). */
function segment(key: string | number): string {
  return typeof key === 'number' ? String(key) : key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Walk a pointer up to the nearest ancestor the map knows. */
function nearest<T>(map: Map<string, T>, pointer: string): T | undefined {
  let p = pointer;
  for (;;) {
    const hit = map.get(p);
    if (hit !== undefined) return hit;
    if (p === '') return undefined;
    const cut = p.lastIndexOf('/');
    p = cut <= 0 ? '' : p.slice(0, cut);
  }
}

const INTEGER_LITERAL = /^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;

/** `pointer` is where the number is: the name it sits under masks it as a secret would be (a long `pin`, a `password`). */
function numberProblem(
  value: number,
  source: string,
  quote: string,
  pointer: string
): { code: 'non-finite' | 'unsafe-integer'; message: string; hint: string } | null {
  // the excerpt is built only for a problem: this runs on every long number of the strict scanner
  if (!Number.isFinite(value)) {
    const literal = shown(source, 40, fieldOf(pointer));
    return {
      code: 'non-finite',
      message: `${literal} is not a finite number`,
      hint: `numbers in records must be finite; if this is text, quote it: ${quote}${literal}${quote}`
    };
  }
  if (Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER && INTEGER_LITERAL.test(source.trim())) {
    const literal = shown(source, 40, fieldOf(pointer));
    return {
      code: 'unsafe-integer',
      message: `${literal} is an integer larger than 2^53 − 1 (${Number.MAX_SAFE_INTEGER}) and cannot be read exactly`,
      hint: `quote it: ${quote}${literal}${quote}`
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// YAML

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

function showTag(tag: string): string {
  if (tag.startsWith('tag:yaml.org,2002:')) return `!!${shown(tag.slice('tag:yaml.org,2002:'.length), 40)}`;
  return tag.startsWith('!') ? shown(tag, 40) : `!<${shown(tag, 40)}>`;
}

function parseYaml(text: string, file: string, lines: LineIndex, maxDepth: number): ParseResult {
  const issues: RecordIssue[] = [];
  const at = (offset: number, code: string, message: string, hint?: string, pointer?: string): void => {
    const issue: RecordIssue = { code, message, file, ...lines.position(offset) };
    if (pointer !== undefined) issue.pointer = pointer;
    if (hint !== undefined) issue.hint = hint;
    issues.push(issue);
  };

  // The parser slows down sharply on deep nesting (a megabyte of "[" takes seconds), so nesting is
  // bounded first with the linear lexer; the exact depth is checked on the parsed tokens below.
  const tooDeep = lexicalNesting(text, maxDepth);
  if (tooDeep !== null) {
    at(
      tooDeep,
      'yaml.too-deep',
      `nests mappings/sequences more than ${maxDepth} levels deep`,
      `records nest at most ${maxDepth} levels deep`
    );
    return { ok: false, issues };
  }
  const tokens = [...new Parser().parse(text)];
  let documents = 0;
  for (const token of tokens) {
    if (token.type === 'directive') checkDirective(token, at);
    if (token.type === 'document') {
      documents++;
      if (documents === 2) {
        at(
          token.offset,
          'yaml.multiple-documents',
          'contains more than one YAML document (a "---" separator); a record file holds exactly one',
          'split the documents into separate files'
        );
      }
      const deep = deepestCollection(token, maxDepth);
      if (deep) {
        at(
          deep.offset,
          'yaml.too-deep',
          `nests mappings/sequences more than ${maxDepth} levels deep`,
          `records nest at most ${maxDepth} levels deep`
        );
      }
    }
  }
  if (issues.length > 0) return { ok: false, issues };

  const composer = new Composer({
    version: '1.2',
    schema: 'core',
    merge: false,
    uniqueKeys: false, // duplicates are reported below, naming both lines
    resolveKnownTags: false,
    strict: true,
    prettyErrors: false,
    intAsBigInt: false,
    keepSourceTokens: false
  });
  const docs = [...composer.compose(tokens, true, text.length)];
  const doc = docs[0];
  if (!doc) return { ok: true, value: null, locate: () => ({ line: 1, column: 1 }), sourceOf: () => undefined };

  const syntax = [...doc.errors, ...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')];
  for (const problem of syntax.slice(0, MAX_SYNTAX_ISSUES)) {
    const message = problem.message.split('\n')[0] ?? '';
    // the composer catches its own stack overflow and reports it as an error of the document
    if (/call stack/i.test(message))
      at(problem.pos[0], 'yaml.too-complex', TOO_COMPLEX, `records nest at most ${maxDepth} levels deep`);
    // the parser's messages quote the source ("Not a YAML token: …"); a line longer than 4,096 characters is cut
    // first, for speed (a secret starting within the 160 shown is still whole enough to recognise)
    else at(problem.pos[0], 'yaml.syntax', `YAML syntax error: ${shown(message.slice(0, 4096), 160)}`);
  }
  if (syntax.length > MAX_SYNTAX_ISSUES) {
    at(
      syntax[MAX_SYNTAX_ISSUES]!.pos[0],
      'yaml.syntax',
      `and ${syntax.length - MAX_SYNTAX_ISSUES} more YAML syntax errors`
    );
  }
  if (issues.length > 0) return { ok: false, issues };

  const converted = new YamlConverter(text, lines, at).convertDocument(doc);
  if (issues.length > 0) return { ok: false, issues };
  const { value, offsets, scalarRanges } = converted;
  return {
    ok: true,
    value,
    locate: (pointer) => {
      const offset = nearest(offsets, pointer);
      return offset === undefined ? undefined : lines.position(offset);
    },
    sourceOf: (pointer) => {
      const range = scalarRanges.get(pointer);
      return range ? text.slice(range[0], range[1]) : undefined;
    }
  };
}

type At = (offset: number, code: string, message: string, hint?: string, pointer?: string) => void;

function checkDirective(token: CST.Directive, at: At): void {
  const source = token.source.replace(/\s+#.*$/, '').trim();
  const yamlVersion = /^%YAML[ \t]+(\S+)$/.exec(source);
  if (yamlVersion) {
    if (yamlVersion[1] === '1.2') return;
    at(
      token.offset,
      'yaml.directive',
      `declares ${shown(source, 20)}; records are read as YAML 1.2 only`,
      'remove the directive; in YAML 1.2 `no`, `yes`, `on` and `off` are strings, so write booleans as true/false'
    );
    return;
  }
  if (source.startsWith('%TAG')) {
    at(
      token.offset,
      'yaml.directive',
      'declares a %TAG directive; records do not use custom tags',
      'remove the directive'
    );
    return;
  }
  at(token.offset, 'yaml.directive', `has an unknown directive ${shown(source, 20)}`, 'remove the directive');
}

/** Lexer tokens that mark what follows and stand for no source text. */
const SYNTHETIC_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * The offset where flow brackets, or block indicators on one line ("- - - x"), nest deeper than maxDepth,
 * or null. An upper bound on neither is needed for indentation: nesting by indentation costs a line per level.
 */
function lexicalNesting(text: string, maxDepth: number): number | null {
  let offset = 0;
  let flow = 0;
  let compact = 0;
  let scalarNext = false;
  for (const token of new Lexer().lex(text)) {
    if (scalarNext) {
      scalarNext = false; // a scalar's own text: brackets in it are characters
    } else if (token === '\u001f') {
      scalarNext = true;
    } else if (token === '[' || token === '{') {
      if (++flow > maxDepth) return offset;
    } else if (token === ']' || token === '}') {
      if (flow > 0) flow--;
    } else if ((token === '-' || token === '?') && flow === 0) {
      if (++compact > maxDepth) return offset;
    } else if (token === '\n' || token === '\r\n') {
      compact = 0;
    }
    if (!SYNTHETIC_TOKENS.has(token)) offset += token.length;
  }
  return null;
}

/** The first collection token nested deeper than maxDepth, found without recursion. */
function deepestCollection(document: CST.Document, maxDepth: number): { offset: number } | null {
  const stack: [CST.Token, number][] = [];
  if (document.value) stack.push([document.value, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const inner = depth + 1;
    if (inner > maxDepth) return { offset: token.offset };
    for (const item of token.items) {
      if (item.key) stack.push([item.key, inner]);
      if (item.value) stack.push([item.value, inner]);
    }
  }
  return null;
}

class YamlConverter {
  readonly offsets = new Map<string, number>();
  readonly scalarRanges = new Map<string, [number, number]>();

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly at: At
  ) {}

  convertDocument(doc: Document.Parsed): {
    value: unknown;
    offsets: Map<string, number>;
    scalarRanges: Map<string, [number, number]>;
  } {
    const root = doc.contents;
    this.offsets.set('', root ? root.range[0] : 0);
    const value = root ? this.convert(root, '') : null;
    return { value, offsets: this.offsets, scalarRanges: this.scalarRanges };
  }

  /** Recursion is bounded: the CST was checked against MAX_DEPTH before composing. */
  private convert(node: ParsedNode, pointer: string): unknown {
    if (isAlias(node)) {
      this.at(
        node.range[0],
        'yaml.alias',
        `uses the alias *${shown(node.source, 30)}; aliases are not allowed in records`,
        'write the value out in full (aliases can expand exponentially: an "alias bomb")',
        pointer
      );
      return null;
    }
    if (node.anchor) {
      this.at(
        node.range[0],
        'yaml.anchor',
        `defines the anchor &${shown(node.anchor, 30)}; anchors and aliases are not allowed in records`,
        'remove the anchor and write every value out in full',
        pointer
      );
    }
    if (node.tag && !CORE_TAGS.has(node.tag)) {
      this.at(
        node.range[0],
        'yaml.tag',
        `uses the tag ${showTag(node.tag)}; records allow only plain YAML 1.2 values`,
        'remove the tag; write a string, number, boolean, null, mapping or list (quote text that looks like something else)',
        pointer
      );
      return null;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const keyNode = pair.key as ParsedNode | null;
        const key = this.keyOf(keyNode, pointer, node.range[0]);
        if (key === null) continue;
        const { name, offset } = key;
        const child = `${pointer}/${segment(name)}`;
        const first = seen.get(name);
        if (first !== undefined) {
          const a = this.lines.position(first);
          const b = this.lines.position(offset);
          this.at(
            offset,
            'yaml.duplicate-key',
            `has the key "${shown(name, 40)}" twice in one mapping: ${twoPlaces(a, b)}`,
            'keep one of them; a YAML mapping cannot hold the same key twice',
            child
          );
          continue;
        }
        seen.set(name, offset);
        this.offsets.set(child, offset);
        const valueNode = pair.value as ParsedNode | null;
        setOwn(out, name, valueNode ? this.convert(valueNode, child) : null);
      }
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, index) => {
        const child = `${pointer}/${index}`;
        const itemNode = item as ParsedNode | null;
        if (itemNode) this.offsets.set(child, itemNode.range[0]);
        out.push(itemNode ? this.convert(itemNode, child) : null);
      });
      return out;
    }
    if (isScalar(node)) return this.scalar(node, pointer);
    this.at(0, 'yaml.syntax', 'contains a YAML node of an unknown type', undefined, pointer);
    return null;
  }

  private scalar(node: Scalar.Parsed, pointer: string): unknown {
    this.scalarRanges.set(pointer, [node.range[0], node.range[1]]);
    const value: unknown = node.value;
    if (typeof value === 'number') {
      const problem = numberProblem(value, this.text.slice(node.range[0], node.range[1]), '"', pointer);
      if (problem) this.at(node.range[0], `yaml.${problem.code}`, problem.message, problem.hint, pointer);
      return value;
    }
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    this.at(
      node.range[0],
      'yaml.tag',
      'holds a value that is not a string, number, boolean or null',
      undefined,
      pointer
    );
    return null;
  }

  /** The key of a mapping entry as a string, or null (after reporting) when it is not a plain scalar. */
  private keyOf(
    keyNode: ParsedNode | null,
    pointer: string,
    mapOffset: number
  ): { name: string; offset: number } | null {
    if (!keyNode) {
      this.at(
        mapOffset,
        'yaml.empty-key',
        'has a mapping entry without a key',
        'write a key before the colon',
        pointer
      );
      return null;
    }
    if (isAlias(keyNode) || !isScalar(keyNode)) {
      if (isAlias(keyNode)) this.convert(keyNode, pointer);
      else {
        this.at(
          keyNode.range[0],
          'yaml.complex-key',
          'uses a mapping or list as a key; record keys are strings',
          'write the key as plain text',
          pointer
        );
      }
      return null;
    }
    if (keyNode.anchor || (keyNode.tag && !CORE_TAGS.has(keyNode.tag))) {
      this.convert(keyNode, pointer);
      return null;
    }
    const offset = keyNode.range[0];
    const plain = keyNode.type === 'PLAIN';
    const name =
      typeof keyNode.value === 'string' ? keyNode.value : (keyNode.source ?? this.text.slice(offset, keyNode.range[1]));
    if (plain && name === '<<') {
      this.at(
        offset,
        'yaml.merge-key',
        'uses a merge key (<<); merge keys are not allowed in records',
        'write the merged fields out in full',
        pointer
      );
      return null;
    }
    if (plain && name === '' && keyNode.value === null) {
      this.at(offset, 'yaml.empty-key', 'has a mapping entry without a key', 'write a key before the colon', pointer);
      return null;
    }
    return { name: String(name), offset };
  }
}

// ---------------------------------------------------------------------------------------------------
// JSON

interface JsonProblem {
  offset: number;
  code: string;
  message: string;
  hint?: string;
  pointer?: string;
}

function parseJson(text: string, file: string, lines: LineIndex, maxDepth: number): ParseResult {
  let value = plainJson(text, maxDepth);
  if (value === NOT_PLAIN) {
    const scan = new JsonScanner(text, maxDepth, lines).run();
    const toIssue = (p: JsonProblem): RecordIssue => {
      const issue: RecordIssue = { code: p.code, message: p.message, file, ...lines.position(p.offset) };
      if (p.pointer !== undefined) issue.pointer = p.pointer;
      if (p.hint !== undefined) issue.hint = p.hint;
      return issue;
    };
    if (scan.length > 0) return { ok: false, issues: scan.map(toIssue) };
    try {
      value = JSON.parse(text);
    } catch {
      // The scanner accepts exactly JSON; a disagreement is reported, never passed through.
      return { ok: false, issues: [toIssue({ offset: 0, code: 'json.syntax', message: 'is not valid JSON' })] };
    }
  }

  // Pointers are resolved by walking the text, which records the children of each container it passes through
  // so that later pointers resume where earlier ones stopped; a walk that has rescanned too much hands over to
  // the full structure index. An AgBOM may be tens of megabytes with two findings near its end, and most files
  // need no location at all. The parsed value tells the walker how long each list is, so that it can come from
  // a list's end when the item is nearer to it.
  let walker: JsonWalker | null = null;
  let index: JsonIndex | null = null;
  const parsed = value;
  const resolve = (pointer: string): JsonPlace => {
    if (index === null) {
      walker ??= new JsonWalker(text, parsed);
      const place = walker.place(pointer);
      if (place !== null) return place;
      walker = null;
      index = JsonIndex.of(text);
    }
    return index.place(pointer);
  };
  return {
    ok: true,
    value,
    locate: (pointer) => lines.position(resolve(pointer).location),
    sourceOf: (pointer) => {
      const place = resolve(pointer);
      return place.exact ? scalarSource(text, place.value) : undefined;
    }
  };
}

/** Both ways of resolving pointers in one text, for the differential test that keeps them the same. */
export function jsonResolvers(text: string): {
  walk: (pointer: string) => JsonPlace | null;
  index: (pointer: string) => JsonPlace;
  /** how many characters the walker has skipped so far */
  scanned: () => number;
} {
  const walker = new JsonWalker(text, JSON.parse(text));
  const index = JsonIndex.of(text);
  return {
    walk: (pointer) => walker.place(pointer),
    index: (pointer) => index.place(pointer),
    scanned: () => walker.scanned
  };
}

/** Where a pointer leads: the value (or its nearest existing ancestor when not exact) and where it is located. */
export interface JsonPlace {
  /** offset of the value */
  value: number;
  /** a member is located at its key, anything else at its value */
  location: number;
  exact: boolean;
}

/** The children of one container found so far, and where to resume looking for more. */
interface Children {
  /** where each child's value starts */
  values: number[];
  /** objects: where each member's key starts, and the decoded keys seen so far */
  keys: number[];
  byKey: Map<string, number> | null;
  /** where the first child starts, until it is found; then -1 */
  first: number;
  /** the last child found, whose end is looked for only when a later child is wanted: entering it needs none */
  last: number;
  done: boolean;
}

/**
 * The children of one container found from its end, the last first. A child's end is found by skipping the
 * children after it; it is skipped itself (its start found, and an object member's key) only when asked, so a list
 * reached from its object's end is entered without skipping it.
 */
interface ChildrenFromEnd {
  /** where each child's value ends (exclusive) */
  ends: number[];
  /** where each child's value starts, for the children skipped so far */
  starts: number[];
  /** objects: where each member's key starts, for the members skipped so far */
  keys: number[];
  object: boolean;
  /** no child before the last one found */
  done: boolean;
}

/** The keys of a JSON pointer that starts with "/", unescaped (RFC 6901: ~1 is "/", ~0 is "~"). */
function pointerKeys(pointer: string): string[] {
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** One step of a pointer that exists in the parsed value. */
interface Step {
  key: string;
  /** lists: the item's index; objects: the member's place in the written order, or -1 when it is not known */
  index: number;
  /** how many children the container has */
  length: number;
  object: boolean;
}

/** An integer-like key: JSON.parse's objects enumerate these first, whatever order they were written in. */
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/**
 * Resolves pointers in a text JSON.parse accepted by walking it: values off the path are skipped (strings with
 * indexOf, containers by counting brackets) and only where each child of a container on the path starts is kept.
 * Its answers are the structure index's (JsonIndex.place); a differential test keeps the two the same. A value
 * that is skipped and later entered is scanned twice, so the walker stops (place answers null) once it has
 * scanned twice the text: past that point the structure index, one pass, is cheaper.
 *
 * A pointer that exists in the parsed value is walked from whichever end of each container is nearer. A text
 * JSON.parse accepted without duplicate keys has exactly the parsed value's structure: the parsed list's length
 * says that item n is the (length − n)th from the end, and the parsed object's key order (the written order, when
 * no key is integer-like) says which member it is from either end. An item in the second half of a list is found
 * by skipping the items after it, from the list's closing bracket; a member is found from its object's end when it
 * is written in the second half or its value is such a list (in an AgBOM: back past the dependency graph to the
 * end of the components, then to the last components). The document's end is known; only which way is walked
 * depends on the parsed value, never the answer.
 */
class JsonWalker {
  private readonly containers = new Map<number, Children>();
  private readonly fromEnd = new Map<number, ChildrenFromEnd>();
  /** characters skipped so far (read by tests) */
  scanned = 0;

  constructor(
    private readonly text: string,
    private readonly parsed: unknown
  ) {}

  place(pointer: string): JsonPlace | null {
    const steps = this.steps(pointer);
    return steps === null ? this.placeForward(pointer) : this.placeNearer(steps);
  }

  /** The steps of a pointer that exists in the parsed value, or null. */
  private steps(pointer: string): Step[] | null {
    if (pointer === '' || !pointer.startsWith('/')) return null;
    const steps: Step[] = [];
    let node = this.parsed;
    for (const key of pointerKeys(pointer)) {
      if (Array.isArray(node)) {
        if (!INDEX_LIKE.test(key)) return null;
        const index = Number(key);
        if (index >= node.length) return null;
        steps.push({ key, index, length: node.length, object: false });
        node = node[index];
      } else if (node !== null && typeof node === 'object') {
        if (!Object.hasOwn(node, key)) return null;
        const keys = Object.keys(node);
        const index = keys.some((k) => INDEX_LIKE.test(k)) ? -1 : keys.indexOf(key);
        steps.push({ key, index, length: keys.length, object: true });
        node = (node as Record<string, unknown>)[key];
      } else return null;
    }
    return steps;
  }

  /** Walks each step from the nearer end of its container; null when it hands over to the index. */
  private placeNearer(steps: Step[]): JsonPlace | null {
    const { text } = this;
    // the container being entered: where it starts (-1 until needed, when it was found from its end) and ends
    // (-1 when it was found from its start)
    let start = skipSpace(text, 0);
    let end = skipSpaceBack(text, text.length - 1) + 1;
    let location = start;
    let from: { c: ChildrenFromEnd; n: number; key: string | null } | null = null;
    const startNow = (): number => {
      if (start < 0 && from !== null) {
        start = this.startFromEnd(from.c, from.n, from.key);
        location = from.key === null ? start : (from.c.keys[from.n] ?? -1);
      }
      return start;
    };
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      const next = steps[s + 1];
      const secondHalf = step.index >= step.length / 2;
      const backward =
        end >= 0 &&
        step.index >= 0 &&
        (secondHalf || (step.object && next !== undefined && !next.object && next.index >= next.length / 2));
      if (backward) {
        const c = this.childrenFromEnd(end, step.object);
        const n = step.length - 1 - step.index;
        end = this.endFromEnd(c, n);
        if (end < 0) return null;
        start = -1;
        from = { c, n, key: step.object ? step.key : null };
      } else {
        if (startNow() < 0) return null;
        if (step.object) {
          const member = this.member(start, step.key);
          if (member === null) return null;
          [location, start] = member;
        } else {
          start = this.item(start, step.index);
          if (start < 0) return null;
          location = start;
        }
        end = -1;
        from = null;
      }
      if (this.scanned > 2 * text.length) return null;
    }
    if (startNow() < 0 || location < 0 || this.scanned > 2 * text.length) return null;
    return { value: start, location, exact: true };
  }

  private childrenFromEnd(end: number, object: boolean): ChildrenFromEnd {
    let c = this.fromEnd.get(end);
    if (c === undefined) {
      const last = skipSpaceBack(this.text, end - 2);
      const empty = this.text.charCodeAt(last) === (object ? 0x7b : 0x5b);
      c = { ends: empty ? [] : [last + 1], starts: [], keys: [], object, done: empty };
      this.fromEnd.set(end, c);
    }
    return c;
  }

  /** Where the nth child from the end ends, or -1. */
  private endFromEnd(c: ChildrenFromEnd, n: number): number {
    const { text } = this;
    while (c.ends.length <= n && !c.done) {
      // skip the last child found, then look before it
      const skipped = c.ends.length - 1;
      if (this.startFromEnd(c, skipped, null) < 0) return -1;
      const i = skipSpaceBack(text, (c.object ? c.keys[skipped]! : c.starts[skipped]!) - 1);
      if (text.charCodeAt(i) === 0x2c /* , */) c.ends.push(skipSpaceBack(text, i - 1) + 1);
      else c.done = true;
    }
    return c.ends[n] ?? -1;
  }

  /**
   * Where the nth child from the end starts (and, for a member, where its key starts), skipping the children up to
   * it; -1 when the member found there is not `key` (the text and the parsed value disagree: the index answers).
   */
  private startFromEnd(c: ChildrenFromEnd, n: number, key: string | null): number {
    const { text } = this;
    while (c.starts.length <= n) {
      const k = c.starts.length;
      const end = this.endFromEnd(c, k);
      if (end < 0) return -1;
      const start = skipValueBack(text, end);
      this.scanned += end - start;
      c.starts.push(start);
      if (c.object) {
        // before the value: the colon, then the key
        const keyEnd = skipSpaceBack(text, skipSpaceBack(text, start - 1) - 1) + 1;
        c.keys.push(stringStartBack(text, keyEnd - 1));
      }
    }
    if (key !== null) {
      const keyStart = c.keys[n]!;
      if (keyText(text, keyStart, stringEnd(text, keyStart)) !== key) return -1;
    }
    return c.starts[n]!;
  }

  /** The walk from each container's start (pointers that do not exist in the parsed value). */
  private placeForward(pointer: string): JsonPlace | null {
    const { text } = this;
    let value = skipSpace(text, 0);
    let location = value;
    if (pointer === '') return { value, location, exact: true };
    if (!pointer.startsWith('/')) return { value, location, exact: false };
    for (const key of pointerKeys(pointer)) {
      const open = text.charCodeAt(value);
      let child = -1;
      if (open === 0x5b /* [ */) {
        if (!/^(?:0|[1-9][0-9]*)$/.test(key)) return { value, location, exact: false };
        child = this.item(value, Number(key));
        if (child >= 0) location = child;
      } else if (open === 0x7b /* { */) {
        const member = this.member(value, key);
        if (member !== null) [location, child] = member;
      }
      if (this.scanned > 2 * text.length) return null;
      if (child < 0) return { value, location, exact: false };
      value = child;
    }
    return { value, location, exact: true };
  }

  private children(container: number, object: boolean): Children {
    let c = this.containers.get(container);
    if (c === undefined) {
      const first = skipSpace(this.text, container + 1);
      const done = this.text.charCodeAt(first) === (object ? 0x7d : 0x5d);
      c = { values: [], keys: [], byKey: object ? new Map() : null, first, last: -1, done };
      this.containers.set(container, c);
    }
    return c;
  }

  /** Finds one more child; false when there are no more. */
  private advance(c: Children): boolean {
    if (c.done) return false;
    const { text } = this;
    let i = c.first;
    if (i < 0) {
      const end = skipValue(text, c.last);
      this.scanned += end - c.last;
      i = skipSpace(text, end);
      if (text.charCodeAt(i) !== 0x2c /* , */) {
        c.done = true;
        return false;
      }
      i = skipSpace(text, i + 1);
    }
    c.first = -1;
    if (c.byKey !== null) {
      const keyEnd = stringEnd(text, i);
      const key = keyText(text, i, keyEnd);
      // the first occurrence wins, as in the structure index
      if (!c.byKey.has(key)) c.byKey.set(key, c.keys.length);
      c.keys.push(i);
      i = skipSpace(text, skipSpace(text, keyEnd) + 1);
    }
    c.values.push(i);
    c.last = i;
    return true;
  }

  private item(container: number, n: number): number {
    const c = this.children(container, false);
    while (c.values.length <= n && this.advance(c));
    return c.values[n] ?? -1;
  }

  /** [where the member is located (its key), where its value starts], or null. */
  private member(container: number, key: string): [number, number] | null {
    const c = this.children(container, true);
    let found = c.byKey!.get(key);
    while (found === undefined && this.advance(c)) found = c.byKey!.get(key);
    return found === undefined ? null : [c.keys[found]!, c.values[found]!];
  }
}

/** The last offset at or before `i` that is not JSON whitespace (-1 when there is none). */
function skipSpaceBack(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i--;
    else return i;
  }
}

/** Where the (valid) value ending just before `end` starts: the text read backwards. */
function skipValueBack(text: string, end: number): number {
  let i = end - 1;
  const c = text.charCodeAt(i);
  if (c === 0x22 /* " */) return stringStartBack(text, i);
  if (c !== 0x7d && c !== 0x5d) {
    // a number, true, false or null: back to the delimiter before it
    for (i--; i >= 0; i--) {
      const d = text.charCodeAt(i);
      if (d === 0x2c || d === 0x3a || d === 0x5b || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    }
    return i + 1;
  }
  let depth = 0;
  for (; i >= 0; i--) {
    const d = text.charCodeAt(i);
    if (d === 0x22) i = stringStartBack(text, i);
    else if (d === 0x7d || d === 0x5d) depth++;
    else if ((d === 0x7b || d === 0x5b) && --depth === 0) return i;
  }
  return 0;
}

/**
 * Where the (valid) string whose closing quote is at `close` starts. Read backwards, the first quote not escaped
 * (not after an odd number of backslashes) is the opening one: inside a string every quote is escaped, and a
 * string's opening quote follows a delimiter or whitespace, never a backslash.
 */
function stringStartBack(text: string, close: number): number {
  let i = text.lastIndexOf('"', close - 1);
  while (i > 0) {
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return i;
    i = text.lastIndexOf('"', i - 1);
  }
  return Math.max(i, 0);
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Offset just past the (valid) value starting at `i`. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22 /* " */) return stringEnd(text, i);
  if (c !== 0x7b && c !== 0x5b) return literalEnd(text, i);
  let depth = 0;
  for (;;) {
    const d = text.charCodeAt(i);
    if (d === 0x22) {
      i = stringEnd(text, i);
      continue;
    }
    if (d === 0x7b || d === 0x5b) depth++;
    else if (d === 0x7d || d === 0x5d) {
      if (--depth === 0) return i + 1;
    } else if (Number.isNaN(d)) return text.length;
    i++;
  }
}

/** Offset just past the number, true, false or null starting at `i`: the next delimiter. */
function literalEnd(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
  }
  return i;
}

/** A member's key as a string, from its quoted text. */
function keyText(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
}

/** The source text of the scalar at `start`, or undefined for a container. */
function scalarSource(text: string, start: number): string | undefined {
  const c = text.charCodeAt(start);
  if (c === 0x7b || c === 0x5b) return undefined;
  return c === 0x22
    ? text.slice(start, stringEnd(text, start))
    : /[^,\]}\s]*/y.exec(text.slice(start, start + 400))?.[0];
}

/**
 * Every value of a JSON document as a tree of typed arrays (no strings): where its value starts, where
 * its key starts (members), its first child and next sibling. A pointer is resolved by walking it,
 * reading keys from the text only along the way.
 */
class JsonIndex {
  private size = 0;
  private valueStart: Int32Array<ArrayBuffer>;
  private keyStart: Int32Array<ArrayBuffer>;
  private firstChild: Int32Array<ArrayBuffer>;
  private lastChild: Int32Array<ArrayBuffer>;
  private nextSibling: Int32Array<ArrayBuffer>;

  private constructor(private readonly text: string) {
    const capacity = Math.max(1024, text.length >> 4);
    this.valueStart = new Int32Array(capacity);
    this.keyStart = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.lastChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
  }

  /**
   * The index of a text JSON.parse accepted, in one pass over its structure: nothing needs checking, strings
   * are skipped with indexOf, and only where values and keys start is recorded.
   */
  static of(text: string): JsonIndex {
    const index = new JsonIndex(text);
    const outer: number[] = [];
    let parent = -1;
    let inObject = false;
    let expectKey = false;
    let keyOffset = -1;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else if (c === 0x22 /* " */) {
        if (expectKey) keyOffset = i;
        else {
          index.add(parent, i, keyOffset);
          keyOffset = -1;
        }
        i = stringEnd(text, i);
      } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        outer.push(parent, inObject ? 1 : 0);
        parent = index.add(parent, i, keyOffset);
        keyOffset = -1;
        inObject = c === 0x7b;
        expectKey = inObject;
        i++;
      } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        inObject = outer.pop() === 1;
        parent = outer.pop()!;
        expectKey = false;
        i++;
      } else if (c === 0x2c /* , */) {
        expectKey = inObject;
        i++;
      } else if (c === 0x3a /* : */) {
        expectKey = false;
        i++;
      } else {
        // a number, true, false or null, up to the next delimiter
        index.add(parent, i, keyOffset);
        keyOffset = -1;
        i = literalEnd(text, i);
      }
    }
    return index;
  }

  /** Adds a value under `parent` (-1 for the root); returns its id. */
  private add(parent: number, valueOffset: number, keyOffset: number): number {
    if (this.size === this.valueStart.length) this.grow();
    const id = this.size++;
    this.valueStart[id] = valueOffset;
    this.keyStart[id] = keyOffset;
    this.firstChild[id] = -1;
    this.lastChild[id] = -1;
    this.nextSibling[id] = -1;
    if (parent >= 0) {
      const last = this.lastChild[parent]!;
      if (last < 0) this.firstChild[parent] = id;
      else this.nextSibling[last] = id;
      this.lastChild[parent] = id;
    }
    return id;
  }

  /** The node a pointer names, or its nearest existing ancestor (exact = false). */
  find(pointer: string): { node: number; exact: boolean } {
    if (this.size === 0) return { node: -1, exact: false };
    let node = 0;
    if (pointer === '') return { node, exact: true };
    if (!pointer.startsWith('/')) return { node, exact: false };
    for (const key of pointerKeys(pointer)) {
      const open = this.text.charCodeAt(this.valueStart[node]!);
      let child = this.firstChild[node]!;
      if (open === 0x5b /* [ */) {
        if (!/^(?:0|[1-9][0-9]*)$/.test(key)) return { node, exact: false };
        for (let i = Number(key); i > 0 && child >= 0; i--) child = this.nextSibling[child]!;
      } else if (open === 0x7b /* { */) {
        while (child >= 0 && this.keyAt(this.keyStart[child]!) !== key) child = this.nextSibling[child]!;
      } else child = -1;
      if (child < 0) return { node, exact: false };
      node = child;
    }
    return { node, exact: true };
  }

  /** Where a pointer leads (see JsonPlace); the answer JsonWalker gives without the index. */
  place(pointer: string): JsonPlace {
    const { node, exact } = this.find(pointer);
    if (node < 0) return { value: 0, location: 0, exact: false };
    const key = this.keyStart[node]!;
    const value = this.valueStart[node]!;
    return { value, location: key >= 0 ? key : value, exact };
  }

  private keyAt(offset: number): string {
    return keyText(this.text, offset, stringEnd(this.text, offset));
  }

  private grow(): void {
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.valueStart = grow(this.valueStart);
    this.keyStart = grow(this.keyStart);
    this.firstChild = grow(this.firstChild);
    this.lastChild = grow(this.lastChild);
    this.nextSibling = grow(this.nextSibling);
  }
}

/** Offset just past the closing quote of the (valid) string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = text.indexOf('"', start + 1);
  for (;;) {
    if (i < 0) return text.length + 1;
    // a quote after an odd number of backslashes is escaped
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return i + 1;
    i = text.indexOf('"', i + 1);
  }
}

const STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

interface Frame {
  array: boolean;
  pointer: string;
  /** object: key → offset of its first occurrence (for duplicate messages) */
  keys: Map<string, number> | null;
  index: number;
}

/**
 * A strict, non-recursive JSON scanner: validates syntax exactly as JSON.parse does (so that errors are
 * located), caps nesting depth, and reports duplicate keys, unsafe integers and non-finite numbers. It runs on
 * the texts plainJson does not accept.
 */
class JsonScanner {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private readonly problems: JsonProblem[] = [];
  /** pointer of the value about to be read */
  private pointer = '';

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly lines: LineIndex
  ) {}

  /** Problems found; a syntax error ends the scan (it is the last problem). */
  run(): JsonProblem[] {
    try {
      this.scan();
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      this.problems.push(error.problem);
    }
    return this.problems;
  }

  private scan(): void {
    const text = this.text;
    this.skipWhitespace();
    if (this.pos >= text.length) this.fail('json.syntax', 'is empty; expected a JSON value');
    for (;;) {
      // a value starts here
      this.skipWhitespace();
      const start = this.pos;
      const c = text.charCodeAt(start);
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        const array = c === 0x5b;
        if (this.stack.length >= this.maxDepth) {
          this.fail(
            'json.too-deep',
            `nests objects/arrays more than ${this.maxDepth} levels deep`,
            `records nest at most ${this.maxDepth} levels deep`
          );
        }
        this.stack.push({ array, pointer: this.pointer, keys: null, index: 0 });
        this.pos++;
        this.skipWhitespace();
        if (text.charCodeAt(this.pos) === (array ? 0x5d : 0x7d)) {
          this.pos++;
          this.stack.pop();
        } else {
          if (array) this.element();
          else this.member();
          continue;
        }
      } else {
        this.scalar();
      }
      // after a value: close containers, or move on to the next element/member
      let more = false;
      while (this.stack.length > 0) {
        const frame = this.stack[this.stack.length - 1]!;
        this.skipWhitespace();
        const d = text.charCodeAt(this.pos);
        if (d === 0x2c /* , */) {
          this.pos++;
          this.skipWhitespace();
          const e = text.charCodeAt(this.pos);
          if (e === 0x7d || e === 0x5d) {
            this.fail(
              'json.syntax',
              `has a trailing comma before '${text[this.pos]}'`,
              'JSON does not allow trailing commas; remove it'
            );
          }
          frame.index++;
          if (frame.array) this.element();
          else this.member();
          more = true;
          break;
        }
        if (d === (frame.array ? 0x5d : 0x7d)) {
          this.pos++;
          this.stack.pop();
          continue;
        }
        this.unexpected(frame.array ? "',' or ']'" : "',' or '}'");
      }
      if (more) continue;
      this.skipWhitespace();
      if (this.pos < text.length) this.unexpected('the end of the file after the JSON value');
      return;
    }
  }

  private element(): void {
    const frame = this.stack[this.stack.length - 1]!;
    this.pointer = `${frame.pointer}/${frame.index}`;
  }

  private member(): void {
    const frame = this.stack[this.stack.length - 1]!;
    this.skipWhitespace();
    const keyOffset = this.pos;
    if (this.text.charCodeAt(this.pos) !== 0x22) this.unexpected('a property name in double quotes');
    const key = this.string();
    const pointer = `${frame.pointer}/${segment(key)}`;
    this.pointer = pointer;
    frame.keys ??= new Map();
    const first = frame.keys.get(key);
    if (first === undefined) frame.keys.set(key, keyOffset);
    else {
      this.problems.push({
        offset: keyOffset,
        code: 'json.duplicate-key',
        message: `has the key "${shown(key, 40)}" twice in one object: ${twoPlaces(this.lines.position(first), this.lines.position(keyOffset))}`,
        hint: 'keep one of them; JSON readers silently keep only the last',
        pointer
      });
    }
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 0x3a) this.unexpected("':' after the property name");
    this.pos++;
  }

  private scalar(): void {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === 0x22) {
      this.string();
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = start;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '-') {
        this.pos = start + 1;
        this.unexpected('a digit');
      }
      const literal = m![0];
      this.pos = start + literal.length;
      if (literal.length > 15 || m![2] !== undefined) {
        const problem = numberProblem(Number(literal), literal, '"', this.pointer);
        if (problem) {
          this.problems.push({
            offset: start,
            code: `json.${problem.code}`,
            message: problem.message,
            hint: problem.hint,
            pointer: this.pointer
          });
        }
      }
    } else if (text.startsWith('true', start)) this.pos += 4;
    else if (text.startsWith('false', start)) this.pos += 5;
    else if (text.startsWith('null', start)) this.pos += 4;
    else this.unexpected('a value');
  }

  /** Scans a string starting at the opening quote; returns its value. */
  private string(): string {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      STRING_RUN.lastIndex = i;
      STRING_RUN.exec(text);
      i = STRING_RUN.lastIndex;
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) {
          this.pos = i;
          this.fail(
            'json.syntax',
            'has an invalid escape sequence in a string',
            'valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX'
          );
        }
        i = ESCAPE.lastIndex;
        escaped = true;
        continue;
      }
      this.pos = i;
      if (i >= text.length) this.fail('json.syntax', 'ends inside a string (a closing " is missing)');
      this.fail(
        'json.syntax',
        'has an unescaped control character in a string',
        'write it as an escape such as \\n or \\t'
      );
    }
    this.pos = i + 1;
    return escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let i = this.pos;
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++i);
    this.pos = i;
  }

  private unexpected(expected: string): never {
    const text = this.text;
    if (this.pos >= text.length) this.fail('json.syntax', `ends early: expected ${expected}`);
    const ch = String.fromCodePoint(text.codePointAt(this.pos)!);
    const found = /[\u0021-\u007e]/.test(ch)
      ? `'${ch}'`
      : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    let hint: string | undefined;
    if (ch === '/') hint = 'JSON does not allow comments';
    else if (ch === "'") hint = 'JSON strings and names use double quotes';
    else if (/[A-Za-z_$]/.test(ch)) {
      hint = /^(?:NaN|-?Infinity)/.test(text.slice(this.pos, this.pos + 9))
        ? 'JSON has no NaN or Infinity; use a finite number, or quote it if it is text'
        : 'text values and property names must be in double quotes';
    }
    this.fail('json.syntax', `expected ${expected} but found ${found}`, hint);
  }

  private fail(code: string, message: string, hint?: string): never {
    const problem: JsonProblem = { offset: this.pos, code, message };
    if (hint !== undefined) problem.hint = hint;
    if (this.stack.length > 0) problem.pointer = this.stack[this.stack.length - 1]!.pointer;
    throw new JsonSyntaxError(problem);
  }
}

class JsonSyntaxError extends Error {
  constructor(readonly problem: JsonProblem) {
    super(problem.message);
  }
}
