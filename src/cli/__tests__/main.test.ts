/** The command line itself: help, version, exit codes 2 and 3, and progress only on a terminal. */
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { COMMANDS, MAIN_HELP, main, type Command } from '../main.js';
import { captureIO } from './capture.js';
import { BUNDLE, ROOT, SLOW, cleanEnv, cli, tempDir } from './helpers.js';

/** Runs the bundled CLI (dist/cli/index.js, as users run it) with stdout written to `stdoutFile`; stderr is a pipe. */
function cliToFile(args: string[], stdoutFile: string): Promise<{ code: number | null; stderr: string }> {
  const out = openSync(stdoutFile, 'w');
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ['ignore', out, 'pipe']
    });
    const err: Buffer[] = [];
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr: Buffer.concat(err).toString('utf8') }));
  }).finally(() => closeSync(out));
}

const DIRS = ['--base-dir', 'examples/support-triage/base', '--head-dir', 'examples/support-triage/head'];

describe('help and version, as a process', () => {
  test.each(Object.keys(COMMANDS))(
    'agent-gate %s --help',
    async (name) => {
      const result = await cli([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(COMMANDS[name]!.help + '\n');
      expect(result.stdout).toMatch(new RegExp(`^Usage: agent-gate ${name}`));
      expect(result.stderr).toBe('');
      // "help <command>" says the same
      expect((await cli(['help', name])).stdout).toBe(result.stdout);
    },
    SLOW
  );

  test(
    'agent-gate --help lists every command; no command at all is a usage error',
    async () => {
      const help = await cli(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toBe(MAIN_HELP + '\n');
      for (const name of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      const none = await cli([]);
      expect(none.code).toBe(2);
      expect(none.stdout).toBe('');
      expect(none.stderr).toBe(MAIN_HELP + '\n');
    },
    SLOW
  );

  test(
    'agent-gate --version prints the package version',
    async () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      const result = await cli(['--version']);
      expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
      expect(VERSION).toBe(pkg.version);
    },
    SLOW
  );

  test(
    'a reader that stops early (| head) is not a crash',
    async () => {
      const { spawnSync } = await import('node:child_process');
      const result = spawnSync('sh', ['-c', `"${process.execPath}" dist/cli/index.js explain | head -1`], {
        cwd: ROOT,
        encoding: 'utf8'
      });
      expect(result.stdout.split('\n')).toHaveLength(2);
      expect(result.stderr).toBe('');
    },
    SLOW
  );
});

describe('output that cannot be written', () => {
  const full = existsSync('/dev/full') ? test : test.skip;

  full(
    'a full disk (stdout is /dev/full): one line on stderr, no stack trace, exit 3',
    async () => {
      const args = ['check', ...DIRS, '--reviews', 'examples/support-triage/reviews.json', '--format', 'json'];
      const result = await cliToFile(args, '/dev/full');
      expect(result.stderr).toBe(
        'agent-gate: cannot write to standard output (ENOSPC); the output is lost and the gate fails closed (exit 3)\n'
      );
      expect(result.code).toBe(3);
    },
    SLOW
  );

  test(
    'the same run with stdout to a file: the decision, exit 0 (the control)',
    async () => {
      const file = join(tempDir(), 'out.json');
      const result = await cliToFile(
        ['check', ...DIRS, '--reviews', 'examples/support-triage/reviews.json', '--format', 'json'],
        file
      );
      expect(result).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('predicate.decision', 'allow');
    },
    SLOW
  );
});

describe('exit codes, in-process', () => {
  test.each([
    [
      ['check', '--base-dir', 'a', '--base-dir', 'b'],
      '--base-dir was given more than once (--base-dir "a", then --base-dir "b")'
    ],
    [
      ['check', '--format', 'json', '--format=text'],
      '--format was given more than once (--format "json", then --format "text")'
    ],
    [['validate', '--head-dir', 'x', '--head-dir', 'x'], '--head-dir was given more than once'],
    [['init', '--dir', 'a', '--dir', 'b'], '--dir was given more than once']
  ])('a repeated option is a usage error naming it, never "the last one wins": %j', async (argv, message) => {
    const io = captureIO({ cwd: tempDir() });
    expect(await main(argv, io)).toBe(2);
    expect(io.stderr.text).toContain(message);
    expect(io.stdout.text).toBe('');
  });

  test('a command that throws something unexpected is an internal error: exit 3, named, never a pass', async () => {
    const broken: Record<string, Command> = {
      ...COMMANDS,
      check: {
        help: COMMANDS.check!.help,
        run: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'rules')"))
      }
    };
    const io = captureIO();
    expect(await main(['check'], io, broken)).toBe(3);
    expect(io.stdout.text).toBe('');
    // the exception's own text can quote records and lands in CI logs: only its kind is shown
    expect(io.stderr.text).toBe(
      'agent-gate check: internal error: TypeError inside the gate; its details are kept out of this message ' +
        'because they may quote the records (re-run with debug logging to see them)\n' +
        'The gate could not finish; this is not a judgement of the change, and it fails closed (exit 3).\n'
    );
    const debug = captureIO({ env: { AGENT_GATE_DEBUG: '1' } });
    expect(await main(['check'], debug, broken)).toBe(3);
    expect(debug.stderr.text).toContain("TypeError: Cannot read properties of undefined (reading 'rules')");
  });

  test('a settings error from a command is exit 2 with its message', async () => {
    const io = captureIO();
    const commands: Record<string, Command> = {
      validate: { help: '', run: () => Promise.reject(new SettingsError('--config x.yml: not found')) }
    };
    expect(await main(['validate'], io, commands)).toBe(2);
    expect(io.stderr.text).toBe('agent-gate validate: --config x.yml: not found\n');
  });

  test(
    '"--help" after "--" is an argument, not a request for help',
    async () => {
      const io = captureIO();
      expect(await main(['explain', '--', '--help'], io)).toBe(2);
      expect(io.stderr.text).toContain('unknown rule "--help"');
    },
    SLOW
  );

  test.each([[['constructor']], [['help', '__proto__']]])('prototype keys are not commands: %j', async (argv) => {
    const io = captureIO();
    expect(await main(argv, io)).toBe(2);
    expect(io.stderr.text).toMatch(/^agent-gate: unknown command "(constructor|__proto__)"/);
  });
});

describe('progress', () => {
  test(
    'on a terminal: one self-replacing line on stderr, cleared before the result; stdout untouched',
    async () => {
      const io = captureIO({ tty: true });
      expect(await main(['check', ...DIRS, '--format', 'json'], io)).toBe(1);
      const progress = io.stderr.text;
      expect(progress).toContain('\r\u001b[2K\u001b[2m… finding the base and the changed files');
      expect(progress).toContain('… reading configuration .github/agent-gate.yml from');
      expect(progress).toContain('… reading records from');
      expect(progress).toContain('… evaluating');
      expect(progress.endsWith('\r\u001b[2K')).toBe(true); // cleared
      expect(progress).not.toContain('\n');
      expect(JSON.parse(io.stdout.text)).toHaveProperty('predicate.decision', 'follow_up');
    },
    SLOW
  );

  test(
    'in a pipe or a file: nothing on stderr',
    async () => {
      const io = captureIO({ tty: false });
      expect(await main(['check', ...DIRS, '--reviews', 'examples/support-triage/reviews.json'], io)).toBe(0);
      expect(io.stderr.text).toBe('');
      expect(io.stdout.text).toMatch(/^✅ ALLOW/);
    },
    SLOW
  );

  test(
    'as a process, stderr is a pipe: no progress',
    async () => {
      const result = await cli(['check', ...DIRS, '--reviews', 'examples/support-triage/reviews.json']);
      expect(result.stderr).toBe('');
    },
    SLOW
  );
});
