import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalEvidence } from '../../model/evidence.js';
import type { Finding } from '../../model/finding.js';
import type { LoadedRecord, RecordKind } from '../../model/input.js';
import type { EvalCaseTable, EvalMetric, EvalRecord, EvalScores } from '../../model/records.js';
import type { Side } from '../../model/location.js';
import { config, fixture, gateInput, rec, recordSet } from '../../testing/records.js';
import { WorkingTreeSource } from '../../read/fs-source.js';
import { loadRecordSet, readConfigFile } from '../../read/load.js';
import { parseDocument } from '../../read/parse.js';
import { resolveConfig } from '../../settings/config.js';
import { RULE_IDS } from '../catalog.js';
import { createContext } from '../context.js';
import { copyTree, EXAMPLE_BASE, EXAMPLE_HEAD, type TreeCopy } from './example-repo.js';
import { loadRecord } from './fixture-repo.js';
import { evaluateEvals, regressionOf, requiredEvals, RULES } from '../evals.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/evals/', import.meta.url));
const SEEDS = fileURLToPath(new URL('../../read/__tests__/fixtures/seeds/', import.meta.url));

// ---------------------------------------------------------------------------------------------------
// helpers

function kindOf(data: { kind?: unknown }): RecordKind {
  const kinds: Record<string, RecordKind> = {
    Eval: 'eval',
    Deployment: 'deployment',
    change_review_record: 'change_review_record',
    eval_scores: 'eval_scores'
  };
  const kind = kinds[String(data.kind)];
  if (!kind) throw new Error(`fixture of unknown kind ${String(data.kind)}`);
  return kind;
}

/** Every YAML file under fixtures/evals/<scenario>/<side>/, parsed with the real locator (paths from the repo root). */
function side(scenario: string, which: Side): LoadedRecord[] {
  const root = join(FIXTURES, scenario, which);
  const out: LoadedRecord[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        out.push(loadRecord(kindOf(fixture<{ kind?: unknown }>(full)), root, relative(root, full), which));
      }
    }
  };
  walk(root);
  return out;
}

function seed(file: string, path = `records/${file}`): LoadedRecord {
  const data = fixture<{ kind?: unknown }>(join(SEEDS, file));
  return rec(kindOf(data), data as never, path);
}

function run(parts: Parameters<typeof gateInput>[0]): { findings: Finding[]; evidence: EvalEvidence[] } {
  return evaluateEvals(createContext(gateInput(parts)));
}

function scenario(name: string, extra: { head?: LoadedRecord[]; config?: ReturnType<typeof config> } = {}) {
  const base = side(name, 'base');
  return run({
    head: [...side(name, 'head'), ...(extra.head ?? [])],
    base: base.length > 0 ? base : null,
    config: extra.config
  });
}

/**
 * The evals family on the example repository (examples/support-triage) read by the real loader, with its head
 * copied and changed: findings carry real lines (a JSON Lines case's line, a YAML field's line).
 */
async function exampleVariant(change: (head: TreeCopy) => void): Promise<ReturnType<typeof evaluateEvals>> {
  const head = copyTree(EXAMPLE_HEAD, 'agent-gate-evals-');
  try {
    change(head);
    const base = new WorkingTreeSource(EXAMPLE_BASE, 'base');
    const read = await readConfigFile(base, '.github/agent-gate.yml');
    if (read.status !== 'ok') throw new Error(`the example's configuration does not read: ${read.status}`);
    const { config: cfg } = resolveConfig(read.value, RULE_IDS);
    const headLoad = await loadRecordSet(new WorkingTreeSource(head.dir, 'head'), cfg);
    const baseLoad = await loadRecordSet(base, cfg);
    expect([...headLoad.issues, ...baseLoad.issues]).toEqual([]);
    return evaluateEvals(createContext(gateInput({ head: headLoad.set, base: baseLoad.set, config: cfg })));
  } finally {
    head.cleanup();
  }
}

const QUALITY_EVAL = 'records/evals/support-triage-quality.yaml';
const QUALITY_CASES = 'records/evals/results/support-triage-quality.jsonl';
const DUPLICATE_SCORES = 'records/evals/results/duplicate-ticket.scores.yaml';

/** Rewrites every case of a JSON Lines file; `change` gets the parsed line and its 0-based index. */
function editCases(head: TreeCopy, path: string, change: (c: { metrics: Record<string, unknown> }, i: number) => void) {
  const lines = head
    .read(path)
    .split('\n')
    .filter((l) => l.trim() !== '');
  const out = lines.map((line, i) => {
    const c = JSON.parse(line) as { metrics: Record<string, unknown> };
    change(c, i);
    return JSON.stringify(c);
  });
  head.write(path, out.join('\n') + '\n');
}

const rules = (findings: Finding[]): string[] => findings.map((f) => f.rule);
const only = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule);

function table(evalName: string, columns: Record<string, number[]>): EvalCaseTable {
  const lengths = Object.values(columns).map((c) => c.length);
  return {
    kind: 'eval_cases',
    eval: evalName,
    format: 'jsonl',
    cases: Math.max(0, ...lengths),
    columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)]))
  };
}

/** n cases of which `passing` are 1 and the rest 0. */
const passes = (n: number, passing: number): number[] => Array.from({ length: n }, (_, i) => (i < passing ? 1 : 0));

function evalRecord(
  name: string,
  metrics: EvalMetric[],
  thresholds: Record<string, number | string>,
  gating = true
): EvalRecord {
  return {
    apiVersion: 'joch.dev/v1alpha1',
    kind: 'Eval',
    metadata: { name },
    spec: { metrics, thresholds, ...(gating ? { releaseGate: { enabled: true, blocksPromotionTo: 'prod' } } : {}) }
  };
}

const evalRec = (e: EvalRecord, which: Side = 'head'): LoadedRecord =>
  rec('eval', e, `records/evals/${e.metadata.name}.yaml`, which);
const casesRec = (
  t: EvalCaseTable,
  which: Side = 'head',
  path = `records/evals/results/${t.eval}.jsonl`
): LoadedRecord => rec('eval_cases', t, path, which);
const scoresRec = (
  s: EvalScores,
  which: Side = 'head',
  path = `records/evals/results/${s.eval}.scores.yaml`
): LoadedRecord => rec('eval_scores', s, path, which);

// ---------------------------------------------------------------------------------------------------

describe('RULES', () => {
  it('documents every rule with a title, a description and a fix', () => {
    for (const spec of Object.values(RULES)) {
      expect(spec.family).toBe('evals');
      expect(spec.id).toMatch(/^evals\.[a-z-]+$/);
      expect(spec.title).not.toMatch(/\.$/);
      expect(spec.description.length).toBeGreaterThan(80);
      expect(spec.fix.length).toBeGreaterThan(10);
    }
  });

  it('says what the reader does with null: a record error, not a skipped value', () => {
    const text = RULES['evals.cases-missing-values'].description;
    expect(text).not.toMatch(/\(a missing field, null/);
    expect(text).toContain('`null`, or a number too large to represent, is not a value but a record error');
  });
});

describe('seed 000 (Eval + Deployment as written)', () => {
  const eval000 = seed('eval.support-triage-quality.yaml', 'records/evals/support-triage-quality.yaml');
  const deployment = seed('deployment.support-triage-prod.yaml', 'records/deployments/support-triage-prod.yaml');

  it('reports exactly one configuration problem: pii_leakage: 0.0 reads ">= 0", which can never fail', () => {
    const { findings, evidence } = scenario('seed-with-results', { head: [eval000, deployment] });
    expect(rules(findings)).toEqual(['evals.threshold-vacuous']);
    const [vacuous] = findings as [Finding];
    expect(vacuous).toMatchObject({
      severity: 'deny',
      subject: 'support-triage-quality/pii_leakage',
      observed: '>= 0',
      location: {
        file: 'records/evals/support-triage-quality.yaml',
        side: 'head',
        pointer: '/spec/thresholds/pii_leakage'
      }
    });
    expect(vacuous.message).toBe(
      'support-triage-quality: threshold pii_leakage: 0 is read as ">= 0" (deterministic metrics are ' +
        'higher_is_better unless they declare direction), and its rate can never fail it: a rate is the share of ' +
        'cases that pass, between 0 and 1'
    );
    expect(vacuous.fix).toContain('declare direction: lower_is_better on the metric or write "<=0"');

    const [quality] = evidence as [EvalEvidence];
    expect(quality).toMatchObject({
      eval: 'support-triage-quality',
      required: true,
      required_by: ['Deployment support-triage-prod (records/deployments/support-triage-prod.yaml)'],
      verdict: 'fail'
    });
    expect(quality.metrics.map((m) => [m.metric, m.aggregate, m.direction, m.head, m.verdict])).toEqual([
      ['cost_per_case', 'mean', 'lower_is_better', 0.21, 'pass'],
      ['latency_p95_ms', 'mean', 'lower_is_better', 2140, 'pass'],
      ['pii_leakage', 'rate', 'higher_is_better', 0, 'fail'],
      ['task_success', 'mean', 'higher_is_better', 0.91, 'pass'],
      ['tone_consistency', 'mean', 'higher_is_better', 0.93, 'pass']
    ]);
  });

  it('without results, adds that the required eval has no evidence', () => {
    const { findings } = run({ head: [eval000, deployment] });
    expect(rules(findings)).toEqual(['evals.missing-results', 'evals.threshold-vacuous']);
    expect(only(findings, 'evals.missing-results')[0]).toMatchObject({
      severity: 'deny',
      message:
        'Eval support-triage-quality is required by Deployment support-triage-prod ' +
        '(records/deployments/support-triage-prod.yaml) but has no results on head: no eval_scores or per-case ' +
        'results file names it. No evidence is not a pass',
      location: { file: 'records/evals/support-triage-quality.yaml', pointer: '/metadata/name' }
    });
  });

  it('passes once pii_leakage declares direction: lower_is_better', () => {
    const { findings, evidence } = scenario('seed-fixed', { head: [deployment] });
    expect(findings).toEqual([]);
    expect(evidence[0]?.verdict).toBe('pass');
    expect(evidence[0]?.metrics.find((m) => m.metric === 'pii_leakage')).toMatchObject({
      direction: 'lower_is_better',
      threshold: { written: 0, comparator: '<=', value: 0 },
      verdict: 'pass'
    });
  });
});

describe('requiredEvals', () => {
  it('collects review records of this change and every Deployment, with readable reasons', () => {
    const review = side('missing-results', 'head').filter((r) => r.kind === 'change_review_record');
    const deployment = rec(
      'deployment',
      {
        apiVersion: 'joch.dev/v1alpha1',
        kind: 'Deployment',
        metadata: { name: 'billing-prod' },
        spec: {
          agentRef: { name: 'billing' },
          environmentRef: { name: 'prod' },
          promotion: { requiresEval: ['billing-quality', 'offline_regression'] }
        }
      },
      'records/deployments/billing-prod.yaml'
    );
    const ctx = createContext(gateInput({ head: [...review, deployment] }));
    expect(Object.fromEntries(requiredEvals(ctx))).toEqual({
      'billing-quality': ['Deployment billing-prod (records/deployments/billing-prod.yaml)'],
      offline_regression: [
        'Deployment billing-prod (records/deployments/billing-prod.yaml)',
        'change_review_record cr-2026-04-07-001 (records/reviews/cr-2026-04-07-001.yaml)'
      ]
    });
  });

  it('ignores review records the change does not touch (same file on base)', () => {
    const review = side('missing-results', 'head').filter((r) => r.kind === 'change_review_record');
    const ctx = createContext(gateInput({ head: review, base: review.map((r) => ({ ...r })) }));
    expect(requiredEvals(ctx).size).toBe(0);
  });
});

describe('required_evals of a change reviewed in an earlier pull request', () => {
  const changeRecord = (id: string): LoadedRecord =>
    rec(
      'change',
      {
        change: {
          change_id: id,
          change_type: 't',
          risk_level: 'low',
          rollout_strategy: 'canary',
          session_control_owner: 'a',
          emergency_freeze_owner: 'b'
        }
      },
      `records/${id}/change.yaml`
    );
  const reviewRecord = (reviewId: string, changeId: string, requiredEvals: string[]): LoadedRecord =>
    rec(
      'change_review_record',
      {
        kind: 'change_review_record',
        review_id: reviewId,
        change_id: changeId,
        owner: 'support-ai',
        change_type: 'prompt_update',
        risk_level: 'low',
        affected_surfaces: ['prompts'],
        required_reviews: [],
        required_evals: requiredEvals,
        status: 'approved'
      },
      `records/${changeId}/${reviewId}.yaml`
    );
  // merged earlier: on the base branch, unchanged here
  const reviewed = reviewRecord('cr-2', 'chg-2', ['offline_regression']);
  const unrelated = reviewRecord('cr-9', 'chg-9', ['nightly_safety']);
  const e = evalRecord(
    'offline_regression',
    [{ name: 'task_success', type: 'llm_judge' }],
    { task_success: 0.9 },
    false
  );

  it('requires the evals of the review record of a change record of this pull request', () => {
    const ctx = createContext(
      gateInput({ head: [changeRecord('chg-2'), reviewed, unrelated], base: [reviewed, unrelated] })
    );
    expect(Object.fromEntries(requiredEvals(ctx))).toEqual({
      offline_regression: ['change_review_record cr-2 (records/chg-2/cr-2.yaml, merged earlier)']
    });
  });

  it('judges them: no results, or failing results, block the change that implements the review', () => {
    const head = [changeRecord('chg-2'), reviewed, unrelated, evalRec(e)];
    const missing = run({ head, base: [reviewed, unrelated, evalRec(e, 'base')] });
    expect(missing.findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['evals.missing-results', 'deny', 'offline_regression']
    ]);
    expect(missing.findings[0]?.message).toBe(
      'Eval offline_regression is required by change_review_record cr-2 (records/chg-2/cr-2.yaml, merged earlier) ' +
        'but has no results on head: no eval_scores or per-case results file names it. No evidence is not a pass'
    );
    expect(missing.evidence.map((x) => [x.eval, x.required, x.verdict])).toEqual([
      ['offline_regression', true, 'missing']
    ]);
    const failing = scoresRec({ kind: 'eval_scores', eval: 'offline_regression', metrics: { task_success: 0.5 } });
    const judged = run({ head: [...head, failing], base: [reviewed, unrelated, evalRec(e, 'base')] });
    expect(rules(judged.findings)).toEqual(['evals.threshold']);
    expect(judged.evidence[0]).toMatchObject({ required: true, verdict: 'fail' });
  });

  it('keeps an eval the review record required when this pull request edits it out, or deletes the record', () => {
    const edited = reviewRecord('cr-2', 'chg-2', []);
    const ctx = createContext(gateInput({ head: [edited], base: [reviewed] }));
    expect(Object.fromEntries(requiredEvals(ctx))).toEqual({
      offline_regression: [
        'change_review_record cr-2 (records/chg-2/cr-2.yaml, its base copy: this pull request updates it)'
      ]
    });
    // a second review record of chg-2 in the pull request, the first one deleted: its base copy still requires
    const second = reviewRecord('cr-3', 'chg-2', []);
    const deleted = createContext(gateInput({ head: [second], base: [reviewed] }));
    expect(Object.fromEntries(requiredEvals(deleted))).toEqual({
      offline_regression: ['change_review_record cr-2 (records/chg-2/cr-2.yaml, merged earlier, removed on the head)']
    });
  });

  it('does not let a review record of another change, untouched on the base branch, require anything', () => {
    // the pull request's change record is chg-1: neither cr-2 (chg-2) nor cr-9 (chg-9) reviews it
    const other = createContext(
      gateInput({ head: [changeRecord('chg-1'), reviewed, unrelated], base: [reviewed, unrelated] })
    );
    expect(requiredEvals(other).size).toBe(0);
    // no change record in the pull request
    const none = createContext(gateInput({ head: [reviewed, unrelated], base: [reviewed, unrelated] }));
    expect(requiredEvals(none).size).toBe(0);
    // the change record merged earlier as well: its review's evals were required by that pull request
    const merged = changeRecord('chg-2');
    const earlier = createContext(gateInput({ head: [merged, reviewed], base: [merged, reviewed] }));
    expect(requiredEvals(earlier).size).toBe(0);
    const { findings } = run({
      head: [changeRecord('chg-1'), reviewed, unrelated, evalRec(e)],
      base: [reviewed, unrelated]
    });
    expect(findings).toEqual([]);
  });
});

describe('secrets in the names findings quote', () => {
  const TOKEN = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  const MASKED = 'ghp_…Q7r8';
  const leaks = (findings: Finding[]): boolean => JSON.stringify(findings).includes(TOKEN.slice(4));

  it('masks an eval name from a results file in evals.undefined-results', () => {
    const results = scoresRec({ kind: 'eval_scores', eval: TOKEN, metrics: { task_success: 0.9 } }, 'head', 'r.yaml');
    const { findings } = run({ head: [results] });
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'evals.undefined-results',
        message: `r.yaml holds results for eval ${MASKED}, which no Eval record on head defines`,
        observed: MASKED,
        subject: MASKED,
        evidence: { eval: MASKED, file: 'r.yaml', defined: [] }
      })
    ]);
    // with Eval records defined, the list of defined names is quoted too
    const named = evalRecord(`x-${TOKEN}`, [{ name: 'task_success', type: 'llm_judge' }], { task_success: 0.9 }, false);
    const both = run({ head: [results, evalRec(named)] });
    expect(only(both.findings, 'evals.undefined-results')[0]).toMatchObject({ required: `one of: x-${MASKED}` });
    expect(leaks(both.findings)).toBe(false);
  });

  it('masks an eval name a review record requires, and one an Eval record defines', () => {
    const review = rec(
      'change_review_record',
      {
        kind: 'change_review_record',
        review_id: 'cr-1',
        change_id: 'chg-1',
        owner: 'o',
        change_type: 't',
        risk_level: 'low',
        affected_surfaces: ['prompts'],
        required_reviews: [],
        required_evals: [TOKEN],
        status: 'approved'
      },
      'records/review.yaml'
    );
    const missing = run({ head: [review] });
    expect(missing.findings[0]).toMatchObject({
      rule: 'evals.missing-definition',
      message: `Eval ${MASKED} is required by change_review_record cr-1 (records/review.yaml) but no Eval record on head defines it`,
      subject: MASKED
    });
    expect(leaks(missing.findings)).toBe(false);
    // an Eval whose name and metric hold the token: every finding about it is masked
    const secretEval = evalRecord(TOKEN, [{ name: TOKEN, type: 'llm_judge' }], { [TOKEN]: 0.9 });
    const failing = scoresRec({ kind: 'eval_scores', eval: TOKEN, metrics: { [TOKEN]: 0.5 } }, 'head', 's.yaml');
    const judged = run({ head: [rec('eval', secretEval, 'e.yaml'), failing] });
    expect(rules(judged.findings)).toEqual(['evals.threshold']);
    expect(judged.findings[0]?.message).toContain(MASKED);
    expect(leaks(judged.findings)).toBe(false);
    // the evidence keeps the name: the other families match evals by it
    expect(judged.evidence[0]?.eval).toBe(TOKEN);
  });
});

describe('thresholds', () => {
  it('passes every comparator at its boundary (>=, >, <, <=, ==, bare number by direction)', () => {
    const { findings, evidence } = scenario('comparators-pass');
    expect(findings).toEqual([]);
    expect(evidence[0]?.verdict).toBe('pass');
    expect(evidence[0]?.required).toBe(false);
  });

  it('fails every comparator just past it, naming observed and required values and both files', () => {
    const { findings, evidence } = scenario('comparators-fail');
    expect(findings.map((f) => [f.rule, f.subject, f.observed, f.required])).toEqual([
      ['evals.threshold', 'billing-agent-quality/answer_quality', 0.849, '>= 0.85'],
      ['evals.threshold', 'billing-agent-quality/cost_per_case', 0.4, '< 0.4'],
      ['evals.threshold', 'billing-agent-quality/groundedness', 0.79, '>= 0.8'],
      ['evals.threshold', 'billing-agent-quality/latency_p95_ms', 3001, '<= 3000'],
      ['evals.threshold', 'billing-agent-quality/refund_policy_followed', 0.9, '> 0.9'],
      ['evals.threshold', 'billing-agent-quality/unsafe_refunds', 1, '== 0']
    ]);
    const cost = findings[1] as Finding;
    expect(cost.message).toBe(
      'billing-agent-quality: cost_per_case is 0.4 (as reported in ' +
        'records/evals/results/billing-agent-quality.scores.yaml, 500 cases), required < 0.4'
    );
    expect(cost.location).toEqual({
      file: 'records/evals/billing-agent-quality.yaml',
      side: 'head',
      line: 16,
      column: 5,
      pointer: '/spec/thresholds/cost_per_case'
    });
    expect(cost.evidence).toMatchObject({
      results: { file: 'records/evals/results/billing-agent-quality.scores.yaml', pointer: '/metrics/cost_per_case' },
      threshold: { written: '<0.40', comparator: '<', value: 0.4 }
    });
    expect(evidence[0]?.verdict).toBe('fail');
  });

  it('reports each configuration problem once, located at the threshold or metric', () => {
    const { findings, evidence } = scenario('config-problems');
    const seen = findings.map((f) => [f.rule, f.subject, f.location?.pointer]);
    expect(seen).toEqual([
      ['evals.duplicate-metric', 'support-triage-quality/task_success', '/spec/metrics/5/name'],
      ['evals.threshold-unknown-metric', 'support-triage-quality/task_sucess', '/spec/thresholds/task_sucess'],
      ['evals.threshold-ambiguous', 'support-triage-quality/cost_per_case', '/spec/thresholds/cost_per_case'],
      ['evals.threshold-invalid', 'support-triage-quality/escalation_correct', '/spec/thresholds/escalation_correct'],
      ['evals.threshold-conflict', 'support-triage-quality/latency_p95_ms', '/spec/thresholds/latency_p95_ms'],
      ['evals.threshold-vacuous', 'support-triage-quality/tone_consistency', '/spec/thresholds/tone_consistency']
    ]);
    expect(findings.every((f) => f.severity === 'deny')).toBe(true);
    const byRule = Object.fromEntries(findings.map((f) => [f.rule, f]));
    expect(byRule['evals.threshold-unknown-metric']?.message).toBe(
      'support-triage-quality: threshold task_sucess names no metric in spec.metrics (did you mean task_success?); ' +
        'declared metrics: cost_per_case, escalation_correct, latency_p95_ms, task_success, tone_consistency'
    );
    expect(byRule['evals.threshold-ambiguous']?.message).toBe(
      'support-triage-quality: threshold cost_per_case: 0.4 is a bare number on a numeric metric without a ' +
        'direction, so it could mean ">= 0.4" or "<= 0.4"'
    );
    expect(byRule['evals.threshold-ambiguous']?.fix).toBe(
      'Write "<=0.4" or ">=0.4", or declare direction: lower_is_better / higher_is_better on metric cost_per_case.'
    );
    expect(byRule['evals.threshold-invalid']?.message).toMatch(
      /"=>0.9" cannot be read \(write ">=" \(the "=" goes second\)\)/
    );
    expect(byRule['evals.threshold-conflict']?.message).toBe(
      'support-triage-quality: threshold latency_p95_ms: "<3000" passes low values, but the metric declares ' +
        'direction: higher_is_better'
    );
    expect(byRule['evals.threshold-vacuous']?.message).toBe(
      'support-triage-quality: threshold tone_consistency: "<= 1" reads "<= 1", and its mean value can never fail ' +
        'it: tone_consistency is an llm_judge score, between 0 and 1'
    );
    expect(evidence[0]?.verdict).toBe('fail');
  });

  it('treats a numeric >= 0 as vacuous only while no negative value is seen', () => {
    const e = evalRecord('margin-eval', [{ name: 'margin', type: 'numeric' }], { margin: '>=0' });
    const nonNegative = run({ head: [evalRec(e), casesRec(table('margin-eval', { margin: [0.2, 0.4, 0] }))] });
    expect(rules(nonNegative.findings)).toEqual(['evals.threshold-vacuous']);
    expect(nonNegative.findings[0]?.message).toContain('none of its values on base or head is negative');
    const signed = run({ head: [evalRec(e), casesRec(table('margin-eval', { margin: [0.2, -0.4, 0.1] }))] });
    expect(rules(signed.findings)).toEqual(['evals.threshold']);
  });

  it('requires thresholds on a gating eval', () => {
    const e = evalRecord('no-bar', [{ name: 'task_success', type: 'llm_judge' }], {});
    const { findings, evidence } = run({
      head: [evalRec(e), scoresRec({ kind: 'eval_scores', eval: 'no-bar', metrics: { task_success: 0.2 } })]
    });
    expect(rules(findings)).toEqual(['evals.no-thresholds']);
    expect(evidence[0]?.verdict).toBe('fail');
    expect(evidence[0]?.metrics[0]?.verdict).toBe('not_gated');
  });
});

describe('missing evidence', () => {
  it('denies a required eval without results, pointing at the base results it used to have', () => {
    const { findings, evidence } = scenario('missing-results');
    expect(rules(findings)).toEqual(['evals.missing-results', 'evals.undefined-results']);
    expect(findings[0]?.message).toBe(
      'Eval offline_regression is required by change_review_record cr-2026-04-07-001 ' +
        '(records/reviews/cr-2026-04-07-001.yaml) but has no results on head: no eval_scores or per-case results ' +
        'file names it (the base branch has records/evals/results/offline_regression.scores.yaml). No evidence is ' +
        'not a pass'
    );
    expect(findings[1]).toMatchObject({
      severity: 'warning',
      message:
        'records/evals/results/support-triage.scores.yaml holds results for eval offline-regresion, which no Eval ' +
        'record on head defines (did you mean offline_regression?)',
      location: { file: 'records/evals/results/support-triage.scores.yaml', pointer: '/eval' }
    });
    expect(evidence).toEqual([
      {
        eval: 'offline_regression',
        required: true,
        required_by: ['change_review_record cr-2026-04-07-001 (records/reviews/cr-2026-04-07-001.yaml)'],
        verdict: 'missing',
        metrics: [
          {
            eval: 'offline_regression',
            metric: 'task_success',
            aggregate: 'mean',
            direction: 'higher_is_better',
            base: 0.9,
            head: null,
            delta: null,
            regression: null,
            threshold: { written: 0.85, comparator: '>=', value: 0.85 },
            verdict: 'missing',
            noise: null,
            cases: { base: 400, head: null }
          }
        ]
      }
    ]);
  });

  it('denies a required eval nobody defines, located at the requiring record, with a close name', () => {
    const { findings, evidence } = scenario('missing-definition');
    expect(rules(findings)).toEqual(['evals.missing-definition']);
    expect(findings[0]).toMatchObject({
      message:
        'Eval targeted_safety_eval is required by change_review_record cr-2026-04-07-002 ' +
        '(records/reviews/cr-2026-04-07-002.yaml) but no Eval record on head defines it (did you mean ' +
        'targeted-safety-eval?)',
      location: { file: 'records/reviews/cr-2026-04-07-002.yaml', line: 10, pointer: '/required_evals/0' }
    });
    expect(evidence.map((e) => [e.eval, e.required, e.verdict])).toEqual([
      ['targeted-safety-eval', false, 'not_gated'],
      ['targeted_safety_eval', true, 'missing']
    ]);
  });

  it('denies a thresholded metric the results lack, and suggests the column that holds it', () => {
    const e = evalRecord('latency-eval', [{ name: 'latency_p95_ms', type: 'numeric' }], { latency_p95_ms: '<3000' });
    const t = table('latency-eval', { latency_ms: [1200, 1800, 2500], task_success: [1, 1, 0] });
    const { findings, evidence } = run({ head: [evalRec(e), casesRec(t)] });
    expect(rules(findings)).toEqual(['evals.missing-metric']);
    expect(findings[0]).toMatchObject({
      message:
        'latency-eval: latency_p95_ms has a threshold but no value in the head results ' +
        '(records/evals/results/latency-eval.jsonl has no column latency_p95_ms; its columns are latency_ms, task_success)',
      fix: 'The per-case results have latency_ms: declare source: latency_ms and aggregate: p95 on metric latency_p95_ms.',
      location: { file: 'records/evals/latency-eval.yaml', pointer: '/spec/metrics/0' }
    });
    expect(evidence[0]?.verdict).toBe('missing');
  });

  it('reads a metric from its source column with its declared aggregate (p95 by nearest rank)', () => {
    const e = evalRecord(
      'latency-eval',
      [{ name: 'latency_p95_ms', type: 'numeric', source: 'latency_ms', aggregate: 'p95' }],
      { latency_p95_ms: '<3000' }
    );
    const latencies = Array.from({ length: 100 }, (_, i) => (i + 1) * 40); // 40 … 4000; p95 = 3800
    const { findings, evidence } = run({
      head: [evalRec(e), casesRec(table('latency-eval', { latency_ms: latencies }))]
    });
    expect(findings.map((f) => f.message)).toEqual([
      'latency-eval: latency_p95_ms is 3800 (p95 of 100 cases), required < 3000'
    ]);
    expect(evidence[0]?.metrics[0]).toMatchObject({ head: 3800, aggregate: 'p95', cases: { head: 100, base: null } });
  });

  it('skips cases without a value, counts them, and calls a metric with none at all missing', () => {
    const e = evalRecord(
      'judge-eval',
      [
        { name: 'task_success', type: 'llm_judge' },
        { name: 'tone', type: 'llm_judge' }
      ],
      {
        task_success: 0.8,
        tone: 0.8
      }
    );
    const t = table('judge-eval', {
      task_success: [0.9, NaN, 0.7, NaN, 1.0],
      tone: [NaN, NaN, NaN, NaN, NaN]
    });
    // with room for 2 of 5 cases without a value (evals.max_missing_share 0.4): a warning
    const roomy = config();
    roomy.evals.max_missing_share = 0.4;
    const { findings, evidence } = run({ head: [evalRec(e), casesRec(t)], config: roomy });
    expect(rules(findings)).toEqual(['evals.missing-metric', 'evals.cases-missing-values']);
    expect(findings[0]?.message).toContain(
      'every one of the 5 cases in records/evals/results/judge-eval.jsonl lacks tone'
    );
    expect(findings[1]).toMatchObject({
      severity: 'warning',
      message: 'judge-eval: task_success has no value in 2 of 5 cases; those cases are left out of the aggregates'
    });
    // by default (10%), 2 of 5 is too many for a metric with a threshold of a gating eval: a follow-up
    const strict = run({ head: [evalRec(e), casesRec(t)] });
    expect(rules(strict.findings)).toEqual(['evals.missing-metric', 'evals.values-missing']);
    expect(strict.findings[1]).toMatchObject({
      severity: 'follow_up',
      subject: 'judge-eval/task_success',
      message:
        'judge-eval: task_success has no value in 2 of 5 cases (40%); required: at most 10% (evals.max_missing_share), ' +
        'so that its aggregate does not stand on the cases that have one'
    });
    const success = evidence[0]?.metrics.find((m) => m.metric === 'task_success');
    expect(success).toMatchObject({ head: 0.8666666666666667, cases: { head: 3 }, verdict: 'pass' });
    expect(evidence[0]?.verdict).toBe('missing');
  });

  it('lets a required metric pass on the few cases left only with a follow-up: the failing ones may be the gaps', () => {
    const e = evalRecord('safety', [{ name: 'pii_leakage', type: 'deterministic', direction: 'lower_is_better' }], {
      pii_leakage: 0
    });
    // 399 of 400 cases without a value: the one left passes
    const values = Array.from({ length: 400 }, (_, i) => (i === 0 ? 0 : NaN));
    const { findings, evidence } = run({ head: [evalRec(e), casesRec(table('safety', { pii_leakage: values }))] });
    expect(rules(findings)).toEqual(['evals.values-missing']);
    expect(findings[0]?.message).toContain('pii_leakage has no value in 399 of 400 cases (99.8%)');
    expect(evidence[0]?.metrics[0]?.verdict).toBe('pass');
    // one case in twenty without a value is within the default share: a warning only
    const few = Array.from({ length: 20 }, (_, i) => (i === 7 ? NaN : 0));
    const within = run({ head: [evalRec(e), casesRec(table('safety', { pii_leakage: few }))] });
    expect(within.findings.map((f) => [f.rule, f.severity])).toEqual([['evals.cases-missing-values', 'warning']]);
  });

  it('warns, not blocks, when a release-gating eval nobody requires has no results; ignores ungated evals', () => {
    const { findings, evidence } = scenario('not-gated');
    expect(findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['evals.gate-without-results', 'warning', 'nightly-quality']
    ]);
    expect(evidence.map((e) => [e.eval, e.verdict])).toEqual([
      ['nightly-quality', 'missing'],
      ['tone-exploration', 'not_gated']
    ]);
    // the failing metric is still shown as failing
    expect(evidence[1]?.metrics[0]).toMatchObject({ head: 0.7, verdict: 'fail' });
  });
});

describe('result files', () => {
  it('refuses two result files of one kind on head, and skips the baseline when base has two', () => {
    const { findings, evidence } = scenario('duplicates');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['evals.duplicate-definition', 'deny'],
      ['evals.duplicate-results', 'deny'],
      ['evals.baseline-ambiguous', 'warning']
    ]);
    expect(findings[0]?.message).toBe(
      'Eval support-triage-quality is defined in both records/evals/support-triage-quality-v2.yaml and ' +
        'records/evals/support-triage-quality.yaml; records/evals/support-triage-quality-v2.yaml is used'
    );
    expect(findings[1]?.message).toBe(
      'Eval support-triage-quality has 2 result files of one kind on head ' +
        '(records/evals/results/support-triage-quality.2026-04-06.scores.yaml, ' +
        'records/evals/results/support-triage-quality.2026-04-07.scores.yaml); none is used'
    );
    expect(evidence[0]).toMatchObject({ verdict: 'fail', metrics: [{ head: null, base: null, verdict: 'fail' }] });
  });

  it('uses per-case results over a scores file, and warns when they disagree beyond rounding', () => {
    const e = evalRecord(
      'mixed',
      [
        { name: 'task_success', type: 'llm_judge' },
        { name: 'resolved', type: 'deterministic' }
      ],
      {
        task_success: 0.8,
        resolved: 0.5
      }
    );
    const t = table('mixed', { task_success: [0.9, 0.8, 0.86], resolved: [1, 1, 0] });
    const agreeing = scoresRec({
      kind: 'eval_scores',
      eval: 'mixed',
      cases: 3,
      metrics: { task_success: 0.85, resolved: 0.67 }
    });
    const ok = run({ head: [evalRec(e), casesRec(t), agreeing] });
    expect(ok.findings).toEqual([]);
    expect(ok.evidence[0]?.metrics.map((m) => m.head)).toEqual([0.6666666666666666, 0.8533333333333334]);

    const stale = scoresRec({
      kind: 'eval_scores',
      eval: 'mixed',
      cases: 4,
      metrics: { task_success: 0.95, resolved: 0.667 }
    });
    const bad = run({ head: [evalRec(e), casesRec(t), stale] });
    expect(bad.findings.map((f) => [f.rule, f.message])).toEqual([
      [
        'evals.results-inconsistent',
        'mixed: task_success is 0.95 in records/evals/results/mixed.scores.yaml but 0.8533 (mean of 3 cases) in ' +
          'records/evals/results/mixed.jsonl; the per-case value is used'
      ],
      [
        'evals.results-inconsistent',
        'mixed: records/evals/results/mixed.scores.yaml reports 4 cases but records/evals/results/mixed.jsonl has 3'
      ]
    ]);
  });
});

describe('regression against base', () => {
  it('denies a drop beyond the slack even above the threshold when only aggregates exist', () => {
    const { findings, evidence } = scenario('regression-scores');
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([
      ['evals.regression', 'support-triage-quality/latency_p95_ms'],
      ['evals.regression', 'support-triage-quality/task_success']
    ]);
    expect(findings[1]).toMatchObject({
      message:
        'support-triage-quality: task_success fell from 0.95 on base to 0.88 on head, 7.4% worse, beyond the 5% ' +
        'regression slack; no per-case results on both sides to tell noise from a real drop',
      observed: 0.88,
      required: '>= 0.9025 (base 0.95 with 5% slack)',
      location: {
        file: 'records/evals/results/support-triage-quality.scores.yaml',
        side: 'head',
        pointer: '/metrics/task_success'
      }
    });
    expect(findings[0]?.message).toContain('latency_p95_ms rose from 2000 on base to 2300 on head, 15% worse');
    const metrics = Object.fromEntries((evidence[0]?.metrics ?? []).map((m) => [m.metric, m]));
    expect(metrics.tone_consistency).toMatchObject({ base: 0.9, head: 0.88, verdict: 'pass' });
    expect(metrics.tone_consistency?.regression).toBeCloseTo(0.0222, 4);
    // numeric without a direction: shown, never compared
    expect(metrics.tokens_per_case).toMatchObject({
      direction: null,
      delta: 800,
      regression: null,
      verdict: 'not_gated'
    });
    expect(metrics.task_success?.verdict).toBe('fail');
    expect(evidence[0]?.verdict).toBe('fail');
  });

  it('honours a configured slack and severity overrides', () => {
    const loose = config();
    loose.evals.regression_slack = 0.2;
    expect(scenario('regression-scores', { config: loose }).findings).toEqual([]);
    const softened = config({ rules: { 'evals.regression': 'warning' } });
    expect(scenario('regression-scores', { config: softened }).findings.map((f) => f.severity)).toEqual([
      'warning',
      'warning'
    ]);
    const off = config({ rules: { 'evals.regression': 'off' } });
    expect(scenario('regression-scores', { config: off }).findings).toEqual([]);
  });

  const rateEval = evalRecord('triage-eval', [{ name: 'resolved', type: 'deterministic' }], { resolved: 0.7 });
  const rateRun = (n: number, base: number, head: number) =>
    run({
      head: [evalRec(rateEval), casesRec(table('triage-eval', { resolved: passes(n, head) }))],
      base: [evalRec(rateEval, 'base'), casesRec(table('triage-eval', { resolved: passes(n, base) }), 'base')]
    });

  it('denies 90% → 80% over 1000 cases: beyond noise by Fisher’s exact test', () => {
    const { findings, evidence } = rateRun(1000, 900, 800);
    expect(rules(findings)).toEqual(['evals.regression']);
    expect(findings[0]?.message).toMatch(
      /^triage-eval: resolved fell from 0.9 on base to 0.8 on head, 11.1% worse, beyond the 5% regression slack; the drop is beyond noise \(Fisher's exact test p = 4.1e-10; 95% interval of head − base \[-0.13\d*, -0.06\d*\]\)$/
    );
    expect(findings[0]?.evidence?.noise).toMatchObject({ tested: true, method: 'fisher', significant: true });
    expect(evidence[0]?.metrics[0]?.noise).toMatchObject({ method: 'fisher', confidence: 0.95, significant: true });
    expect(evidence[0]?.metrics[0]?.cases).toEqual({ base: 1000, head: 1000 });
    expect(evidence[0]?.verdict).toBe('fail');
  });

  it('asks a person about 90% → 85% over 20 cases: beyond the slack but within noise', () => {
    const { findings, evidence } = rateRun(20, 18, 17);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['evals.regression-within-noise', 'follow_up']]);
    expect(findings[0]?.message).toContain(
      "the drop is within noise (Fisher's exact test p = 1; 95% interval of head − base ["
    );
    expect(evidence[0]?.metrics[0]?.noise?.significant).toBe(false);
    expect(evidence[0]?.verdict).toBe('pass');
  });

  it('judges lower_is_better metrics the other way: a cost rise is a regression, a fall is not', () => {
    const e = evalRecord(
      'cost-eval',
      [
        { name: 'cost_per_case', type: 'numeric', source: 'cost_usd' },
        { name: 'latency_p95_ms', type: 'numeric', source: 'latency_ms', aggregate: 'p95' }
      ],
      { cost_per_case: '<0.40', latency_p95_ms: '<3000' }
    );
    const cases = (cost: number, latency: number) =>
      table('cost-eval', {
        cost_usd: Array.from({ length: 400 }, (_, i) => cost + ((i % 10) - 4.5) * 0.002),
        latency_ms: Array.from({ length: 400 }, (_, i) => latency + (i % 20) * 25)
      });
    const worse = run({
      head: [evalRec(e), casesRec(cases(0.36, 2000))],
      base: [evalRec(e, 'base'), casesRec(cases(0.3, 2000), 'base')]
    });
    expect(worse.findings.map((f) => [f.rule, f.subject])).toEqual([['evals.regression', 'cost-eval/cost_per_case']]);
    expect(worse.findings[0]?.message).toMatch(/cost_per_case rose from 0.3 on base to 0.36 on head, 20% worse/);
    expect(worse.findings[0]?.message).toMatch(
      /the drop is beyond noise \(95% interval of head − base \[0.05\d*, 0.06\d*\]\)/
    );
    const noise = worse.evidence[0]?.metrics[0]?.noise;
    expect(noise?.method).toBe('bootstrap');

    const better = run({
      head: [evalRec(e), casesRec(cases(0.3, 1500))],
      base: [evalRec(e, 'base'), casesRec(cases(0.36, 2000), 'base')]
    });
    expect(better.findings).toEqual([]);
    expect(better.evidence[0]?.metrics.map((m) => m.regression)).toEqual([
      expect.closeTo(-1 / 6, 9),
      expect.closeTo(-500 / 2450, 9) // p95 of 1500…1975 is 1950, of 2000…2475 is 2450
    ]);
  });

  it('uses the absolute difference when base is 0', () => {
    expect(regressionOf(0, 0.02, 'lower_is_better')).toBe(0.02);
    expect(regressionOf(0, 0.2, 'higher_is_better')).toBe(-0.2);
    expect(regressionOf(0.5, 0.4, 'higher_is_better')).toBeCloseTo(0.2, 12);
    expect(regressionOf(-2, -3, 'higher_is_better')).toBe(0.5);
  });

  it('cannot test the noise of a max, so a max regression beyond the slack is a deny', () => {
    const e = evalRecord('max-eval', [{ name: 'latency', type: 'numeric', aggregate: 'max' }], { latency: '<10000' });
    const { findings } = run({
      head: [evalRec(e), casesRec(table('max-eval', { latency: [100, 200, 3000] }))],
      base: [evalRec(e, 'base'), casesRec(table('max-eval', { latency: [100, 200, 2000] }), 'base')]
    });
    expect(rules(findings)).toEqual(['evals.regression']);
    expect(findings[0]?.message).toContain('no noise test for a max: a bootstrap of an extreme value is unreliable');
  });
});

describe('gate loosening', () => {
  it('asks a person when the change relaxes the thresholds of the eval that gates it', () => {
    const { findings } = scenario('gate-weakened');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['evals.gate-weakened', 'follow_up']]);
    expect(findings[0]?.message).toBe(
      "support-triage-quality: this change loosens the eval's gate: cost_per_case: threshold relaxed " +
        '(base < 0.4, head <= 0.4); pii_leakage: metric removed (base == 0, head none); task_success: threshold ' +
        'relaxed (base >= 0.85, head >= 0.8); tone_consistency: threshold removed (base >= 0.9, head none). ' +
        "Judged by the base branch's definition, the head results fail, where the head's definition lets them " +
        'pass: cost_per_case is 0.4 (as reported in records/evals/results/support-triage-quality.scores.yaml, 240 ' +
        'cases), required < 0.4; pii_leakage has no value in the head results; task_success is 0.82 (as reported ' +
        'in records/evals/results/support-triage-quality.scores.yaml, 240 cases), required >= 0.85; ' +
        'tone_consistency is 0.86 (as reported in records/evals/results/support-triage-quality.scores.yaml, 240 ' +
        'cases), required >= 0.9'
    );
    expect(findings[0]?.location).toMatchObject({ pointer: '/spec/thresholds/cost_per_case' });
    expect(findings[0]?.evidence?.base_definition_fails).toEqual([
      { metric: 'cost_per_case', reason: 'threshold', observed: 0.4, required: '< 0.4' },
      { metric: 'pii_leakage', reason: 'missing', observed: null, required: '== 0' },
      { metric: 'task_success', reason: 'threshold', observed: 0.82, required: '>= 0.85' },
      { metric: 'tone_consistency', reason: 'threshold', observed: 0.86, required: '>= 0.9' }
    ]);
  });

  it('reports disabling releaseGate, even though the eval then no longer gates', () => {
    const base = evalRecord('g', [{ name: 'task_success', type: 'llm_judge' }], { task_success: 0.85 });
    const head = evalRecord('g', [{ name: 'task_success', type: 'llm_judge' }], { task_success: 0.85 }, false);
    const { findings } = run({ head: [evalRec(head)], base: [evalRec(base, 'base')] });
    expect(findings.map((f) => f.message)).toEqual([
      "g: this change loosens the eval's gate: releaseGate disabled (base true, head none)"
    ]);
  });

  it('says nothing when thresholds only tighten', () => {
    const base = evalRecord('g', [{ name: 'cost', type: 'numeric' }], { cost: '<=0.5' });
    const head = evalRecord('g', [{ name: 'cost', type: 'numeric' }], { cost: '<0.4' });
    const results = scoresRec({ kind: 'eval_scores', eval: 'g', metrics: { cost: 0.1 } });
    expect(run({ head: [evalRec(head), results], base: [evalRec(base, 'base')] }).findings).toEqual([]);
  });
});

describe('gate loosening: what a metric measures and how it is judged', () => {
  const pii = (extra: Partial<EvalMetric> = {}): EvalMetric => ({
    name: 'pii_leakage',
    type: 'deterministic',
    direction: 'lower_is_better',
    ...extra
  });
  const judge = (extra: Partial<EvalMetric> = {}): EvalMetric => ({
    name: 'task_success',
    type: 'llm_judge',
    ...extra
  });
  const quality = (metrics: EvalMetric[]) => evalRecord('quality', metrics, { task_success: 0.85, pii_leakage: 0.0 });
  const n = 400;
  const cases = (leaks: number, success: number, tone = 0.95) =>
    table('quality', {
      task_success: Array.from({ length: n }, () => success),
      tone_consistency: Array.from({ length: n }, () => tone),
      pii_leakage: Array.from({ length: n }, (_, i) => (i < leaks ? 1 : 0))
    });
  const judgeChange = (head: EvalMetric[], headCases: EvalCaseTable, base: EvalMetric[] = [judge(), pii()]) =>
    run({
      head: [evalRec(quality(head)), casesRec(headCases)],
      base: [evalRec(quality(base), 'base'), casesRec(cases(0, 0.9), 'base')]
    });

  it('aggregate rate → min on pii_leakage with 399 leaks in 400 cases: the base definition fails what the head passes', () => {
    const { findings, evidence } = judgeChange([judge(), pii({ aggregate: 'min' })], cases(399, 0.9));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['evals.gate-weakened', 'follow_up']]);
    expect(findings[0]?.message).toBe(
      "quality: this change loosens the eval's gate: pii_leakage: aggregate changed (base rate, head min). Judged " +
        "by the base branch's definition, the head results fail, where the head's definition lets them pass: " +
        'pii_leakage is 0.9975 (share of values >= 0.5 of 400 cases), required <= 0'
    );
    expect(findings[0]).toMatchObject({
      observed: [{ what: 'pii_leakage: aggregate changed', base: 'rate', head: 'min' }],
      location: { file: 'records/evals/quality.yaml', pointer: '/spec/metrics/1/aggregate' },
      evidence: {
        base_definition_fails: [{ metric: 'pii_leakage', reason: 'threshold', observed: 0.9975, required: '<= 0' }]
      }
    });
    // the head's own definition passes: without the finding above the change would be allowed
    expect(evidence[0]?.metrics.find((m) => m.metric === 'pii_leakage')).toMatchObject({
      aggregate: 'min',
      head: 0,
      verdict: 'pass'
    });
  });

  it('source → another column: task_success read from tone_consistency while every task_success is 0.1', () => {
    const { findings } = judgeChange([judge({ source: 'tone_consistency' }), pii()], cases(0, 0.1));
    expect(rules(findings)).toEqual(['evals.gate-weakened']);
    expect(findings[0]?.message).toBe(
      "quality: this change loosens the eval's gate: task_success: source changed (base task_success, head " +
        "tone_consistency). Judged by the base branch's definition, the head results fail, where the head's " +
        'definition lets them pass: task_success is 0.1 (mean of 400 cases), required >= 0.85'
    );
  });

  it.each([
    ['aggregate mean → max', judge({ aggregate: 'max' }), 'task_success: aggregate changed (base mean, head max)'],
    [
      'type llm_judge → numeric',
      judge({ type: 'numeric', direction: 'higher_is_better' }),
      'task_success: type changed (base llm_judge, head numeric)'
    ],
    ['aggregate mean → p50', judge({ aggregate: 'p50' }), 'task_success: aggregate changed (base mean, head p50)']
  ])(
    '%s on a thresholded metric is reported even when the head results meet the base definition',
    (_, metric, what) => {
      const { findings } = judgeChange([metric, pii()], cases(0, 0.9));
      expect(rules(findings)).toEqual(['evals.gate-weakened']);
      expect(findings[0]?.message).toBe(`quality: this change loosens the eval's gate: ${what}`);
      expect(findings[0]?.evidence?.base_definition_fails).toEqual([]);
    }
  );

  it('reports a flipped direction and a removed one with base → head', () => {
    const flipped = judgeChange([judge(), pii({ direction: 'higher_is_better' })], cases(0, 0.9));
    expect(flipped.findings.map((f) => f.rule)).toContain('evals.gate-weakened');
    expect(only(flipped.findings, 'evals.gate-weakened')[0]?.message).toContain(
      'pii_leakage: direction flipped (base lower_is_better, head higher_is_better)'
    );
    // "==" implies no direction: without the declared one, a numeric metric is no longer regression-checked
    const cost = (direction?: 'lower_is_better'): EvalRecord =>
      evalRecord('costs', [{ name: 'errors', type: 'numeric', ...(direction ? { direction } : {}) }], {
        errors: '==0'
      });
    const scores = scoresRec({ kind: 'eval_scores', eval: 'costs', metrics: { errors: 0 } });
    const removed = run({ head: [evalRec(cost()), scores], base: [evalRec(cost('lower_is_better'), 'base')] });
    expect(removed.findings.map((f) => f.message)).toEqual([
      "costs: this change loosens the eval's gate: errors: direction removed (base lower_is_better, head none)"
    ]);
  });

  it('judges the head values by the base type range too: llm_judge → numeric to let a 300 through', () => {
    const t = table('quality', {
      task_success: Array.from({ length: n }, (_, i) => (i === 0 ? 300 : 0.2)),
      pii_leakage: Array.from({ length: n }, () => 0)
    });
    const metric = judge({ type: 'numeric', direction: 'higher_is_better', aggregate: 'max' });
    const { findings } = judgeChange([metric, pii()], t);
    expect(rules(findings)).toEqual(['evals.gate-weakened']);
    expect(findings[0]?.message).toBe(
      "quality: this change loosens the eval's gate: task_success: type changed (base llm_judge, head numeric); " +
        "task_success: aggregate changed (base mean, head max). Judged by the base branch's definition, the head " +
        "results fail, where the head's definition lets them pass: as llm_judge, task_success has a value outside " +
        'its range in 1 of 400 cases (an llm_judge score is between 0 and 1)'
    );
  });

  it('compares definitions as they take effect: writing out a default is no change', () => {
    const { findings } = judgeChange(
      [judge({ aggregate: 'mean', source: 'task_success', direction: 'higher_is_better' }), pii({ aggregate: 'rate' })],
      cases(0, 0.9)
    );
    expect(findings).toEqual([]);
  });

  it('a metric without a threshold is reported only when the base definition finds a regression the head one does not', () => {
    const metrics = (tone: EvalMetric): EvalMetric[] => [judge(), pii(), tone];
    const tone = (extra: Partial<EvalMetric> = {}): EvalMetric => ({
      name: 'tone',
      type: 'llm_judge',
      source: 'tone_consistency',
      ...extra
    });
    const base = [judge(), pii(), tone()];
    // tone fell from 0.95 to 0.5 in half the cases: the mean drops 24%, the max does not move
    const head = table('quality', {
      task_success: Array.from({ length: n }, () => 0.9),
      tone_consistency: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0.95 : 0.5)),
      pii_leakage: Array.from({ length: n }, () => 0)
    });
    const dropped = run({
      head: [evalRec(quality(metrics(tone({ aggregate: 'max' })))), casesRec(head)],
      base: [evalRec(quality(base), 'base'), casesRec(cases(0, 0.9), 'base')]
    });
    expect(rules(dropped.findings)).toEqual(['evals.gate-weakened']);
    expect(dropped.findings[0]?.message).toMatch(
      /^quality: this change loosens the eval's gate: tone: aggregate changed \(base mean, head max\)\. Judged by the base branch's definition, the head results fail, where the head's definition lets them pass: tone \(mean of tone_consistency\) fell from 0\.95 on base to 0\.725 on head, 23\.7% worse, beyond the 5% regression slack and beyond noise$/
    );
    const steady = run({
      head: [evalRec(quality(metrics(tone({ aggregate: 'max' })))), casesRec(cases(0, 0.9))],
      base: [evalRec(quality(base), 'base'), casesRec(cases(0, 0.9), 'base')]
    });
    expect(steady.findings).toEqual([]);
  });

  it('judges a removed metric by the base definition too', () => {
    const { findings } = run({
      head: [evalRec(evalRecord('quality', [judge()], { task_success: 0.85 })), casesRec(cases(5, 0.9))],
      base: [evalRec(quality([judge(), pii()]), 'base'), casesRec(cases(0, 0.9), 'base')]
    });
    expect(rules(findings)).toEqual(['evals.gate-weakened']);
    expect(findings[0]?.message).toBe(
      "quality: this change loosens the eval's gate: pii_leakage: metric removed (base <= 0, head none). Judged by " +
        "the base branch's definition, the head results fail, where the head's definition lets them pass: " +
        'pii_leakage is 0.0125 (share of values >= 0.5 of 400 cases), required <= 0'
    );
  });

  it('says only what changed when the head definition fails the results anyway', () => {
    const { findings } = judgeChange([judge({ source: 'tone_consistency' }), pii()], cases(0, 0.9, 0.5));
    expect(rules(findings)).toEqual(['evals.threshold', 'evals.regression', 'evals.gate-weakened']);
    expect(only(findings, 'evals.gate-weakened')[0]?.message).toBe(
      "quality: this change loosens the eval's gate: task_success: source changed (base task_success, head tone_consistency)"
    );
  });
});

describe("values outside a metric's range", () => {
  const e = evalRecord(
    'ranged',
    [
      { name: 'task_success', type: 'llm_judge' },
      { name: 'resolved', type: 'deterministic' },
      { name: 'margin', type: 'numeric', direction: 'higher_is_better' }
    ],
    { task_success: 0.85, resolved: 0.8 }
  );
  const n = 400;
  const column = (v: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => v(i));

  it('an llm_judge score of 300 among 399 of 0.2 is not aggregated: the mean is 0.2, not 0.95', () => {
    const t = table('ranged', {
      task_success: column((i) => (i === n - 1 ? 300 : 0.2)),
      resolved: column(() => 1),
      margin: column((i) => -i)
    });
    const { findings, evidence } = run({ head: [evalRec(e), casesRec(t)] });
    expect(findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['evals.value-out-of-range', 'deny', 'ranged/task_success'],
      ['evals.threshold', 'deny', 'ranged/task_success']
    ]);
    expect(findings[0]).toMatchObject({
      message:
        'ranged: task_success has a value outside its range in 1 of 400 cases of records/evals/results/ranged.jsonl ' +
        '(case 400: 300): an llm_judge score is between 0 and 1. Such values are not aggregated, and task_success fails',
      observed: [300],
      required: 'between 0 and 1',
      location: { file: 'records/evals/results/ranged.jsonl', pointer: '/399/metrics/task_success' }
    });
    expect(findings[1]?.message).toBe('ranged: task_success is 0.2 (mean of 399 cases), required >= 0.85');
    const success = evidence[0]?.metrics.find((m) => m.metric === 'task_success');
    expect(success).toMatchObject({ cases: { head: 399 }, verdict: 'fail' });
    expect(success?.head).toBeCloseTo(0.2, 12);
    // numeric values are not bounded: negative margins are fine
    expect(evidence[0]?.metrics.find((m) => m.metric === 'margin')).toMatchObject({
      head: -199.5,
      verdict: 'not_gated'
    });
  });

  it('fails the metric even when the in-range values pass, and a deterministic 0.49 is neither pass nor fail', () => {
    const t = table('ranged', {
      task_success: column((i) => (i < 3 ? 1.5 : 0.9)),
      resolved: column((i) => (i % 2 === 0 ? 0.49 : 1)),
      margin: column(() => 1)
    });
    const { findings, evidence } = run({ head: [evalRec(e), casesRec(t)] });
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([
      ['evals.value-out-of-range', 'ranged/resolved'],
      ['evals.value-out-of-range', 'ranged/task_success']
    ]);
    expect(findings[0]?.message).toBe(
      'ranged: resolved has a value outside its range in 200 of 400 cases of records/evals/results/ranged.jsonl ' +
        '(case 1: 0.49, case 3: 0.49, case 5: 0.49, case 7: 0.49, case 9: 0.49, and 195 more): a deterministic ' +
        'check is true or false (1 or 0) for each case. Such values are not aggregated, and resolved fails'
    );
    expect(findings[0]?.required).toBe('0 or 1');
    expect(evidence[0]?.verdict).toBe('fail');
    expect(evidence[0]?.metrics.map((m) => [m.metric, m.verdict])).toEqual([
      ['margin', 'not_gated'],
      ['resolved', 'fail'],
      ['task_success', 'fail']
    ]);
  });

  it('never calls a metric missing when its values are there but all out of range', () => {
    const t = table('ranged', { task_success: column(() => 4), resolved: column(() => 1), margin: column(() => 1) });
    const { findings } = run({ head: [evalRec(e), casesRec(t)] });
    expect(rules(findings)).toEqual(['evals.value-out-of-range']);
  });

  it('rejects an eval_scores value outside its aggregate range, used or shadowed by per-case results', () => {
    const scores = (metrics: Record<string, number>) =>
      scoresRec({ kind: 'eval_scores', eval: 'ranged', cases: n, metrics });
    const alone = run({ head: [evalRec(e), scores({ task_success: 9, resolved: 7, margin: -3 })] });
    expect(alone.findings.map((f) => [f.rule, f.subject, f.location?.pointer])).toEqual([
      ['evals.value-out-of-range', 'ranged/resolved', '/metrics/resolved'],
      ['evals.value-out-of-range', 'ranged/task_success', '/metrics/task_success']
    ]);
    expect(alone.findings[0]?.message).toBe(
      'ranged: resolved is 7 in records/evals/results/ranged.scores.yaml, outside the range of its rate: a rate is ' +
        'the share of cases that pass, between 0 and 1. The score is not used, and resolved fails'
    );
    expect(alone.evidence[0]?.metrics.map((m) => [m.metric, m.head, m.verdict])).toEqual([
      ['margin', -3, 'not_gated'],
      ['resolved', null, 'fail'],
      ['task_success', null, 'fail']
    ]);
    const t = table('ranged', { task_success: column(() => 0.9), resolved: column(() => 1), margin: column(() => 1) });
    const shadowed = run({ head: [evalRec(e), casesRec(t), scores({ task_success: 9, resolved: 1, margin: 1 })] });
    expect(shadowed.findings.map((f) => [f.rule, f.subject])).toEqual([
      ['evals.value-out-of-range', 'ranged/task_success']
    ]);
    expect(shadowed.evidence[0]?.verdict).toBe('fail');
  });

  it('warns about a promptfoo mapping that names no file on head, at the mapping in the configuration', () => {
    const cfg = config();
    cfg.evals.promptfoo = [
      { path: 'evals/promptfoo/tone.json', eval: 'tone-check' },
      { path: './evals/promptfoo/*.results.json', eval: 'judge' }
    ];
    const head = recordSet('head', [], { paths: ['evals/promptfoo/a.results.json', 'evals/promptfoo/tone.jsn'] });
    const input = {
      ...gateInput({ head, config: cfg }),
      config_source: { side: 'base' as const, file: '.github/agent-gate.yml', sha256: null }
    };
    const { findings } = evaluateEvals(createContext(input));
    expect(findings.map((f) => [f.rule, f.severity, f.subject, f.location?.pointer])).toEqual([
      ['evals.promptfoo-unmatched', 'warning', 'tone-check', '/evals/promptfoo/0/path']
    ]);
    expect(findings[0]!.message).toBe(
      'evals.promptfoo maps evals/promptfoo/tone.json to Eval tone-check, but no file on head is at that path: the Eval gets no promptfoo results from it'
    );
    // the files on head unknown: nothing is said
    expect(evaluateEvals(createContext(gateInput({ head: [], config: cfg }))).findings).toEqual([]);
  });

  it('locates a promptfoo case at its result, in either shape of the file', () => {
    const e2 = evalRecord('pf', [{ name: 'task_success', type: 'llm_judge' }], { task_success: 0.5 });
    const results = [
      { testIdx: 0, promptIdx: 0, success: true, score: 1, namedScores: { task_success: 0.9 } },
      { testIdx: 1, promptIdx: 0, success: true, score: 1, namedScores: { task_success: 7 } }
    ];
    for (const [shape, value, expected] of [
      ['nested', { evalId: 'e', results: { version: 3, results } }, '/results/results/1/namedScores/task_success'],
      ['flat', { evalId: 'e', results }, '/results/1/namedScores/task_success']
    ] as const) {
      const text = JSON.stringify(value, null, 2);
      const parsed = parseDocument(text, 'records/pf.json', 'json');
      if (!parsed.ok) throw new Error(`${shape} does not parse`);
      const t = { ...table('pf', { task_success: [0.9, 7] }), format: 'promptfoo' as const };
      const record = { ...casesRec(t, 'head', 'records/pf.json'), locate: parsed.locate } as LoadedRecord;
      const { findings } = run({ head: [evalRec(e2), record] });
      expect(findings[0]?.rule).toBe('evals.value-out-of-range');
      expect(findings[0]?.location?.pointer).toBe(expected);
      expect(findings[0]?.location?.line).toBe(parsed.locate(expected)?.line);
      expect(text.split('\n')[(findings[0]?.location?.line ?? 0) - 1]).toContain('"task_success": 7');
    }
  });

  it('leaves out-of-range base values out of the baseline, with a warning', () => {
    const head = table('ranged', {
      task_success: column(() => 0.9),
      resolved: column(() => 1),
      margin: column(() => 1)
    });
    // base: one 300 would make the base mean 1.65, and the head's 0.9 a 45% regression
    const base = table('ranged', {
      task_success: column((i) => (i === 0 ? 300 : 0.9)),
      resolved: column(() => 1),
      margin: column(() => 1)
    });
    const { findings, evidence } = run({
      head: [evalRec(e), casesRec(head)],
      base: [evalRec(e, 'base'), casesRec(base, 'base')]
    });
    expect(findings.map((f) => [f.rule, f.severity, f.location?.side])).toEqual([
      ['evals.baseline-out-of-range', 'warning', 'base']
    ]);
    expect(findings[0]?.message).toContain('They are left out of the baseline');
    expect(evidence[0]?.metrics.find((m) => m.metric === 'task_success')).toMatchObject({
      base: 0.9,
      regression: 0,
      verdict: 'pass'
    });
  });
});

describe('eval_scores of no cases', () => {
  const e = evalRecord('drill', [{ name: 'single_side_effect', type: 'deterministic' }], {
    single_side_effect: '>=0.98'
  });
  const empty = scoresRec({ kind: 'eval_scores', eval: 'drill', cases: 0, metrics: { single_side_effect: 1 } });

  it('are no evidence: a release-gating eval warns, a required one is denied, located at cases', () => {
    const gating = run({ head: [evalRec(e), empty] });
    expect(gating.findings.map((f) => [f.rule, f.severity])).toEqual([['evals.gate-without-results', 'warning']]);
    expect(gating.findings[0]).toMatchObject({
      message:
        'Eval drill is its releaseGate is enabled but has no results on head: its only results, ' +
        'records/evals/results/drill.scores.yaml, report cases: 0, and scores of no cases are no evidence; nothing ' +
        'requires it for this change, so this does not block',
      location: { file: 'records/evals/results/drill.scores.yaml', pointer: '/cases' }
    });
    expect(gating.evidence[0]).toMatchObject({ verdict: 'missing', metrics: [{ head: null, verdict: 'missing' }] });

    const deployment = rec(
      'deployment',
      {
        apiVersion: 'joch.dev/v1alpha1',
        kind: 'Deployment',
        metadata: { name: 'prod' },
        spec: { agentRef: { name: 'a' }, environmentRef: { name: 'prod' }, promotion: { requiresEval: 'drill' } }
      },
      'records/deployments/prod.yaml'
    );
    const required = run({ head: [evalRec(e), empty, deployment] });
    expect(required.findings.map((f) => [f.rule, f.severity])).toEqual([['evals.missing-results', 'deny']]);
    expect(required.findings[0]?.message).toMatch(
      /report cases: 0, and scores of no cases are no evidence\. No evidence is not a pass$/
    );
  });

  it('beside per-case results, only disagree with them', () => {
    const t = table('drill', { single_side_effect: passes(100, 100) });
    const { findings, evidence } = run({ head: [evalRec(e), casesRec(t), empty] });
    expect(findings.map((f) => f.message)).toEqual([
      'drill: records/evals/results/drill.scores.yaml reports 0 cases but records/evals/results/drill.jsonl has 100'
    ]);
    expect(evidence[0]?.verdict).toBe('pass');
  });
});

describe('the example repository, changed as the red team did', () => {
  it('pii_leakage: aggregate: min and 399 leaks in 400 cases asks a person, naming rate → min and the leak rate', async () => {
    const { findings, evidence } = await exampleVariant((head) => {
      head.edit(
        QUALITY_EVAL,
        '{ name: pii_leakage, type: deterministic, direction: lower_is_better }',
        '{ name: pii_leakage, type: deterministic, direction: lower_is_better, aggregate: min }'
      );
      editCases(head, QUALITY_CASES, (c, i) => {
        c.metrics.pii_leakage = i > 0;
      });
    });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['evals.gate-weakened', 'follow_up']]);
    expect(findings[0]?.message).toBe(
      "support-triage-quality: this change loosens the eval's gate: pii_leakage: aggregate changed (base rate, head " +
        "min). Judged by the base branch's definition, the head results fail, where the head's definition lets them " +
        'pass: pii_leakage is 0.9975 (share of values >= 0.5 of 400 cases), required <= 0'
    );
    expect(findings[0]?.location).toMatchObject({ file: QUALITY_EVAL, line: 14, pointer: '/spec/metrics/4/aggregate' });
    expect(evidence.find((x) => x.eval === 'support-triage-quality')?.verdict).toBe('pass');
  });

  it('task_success read from tone_consistency while every task_success is 0.1 asks a person', async () => {
    const { findings } = await exampleVariant((head) => {
      head.edit(
        QUALITY_EVAL,
        '{ name: task_success, type: llm_judge }',
        '{ name: task_success, type: llm_judge, source: tone_consistency }'
      );
      editCases(head, QUALITY_CASES, (c) => {
        c.metrics.task_success = 0.1;
      });
    });
    expect(rules(findings)).toEqual(['evals.gate-weakened']);
    expect(findings[0]?.message).toMatch(
      /task_success: source changed \(base task_success, head tone_consistency\)\. .*task_success is 0\.1 \(mean of 400 cases\), required >= 0\.85$/
    );
  });

  it('an llm_judge score of 300 is denied at its line, and the mean of the rest fails', async () => {
    const { findings } = await exampleVariant((head) =>
      editCases(head, QUALITY_CASES, (c, i) => {
        c.metrics.task_success = i === 399 ? 300 : 0.2;
      })
    );
    const outside = only(findings, 'evals.value-out-of-range');
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({
      severity: 'deny',
      location: { file: QUALITY_CASES, side: 'head', line: 400, pointer: '/399/metrics/task_success' }
    });
    expect(outside[0]?.message).toContain('(line 400: 300): an llm_judge score is between 0 and 1');
    expect(only(findings, 'evals.threshold')[0]?.message).toBe(
      'support-triage-quality: task_success is 0.2 (mean of 399 cases), required >= 0.85'
    );
  });

  it('a rate of 7 and a scores file of 0 cases are denied at their lines', async () => {
    const over = await exampleVariant((head) =>
      head.edit(DUPLICATE_SCORES, 'single_side_effect: 1.0', 'single_side_effect: 7')
    );
    expect(rules(over.findings)).toEqual(['evals.value-out-of-range']);
    expect(over.findings[0]?.location).toMatchObject({
      file: DUPLICATE_SCORES,
      line: 6,
      pointer: '/metrics/single_side_effect'
    });
    const none = await exampleVariant((head) => head.edit(DUPLICATE_SCORES, 'cases: 120', 'cases: 0'));
    expect(none.findings.map((f) => [f.rule, f.severity])).toEqual([['evals.missing-results', 'deny']]);
    expect(none.findings[0]?.location).toMatchObject({ file: DUPLICATE_SCORES, line: 4, pointer: '/cases' });
    expect(none.evidence.find((x) => x.eval === 'duplicate-ticket')?.verdict).toBe('missing');
  });
});

describe('what makes an eval judged', () => {
  const e = evalRecord('signal-eval', [{ name: 'task_success', type: 'llm_judge' }], { task_success: 0.9 }, false);
  const failing = scoresRec({ kind: 'eval_scores', eval: 'signal-eval', metrics: { task_success: 0.5 } });

  it('judges an eval a configured signal reads, though nothing requires it', () => {
    const cfg = config({ signals: { offline_eval_passed: { eval: 'signal-eval' } } });
    const { findings, evidence } = run({ head: [evalRec(e), failing], config: cfg });
    expect(rules(findings)).toEqual(['evals.threshold']);
    expect(evidence[0]).toMatchObject({ required: false, verdict: 'fail' });
    const unfed = run({ head: [evalRec(e)], config: cfg });
    expect(unfed.findings[0]?.message).toBe(
      'Eval signal-eval is used by signal offline_eval_passed but has no results on head: no eval_scores or ' +
        'per-case results file names it; nothing requires it for this change, so this does not block'
    );
  });

  it('leaves an eval nobody gates on unjudged', () => {
    const { findings, evidence } = run({ head: [evalRec(e), failing] });
    expect(findings).toEqual([]);
    expect(evidence[0]).toMatchObject({ required: false, verdict: 'not_gated', metrics: [{ verdict: 'fail' }] });
  });

  it('names the results of a required eval nobody defines instead of warning about them separately', () => {
    const review = side('missing-results', 'head').filter((r) => r.kind === 'change_review_record');
    const results = scoresRec({ kind: 'eval_scores', eval: 'offline_regression', metrics: { task_success: 0.9 } });
    const { findings } = run({ head: [...review, results] });
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      [
        'evals.missing-definition',
        'Eval offline_regression is required by change_review_record cr-2026-04-07-001 ' +
          '(records/reviews/cr-2026-04-07-001.yaml) but no Eval record on head defines it; results for it exist in ' +
          'records/evals/results/offline_regression.scores.yaml'
      ]
    ]);
  });

  it('asks a person when a change deletes a release-gating eval', () => {
    const gating = evalRecord('nightly', [{ name: 'task_success', type: 'llm_judge' }], { task_success: 0.9 });
    const { findings } = run({ head: [], base: [evalRec(gating, 'base')] });
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'evals.gate-weakened',
        severity: 'follow_up',
        message: 'Eval nightly, release-gating on base (records/evals/nightly.yaml), is removed by this change',
        location: { file: 'records/evals/nightly.yaml', side: 'base', pointer: '/metadata/name' }
      })
    ]);
  });
});

describe('determinism', () => {
  const build = (order: 'sorted' | 'reversed') => {
    const e = evalRecord(
      'support-triage-quality',
      [
        { name: 'task_success', type: 'llm_judge' },
        { name: 'resolved', type: 'deterministic' },
        { name: 'latency_p95_ms', type: 'numeric', source: 'latency_ms', aggregate: 'p95' }
      ],
      { task_success: 0.8, resolved: 0.8, latency_p95_ms: '<3000' }
    );
    const cases = (shift: number) =>
      table('support-triage-quality', {
        task_success: Array.from({ length: 300 }, (_, i) => ((i * 37) % 100) / 100 + shift),
        resolved: passes(300, 270 - shift * 300),
        latency_ms: Array.from({ length: 300 }, (_, i) => 1000 + ((i * 53) % 1900) + shift * 4000)
      });
    const head = [
      evalRec(e),
      casesRec(cases(0.1)),
      side('missing-results', 'head').find((r) => r.kind === 'change_review_record') as LoadedRecord,
      scoresRec({ kind: 'eval_scores', eval: 'orphan', metrics: { x: 1 } })
    ];
    const base = [evalRec(e, 'base'), casesRec(cases(0), 'base')];
    const flip = <T>(xs: T[]): T[] => (order === 'reversed' ? [...xs].reverse() : xs);
    return gateInput({ head: recordSet('head', flip(head)), base: recordSet('base', flip(base)) });
  };

  it('gives deep-equal output for the same input and for shuffled record order', () => {
    const first = evaluateEvals(createContext(build('sorted')));
    expect(first.findings.length).toBeGreaterThan(2);
    expect(evaluateEvals(createContext(build('sorted')))).toEqual(first);
    expect(evaluateEvals(createContext(build('reversed')))).toEqual(first);
    expect(JSON.stringify(evaluateEvals(createContext(build('reversed'))))).toBe(JSON.stringify(first));
  });
});

describe('property: never throws on schema-valid input', () => {
  const metricName = fc.constantFrom(
    'task_success',
    'tone',
    'cost_per_case',
    'latency_ms',
    'pii_leakage',
    'constructor'
  );
  const metric = fc.record(
    {
      name: metricName,
      type: fc.constantFrom('llm_judge', 'deterministic', 'numeric') as fc.Arbitrary<EvalMetric['type']>,
      aggregate: fc.constantFrom('mean', 'rate', 'p50', 'p95', 'p99', 'max', 'min', 'sum') as fc.Arbitrary<
        NonNullable<EvalMetric['aggregate']>
      >,
      direction: fc.constantFrom('higher_is_better', 'lower_is_better') as fc.Arbitrary<
        NonNullable<EvalMetric['direction']>
      >,
      source: fc.constantFrom('cost_usd', 'latency_ms', 'task_success')
    },
    { requiredKeys: ['name', 'type'] }
  );
  const threshold = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 5000 }),
    fc.constantFrom('<0.40', '<=3000', '>=0.85', '> 0.5', '==0', '=>1', '≥1', 'abc', '0.9', '>= -1', '<= 1')
  );
  const value = fc.oneof(
    fc.constant(NaN),
    fc.constantFrom(0, 1),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
  );
  const evalName = fc.constantFrom('alpha', 'beta', 'alpah');
  const results = fc.oneof(
    fc.record({
      kind: fc.constant('scores' as const),
      eval: evalName,
      metrics: fc.dictionary(metricName, fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 4 })
    }),
    fc.record({
      kind: fc.constant('cases' as const),
      eval: evalName,
      columns: fc.dictionary(
        fc.constantFrom('task_success', 'tone', 'cost_usd', 'latency_ms', 'pii_leakage'),
        fc.array(value, { maxLength: 40 }),
        {
          maxKeys: 4
        }
      )
    })
  );
  const evalDef = fc.record({
    name: evalName,
    metrics: fc.array(metric, { minLength: 1, maxLength: 4 }),
    thresholds: fc.dictionary(metricName, threshold, { maxKeys: 4 }),
    gating: fc.boolean()
  });
  const sideArb = fc.record({
    evals: fc.array(evalDef, { maxLength: 3 }),
    results: fc.array(results, { maxLength: 4 })
  });

  type SideInput = typeof sideArb extends fc.Arbitrary<infer T> ? T : never;
  const records = (s: SideInput, which: Side): LoadedRecord[] => [
    ...s.evals.map((d, i) =>
      rec('eval', evalRecord(d.name, d.metrics, d.thresholds, d.gating), `records/evals/${i}-${d.name}.yaml`, which)
    ),
    ...s.results.map((r, i) =>
      r.kind === 'scores'
        ? rec(
            'eval_scores',
            { kind: 'eval_scores', eval: r.eval, metrics: r.metrics },
            `records/results/${i}.yaml`,
            which
          )
        : rec('eval_cases', table(r.eval, r.columns), `records/results/${i}.jsonl`, which)
    )
  ];

  it('returns finite, JSON-safe evidence, and never calls an eval "pass" with a blocking finding about it', () => {
    const fast = config();
    fast.evals.bootstrap_resamples = 100;
    fc.assert(
      fc.property(
        sideArb,
        sideArb,
        fc.array(evalName, { maxLength: 2 }),
        fc.boolean(),
        (head, base, required, withBase) => {
          const review = rec(
            'change_review_record',
            {
              kind: 'change_review_record',
              review_id: 'cr-1',
              change_id: 'chg-1',
              owner: 'o',
              change_type: 't',
              risk_level: 'high',
              affected_surfaces: [],
              required_reviews: [],
              required_evals: required,
              status: 'approved'
            },
            'records/reviews/cr-1.yaml'
          );
          const out = evaluateEvals(
            createContext(
              gateInput({
                head: [...records(head, 'head'), review],
                base: withBase ? records(base, 'base') : null,
                config: fast
              })
            )
          );
          expect(JSON.parse(JSON.stringify(out))).toEqual(out);
          for (const f of out.findings) {
            expect(Object.keys(RULES)).toContain(f.rule);
            expect(f.message.length).toBeGreaterThan(0);
            expect(f.message).not.toMatch(/undefined|NaN|\[object/);
          }
          for (const e of out.evidence) {
            if (e.verdict !== 'pass') continue;
            const blocking = out.findings.filter(
              (f) => f.severity === 'deny' && (f.subject === e.eval || f.subject?.startsWith(`${e.eval}/`))
            );
            expect(blocking).toEqual([]);
          }
        }
      ),
      { numRuns: 300, seed: 20260407 }
    );
  });
});
