/** `agent-gate init`: a starter that validates, that `check` runs on, and that never overwrites. */
import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { STARTER_FILES } from '../templates.js';
import { SLOW, checkJson, cli, commitAll, git, read, rulesOf, tempDir, write } from './helpers.js';

function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.name === '.git' ? [] : e.isDirectory() ? files(root, join(dir, e.name)) : [relative(root, join(dir, e.name))]
    )
    .sort();
}

function emptyRepo(): string {
  const dir = join(tempDir(), 'repo');
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

describe('agent-gate init', () => {
  test(
    'writes the starter files into an empty repository; they validate, and check asks only for approvals',
    async () => {
      const dir = emptyRepo();
      const result = await cli(['init'], { cwd: dir });
      expect(result.code).toBe(0);
      const written = Object.keys(STARTER_FILES).sort();
      expect(files(dir)).toEqual(written);
      for (const path of written) expect(result.stdout).toContain(`created ${path}\n`);
      for (const path of written) expect(read(dir, path)).toBe(STARTER_FILES[path]);
      expect(result.stdout).toContain('agent-gate check --trust-config-from head');

      const validate = await cli(['validate'], { cwd: dir });
      expect(validate.stdout).toBe('✓ 9 record(s) in 9 file(s) are valid (configuration: .github/agent-gate.yml)\n');
      expect(validate.code).toBe(0);

      // nothing committed yet: no base, and no pull request to read approvals from. Everything the starter
      // records ask for is evidenced (evals pass, the runbook exists, the chain resolves) except the approvals
      const run = await checkJson([], { cwd: dir });
      expect(run.statement.predicate.outcome).toBe('evaluated');
      expect(run.statement.predicate.decision).toBe('follow_up');
      expect(rulesOf(run.statement, 'deny')).toEqual([]);
      expect(rulesOf(run.statement, 'follow_up')).toEqual(['approvals.unavailable']);
      expect(
        run.statement.predicate.findings
          .filter((f) => f.severity === 'follow_up')
          .map((f) => f.subject)
          .sort()
      ).toEqual(['engineering', 'release-manager', 'safety']);
      expect(run.code).toBe(1);
      expect((await checkJson(['--fail-on', 'deny'], { cwd: dir })).code).toBe(0);
    },
    SLOW
  );

  test(
    'adopting on a branch: once the role holders approve, the starter change is allowed',
    async () => {
      const dir = emptyRepo();
      write(dir, 'README.md', '# my-agent\n');
      commitAll(dir, 'first');
      git(dir, 'checkout', '-q', '-b', 'adopt-agent-gate');
      expect((await cli(['init'], { cwd: dir })).code).toBe(0);
      const head = commitAll(dir, 'adopt agent-release-gate');
      const approve = (id: number, login: string) => ({ id, user: { login }, state: 'APPROVED', commit_id: head });
      const reviews = join(dir, '..', 'reviews.json');
      writeFileSync(
        reviews,
        JSON.stringify({
          pull_request: { author: 'new-adopter', head_sha: head },
          reviews: [approve(1, 'your-engineer'), approve(2, 'your-safety-reviewer'), approve(3, 'your-release-manager')]
        })
      );
      // the configuration on the branch judges it (on a pull request, the base's would: there is none yet)
      const run = await checkJson(['--trust-config-from', 'head', '--reviews', reviews], { cwd: dir });
      expect(run.statement.predicate.decision).toBe('allow');
      expect(run.code).toBe(0);
      expect(rulesOf(run.statement)).toEqual(
        expect.arrayContaining(['integrity.config-from-head', 'integrity.gate-files-changed'])
      );
      expect(rulesOf(run.statement, 'follow_up')).toEqual([]);
    },
    SLOW
  );

  test(
    'refuses to overwrite: when any starter file exists, nothing is written (exit 2)',
    async () => {
      const dir = emptyRepo();
      write(dir, 'records/rollout.yaml', 'rollout:\n  require: [mine]\n  block_if: []\n  rollout_mode: {}\n');
      const before = files(dir);
      const result = await cli(['init'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'agent-gate init: refusing to overwrite existing files (nothing was written):\n  records/rollout.yaml\n'
      );
      expect(files(dir)).toEqual(before);
      expect(read(dir, 'records/rollout.yaml')).toContain('mine');
    },
    SLOW
  );

  test(
    '--dir writes into another folder',
    async () => {
      const dir = emptyRepo();
      const result = await cli(['init', '--dir', 'services/bot'], { cwd: dir });
      expect(result.code).toBe(0);
      expect(existsSync(join(dir, 'services/bot/.github/agent-gate.yml'))).toBe(true);
      expect(existsSync(join(dir, '.github'))).toBe(false);
    },
    SLOW
  );
});
