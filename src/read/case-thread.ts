/**
 * A second thread for reading large per-case results files: the reader hands it spans of whole lines and it
 * answers each with the span's cases as columns (readOrdinarySpan), or with nothing when a line is not an
 * ordinary case, in which case the reader reads that span itself and reports what it finds. Machines that run
 * the gate have two cores or more; parsing JSON is most of the work, and it is shared this way.
 *
 * The thread runs the bundle's case-worker (dist/case-worker/index.js, built from src/read/case-worker.ts next to
 * the code that starts it). Where there is none (the sources run by the tests), where it cannot start or when it
 * fails, the reader reads the lines on its own thread, with the same answer.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaseSpan } from './case-table.js';

/** What reads spans of lines away from the reader's thread. */
export interface SpanReader {
  /** whether the thread has started (until then, spans given would only wait for it) */
  readonly ready: boolean;
  /** spans given and not answered yet */
  readonly busy: number;
  /**
   * The cases of `lines` (whole lines, each ending in '\n'), as readOrdinarySpan answers. `lines` stays the
   * caller's, unchanged (the thread reads a copy): when the thread fails, the promise rejects and the caller reads
   * them itself.
   */
  read(lines: Buffer, maxLineBytes: number, maxColumns: number): Promise<CaseSpan | null>;
  /** Stops the thread; spans not answered yet are rejected. */
  close(): Promise<void>;
}

/** A span as posted to the thread, and its answer. */
export interface SpanRequest {
  id: number;
  lines: Uint8Array;
  maxLineBytes: number;
  maxColumns: number;
}
export interface SpanAnswer {
  /** the request's, or -1 for the thread's first message: it has started and listens */
  id: number;
  span: CaseSpan | null;
  /** set when reading the span threw (a defect): the reader reads the span itself, and gives that file no more */
  error?: string;
}

/** Where the bundle puts the worker, next to the code that starts it (both the action's and the CLI's). */
const WORKER_ENTRY = 'case-worker/index.js';

/**
 * A reader of spans on a worker thread, or null when this build has no worker entry (the tests' sources) or when
 * AGENT_GATE_READ_THREADS is 1 (read on one thread; an escape hatch, the answer is the same).
 */
export function caseThread(env: NodeJS.ProcessEnv = process.env): SpanReader | null {
  if (env.AGENT_GATE_READ_THREADS === '1') return null;
  const entry = new URL(WORKER_ENTRY, import.meta.url);
  if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return null;
  try {
    return new WorkerSpanReader(entry);
  } catch {
    return null; // threads unavailable here: the reader reads every line itself
  }
}

class WorkerSpanReader implements SpanReader {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (span: CaseSpan | null) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private failure: Error | null = null;
  ready = false;

  constructor(entry: URL) {
    this.worker = new Worker(entry, { stdout: false, stderr: false });
    // only while spans are out does the thread keep the process alive (a reader that forgot to close it must not
    // hang the gate; one waiting for an answer must not see the process exit under it)
    this.worker.unref();
    this.worker.on('message', (answer: SpanAnswer) => this.answered(answer));
    this.worker.on('error', (error: Error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the thread reading results stopped (exit code ${code})`)));
  }

  get busy(): number {
    return this.pending.size;
  }

  read(lines: Buffer, maxLineBytes: number, maxColumns: number): Promise<CaseSpan | null> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    // the thread gets a copy it owns (transferred, not cloned again): the lines stay the reader's, to read itself
    // should the thread fail
    const copy = new Uint8Array(lines.length);
    copy.set(lines);
    const request: SpanRequest = { id, lines: copy, maxLineBytes, maxColumns };
    const answer = new Promise<CaseSpan | null>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage(request, [copy.buffer]);
    return answer;
  }

  async close(): Promise<void> {
    this.fail(new Error('the thread reading results was closed'));
    await this.worker.terminate();
  }

  private answered(answer: SpanAnswer): void {
    if (answer.id === -1) {
      this.ready = this.failure === null;
      return;
    }
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker.unref();
    if (answer.error !== undefined) waiting.reject(new Error(`reading a span of results failed: ${answer.error}`));
    else waiting.resolve(answer.span);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.ready = false;
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
    this.worker.unref();
  }
}
