/** `agent-gate validate`: records and configuration only, every problem located; run as a process. */
import { describe, expect, test } from '@jest/globals';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../main.js';
import { captureIO } from './capture.js';
import { EXAMPLE, SLOW, cleanEnv, cli, exampleRepo, read, tempDir, write } from './helpers.js';

const CHANGE_DIR = 'records/changes/chg-2026-11-18-support-triage-idempotency';

/** The example head with one mistake of each sort a person makes by hand. */
function brokenHead(): string {
  const dir = join(tempDir(), 'head');
  cpSync(join(EXAMPLE, 'head'), dir, { recursive: true });
  // a misspelt enum value
  write(
    dir,
    `${CHANGE_DIR}/review.yaml`,
    read(dir, `${CHANGE_DIR}/review.yaml`).replace('risk_level: high', 'risk_level: hihg')
  );
  // an id YAML reads as a number
  write(
    dir,
    `${CHANGE_DIR}/change.yaml`,
    read(dir, `${CHANGE_DIR}/change.yaml`).replace(
      'change_id: chg-2026-11-18-support-triage-idempotency',
      'change_id: 20261118'
    )
  );
  // a YAML syntax error: an unclosed flow sequence
  write(
    dir,
    `${CHANGE_DIR}/gate.yaml`,
    read(dir, `${CHANGE_DIR}/gate.yaml`).replace('blocking_findings: []', 'blocking_findings: [sec-1')
  );
  // a truncated line in per-case results
  const results = 'records/evals/results/support-triage-quality.jsonl';
  const lines = read(dir, results).split('\n');
  lines[2] = lines[2]!.slice(0, 40);
  write(dir, results, lines.join('\n'));
  // a misspelt rule id in the configuration
  write(dir, '.github/agent-gate.yml', read(dir, '.github/agent-gate.yml') + '\nrules:\n  evals.treshold: warning\n');
  return dir;
}

describe('agent-gate validate', () => {
  test(
    'the example is valid: exit 0',
    async () => {
      const result = await cli(['validate', '--head-dir', 'examples/support-triage/head']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('✓ 12 record(s) in 12 file(s) are valid (configuration: .github/agent-gate.yml)\n');
      expect(result.stderr).toBe('');
    },
    SLOW
  );

  test(
    'in a git repository: the working tree, or a commit with --head',
    async () => {
      const repo = exampleRepo();
      write(repo.dir, `${CHANGE_DIR}/review.yaml`, 'kind: change_review_record\nreview_id: [\n');
      const tree = await cli(['validate'], { cwd: repo.dir });
      expect(tree.code).toBe(2);
      expect(tree.stdout).toMatch(new RegExp(`^${CHANGE_DIR}/review\\.yaml:\\d+:\\d+`, 'm'));
      const committed = await cli(['validate', '--head', 'feature'], { cwd: repo.dir });
      expect(committed.code).toBe(0);
      const base = await cli(['validate', '--head', 'main'], { cwd: join(repo.dir, 'records') });
      expect(base.code).toBe(0);
      expect(base.stdout).toMatch(/^✓ \d+ record\(s\)/);
    },
    SLOW
  );

  test(
    'every problem is reported with file:line:column, the field and the code; exit 2',
    async () => {
      const dir = brokenHead();
      const result = await cli(['validate', '--head-dir', dir]);
      expect(result.code).toBe(2);
      const lines = result.stdout.trimEnd().split('\n');
      const summary = lines.pop()!;
      expect(summary).toBe(
        `✗ ${lines.length} problem(s) in records or configuration (configuration: .github/agent-gate.yml)`
      );
      expect(lines.length).toBeGreaterThanOrEqual(5);
      for (const line of lines) expect(line).toMatch(/^[^\s:]+:\d+:\d+( \(\/[^)]*\))?: .+ \[[a-z0-9.-]+\]$/);

      const text = result.stdout;
      expect(text).toContain(
        `${CHANGE_DIR}/review.yaml:6:1 (/risk_level): risk_level must be one of 'low', 'medium', 'high', 'critical'; got a string ('hihg'); did you mean 'high'?`
      );
      expect(text).toMatch(
        new RegExp(
          `${CHANGE_DIR}/change\\.yaml:3:3 \\(/change/change_id\\): change\\.change_id must be a string; got a number \\(20261118\\)`
        )
      );
      expect(text).toMatch(new RegExp(`^${CHANGE_DIR}/gate\\.yaml:\\d+:\\d+: .*\\[yaml\\.`, 'm'));
      expect(text).toMatch(
        /^records\/evals\/results\/support-triage-quality\.jsonl:3:41 \(\/2\): ends inside a string/m
      );
      expect(text).toMatch(
        /^\.github\/agent-gate\.yml:\d+:\d+ \(\/rules\/evals\.treshold\): rules: 'evals\.treshold' is not a rule of this gate; did you mean 'evals\.threshold'\? \[config\.unknown-rule\]$/m
      );
    },
    SLOW
  );

  test(
    '--format json lists the same problems, each located',
    async () => {
      const dir = brokenHead();
      const [text, json] = await Promise.all([
        cli(['validate', '--head-dir', dir]),
        cli(['validate', '--head-dir', dir, '--format', 'json'])
      ]);
      expect(json.code).toBe(2);
      const result = JSON.parse(json.stdout) as {
        valid: boolean;
        issues: { file: string; line?: number; column?: number; code: string; message: string }[];
        configFile: string;
      };
      expect(result.valid).toBe(false);
      expect(result.configFile).toBe('.github/agent-gate.yml');
      expect(result.issues).toHaveLength(text.stdout.trimEnd().split('\n').length - 1);
      for (const issue of result.issues) {
        expect(issue).toEqual(expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) }));
      }
      expect(result.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['schema.enum', 'config.unknown-rule']));

      const valid = await cli(['validate', '--head-dir', 'examples/support-triage/head', '--format', 'json']);
      expect(valid.code).toBe(0);
      expect(JSON.parse(valid.stdout)).toMatchObject({ valid: true, issues: [], records: 12 });
    },
    SLOW
  );

  test.each([
    [['validate', '--format', 'sarif'], /--format must be one of text, json/],
    [['validate', '--head-dir', 'examples/support-triage/head', '--head', 'HEAD'], /use one or the other/],
    [['validate', '--head', 'no-such-ref'], /--head "no-such-ref" does not name a commit/],
    [['validate', '--strict'], /Unknown option '--strict'/],
    [
      ['validate', '--head-dir', 'examples/support-triage/head', '--config', '.github/gate.yml'],
      /--config \.github\/gate\.yml: no such file/
    ]
  ])(
    '%j → exit 2',
    async (args, message) => {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    },
    SLOW
  );

  test.each([
    [['validate'], /: run in one, pass --repo DIR, or validate a directory with --head-dir DIR\n$/],
    [['check'], /: run in one, pass --repo DIR, or compare two directories with --base-dir DIR --head-dir DIR\n$/],
    // a --repo that is not a repository is not answered with "pass --repo"
    [['validate', '--repo', '.'], /: --repo must name a folder inside a git repository, or validate a directory/],
    [['check', '--repo', '.'], /: --repo must name a folder inside a git repository, or compare two directories/]
  ])(
    'outside a git repository, %j says what to do with the flags that command takes',
    async (argv, message) => {
      const io = captureIO({ cwd: tempDir(), env: cleanEnv() });
      expect(await main(argv, io)).toBe(2);
      expect(io.stderr.text).toMatch(/is not inside a git repository/);
      expect(io.stderr.text).toMatch(message);
      if (argv[0] === 'validate') expect(io.stderr.text).not.toContain('--base-dir');
    },
    SLOW
  );
});
