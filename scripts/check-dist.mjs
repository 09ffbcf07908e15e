#!/usr/bin/env node
// Fails when the committed dist/ (or generated validators) differ from what the sources build.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
const status = execFileSync('git', ['status', '--porcelain', '--', 'dist', 'src/read/generated'], { encoding: 'utf8' });
if (status.trim() !== '') {
  console.error('dist/ is stale: `npm run bundle` changed these files:\n' + status);
  console.error(execFileSync('git', ['diff', '--stat', '--', 'dist', 'src/read/generated'], { encoding: 'utf8' }));
  process.exit(1);
}
console.log('dist/ matches the sources.');
