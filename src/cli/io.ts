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

/** Progress lines on stderr, only when it is a terminal (never in CI logs or pipes). */
export function progressReporter(io: CliIO): ((message: string) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (message: string) => io.stderr.write(`\u001b[2m… ${message}\u001b[0m\n`);
}

export function useColor(io: CliIO): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}
