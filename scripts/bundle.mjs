#!/usr/bin/env node
// Builds the committed bundles: dist/index.js (the action) and dist/cli/index.js (the CLI), with ncc.
// The schema validators are generated first (ajv standalone code), so nothing compiles schemas at run time.
// Type-checking is separate (`npm run typecheck`, part of lint): ncc only transpiles. The entry files are minified
// (ncc: terser without compression, function and class names kept, so errors and stack traces still name them):
// dist/index.js is what every action run parses first, and it stays under its 2 MB budget (docs/performance.md).
// The worker thread that reads spans of large results files is a third, small entry (dist/case-worker/, copied into
// dist/cli/). Chunks loaded on demand (Octokit, the CycloneDX validators) are left as they are. The bundle is built
// into a temporary folder and swapped in at the end, so a failed build never leaves dist/ half-deleted.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

run(process.execPath, ['scripts/build-validators.mjs']);
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
const staging = mkdtempSync(join(tmpdir(), 'agent-gate-dist-'));
try {
  for (const [entry, out] of [
    ['src/index.ts', staging],
    ['src/cli/index.ts', join(staging, 'cli')],
    ['src/read/case-worker.ts', join(staging, 'case-worker')]
  ]) {
    run(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--minify', '--quiet']);
  }
  // the thread that reads large results files is started from next to the code that starts it (src/read/case-thread.ts),
  // in the action's folder and in the CLI's
  cpSync(join(staging, 'case-worker'), join(staging, 'cli', 'case-worker'), { recursive: true });
  rmSync('dist', { recursive: true, force: true });
  try {
    renameSync(staging, 'dist');
    chmodSync('dist', 0o755);
  } catch {
    // across file systems: copy instead
    run('cp', ['-R', staging, 'dist']);
  }
} finally {
  if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
}
