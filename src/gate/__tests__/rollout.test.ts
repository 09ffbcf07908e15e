import { describe, expect, it } from '@jest/globals';
import type { RolloutGateRecord } from '../../model/records.js';
import { config, gateInput, rec } from '../../testing/records.js';
import { createContext } from '../context.js';
import { evaluateRollout, parseTrafficScope, RULES } from '../rollout.js';
import { deriveSignals } from '../signals.js';
import { describeCases } from './gate-cases.js';

describeCases('rollout');

describe('parseTrafficScope', () => {
  it.each([
    ['5_percent', 5],
    ['5%', 5],
    ['5 %', 5],
    ['5 percent', 5],
    ['5 Percent', 5],
    ['5pct', 5],
    ['5-pct', 5],
    ['0.5_percent', 0.5],
    ['.5%', 0.5],
    ['5', 5],
    [5, 5],
    [0, 0],
    [100, 100],
    ['100_percent', 100],
    ['internal_only', 0],
    ['Shadow', 0],
    ['full', 100]
  ])('reads %p as %p%%', (scope, pct) => {
    expect(parseTrafficScope(scope)).toBe(pct);
  });

  it.each(['canary', 'a few tenants', '5 tenants', '150%', '-5%', '5%%', '', 'NaN', '1e2'])(
    'cannot read %p',
    (scope) => {
      expect(parseTrafficScope(scope)).toBeNull();
    }
  );

  it.each([-1, 101, Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %p', (scope) => {
    expect(parseTrafficScope(scope)).toBeNull();
  });
});

const gate = (over: Partial<RolloutGateRecord> = {}): RolloutGateRecord => ({
  kind: 'rollout_gate_record',
  gate_id: 'gate-1',
  change_id: 'chg-1',
  bundle_id: 'bundle-1',
  rollout_wave: 'canary',
  traffic_scope: 'internal_only',
  required_checks: [],
  blocking_findings: [],
  decision: 'go',
  decided_by: ['runtime_owner'],
  ...over
});
const review = rec(
  'change_review_record',
  {
    kind: 'change_review_record',
    review_id: 'cr-1',
    change_id: 'chg-1',
    owner: 'o',
    change_type: 't',
    risk_level: 'low',
    affected_surfaces: [],
    required_reviews: [],
    required_evals: [],
    status: 'approved'
  },
  'records/review.yaml'
);
const run = (g: RolloutGateRecord, cfg = config()) => {
  const ctx = createContext(
    gateInput({ head: [review, rec('rollout_gate_record', g, 'records/gate.yaml')], config: cfg })
  );
  return evaluateRollout(ctx, deriveSignals(ctx, [], []), []);
};

describe('evaluateRollout', () => {
  it.each(['tbd', 'TBD', 'n/a', 'N/A', 'unknown', 'todo', '-', '...'])('calls bundle_id %p a placeholder', (bundle) => {
    const rules = run(gate({ bundle_id: bundle })).findings.map((f) => f.rule);
    expect(rules).toEqual(['rollout.vague-target']);
  });

  it('resolves a gate record to a review record already in the repository', () => {
    const ctx = createContext(
      gateInput({ head: [review, rec('rollout_gate_record', gate(), 'records/gate.yaml')], base: [review] })
    );
    const result = evaluateRollout(ctx, deriveSignals(ctx, [], []), []);
    expect(result.findings).toEqual([]);
    expect(result.evidence.chain).toEqual([
      {
        change_id: 'chg-1',
        review_id: 'cr-1',
        bundle_id: 'bundle-1',
        rollout_wave: 'canary',
        gate_id: 'gate-1',
        decision: 'go'
      }
    ]);
  });

  it('reports every decision other than go', () => {
    for (const decision of ['no_go', 'hold', 'rollback'] as const) {
      const [f] = run(gate({ decision })).findings;
      expect(f).toMatchObject({ rule: 'rollout.not-go', observed: decision, required: 'go' });
    }
  });

  it('reports duplicated gate ids', () => {
    const ctx = createContext(
      gateInput({
        head: [
          review,
          rec('rollout_gate_record', gate(), 'records/a.yaml'),
          rec('rollout_gate_record', gate(), 'records/b.yaml')
        ]
      })
    );
    const { findings } = evaluateRollout(ctx, deriveSignals(ctx, [], []), []);
    expect(findings.map((f) => [f.rule, f.location?.file])).toEqual([['rollout.duplicate-gate-id', 'records/b.yaml']]);
  });

  it('drops a rule the configuration turns off and applies a downgrade', () => {
    const hold = gate({ decision: 'hold' });
    expect(run(hold, config({ rules: { 'rollout.not-go': 'off' } })).findings).toEqual([]);
    expect(run(hold, config({ rules: { 'rollout.not-go': 'warning' } })).findings[0]?.severity).toBe('warning');
  });

  it('does not apply the rollout policy to a pull request that is no agent change', () => {
    const policy = rec(
      'rollout_policy',
      { rollout: { require: ['slo_defined'], block_if: [], rollout_mode: { max_tenant_exposure_pct: 5 } } },
      'records/rollout.yaml'
    );
    const ctx = createContext(
      gateInput({ head: [policy], base: [policy], changed_files: [{ path: 'README.md', status: 'modified' }] })
    );
    expect(evaluateRollout(ctx, deriveSignals(ctx, [], []), [])).toEqual({
      findings: [],
      evidence: { rollout: null, chain: [] }
    });
  });

  it('has no evidence when there is neither a policy nor a gate record', () => {
    expect(run(gate()).evidence.rollout).toMatchObject({ required: [], rollout_mode: null });
    const ctx = createContext(gateInput({ head: [review] }));
    expect(evaluateRollout(ctx, deriveSignals(ctx, [], []), []).evidence).toEqual({ rollout: null, chain: [] });
  });
});

describe('rollout RULES', () => {
  it('documents every rule', () => {
    for (const spec of Object.values(RULES)) {
      expect(spec.id).toMatch(/^rollout\.[a-z-]+$/);
      expect(spec.description.length).toBeGreaterThan(60);
      expect(spec.fix.length).toBeGreaterThan(20);
    }
  });
});

describe('signals of several changes', () => {
  const assessment = (path: string, signals: Record<string, boolean>, changeId?: string) =>
    rec(
      'rollout_assessment',
      { kind: 'rollout_assessment', ...(changeId ? { change_id: changeId } : {}), signals },
      path
    );
  const reviewOf = (changeId: string) =>
    rec(
      'change_review_record',
      { ...(review.data as object), review_id: `cr-${changeId}`, change_id: changeId } as never,
      `records/${changeId}/review.yaml`
    );
  const policy = rec(
    'rollout_policy',
    {
      rollout: {
        require: ['trace_coverage'],
        block_if: ['direct_tool_access_present'],
        rollout_mode: { max_tenant_exposure_pct: 5 }
      }
    },
    'records/rollout.yaml'
  );
  const evaluate = (head: Parameters<typeof gateInput>[0]['head']) => {
    const ctx = createContext(gateInput({ head, base: [policy], changed_files: [] }));
    return evaluateRollout(ctx, deriveSignals(ctx, [], []), []);
  };

  it('evidences a gate record’s checks with its own change’s signals only', () => {
    const { findings } = evaluate([
      policy,
      reviewOf('chg-1'),
      reviewOf('chg-2'),
      rec('rollout_gate_record', gate({ change_id: 'chg-2', required_checks: ['oncall_ready'] }), 'records/gate.yaml'),
      assessment('records/a.yaml', { trace_coverage: true, direct_tool_access_present: false }),
      assessment('records/chg-1/assessment.yaml', { oncall_ready: true }, 'chg-1')
    ]);
    expect(findings.map((f) => [f.rule, f.subject, f.observed])).toEqual([
      ['rollout.check-not-evidenced', 'gate-1', { oncall_ready: null }]
    ]);
    expect(findings[0]!.message).toContain(
      'oncall_ready (unknown: no evidence for this change; asserted true for change chg-1 in ' +
        'records/chg-1/assessment.yaml (does not apply))'
    );
  });

  it('requires the policy’s evidence for every change and blocks on a blocker of any', () => {
    const { findings, evidence } = evaluate([
      policy,
      reviewOf('chg-1'),
      reviewOf('chg-2'),
      assessment('records/chg-1/assessment.yaml', { trace_coverage: true, direct_tool_access_present: false }, 'chg-1'),
      assessment('records/chg-2/assessment.yaml', { trace_coverage: false, direct_tool_access_present: true }, 'chg-2')
    ]);
    expect(findings.map((f) => [f.rule, f.observed])).toEqual([
      ['rollout.missing-required', { trace_coverage: false }],
      ['rollout.blocking-signal', { direct_tool_access_present: true }]
    ]);
    expect(findings[0]!.message).toContain('trace_coverage (false: for change chg-2: asserted in records/chg-2/');
    expect(findings[1]!.message).toContain('direct_tool_access_present (for change chg-2: asserted in records/chg-2/');
    expect(evidence.rollout).toMatchObject({
      missing_required: ['trace_coverage'],
      blocking_signals: ['direct_tool_access_present']
    });
  });

  it('does not apply an assessment of a change the pull request is not about', () => {
    const { findings } = evaluate([
      policy,
      reviewOf('chg-1'),
      assessment('records/a.yaml', { trace_coverage: true, direct_tool_access_present: true }, 'chg-else')
    ]);
    expect(findings.map((f) => [f.rule, f.observed])).toEqual([['rollout.missing-required', { trace_coverage: null }]]);
  });

  it('reports a contradiction within one change, not a difference between two', () => {
    const differ = evaluate([
      policy,
      reviewOf('chg-1'),
      reviewOf('chg-2'),
      assessment('records/a.yaml', { trace_coverage: true }),
      assessment('records/chg-1/assessment.yaml', { direct_tool_access_present: false }, 'chg-1'),
      assessment('records/chg-2/assessment.yaml', { direct_tool_access_present: true }, 'chg-2')
    ]);
    expect(differ.findings.map((f) => f.rule)).toEqual(['rollout.blocking-signal']);
    const contradict = evaluate([
      policy,
      reviewOf('chg-1'),
      reviewOf('chg-2'),
      assessment('records/a.yaml', { trace_coverage: true, direct_tool_access_present: false }),
      assessment('records/chg-2/assessment.yaml', { direct_tool_access_present: true }, 'chg-2')
    ]);
    expect(contradict.findings.map((f) => [f.rule, f.subject])).toEqual([
      ['rollout.signal-conflict', 'direct_tool_access_present']
    ]);
    expect(contradict.findings[0]!.message).toMatch(
      /^Signal direct_tool_access_present has contradicting evidence for change chg-2: /
    );
  });
});

describe('evidence merged earlier', () => {
  const assessment = (path: string, signals: Record<string, boolean>, changeId?: string) =>
    rec(
      'rollout_assessment',
      { kind: 'rollout_assessment', ...(changeId ? { change_id: changeId } : {}), signals },
      path
    );
  const change = (id: string, changeType = 'x') =>
    rec(
      'change',
      {
        change: {
          change_id: id,
          change_type: changeType,
          risk_level: 'low',
          rollout_strategy: 'canary',
          required_signals: [],
          session_control_owner: 'a',
          emergency_freeze_owner: 'b'
        }
      },
      `records/${id}/change.yaml`
    );
  const reviewAt = (path: string, changeId = 'chg-1') =>
    rec(
      'change_review_record',
      { ...(review.data as object), review_id: `cr-${changeId}`, change_id: changeId } as never,
      path
    );
  const gateOf = (over: Partial<RolloutGateRecord> = {}) =>
    rec('rollout_gate_record', gate(over), `records/${over.change_id ?? 'chg-1'}/gate.yaml`);
  const policy = rec(
    'rollout_policy',
    {
      rollout: {
        require: ['trace_coverage'],
        block_if: ['direct_tool_access_present'],
        rollout_mode: { max_tenant_exposure_pct: 5 }
      }
    },
    'records/rollout.yaml'
  );
  const evaluate = (
    head: Parameters<typeof gateInput>[0]['head'],
    base: Parameters<typeof gateInput>[0]['base'],
    changed: string[] = []
  ) => {
    const ctx = createContext(
      gateInput({ head, base, changed_files: changed.map((path) => ({ path, status: 'modified' as const })) })
    );
    return evaluateRollout(ctx, deriveSignals(ctx, [], []), []);
  };
  const rules = (r: ReturnType<typeof evaluate>) => r.findings.map((f) => [f.rule, f.severity]);

  it('applies a blocker asserted by an unscoped assessment merged earlier, as when it is added', () => {
    const global = assessment('records/global-assessment.yaml', { direct_tool_access_present: true });
    const own = assessment('records/chg-1/assessment.yaml', { trace_coverage: true }, 'chg-1');
    const head = [policy, global, change('chg-1'), reviewAt('records/chg-1/review.yaml'), own];
    const merged = evaluate(head, [policy, global]);
    expect(rules(merged)).toEqual([['rollout.blocking-signal', 'deny']]);
    expect(merged.findings[0]!.message).toContain(
      'direct_tool_access_present (asserted in records/global-assessment.yaml)'
    );
    expect(rules(evaluate(head, [policy]))).toEqual([['rollout.blocking-signal', 'deny']]);
  });

  it('holds a change whose gate record, merged earlier, says hold with open blocking findings', () => {
    const hold = gateOf({ decision: 'hold', blocking_findings: ['F-1'] });
    const r = reviewAt('records/chg-1/review.yaml');
    const own = assessment('records/chg-1/assessment.yaml', { trace_coverage: true }, 'chg-1');
    const result = evaluate([policy, change('chg-1', 'y'), r, hold, own], [policy, change('chg-1'), r, hold, own]);
    expect(result.findings.map((f) => [f.rule, f.subject, f.location?.file])).toEqual([
      ['rollout.blocking-findings', 'gate-1', 'records/chg-1/gate.yaml'],
      ['rollout.not-go', 'gate-1', 'records/chg-1/gate.yaml']
    ]);
    expect(result.findings[1]!.message).toBe(
      'rollout_gate_record gate-1 (merged earlier) decided hold for wave canary; only go lets the change roll out.'
    );
    expect(result.evidence.chain.map((c) => [c.change_id, c.gate_id, c.decision])).toEqual([
      ['chg-1', 'gate-1', 'hold']
    ]);
  });

  it('judges a change by the base copy of a rollout policy the pull request loosens or deletes', () => {
    const r = reviewAt('records/chg-1/review.yaml');
    const blocker = assessment('records/chg-1/assessment.yaml', { direct_tool_access_present: true }, 'chg-1');
    const loosened = rec(
      'rollout_policy',
      { rollout: { require: [], block_if: [], rollout_mode: {} } },
      'records/rollout.yaml'
    );
    const head = [change('chg-1'), r, blocker];
    const expected = [
      ['rollout.missing-required', 'deny', 'base'],
      ['rollout.blocking-signal', 'deny', 'base']
    ];
    const located = (x: ReturnType<typeof evaluate>) => x.findings.map((f) => [f.rule, f.severity, f.location?.side]);
    expect(located(evaluate([...head, loosened], [policy]))).toEqual(expected);
    expect(located(evaluate(head, [policy]))).toEqual(expected);
    // tightening it: the head's entries count with the base copy's, and the lower exposure cap
    const tightened = rec(
      'rollout_policy',
      {
        rollout: {
          require: ['trace_coverage', 'slo_defined'],
          block_if: [],
          rollout_mode: { max_tenant_exposure_pct: 1 }
        }
      },
      'records/rollout.yaml'
    );
    const both = evaluate([...head, tightened], [policy]);
    expect(both.evidence.rollout?.required).toEqual(['trace_coverage', 'slo_defined']);
    expect(both.evidence.rollout?.rollout_mode).toEqual({ max_tenant_exposure_pct: 1 });
    expect(rules(both)).toEqual([
      ['rollout.missing-required', 'deny'],
      ['rollout.blocking-signal', 'deny']
    ]);
  });

  it('keeps the blockers of an assessment the pull request deletes, and none of its claims', () => {
    const r = reviewAt('records/chg-1/review.yaml');
    const merged = assessment(
      'records/chg-1/assessment.yaml',
      { direct_tool_access_present: true, trace_coverage: true },
      'chg-1'
    );
    const result = evaluate([policy, change('chg-1', 'y'), r], [policy, change('chg-1'), r, merged]);
    expect(rules(result)).toEqual([
      ['rollout.missing-required', 'deny'],
      ['rollout.blocking-signal', 'deny']
    ]);
    expect(result.findings[1]!.message).toContain(
      'direct_tool_access_present (asserted in records/chg-1/assessment.yaml (merged earlier, removed on the head))'
    );
  });

  it('still holds a change whose held gate record, merged earlier, the pull request deletes or renames out', () => {
    const hold = gateOf({ decision: 'hold', blocking_findings: ['F-1'] });
    const r = reviewAt('records/chg-1/review.yaml');
    const own = assessment('records/chg-1/assessment.yaml', { trace_coverage: true }, 'chg-1');
    const result = evaluate([policy, change('chg-1', 'y'), r, own], [policy, change('chg-1'), r, hold, own]);
    expect(result.findings.map((f) => [f.rule, f.subject, f.location?.file, f.location?.side])).toEqual([
      ['rollout.blocking-findings', 'gate-1', 'records/chg-1/gate.yaml', 'base'],
      ['rollout.not-go', 'gate-1', 'records/chg-1/gate.yaml', 'base']
    ]);
    expect(result.findings[1]!.message).toBe(
      'rollout_gate_record gate-1 (merged earlier, removed on the head) decided hold for wave canary; only go lets ' +
        'the change roll out.'
    );
  });

  it('does not let records of another change, unchanged on the base branch, decide an unrelated pull request', () => {
    const otherHold = gateOf({ change_id: 'chg-9', decision: 'hold', blocking_findings: ['F-9'] });
    const otherBlocker = assessment('records/chg-9/assessment.yaml', { direct_tool_access_present: true }, 'chg-9');
    const otherReview = reviewAt('records/chg-9/review.yaml', 'chg-9');
    const base = [policy, otherHold, otherBlocker, otherReview];
    const head = [
      ...base,
      change('chg-1'),
      reviewAt('records/chg-1/review.yaml'),
      assessment('records/chg-1/assessment.yaml', { trace_coverage: true }, 'chg-1')
    ];
    const result = evaluate(head, base);
    expect(result.findings).toEqual([]);
    expect(result.evidence.chain).toEqual([]);
  });

  it('judges a change the same whether or not a pull request touches the bytes of its assessment', () => {
    const r = reviewAt('records/chg-1/review.yaml');
    const g = gateOf();
    const own = assessment('records/chg-1/assessment.yaml', { trace_coverage: true }, 'chg-1');
    const commented = rec('rollout_assessment', { ...(own.data as object) } as never, own.source.path);
    commented.source.sha256 = 'edited-comment';
    const merged = [policy, change('chg-1'), r, g, own];
    // the review record renamed: its change is this pull request's, and evidenced by what was merged for it
    const renamed = evaluate([policy, change('chg-1'), reviewAt('records/chg-1/review-renamed.yaml'), g, own], merged);
    expect(renamed.findings).toEqual([]);
    expect(renamed.evidence.rollout).toMatchObject({ missing_required: [], blocking_signals: [] });
    // a comment added to the assessment: the same decision
    expect(evaluate([policy, change('chg-1'), r, g, commented], merged).findings).toEqual([]);
  });

  it('judges no rollout policy for a pull request with no change of its own', () => {
    const r = reviewAt('records/chg-1/review.yaml');
    const own = assessment('records/chg-1/assessment.yaml', { trace_coverage: true }, 'chg-1');
    const evalDef = (threshold: number) =>
      rec('eval', { metadata: { name: 'quality' }, threshold } as never, 'records/evals/quality.yaml');
    const base = [policy, change('chg-1'), r, gateOf(), own, evalDef(1)];
    const head = [policy, change('chg-1'), r, gateOf(), own, evalDef(2)];
    // only an eval record is edited: nothing rolls out, so the policy neither requires nor blocks anything
    expect(evaluate(head, base, ['records/evals/quality.yaml'])).toEqual({
      findings: [],
      evidence: { rollout: null, chain: [] }
    });
    // an agent surface touched without any change record is still judged (with derived and unscoped evidence)
    const cfg = config({ surfaces: { prompts: ['agents/**/prompts/**'] } });
    const ctx = createContext(
      gateInput({
        head,
        base: head,
        config: cfg,
        changed_files: [{ path: 'agents/a/prompts/system.md', status: 'modified' }]
      })
    );
    expect(evaluateRollout(ctx, deriveSignals(ctx, [], []), []).findings.map((f) => f.rule)).toEqual([
      'rollout.missing-required'
    ]);
  });
});
