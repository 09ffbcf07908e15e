/**
 * evaluate() on the example repository, read through the real loader and pipeline (runGate with two
 * working trees and the example's reviews.json, as `agent-gate check --base-dir … --head-dir … --reviews …`
 * runs it), then on variants of its head that each change one thing — the README's "what the gate catches".
 * Each case is named after the rule it demonstrates: these tests are the catalogue behind docs/rules.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DecisionDocument } from '../../model/decision.js';
import type { Severity } from '../../model/finding.js';
import { canonicalJson } from '../../decision/canonical.js';
import type { ApprovalInput } from '../../model/input.js';
import type { RecordIssue } from '../../model/issue.js';
import { config, gateInput, rec } from '../../testing/records.js';
import { evaluate } from '../evaluate.js';
import { expectConformingRun } from '../../decision/__tests__/conformance.js';
import type { GateRun } from '../../pipeline.js';
import {
  approvalsOf,
  copyTree,
  EXAMPLE_BASE,
  EXAMPLE_HEAD,
  EXAMPLE_HEAD_SHA,
  exampleReviewsJson,
  judge,
  only,
  ruleIds,
  where,
  type ReviewsJson,
  type TreeCopy
} from './example-repo.js';

const CHANGE_DIR = 'records/changes/chg-2026-11-18-support-triage-idempotency';
const REVIEW = `${CHANGE_DIR}/review.yaml`;
const CHANGE = `${CHANGE_DIR}/change.yaml`;
const GATE = `${CHANGE_DIR}/gate.yaml`;
const AGBOM = 'records/agbom/support-triage.cdx.json';
const RECEIPTS = 'records/receipts/replays.json';
const QUALITY_RESULTS = 'records/evals/results/support-triage-quality.jsonl';
const DUPLICATE_SCORES = 'records/evals/results/duplicate-ticket.scores.yaml';
/** The one note on the example: its model changed, and the required evals that cover it pass. */
const MODEL_NOTE = 'agbom.model-change-covered';

function severities(decision: DecisionDocument): Record<string, Severity> {
  return Object.fromEntries(decision.findings.map((f) => [f.rule, f.severity]));
}

describe('the example repository (examples/support-triage)', () => {
  let run: GateRun;
  beforeAll(async () => {
    run = await judge();
  });

  it('is allowed, with exactly one finding: agbom.model-change-covered (a note, not a blocker)', () => {
    const d = run.decision;
    expect(d).toMatchObject({ decision: 'allow', outcome: 'evaluated', failure: null, gate_key: 'support-triage' });
    expect(d.errors).toEqual([]);
    expect(d.counts).toEqual({ findings: 1, deny: 0, follow_up: 0, warning: 1, errors: 0 });
    const note = only(d, MODEL_NOTE);
    expect(note).toMatchObject({
      family: 'agbom',
      severity: 'warning',
      subject: 'model:support-triage-llm',
      location: { file: AGBOM, side: 'head', line: 19, pointer: '/components/0/version' }
    });
    expect(note.message).toBe(
      'Model "claude-sonnet-4-5" changed version 2025-05-14 → 2025-09-29; covered by passing required eval ' +
        'duplicate-ticket, support-triage-quality.'
    );
    expectConformingRun(run);
  });

  it('judges with the base configuration and lists every file it read, by side, with its digest and kind', () => {
    const d = run.decision;
    expect(d.config).toMatchObject({ side: 'base', file: '.github/agent-gate.yml' });
    expect(d.config.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.commits).toEqual({ base: null, head: null });
    const config = d.inputs.find((i) => i.side === 'base' && i.path === '.github/agent-gate.yml');
    expect(config).toMatchObject({ kind: 'config', sha256: d.config.sha256 });
    const head = d.inputs.filter((i) => i.side === 'head');
    expect(head.map((i) => `${i.kind} ${i.path}`)).toEqual([
      `agbom ${AGBOM}`,
      `rollout_assessment ${CHANGE_DIR}/assessment.yaml`,
      `change ${CHANGE}`,
      `rollout_gate_record ${GATE}`,
      `change_review_record ${REVIEW}`,
      'deployment records/deployments/support-triage-prod.yaml',
      'eval records/evals/duplicate-ticket.yaml',
      `eval_scores ${DUPLICATE_SCORES}`,
      `eval_cases ${QUALITY_RESULTS}`,
      'eval records/evals/support-triage-quality.yaml',
      `replay_receipts ${RECEIPTS}`,
      'rollout_policy records/rollout.yaml'
    ]);
    const text = readFileSync(join(EXAMPLE_HEAD, REVIEW));
    expect(head.find((i) => i.path === REVIEW)).toMatchObject({ bytes: text.length });
    // sorted by side, then path; no file twice
    const keys = d.inputs.map((i) => `${i.side} ${i.path}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('shows the evidence every family compared', () => {
    const e = run.decision.evidence;
    expect(e.review.surfaces).toEqual([
      { surface: 'model_routing', files: ['agents/support-triage/routing.yaml'], covered_by: ['cr-2026-11-18-001'] },
      { surface: 'prompts', files: ['agents/support-triage/prompts/system.md'], covered_by: ['cr-2026-11-18-001'] }
    ]);
    expect(e.chain).toEqual([
      {
        change_id: 'chg-2026-11-18-support-triage-idempotency',
        review_id: 'cr-2026-11-18-001',
        bundle_id: 'bundle-2026-11-18-a',
        rollout_wave: 'canary',
        gate_id: 'gate-2026-11-18-001',
        decision: 'go'
      }
    ]);
    expect(e.rollout).toMatchObject({ missing_required: [], blocking_signals: [] });
    expect(e.rollout!.required_checks.every((c) => c.evidenced)).toBe(true);
    expect(e.evals.map((x) => [x.eval, x.required, x.verdict])).toEqual([
      ['duplicate-ticket', true, 'pass'],
      ['support-triage-quality', true, 'pass']
    ]);
    expect(e.drift.map((r) => [r.run_id, r.pass])).toEqual([
      ['run-2026-11-18-0001', true],
      ['run-2026-11-18-0002', true],
      ['run-2026-11-18-0003', true]
    ]);
    expect(e.approvals.map((a) => [a.role, a.approved_by])).toEqual([
      ['engineering', ['li-eng']],
      ['platform-owner', ['sam-runtime']],
      ['release-manager', ['dana-release']],
      ['runtime_owner', ['sam-runtime']],
      ['safety', ['priya-safety']],
      ['safety_owner', ['priya-safety']],
      ['security-reviewer', ['priya-safety']]
    ]);
    expect(e.agbom?.counts).toMatchObject({ added: 0, removed: 0, changed: 3, unchanged: 7 });
    const statuses = Object.fromEntries(Object.entries(run.decision.families).map(([f, s]) => [f, s.status]));
    expect(statuses).toEqual({
      review: 'pass',
      rollout: 'pass',
      evals: 'pass',
      drift: 'pass',
      agbom: 'pass',
      approvals: 'pass',
      integrity: 'pass'
    });
  });

  it('gives byte-identical decision files for the same files', async () => {
    const again = await judge();
    expect(again.canonical).toBe(run.canonical);
    expect(again.digest).toBe(run.digest);
  });
});

interface Scenario {
  /** what the variant changes, in the README's words */
  what: string;
  /** the rule the scenario demonstrates */
  rule: string;
  change?: (head: TreeCopy) => void;
  reviews?: (json: ReviewsJson) => void;
  decision: DecisionDocument['decision'];
  /** every rule id among the findings */
  rules: string[];
  /** file:line of the demonstrated finding */
  at: string;
  /** its JSON pointer; undefined when the finding is about a changed file rather than a record field */
  pointer: string | undefined;
  message: RegExp;
}

const SCENARIOS: Scenario[] = [
  {
    rule: 'review.uncovered-surface',
    what: 'a change disguised as small tuning: the review lists only prompts while tools.yaml changed',
    change: (head) => {
      head.edit(REVIEW, '  - model_routing\n', '');
      head.write(
        'agents/support-triage/routing.yaml',
        readFileSync(join(EXAMPLE_BASE, 'agents/support-triage/routing.yaml'), 'utf8')
      );
      head.edit(
        'agents/support-triage/tools.yaml',
        '  - name: search_kb\n',
        '  - name: merge_tickets\n    server: tracker-mcp\n    side_effect: destructive\n  - name: search_kb\n'
      );
    },
    decision: 'deny',
    rules: [MODEL_NOTE, 'review.uncovered-surface'],
    at: `${REVIEW}:7`,
    pointer: '/affected_surfaces',
    message:
      /^agents\/support-triage\/tools\.yaml changes the `tool_exposure` surface, but no change_review_record of this change lists `tool_exposure` in affected_surfaces \(cr-2026-11-18-001 lists prompts\)\.$/
  },
  {
    rule: 'review.uncovered-surface',
    what: "the agent's manifest pointed at another prompt file, outside the prompts surface, in a change reviewed as prompts and routing",
    change: (head) => {
      head.write('agents/support-triage/system-v2.md', 'You are a triage agent. Close every ticket.\n');
      head.edit('agents/support-triage/agent.yaml', 'system: prompts/system.md', 'system: system-v2.md');
    },
    decision: 'deny',
    rules: [MODEL_NOTE, 'review.uncovered-surface'],
    at: `${REVIEW}:7`,
    pointer: '/affected_surfaces',
    message:
      /^agents\/support-triage\/agent\.yaml changes the `agent_manifest` surface, but no change_review_record of this change lists `agent_manifest` in affected_surfaces/
  },
  {
    rule: 'review.high-risk-unreviewed',
    what: 'a high-risk change without a review record',
    change: (head) => head.remove(REVIEW),
    decision: 'deny',
    rules: [MODEL_NOTE, 'review.high-risk-unreviewed', 'review.missing-record', 'rollout.untraceable'],
    at: `${CHANGE}:5`,
    pointer: '/change/risk_level',
    message: /declares risk_level high but has no change_review_record/
  },
  {
    rule: 'review.missing-record',
    what: 'agent surfaces changed and no review record at all',
    change: (head) => head.remove(REVIEW),
    decision: 'deny',
    rules: [MODEL_NOTE, 'review.high-risk-unreviewed', 'review.missing-record', 'rollout.untraceable'],
    at: 'agents/support-triage/prompts/system.md',
    pointer: undefined,
    message:
      /touches `model_routing`, `prompts` \(agents\/support-triage\/prompts\/system\.md, agents\/support-triage\/routing\.yaml\) but adds or updates no change_review_record/
  },
  {
    rule: 'rollout.untraceable',
    what: 'a rollout gate whose change_id resolves to no review record',
    change: (head) => head.remove(REVIEW),
    decision: 'deny',
    rules: [MODEL_NOTE, 'review.high-risk-unreviewed', 'review.missing-record', 'rollout.untraceable'],
    at: `${GATE}:3`,
    pointer: '/change_id',
    message: /the change_id → bundle_id → rollout_wave chain is broken/
  },
  {
    rule: 'evals.threshold',
    what: 'an eval below its threshold',
    change: (head) => head.edit(DUPLICATE_SCORES, 'single_side_effect: 1.0', 'single_side_effect: 0.97'),
    decision: 'deny',
    // the failing eval also leaves the signals derived from it unevidenced
    rules: [
      MODEL_NOTE,
      'evals.threshold',
      'review.missing-signal',
      'rollout.check-not-evidenced',
      'rollout.missing-required'
    ],
    at: 'records/evals/duplicate-ticket.yaml:14',
    pointer: '/spec/thresholds/single_side_effect',
    message:
      /^duplicate-ticket: single_side_effect is 0\.97 \(as reported in records\/evals\/results\/duplicate-ticket\.scores\.yaml, 120 cases\), required >= 0\.98/
  },
  {
    rule: 'evals.regression',
    what: 'a regression beyond the slack, still within the threshold',
    change: (head) => head.edit(QUALITY_RESULTS, /"cost_usd":[0-9.]+/g, '"cost_usd":0.25'),
    decision: 'deny',
    rules: [MODEL_NOTE, 'evals.regression', 'review.missing-signal', 'rollout.missing-required'],
    at: `${QUALITY_RESULTS}:1`,
    pointer: '',
    message:
      /^support-triage-quality: cost_per_case rose from 0\.1897 on base to 0\.25 on head, 31\.8% worse, beyond the 5% regression slack; the drop is beyond noise/
  },
  {
    rule: 'evals.missing-results',
    what: 'a required eval without results',
    change: (head) => head.remove(DUPLICATE_SCORES),
    decision: 'deny',
    rules: [
      MODEL_NOTE,
      'evals.missing-results',
      'review.missing-signal',
      'rollout.check-not-evidenced',
      'rollout.missing-required'
    ],
    at: 'records/evals/duplicate-ticket.yaml:3',
    pointer: '/metadata/name',
    message:
      /^Eval duplicate-ticket is required by change_review_record cr-2026-11-18-001 .* but has no results on head/
  },
  {
    rule: 'drift.tokens',
    what: 'replay token drift of 2%',
    change: (head) =>
      head.editJson<{ runs: { replay: { tokens: { output: number } } }[] }>(RECEIPTS, (r) => {
        r.runs[0]!.replay.tokens.output = 479; // 3175 + 479 = 3654 tokens against 3582 live
      }),
    decision: 'deny',
    rules: [MODEL_NOTE, 'drift.tokens'],
    at: `${RECEIPTS}:66`,
    pointer: '/runs/0/replay/tokens',
    message:
      /^Run run-2026-11-18-0001: the replay used 3654 tokens against 3582 live \(drift 2\.0101%\); required: at most 1%\.$/
  },
  {
    rule: 'drift.missing-capability-token',
    what: 'a replay step without a capability token',
    change: (head) =>
      head.editJson<{ runs: { replay: { steps: Record<string, unknown>[] } }[] }>(RECEIPTS, (r) => {
        delete r.runs[1]!.replay.steps[1]!.capability_token;
      }),
    decision: 'deny',
    rules: [MODEL_NOTE, 'drift.missing-capability-token'],
    at: `${RECEIPTS}:201`,
    pointer: '/runs/1/replay/steps/1/capability_token',
    message: /^Run run-2026-11-18-0002: .*capability_token.*: s2 \(replay\)/
  },
  {
    rule: 'drift.manifest-mismatch',
    what: 'a tampered C2PA manifest',
    change: (head) =>
      head.edit('records/receipts/manifests/run-2026-11-18-0002-replay-s2.c2pa.json', 'c2pa.created', 'c2pa.edited'),
    decision: 'deny',
    rules: [MODEL_NOTE, 'drift.manifest-mismatch'],
    at: `${RECEIPTS}:208`,
    pointer: '/runs/1/replay/steps/1/c2pa_manifest/sha256',
    message: /^Run run-2026-11-18-0002: .*sha256 does not match the file.*: s2 \(replay\)/
  },
  {
    rule: 'drift.verdict-mismatch',
    what: 'a policy verdict that differs between live and replay',
    change: (head) =>
      head.editJson<{ runs: { replay: { steps: { policy_verdict: string }[] } }[] }>(RECEIPTS, (r) => {
        r.runs[2]!.replay.steps[2]!.policy_verdict = 'allow';
      }),
    decision: 'deny',
    rules: [MODEL_NOTE, 'drift.verdict-mismatch'],
    at: `${RECEIPTS}:333`,
    pointer: '/runs/2/replay/steps/2/policy_verdict',
    message:
      /^Run run-2026-11-18-0003: policy verdicts differ between live and replay on 1 step \(s3: require_approval → allow\)/
  },
  {
    rule: 'agbom.mcp-unpinned',
    what: 'an unpinned MCP server added',
    change: (head) =>
      head.editJson<{ services: unknown[] }>(AGBOM, (bom) => {
        bom.services.push({
          'bom-ref': 'mcp:billing',
          name: 'billing-mcp',
          version: 'latest',
          endpoints: ['https://mcp.acme.example/billing'],
          properties: [
            { name: 'agentgate:kind', value: 'mcp_server' },
            { name: 'agentgate:side_effect', value: 'read' }
          ]
        });
      }),
    decision: 'deny',
    rules: [MODEL_NOTE, 'agbom.mcp-unpinned'],
    at: `${AGBOM}:232`,
    pointer: '/services/2/version',
    message:
      /^MCP server "billing-mcp" was added with a floating tag \("latest"\), no digest; required: an exact version and a SHA-256\/384\/512 digest\.$/
  },
  {
    rule: 'agbom.secret',
    what: 'a secret in the AgBOM',
    change: (head) =>
      head.editJson<{ services: { properties: unknown[] }[] }>(AGBOM, (bom) => {
        bom.services[0]!.properties.push({ name: 'mcp:auth', value: `token ghp_${'a1B2c3D4e5'.repeat(4)}` });
      }),
    decision: 'deny',
    // adding a property changes the component, and a changed MCP server must declare its side effect
    rules: [MODEL_NOTE, 'agbom.secret', 'agbom.undeclared-side-effect'],
    at: `${AGBOM}:202`,
    pointer: '/services/0/properties/4/value',
    message: /holds what looks like a GitHub token \(masked: token ghp_…[^)]*\); required: no secrets in the AgBOM\.$/
  },
  {
    rule: 'rollout.blocking-findings',
    what: 'a rollout gate with blocking findings',
    change: (head) =>
      head.edit(
        GATE,
        'blocking_findings: []',
        'blocking_findings:\n  - id: bf-17\n    summary: duplicate tickets on create_ticket retry\n    owner: runtime_owner'
      ),
    decision: 'deny',
    rules: [MODEL_NOTE, 'rollout.blocking-findings'],
    at: `${GATE}:13`,
    pointer: '/blocking_findings',
    message:
      /^rollout_gate_record gate-2026-11-18-001 lists 1 blocking finding: bf-17: duplicate tickets on create_ticket retry \(owner runtime_owner\)\.$/
  },
  {
    rule: 'rollout.not-go',
    what: 'a rollout gate decision of hold',
    change: (head) => head.edit(GATE, 'decision: go', 'decision: hold'),
    decision: 'deny',
    rules: [MODEL_NOTE, 'rollout.not-go'],
    at: `${GATE}:14`,
    pointer: '/decision',
    message: /decided hold for wave canary; only go lets the change roll out/
  },
  {
    rule: 'rollout.exposure-exceeded',
    what: 'a rollout gate with 10% of traffic against a 5% policy',
    change: (head) => head.edit(GATE, 'traffic_scope: 5_percent', 'traffic_scope: 10_percent'),
    decision: 'deny',
    rules: [MODEL_NOTE, 'rollout.exposure-exceeded'],
    at: `${GATE}:6`,
    pointer: '/traffic_scope',
    message:
      /exposes 10_percent \(10%\) of traffic in wave canary, above the rollout policy's max_tenant_exposure_pct of 5% \(records\/rollout\.yaml\)/
  },
  {
    rule: 'approvals.missing',
    what: 'a missing approval: the release manager has not reviewed',
    reviews: (json) => {
      json.reviews = json.reviews.filter((r) => r.user.login !== 'dana-release');
    },
    decision: 'follow_up',
    rules: [MODEL_NOTE, 'approvals.missing'],
    at: 'records/deployments/support-triage-prod.yaml:9',
    pointer: '/spec/promotion/requiresApproval',
    message:
      /^Role `release-manager` has no approval on the head commit 4f3c2a1; required by Deployment support-triage-prod promotion\.requiresApproval; configuration approvals\.required_roles\. Can approve: @dana-release\.$/
  }
];

describe('what the gate catches: the example with one thing changed', () => {
  const copies: TreeCopy[] = [];
  afterAll(() => copies.forEach((c) => c.cleanup()));

  async function judgeVariant(s: Pick<Scenario, 'change' | 'reviews'>): Promise<GateRun> {
    let head: string | undefined;
    if (s.change) {
      const copy = copyTree(EXAMPLE_HEAD);
      copies.push(copy);
      s.change(copy);
      head = copy.dir;
    }
    const reviews = exampleReviewsJson();
    s.reviews?.(reviews);
    return judge({ ...(head ? { head } : {}), approvals: approvalsOf(reviews) });
  }

  it.each(SCENARIOS.map((s) => [`${s.rule}: ${s.what}`, s] as const))('%s', async (_name, s) => {
    const run = await judgeVariant(s);
    const d = run.decision;
    expect(d.outcome).toBe('evaluated');
    expect(ruleIds(d)).toEqual([...s.rules].sort());
    expect(d.decision).toBe(s.decision);
    const f = d.findings.find((x) => x.rule === s.rule)!;
    expect(where(f)).toBe(s.at);
    expect(f.location?.pointer).toBe(s.pointer);
    if (s.pointer !== undefined) expect(f.location?.side).toBe('head');
    expect(f.message).toMatch(s.message);
    expect(f.fix.length).toBeGreaterThan(0);
    expectConformingRun(run);
  });

  it('review.missing-signal: a failing eval leaves the signal derived from it false, located on the change record', async () => {
    const d = (await judgeVariant(SCENARIOS.find((s) => s.rule === 'evals.threshold')!)).decision;
    const f = only(d, 'review.missing-signal');
    expect(where(f)).toBe(`${CHANGE}:16`);
    expect(f.location?.pointer).toBe('/change/required_signals/2');
    expect(f.message).toBe(
      'Change chg-2026-11-18-support-triage-idempotency is not ready: 1 of 5 required signals are not evidenced ' +
        'true: duplicate_ticket_eval_passed (false: eval duplicate-ticket: fail).'
    );
    expect(where(only(d, 'rollout.check-not-evidenced'))).toBe(`${GATE}:12`);
    const missing = only(d, 'rollout.missing-required');
    expect(where(missing)).toBe('records/rollout.yaml:8');
    expect(missing.evidence?.missing_required).toEqual(['duplicate_ticket_eval_passed']);
    expect(d.evidence.rollout).toMatchObject({
      missing_required: ['duplicate_ticket_eval_passed'],
      blocking_signals: []
    });
  });

  it('approvals.missing: status: approved in the review record is not evidence — the safety reviewer has not approved', async () => {
    const d = (
      await judgeVariant({
        reviews: (json) => {
          json.reviews = json.reviews.filter((r) => r.user.login !== 'priya-safety');
        }
      })
    ).decision;
    expect(d.decision).toBe('follow_up');
    expect(ruleIds(d)).toEqual(['agbom.model-change-covered', 'approvals.missing']);
    const missing = d.findings.filter((f) => f.rule === 'approvals.missing');
    // each role where its first requirement is written (findings sort by file, then line)
    expect(missing.map((f) => [f.subject, where(f), f.location?.pointer])).toEqual([
      ['security-reviewer', `${CHANGE}:21`, '/change/approval_roles/1'],
      ['safety_owner', `${GATE}:19`, '/decided_by/1'],
      ['safety', `${REVIEW}:12`, '/required_reviews/1']
    ]);
    expect(missing.every((f) => f.severity === 'follow_up')).toBe(true);
    expect(missing[2]!.message).toBe(
      'Role `safety` has no approval on the head commit 4f3c2a1; required by change_review_record cr-2026-11-18-001 ' +
        'required_reviews. Can approve: @priya-safety.'
    );
  });

  it('approvals.missing: an approval given on an earlier commit does not count, and the signal derived from it is false', async () => {
    const d = (
      await judgeVariant({
        reviews: (json) => {
          for (const r of json.reviews)
            if (r.user.login === 'li-eng') r.commit_id = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
        }
      })
    ).decision;
    expect(d.decision).toBe('deny');
    expect(ruleIds(d)).toEqual(['agbom.model-change-covered', 'approvals.missing', 'review.missing-signal']);
    const missing = only(d, 'approvals.missing');
    expect(missing).toMatchObject({ subject: 'engineering', severity: 'follow_up' });
    expect(missing.message).toBe(
      'Role `engineering` has no approval on the head commit 4f3c2a1; required by change_review_record ' +
        'cr-2026-11-18-001 required_reviews. Can approve: @li-eng, @omar-eng. @li-eng approved 0a1b2c3: an approval ' +
        'of an earlier commit does not count (approvals.accept_stale is false).'
    );
    expect(only(d, 'review.missing-signal').message).toMatch(
      /design_review_passed \(false: approval engineering: not approved\)/
    );
  });

  it('approvals.changes-requested: a role holder who requested changes after approving holds the change', async () => {
    const d = (
      await judgeVariant({
        reviews: (json) => {
          json.reviews.push({
            id: 2810007,
            user: { login: 'priya-safety' },
            state: 'CHANGES_REQUESTED',
            commit_id: EXAMPLE_HEAD_SHA,
            submitted_at: '2026-11-18T18:00:00Z'
          });
        }
      })
    ).decision;
    expect(d.decision).toBe('follow_up');
    // the objection stands for every role priya holds, and none of them has an approval left
    expect(ruleIds(d)).toEqual(['agbom.model-change-covered', 'approvals.changes-requested', 'approvals.missing']);
    expect(severities(d)['approvals.changes-requested']).toBe('follow_up');
    const objections = d.findings.filter((f) => f.rule === 'approvals.changes-requested');
    expect(objections.map((f) => f.subject).sort()).toEqual(['safety', 'safety_owner', 'security-reviewer']);
    expect(objections.find((f) => f.subject === 'safety')).toMatchObject({
      location: { file: REVIEW, line: 12, pointer: '/required_reviews/1' },
      message:
        '@priya-safety (on 4f3c2a1) holds role `safety` and requested changes; the request stands until the ' +
        'reviewer approves or the review is dismissed.'
    });
  });

  it('approvals.unavailable: without a pull request no role can be shown to have approved, and a signal derived from an approval awaits it', async () => {
    const none: ApprovalInput = {
      available: false,
      unavailable_reason: 'a local check has no pull request',
      author: null,
      head_sha: null,
      reviews: [],
      teams: {}
    };
    const d = (await judge({ approvals: none })).decision;
    // every open item needs a person (an approval on the pull request), none is a blocker by itself
    expect(d.decision).toBe('follow_up');
    expect(ruleIds(d)).toEqual(['agbom.model-change-covered', 'approvals.unavailable', 'review.missing-signal']);
    const unavailable = d.findings.filter((f) => f.rule === 'approvals.unavailable');
    expect(unavailable.map((f) => f.subject).sort()).toEqual([
      'engineering',
      'platform-owner',
      'release-manager',
      'runtime_owner',
      'safety',
      'safety_owner',
      'security-reviewer'
    ]);
    expect(unavailable.every((f) => f.severity === 'follow_up')).toBe(true);
    expect(unavailable.find((f) => f.subject === 'release-manager')!.message).toBe(
      'Role `release-manager` (required by Deployment support-triage-prod promotion.requiresApproval; configuration ' +
        'approvals.required_roles) cannot be shown to have approved: approvals are unavailable (a local check has no ' +
        'pull request). It can be approved by @dana-release.'
    );
    // design_review_passed is derived from the engineering role's approval: unreadable approvals are no evidence
    // yet, and what is missing is a person's action, so the finding is a follow-up
    const signal = only(d, 'review.missing-signal');
    expect(where(signal)).toBe(`${CHANGE}:14`);
    expect(signal.severity).toBe('follow_up');
    expect(signal.message).toMatch(
      /design_review_passed \(unknown: approval engineering: not readable \(a local check has no pull request\)\)/
    );
  });

  it('review.changes-unknown: without a base the changed files are unknown, and the gate says what it could not check', async () => {
    const d = (await judge({ base: null })).decision;
    expect(d.decision).toBe('allow');
    expect(d.config.side).toBe('head');
    expect(severities(d)).toMatchObject({
      'review.changes-unknown': 'warning',
      'integrity.config-from-head': 'warning'
    });
    expect(only(d, 'integrity.config-from-head').location).toMatchObject({
      file: '.github/agent-gate.yml',
      side: 'head'
    });
    // every AgBOM component is new without a base to compare with
    expect(d.evidence.agbom?.counts).toMatchObject({ base: 0, added: 10 });
    expect(d.evidence.review.surfaces).toEqual([]);
  });
});

describe('cases the property tests found (kept as regressions)', () => {
  const HEAD = 'f'.repeat(40);
  const approvalsBy = (...users: string[]): ApprovalInput => ({
    available: true,
    author: 'alex-dev',
    head_sha: HEAD,
    reviews: users.map((user, i) => ({ id: i + 1, user, state: 'APPROVED', commit_id: HEAD, submitted_at: null })),
    teams: {}
  });
  const assessment = rec(
    'rollout_assessment',
    { kind: 'rollout_assessment', change_id: 'chg-1', signals: { design_review_passed: false } },
    'records/changes/chg-1/assessment.yaml'
  );
  const derivedFromApproval = config({
    roles: { engineering: { users: ['li-eng'], teams: [] } },
    signals: { design_review_passed: { approval: 'engineering' } }
  });

  it('rollout.signal-conflict: an approval that contradicts a stale assertion about a signal nothing uses does not deny', () => {
    const input = (approvals: ApprovalInput) =>
      gateInput({
        head: [assessment],
        config: derivedFromApproval,
        changed_files: [{ path: assessment.source.path, status: 'added' }],
        approvals
      });
    const approved = evaluate(input(approvalsBy('li-eng')));
    const notApproved = evaluate(input(approvalsBy()));
    expect(approved.decision).toBe('allow');
    expect(notApproved.decision).toBe('allow');
    // the contradiction is still visible in the signals evidence
    expect(approved.evidence.signals).toEqual([
      {
        name: 'design_review_passed',
        value: false,
        source:
          'asserted in records/changes/chg-1/assessment.yaml; contradicted: approval engineering: approved by @li-eng says true'
      }
    ]);
  });

  it('rollout.signal-conflict: a contradiction about a required check denies, and removing the approval does not improve the decision', () => {
    const gate = rec(
      'rollout_gate_record',
      {
        kind: 'rollout_gate_record',
        gate_id: 'gate-1',
        change_id: 'chg-1',
        bundle_id: 'bundle-a',
        rollout_wave: 'canary',
        traffic_scope: 'internal_only',
        required_checks: ['design_review_passed'],
        blocking_findings: [],
        decision: 'go',
        decided_by: ['engineering']
      },
      'records/changes/chg-1/gate.yaml'
    );
    const input = (approvals: ApprovalInput) =>
      gateInput({
        head: [assessment, gate],
        config: derivedFromApproval,
        changed_files: [assessment, gate].map((r) => ({ path: r.source.path, status: 'added' as const })),
        approvals
      });
    const approved = evaluate(input(approvalsBy('li-eng')));
    expect(approved.decision).toBe('deny');
    expect(only(approved, 'rollout.signal-conflict')).toMatchObject({
      subject: 'design_review_passed',
      location: { file: assessment.source.path, pointer: '/signals/design_review_passed' }
    });
    expect(evaluate(input(approvalsBy())).decision).toBe('deny');
  });

  it('integrity.base-records-invalid: quotes the base problems in one order, whatever order they arrive in', () => {
    const issues: RecordIssue[] = [3, 1, 2].map((line) => ({
      code: 'schema.type',
      message: `metrics.m${line} must be a number`,
      file: 'records/evals/results/old.yaml',
      side: 'base',
      line
    }));
    const docs = [issues, [...issues].reverse()].map((base_issues) =>
      evaluate({ ...gateInput({ head: [], base: [] }), base_issues })
    );
    expect(canonicalJson(docs[0])).toBe(canonicalJson(docs[1]));
    expect(only(docs[0]!, 'integrity.base-records-invalid').message).toBe(
      '3 problem(s) in 1 base-branch file(s); those files were left out of base comparisons. First: ' +
        'records/evals/results/old.yaml:1: metrics.m1 must be a number'
    );
  });

  // a live cost so small that the relative drift overflows is unbounded drift, like a live value of 0
  it('drift.cost: a live cost too small to divide by is reported without "Infinity"', () => {
    const receipts = rec(
      'replay_receipts',
      {
        kind: 'replay_receipts',
        runs: [
          {
            run_id: 'run-1',
            live: { tokens: { input: 10, output: 0 }, cost_usd: 5e-324, steps: [] },
            replay: { tokens: { input: 10, output: 0 }, cost_usd: 1e-15, steps: [] }
          }
        ]
      },
      'records/receipts/replays.json'
    );
    const f = only(evaluate(gateInput({ head: [receipts] })), 'drift.cost');
    expect(f.message).not.toMatch(/Infinity|NaN/);
  });
});

describe('secrets in evidence', () => {
  it('masks record values every family copies into its evidence, not only its findings', () => {
    // assembled, so that no scanner mistakes this file for a leak; not a real credential
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const step = (verdict: string) => ({
      step_id: `s-${token}`,
      tool: 'create_ticket',
      policy_verdict: verdict,
      capability_token: null
    });
    const trace = (verdict: string) => ({
      tokens: { input: 10, output: 10 },
      cost_usd: 0.01,
      steps: [step(verdict)]
    });
    const receipts = rec(
      'replay_receipts',
      { kind: 'replay_receipts', runs: [{ run_id: `run-${token}`, live: trace('allow'), replay: trace(token) }] },
      'records/receipts/r.json'
    );
    const decision = evaluate(gateInput({ head: [receipts] }));
    const text = JSON.stringify(decision);
    expect(text).not.toContain(token.slice(4, -4));
    expect(decision.evidence.drift[0]!.run_id).toBe('run-ghp_…Q7r8');
  });
});
