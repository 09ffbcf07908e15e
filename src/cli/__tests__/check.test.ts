/**
 * `agent-gate check` as users run it: the committed bundle, as a process, on temporary git repositories built
 * from the support-triage example (base on main, head on a feature branch).
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate_decision_statement } from '../../read/generated/decision.js';
import { sarifValidator } from '../../render/__tests__/helpers.js';
import {
  EXAMPLE,
  REVIEWS,
  SLOW,
  checkJson,
  cleanEnv,
  cli,
  exampleRepo,
  git,
  read,
  reviewsOn,
  rulesOf,
  tempDir,
  write
} from './helpers.js';

const TOOL_ADDED = `
  - name: tracker.merge_tickets
    description: Merge a duplicate ticket into the original.
    side_effect: external_write
`;

/** The example's approvals, on `commit`, as a `gh api` review list in a file of its own. */
function reviewsFile(commit: string): string {
  const path = join(tempDir(), 'reviews.json');
  writeFileSync(path, reviewsOn(commit));
  return path;
}

describe('the base and head it compares', () => {
  test(
    'default: the working tree against the merge base with main, in a repository without a remote',
    async () => {
      const repo = exampleRepo();
      // main moves on after the branch was cut: the merge base is still the commit the branch started from
      git(repo.dir, 'checkout', '-q', 'main');
      write(repo.dir, 'NOTES.md', 'unrelated work on main\n');
      git(repo.dir, 'add', '-A');
      git(repo.dir, 'commit', '-q', '-m', 'notes');
      git(repo.dir, 'checkout', '-q', 'feature');

      const reviews = reviewsFile(repo.head);
      const text = await cli(['check', '--reviews', reviews], { cwd: repo.dir });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^✅ ALLOW/);
      const header = text.stdout.split('\n')[1];
      expect(header).toBe(
        `gate support-triage · head working tree · base ${repo.base.slice(0, 7)} (merge base with main) · config .github/agent-gate.yml (base)`
      );
      expect(text.stderr).toBe('');

      const { statement } = await checkJson(['--reviews', reviews], { cwd: repo.dir });
      expect(statement.predicate.commits).toEqual({ base: repo.base, head: null });
      const surfaces = statement.predicate.evidence.review.surfaces.map((s) => s.surface);
      expect(surfaces).toEqual(['model_routing', 'prompts']);
    },
    SLOW
  );

  test(
    "with a remote: origin/HEAD's branch, not a local main that moved",
    async () => {
      const origin = exampleRepo();
      const clone = join(tempDir(), 'clone');
      git(origin.dir, 'checkout', '-q', 'main');
      git(tempDir(), 'clone', '-q', origin.dir, clone);
      git(clone, 'checkout', '-q', 'feature');
      // a local main fast-forwarded onto the feature branch would hide the whole change
      git(clone, 'branch', '-q', '-f', 'main', 'feature');

      const reviews = reviewsFile(origin.head);
      const { code, statement } = await checkJson(['--reviews', reviews], { cwd: clone });
      expect(code).toBe(0);
      expect(statement.predicate.commits.base).toBe(origin.base);
      const text = await cli(['check', '--reviews', reviews], { cwd: clone });
      expect(text.stdout.split('\n')[1]).toContain(`base ${origin.base.slice(0, 7)} (merge base with origin/main)`);
    },
    SLOW
  );

  test(
    '--base and --head name commits; the working tree is then not read',
    async () => {
      const repo = exampleRepo();
      write(repo.dir, 'agents/support-triage/mcp.json', '{"servers": []}\n'); // untracked: not part of --head
      const reviews = reviewsFile(repo.head);
      const { code, statement } = await checkJson(['--base', 'main', '--head', 'feature', '--reviews', reviews], {
        cwd: repo.dir
      });
      expect(code).toBe(0);
      expect(statement.predicate.commits).toEqual({ base: repo.base, head: repo.head });
      expect(statement.subject[0]!.digest).toEqual({ gitCommit: repo.head });

      const text = await cli(['check', '--base', repo.base, '--head', 'feature', '--reviews', reviews], {
        cwd: repo.dir
      });
      expect(text.stdout.split('\n')[1]).toContain(
        `head ${repo.head.slice(0, 7)} (feature) · base ${repo.base.slice(0, 7)} ·`
      );
    },
    SLOW
  );

  test(
    'the working tree counts uncommitted and untracked files: a tool change nobody reviewed is denied',
    async () => {
      const repo = exampleRepo();
      // untracked: a new MCP configuration (tool_exposure) not yet committed
      write(repo.dir, 'agents/support-triage/mcp.json', '{"servers": [{"name": "tracker-mcp"}]}\n');
      const reviews = reviewsFile(repo.head);
      let run = await checkJson(['--reviews', reviews], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(run.statement.predicate.decision).toBe('deny');
      const uncovered = run.statement.predicate.findings.filter((f) => f.rule === 'review.uncovered-surface');
      expect(uncovered.map((f) => f.subject)).toEqual(['tool_exposure']);
      expect(uncovered[0]!.message).toContain('agents/support-triage/mcp.json');

      // uncommitted: an edit to a tracked tools file
      rmSync(join(repo.dir, 'agents/support-triage/mcp.json'));
      writeFileSync(
        join(repo.dir, 'agents/support-triage/tools.yaml'),
        read(repo.dir, 'agents/support-triage/tools.yaml') + TOOL_ADDED
      );
      run = await checkJson(['--reviews', reviews], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(rulesOf(run.statement, 'deny')).toEqual(['review.uncovered-surface']);
      // and no review approved uncommitted changes: every approval is pending
      expect(rulesOf(run.statement, 'follow_up')).toContain('approvals.unavailable');
      expect(run.stderr).toContain('approvals are pending: the working tree has uncommitted changes');

      // the committed head is unaffected
      run = await checkJson(['--head', 'HEAD', '--reviews', reviews], { cwd: repo.dir });
      expect(run.code).toBe(0);
    },
    SLOW
  );

  test(
    '--base-dir and --head-dir compare two directories, and the header says so',
    async () => {
      const args = [
        'check',
        '--base-dir',
        'examples/support-triage/base',
        '--head-dir',
        'examples/support-triage/head'
      ];
      const text = await cli([...args, '--reviews', 'examples/support-triage/reviews.json']);
      expect(text.code).toBe(0);
      expect(text.stdout.split('\n')[1]).toBe(
        'gate support-triage · head directory examples/support-triage/head · base directory examples/support-triage/base · config .github/agent-gate.yml (base)'
      );
      const markdown = await cli([
        ...args,
        '--reviews',
        'examples/support-triage/reviews.json',
        '--format',
        'markdown'
      ]);
      expect(markdown.stdout).toContain(
        'Compared: base ` directory examples/support-triage/base ` → head ` directory examples/support-triage/head `'
      );
    },
    SLOW
  );

  test(
    'without any base the change cannot be listed, and stderr says how to give one',
    async () => {
      const dir = join(tempDir(), 'orphan');
      git(tempDir(), 'init', '-q', '-b', 'trunk', dir);
      const run = await checkJson([], { cwd: dir });
      expect(run.stderr).toContain('no base: no default branch found (origin/HEAD, main or master); pass --base REF');
      expect(run.statement.predicate.commits.base).toBeNull();
    },
    SLOW
  );
});

describe('scenarios', () => {
  test(
    'a prompt change whose review lists only prompts, while a tool file changed too: denied',
    async () => {
      const repo = exampleRepo((dir) => {
        // only the prompt and the tools change: routing stays as released, and the review says "prompts"
        writeFileSync(
          join(dir, 'agents/support-triage/routing.yaml'),
          readFileSync(join(EXAMPLE, 'base/agents/support-triage/routing.yaml'))
        );
        const review = 'records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml';
        write(dir, review, read(dir, review).replace('  - prompts\n  - model_routing\n', '  - prompts\n'));
        write(dir, 'agents/support-triage/tools.yaml', read(dir, 'agents/support-triage/tools.yaml') + TOOL_ADDED);
      });
      const reviews = join(repo.dir, '..', 'reviews.json');
      writeFileSync(reviews, reviewsOn(repo.head));
      const run = await checkJson(['--reviews', reviews], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(run.statement.predicate.decision).toBe('deny');
      expect(rulesOf(run.statement, 'deny')).toEqual(['review.uncovered-surface']);
      const finding = run.statement.predicate.findings.find((f) => f.rule === 'review.uncovered-surface')!;
      expect(finding.subject).toBe('tool_exposure');
      expect(finding.message).toContain('agents/support-triage/tools.yaml');
      expect(run.statement.predicate.evidence.review.surfaces).toEqual([
        expect.objectContaining({ surface: 'prompts', covered_by: ['cr-2026-11-18-001'] }),
        expect.objectContaining({ surface: 'tool_exposure', covered_by: [] })
      ]);

      const text = await cli(['check', '--reviews', reviews], { cwd: repo.dir });
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^⛔ DENY — this change may not merge \(1 blocking/);
      expect(text.stdout).toContain(
        '✖ review.uncovered-surface  Changed surface is not listed in any review record · tool_exposure'
      );
      // --fail-on deny still fails a deny
      expect((await cli(['check', '--reviews', reviews, '--fail-on', 'deny'], { cwd: repo.dir })).code).toBe(1);
    },
    SLOW
  );

  test(
    'eval results below a threshold: denied, at the failing metric',
    async () => {
      const results = 'records/evals/results/support-triage-quality.jsonl';
      const repo = exampleRepo((dir) => {
        const lines = read(dir, results).trimEnd().split('\n');
        const worse = lines.map((line) => {
          const c = JSON.parse(line) as { metrics: Record<string, number | boolean> };
          c.metrics.task_success = Math.round((c.metrics.task_success as number) * 0.85 * 1000) / 1000;
          return JSON.stringify(c);
        });
        write(dir, results, worse.join('\n') + '\n');
      });
      const run = await checkJson(['--reviews', REVIEWS], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(run.statement.predicate.decision).toBe('deny');
      const threshold = run.statement.predicate.findings.filter((f) => f.rule === 'evals.threshold');
      expect(threshold).toHaveLength(1);
      expect(threshold[0]!.message).toMatch(/task_success/);
      expect(threshold[0]!.required).toBe('>= 0.85');
      expect(threshold[0]!.location?.file).toBe('records/evals/support-triage-quality.yaml');
      expect(rulesOf(run.statement, 'deny')).toContain('evals.regression');
    },
    SLOW
  );

  test(
    'approvals: a plain `gh api` review list counts on the head commit; without --reviews every role is a follow-up',
    async () => {
      const repo = exampleRepo();
      const dir = join(repo.dir, '..');
      // everyone but the release manager approved the head commit
      const list = (JSON.parse(reviewsOn(repo.head)) as { user: { login: string } }[]).filter(
        (r) => r.user.login !== 'dana-release'
      );
      writeFileSync(join(dir, 'waiting.json'), JSON.stringify(list));
      let run = await checkJson(['--head', 'feature', '--reviews', join(dir, 'waiting.json')], { cwd: repo.dir });
      expect(run.statement.predicate.decision).toBe('follow_up');
      expect(run.code).toBe(1);
      expect(rulesOf(run.statement)).toEqual(['agbom.model-change-covered', 'approvals.missing']);
      expect(run.statement.predicate.findings.find((f) => f.rule === 'approvals.missing')!.subject).toBe(
        'release-manager'
      );
      // follow-ups pass when only a deny fails
      run = await checkJson(['--head', 'feature', '--reviews', join(dir, 'waiting.json'), '--fail-on', 'deny'], {
        cwd: repo.dir
      });
      expect(run.code).toBe(0);

      // the same reviews given on the base commit are stale: nothing counts
      writeFileSync(join(dir, 'stale.json'), reviewsOn(repo.base));
      run = await checkJson(['--head', 'feature', '--reviews', join(dir, 'stale.json')], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(rulesOf(run.statement, 'follow_up')).toEqual(['approvals.missing']);

      // a reviews file saved for an earlier head (its pull_request.head_sha) cannot vouch for the commit judged
      const earlier = {
        pull_request: { author: 'alex-dev', head_sha: repo.base },
        reviews: JSON.parse(reviewsOn(repo.base))
      };
      writeFileSync(join(dir, 'earlier-head.json'), JSON.stringify(earlier));
      run = await checkJson(['--head', 'feature', '--reviews', join(dir, 'earlier-head.json')], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(rulesOf(run.statement, 'follow_up')).toEqual(['approvals.missing']);
      expect(run.stderr).toContain(
        `is about head ${repo.base.slice(0, 7)}, but the gate judges ${repo.head.slice(0, 7)}: approvals count on the commit judged`
      );

      // directories are no commit: a plain review list names none, so its approvals are pending (not refused)
      run = await checkJson(
        [
          '--base-dir',
          join(EXAMPLE, 'base'),
          '--head-dir',
          join(EXAMPLE, 'head'),
          '--reviews',
          join(dir, 'stale.json')
        ],
        { cwd: repo.dir }
      );
      expect(run.statement.predicate.decision).toBe('follow_up');
      expect(rulesOf(run.statement, 'deny')).toEqual([]);
      expect(run.stderr).toContain('names no pull_request.head_sha and the head is a directory, not a commit');

      // no reviews at all: every required role is unavailable, and the engineering-approval signal awaits it —
      // a person's action, so a follow-up, not a blocker
      run = await checkJson([], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(run.statement.predicate.decision).toBe('follow_up');
      expect(rulesOf(run.statement, 'follow_up')).toEqual(['approvals.unavailable', 'review.missing-signal']);
      expect(run.statement.predicate.findings.filter((f) => f.rule === 'approvals.unavailable')).toHaveLength(7);
    },
    SLOW
  );
});

describe('output formats and files', () => {
  const dirArgs = [
    '--base-dir',
    'examples/support-triage/base',
    '--head-dir',
    'examples/support-triage/head',
    '--reviews',
    'examples/support-triage/reviews.json'
  ];

  test(
    '--format json is the in-toto statement; --output writes its canonical bytes',
    async () => {
      const out = join(tempDir(), 'nested/decision.json');
      const result = await cli(['check', ...dirArgs, '--format', 'json', '--output', out]);
      expect(result.code).toBe(0);
      const statement = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(validate_decision_statement(statement)).toBe(true);
      expect(statement).toMatchObject({
        _type: 'https://in-toto.io/Statement/v1',
        predicateType: 'https://agent-release-gate.dev/schemas/decision/v1.json',
        predicate: { decision: 'allow', outcome: 'evaluated', gate_key: 'support-triage' }
      });
      const file = readFileSync(out, 'utf8');
      expect(JSON.parse(file)).toEqual(statement);
      expect(file.endsWith('}\n')).toBe(true);
      expect(file.trimEnd()).not.toContain('\n'); // canonical: one line
    },
    SLOW
  );

  test(
    '--format sarif validates against SARIF 2.1.0, and --sarif writes the same log',
    async () => {
      const sarifFile = join(tempDir(), 'gate.sarif');
      const repo = exampleRepo((dir) => {
        write(dir, 'agents/support-triage/tools.yaml', read(dir, 'agents/support-triage/tools.yaml') + TOOL_ADDED);
      });
      const result = await cli(['check', '--reviews', REVIEWS, '--format', 'sarif', '--sarif', sarifFile], {
        cwd: repo.dir
      });
      expect(result.code).toBe(1);
      const log = JSON.parse(result.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
      // the official schema is draft-04; sarifValidator() compiles it with ajv's draft-07 after renaming `id` to
      // `$id`, which is exact here: it uses no keyword whose meaning changed (no boolean exclusiveMinimum/Maximum)
      const validate = sarifValidator();
      expect(validate(log)).toBe(true);
      expect(validate.errors ?? []).toEqual([]);
      expect(log.version).toBe('2.1.0');
      expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain('review.uncovered-surface');
      expect(JSON.parse(readFileSync(sarifFile, 'utf8'))).toEqual(log);
    },
    SLOW
  );

  test(
    '--format markdown is the job summary; text carries no colour in a pipe',
    async () => {
      const markdown = await cli(['check', ...dirArgs, '--format', 'markdown']);
      expect(markdown.code).toBe(0);
      expect(markdown.stdout).toMatch(/^### ✅ Agent release gate ` support-triage `: allow/);
      expect(markdown.stdout).toContain('#### Inputs');
      const text = await cli(['check', ...dirArgs]);
      expect(text.stdout).not.toContain('\u001b[');
      const colour = await cli(['check', ...dirArgs], { env: cleanEnv({ FORCE_COLOR: '1' }) });
      expect(colour.stdout).toContain('\u001b[1;32m✅ ALLOW');
    },
    SLOW
  );

  test(
    'on a runner, links point at the repository and the workflow run',
    async () => {
      const env = cleanEnv({
        GITHUB_SERVER_URL: 'https://github.example.com',
        GITHUB_REPOSITORY: 'acme/support-bot',
        GITHUB_RUN_ID: '8812',
        GITHUB_RUN_ATTEMPT: '2'
      });
      const text = await cli(['check', ...dirArgs], { env });
      expect(text.stdout).toContain('run https://github.example.com/acme/support-bot/actions/runs/8812/attempts/2');
      const json = await checkJson(dirArgs, { env });
      expect(json.statement.subject[0]!.name).toBe('https://github.example.com/acme/support-bot');
    },
    SLOW
  );
});

describe('exit 2: records, configuration and arguments', () => {
  test(
    'a malformed record: invalid input, every error located, exit 2',
    async () => {
      const repo = exampleRepo((dir) => {
        const review = 'records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml';
        write(dir, review, read(dir, review).replace('risk_level: high', 'risk_level: hihg'));
      });
      const text = await cli(['check', '--reviews', REVIEWS], { cwd: repo.dir });
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/^⛔ INVALID RECORDS/);
      expect(text.stdout).toContain(
        'records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml:6:1 /risk_level'
      );
      const json = await checkJson(['--reviews', REVIEWS], { cwd: repo.dir });
      expect(json.code).toBe(2);
      expect(json.statement.predicate.outcome).toBe('invalid_input');
      expect(json.statement.predicate.decision).toBe('deny');
    },
    SLOW
  );

  test.each([
    [['check', '--bogus'], /Unknown option '--bogus'/],
    [['check', '--format', 'xml'], /--format must be one of text, markdown, json, sarif \(got "xml"\)/],
    [['check', '--fail-on', 'warning'], /--fail-on must be one of deny, follow_up/],
    [['check', '--base', 'no-such-branch'], /--base "no-such-branch" does not name a commit/],
    [['check', '--base', '--output=x'], /--base/],
    [['check', '--base-dir', 'examples/support-triage/base', '--head', 'HEAD'], /use one or the other/],
    [['check', '--base-dir', 'examples/nowhere'], /--base-dir .*examples\/nowhere: not a directory/],
    [['check', 'main'], /Unexpected argument 'main'/],
    [
      [
        'check',
        '--base-dir',
        'examples/support-triage/base',
        '--head-dir',
        'examples/support-triage/head',
        '--config',
        'gate.yml'
      ],
      /--config gate\.yml: no such file in the working tree .*\/head or the working tree .*\/base$/m
    ],
    [['frobnicate'], /unknown command "frobnicate"/]
  ])(
    '%j → exit 2',
    async (args, message) => {
      const result = await cli(args);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
    },
    SLOW
  );

  test(
    'outside a git repository: exit 2, saying what to do',
    async () => {
      const result = await cli(['check'], { cwd: tempDir() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /is not inside a git repository: run in one, pass --repo DIR, or compare two directories/
      );
    },
    SLOW
  );

  test(
    'a malformed --reviews file is located at file:line:column',
    async () => {
      const dir = tempDir();
      writeFileSync(
        join(dir, 'reviews.json'),
        '[\n  { "id": 1, "user": { "login": "li-eng" }, "state": "APPROVE", "commit_id": null }\n]\n'
      );
      const bad = await cli([
        'check',
        ...['--base-dir', 'examples/support-triage/base', '--head-dir', 'examples/support-triage/head'],
        '--reviews',
        join(dir, 'reviews.json')
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(
        `${join(dir, 'reviews.json')}:2:45 (/0/state): state must be one of APPROVED, CHANGES_REQUESTED`
      );
      writeFileSync(join(dir, 'broken.json'), '{ "reviews": [ }');
      const broken = await cli([
        'check',
        '--head-dir',
        'examples/support-triage/head',
        '--reviews',
        join(dir, 'broken.json')
      ]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/broken\.json:1:16/);
    },
    SLOW
  );
});

describe('exit 3: the gate could not run', () => {
  test(
    'git missing: an internal error, never a pass, and the decision file still says so',
    async () => {
      const repo = exampleRepo();
      const out = join(tempDir(), 'decision.json');
      // node is started by its absolute path; PATH holds no git
      const result = await cli(['check', '--output', out], { cwd: repo.dir, env: cleanEnv({ PATH: tempDir() }) });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        'agent-gate check: internal error: GitError: git rev-parse --show-toplevel failed: git is not installed or not on PATH'
      );
      const statement = JSON.parse(readFileSync(out, 'utf8')) as {
        predicate: { decision: string; outcome: string; failure: string };
      };
      expect(statement.predicate).toMatchObject({ decision: 'deny', outcome: 'internal_error' });
      expect(statement.predicate.failure).toContain('git is not installed');
    },
    SLOW
  );
});
