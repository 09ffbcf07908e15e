/**
 * Records from a FileSource: select files by the configuration's globs, read them safely, parse,
 * identify each record's kind, check it against its schema, and locate every problem.
 *
 * Nothing here judges a change: a problem is a RecordIssue (the user's files are wrong), never a gate
 * finding, and a failure of the machinery (git crashed) propagates as an exception. The output is the
 * same for the same files whatever order the source lists them in.
 */
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { classify, describeUnknown } from './classify.js';
import type { GateConfig } from '../model/config.js';
import type { ArtifactDigest, LoadedRecord, RecordSet } from '../model/input.js';
import type { RecordIssue } from '../model/issue.js';
import type { Locator, Side, SourceFile } from '../model/location.js';
import type { EvalCaseTable, ReplayReceipts } from '../model/records.js';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_PATH } from '../settings/defaults.js';
import { excerpt, parseDocument } from './parse.js';
import type { ParseFormat, ParseResult } from './parse.js';
import { checkGlob, checkRepoPath, resolveReference } from './paths.js';
import { SourceError } from './source.js';
import type { FileSource, SourceEntry } from './source.js';
import { decodeUtf8 } from './text.js';
import { validateEvalCaseLine, validateRecord } from './validate.js';
import type { SchemaIssue } from './validate.js';

export interface LoadOptions {
  /** the commit the source shows, recorded in the set */
  commit?: string | null;
  onProgress?: (done: number, total: number) => void;
  /** the configuration file, named by issues about the globs (default .github/agent-gate.yml) */
  configFile?: string;
}

export interface LoadResult {
  set: RecordSet;
  issues: RecordIssue[];
}

/** Files read at the same time (the git source pipelines them through one process). */
const CONCURRENCY = 4;
/** Bytes of a large JSON file looked at to decide whether it is evidence (an AgBOM, promptfoo results). */
const SNIFF_BYTES = 64 * 1024;

const RECORD_FORMATS: Record<string, ParseFormat | 'jsonl'> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.jsonl': 'jsonl'
};

export async function loadRecordSet(
  source: FileSource,
  config: GateConfig,
  opts: LoadOptions = {}
): Promise<LoadResult> {
  const side = source.side;
  const configFile = opts.configFile ?? DEFAULT_CONFIG_PATH;
  const issues: RecordIssue[] = [];
  const limits = config.records;

  const include = usableGlobs(limits.include, '/records/include', configFile, issues);
  const exclude = usableGlobs(limits.exclude, '/records/exclude', configFile, issues);
  const entries = [...(await source.list())].sort((a, b) => cmp(a.path, b.path));
  const paths = entries.map((e) => e.path);
  const isIncluded = include.length > 0 ? picomatch(include, { dot: true, windows: false }) : () => false;
  const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true, windows: false }) : () => false;
  const selected = entries.filter((e) => isIncluded(e.path) && !isExcluded(e.path));

  const empty = (): LoadResult => ({
    set: { side, commit: opts.commit ?? null, files: [], records: [], artifacts: {}, paths },
    issues: finish(issues, side)
  });
  if (selected.length > limits.max_files) {
    issues.push({
      code: 'records.too-many',
      message: `the record globs select ${selected.length} files in ${source.description}, more than records.max_files (${limits.max_files}); no record was read`,
      file: configFile,
      pointer: '/records/max_files',
      hint: 'narrow records.include, add records.exclude globs, or raise records.max_files'
    });
    return empty();
  }
  if (selected.length === 0) {
    if (!limits.allow_empty) {
      issues.push({
        code: 'records.none',
        message: `no records found: the globs ${include.length > 0 ? include.join(', ') : '(none)'} matched no file in ${source.description}`,
        file: configFile,
        pointer: '/records/include',
        hint: 'put the records where records.include points, change the globs, or set records.allow_empty: true'
      });
    }
    return empty();
  }

  const loader = new FileLoader(source, config);
  let done = 0;
  const outcomes = await mapPool(selected, CONCURRENCY, async (entry) => {
    const outcome = await loader.load(entry);
    opts.onProgress?.(++done, selected.length);
    return outcome;
  });

  const files: SourceFile[] = [];
  const records: LoadedRecord[] = [];
  for (const outcome of outcomes) {
    if (outcome.file) files.push(outcome.file);
    if (outcome.record && outcome.issues.length === 0) records.push(outcome.record);
    for (const issue of outcome.issues) issues.push(issue); // a spread of a million issues would overflow the stack
  }
  const artifacts = await loader.hashArtifacts(records);
  return {
    set: {
      side,
      commit: opts.commit ?? null,
      files: files.sort((a, b) => cmp(a.path, b.path)),
      records: records.sort((a, b) => cmp(a.source.path, b.source.path)),
      artifacts,
      paths
    },
    issues: finish(issues, side)
  };
}

export type ConfigFileRead =
  | { status: 'absent' }
  | { status: 'ok'; value: unknown; file: SourceFile; locate: Locator }
  | { status: 'invalid'; issues: RecordIssue[] };

/** The gate configuration file, read under the same safety and parsing rules as records. */
export async function readConfigFile(source: FileSource, path: string): Promise<ConfigFileRead> {
  const side = source.side;
  const invalid = (list: RecordIssue[]): ConfigFileRead => ({ status: 'invalid', issues: finish(list, side) });
  const problem = checkRepoPath(path);
  if (problem) {
    return invalid([
      { code: 'file.bad-path', message: `the configuration path is not valid: ${problem}`, file: excerpt(path, 200) }
    ]);
  }
  let bytes: Buffer;
  try {
    if ((await source.stat(path)) === null) return { status: 'absent' };
    bytes = await source.read(path, DEFAULT_CONFIG.records.max_file_bytes);
  } catch (error) {
    if (error instanceof SourceError && error.code === 'file.missing') return { status: 'absent' };
    if (error instanceof SourceError) return invalid([sourceIssue(error, path)]);
    throw error;
  }
  const text = decodeUtf8(bytes, path);
  if (!text.ok) return invalid(text.issues);
  const parsed = parseDocument(text.text, path, path.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
  if (!parsed.ok) return invalid(parsed.issues);
  return { status: 'ok', value: parsed.value, file: sourceFile(path, side, bytes), locate: parsed.locate };
}

// ---------------------------------------------------------------------------------------------------

interface FileOutcome {
  file?: SourceFile;
  record?: LoadedRecord;
  issues: RecordIssue[];
}

class FileLoader {
  private readonly side: Side;
  private readonly limits: GateConfig['records'];
  private readonly promptfooMaps: { matches: (path: string) => boolean; eval: string }[];

  constructor(
    private readonly source: FileSource,
    config: GateConfig
  ) {
    this.side = source.side;
    this.limits = config.records;
    this.promptfooMaps = config.evals.promptfoo
      .filter((m) => checkGlob(m.path) === null)
      .map((m) => ({ matches: picomatch(stripDotSlash(m.path), { dot: true, windows: false }), eval: m.eval }));
  }

  async load(entry: SourceEntry): Promise<FileOutcome> {
    const path = entry.path;
    if (entry.type !== 'file') {
      // a link, submodule or special file: the source refuses it and says why, whatever its name
      try {
        await this.source.read(path, this.limits.max_file_bytes);
      } catch (error) {
        if (error instanceof SourceError) return { issues: [sourceIssue(error, path)] };
        throw error;
      }
    }
    const dot = path.lastIndexOf('.');
    const format = dot > path.lastIndexOf('/') ? RECORD_FORMATS[path.slice(dot).toLowerCase()] : undefined;
    if (!format) {
      return {
        issues: [
          {
            code: 'records.unsupported-file',
            message: 'is selected by records.include but is not a record file (.yaml, .yml, .json or .jsonl)',
            file: path,
            hint: 'exclude it with records.exclude or narrow records.include'
          }
        ]
      };
    }
    try {
      if (format === 'jsonl') return await this.loadJsonLines(path);
      const bytes =
        format === 'json' ? await this.readJson(entry) : await this.source.read(path, this.limits.max_file_bytes);
      return await this.loadDocument(path, format, bytes);
    } catch (error) {
      if (error instanceof SourceError) return { issues: [sourceIssue(error, path)] };
      throw error;
    }
  }

  /**
   * A JSON file may be up to max_evidence_bytes when it is evidence (a CycloneDX AgBOM or promptfoo
   * results, told by a mapping or by its first bytes), up to max_file_bytes otherwise.
   */
  private async readJson(entry: SourceEntry): Promise<Buffer> {
    const { max_file_bytes: small, max_evidence_bytes: large } = this.limits;
    const path = entry.path;
    if (entry.size !== null && entry.size <= small) return this.source.read(path, small);
    const mapped = this.promptfooMaps.some((m) => m.matches(path));
    const cap = Math.max(small, large);
    const chunks: Buffer[] = [];
    let total = 0;
    let evidence = mapped;
    for await (const chunk of this.source.stream(path, cap)) {
      chunks.push(chunk);
      total += chunk.length;
      if (total > small && !evidence) {
        evidence = looksLikeEvidence(Buffer.concat(chunks).subarray(0, SNIFF_BYTES));
        if (!evidence) {
          throw new SourceError(
            'file.too-large',
            path,
            `${path} is more than records.max_file_bytes (${small} bytes); only CycloneDX AgBOMs and promptfoo results may be larger (up to records.max_evidence_bytes); it is not read`
          );
        }
      }
    }
    return Buffer.concat(chunks, total);
  }

  private async loadDocument(path: string, format: ParseFormat, bytes: Buffer): Promise<FileOutcome> {
    const file = sourceFile(path, this.side, bytes);
    const text = decodeUtf8(bytes, path);
    if (!text.ok) return { file, issues: text.issues };
    const parsed = parseDocument(text.text, path, format);
    if (!parsed.ok) return { file, issues: parsed.issues };
    const { value } = parsed;
    const kind = classify(value);
    if (kind === null) return { file, issues: [unknownKind(path, value, parsed)] };
    const schemaIssues = await validateRecord(kind, value);
    const issues = schemaIssues.map((s) => located(s, path, parsed, value, format));
    if (issues.length > 0) return { file, issues };
    if (kind === 'promptfoo_results') return this.promptfoo(file, value, parsed);
    const record = { kind, source: file, data: value, locate: parsed.locate } as LoadedRecord;
    return { file, record, issues: [] };
  }

  private promptfoo(file: SourceFile, value: unknown, parsed: Extract<ParseResult, { ok: true }>): FileOutcome {
    const mapping = this.promptfooMaps.find((m) => m.matches(file.path));
    if (!mapping) {
      return {
        file,
        issues: [
          {
            code: 'promptfoo.unmapped',
            message: 'is a promptfoo results file, but no Eval is mapped to it',
            file: file.path,
            line: 1,
            column: 1,
            pointer: '',
            hint: `add it to ${DEFAULT_CONFIG_PATH}: evals: { promptfoo: [{ path: "${file.path}", eval: "<the Eval's metadata.name>" }] }`
          }
        ]
      };
    }
    const table = promptfooTable(value, mapping.eval);
    if (table.cases === 0) {
      return {
        file,
        issues: [
          {
            code: 'promptfoo.empty',
            message: 'is a promptfoo results file without results',
            file: file.path,
            pointer: '/results'
          }
        ]
      };
    }
    return { file, record: { kind: 'eval_cases', source: file, data: table, locate: parsed.locate }, issues: [] };
  }

  /**
   * Per-case results, streamed line by line: memory holds one line and the columns, never the file.
   * Each line is located by its line number; its pointer is `/<line index>/…` (0-based).
   */
  private async loadJsonLines(path: string): Promise<FileOutcome> {
    const cap = Math.max(this.limits.max_file_bytes, this.limits.max_evidence_bytes);
    const maxLine = this.limits.max_file_bytes;
    const reader = new JsonLinesReader(path, this.side, maxLine);
    for await (const chunk of this.source.stream(path, cap)) reader.push(chunk);
    return reader.end();
  }

  /** Digests of every C2PA manifest the replay receipts reference (read under the same rules). */
  async hashArtifacts(records: LoadedRecord[]): Promise<Record<string, ArtifactDigest>> {
    const wanted = new Set<string>();
    for (const r of records) {
      if (r.kind !== 'replay_receipts') continue;
      for (const reference of manifestReferences(r.data)) {
        const resolved = resolveReference(r.source.path, reference);
        if (resolved.ok) wanted.add(resolved.path);
      }
    }
    const paths = [...wanted].sort(cmp);
    const digests = await mapPool(paths, CONCURRENCY, async (path, index): Promise<ArtifactDigest> => {
      if (index >= this.limits.max_files) {
        return {
          status: 'rejected',
          reason: `the receipts reference more than records.max_files (${this.limits.max_files}) files`
        };
      }
      return this.digest(path);
    });
    const artifacts: Record<string, ArtifactDigest> = {};
    paths.forEach((path, i) => setOwn(artifacts, path, digests[i]!));
    return artifacts;
  }

  private async digest(path: string): Promise<ArtifactDigest> {
    try {
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of this.source.stream(
        path,
        Math.max(this.limits.max_file_bytes, this.limits.max_evidence_bytes)
      )) {
        hash.update(chunk);
        bytes += chunk.length;
      }
      return { status: 'ok', sha256: hash.digest('hex'), bytes };
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      return { status: error.code === 'file.missing' ? 'missing' : 'rejected', reason: error.message };
    }
  }
}

function* manifestReferences(receipts: unknown): Iterable<string> {
  const runs = (receipts as Partial<ReplayReceipts>).runs;
  if (!Array.isArray(runs)) return;
  for (const run of runs) {
    for (const trace of [run?.live, run?.replay]) {
      if (!trace || !Array.isArray(trace.steps)) continue;
      for (const step of trace.steps) {
        const path = step?.c2pa_manifest?.path;
        if (typeof path === 'string') yield path;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// JSON Lines → EvalCaseTable

class JsonLinesReader {
  readonly issues: RecordIssue[] = [];
  /** set when the file is not text at all: one issue says so, and nothing more is read */
  stopped = false;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private line = 0;
  /** the current line: its bytes so far (kept unless it is over-long) and its length */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private lineBytes = 0;
  /** skipping the rest of an over-long line */
  private skipping = false;
  /** byte offset of the current line in the file */
  private lineStart = 0;
  private evalName: string | null = null;
  private evalLine = 0;
  private readonly caseIds = new CaseIdSet();
  private readonly table = new CaseTableBuilder();

  constructor(
    private readonly path: string,
    private readonly side: Side,
    private readonly maxLineBytes: number
  ) {}

  push(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.stopped) return; // still hashed: the file's digest covers all of it
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) break;
      this.collect(chunk.subarray(start, newline));
      this.completeLine();
      start = newline + 1;
      if (this.stopped) return;
    }
    this.collect(chunk.subarray(start));
  }

  end(): FileOutcome {
    if (!this.stopped && this.lineBytes > 0) this.completeLine();
    const file: SourceFile = { path: this.path, side: this.side, sha256: this.hash.digest('hex'), bytes: this.bytes };
    if (this.stopped || this.issues.length > 0) return { file, issues: this.issues };
    if (this.evalName === null) {
      return {
        file,
        issues: [
          {
            code: 'eval-cases.empty',
            message: 'is a per-case results file without any case',
            file: this.path,
            line: 1,
            column: 1
          }
        ]
      };
    }
    const data: EvalCaseTable = {
      kind: 'eval_cases',
      eval: this.evalName,
      format: 'jsonl',
      cases: this.table.cases,
      columns: this.table.build()
    };
    return { file, record: { kind: 'eval_cases', source: file, data, locate: locateLine }, issues: [] };
  }

  private collect(piece: Buffer): void {
    this.lineBytes += piece.length;
    if (this.skipping || piece.length === 0) return;
    if (this.partialBytes + piece.length > this.maxLineBytes) {
      this.skipping = true;
      this.partial = [];
      this.partialBytes = 0;
      return;
    }
    this.partial.push(piece);
    this.partialBytes += piece.length;
  }

  private completeLine(): void {
    this.line++;
    const lineNo = this.line;
    const offset = this.lineStart;
    const bytes = this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial, this.partialBytes);
    this.lineStart += this.lineBytes + 1;
    this.lineBytes = 0;
    this.partial = [];
    this.partialBytes = 0;
    if (this.skipping) {
      this.skipping = false;
      this.issue({
        code: 'eval-cases.line-too-long',
        message: `line ${lineNo} is longer than records.max_file_bytes (${this.maxLineBytes} bytes); one line holds one case`,
        line: lineNo,
        column: 1,
        pointer: `/${lineNo - 1}`
      });
      return;
    }
    const decoded = decodeUtf8(bytes, this.path, { baseOffset: offset, baseLine: lineNo, atStart: lineNo === 1 });
    if (!decoded.ok) {
      for (const issue of decoded.issues) this.issues.push(issue);
      this.stopped = true;
      return;
    }
    const text = decoded.text.endsWith('\r') ? decoded.text.slice(0, -1) : decoded.text;
    if (text.trim() === '') return;
    const pointer = `/${lineNo - 1}`;
    const parsed = parseDocument(text, this.path, 'json');
    if (!parsed.ok) {
      for (const i of parsed.issues) this.issues.push({ ...i, line: lineNo, pointer: `${pointer}${i.pointer ?? ''}` });
      return;
    }
    const value = parsed.value;
    const schemaIssues = validateEvalCaseLine(value);
    if (schemaIssues.length > 0) {
      for (const s of schemaIssues) {
        const issue = located(s, this.path, parsed, value, 'json');
        this.issues.push({ ...issue, line: lineNo, pointer: `${pointer}${s.pointer}` });
      }
      return;
    }
    const c = value as {
      eval: string;
      case_id: string;
      metrics: Record<string, number | boolean>;
      cost_usd?: number;
      latency_ms?: number;
    };
    if (this.evalName === null) {
      this.evalName = c.eval;
      this.evalLine = lineNo;
    } else if (c.eval !== this.evalName) {
      this.issue({
        code: 'eval-cases.mixed-evals',
        message: `names the eval "${excerpt(c.eval)}" but line ${this.evalLine} names "${excerpt(this.evalName)}"; one file holds the cases of one eval`,
        line: lineNo,
        ...columnOf(parsed, '/eval'),
        pointer: `${pointer}/eval`,
        hint: 'split the cases into one file per eval'
      });
      return;
    }
    const first = this.caseIds.add(c.case_id, lineNo);
    if (first !== undefined) {
      this.issue({
        code: 'eval-cases.duplicate-case',
        message: `repeats the case_id "${excerpt(c.case_id)}" (first at line ${first})`,
        line: lineNo,
        ...columnOf(parsed, '/case_id'),
        pointer: `${pointer}/case_id`,
        hint: 'each case appears once per results file'
      });
      return;
    }
    const row: [string, number][] = [];
    for (const [name, v] of Object.entries(c.metrics)) row.push([name, typeof v === 'boolean' ? (v ? 1 : 0) : v]);
    if (typeof c.cost_usd === 'number') row.push(['cost_usd', c.cost_usd]);
    if (typeof c.latency_ms === 'number') row.push(['latency_ms', c.latency_ms]);
    this.table.add(row);
  }

  private issue(issue: Omit<RecordIssue, 'file'>): void {
    this.issues.push({ file: this.path, ...issue });
  }
}

/** JSON Lines records locate `/<line index>/…` at the start of that line. */
const locateLine: Locator = (pointer) => {
  const m = /^\/(\d+)(?:\/|$)/.exec(pointer);
  return { line: m ? Number(m[1]) + 1 : 1, column: 1 };
};

function columnOf(parsed: Extract<ParseResult, { ok: true }>, pointer: string): { column?: number } {
  const pos = parsed.locate(pointer);
  return pos ? { column: pos.column } : {};
}

/**
 * Case ids seen in one file → the line of their first appearance. Exact up to a budget of id text;
 * past it (millions of cases) ids are kept as 53-bit hashes so memory stays bounded, at odds of about
 * 1 in 18,000 of a false duplicate per million cases.
 */
class CaseIdSet {
  private static readonly EXACT_BUDGET_CHARS = 16 * 1024 * 1024;
  private exact: Map<string, number> | null = new Map();
  private exactChars = 0;
  private readonly hashed = new Map<number, number>();

  /** Remembers the id; returns the line it was first seen on when it is a repeat. */
  add(id: string, line: number): number | undefined {
    if (this.exact) {
      const first = this.exact.get(id);
      if (first !== undefined) return first;
      this.exact.set(id, line);
      this.exactChars += id.length;
      if (this.exactChars > CaseIdSet.EXACT_BUDGET_CHARS) {
        for (const [known, at] of this.exact) this.hashed.set(hash53(known), at);
        this.exact = null;
      }
      return undefined;
    }
    const key = hash53(id);
    const first = this.hashed.get(key);
    if (first !== undefined) return first;
    this.hashed.set(key, line);
    return undefined;
  }
}

/** Columns of per-case values: one growable Float64Array per field, NaN where a case has no value. */
class CaseTableBuilder {
  cases = 0;
  private capacity = 1024;
  private readonly columns = new Map<string, Float64Array<ArrayBuffer>>();

  add(row: [string, number][]): void {
    if (this.cases === this.capacity) {
      this.capacity *= 2;
      for (const [name, column] of this.columns) {
        const grown = new Float64Array(this.capacity).fill(NaN);
        grown.set(column);
        this.columns.set(name, grown);
      }
    }
    for (const [name, value] of row) {
      let column = this.columns.get(name);
      if (!column) {
        column = new Float64Array(this.capacity).fill(NaN);
        this.columns.set(name, column);
      }
      column[this.cases] = value;
    }
    this.cases++;
  }

  build(): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {};
    for (const name of [...this.columns.keys()].sort(cmp))
      setOwn(out, name, this.columns.get(name)!.slice(0, this.cases));
    return out;
  }
}

/**
 * promptfoo's own results file (`promptfoo eval -o results.json`) as per-case columns: every named
 * score, `pass` (success as 1/0), `score`, `cost_usd` (cost) and `latency_ms` (latencyMs).
 */
function promptfooTable(value: unknown, evalName: string): EvalCaseTable {
  const outer = (value as { results?: unknown }).results;
  const rows: unknown[] = Array.isArray(outer)
    ? outer
    : Array.isArray((outer as { results?: unknown } | undefined)?.results)
      ? (outer as { results: unknown[] }).results
      : [];
  const table = new CaseTableBuilder();
  for (const raw of rows) {
    const r = (raw ?? {}) as {
      success?: unknown;
      score?: unknown;
      namedScores?: unknown;
      cost?: unknown;
      latencyMs?: unknown;
    };
    const row: [string, number][] = [];
    if (r.namedScores && typeof r.namedScores === 'object') {
      for (const [name, v] of Object.entries(r.namedScores as Record<string, unknown>)) {
        if (typeof v === 'number' && Number.isFinite(v)) row.push([name, v]);
        else if (typeof v === 'boolean') row.push([name, v ? 1 : 0]);
      }
    }
    const fixed: [string, unknown][] = [
      ['pass', typeof r.success === 'boolean' ? (r.success ? 1 : 0) : undefined],
      ['score', r.score],
      ['cost_usd', r.cost],
      ['latency_ms', r.latencyMs]
    ];
    for (const [name, v] of fixed) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const at = row.findIndex(([n]) => n === name);
      if (at >= 0) row.splice(at, 1); // the standard field wins over a named score of the same name
      row.push([name, v]);
    }
    table.add(row);
  }
  return { kind: 'eval_cases', eval: evalName, format: 'promptfoo', cases: table.cases, columns: table.build() };
}

// ---------------------------------------------------------------------------------------------------
// helpers

/** Globs that are safe to match; each unusable one is an issue on the configuration. */
function usableGlobs(globs: readonly string[], pointer: string, configFile: string, issues: RecordIssue[]): string[] {
  const usable: string[] = [];
  globs.forEach((glob, index) => {
    const problem = checkGlob(glob);
    if (problem) {
      issues.push({
        code: 'records.bad-glob',
        message: `the glob ${JSON.stringify(excerpt(glob, 80))} cannot be used: ${problem}`,
        file: configFile,
        pointer: `${pointer}/${index}`,
        hint: 'write globs relative to the repository root, with forward slashes, e.g. records/**/*.yaml'
      });
    } else usable.push(stripDotSlash(glob));
  });
  return usable;
}

function stripDotSlash(glob: string): string {
  let g = glob;
  while (g.startsWith('./')) g = g.slice(2);
  return g;
}

/** A cheap look at the first bytes of a large JSON file: a CycloneDX BOM or promptfoo results? */
function looksLikeEvidence(head: Buffer): boolean {
  const text = head.toString('latin1');
  return (
    /"bomFormat"\s*:\s*"CycloneDX"/.test(text) ||
    /"evalId"\s*:/.test(text) ||
    /"results"\s*:\s*\{\s*"version"\s*:/.test(text) ||
    /"results"\s*:\s*\{[\s\S]*"prompts"\s*:/.test(text)
  );
}

function sourceFile(path: string, side: Side, bytes: Buffer): SourceFile {
  return { path, side, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

function sourceIssue(error: SourceError, path: string): RecordIssue {
  return { code: error.code, message: error.message, file: checkRepoPath(path) === null ? path : excerpt(path, 200) };
}

function unknownKind(path: string, value: unknown, parsed: Extract<ParseResult, { ok: true }>): RecordIssue {
  const position = parsed.locate('') ?? { line: 1, column: 1 };
  if (value === null) {
    return {
      code: 'records.empty',
      message: 'is empty; a record file holds one record',
      file: path,
      ...position,
      pointer: ''
    };
  }
  return {
    code: 'records.unknown-kind',
    message: describeUnknown(value),
    file: path,
    ...position,
    pointer: '',
    hint: 'a file the record globs select must be a record; leave other files out with records.exclude'
  };
}

/** A schema problem, located in the file, with a "quote it" hint when a string was read as another type. */
function located(
  s: SchemaIssue,
  path: string,
  parsed: Extract<ParseResult, { ok: true }>,
  value: unknown,
  format: ParseFormat
): RecordIssue {
  const issue: RecordIssue = { code: s.code, message: s.message, file: path, pointer: s.pointer };
  const pos = parsed.locate(s.pointer);
  if (pos) {
    issue.line = pos.line;
    issue.column = pos.column;
  }
  const hint = quoteHint(s, parsed, value, format);
  if (hint) issue.hint = hint;
  return issue;
}

function quoteHint(
  s: SchemaIssue,
  parsed: Extract<ParseResult, { ok: true }>,
  value: unknown,
  format: ParseFormat
): string | undefined {
  if (!s.expected || !/string/.test(s.expected)) return undefined;
  const found = valueAt(value, s.pointer);
  if (!found.exists) return undefined;
  const actual = found.value;
  const type =
    actual === null ? 'null' : typeof actual === 'number' ? 'number' : typeof actual === 'boolean' ? 'boolean' : null;
  if (!type) return undefined;
  const raw = parsed.sourceOf(s.pointer)?.trim();
  const key = lastSegment(s.pointer);
  if (format === 'json') {
    const shown = excerpt(raw ?? String(actual), 40);
    return `${key} is the ${type} ${shown} here; write it as a string: "${shown}"`;
  }
  if (type === 'null' && (raw === undefined || raw === '')) {
    return `${key} is empty, which YAML reads as null; write the value (quoted if it looks like a number or boolean)`;
  }
  const shown = excerpt(raw ?? String(actual), 40);
  return `${key}: ${shown} was read as a ${type}; quote it: "${shown}"`;
}

function lastSegment(pointer: string): string {
  const cut = pointer.lastIndexOf('/');
  const seg = cut < 0 ? pointer : pointer.slice(cut + 1);
  return excerpt(seg.replace(/~1/g, '/').replace(/~0/g, '~'), 40) || '(the value)';
}

function valueAt(root: unknown, pointer: string): { exists: boolean; value?: unknown } {
  if (pointer === '') return { exists: true, value: root };
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return { exists: false };
    current = (current as Record<string, unknown>)[key];
  }
  return { exists: true, value: current };
}

/** Sorted (file, line, column, code, …) and tagged with the side: the same files give the same list. */
function finish(issues: RecordIssue[], side: Side): RecordIssue[] {
  return issues
    .map((i) => ({ ...i, side }))
    .sort(
      (a, b) =>
        cmp(a.file, b.file) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        cmp(a.code, b.code) ||
        cmp(a.pointer ?? '', b.pointer ?? '') ||
        cmp(a.message, b.message)
    );
}

function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** cyrb53: a fast 53-bit string hash. */
function hash53(text: string): number {
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

async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
