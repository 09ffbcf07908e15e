#!/usr/bin/env node
// npm 11 on a registry mirror that lacks some platform packages writes a lock file without entries for
// the optional native bindings it could not fetch (here: unrs-resolver's, used by jest), and `npm ci` then
// refuses the lock as out of sync. This adds the missing entries, marked optional with the os/cpu their
// name states, so `npm ci` skips them on other platforms without fetching anything.
// Run it after any `npm install` that rewrites package-lock.json:  node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const BINDING =
  /-(android|darwin|freebsd|linux|win32|openharmony)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x)(?:-[a-z0-9]+)?$/;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
const added = [];
for (const entry of Object.values({ ...packages })) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (packages[`node_modules/${name}`]) continue;
    const platform = BINDING.exec(name);
    if (!platform) throw new Error(`${name}: missing from the lock and not a platform binding; run npm install`);
    packages[`node_modules/${name}`] = {
      version,
      dev: entry.dev,
      optional: true,
      os: [platform[1]],
      cpu: [platform[2]]
    };
    added.push(`${name}@${version}`);
  }
}
const byPath = ([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0);
lock.packages = Object.fromEntries(Object.entries(packages).sort(byPath));
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(added.length === 0 ? 'lock file complete' : `added ${added.length} optional platform entries`);
