/** agent-gate init: adopt the gate in a repository in minutes. Refuses to overwrite anything. */
import { mkdir, lstat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse, str } from './args.js';
import { EXIT, type CliIO } from './io.js';
import { STARTER_FILES } from './templates.js';

export const INIT_HELP = `Usage: agent-gate init [--dir DIR]

Write a starter configuration (.github/agent-gate.yml), a workflow, and one example record of
each kind under records/ into the repository at DIR (default: the current directory).
Nothing is overwritten: if any of the files exists, nothing is written.`;

export async function runInit(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { dir: { type: 'string' } });
  const root = resolve(io.cwd, str(values.dir) ?? '.');
  const paths = Object.keys(STARTER_FILES).sort();
  const existing: string[] = [];
  for (const path of paths) {
    if (await exists(join(root, path))) existing.push(path);
  }
  if (existing.length > 0) {
    io.stderr.write(`agent-gate init: refusing to overwrite existing files (nothing was written):\n`);
    for (const path of existing) io.stderr.write(`  ${path}\n`);
    return EXIT.invalid;
  }
  for (const path of paths) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    // 'wx' fails if the file appeared meanwhile: never overwrite
    await writeFile(target, STARTER_FILES[path] ?? '', { flag: 'wx' });
    io.stdout.write(`created ${path}\n`);
  }
  io.stdout.write(
    `\nNext: put real GitHub logins under roles: in .github/agent-gate.yml, then run "agent-gate validate" and "agent-gate check".\n`
  );
  return EXIT.allow;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
