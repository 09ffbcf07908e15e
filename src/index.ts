/** The action's entry point: only starts run(); importing any other module never runs the action. */
import { run } from './main.js';
import { internalErrorMessage } from './errors.js';

// A gate fails closed: anything that escapes run() — a thrown error, an unhandled rejection — fails the
// check (exit 3), never a pass. The message is escaped so it cannot end the annotation and start a command.
function crash(error: unknown): never {
  const message = internalErrorMessage(error);
  const escaped = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  process.stdout.write(`::error::agent-release-gate crashed: ${escaped}\n`);
  process.exit(3);
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

await run();
