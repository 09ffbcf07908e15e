#!/usr/bin/env node
// `npm run preview`: renders the example scenarios the way reviewers meet them and writes them to a folder
// (default ./preview, or the first argument, or PREVIEW_DIR): <scenario>/comment.md, summary.md,
// terminal.txt, terminal.ansi.txt and sarif.json, plus README.md listing each scenario's headline.
// The renderers are TypeScript and there is no compile step outside the bundle, so this runs them through
// jest (ts-jest), with src/render/__tests__/preview.test.ts doing the writing. Once the CLI is bundled,
// `node dist/cli/index.js check --format markdown` renders a real repository the same way.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? process.env.PREVIEW_DIR ?? 'preview');
const jest = join('node_modules', 'jest', 'bin', 'jest.js');
const result = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings', jest, '--silent', 'src/render/__tests__/preview.test.ts'],
  { stdio: 'inherit', env: { ...process.env, PREVIEW_DIR: dir } }
);
if (result.error) {
  console.error(`preview: could not run jest: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status ?? 1);

for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  console.log(`${join(dir, entry.name)}/  comment.md  summary.md  terminal.txt  terminal.ansi.txt  sarif.json`);
}
console.log(`\nOpen ${join(dir, 'README.md')} for the list of scenarios.`);
