/**
 * agent-gate: the CLI on the same engine as the action.
 * Exit codes: 0 allow, 1 blocked (deny, or follow_up per --fail-on), 2 record or configuration errors, 3 internal error.
 * A command's code is loaded when it runs, so `--help` and `--version` answer at once.
 */
import { SettingsError, internalErrorMessage } from '../errors.js';
import { VERSION } from '../version.js';
import { CHECK_HELP, EXPLAIN_HELP, INIT_HELP, MAIN_HELP, VALIDATE_HELP } from './help.js';
import { EXIT, processIO, type CliIO } from './io.js';

export { MAIN_HELP };

export interface Command {
  run: (argv: string[], io: CliIO) => Promise<number>;
  help: string;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  check: { help: CHECK_HELP, run: async (argv, io) => (await import('./check.js')).runCheck(argv, io) },
  validate: { help: VALIDATE_HELP, run: async (argv, io) => (await import('./validate.js')).runValidate(argv, io) },
  explain: { help: EXPLAIN_HELP, run: async (argv, io) => (await import('./explain.js')).runExplain(argv, io) },
  init: { help: INIT_HELP, run: async (argv, io) => (await import('./init.js')).runInit(argv, io) }
};

/** Runs one command line and returns the exit code; never throws. `commands` is replaceable for tests. */
export async function main(
  argv: string[],
  io: CliIO = processIO(),
  commands: Readonly<Record<string, Command>> = COMMANDS
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(MAIN_HELP + '\n');
    return name === undefined ? EXIT.invalid : EXIT.allow;
  }
  if (name === '--version' || name === '-v' || name === '-V') {
    io.stdout.write(VERSION + '\n');
    return EXIT.allow;
  }
  if (name === 'help') {
    const topic = rest[0] !== undefined && Object.hasOwn(commands, rest[0]) ? commands[rest[0]] : undefined;
    if (rest[0] !== undefined && !topic) return unknownCommand(rest[0], io, commands);
    io.stdout.write((topic?.help ?? MAIN_HELP) + '\n');
    return EXIT.allow;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) return unknownCommand(name, io, commands);
  // "--" ends the options: what follows is an argument, even "--help"
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
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
    // the message can quote records and this output lands in CI logs: details only on request
    const details = io.env.AGENT_GATE_DEBUG
      ? `\n${error instanceof Error && error.stack ? error.stack : String(error)}`
      : '';
    io.stderr.write(
      `agent-gate ${name}: internal error: ${internalErrorMessage(error)}${details}\n` +
        'The gate could not finish; this is not a judgement of the change, and it fails closed (exit 3).\n'
    );
    return EXIT.internal;
  }
}

function unknownCommand(name: string, io: CliIO, commands: Readonly<Record<string, Command>>): number {
  io.stderr.write(
    `agent-gate: unknown command ${JSON.stringify(name.slice(0, 80))}. Commands: ${Object.keys(commands).join(', ')}` +
      ` (agent-gate --help).\n`
  );
  return EXIT.invalid;
}
