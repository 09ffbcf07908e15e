/**
 * Records from a FileSource: select files by the configuration's globs, read them safely, parse,
 * identify each record's kind, check it against its schema, and locate every problem.
 *
 * Nothing here judges a change: a problem is a RecordIssue (the user's files are wrong), never a gate
 * finding, and a failure of the machinery (git crashed) propagates as an exception. The output is the
 * same for the same files whatever order the source lists them in.
 */
import { constants, isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { CaseTableBuilder, hash53, readOrdinarySpan, setCaseValues } from './case-table.js';
import type { CaseSpan, EvalCaseLine } from './case-table.js';
import { caseThread } from './case-thread.js';
import type { SpanReader } from './case-thread.js';
import { classify, describeUnknown } from './classify.js';
import type { GateConfig } from '../model/config.js';
import type { ArtifactDigest, LoadedRecord, RecordSet } from '../model/input.js';
import type { RecordIssue } from '../model/issue.js';
import type { Locator, Side, SourceFile } from '../model/location.js';
import type { EvalCaseTable, ReplayReceipts } from '../model/records.js';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_PATH } from '../settings/defaults.js';
import { excerpt, NOT_PLAIN, parseDocument, plainValue, unescapedPlain } from './parse.js';
import type { ParseFormat, ParseResult } from './parse.js';
import { checkGlob, checkRepoPath, resolveReference } from './paths.js';
import { SourceError } from './source.js';
import type { FileSource, SourceEntry } from './source.js';
import { decodeUtf8, maskIssue, maskSecrets } from './text.js';
import { fieldNameOf, ordinaryCaseMembers, validateEvalCaseLine, validateRecord } from './validate.js';
import type { SchemaIssue } from './validate.js';
import { setOwn } from '../model/own.js';

export interface LoadOptions {
  /** the commit the source shows, recorded in the set */
  commit?: string | null;
  onProgress?: (done: number, total: number) => void;
  /** the configuration file, named by issues about the globs (default .github/agent-gate.yml) */
  configFile?: string;
  /** how large per-case results files are shared with another thread (default READ_THREADS; null: never) */
  threads?: ReadThreads | null;
}

/** Reading large per-case results files on two threads. */
export interface ReadThreads {
  /** starts the other thread, or says none can (null); asked at most once per load, for the first large file */
  start: () => SpanReader | null;
  /** a file is shared from this many bytes on (below it, starting a thread costs more than it saves) */
  fromBytes: number;
  /** the whole lines of a chunk worth handing over */
  minSpanBytes: number;
}

/**
 * From 24 MiB (about 150,000 cases of five fields) a second thread saves more than it costs to start and feed: on 2
 * vCPUs, 1M cases take 1.6 s instead of 2.2 s, 200,000 about 6% less, 100,000 about 8% more (docs/performance.md).
 */
export const READ_THREADS: ReadThreads = { start: caseThread, fromBytes: 24 * 1024 * 1024, minSpanBytes: 32 * 1024 };

/** The threads a file reader may use: the one other thread of the load, started on first use. */
interface FileThreads {
  get: () => SpanReader | null;
  fromBytes: number;
  minSpanBytes: number;
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

/**
 * Files the globs miss only because of their extension's case: globs are case-sensitive, so `review.YAML` is not
 * selected by `*.yaml` and would silently not be judged (a rejected review ignored). Each is an error until it is
 * renamed or excluded: a gate does not guess, and does not look away either.
 */
function missedByCase(
  entries: readonly SourceEntry[],
  isIncluded: (path: string) => boolean,
  isExcluded: (path: string) => boolean
): RecordIssue[] {
  const issues: RecordIssue[] = [];
  for (const { path } of entries) {
    const dot = path.lastIndexOf('.');
    if (dot <= path.lastIndexOf('/')) continue;
    const extension = path.slice(dot);
    const lower = extension.toLowerCase();
    if (extension === lower || !Object.hasOwn(RECORD_FORMATS, lower)) continue;
    const renamed = path.slice(0, dot) + lower;
    if (isIncluded(path) || !isIncluded(renamed) || isExcluded(path) || isExcluded(renamed)) continue;
    issues.push({
      code: 'records.extension-case',
      message: `has the extension "${extension}": records.include selects "${lower}" files (globs are case-sensitive), so it would not be read, and a record in it would not be judged`,
      file: path,
      hint: `rename it to end in "${lower}", or leave it out with records.exclude if it is not a record`
    });
  }
  return issues;
}

/**
 * Symbolic links and submodules the globs would read records under: the source never follows them (a link could
 * lead out of the repository), so a folder of records behind one would silently not be judged. Each is an error
 * until the records are moved into the repository or the link is excluded.
 */
function linkedFolders(
  entries: readonly SourceEntry[],
  isIncluded: (path: string) => boolean,
  isExcluded: (path: string) => boolean
): RecordIssue[] {
  const issues: RecordIssue[] = [];
  for (const { path, type } of entries) {
    if ((type !== 'symlink' && type !== 'submodule') || isIncluded(path)) continue;
    const inside = Object.keys(RECORD_FORMATS).some((extension) => {
      const child = `${path}/record${extension}`;
      return isIncluded(child) && !isExcluded(child);
    });
    if (!inside || isExcluded(path)) continue;
    const what = type === 'symlink' ? 'a symbolic link' : 'a git submodule';
    issues.push({
      code: 'records.linked-folder',
      message: `is ${what} where records.include selects records below it; the gate does not follow ${type === 'symlink' ? 'links' : 'submodules'}, so records there would not be judged`,
      file: path,
      hint: 'move the records into the repository itself, or leave the path out with records.exclude'
    });
  }
  return issues;
}

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
  for (const issue of missedByCase(entries, isIncluded, isExcluded)) issues.push(issue);
  for (const issue of linkedFolders(entries, isIncluded, isExcluded)) issues.push(issue);

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

  let thread: SpanReader | null | undefined;
  // once the load is over (a failed one leaves other files' reads running until they notice), no thread starts
  let over = false;
  const threads = opts.threads === undefined ? READ_THREADS : opts.threads;
  const loader = new FileLoader(
    source,
    config,
    threads && {
      ...threads,
      get: () => (over ? null : thread === undefined ? (thread = threads.start()) : thread)
    }
  );
  let done = 0;
  let outcomes: FileOutcome[];
  try {
    outcomes = await mapPool(selected, CONCURRENCY, async (entry) => {
      const outcome = await loader.load(entry);
      opts.onProgress?.(++done, selected.length);
      return outcome;
    });
  } finally {
    over = true;
    await thread?.close();
  }

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
  const text = decodeText(bytes, path);
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
    config: GateConfig,
    /** another thread for spans of large per-case results files (see LoadOptions.threads) */
    private readonly threads: FileThreads | null = null
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
      if (format === 'jsonl') return await this.loadJsonLines(entry);
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
    const cap = Math.max(small, large);
    if (this.promptfooMaps.some((m) => m.matches(path))) return this.source.read(path, cap);
    // read up to the small limit; only a file that then looks like evidence is read in full, in one go
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.source.stream(path, cap)) {
      chunks.push(chunk);
      total += chunk.length;
      if (total > small) break;
    }
    if (total <= small) return Buffer.concat(chunks, total);
    const tooLarge = () =>
      new SourceError(
        'file.too-large',
        path,
        `${path} is more than records.max_file_bytes (${small} bytes); only CycloneDX AgBOMs and promptfoo results may be larger (up to records.max_evidence_bytes); it is not read`
      );
    if (!looksLikeEvidence(Buffer.concat(chunks).subarray(0, SNIFF_BYTES))) throw tooLarge();
    const bytes = await this.source.read(path, cap);
    // the file may have changed between the two reads: what is parsed must be what was sniffed as evidence
    if (bytes.length > small && !looksLikeEvidence(bytes.subarray(0, SNIFF_BYTES))) throw tooLarge();
    return bytes;
  }

  private async loadDocument(path: string, format: ParseFormat, bytes: Buffer): Promise<FileOutcome> {
    const file = sourceFile(path, this.side, bytes);
    const text = decodeText(bytes, path);
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
    if ('tooManyMetrics' in table) {
      const pointer = table.tooManyMetrics;
      return {
        file,
        issues: [
          {
            code: 'promptfoo.too-many-metrics',
            message: `names more than ${MAX_METRIC_COLUMNS} different scores (this result brings the total past it); the file is not read`,
            file: file.path,
            ...(parsed.locate(pointer) ?? { line: 1, column: 1 }),
            pointer,
            hint: 'a results file records the same few scores for every result; put other per-result data elsewhere'
          }
        ]
      };
    }
    if ('tooManyValues' in table) {
      const pointer = table.tooManyValues;
      return {
        file,
        issues: [
          {
            code: 'promptfoo.too-many-values',
            message: `${tooManyValues(table.columns, table.cases, 'scores', 'results', 'this result')}; the file is not read`,
            file: file.path,
            ...(parsed.locate(pointer) ?? { line: 1, column: 1 }),
            pointer,
            hint: TOO_MANY_VALUES_HINT
          }
        ]
      };
    }
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
   * Per-case results, streamed line by line: memory holds one chunk, the columns and 14 bytes a case for the
   * duplicate check, never the file. Ids that may repeat are compared after the read, from their lines read
   * again. An issue about a line names its line number and the pointer `/<line index>/…` (0-based; the line may
   * hold no case). The table's locate takes `/<row>/…`, a case's row in the columns, and finds that case's line:
   * blank lines are skipped, so the two differ after the first blank line.
   */
  private async loadJsonLines(entry: SourceEntry): Promise<FileOutcome> {
    const path = entry.path;
    const cap = Math.max(this.limits.max_file_bytes, this.limits.max_evidence_bytes);
    const maxLine = this.limits.max_file_bytes;
    // the size only sizes the tables (a wrong or missing one costs time, never a result); reading checks the file
    const size = entry.size ?? (await this.source.stat(path).catch(() => null))?.size ?? null;
    const reader = new JsonLinesReader(path, this.side, maxLine, size, this.threads);
    for await (const chunk of this.source.stream(path, cap)) await reader.push(chunk);
    await reader.finish();
    const compare = reader.casesToCompare();
    if (compare.length > 0) {
      const texts = await linesOf(this.source, path, cap, compare);
      if (texts) reader.repeatedCases(texts);
      else reader.changedWhileRead();
    }
    return reader.end();
  }

  /** Digests of every C2PA manifest the replay receipts reference (read under the same rules). */
  async hashArtifacts(records: LoadedRecord[]): Promise<Record<string, ArtifactDigest>> {
    const wanted = new Set<string>();
    for (const r of records) {
      if (r.kind !== 'replay_receipts') continue;
      // steps share manifests: each distinct reference of a file is resolved once
      const seen = new Set<string>();
      for (const reference of manifestReferences(r.data)) {
        if (seen.has(reference)) continue;
        seen.add(reference);
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
  /** set when the file is not text at all, or names too many metrics: an issue says so, and nothing more is read */
  stopped = false;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  // What push() keeps between chunks, as the bytes arrive:
  /** the current line: its bytes so far (kept unless it is over-long) and its length */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private lineBytes = 0;
  /** skipping the rest of an over-long line */
  private skipping = false;
  /** whether the first line has ended (it is read the careful way: a byte order mark, its encoding) */
  private firstLineDone = false;
  // What reading lines into the table changes, in the file's order (see `queue`):
  private line = 0;
  /** byte offset of the next line in the file */
  private lineStart = 0;
  private evalName: string | null = null;
  private evalLine = 0;
  private readonly caseIds = new CaseIds();
  private readonly table = new CaseTableBuilder(CASE_TABLE_LIMITS);
  private readonly caseLines = new CaseLines();
  /**
   * Lines waiting to be read into the table, in the file's order: work for this thread, and spans another thread
   * is reading (see pushSpan). Empty unless another thread reads.
   */
  private readonly queue: Queued[] = [];

  constructor(
    private readonly path: string,
    private readonly side: Side,
    private readonly maxLineBytes: number,
    /** the file's size, when the source knows it: the tables are sized for it once the first lines are read */
    private readonly size: number | null = null,
    /** another thread to read spans of lines, asked for once the file is large enough (null: none) */
    private readonly threads: FileThreads | null = null
  ) {}

  /** The next chunk of the file. A promise when the lines queued must be read before more are taken. */
  push(chunk: Buffer): Promise<void> | undefined {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.stopped) return undefined; // still hashed: the file's digest covers all of it
    let start = 0;
    // the end of a line begun in an earlier chunk, and the first line: taken off line by line
    const boundary = this.lineBytes > 0 || !this.firstLineDone;
    if (boundary) {
      const newline = chunk.indexOf(0x0a);
      if (newline < 0) {
        this.collect(chunk);
        return undefined;
      }
      start = newline + 1;
    }
    const last = chunk.lastIndexOf(0x0a);
    if (boundary) {
      this.collect(chunk.subarray(0, start - 1));
      this.firstLineDone = true;
      const { bytes, length } = this.takeLine();
      this.run(() => this.lineRead(bytes, length));
    }
    if (last >= start) {
      const spans = this.spanReader(last + 1 - start);
      if (spans) this.pushSpan(spans, chunk.subarray(start, last + 1));
      else {
        const from = start;
        this.run(() => this.completeLines(chunk, from, last));
      }
      start = last + 1;
    }
    this.collect(chunk.subarray(start));
    return this.queue.length > MAX_QUEUED ? this.drainOne() : undefined;
  }

  /**
   * The reader of spans on another thread, for a span this long in a large file (its size said so, or the bytes read
   * so far); null otherwise. Started as soon as the file is known to be large, so that it is ready sooner.
   */
  private spanReader(spanBytes: number): SpanReader | null {
    const threads = this.threads;
    if (threads === null || Math.max(this.size ?? 0, this.bytes) < threads.fromBytes) return null;
    this.spans ??= threads.get() ?? NO_SPANS;
    return this.spans === NO_SPANS || spanBytes < threads.minSpanBytes ? null : this.spans;
  }
  private spans: SpanReader | typeof NO_SPANS | undefined;

  /**
   * Whole lines (ending in '\n') for the table. While the other thread has spans to spare it reads this one too;
   * otherwise this thread does: straight into the table when nothing is queued before them, else into a span of
   * its own, queued. Either way the table receives the lines in the file's order.
   */
  private pushSpan(spans: SpanReader, lines: Buffer): void {
    if (spans.ready && spans.busy < SPANS_IN_FLIGHT) {
      const job: SpanJob = { kind: 'span', done: false, span: null, lines, failed: false, reading: null };
      job.reading = spans.read(lines, this.maxLineBytes, MAX_METRIC_COLUMNS).then(
        (span) => {
          job.done = true;
          job.span = span;
        },
        () => {
          job.done = true;
          job.failed = true;
        }
      );
      this.queue.push(job);
    } else if (this.queue.length === 0) {
      this.run(() => this.completeLines(lines, 0, lines.length - 1));
    } else {
      const span = readOrdinarySpan(lines, this.maxLineBytes, MAX_METRIC_COLUMNS);
      this.queue.push({ kind: 'span', done: true, span, lines, failed: false, reading: null });
    }
    this.drain();
  }

  /** Work on the table: now, when nothing waits before it; queued otherwise. */
  private run(work: () => void): void {
    if (this.queue.length === 0) {
      if (!this.stopped) work();
      this.sized();
    } else this.queue.push({ kind: 'work', work });
  }

  /** Does the queued work that is ready, in order, up to the first span still being read. */
  private drain(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.kind === 'span' && !next.done) return;
      this.queue.shift();
      if (next.kind === 'work') {
        if (!this.stopped) next.work();
      } else {
        // the other thread failed (it stopped, or could not start): its spans, and the rest, are read here
        if (next.failed) this.spans = NO_SPANS;
        if (!this.stopped) this.mergeSpan(next.span, next.lines);
      }
      this.sized();
    }
  }

  /** Waits for the first span being read, then does what is ready. */
  private async drainOne(): Promise<void> {
    const first = this.queue.find((q): q is SpanJob => q.kind === 'span' && !q.done);
    if (first) await first.reading;
    this.drain();
  }

  /**
   * A span read on either thread, into the table: as if its lines had been read here one by one. A span the other
   * thread could not read as ordinary cases (null), or one that would need an issue here (another eval than the
   * file's, too many metrics), is read here line by line instead, which reports what it finds.
   */
  private mergeSpan(span: CaseSpan | null, lines: Buffer): void {
    const columns = this.table.columnCount + (span === null ? 0 : this.table.newNames(span.names));
    if (
      span === null ||
      (this.evalName !== null && span.evalName !== this.evalName) ||
      columns > MAX_METRIC_COLUMNS ||
      columns * (this.table.cases + span.cases) > MAX_CASE_VALUES
    ) {
      this.completeLines(lines, 0, lines.length - 1);
      return;
    }
    const first = this.line + 1;
    if (this.evalName === null) {
      this.evalName = span.evalName;
      this.evalLine = first;
    }
    for (let i = 0; i < span.cases; i++) {
      this.caseIds.addHashed(span.idHashes[i]!, span.idLengths[i]!, first + i);
      this.caseLines.add(first + i);
    }
    this.table.append(span);
    this.line += span.cases;
    this.lineStart += lines.length;
  }

  /** Once enough lines are read, sizes the tables for the whole file (once). */
  private sized(): void {
    if (!this.reserved && this.size !== null && this.line >= SIZING_LINES) this.reserve(this.size);
  }
  private reserved = false;

  /**
   * Sizes the tables for the whole file from the lines read so far, so they are allocated once instead of
   * grown by doubling (every doubling copies, and fresh memory costs page faults). Memory never written is
   * never resident, so a high guess costs little; a low one falls back to doubling.
   */
  private reserve(fileBytes: number): void {
    this.reserved = true;
    const cases = Math.ceil((fileBytes / this.lineStart) * this.line * 1.05);
    if (!Number.isFinite(cases)) return;
    const bounded = Math.min(cases, Math.ceil(fileBytes / MIN_CASE_BYTES));
    this.table.reserve(bounded);
    this.caseIds.reserve(bounded);
    this.caseLines.reserve(bounded);
  }

  /** Reads what is queued and the last line (when the file does not end with a newline). */
  async finish(): Promise<void> {
    while (this.queue.length > 0) await this.drainOne();
    if (!this.stopped && this.lineBytes > 0) {
      const { bytes, length } = this.takeLine();
      this.lineRead(bytes, length);
    }
  }

  end(): FileOutcome {
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
    return { file, record: { kind: 'eval_cases', source: file, data, locate: locateCase(this.caseLines) }, issues: [] };
  }

  /**
   * The whole lines of a chunk, chunk[from..last] (last is a '\n'). When that span holds no NUL byte and is
   * valid UTF-8 (checked once, natively, for all its lines), each line is decoded straight from the chunk:
   * no copy, no per-line checks. Otherwise each line goes the careful way, which stops at the first bad one.
   */
  private completeLines(chunk: Buffer, from: number, last: number): void {
    const span = chunk.subarray(from, last);
    const clean = span.indexOf(0) < 0 && isUtf8(span);
    // ASCII text (the common case, checked once for all the lines): a line without an escape has only printable
    // characters in its strings (JSON forbids raw control characters there), which spares the schema's id checks
    const ascii = clean && isAscii(span);
    let start = from;
    while (start <= last) {
      const newline = chunk.indexOf(0x0a, start);
      const length = newline - start;
      if (!clean || length > this.maxLineBytes) {
        this.lineRead(length > this.maxLineBytes ? null : chunk.subarray(start, newline), length);
        if (this.stopped) return;
      } else {
        this.line++;
        this.lineStart += length + 1;
        const end = length > 0 && chunk[newline - 1] === 0x0d ? newline - 1 : newline;
        this.caseLine(chunk.toString(ascii ? 'latin1' : 'utf8', start, end), this.line, ascii);
        if (this.stopped) return;
      }
      start = newline + 1;
    }
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

  /** The line collected so far, taken off: its bytes (null when it was too long) and its length. */
  private takeLine(): { bytes: Buffer | null; length: number } {
    const bytes = this.skipping
      ? null
      : this.partial.length === 1
        ? this.partial[0]!
        : Buffer.concat(this.partial, this.partialBytes);
    const length = this.lineBytes;
    this.lineBytes = 0;
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
    return { bytes, length };
  }

  /** The next line of the file, read the careful way: its bytes (null: longer than allowed) and its length. */
  private lineRead(bytes: Buffer | null, length: number): void {
    this.line++;
    const lineNo = this.line;
    const offset = this.lineStart;
    this.lineStart += length + 1;
    if (bytes === null) {
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
    this.caseLine(decoded.text.endsWith('\r') ? decoded.text.slice(0, -1) : decoded.text, lineNo);
  }

  /**
   * One line's text (`ascii`: its bytes were ASCII). Most lines take JSON.parse alone and one walk of the value
   * (ordinaryCaseMembers, then plainJson's check); other lines the whole of plainJson's check and the schema; a
   * line with a problem is read again the careful way (parseDocument), which locates every issue.
   */
  private caseLine(text: string, lineNo: number, ascii = false): void {
    if (isBlankLine(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = NOT_PLAIN;
    }
    if (value !== NOT_PLAIN) {
      const printable = ascii && text.indexOf('\\') < 0;
      // the common line: one walk answers both "is it plain JSON" and "is it an ordinary case"
      const members = printable ? ordinaryCaseMembers(value, true) : -1;
      const plain = members >= 0 && unescapedPlain(text, members) ? value : plainValue(text, value);
      if (plain !== NOT_PLAIN && (members >= 0 || validateEvalCaseLine(plain, printable).length === 0)) {
        this.addCase(plain as EvalCaseLine, lineNo, () => parseDocument(text, this.path, 'json'));
        return;
      }
    }
    const pointer = `/${lineNo - 1}`;
    const parsed = parseDocument(text, this.path, 'json');
    if (!parsed.ok) {
      for (const i of parsed.issues) this.issues.push({ ...i, line: lineNo, pointer: `${pointer}${i.pointer ?? ''}` });
      return;
    }
    const schemaIssues = validateEvalCaseLine(parsed.value);
    if (schemaIssues.length > 0) {
      for (const s of schemaIssues) {
        const issue = located(s, this.path, parsed, parsed.value, 'json');
        this.issues.push({ ...issue, line: lineNo, pointer: `${pointer}${s.pointer}` });
      }
      return;
    }
    this.addCase(parsed.value as EvalCaseLine, lineNo, () => parsed);
  }

  /** A valid case: one eval per file, each case_id once, then its values into the columns. */
  private addCase(c: EvalCaseLine, lineNo: number, parsed: () => ParseResult): void {
    if (this.evalName === null) {
      this.evalName = c.eval;
      this.evalLine = lineNo;
    } else if (c.eval !== this.evalName) {
      this.issue({
        code: 'eval-cases.mixed-evals',
        message: `names the eval "${excerpt(maskSecrets(c.eval, 'eval'))}" but line ${this.evalLine} names "${excerpt(maskSecrets(this.evalName, 'eval'))}"; one file holds the cases of one eval`,
        line: lineNo,
        ...columnOf(parsed(), '/eval'),
        pointer: `/${lineNo - 1}/eval`,
        hint: 'split the cases into one file per eval'
      });
      return;
    }
    this.caseIds.add(c.case_id, lineNo);
    this.caseLines.add(lineNo);
    const table = this.table;
    const fit = setCaseValues(table, c);
    if (fit === 'columns') {
      this.issue({
        code: 'eval-cases.too-many-metrics',
        message: `names more than ${MAX_METRIC_COLUMNS} different metrics (this line brings the total to ${table.columnsWith}); the file is not read further`,
        line: lineNo,
        ...columnOf(parsed(), '/metrics'),
        pointer: `/${lineNo - 1}/metrics`,
        hint: 'a results file records the same few metrics for every case; put other per-case data elsewhere'
      });
      this.stopped = true;
    } else if (fit === 'values') {
      this.issue({
        code: 'eval-cases.too-many-values',
        message: `${tooManyValues(table.columnsWith, table.cases + 1, 'metrics', 'cases', 'this line')}; the file is not read further`,
        line: lineNo,
        column: 1,
        pointer: `/${lineNo - 1}`,
        hint: TOO_MANY_VALUES_HINT
      });
      this.stopped = true;
    }
  }

  /** Lines whose case id another case may repeat (see CaseIds): read them again and pass them to repeatedCases. */
  casesToCompare(): number[] {
    return this.stopped ? [] : this.caseIds.sharedHashLines();
  }

  /**
   * Reports each case that repeats an earlier case_id, given the texts of the lines casesToCompare named. A file
   * that no longer holds what was read (it changed while being read) is reported instead.
   */
  repeatedCases(texts: Map<number, string>): void {
    const ids = new Map<number, string>();
    const parsed = new Map<number, ParseResult>();
    for (const [line, text] of texts) {
      const result = parseDocument(text, this.path, 'json');
      const id = result.ok ? (result.value as { case_id?: unknown } | null)?.case_id : undefined;
      if (typeof id !== 'string') return this.changedWhileRead();
      ids.set(line, id);
      parsed.set(line, result);
    }
    const repeats = this.caseIds.repeats(ids);
    if (repeats === null || ids.size !== texts.size) return this.changedWhileRead();
    for (const { line, id, first } of repeats) {
      this.issue({
        code: 'eval-cases.duplicate-case',
        message: `repeats the case_id "${excerpt(maskSecrets(id, 'case_id'))}" (first at line ${first})`,
        line,
        ...columnOf(parsed.get(line)!, '/case_id'),
        pointer: `/${line - 1}/case_id`,
        hint: 'each case appears once per results file'
      });
    }
  }

  changedWhileRead(): void {
    this.issue({ code: 'file.unreadable', message: `${this.path} changed while it was being read; it is not read` });
    this.stopped = true;
  }

  private issue(issue: Omit<RecordIssue, 'file'>): void {
    this.issues.push({ file: this.path, ...issue });
  }
}

/**
 * The texts of some lines of a file (1-based, ascending), read again from the source and decoded as the
 * reader decoded them; null when the file no longer has them.
 */
async function linesOf(
  source: FileSource,
  path: string,
  cap: number,
  wanted: number[]
): Promise<Map<number, string> | null> {
  const texts = new Map<number, string>();
  let next = 0;
  let line = 1;
  let partial: Buffer[] = [];
  const take = (bytes: Buffer): boolean => {
    const decoded = decodeUtf8(bytes, path, { atStart: line === 1 });
    if (!decoded.ok) return false;
    texts.set(line, decoded.text.endsWith('\r') ? decoded.text.slice(0, -1) : decoded.text);
    next++;
    return true;
  };
  for await (const chunk of source.stream(path, cap)) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      if (line === wanted[next]) {
        partial.push(chunk.subarray(start, newline));
        if (!take(Buffer.concat(partial))) return null;
        if (next === wanted.length) return texts;
      }
      partial = [];
      line++;
      start = newline + 1;
    }
    if (line === wanted[next]) partial.push(Buffer.from(chunk.subarray(start)));
  }
  if (line === wanted[next] && !take(Buffer.concat(partial))) return null;
  return next === wanted.length ? texts : null;
}

/**
 * Different metric names (columns) a results file may use. Every column holds a value per case, so a file that names
 * a new metric on each line would take columns × cases of memory (20,000 names in a 3 MB file: 3 GB).
 */
const MAX_METRIC_COLUMNS = 512;

/** Spans the other thread holds at once; when it holds this many, this thread reads the next one itself. */
const SPANS_IN_FLIGHT = 2;
/** Work queued before the reader waits for the other thread (each entry holds a chunk or a span's columns). */
const MAX_QUEUED = 16;
/** The file was large enough, but no other thread can read. */
const NO_SPANS = Symbol('no span reader');

/** Work on the table, queued in the file's order. */
type Queued = { kind: 'work'; work: () => void } | SpanJob;

/** A span of whole lines, read by either thread: its bytes and, once read, its cases. */
interface SpanJob {
  kind: 'span';
  done: boolean;
  /** the cases, or null when the span is to be read here line by line */
  span: CaseSpan | null;
  lines: Buffer;
  /** the other thread failed to answer (the span is read here) */
  failed: boolean;
  reading: Promise<void> | null;
}

/**
 * Values the columns of one results file may hold (1 GiB of them): every metric keeps a value for every case, NaN
 * where a case has none, so a file whose cases name many different metrics (each a few) takes metrics × cases of
 * memory: 512 metrics over 2 million cases would be 8 GiB.
 */
const MAX_CASE_VALUES = 128 * 1024 * 1024;
/** The limits of a results file's table: a case past either is refused before its columns are made. */
const CASE_TABLE_LIMITS = { maxColumns: MAX_METRIC_COLUMNS, maxValues: MAX_CASE_VALUES };
const TOO_MANY_VALUES_HINT =
  'every metric keeps a value for every case: keep the metrics a results file records to the few its Evals read, or split the cases over several evals';

/** The message of a results file whose columns would outgrow MAX_CASE_VALUES. */
function tooManyValues(columns: number, cases: number, metrics: string, rows: string, here: string): string {
  return `would keep more than ${MAX_CASE_VALUES.toLocaleString('en-US')} values (${columns} ${metrics} × ${cases.toLocaleString('en-US')} ${rows} by ${here})`;
}

/** Lines read before the tables are sized for the file. */
const SIZING_LINES = 64;
/** The shortest line that holds a case: {"eval":"e","case_id":"c","metrics":{}} */
const MIN_CASE_BYTES = 38;

/**
 * JSON Lines records locate `/<row>/…` at the start of the line of the case in that row of the columns (no position
 * for a row the table does not have), and any other pointer at the start of the file.
 */
/**
 * A line of JSON whitespace only (space, tab, carriage return) is skipped. Anything else, a no-break space or a
 * line separator too, is not JSON whitespace: such a line is read, and rejected with its location, never skipped.
 */
function isBlankLine(text: string): boolean {
  const first = text.charCodeAt(0);
  // almost every line starts with `{`: decided by its first character
  if (text.length > 0 && first !== 0x20 && first !== 0x09 && first !== 0x0d) return false;
  return /^[ \t\r]*$/.test(text);
}

function locateCase(lines: CaseLines): Locator {
  return (pointer) => {
    const m = /^\/(\d+)(?:\/|$)/.exec(pointer);
    if (!m) return { line: 1, column: 1 };
    const row = Number(m[1]);
    return row < lines.cases ? { line: lines.lineOf(row), column: 1 } : undefined;
  };
}

/**
 * The line of each case, by its row in the columns. Row r is on line r + 1 until a blank line shifts the numbering,
 * so only the rows where the shift changes are kept, with the new shift (8 bytes each; nothing in a file without
 * blank lines). When those would take more room than a line per row (blank lines between most cases), every row's
 * line is kept instead, in an Int32Array grown like the columns (4 bytes a case).
 */
class CaseLines {
  /** shifts kept before the lines of every row are considered instead */
  private static readonly SPARSE_MIN = 256;
  /** the rows added so far */
  cases = 0;
  /** the rows from which a shift applies, ascending, and that shift (line - row) */
  private rows = new Int32Array(16);
  private shifts = new Int32Array(16);
  private count = 0;
  private shift = 1;
  /** every row's line, once the shifts are too many (null until then) */
  private lines: Int32Array | null = null;
  private reserved = 0;

  /** The line of the next row (lines ascend). */
  add(line: number): void {
    const row = this.cases;
    if (!this.lines) {
      const shift = line - row;
      if (shift !== this.shift) this.shifted(row, shift);
    }
    if (this.lines) {
      if (row === this.lines.length) this.dense(row * 2);
      this.lines[row] = line;
    }
    this.cases = row + 1;
  }

  /** Room for this many rows without growing, should every row's line be kept. */
  reserve(cases: number): void {
    this.reserved = Math.max(this.reserved, cases);
    if (this.lines && cases > this.lines.length) this.dense(cases);
  }

  /** The line of a row below `cases`. */
  lineOf(row: number): number {
    if (this.lines) return this.lines[row]!;
    // the last shift that starts at or before the row
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid]! <= row) lo = mid + 1;
      else hi = mid;
    }
    return row + (lo === 0 ? 1 : this.shifts[lo - 1]!);
  }

  /** A new shift from this row on: kept, or, past SPARSE_MIN shifts for fewer than twice as many rows, every line. */
  private shifted(row: number, shift: number): void {
    this.shift = shift;
    if (this.count === this.rows.length) {
      if (this.count >= CaseLines.SPARSE_MIN && this.count * 2 > row)
        return this.dense(Math.max(this.reserved, row * 2));
      this.rows = grown(this.rows, this.count * 2, this.count);
      this.shifts = grown(this.shifts, this.count * 2, this.count);
    }
    this.rows[this.count] = row;
    this.shifts[this.count++] = shift;
  }

  /** The line of every row added so far, in an array of this capacity (written out from the shifts, at first). */
  private dense(capacity: number): void {
    if (this.lines) {
      this.lines = grown(this.lines, capacity, this.cases);
      return;
    }
    const lines = new Int32Array(capacity);
    let shift = 1;
    for (let row = 0, next = 0; row < this.cases; row++) {
      if (next < this.count && this.rows[next] === row) shift = this.shifts[next++]!;
      lines[row] = row + shift;
    }
    this.lines = lines;
    this.rows = this.shifts = new Int32Array(0);
    this.count = 0;
  }
}

/** A copy of the first `used` values in a larger array. */
function grown(values: Int32Array, capacity: number, used: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(capacity);
  out.set(values.subarray(0, used));
  return out;
}

function columnOf(parsed: ParseResult, pointer: string): { column?: number } {
  const pos = parsed.ok ? parsed.locate(pointer) : undefined;
  return pos ? { column: pos.column } : {};
}

/**
 * The duplicate check of case ids, done once the file is read: each valid case's id is kept as its 53-bit hash,
 * its length and its line, in order (14 bytes a case, written in sequence); sorting a copy of the hashes finds
 * the ids that share one, and only those are compared by text, read again from the file (a repeated case, or a
 * hash collision: rare). The answer is the one a running comparison of every id with all before it gives:
 * exact while the ids seen add up to at most EXACT_BUDGET_CHARS characters, by hash alone past that (at odds
 * of about 1 in 18,000 of a false duplicate per million cases), as the reader has always promised.
 */
class CaseIds {
  private static readonly EXACT_BUDGET_CHARS = 16 * 1024 * 1024;
  count = 0;
  private hashes = new Float64Array(1024);
  private lengths = new Uint16Array(1024);
  private lines = new Int32Array(1024);

  add(id: string, line: number): void {
    this.addHashed(hash53(id), id.length, line);
  }

  /** An id hashed elsewhere (by hash53), its length and its line. */
  addHashed(hash: number, length: number, line: number): void {
    if (this.count === this.lines.length) this.resize(this.count * 2);
    this.hashes[this.count] = hash;
    this.lengths[this.count] = length;
    this.lines[this.count++] = line;
  }

  /** Room for this many cases without growing. */
  reserve(cases: number): void {
    if (cases > this.lines.length) this.resize(cases);
  }

  /**
   * The lines of the cases whose hash another case shares, ascending (none in a file without repeats). An
   * open-addressing table of case numbers keyed by hash (half the time of sorting a copy of a million hashes, and
   * 4 bytes a slot): a case whose hash is taken marks itself and the case holding the slot.
   */
  sharedHashLines(): number[] {
    const count = this.count;
    const hashes = this.hashes;
    let size = 1024;
    while (size < count * 2) size *= 2;
    const mask = size - 1;
    // case number + 1 per slot (0: free); the low 32 bits of cyrb53 are well mixed
    const table = new Int32Array(size);
    const shared = new Uint8Array(count);
    let any = false;
    for (let i = 0; i < count; i++) {
      const h = hashes[i]!;
      let slot = (h >>> 0) & mask;
      for (;;) {
        const there = table[slot]!;
        if (there === 0) {
          table[slot] = i + 1;
          break;
        }
        if (hashes[there - 1] === h) {
          shared[i] = 1;
          shared[there - 1] = 1;
          any = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    const lines: number[] = [];
    if (!any) return lines;
    for (let i = 0; i < count; i++) if (shared[i] === 1) lines.push(this.lines[i]!);
    return lines;
  }

  /**
   * The repeats, given the ids on the lines sharedHashLines named: for each case that repeats an earlier one, its
   * line and the line of the first. The other ids have a hash of their own, so they repeat nothing and nothing
   * repeats them; they count only towards the budget. null when an id read again does not hash as it did.
   */
  repeats(ids: Map<number, string>): { line: number; id: string; first: number }[] | null {
    const out: { line: number; id: string; first: number }[] = [];
    let exactChars = 0;
    let byText: Map<string, number> | null = new Map();
    const byHash = new Map<number, number>();
    for (let i = 0; i < this.count; i++) {
      const line = this.lines[i]!;
      const id = ids.get(line);
      if (id === undefined) {
        if (byText && (exactChars += this.lengths[i]!) > CaseIds.EXACT_BUDGET_CHARS)
          byText = this.hashOnly(byText, byHash);
        continue;
      }
      if (hash53(id) !== this.hashes[i]) return null;
      const first = byText ? byText.get(id) : byHash.get(this.hashes[i]!);
      if (first !== undefined) {
        out.push({ line, id, first });
        continue;
      }
      if (!byText) byHash.set(this.hashes[i]!, line);
      else {
        byText.set(id, line);
        if ((exactChars += id.length) > CaseIds.EXACT_BUDGET_CHARS) byText = this.hashOnly(byText, byHash);
      }
    }
    return out;
  }

  /** Past the budget: ids kept by hash, in order, a later one passing its line on to an earlier with its hash. */
  private hashOnly(byText: Map<string, number>, byHash: Map<number, number>): null {
    for (const [id, line] of byText) byHash.set(hash53(id), line);
    return null;
  }

  private resize(capacity: number): void {
    const hashes = new Float64Array(capacity);
    hashes.set(this.hashes.subarray(0, this.count));
    this.hashes = hashes;
    const lengths = new Uint16Array(capacity);
    lengths.set(this.lengths.subarray(0, this.count));
    this.lengths = lengths;
    const lines = new Int32Array(capacity);
    lines.set(this.lines.subarray(0, this.count));
    this.lines = lines;
  }
}

/**
 * promptfoo's own results file (`promptfoo eval -o results.json`) as per-case columns: every named
 * score, `pass` (success as 1/0), `score`, `cost_usd` (cost) and `latency_ms` (latencyMs).
 */
function promptfooTable(
  value: unknown,
  evalName: string
): EvalCaseTable | { tooManyMetrics: string } | { tooManyValues: string; columns: number; cases: number } {
  const outer = (value as { results?: unknown }).results;
  const nested = !Array.isArray(outer) && Array.isArray((outer as { results?: unknown } | undefined)?.results);
  const rows: unknown[] = Array.isArray(outer) ? outer : nested ? (outer as { results: unknown[] }).results : [];
  const table = new CaseTableBuilder(CASE_TABLE_LIMITS);
  for (let index = 0; index < rows.length; index++) {
    const raw = rows[index];
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
    table.startRow();
    for (const [name, v] of row) table.set(name, v);
    // every score keeps a value for every result: a new name on each result would take scores × results of memory
    const fit = table.endRow();
    if (fit === 'columns') return { tooManyMetrics: `/results${nested ? '/results' : ''}/${index}/namedScores` };
    if (fit === 'values') {
      return {
        tooManyValues: `/results${nested ? '/results' : ''}/${index}`,
        columns: table.columnsWith,
        cases: table.cases + 1
      };
    }
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
        message: `the glob ${JSON.stringify(excerpt(maskSecrets(glob), 80))} cannot be used: ${problem}`,
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

/**
 * decodeUtf8, with its common case done natively: text that is valid UTF-8 without NUL bytes or a byte order
 * mark decodes to the same string either way (a fatal TextDecoder is several times slower on large files).
 * Anything else goes to decodeUtf8, which finds and locates the problem.
 */
function decodeText(bytes: Buffer, path: string): ReturnType<typeof decodeUtf8> {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const fits = bytes.length <= constants.MAX_STRING_LENGTH; // else decodeUtf8 says it is too large to read
  if (fits && !bom && bytes.indexOf(0) < 0 && isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  return decodeUtf8(bytes, path);
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
  // the value as written, masked by the name it sits under (a password written as a number is still a password)
  const field = fieldNameOf(value, parsePointer(s.pointer));
  if (format === 'json') {
    const shown = excerpt(maskSecrets(raw ?? String(actual), field), 40);
    return `${key} is the ${type} ${shown} here; write it as a string: "${shown}"`;
  }
  if (type === 'null' && (raw === undefined || raw === '')) {
    return `${key} is empty, which YAML reads as null; write the value (quoted if it looks like a number or boolean)`;
  }
  const shown = excerpt(maskSecrets(raw ?? String(actual), field), 40);
  return `${key}: ${shown} was read as a ${type}; quote it: "${shown}"`;
}

function lastSegment(pointer: string): string {
  const cut = pointer.lastIndexOf('/');
  const seg = cut < 0 ? pointer : pointer.slice(cut + 1);
  return excerpt(maskSecrets(seg.replace(/~1/g, '/').replace(/~0/g, '~')), 40) || '(the value)';
}

function parsePointer(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
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

/**
 * Sorted (file, line, column, code, …) and tagged with the side: the same files give the same list. No issue
 * repeats a secret: what a message, hint or pointer quotes from a record is masked (maskIssue), whichever part
 * of the reader wrote it.
 */
function finish(issues: RecordIssue[], side: Side): RecordIssue[] {
  return issues
    .map((i) => ({ ...maskIssue(i), side }))
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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
