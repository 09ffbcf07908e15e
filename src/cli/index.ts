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

// `agent-gate explain | head -1` closes the pipe early: that is the reader's choice, not a crash
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
