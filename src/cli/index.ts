/**
 * The CLI's entry point (bin: agent-gate). Kept tiny: the rest is loaded after V8's compile cache is on, so
 * from the second run on Node ≥ 22.1 the bundle is not compiled again (as tsc does). Older Node: no cache.
 */
import module from 'node:module';

try {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // the cache only saves time; without it (read-only temp folder, NODE_DISABLE_COMPILE_CACHE) nothing changes
}

// Output that cannot be written. `agent-gate explain | head -1` closes the pipe early: that is the reader's
// choice, not a crash, and the exit status stays. Any other failure (a full disk: ENOSPC, EIO …) loses the
// result: one line on stderr (when stderr is not the stream that failed) and exit 3, never a stack trace.
for (const [name, stream] of [
  ['standard output', process.stdout],
  ['standard error', process.stderr]
] as const) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream !== process.stderr) {
      try {
        process.stderr.write(
          `agent-gate: cannot write to ${name} (${error.code ?? 'write error'}); the output is lost and the gate fails closed (exit 3)\n`
        );
      } catch {
        // stderr is gone too: the exit status is all that is left
      }
    }
    process.exit(3);
  });
}

const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
