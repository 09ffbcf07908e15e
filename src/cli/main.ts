/**
 * agent-gate: the CLI on the same engine as the action.
 * Exit codes: 0 allow, 1 blocked (deny, or follow_up per --fail-on), 2 record or configuration errors, 3 internal error.
 */
import { SettingsError } from '../errors.js';
import { VERSION } from '../version.js';
import { runCheck, CHECK_HELP } from './check.js';
import { runExplain, EXPLAIN_HELP } from './explain.js';
import { runInit, INIT_HELP } from './init.js';
import { runValidate, VALIDATE_HELP } from './validate.js';
import { EXIT, processIO, type CliIO } from './io.js';

export const MAIN_HELP = `agent-gate ${VERSION} — blocks an AI-agent change until it has earned release

Usage: agent-gate <command> [options]

Commands:
  check      judge a change: records, evals, replay receipts, AgBOM diff and approvals → allow / follow_up / deny
  validate   check records and configuration only; every error located (file:line, field)
  explain    what a rule checks, why, and how to fix a finding (agent-gate explain evals.threshold)
  init       write a starter configuration and one example record of each kind into a repository

Run "agent-gate <command> --help" for a command's options.
Exit codes: 0 allow · 1 blocked · 2 record or configuration errors · 3 internal error`;

const COMMANDS: Record<string, { run: (argv: string[], io: CliIO) => Promise<number>; help: string }> = {
  check: { run: runCheck, help: CHECK_HELP },
  validate: { run: runValidate, help: VALIDATE_HELP },
  explain: { run: runExplain, help: EXPLAIN_HELP },
  init: { run: runInit, help: INIT_HELP }
};

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(MAIN_HELP + '\n');
    return name === undefined ? EXIT.invalid : EXIT.allow;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(VERSION + '\n');
    return EXIT.allow;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`agent-gate: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.\n`);
    return EXIT.invalid;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help + '\n');
    return EXIT.allow;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof SettingsError) {
      io.stderr.write(`agent-gate ${name}: ${error.message}\n`);
      return EXIT.invalid;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(`agent-gate ${name}: internal error: ${message}\n`);
    return EXIT.internal;
  }
}
