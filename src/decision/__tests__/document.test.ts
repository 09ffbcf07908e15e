/**
 * The decision document and its in-toto Statement: the decision rule, a total and stable order of findings
 * and errors, per-family summaries, the files read, the failure documents, the statement's subject, and the
 * bytes written — each conforming to schemas/decision.schema.json and schemas/decision_statement.schema.json.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DecisionDocument } from '../../model/decision.js';
import type { Finding } from '../../model/finding.js';
import type { RecordIssue } from '../../model/issue.js';
import { canonicalJson, sha256Hex } from '../canonical.js';
import {
  buildDecision,
  compareFindings,
  decide,
  emptyEvidence,
  internalErrorDecision,
  invalidInputDecision,
  serialiseStatement,
  toStatement,
  type DecisionContext
} from '../document.js';
import { expectConformingDecision, expectConformingStatement } from './conformance.js';

const HEAD = '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
const BASE = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const digest = (text: string) => sha256Hex(text);

const CTX: DecisionContext = {
  toolVersion: '1.2.3',
  gateKey: 'support-triage',
  commits: { base: BASE, head: HEAD },
  config: { side: 'base', file: '.github/agent-gate.yml', sha256: digest('config') },
  inputs: [
    {
      file: { path: 'records/rollout.yaml', side: 'head', sha256: digest('rollout'), bytes: 120 },
      kind: 'rollout_policy'
    },
    { file: { path: '.github/agent-gate.yml', side: 'base', sha256: digest('config'), bytes: 900 }, kind: 'config' },
    {
      file: { path: 'records/changes/review.yaml', side: 'head', sha256: digest('review'), bytes: 300 },
      kind: 'change_review_record'
    },
    {
      file: { path: 'records/rollout.yaml', side: 'base', sha256: digest('rollout-base'), bytes: 110 },
      kind: 'rollout_policy'
    },
    // the same file listed twice (two records in one file) appears once
    {
      file: { path: 'records/rollout.yaml', side: 'head', sha256: digest('rollout'), bytes: 120 },
      kind: 'rollout_policy'
    }
  ]
};

function finding(overrides: Partial<Finding> & Pick<Finding, 'rule' | 'severity'>): Finding {
  const family = overrides.rule.split('.')[0] as Finding['family'];
  return {
    family,
    title: `title of ${overrides.rule}`,
    message: `message of ${overrides.rule}`,
    fix: `fix for ${overrides.rule}`,
    ...overrides
  };
}

const FINDINGS: Finding[] = [
  finding({
    rule: 'approvals.missing',
    severity: 'follow_up',
    subject: 'safety',
    location: { file: 'records/changes/review.yaml', side: 'head', line: 12, pointer: '/required_reviews/1' }
  }),
  finding({
    rule: 'evals.threshold',
    severity: 'deny',
    subject: 'quality/task_success',
    location: { file: 'records/evals/quality.yaml', side: 'head', line: 17, pointer: '/spec/thresholds/task_success' }
  }),
  finding({ rule: 'agbom.model-change-covered', severity: 'warning', subject: 'model:llm' }),
  finding({
    rule: 'review.uncovered-surface',
    severity: 'deny',
    subject: 'tool_exposure',
    location: { file: 'records/changes/review.yaml', side: 'head', line: 7, pointer: '/affected_surfaces' }
  }),
  finding({
    rule: 'evals.threshold',
    severity: 'deny',
    subject: 'quality/cost',
    location: { file: 'records/evals/quality.yaml', side: 'head', line: 19, pointer: '/spec/thresholds/cost' }
  }),
  finding({
    rule: 'approvals.missing',
    severity: 'follow_up',
    subject: 'engineering',
    location: { file: 'records/changes/review.yaml', side: 'head', line: 11, pointer: '/required_reviews/0' }
  })
];

describe('decide', () => {
  it('is deny when any finding blocks, follow_up when one needs a person, allow otherwise (warnings never block)', () => {
    const w = finding({ rule: 'evals.undefined-results', severity: 'warning' });
    const f = finding({ rule: 'approvals.missing', severity: 'follow_up' });
    const d = finding({ rule: 'evals.threshold', severity: 'deny' });
    expect(decide([])).toBe('allow');
    expect(decide([w, w])).toBe('allow');
    expect(decide([w, f])).toBe('follow_up');
    expect(decide([f, w, d])).toBe('deny');
    expect(decide([d])).toBe('deny');
  });
});

describe('buildDecision', () => {
  const active = new Set<Finding['family']>(['evals', 'approvals', 'review', 'integrity', 'drift']);
  const doc = buildDecision(CTX, FINDINGS, emptyEvidence(), active);

  it('sorts findings: deny first, then follow_up, warning; then by family, rule, file and line', () => {
    expect(doc.findings.map((f) => `${f.severity} ${f.rule} ${f.subject}`)).toEqual([
      'deny review.uncovered-surface tool_exposure',
      'deny evals.threshold quality/task_success',
      'deny evals.threshold quality/cost',
      'follow_up approvals.missing engineering',
      'follow_up approvals.missing safety',
      'warning agbom.model-change-covered model:llm'
    ]);
  });

  it('counts findings and summarises each family: deny / follow_up / pass when it ran, skipped when it had nothing', () => {
    expect(doc).toMatchObject({
      $schema: 'https://agent-release-gate.dev/schemas/decision/v1.json',
      tool: { name: 'agent-release-gate', version: '1.2.3' },
      decision: 'deny',
      outcome: 'evaluated',
      failure: null,
      gate_key: 'support-triage',
      commits: { base: BASE, head: HEAD },
      errors: []
    });
    expect(doc.counts).toEqual({ findings: 6, deny: 3, follow_up: 2, warning: 1, errors: 0 });
    expect(doc.families).toEqual({
      review: { status: 'deny', findings: 1, deny: 1, follow_up: 0, warning: 0 },
      rollout: { status: 'skipped', findings: 0, deny: 0, follow_up: 0, warning: 0 },
      evals: { status: 'deny', findings: 2, deny: 2, follow_up: 0, warning: 0 },
      drift: { status: 'pass', findings: 0, deny: 0, follow_up: 0, warning: 0 },
      // a family with only warnings passes, whether or not it was active
      agbom: { status: 'pass', findings: 1, deny: 0, follow_up: 0, warning: 1 },
      approvals: { status: 'follow_up', findings: 2, deny: 0, follow_up: 2, warning: 0 },
      integrity: { status: 'pass', findings: 0, deny: 0, follow_up: 0, warning: 0 }
    });
  });

  it('lists every file read once, sorted by side then path, with its digest, size and kind', () => {
    expect(doc.inputs).toEqual([
      { path: '.github/agent-gate.yml', side: 'base', sha256: digest('config'), bytes: 900, kind: 'config' },
      {
        path: 'records/rollout.yaml',
        side: 'base',
        sha256: digest('rollout-base'),
        bytes: 110,
        kind: 'rollout_policy'
      },
      {
        path: 'records/changes/review.yaml',
        side: 'head',
        sha256: digest('review'),
        bytes: 300,
        kind: 'change_review_record'
      },
      { path: 'records/rollout.yaml', side: 'head', sha256: digest('rollout'), bytes: 120, kind: 'rollout_policy' }
    ]);
  });

  it('conforms to the decision schema', () => {
    expectConformingDecision(doc);
  });

  it('gives the same bytes whatever order the findings and files come in', () => {
    const same = buildDecision(
      { ...CTX, inputs: [...CTX.inputs].reverse() },
      [...FINDINGS].reverse(),
      emptyEvidence(),
      active
    );
    expect(canonicalJson(same)).toBe(canonicalJson(doc));
  });

  it('orders findings totally: two findings equal in every sort key but one still sort the same in any input order', () => {
    const twins: Finding[] = [
      // identical but for the side of the file
      finding({
        rule: 'evals.regression',
        severity: 'deny',
        subject: 'q/m',
        location: { file: 'r.yaml', side: 'base', line: 3 }
      }),
      finding({
        rule: 'evals.regression',
        severity: 'deny',
        subject: 'q/m',
        location: { file: 'r.yaml', side: 'head', line: 3 }
      }),
      // identical but for the evidence
      finding({ rule: 'drift.tokens', severity: 'deny', subject: 'run-1', evidence: { live: 100 } }),
      finding({ rule: 'drift.tokens', severity: 'deny', subject: 'run-1', evidence: { live: 200 } }),
      // identical but for what was observed
      finding({ rule: 'rollout.not-go', severity: 'deny', observed: 'hold' }),
      finding({ rule: 'rollout.not-go', severity: 'deny', observed: 'no_go' })
    ];
    const reference = canonicalJson(buildDecision(CTX, twins, emptyEvidence(), active).findings);
    fc.assert(
      fc.property(fc.shuffledSubarray(twins, { minLength: twins.length, maxLength: twins.length }), (order) => {
        expect(canonicalJson(buildDecision(CTX, order, emptyEvidence(), active).findings)).toBe(reference);
      }),
      { numRuns: 200 }
    );
    for (let i = 0; i < twins.length; i++) {
      for (let j = 0; j < twins.length; j++) {
        const c = Math.sign(compareFindings(twins[i]!, twins[j]!));
        expect(c + Math.sign(compareFindings(twins[j]!, twins[i]!))).toBe(0);
        expect(c === 0).toBe(i === j);
      }
    }
  });
});

describe('numbers JSON cannot hold', () => {
  it('become null (and -0 becomes 0) in the document itself, as in its bytes, so it conforms', () => {
    const odd = finding({
      rule: 'drift.cost',
      severity: 'deny',
      observed: Infinity,
      required: { limit: -0 },
      evidence: { drift: NaN, steps: [1, -Infinity], nested: { ratio: Infinity } }
    });
    const evidence = emptyEvidence();
    evidence.drift = [
      {
        run_id: 'run-1',
        file: 'records/receipts/r.json',
        tokens: { live: 0, replay: 5, drift: Infinity, limit: 0.01 },
        cost: { live: 0, replay: 0, drift: NaN, limit: 0.005 },
        verdict_mismatches: [],
        missing_capability_tokens: [],
        missing_manifests: [],
        manifest_mismatches: [],
        pass: false
      }
    ];
    const doc = buildDecision(CTX, [odd], evidence, new Set(['drift']));
    expect(doc.findings[0]).toMatchObject({
      observed: null,
      required: { limit: 0 },
      evidence: { drift: null, steps: [1, null], nested: { ratio: null } }
    });
    expect(Object.is((doc.findings[0]!.required as { limit: number }).limit, 0)).toBe(true);
    expect(doc.evidence.drift[0]).toMatchObject({ tokens: { drift: null }, cost: { drift: null } });
    expect(JSON.parse(canonicalJson(doc))).toEqual(doc);
    expectConformingDecision(doc);
    // the input is left as it was
    expect(odd.observed).toBe(Infinity);
  });
});

describe('failure documents', () => {
  const issue = (i: number, extra: Partial<RecordIssue> = {}): RecordIssue => ({
    code: 'schema.type',
    message: `metrics.m${i} must be a number`,
    file: `records/evals/results/f${i % 7}.yaml`,
    side: i % 2 === 0 ? 'head' : 'base',
    line: (i % 13) + 1,
    column: 3,
    pointer: `/metrics/m${i}`,
    ...extra
  });

  it('invalid input: deny, every error kept (10,000 of them), sorted, counted, and no finding judged', () => {
    const issues = Array.from({ length: 10_000 }, (_, i) => issue((i * 7919) % 10_000));
    const doc = invalidInputDecision(CTX, issues);
    expect(doc).toMatchObject({ decision: 'deny', outcome: 'invalid_input', failure: null, findings: [] });
    expect(doc.errors).toHaveLength(10_000);
    expect(doc.counts).toEqual({ findings: 0, deny: 0, follow_up: 0, warning: 0, errors: 10_000 });
    expect(new Set(doc.errors.map((e) => e.pointer)).size).toBe(10_000);
    const keys = doc.errors.map((e) => `${e.side} ${e.file} ${String(e.line).padStart(3, '0')}`);
    expect(keys).toEqual([...keys].sort());
    expect(Object.values(doc.families).every((f) => f.status === 'skipped')).toBe(true);
    expect(doc.evidence).toEqual(emptyEvidence());
    expect(doc.inputs).toHaveLength(4);
    expectConformingDecision(doc);
    // the same issues in another order give the same bytes
    expect(canonicalJson(invalidInputDecision(CTX, [...issues].reverse()))).toBe(canonicalJson(doc));
  });

  it('invalid input: issues that differ only in their hint keep a stable order', () => {
    const a = issue(1, { hint: 'quote it: "1.10"' });
    const b = issue(1, { hint: 'write the value' });
    expect(canonicalJson(invalidInputDecision(CTX, [a, b]))).toBe(canonicalJson(invalidInputDecision(CTX, [b, a])));
  });

  it('internal error: deny with the message given, nothing judged', () => {
    const doc = internalErrorDecision(CTX, 'InternalError: the evals family failed');
    expect(doc).toMatchObject({
      decision: 'deny',
      outcome: 'internal_error',
      failure: 'InternalError: the evals family failed',
      findings: [],
      errors: [],
      counts: { findings: 0, deny: 0, follow_up: 0, warning: 0, errors: 0 }
    });
    expectConformingDecision(doc);
  });

  it('the schema refuses an invalid-input document that claims to allow', () => {
    const doc = invalidInputDecision(CTX, [issue(1)]);
    const forged = { ...doc, decision: 'maybe' } as unknown as DecisionDocument;
    expect(() => expectConformingDecision(forged)).toThrow();
  });
});

describe('toStatement (in-toto Statement v1)', () => {
  const doc = buildDecision(CTX, FINDINGS, emptyEvidence(), new Set());

  it('names the head commit as the subject when the head is a commit', () => {
    const statement = toStatement(doc, 'https://github.com/acme/support-bot');
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'https://github.com/acme/support-bot', digest: { gitCommit: HEAD } }],
      predicateType: 'https://agent-release-gate.dev/schemas/decision/v1.json',
      predicate: doc
    });
    expectConformingStatement(statement);
  });

  it('accepts a SHA-256 object name (64 hex digits) as a commit too', () => {
    const sha256Commit = 'ab'.repeat(32);
    const statement = toStatement({ ...doc, commits: { base: null, head: sha256Commit } }, 'head');
    expect(statement.subject[0]!.digest).toEqual({ gitCommit: sha256Commit });
    expectConformingStatement(statement);
  });

  it.each([
    ['no commit (an uncommitted working tree)', null],
    ['a ref name', 'HEAD'],
    ['an abbreviated SHA', HEAD.slice(0, 12)],
    ['upper-case hex', HEAD.toUpperCase()],
    ['41 hex digits', HEAD + 'a']
  ])('uses the sha256 of the canonical inputs for %s', (_what, head) => {
    const d = { ...doc, commits: { base: BASE, head } };
    const statement = toStatement(d, 'working tree');
    expect(statement.subject).toEqual([
      { name: 'working tree', digest: { sha256: sha256Hex(canonicalJson(d.inputs)) } }
    ]);
    expectConformingStatement(statement);
  });

  it('gives a different subject digest when any input file differs', () => {
    const d = { ...doc, commits: { base: null, head: null } };
    const changed = { ...d, inputs: d.inputs.map((i, n) => (n === 0 ? { ...i, sha256: digest('other') } : i)) };
    expect(toStatement(changed, 'x').subject[0]!.digest.sha256).not.toBe(toStatement(d, 'x').subject[0]!.digest.sha256);
  });

  it('serialises to canonical bytes whose sha256 is the digest', () => {
    const statement = toStatement(doc, 'https://github.com/acme/support-bot');
    const { canonical, digest: sum } = serialiseStatement(statement);
    expect(canonical).toBe(canonicalJson(statement));
    expect(sum).toBe(sha256Hex(canonical));
    expect(canonical.startsWith('{"_type":"https://in-toto.io/Statement/v1","predicate":{"$schema":')).toBe(true);
    expect(canonical).not.toMatch(/\n/);
    expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(statement)));
  });
});
