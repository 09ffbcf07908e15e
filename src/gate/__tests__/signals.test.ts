import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { EvalEvidence, RoleEvidence } from '../../model/evidence.js';
import type { Finding } from '../../model/finding.js';
import type { ApprovalInput, GateInput, LoadedRecord } from '../../model/input.js';
import type {
  ChangeRecordDoc,
  ChangeReviewRecord,
  DeploymentRecord,
  RolloutAssessment,
  RolloutGateRecord,
  RolloutPolicyDoc
} from '../../model/records.js';
import { config, gateInput, noApprovals, rec, recordSet } from '../../testing/records.js';
import { createContext } from '../context.js';
import { deriveSignals, signalEvidence, signalOf } from '../signals.js';
import { runFamilies, shuffledInput } from './gate-cases.js';

const evalEvidence = (name: string, verdict: EvalEvidence['verdict']): EvalEvidence => ({
  eval: name,
  required: true,
  required_by: [],
  verdict,
  metrics: []
});
const role = (name: string, satisfied: boolean): RoleEvidence => ({
  role: name,
  required_by: ['test'],
  approved_by: satisfied ? ['dana'] : [],
  eligible: satisfied ? [] : ['dana'],
  unresolved_teams: [],
  satisfied
});
const assessment = (path: string, signals: Record<string, boolean>, evidence?: Record<string, string>) =>
  rec('rollout_assessment', { kind: 'rollout_assessment', signals, ...(evidence ? { evidence } : {}) }, path);
const assessmentFor = (changeId: string, path: string, signals: Record<string, boolean>) =>
  rec('rollout_assessment', { kind: 'rollout_assessment', change_id: changeId, signals }, path);
const changeRec = (changeId: string, required: string[] = []) =>
  rec(
    'change',
    {
      change: {
        change_id: changeId,
        change_type: 'x',
        risk_level: 'low',
        rollout_strategy: 'canary',
        required_signals: required,
        session_control_owner: 'a',
        emergency_freeze_owner: 'b'
      }
    },
    `records/${changeId}/change.yaml`
  );

describe('deriveSignals', () => {
  const cfg = config({
    signals: {
      offline_eval_passed: { eval: 'support-triage-quality' },
      duplicate_ticket_eval_passed: { eval: 'duplicate-ticket' },
      design_review_passed: { approval: 'engineering' },
      policy_diff_reviewed: { approval: 'safety' },
      rollback_plan_ready: { file: 'runbooks/rollback.md' },
      runbook_index: { file: './runbooks/index.md' }
    }
  });

  it('derives signals from eval verdicts, role approvals and files in the head tree', () => {
    const input = gateInput({
      head: recordSet('head', [], { paths: ['runbooks/rollback.md', 'README.md'] }),
      config: cfg,
      approvals: { available: true, author: 'alex', head_sha: 'abc', reviews: [], teams: {} }
    });
    const table = deriveSignals(
      createContext(input),
      [evalEvidence('support-triage-quality', 'pass'), evalEvidence('duplicate-ticket', 'fail')],
      [role('engineering', true), role('safety', false)]
    );
    expect(signalEvidence(table)).toEqual([
      { name: 'design_review_passed', value: true, source: 'approval engineering: approved by @dana' },
      { name: 'duplicate_ticket_eval_passed', value: false, source: 'eval duplicate-ticket: fail' },
      { name: 'offline_eval_passed', value: true, source: 'eval support-triage-quality: pass' },
      { name: 'policy_diff_reviewed', value: false, source: 'approval safety: not approved' },
      { name: 'rollback_plan_ready', value: true, source: 'file runbooks/rollback.md: present in head' },
      { name: 'runbook_index', value: false, source: 'file runbooks/index.md: absent in head' }
    ]);
  });

  it('treats an eval with no result as false, and a role without readable reviews as awaiting approval', () => {
    const table = deriveSignals(createContext(gateInput({ head: [], config: cfg })), [], []);
    expect(signalOf(table, 'offline_eval_passed')).toMatchObject({
      value: false,
      source: 'eval support-triage-quality: missing'
    });
    expect(signalOf(table, 'design_review_passed')).toMatchObject({
      value: null,
      source: 'approval engineering: not readable (no pull request)',
      awaiting_approval: true
    });
  });

  it('does not let an assertion stand in for an approval that cannot be read', () => {
    const assessment = rec(
      'rollout_assessment',
      { kind: 'rollout_assessment', signals: { design_review_passed: true, trace_coverage: true } },
      'records/assessment.yaml'
    );
    const table = deriveSignals(createContext(gateInput({ head: [assessment], config: cfg })), [], []);
    expect(signalOf(table, 'design_review_passed')).toMatchObject({ value: null, awaiting_approval: true });
    expect(signalOf(table, 'trace_coverage')).toMatchObject({ value: true, awaiting_approval: false });
  });

  const readFailed: ApprovalInput = {
    available: false,
    unavailable_reason: 'could not read the reviews of pull request #7 (HTTP 500)',
    read_failed: true,
    author: 'alex',
    head_sha: 'abc',
    reviews: [],
    teams: {}
  };

  it('leaves an approval signal unknown, not awaiting, when the pull request reviews could not be read', () => {
    const assessment = rec(
      'rollout_assessment',
      { kind: 'rollout_assessment', signals: { design_review_passed: true } },
      'records/assessment.yaml'
    );
    const table = deriveSignals(
      createContext(gateInput({ head: [assessment], config: cfg, approvals: readFailed })),
      [],
      []
    );
    // unknown, and an assertion does not stand in for it; but it is not a person's pending action either
    expect(signalOf(table, 'design_review_passed')).toMatchObject({
      value: null,
      source:
        'approval engineering: the reviews could not be read (could not read the reviews of pull request #7 (HTTP 500))',
      awaiting_approval: false
    });
  });

  it('keeps a missing approval signal blocking when the reviews could not be read, unlike a run without a pull request', () => {
    const input = (approvals: ApprovalInput) =>
      gateInput({
        head: [changeRec('chg-1', ['design_review_passed'])],
        config: cfg,
        changed_files: [{ path: 'records/chg-1/change.yaml', status: 'added' }],
        approvals
      });
    const missingSignal = (approvals: ApprovalInput) =>
      runFamilies(input(approvals))
        .findings.filter((f) => f.rule === 'review.missing-signal')
        .map((f) => f.severity);
    expect(missingSignal(noApprovals('a push event has no pull request'))).toEqual(['follow_up']);
    expect(missingSignal(readFailed)).toEqual(['deny']);
  });

  it('leaves a file signal unknown when the head tree was not listed', () => {
    const table = deriveSignals(createContext(gateInput({ head: [], config: cfg })), [], []);
    expect(signalOf(table, 'rollback_plan_ready')).toMatchObject({
      value: null,
      source: 'file runbooks/rollback.md: the head tree was not listed'
    });
  });

  it('checks an approval signal for a role no record requires', () => {
    const approvals: ApprovalInput = {
      available: true,
      author: 'alex',
      head_sha: 'abc',
      reviews: [{ id: 1, user: 'li-eng', state: 'APPROVED', commit_id: 'abc', submitted_at: '2026-01-01T00:00:00Z' }],
      teams: {}
    };
    const input = gateInput({
      head: [],
      config: { ...cfg, roles: { engineering: { users: ['Li-Eng'], teams: [] } } },
      approvals
    });
    const table = deriveSignals(createContext(input), [], []);
    expect(signalOf(table, 'design_review_passed')).toMatchObject({
      value: true,
      source: 'approval engineering: approved by @li-eng'
    });
  });

  it('reads assertions from this change’s rollout_assessment records, with their evidence notes', () => {
    const input = gateInput({
      head: [assessment('records/a.yaml', { oncall_ready: true, slo_defined: false }, { oncall_ready: 'PD-77' })]
    });
    const table = deriveSignals(createContext(input), [], []);
    expect(signalEvidence(table)).toEqual([
      { name: 'oncall_ready', value: true, source: 'asserted in records/a.yaml (PD-77)' },
      { name: 'slo_defined', value: false, source: 'asserted in records/a.yaml' }
    ]);
  });

  it('does not let an asserted true override a derived false, and marks the contradiction', () => {
    const input = gateInput({ head: [assessment('records/a.yaml', { offline_eval_passed: true })], config: cfg });
    const entry = signalOf(
      deriveSignals(createContext(input), [evalEvidence('support-triage-quality', 'fail')], []),
      'offline_eval_passed'
    );
    expect(entry.value).toBe(false);
    expect(entry.conflict).toBe(true);
    expect(entry.source).toBe('eval support-triage-quality: fail; contradicted: asserted in records/a.yaml says true');
  });

  it('takes false when assessment records disagree', () => {
    const input = gateInput({
      head: [
        assessment('records/b.yaml', { oncall_ready: false }),
        assessment('records/a.yaml', { oncall_ready: true })
      ]
    });
    const entry = signalOf(deriveSignals(createContext(input), [], []), 'oncall_ready');
    expect(entry).toMatchObject({ value: false, conflict: true });
    expect(entry.observations.map((o) => o.source)).toEqual([
      'asserted in records/a.yaml',
      'asserted in records/b.yaml'
    ]);
  });

  it('lets an assertion stand in for a derived signal the gate could not check', () => {
    const input = gateInput({ head: [assessment('records/a.yaml', { rollback_plan_ready: true })], config: cfg });
    const entry = signalOf(deriveSignals(createContext(input), [], []), 'rollback_plan_ready');
    expect(entry).toMatchObject({ value: true, conflict: false, source: 'asserted in records/a.yaml' });
  });

  it('reads assessments merged earlier for this pull request’s changes or for every change, not another’s', () => {
    const all = assessment('records/all.yaml', { oncall_ready: true });
    const own = assessmentFor('chg-1', 'records/chg-1/assessment.yaml', { trace_coverage: true });
    const other = assessmentFor('chg-9', 'records/chg-9/assessment.yaml', { slo_defined: true });
    const head = [changeRec('chg-1'), all, own, other];
    const table = deriveSignals(createContext(gateInput({ head, base: [all, own, other] })), [], []);
    expect(table.changes).toEqual(['chg-1']);
    expect(signalOf(table, 'oncall_ready').value).toBe(true);
    expect(signalOf(table, 'trace_coverage')).toMatchObject({
      value: true,
      source: 'asserted in records/chg-1/assessment.yaml'
    });
    expect(signalOf(table, 'slo_defined').value).toBeNull();
    expect(table.elsewhere).toEqual([]);
    // a pull request without a change of its own: only the unscoped assessment speaks for every change
    const none = deriveSignals(createContext(gateInput({ head: [all, own, other], base: [all, own, other] })), [], []);
    expect(none.changes).toEqual([]);
    expect(signalOf(none, 'oncall_ready').value).toBe(true);
    expect(signalOf(none, 'trace_coverage').value).toBeNull();
  });

  it('does not let a trivial byte change of an assessment decide whether it counts', () => {
    const own = assessmentFor('chg-1', 'records/chg-1/assessment.yaml', { trace_coverage: true });
    const touched = rec(
      'rollout_assessment',
      { ...(own.data as object), evidence: {} } as never,
      'records/chg-1/assessment.yaml'
    );
    const review = rec(
      'change_review_record',
      { kind: 'change_review_record', review_id: 'cr-1', change_id: 'chg-1' } as never,
      'records/chg-1/review-renamed.yaml'
    );
    for (const head of [
      [review, own],
      [review, touched]
    ]) {
      const table = deriveSignals(createContext(gateInput({ head, base: [own] })), [], []);
      expect(signalOf(table, 'trace_coverage').value).toBe(true);
    }
  });

  it('lists every signal the records refer to, unknown ones as null', () => {
    const change = rec(
      'change',
      {
        change: {
          change_id: 'chg-1',
          change_type: 'x',
          risk_level: 'low',
          rollout_strategy: 'canary',
          required_signals: ['design_review_passed'],
          session_control_owner: 'a',
          emergency_freeze_owner: 'b'
        }
      },
      'records/change.yaml'
    );
    const policy = rec(
      'rollout_policy',
      { rollout: { require: ['slo_defined'], block_if: ['direct_tool_access_present'], rollout_mode: {} } },
      'records/rollout.yaml'
    );
    const table = deriveSignals(createContext(gateInput({ head: [change, policy] })), [], []);
    expect(signalEvidence(table).map((s) => [s.name, s.value])).toEqual([
      ['design_review_passed', null],
      ['direct_tool_access_present', null],
      ['slo_defined', null]
    ]);
    expect(signalOf(table, 'never_mentioned')).toMatchObject({ value: null, observations: [] });
  });

  it('lets an assessment with a change_id evidence that change only', () => {
    const input = gateInput({
      head: [
        changeRec('chg-1', ['oncall_ready']),
        changeRec('chg-2', ['oncall_ready']),
        assessmentFor('chg-1', 'records/chg-1/assessment.yaml', { oncall_ready: true })
      ]
    });
    const table = deriveSignals(createContext(input), [], []);
    expect(table.changes).toEqual(['chg-1', 'chg-2']);
    expect(table.elsewhere).toEqual([]);
    expect(signalOf(table.forChange('chg-1'), 'oncall_ready')).toMatchObject({
      value: true,
      source: 'asserted in records/chg-1/assessment.yaml'
    });
    expect(signalOf(table.forChange('chg-2'), 'oncall_ready')).toMatchObject({
      value: null,
      observations: [],
      source:
        'no evidence for this change; asserted true for change chg-1 in records/chg-1/assessment.yaml (does not apply)'
    });
    // the pull request as a whole: required for every change (not true for chg-2), blocking when true for any
    expect(signalOf(table, 'oncall_ready')).toMatchObject({ value: null });
    expect(signalOf(table, 'oncall_ready').source).toMatch(/^for change chg-2: no evidence for this change/);
    expect(signalOf(table.blocking, 'oncall_ready')).toMatchObject({
      value: true,
      source: 'for change chg-1: asserted in records/chg-1/assessment.yaml'
    });
  });

  it('applies an assessment without a change_id to every change', () => {
    const input = gateInput({
      head: [changeRec('chg-1'), changeRec('chg-2'), assessment('records/a.yaml', { oncall_ready: true })]
    });
    const table = deriveSignals(createContext(input), [], []);
    for (const scope of [table, table.blocking, table.forChange('chg-1'), table.forChange('chg-2')]) {
      expect(signalOf(scope, 'oncall_ready')).toMatchObject({ value: true, source: 'asserted in records/a.yaml' });
    }
  });

  it('does not let an assessment of another change evidence this one, and lists it as elsewhere', () => {
    const other = assessmentFor('chg-something-else', 'records/chg-1/assessment.yaml', {
      oncall_ready: true,
      direct_tool_access_present: true
    });
    const table = deriveSignals(
      createContext(gateInput({ head: [changeRec('chg-1', ['oncall_ready']), other] })),
      [],
      []
    );
    expect(table.changes).toEqual(['chg-1']);
    expect(table.elsewhere.map((r) => r.source.path)).toEqual(['records/chg-1/assessment.yaml']);
    expect(signalOf(table.forChange('chg-1'), 'oncall_ready').value).toBeNull();
    expect(signalOf(table.blocking, 'direct_tool_access_present').value).toBeNull();
    expect(signalEvidence(table)).toEqual([
      {
        name: 'direct_tool_access_present',
        value: null,
        source:
          'no evidence for this change; asserted true for change chg-something-else in ' +
          'records/chg-1/assessment.yaml (does not apply)'
      },
      {
        name: 'oncall_ready',
        value: null,
        source:
          'no evidence for this change; asserted true for change chg-something-else in ' +
          'records/chg-1/assessment.yaml (does not apply)'
      }
    ]);
  });

  it('judges a pull request without change, review or gate records by the changes its assessments name', () => {
    const input = gateInput({ head: [assessmentFor('chg-1', 'records/a.yaml', { oncall_ready: true })] });
    const table = deriveSignals(createContext(input), [], []);
    expect(table.changes).toEqual(['chg-1']);
    expect(table.elsewhere).toEqual([]);
    expect(signalOf(table, 'oncall_ready').value).toBe(true);
  });

  it('lets a false for one change outweigh an approval another change awaits', () => {
    const input = gateInput({
      head: [
        changeRec('chg-1'),
        changeRec('chg-2'),
        assessmentFor('chg-2', 'records/b.yaml', { design_review_passed: false })
      ],
      config: cfg
    });
    const table = deriveSignals(createContext(input), [], []);
    expect(signalOf(table.forChange('chg-1'), 'design_review_passed')).toMatchObject({
      value: null,
      awaiting_approval: true
    });
    expect(signalOf(table, 'design_review_passed')).toMatchObject({
      value: false,
      awaiting_approval: false,
      source: 'for change chg-2: asserted in records/b.yaml'
    });
  });

  it('does not call two changes that differ a contradiction', () => {
    const input = gateInput({
      head: [
        changeRec('chg-1'),
        changeRec('chg-2'),
        assessmentFor('chg-1', 'records/a.yaml', { oncall_ready: true }),
        assessmentFor('chg-2', 'records/b.yaml', { oncall_ready: false })
      ]
    });
    const table = deriveSignals(createContext(input), [], []);
    expect(signalOf(table.forChange('chg-1'), 'oncall_ready')).toMatchObject({ value: true, conflict: false });
    expect(signalOf(table.forChange('chg-2'), 'oncall_ready')).toMatchObject({ value: false, conflict: false });
    expect(signalOf(table, 'oncall_ready')).toMatchObject({
      value: false,
      conflict: false,
      source:
        'for change chg-2: asserted in records/b.yaml; asserted true for change chg-1 in records/a.yaml (does not apply)'
    });
  });

  it('is safe with signal names that are also Object.prototype members', () => {
    const input = gateInput({
      head: [assessment('records/a.yaml', { constructor: true, __proto__: false } as Record<string, boolean>)]
    });
    const table = deriveSignals(createContext(input), [], []);
    expect(signalOf(table, 'constructor').value).toBe(true);
    expect(signalOf(table, 'toString').value).toBeNull();
  });
});

// ---- the five families together: properties over schema-valid random records ----

const id = fc.oneof(
  fc.constantFrom(
    'chg-1',
    'chg-2',
    'cr-1',
    'gate-1',
    'engineering',
    'safety',
    'release-manager',
    'constructor',
    '__proto__',
    'tbd'
  ),
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/)
);
const names = fc.uniqueArray(id, { maxLength: 4 });
const surfaces = fc.uniqueArray(fc.constantFrom('prompts', 'tool_exposure', 'model_routing', 'policy_bundle', 'docs'), {
  maxLength: 3
});
const risk = fc.constantFrom('low', 'medium', 'high', 'critical') as fc.Arbitrary<ChangeReviewRecord['risk_level']>;

const reviewRecord: fc.Arbitrary<ChangeReviewRecord> = fc.record({
  kind: fc.constant('change_review_record' as const),
  review_id: id,
  change_id: id,
  owner: id,
  change_type: id,
  risk_level: risk,
  affected_surfaces: surfaces,
  required_reviews: names,
  required_evals: names,
  status: fc.constantFrom('draft', 'proposed', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn')
});
const gateRecord: fc.Arbitrary<RolloutGateRecord> = fc.record({
  kind: fc.constant('rollout_gate_record' as const),
  gate_id: id,
  change_id: id,
  bundle_id: id,
  rollout_wave: id,
  traffic_scope: fc.oneof(
    fc.double({ min: 0, max: 100, noNaN: true }),
    fc.constantFrom('5_percent', '5%', '0.5_percent', 'internal_only', 'shadow', 'most tenants', 'TBD', '100 percent')
  ),
  required_checks: names,
  blocking_findings: fc.uniqueArray(fc.oneof(id, fc.record({ id, summary: fc.string() }, { requiredKeys: ['id'] })), {
    maxLength: 2,
    selector: (f) => (typeof f === 'string' ? f : f.id)
  }),
  decision: fc.constantFrom('go', 'no_go', 'hold', 'rollback'),
  decided_by: names
});
const changeRecord: fc.Arbitrary<ChangeRecordDoc> = fc.record({
  change: fc.record(
    {
      change_id: id,
      change_type: id,
      risk_level: risk,
      rollout_strategy: id,
      required_signals: names,
      approval_roles: names,
      session_control_owner: id,
      emergency_freeze_owner: id
    },
    {
      requiredKeys: [
        'change_id',
        'change_type',
        'risk_level',
        'rollout_strategy',
        'session_control_owner',
        'emergency_freeze_owner'
      ]
    }
  )
});
const policy: fc.Arbitrary<RolloutPolicyDoc> = fc.record({
  rollout: fc.record({
    require: names,
    block_if: names,
    rollout_mode: fc.record(
      {
        initial: id,
        max_tenant_exposure_pct: fc.double({ min: 0, max: 100, noNaN: true }),
        require_shadow_period: fc.boolean()
      },
      { requiredKeys: [] }
    )
  })
});
const assessmentRecord: fc.Arbitrary<RolloutAssessment> = fc.record(
  {
    kind: fc.constant('rollout_assessment' as const),
    change_id: id,
    signals: fc.dictionary(id, fc.boolean(), { maxKeys: 5 })
  },
  { requiredKeys: ['kind', 'signals'] }
);
const deployment: fc.Arbitrary<DeploymentRecord> = fc.record({
  apiVersion: fc.constant('joch.dev/v1alpha1' as const),
  kind: fc.constant('Deployment' as const),
  metadata: fc.record({ name: id }),
  spec: fc.record({
    agentRef: fc.record({ name: id }),
    environmentRef: fc.record({ name: id }),
    promotion: fc.record({ requiresApproval: fc.oneof(id, fc.uniqueArray(id, { minLength: 1, maxLength: 3 })) })
  })
});

const file = fc.constantFrom(
  'agents/a/prompts/x.md',
  'agents/a/tools.yaml',
  '.github/workflows/gate.yml',
  '.github/agent-gate.yml',
  'README.md',
  'policy/p.rego'
);
const changedFiles = fc.option(
  fc.uniqueArray(
    fc.record({
      path: file,
      status: fc.constantFrom('added', 'modified', 'removed', 'renamed', 'unchanged') as fc.Arbitrary<'added'>
    }),
    { maxLength: 4, selector: (f) => f.path }
  ),
  { nil: null }
);
const approvalInput: fc.Arbitrary<ApprovalInput> = fc.oneof(
  fc.constant<ApprovalInput>({
    available: false,
    unavailable_reason: 'push',
    author: null,
    head_sha: null,
    reviews: [],
    teams: {}
  }),
  fc.constant<ApprovalInput>({
    available: false,
    unavailable_reason: 'could not read the reviews (HTTP 500)',
    read_failed: true,
    author: 'alex',
    head_sha: 'h2',
    reviews: [],
    teams: {}
  }),
  fc.record({
    available: fc.constant(true),
    author: fc.option(fc.constantFrom('alex', 'dana'), { nil: null }),
    head_sha: fc.option(fc.constantFrom('h1', 'h2'), { nil: null }),
    reviews: fc.array(
      fc.record({
        id: fc.nat(50),
        user: fc.constantFrom('dana', 'li', 'DANA', 'priya', 'alex'),
        state: fc.constantFrom('APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'),
        commit_id: fc.option(fc.constantFrom('h1', 'h2'), { nil: null }),
        submitted_at: fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 'not a date'), {
          nil: null
        })
      }),
      { maxLength: 6 }
    ),
    teams: fc.dictionary(
      fc.constantFrom('acme/x', 'acme/y'),
      fc.option(fc.array(fc.constantFrom('li', 'priya')), { nil: null })
    )
  })
);

type RandomRecords = [
  ChangeReviewRecord[],
  RolloutGateRecord[],
  ChangeRecordDoc[],
  RolloutPolicyDoc[],
  RolloutAssessment[],
  DeploymentRecord[]
];
const recordsArb: fc.Arbitrary<RandomRecords> = fc.tuple(
  fc.array(reviewRecord, { maxLength: 3 }),
  fc.array(gateRecord, { maxLength: 2 }),
  fc.array(changeRecord, { maxLength: 2 }),
  fc.array(policy, { maxLength: 2 }),
  fc.array(assessmentRecord, { maxLength: 2 }),
  fc.array(deployment, { maxLength: 1 })
);

function inputFrom(
  [reviews, gates, changes, policies, assessments, deployments]: RandomRecords,
  changed: GateInput['changed_files'],
  approvals: ApprovalInput
): GateInput {
  const head: LoadedRecord[] = [
    ...reviews.map((d, i) => rec('change_review_record', d, `records/review-${i}.yaml`)),
    ...gates.map((d, i) => rec('rollout_gate_record', d, `records/gate-${i}.yaml`)),
    ...changes.map((d, i) => rec('change', d, `records/change-${i}.yaml`)),
    ...policies.map((d, i) => rec('rollout_policy', d, `records/rollout-${i}.yaml`)),
    ...assessments.map((d, i) => rec('rollout_assessment', d, `records/assessment-${i}.yaml`)),
    ...deployments.map((d, i) => rec('deployment', d, `records/deployment-${i}.yaml`))
  ];
  const input = gateInput({
    head,
    changed_files: changed,
    approvals,
    config: config({
      roles: { 'release-manager': { users: ['Dana'], teams: ['acme/x'] }, engineering: { users: ['li'], teams: [] } },
      approvals: { accept_stale: false, required_roles: ['release-manager'] },
      signals: { slo_defined: { file: 'docs/slo.md' }, design_review_passed: { approval: 'engineering' } }
    })
  });
  return { ...input, config_source: { side: 'base', file: '.github/agent-gate.yml', sha256: 'x' } };
}

const canonical = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
const denies = (findings: Finding[]) =>
  findings.filter((f) => f.severity === 'deny').map((f) => `${f.rule} ${f.subject ?? ''}`);

describe('the gate families together', () => {
  it('never throw on schema-valid records, and every finding is complete', () => {
    fc.assert(
      fc.property(recordsArb, changedFiles, approvalInput, (records, changed, approvals) => {
        const { findings } = runFamilies(inputFrom(records, changed, approvals));
        for (const f of findings) {
          expect(f.rule).toMatch(/^(review|rollout|approvals|integrity)\.[a-z-]+$/);
          expect(f.message.length).toBeGreaterThan(0);
          expect(f.fix.length).toBeGreaterThan(0);
          expect(['deny', 'follow_up', 'warning']).toContain(f.severity);
        }
      }),
      { numRuns: 300, seed: 20260407 }
    );
  });

  it('give the same result whatever order records, changed files, reviews and team members arrive in', () => {
    fc.assert(
      fc.property(recordsArb, changedFiles, approvalInput, fc.nat(1000), (records, changed, approvals, seed) => {
        const input = inputFrom(records, changed, approvals);
        expect(canonical(runFamilies(shuffledInput(input, seed)))).toBe(canonical(runFamilies(input)));
      }),
      { numRuns: 200, seed: 7 }
    );
  });

  it('never decide more leniently when the reviews could not be read than when there are none', () => {
    const rank = (findings: Finding[]) =>
      Math.max(0, ...findings.map((f) => ({ warning: 1, follow_up: 2, deny: 3 })[f.severity]));
    const failed: ApprovalInput = {
      available: false,
      unavailable_reason: 'could not read the reviews (HTTP 500)',
      read_failed: true,
      author: 'alex',
      head_sha: 'h2',
      reviews: [],
      teams: {}
    };
    const none: ApprovalInput = { available: true, author: 'alex', head_sha: 'h2', reviews: [], teams: {} };
    fc.assert(
      fc.property(recordsArb, changedFiles, (records, changed) => {
        const withFailed = runFamilies(inputFrom(records, changed, failed));
        const withNone = runFamilies(inputFrom(records, changed, none));
        expect(rank(withFailed.findings)).toBeGreaterThanOrEqual(rank(withNone.findings));
        // every role the change needs is a blocker when its reviews could not be read
        const undefinedRoles = withFailed.findings
          .filter((f) => f.rule === 'approvals.unknown-role')
          .map((f) => f.subject);
        for (const ev of withFailed.approvals) {
          if (!undefinedRoles.includes(ev.role))
            expect(
              withFailed.findings.some(
                (f) => f.rule === 'approvals.read-failed' && f.subject === ev.role && f.severity === 'deny'
              )
            ).toBe(true);
        }
      }),
      { numRuns: 200, seed: 13 }
    );
  });

  it('never lose a deny when a gate record gains a blocking finding', () => {
    fc.assert(
      fc.property(recordsArb, changedFiles, approvalInput, (records, changed, approvals) => {
        const before = denies(runFamilies(inputFrom(records, changed, approvals)).findings);
        const [reviews, gates, ...rest] = records;
        const worse = gates.map((g) => ({ ...g, blocking_findings: [...g.blocking_findings, 'new-blocker-found'] }));
        const after = denies(runFamilies(inputFrom([reviews, worse, ...rest], changed, approvals)).findings);
        for (const d of before) expect(after).toContain(d);
        if (gates.length > 0) expect(after.some((d) => d.startsWith('rollout.blocking-findings'))).toBe(true);
      }),
      { numRuns: 200, seed: 11 }
    );
  });
});
