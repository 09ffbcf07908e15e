/** agent-gate init: adopt the gate in a repository in minutes. Refuses to overwrite anything. */
import { mkdir, lstat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse, str } from './args.js';
import { EXIT, type CliIO } from './io.js';
import { STARTER_FILES } from './templates.js';

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
    [
      '',
      'Next:',
      '  1. Put real GitHub logins under roles: in .github/agent-gate.yml, and point surfaces: at your agent files.',
      '  2. agent-gate validate                     every record and the configuration, every error located',
      '  3. agent-gate check --trust-config-from head',
      '     what the gate will say once these files are on the default branch. A pull request is judged with the',
      "     base branch's configuration, so the pull request that adds it is judged with the defaults: merge it first.",
      ''
    ].join('\n')
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
