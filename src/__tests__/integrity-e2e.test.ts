/**
 * Gate integrity end to end (issues 3 and 8): a pull request cannot talk its way past the gate. Each case is a
 * real git repository — the example's base as the main branch, the example's head plus one change to the gate
 * itself as the pull request — read from git objects (GitTreeSource, changedFiles) and judged by runGate. The
 * base branch's configuration judges; the change to the gate is itself a finding that needs the owner role
 * (integrity.owner_role: release-manager, held by dana-release in the example).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectConformingRun } from '../decision/__tests__/conformance.js';
import {
  approvalsOf,
  EXAMPLE_BASE,
  EXAMPLE_HEAD,
  EXAMPLE_HEAD_SHA,
  exampleReviewsJson,
  only,
  ruleIds,
  treeAt,
  type TreeCopy
} from '../gate/__tests__/example-repo.js';
import type { DecisionDocument } from '../model/decision.js';
import { runGate, type GateRun } from '../pipeline.js';
import { changedFiles, GitTreeSource } from '../read/git.js';
import { git } from '../testing/action-harness.js';

const CONFIG = '.github/agent-gate.yml';
const WORKFLOW = '.github/workflows/agent-gate.yml';
const GATE = 'records/changes/chg-2026-11-18-support-triage-idempotency/gate.yaml';
const REVIEW = 'records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml';
const DEPLOYMENT = 'records/deployments/support-triage-prod.yaml';
const RECEIPTS = 'records/receipts/replays.json';

const WORKFLOW_TEXT = `name: agent-release-gate
on:
  pull_request:
permissions:
  contents: read
  pull-requests: write
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: acme/agent-release-gate@0123456789abcdef0123456789abcdef01234567
`;

let root: string;
let work: string;
let base: string;

/** Replaces the working tree (but .git) with a copy of `from`. */
function replaceTree(from: string): void {
  for (const entry of readdirSync(work))
    if (entry !== '.git') rmSync(join(work, entry), { recursive: true, force: true });
  cpSync(from, work, { recursive: true });
}

/** A pull request branch: the example's head plus `change`, committed on top of the base. */
function pullRequest(name: string, change: (head: TreeCopy) => void = () => undefined): string {
  git(work, 'checkout', '-q', '-B', name, base);
  replaceTree(EXAMPLE_HEAD);
  const tree = treeAt(work);
  tree.write(WORKFLOW, WORKFLOW_TEXT);
  change(tree);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', name);
  return git(work, 'rev-parse', 'HEAD');
}

/** The example's reviews, given on `head` (or on the base commit where they were stale); `without` drop out. */
function reviewsOn(head: string, without: string[] = []) {
  const json = exampleReviewsJson();
  json.pull_request.head_sha = head;
  json.reviews = json.reviews
    .filter((r) => !without.includes(r.user.login))
    .map((r) => ({ ...r, commit_id: r.commit_id === EXAMPLE_HEAD_SHA ? head : base }));
  return approvalsOf(json);
}

async function judgePullRequest(
  head: string,
  options: { trustConfigFrom?: 'base' | 'head'; without?: string[] } = {}
): Promise<GateRun> {
  const headSource = new GitTreeSource(work, head, 'head');
  const baseSource = new GitTreeSource(work, base, 'base');
  try {
    return await runGate({
      head: headSource,
      base: baseSource,
      headCommit: head,
      baseCommit: base,
      configPath: CONFIG,
      trustConfigFrom: options.trustConfigFrom ?? 'base',
      changedFiles: await changedFiles(work, base, head),
      approvals: reviewsOn(head, options.without),
      subjectName: 'https://github.test/acme/support-triage'
    });
  } finally {
    headSource.close();
    baseSource.close();
  }
}

function severityOf(d: DecisionDocument, rule: string): string | undefined {
  return d.findings.find((f) => f.rule === rule)?.severity;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'agent-gate-integrity-'));
  work = join(root, 'repo');
  cpSync(EXAMPLE_BASE, work, { recursive: true });
  treeAt(work).write(WORKFLOW, WORKFLOW_TEXT);
  git(work, 'init', '-q');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'base: the support-triage agent and its gate');
  base = git(work, 'rev-parse', 'HEAD');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a pull request that changes nothing of the gate', () => {
  it('is allowed; the decision names both commits and the base configuration', async () => {
    const head = pullRequest('plain');
    const run = await judgePullRequest(head);
    const d = run.decision;
    expect(d.decision).toBe('allow');
    expect(ruleIds(d).filter((r) => r.startsWith('integrity.'))).toEqual([]);
    expect(d.commits).toEqual({ base, head });
    expect(d.config).toMatchObject({ side: 'base', file: CONFIG });
    expect(run.statement.subject).toEqual([
      { name: 'https://github.test/acme/support-triage', digest: { gitCommit: head } }
    ]);
    expectConformingRun(run);
  });
});

describe('a pull request that loosens the configuration is judged by the base configuration', () => {
  let head: string;
  let d: DecisionDocument;
  beforeAll(async () => {
    head = pullRequest('lower-thresholds', (t) => {
      t.edit(CONFIG, 'max_token_drift: 0.01', 'max_token_drift: 0.5');
      t.edit(CONFIG, 'regression_slack: 0.05', 'regression_slack: 0.5');
      t.edit(CONFIG, 'required_roles: [release-manager]', 'required_roles: []');
      // and, under cover of the looser gate, a replay that drifts 2%
      t.editJson<{ runs: { replay: { tokens: { output: number } } }[] }>(RECEIPTS, (r) => {
        r.runs[0]!.replay.tokens.output = 479;
      });
    });
    d = (await judgePullRequest(head, { without: ['dana-release'] })).decision;
  });

  it('the drift is judged against the base limit of 1%, not the proposed 50%', () => {
    expect(d.config.side).toBe('base');
    expect(d.decision).toBe('deny');
    const drift = only(d, 'drift.tokens');
    expect(drift.message).toMatch(/drift 2\.0101%\); required: at most 1%/);
  });

  it('integrity.config-loosened names every loosened setting, base → head', () => {
    const f = only(d, 'integrity.config-loosened');
    expect(f).toMatchObject({ severity: 'follow_up', location: { file: CONFIG, side: 'head' } });
    const loosened = (f.evidence!.loosened as { setting: string; base: unknown; head: unknown }[]).map(
      (l) => `${l.setting}: ${JSON.stringify(l.base)} → ${JSON.stringify(l.head)}`
    );
    expect(loosened).toEqual([
      'approvals.required_roles: ["release-manager"] → []',
      'drift.max_token_drift: 0.01 → 0.5',
      'evals.regression_slack: 0.05 → 0.5'
    ]);
    expect(f.message).toContain("the decision used the base branch's configuration");
  });

  it('integrity.gate-files-changed: the configuration is the gate, and its owner has not approved', () => {
    const f = only(d, 'integrity.gate-files-changed');
    expect(f).toMatchObject({ severity: 'follow_up', subject: 'release-manager', location: { file: CONFIG } });
    expect(f.message).toContain('it needs an approval by `release-manager` (integrity.owner_role)');
    // the owner role is now required of this pull request, whatever the proposed configuration says
    const role = d.evidence.approvals.find((a) => a.role === 'release-manager')!;
    expect(role.satisfied).toBe(false);
    expect(role.required_by).toContain(`integrity: gate files changed (${CONFIG})`);
  });

  it('the proposed configuration is listed among the files read, beside the base one', () => {
    const configs = d.inputs.filter((i) => i.path === CONFIG).map((i) => `${i.side} ${i.kind}`);
    expect(configs).toEqual(['base config', 'head config']);
  });
});

describe('a pull request that turns rules off', () => {
  it('is judged with the rules on, and each rule turned off is named', async () => {
    const head = pullRequest('rules-off', (t) => {
      t.edit(
        CONFIG,
        'integrity:\n',
        'rules:\n  drift.tokens: "off"\n  rollout.exposure-exceeded: warning\n\nintegrity:\n'
      );
      t.editJson<{ runs: { replay: { tokens: { output: number } } }[] }>(RECEIPTS, (r) => {
        r.runs[0]!.replay.tokens.output = 479;
      });
      t.edit(GATE, 'traffic_scope: 5_percent', 'traffic_scope: 10_percent');
    });
    const d = (await judgePullRequest(head)).decision;
    expect(d.decision).toBe('deny');
    expect(severityOf(d, 'drift.tokens')).toBe('deny');
    expect(severityOf(d, 'rollout.exposure-exceeded')).toBe('deny');
    const f = only(d, 'integrity.config-loosened');
    expect(f.message).toContain('rules.drift.tokens default (deny) → off (rule turned off)');
    expect(f.message).toContain(
      'rules.rollout.exposure-exceeded default (deny) → warning (rule downgraded from deny to warning)'
    );
    // the owner (dana-release) approved the head: the gate change no longer holds the pull request, but stays shown
    expect(severityOf(d, 'integrity.config-loosened')).toBe('warning');
    expect(severityOf(d, 'integrity.gate-files-changed')).toBe('warning');
  });
});

describe('a pull request whose configuration could not read its own records', () => {
  it('fails closed: the records the proposed configuration would select are checked, and named', async () => {
    // the exclude pattern broken: merged, it would select the C2PA manifests as records and fail every later PR
    const head = pullRequest('broken-exclude', (t) => {
      t.edit(CONFIG, '- "records/receipts/manifests/**"', '- "- records/receipts/manifests/**"');
    });
    const d = (await judgePullRequest(head)).decision;
    expect(d).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
    // the cause, located in the configuration, then each record error it leads to
    const cause = d.errors.find((e) => e.code === 'config.records-invalid')!;
    expect(cause).toMatchObject({ file: CONFIG, side: 'head', pointer: '/records' });
    expect(cause.line).toBeGreaterThan(0);
    const records = d.errors.filter((e) => e !== cause);
    expect(cause.message).toContain(`${records.length} error(s) in ${records.length} file(s)`);
    expect(records.length).toBeGreaterThan(0);
    expect(
      records.every(
        (e) =>
          e.file.startsWith('records/receipts/manifests/') &&
          e.message.startsWith('under the configuration this change proposes (.github/agent-gate.yml on the head): ')
      )
    ).toBe(true);
  });

  it('a proposed configuration that reads the same records adds no error', async () => {
    const head = pullRequest('same-records', (t) => {
      t.edit(CONFIG, 'max_token_drift: 0.01', 'max_token_drift: 0.005');
    });
    const d = (await judgePullRequest(head)).decision;
    expect(d.outcome).toBe('evaluated');
  });
});

describe('a pull request that removes a required eval', () => {
  it('evals.gate-weakened: the Eval stops gating releases, and the evidence it gave is still required', async () => {
    const head = pullRequest('drop-eval', (t) => {
      t.edit(REVIEW, '  - duplicate-ticket\n', '');
      t.edit(
        'records/evals/duplicate-ticket.yaml',
        'releaseGate: { enabled: true, blocksPromotionTo: prod }',
        'releaseGate: { enabled: false }'
      );
      t.remove('records/evals/results/duplicate-ticket.scores.yaml');
    });
    const d = (await judgePullRequest(head)).decision;
    expect(d.decision).toBe('deny');
    const weakened = only(d, 'evals.gate-weakened');
    expect(weakened).toMatchObject({
      severity: 'follow_up',
      subject: 'duplicate-ticket',
      location: { file: 'records/evals/duplicate-ticket.yaml', side: 'head', line: 4, pointer: '/spec' }
    });
    expect(weakened.message).toMatch(/^duplicate-ticket: this change loosens the eval's gate: .*releaseGate/);
    // the rollout policy on the base still requires the drill's evidence, which is now missing
    expect(ruleIds(d)).toEqual(expect.arrayContaining(['rollout.missing-required', 'rollout.check-not-evidenced']));
    expect(only(d, 'rollout.missing-required').message).toContain(
      'duplicate_ticket_eval_passed (false: eval duplicate-ticket'
    );
  });
});

describe('a pull request that edits standing records or the workflow', () => {
  it.each([
    [
      'the rollout policy (a higher exposure limit, in a pull request of its own)',
      (t: TreeCopy) => t.edit('records/rollout.yaml', 'max_tenant_exposure_pct: 5', 'max_tenant_exposure_pct: 50'),
      'records/rollout.yaml'
    ],
    [
      'the Deployment (no approval and no eval required for prod)',
      (t: TreeCopy) => t.edit(DEPLOYMENT, / {2}promotion:\n[\s\S]*$/, '  promotion: {}\n'),
      DEPLOYMENT
    ],
    [
      'the workflow file (the gate no longer runs on pull requests)',
      (t: TreeCopy) => t.edit(WORKFLOW, '  pull_request:\n', '  workflow_dispatch:\n'),
      WORKFLOW
    ]
  ])('%s: integrity.gate-files-changed holds it for the owner role', async (_what, change, file) => {
    const head = pullRequest(`edit-${file.replace(/\W+/g, '-')}`, change);
    const without = await judgePullRequest(head, { without: ['dana-release'] });
    const d = without.decision;
    const f = only(d, 'integrity.gate-files-changed');
    expect(f).toMatchObject({ severity: 'follow_up', subject: 'release-manager' });
    expect(f.evidence!.files).toEqual([file]);
    expect(d.decision).toBe('follow_up');
    expect(d.evidence.approvals.find((a) => a.role === 'release-manager')!.required_by).toContain(
      `integrity: gate files changed (${file})`
    );

    // once the owner approves the head commit, the change is shown as a warning and no longer holds the merge
    const approved = (await judgePullRequest(head)).decision;
    expect(severityOf(approved, 'integrity.gate-files-changed')).toBe('warning');
    expect(approved.decision).toBe('allow');
    expectConformingRun(without);
  });

  it('cannot raise the exposure limit for its own wave: the base copy of the policy still judges the change', async () => {
    const head = pullRequest('raise-and-use', (t) => {
      t.edit('records/rollout.yaml', 'max_tenant_exposure_pct: 5', 'max_tenant_exposure_pct: 50');
      t.edit(GATE, 'traffic_scope: 5_percent', 'traffic_scope: 10_percent');
    });
    const d = (await judgePullRequest(head)).decision;
    expect(only(d, 'rollout.exposure-exceeded')).toMatchObject({
      severity: 'deny',
      message: expect.stringContaining('max_tenant_exposure_pct of 5% (records/rollout.yaml)')
    });
    expect(d.decision).toBe('deny');
  });
});

describe('trust-config-from: head', () => {
  it('lets the proposed configuration judge, and says so (integrity.config-from-head)', async () => {
    const head = pullRequest('trust-head', (t) => {
      t.edit(CONFIG, 'max_token_drift: 0.01', 'max_token_drift: 0.5');
      t.editJson<{ runs: { replay: { tokens: { output: number } } }[] }>(RECEIPTS, (r) => {
        r.runs[0]!.replay.tokens.output = 479;
      });
    });
    const d = (await judgePullRequest(head, { trustConfigFrom: 'head', without: ['dana-release'] })).decision;
    expect(d.config).toMatchObject({ side: 'head', file: CONFIG });
    expect(ruleIds(d)).not.toContain('drift.tokens');
    expect(only(d, 'integrity.config-from-head')).toMatchObject({
      severity: 'warning',
      location: { file: CONFIG, side: 'head' }
    });
    // the configuration file still changed: its owner must approve
    expect(severityOf(d, 'integrity.gate-files-changed')).toBe('follow_up');
    expect(d.decision).toBe('follow_up');
  });

  it("cannot switch the integrity rules off with the head's own rules: entries", async () => {
    const head = pullRequest('trust-head-rules-off', (t) =>
      t.edit(
        CONFIG,
        /$/,
        '\nrules:\n  integrity.config-from-head: "off"\n  integrity.gate-files-changed: "off"\n' +
          '  integrity.config-loosened: "off"\n  review.missing-signal: "off"\n  approvals.missing: "off"\n'
      )
    );
    const d = (await judgePullRequest(head, { trustConfigFrom: 'head', without: ['dana-release'] })).decision;
    expect(d.config).toMatchObject({ side: 'head', file: CONFIG });
    expect(severityOf(d, 'integrity.gate-files-changed')).toBe('follow_up');
    const fromHead = only(d, 'integrity.config-from-head');
    expect(fromHead.severity).toBe('warning');
    expect(fromHead.message).toContain(
      'Its rules: entries for integrity.* were ignored (the defaults apply): integrity.config-from-head: off, ' +
        'integrity.config-loosened: off, integrity.gate-files-changed: off.'
    );
    expect(fromHead.message).toContain('rules.approvals.missing default (follow_up) → off (rule turned off)');
    expect(fromHead.message).toContain('rules.review.missing-signal');
    expect(d.decision).toBe('follow_up');
  });
});
