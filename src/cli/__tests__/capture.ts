/** An in-memory CliIO for running main() in-process. */
import { Writable } from 'node:stream';
import type { CliIO } from '../io.js';
import { ROOT } from './helpers.js';

export class CapturedStream extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

export function captureIO(options: { tty?: boolean; cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliIO & {
  stdout: CapturedStream;
  stderr: CapturedStream;
} {
  return {
    stdout: new CapturedStream(options.tty ?? false),
    stderr: new CapturedStream(options.tty ?? false),
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {}
  };
}
