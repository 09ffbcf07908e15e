/** The CLI's small I/O helpers: output streams, progress on a TTY only, and exit codes. */

export const EXIT = { allow: 0, blocked: 1, invalid: 2, internal: 3 } as const;

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

export interface Progress {
  /** what is being done now; replaces the previous message */
  update(message: string): void;
  /** clears the progress line, before the result is printed */
  done(): void;
}

const CLEAR_LINE = '\r\u001b[2K';
/** how often the elapsed time is refreshed while one step runs */
const TICK_MS = 1000;

/**
 * One self-replacing progress line on stderr, with the time the current step has taken, only when stderr
 * is a terminal: never in CI logs, pipes or files, where it would be noise. Cleared when done.
 */
export function progressReporter(io: CliIO, now: () => number = Date.now): Progress | undefined {
  if (!io.stderr.isTTY) return undefined;
  const stderr = io.stderr;
  let message = '';
  let since = now();
  let timer: NodeJS.Timeout | null = null;
  const draw = () => {
    const seconds = Math.floor((now() - since) / 1000);
    stderr.write(`${CLEAR_LINE}\u001b[2m… ${message}${seconds > 0 ? ` (${seconds}s)` : ''}\u001b[0m`);
  };
  return {
    update(next) {
      message = next.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
      since = now();
      draw();
      if (!timer) {
        timer = setInterval(draw, TICK_MS);
        timer.unref();
      }
    },
    done() {
      if (timer) clearInterval(timer);
      timer = null;
      if (message !== '') stderr.write(CLEAR_LINE);
      message = '';
    }
  };
}

export function useColor(io: CliIO): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}
