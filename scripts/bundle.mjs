#!/usr/bin/env node
// Builds the committed bundles: dist/index.js (the action) and dist/cli/index.js (the CLI), with ncc.
// The schema validators are generated first (ajv standalone code), so nothing compiles schemas at run time.
import { execFileSync } from 'node:child_process';
import { rmSync, existsSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

if (existsSync('scripts/build-validators.mjs')) run(process.execPath, ['scripts/build-validators.mjs']);
rmSync('dist', { recursive: true, force: true });
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
for (const [entry, out] of [
  ['src/index.ts', 'dist'],
  ['src/cli/index.ts', 'dist/cli']
]) {
  run(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--quiet']);
}
