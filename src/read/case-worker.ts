/**
 * The worker thread of src/read/case-thread.ts (bundled on its own as dist/case-worker/index.js): reads each span
 * of lines it is given into columns and sends the columns back, transferred.
 */
import { parentPort } from 'node:worker_threads';
import { readOrdinarySpan } from './case-table.js';
import type { SpanAnswer, SpanRequest } from './case-thread.js';

const port = parentPort;
if (!port) throw new Error('case-worker runs as a worker thread');
port.on('message', (request: SpanRequest) => {
  const lines = Buffer.from(request.lines.buffer, request.lines.byteOffset, request.lines.byteLength);
  let answer: SpanAnswer;
  const transfer: ArrayBuffer[] = [];
  try {
    const span = readOrdinarySpan(lines, request.maxLineBytes, request.maxColumns);
    answer = { id: request.id, span };
    if (span) transfer.push(...span.columns.map((c) => c.buffer), span.idHashes.buffer, span.idLengths.buffer);
  } catch (error) {
    answer = { id: request.id, span: null, error: String(error) };
  }
  port.postMessage(answer, transfer);
});
// started and listening: the reader hands spans over from now on
port.postMessage({ id: -1, span: null } satisfies SpanAnswer);
