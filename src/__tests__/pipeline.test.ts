/**
 * runGate, the one path from files to a decision shared by the action and the CLI: which configuration judges,
 * how record and configuration problems fail closed (invalid_input, every problem located), that base-branch
 * problems never block, that the order a source lists files in never changes the decision file, and that a
 * failure of the gate itself (internalErrorRun, the action's handling of it) is a failing check that says what
 * kind of error it was without echoing anything from the records.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { expectConformingRun } from '../decision/__tests__/conformance.js';
import { InternalError } from '../errors.js';
import {
  copyTree,
  EXAMPLE_BASE,
  EXAMPLE_HEAD,
  judge,
  only,
  ruleIds,
  where,
  type TreeCopy
} from '../gate/__tests__/example-repo.js';
import type { GitHubApi } from '../github/api.js';
import { run as runAction } from '../main.js';
import { checkRecords, internalErrorRun, runGate } from '../pipeline.js';
import { internalErrorMessage } from '../errors.js';
import { WorkingTreeSource } from '../read/fs-source.js';
import { GitError } from '../read/git.js';
import type { FileSource, SourceEntry } from '../read/source.js';
import { workflowDispatchPayload } from '../testing/action-harness.js';

const CONFIG = '.github/agent-gate.yml';
const HEAD_SHA = '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
const BASE_SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

/** A source that lists the same files in another order (the order a file system or git might give). */
class ReorderedSource implements FileSource {
  constructor(
    private readonly inner: FileSource,
    private readonly order: 'reverse' | 'interleave'
  ) {}
  get side() {
    return this.inner.side;
  }
  get description() {
    return this.inner.description;
  }
  async list(): Promise<SourceEntry[]> {
    const entries = await this.inner.list();
    if (this.order === 'reverse') return [...entries].reverse();
    return [...entries.filter((_e, i) => i % 2 === 1), ...entries.filter((_e, i) => i % 2 === 0).reverse()];
  }
  stat(path: string) {
    return this.inner.stat(path);
  }
  read(path: string, maxBytes: number) {
    return this.inner.read(path, maxBytes);
  }
  stream(path: string, maxBytes: number) {
    return this.inner.stream(path, maxBytes);
  }
}

/** A source that breaks the way a bug would: not a SourceError (a file problem) but an unexpected exception. */
class BrokenSource extends ReorderedSource {
  constructor(
    inner: FileSource,
    private readonly error: Error
  ) {
    super(inner, 'reverse');
  }
  override async list(): Promise<SourceEntry[]> {
    throw this.error;
  }
}

const copies: TreeCopy[] = [];
function variant(from: string, change: (tree: TreeCopy) => void): string {
  const copy = copyTree(from);
  copies.push(copy);
  change(copy);
  return copy.dir;
}
afterAll(() => copies.forEach((c) => c.cleanup()));

describe('which configuration judges the change', () => {
  it('the base branch configuration, by default; the head proposing no change to it is not a finding', async () => {
    const run = await judge();
    expect(run.decision.config.side).toBe('base');
    expect(run.config.key).toBe('support-triage');
    expect(ruleIds(run.decision).filter((r) => r.startsWith('integrity.'))).toEqual([]);
  });

  it('trust-config-from head: the head configuration judges, and the decision warns that it did (integrity.config-from-head)', async () => {
    const run = await judge({ trustConfigFrom: 'head' });
    expect(run.decision.config.side).toBe('head');
    const f = only(run.decision, 'integrity.config-from-head');
    expect(f).toMatchObject({ severity: 'warning', location: { file: CONFIG, side: 'head', pointer: '' } });
    expect(run.decision.inputs.find((i) => i.path === CONFIG)).toMatchObject({ side: 'head', kind: 'config' });
    expectConformingRun(run);
  });

  it('a base without a configuration: the built-in defaults judge, not the configuration the head adds', async () => {
    const base = variant(EXAMPLE_BASE, (t) => t.remove(CONFIG));
    const run = await judge({ base });
    const d = run.decision;
    expect(d.config).toEqual({ side: 'default', file: null, sha256: null });
    expect(d.gate_key).toBe('agent-release-gate');
    // the defaults select the records under records/ and leave the C2PA manifests (*.c2pa.json) to the receipts
    expect(d.outcome).toBe('evaluated');
    expect(d.errors).toEqual([]);
    expect(d.inputs.filter((i) => i.path.endsWith('.c2pa.json'))).toEqual([]);
    expect(ruleIds(d)).not.toContain('drift.manifest-missing');
    // the head adding a configuration is a change to the gate itself, judged by the defaults
    const f = only(d, 'integrity.gate-files-changed');
    expect(f.message).toContain(CONFIG);
    expect(f.message).toContain('The decision used the built-in defaults.');
    expectConformingRun(run);
  });

  it('a base without a configuration: manifests the receipts point at are still required', async () => {
    const base = variant(EXAMPLE_BASE, (t) => t.remove(CONFIG));
    const head = variant(EXAMPLE_HEAD, (t) => t.remove('records/receipts/manifests'));
    const d = (await judge({ base, head })).decision;
    expect(d.outcome).toBe('evaluated');
    const f = only(d, 'integrity.gate-files-changed');
    expect(f.message).toContain(CONFIG);
    expect(f.message).toContain('The decision used the built-in defaults.');
    expect(d.inputs.find((i) => i.path === CONFIG)).toMatchObject({ side: 'head', kind: 'config' });
    expect(d.decision).toBe('deny'); // the receipts now point at manifests that are gone
    expect(ruleIds(d)).toContain('drift.manifest-missing');
  });

  it('an invalid head configuration fails closed even though the base one judges: it is what merging would install', async () => {
    const head = variant(EXAMPLE_HEAD, (t) =>
      t.edit(CONFIG, 'regression_slack: 0.05', 'regression_slack: "five percent"')
    );
    const run = await judge({ head });
    const d = run.decision;
    expect(d).toMatchObject({ decision: 'deny', outcome: 'invalid_input', findings: [] });
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ file: CONFIG, side: 'head', line: 51, pointer: '/evals/regression_slack' });
    expect(d.errors[0]!.message).toMatch(/regression_slack/);
    expectConformingRun(run);
  });

  it('an invalid base configuration fails closed too: the gate will not judge with a configuration it cannot read', async () => {
    const base = variant(EXAMPLE_BASE, (t) =>
      t.edit(CONFIG, 'owner_role: release-manager', 'owner_role: [release-manager')
    );
    const run = await judge({ base });
    expect(run.decision).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
    // only the configuration's problem: records are not read with a configuration that cannot be used
    expect(run.decision.errors.map((e) => [e.file, e.side])).toEqual([[CONFIG, 'base']]);
    expect(run.decision.errors[0]!.line).toBeGreaterThan(0);
    expect(run.decision.inputs.map((i) => `${i.side} ${i.path} ${i.kind}`)).toEqual([`head ${CONFIG} config`]);
    expectConformingRun(run);
  });
});

describe('record problems', () => {
  it('a malformed head record: deny with outcome invalid_input, the problem located, nothing judged', async () => {
    const head = variant(EXAMPLE_HEAD, (t) =>
      t.edit(
        'records/changes/chg-2026-11-18-support-triage-idempotency/gate.yaml',
        'decision: go',
        'decision: go-ahead'
      )
    );
    const run = await judge({ head });
    const d = run.decision;
    expect(d).toMatchObject({ decision: 'deny', outcome: 'invalid_input', findings: [] });
    expect(d.counts).toMatchObject({ errors: 1, findings: 0 });
    expect(d.errors[0]).toMatchObject({
      file: 'records/changes/chg-2026-11-18-support-triage-idempotency/gate.yaml',
      side: 'head',
      line: 14,
      pointer: '/decision'
    });
    // the files that were read are still listed with their digests
    expect(d.inputs.filter((i) => i.side === 'head').length).toBeGreaterThan(10);
    expectConformingRun(run);
  });

  it('a malformed base record never blocks: the change is judged, and integrity.base-records-invalid says what was left out', async () => {
    const base = variant(EXAMPLE_BASE, (t) =>
      t.edit(
        'records/evals/results/duplicate-ticket.scores.yaml',
        'single_side_effect: 0.975',
        'single_side_effect: high'
      )
    );
    const run = await judge({ base });
    const d = run.decision;
    expect(d.outcome).toBe('evaluated');
    expect(d.decision).toBe('allow');
    const f = only(d, 'integrity.base-records-invalid');
    expect(f.severity).toBe('warning');
    expect(where(f)).toBe('records/evals/results/duplicate-ticket.scores.yaml');
    expect(f.location?.side).toBe('base');
    // the comparison with the unreadable base is gone: no base value for that eval
    const metric = d.evidence.evals.find((e) => e.eval === 'duplicate-ticket')!.metrics[0]!;
    expect(metric.base).toBeNull();
  });

  it('checkRecords (agent-gate validate) finds nothing wrong with the example', async () => {
    const result = await checkRecords(new WorkingTreeSource(EXAMPLE_HEAD, 'head'), CONFIG);
    expect(result).toMatchObject({ issues: [], records: 12, configFile: CONFIG });
    expect(result.files).toBe(12);
  });
});

describe('the decision file', () => {
  it('is byte-identical whatever order the sources list files in', async () => {
    const reference = await judge();
    for (const order of ['reverse', 'interleave'] as const) {
      const run = await judge({
        head: new ReorderedSource(new WorkingTreeSource(EXAMPLE_HEAD, 'head'), order),
        base: new ReorderedSource(new WorkingTreeSource(EXAMPLE_BASE, 'base'), order)
      });
      expect(run.canonical).toBe(reference.canonical);
    }
  });

  it('names the head commit as the in-toto subject, under the name given, and records both commits', async () => {
    const run = await judge({
      headCommit: HEAD_SHA,
      baseCommit: BASE_SHA,
      subjectName: 'https://github.com/acme/support-triage'
    });
    expect(run.statement.subject).toEqual([
      { name: 'https://github.com/acme/support-triage', digest: { gitCommit: HEAD_SHA } }
    ]);
    expect(run.decision.commits).toEqual({ base: BASE_SHA, head: HEAD_SHA });
    expectConformingRun(run);
  });

  it('reports progress as it reads', async () => {
    const messages: string[] = [];
    await judge({ onProgress: (m) => messages.push(m) });
    expect(messages[0]).toMatch(/^reading configuration \.github\/agent-gate\.yml from working tree /);
    expect(messages.at(-1)).toBe('evaluating');
  });
});

describe('when the gate itself fails', () => {
  const hostile =
    "Cannot read properties of undefined (reading '\n::add-mask::ghp_secret ::error::forged @org/team #1')";

  it('runGate does not turn an unexpected exception into a decision: it rejects, and the caller writes internal_error', async () => {
    const error = new TypeError(hostile);
    await expect(
      runGate({
        head: new BrokenSource(new WorkingTreeSource(EXAMPLE_HEAD, 'head'), error),
        base: null,
        headCommit: null,
        baseCommit: null,
        configPath: CONFIG,
        trustConfigFrom: 'base',
        changedFiles: null,
        approvals: { available: false, author: null, head_sha: null, reviews: [], teams: {} }
      })
    ).rejects.toBe(error);
  });

  it('internalErrorRun: deny, outcome internal_error, the kind of error named and none of its text', () => {
    const run = internalErrorRun(new TypeError(hostile), {
      headCommit: HEAD_SHA,
      baseCommit: BASE_SHA,
      gateKey: 'support-triage',
      subjectName: 'https://github.com/acme/support-triage'
    });
    const d = run.decision;
    expect(d).toMatchObject({
      decision: 'deny',
      outcome: 'internal_error',
      gate_key: 'support-triage',
      commits: { base: BASE_SHA, head: HEAD_SHA },
      findings: [],
      errors: [],
      inputs: []
    });
    expect(d.failure).toBe(
      'TypeError inside the gate; its details are kept out of this message because they may quote the records ' +
        '(re-run with debug logging to see them)'
    );
    expect(run.canonical).not.toMatch(/add-mask|ghp_secret|forged|@org|#1/);
    expect(run.statement.subject[0]!.digest).toEqual({ gitCommit: HEAD_SHA });
    expectConformingRun(run);
  });

  it.each([
    ['a thrown string', 'secret ::stop-commands::x', 'an exception inside the gate'],
    [
      'an error whose name was tampered with',
      Object.assign(new Error('x'), { name: '::error::pwned' }),
      'an exception inside the gate'
    ],
    [
      'a RangeError',
      new RangeError('Maximum call stack size exceeded in records/x.yaml'),
      'RangeError inside the gate'
    ],
    [
      'our own InternalError',
      new InternalError('the evals family returned no evidence'),
      'InternalError: the evals family returned no evidence'
    ],
    [
      'a git failure (the environment, shown so it can be fixed)',
      new GitError(['rev-parse', '--show-toplevel'], null, '', 'git is not installed or not on PATH'),
      'GitError: git rev-parse --show-toplevel failed: git is not installed or not on PATH'
    ]
  ])('internalErrorMessage for %s', (_what, error, expected) => {
    expect(internalErrorMessage(error).startsWith(expected)).toBe(true);
    expect(internalErrorMessage(error)).not.toMatch(/::|secret|records\/x\.yaml/);
  });

  it('a long git error is cut to 500 characters', () => {
    const message = internalErrorMessage(new GitError(['diff'], 128, '', `fatal: ${'x'.repeat(1000)}`));
    expect(message.length).toBe(500);
    expect(message.endsWith('…')).toBe(true);
  });

  describe('the action (src/main.ts)', () => {
    let dir: string;
    let stdout: string;
    const saved = { ...process.env };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'agent-gate-internal-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    afterEach(() => {
      process.env = { ...saved };
      process.exitCode = undefined;
      jest.restoreAllMocks();
    });

    it('fails the check with exit 3 and outcome internal_error, writes the decision file, and echoes nothing from the error', async () => {
      const eventPath = join(dir, 'event.json');
      const outputPath = join(dir, 'output.txt');
      const summaryPath = join(dir, 'summary.md');
      writeFileSync(eventPath, JSON.stringify(workflowDispatchPayload('refs/heads/main')));
      writeFileSync(outputPath, '');
      writeFileSync(summaryPath, '');
      const env: NodeJS.ProcessEnv = {
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_WORKSPACE: dir,
        GITHUB_REPOSITORY: 'acme/support-triage',
        GITHUB_SHA: HEAD_SHA,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SERVER_URL: 'https://github.test',
        GITHUB_API_URL: 'http://127.0.0.1:9',
        GITHUB_RUN_ID: '9100000001'
      };
      // @actions/core writes outputs and the summary to the files the runner names in process.env
      process.env = { ...saved, ...env, GITHUB_OUTPUT: outputPath, GITHUB_STEP_SUMMARY: summaryPath };
      stdout = '';
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        stdout += chunk.toString();
        return true;
      });
      const inputs: Record<string, string> = {
        'github-token': 'ghs_token',
        'decision-file': 'agent-gate-decision.json',
        comment: 'always',
        'fail-on': 'follow_up',
        'trust-config-from': 'base'
      };
      await runAction({
        env,
        getInput: (name) => inputs[name] ?? '',
        createApi: (): GitHubApi => {
          throw new TypeError(hostile);
        }
      });

      expect(process.exitCode).toBe(3);
      const statement = JSON.parse(readFileSync(join(dir, 'agent-gate-decision.json'), 'utf8'));
      expect(statement.predicate).toMatchObject({ decision: 'deny', outcome: 'internal_error' });
      expect(statement.predicate.failure).toMatch(/^TypeError inside the gate/);
      const outputs = readFileSync(outputPath, 'utf8');
      expect(outputs).toMatch(/^decision<<.*\ndeny\n/m);
      expect(outputs).toMatch(/^outcome<<.*\ninternal_error\n/m);
      // the failure is an error annotation and the failed status, without anything the error carried
      expect(stdout).toMatch(/^::error::agent-release-gate failed: TypeError inside the gate/m);
      // only the debug log (hidden unless step debugging is on) carries the stack, as one escaped command
      const shown = stdout.split('\n').filter((l) => !l.startsWith('::debug::') && l !== '::add-mask::ghs_token');
      expect(shown.join('\n')).not.toMatch(/add-mask|ghp_secret|forged|@org\/team/);
      const debug = stdout.split('\n').filter((l) => l.startsWith('::debug::'));
      expect(debug.some((l) => l.includes('%0A::add-mask::'))).toBe(true);
      expect(
        stdout.split('\n').filter((l) => l.startsWith('::') && !/^::(error|debug|warning|add-mask::ghs_token$)/.test(l))
      ).toEqual([]);
      const summary = readFileSync(summaryPath, 'utf8');
      expect(summary).toContain('the gate itself failed');
      expect(summary).toContain('TypeError inside the gate');
      expect(summary).not.toMatch(/add-mask|ghp_secret|forged/);
    });
  });
});
