/**
 * The CLI bundle starts fast: it never contains the GitHub client stack (@actions/*, Octokit, undici), which
 * only the action needs. Checked on the committed dist/cli, with the action's bundle as the control that the
 * markers are real.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

/** Code that exists only in those packages (not words a comment could contain). */
const MARKERS: [string, string][] = [
  ['Octokit', 'octokit-core.js/'],
  ['Octokit REST endpoints', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews'],
  ['undici', 'undici:request:create'],
  ['@actions/core', 'ACTIONS_ID_TOKEN_REQUEST_URL'],
  ['@actions/http-client', 'actions/http-client']
];

function bundleText(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('the CLI bundle', () => {
  const cliBundle = bundleText(join(ROOT, 'dist/cli'));
  const actionBundle = bundleText(join(ROOT, 'dist'));

  test.each(MARKERS)('does not contain %s', (_name, marker) => {
    expect(actionBundle).toContain(marker); // the marker is real: the action bundles it
    expect(cliBundle).not.toContain(marker);
  });
});
