/** The action's entry point: only starts run(); importing any other module never runs the action. */
import { run } from './main.js';

// A gate fails closed: anything that escapes run() — a thrown error, an unhandled rejection — fails the check.
process.on('unhandledRejection', (reason) => {
  process.stdout.write(`::error::agent-release-gate internal error: unhandled rejection: ${String(reason).split('\n')[0]}\n`);
  process.exitCode = 1;
});

try {
  await run();
} catch (error) {
  process.stdout.write(`::error::agent-release-gate internal error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exitCode = 1;
}
