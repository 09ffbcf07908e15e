import { describe, expect, it } from '@jest/globals';
import type { ChangeReviewRecord } from '../../model/records.js';
import { config, gateInput, rec } from '../../testing/records.js';
import { createContext } from '../context.js';
import { changedPathsMatching, matchesAny, normalizePath, touchedPaths } from '../globs.js';
import { evaluateReview, RULES } from '../review.js';
import { deriveSignals } from '../signals.js';
import { describeCases } from './gate-cases.js';

describeCases('review');

describe('globs', () => {
  it('matches dot files and folders', () => {
    expect(matchesAny('.github/workflows/gate.yml', ['.github/workflows/**'])).toBe(true);
    expect(matchesAny('agents/a/.prompts/x.md', ['**/.prompts/**'])).toBe(true);
    expect(matchesAny('agents/a/prompts/.draft.md', ['agents/*/prompts/**'])).toBe(true);
  });

  it('anchors patterns at the repository root; a leading **/ matches at any depth', () => {
    expect(matchesAny('agents/a/prompts/x.md', ['prompts/**'])).toBe(false);
    expect(matchesAny('agents/a/prompts/x.md', ['**/prompts/**'])).toBe(true);
    expect(matchesAny('prompts/x.md', ['**/prompts/**'])).toBe(true);
    expect(matchesAny('policy/allow.rego', ['**/*.rego'])).toBe(true);
  });

  it('reads paths and globs in one spelling: forward slashes, no leading ./ or /', () => {
    expect(normalizePath('./agents\\a\\tools.yaml')).toBe('agents/a/tools.yaml');
    expect(normalizePath('/agents/a/tools.yaml')).toBe('agents/a/tools.yaml');
    expect(matchesAny('./agents/a/tools.yaml', ['./agents/*/tools.yaml'])).toBe(true);
  });

  it('is case-sensitive, as git paths are', () => {
    expect(matchesAny('Agents/a/Tools.yaml', ['agents/*/tools.yaml'])).toBe(false);
  });

  it('matches nothing with an empty pattern instead of throwing', () => {
    expect(matchesAny('a', [''])).toBe(false);
  });

  it('counts the old path of a rename, and removed files, but not unchanged ones', () => {
    expect(touchedPaths({ path: 'docs/p.yaml', status: 'renamed', previous_path: 'policy/p.yaml' })).toEqual([
      'docs/p.yaml',
      'policy/p.yaml'
    ]);
    expect(touchedPaths({ path: 'policy/p.yaml', status: 'removed' })).toEqual(['policy/p.yaml']);
    expect(touchedPaths({ path: 'policy/p.yaml', status: 'unchanged' })).toEqual([]);
    expect(
      changedPathsMatching(
        [
          { path: 'b/policy/x.rego', status: 'added' },
          { path: 'a/policy/y.rego', status: 'modified' },
          { path: 'a/policy/y.rego', status: 'modified' }
        ],
        ['**/*.rego']
      )
    ).toEqual(['a/policy/y.rego', 'b/policy/x.rego']);
  });
});

const reviewRecord = (over: Partial<ChangeReviewRecord> = {}): ChangeReviewRecord => ({
  kind: 'change_review_record',
  review_id: 'cr-1',
  change_id: 'chg-1',
  owner: 'support-ai',
  change_type: 'prompt_update',
  risk_level: 'low',
  affected_surfaces: ['prompts'],
  required_reviews: [],
  required_evals: [],
  status: 'approved',
  ...over
});

describe('evaluateReview', () => {
  it('uses the configured surfaces, whatever they are called', () => {
    const cfg = config({ surfaces: { constructor: ['agents/*/routing.yaml'], toString: [] } });
    const input = gateInput({
      head: [rec('change_review_record', reviewRecord(), 'records/review.yaml')],
      config: cfg,
      changed_files: [{ path: 'agents/a/routing.yaml', status: 'modified' }]
    });
    const ctx = createContext(input);
    const { findings, evidence } = evaluateReview(ctx, [], deriveSignals(ctx, [], []));
    expect(evidence.surfaces).toEqual([{ surface: 'constructor', files: ['agents/a/routing.yaml'], covered_by: [] }]);
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([['review.uncovered-surface', 'constructor']]);
  });

  it('warns about a surface one letter away from a configured one, and says which was meant', () => {
    const input = gateInput({
      head: [
        rec(
          'change_review_record',
          reviewRecord({ affected_surfaces: ['prompt', 'approval_contract', 'tool_exposure'] }),
          'records/review.yaml'
        )
      ],
      changed_files: [{ path: 'agents/a/prompts/x.md', status: 'modified' }]
    });
    const ctx = createContext(input);
    const { findings } = evaluateReview(ctx, [], deriveSignals(ctx, [], []));
    // the misspelt surface covers nothing, so the prompts change is uncovered too; a name far from every surface
    // (approval_contract) may describe an area the configuration does not map, and is left alone
    expect(findings.map((f) => [f.rule, f.severity, f.subject, f.location?.pointer])).toEqual([
      ['review.uncovered-surface', 'deny', 'prompts', '/affected_surfaces'],
      ['review.unknown-surface', 'warning', 'prompt', '/affected_surfaces/0']
    ]);
    expect(findings[1]!.message).toBe(
      'change_review_record cr-1 lists a surface the configuration does not define: "prompt" (did you mean "prompts"?). As written, it covers no file.'
    );
  });

  it('leaves short names alone against short surface names, and gives one finding per record', () => {
    const cfg = config({ surfaces: { api: ['api/**'], ui: ['web/**'], db: ['db/**'] } });
    const names = ['ops', 'cli', 'web', 'qa', 'sdk', 'apis', 'apix'];
    const input = gateInput({
      head: [rec('change_review_record', reviewRecord({ affected_surfaces: names }), 'records/r.yaml')],
      config: cfg,
      changed_files: []
    });
    const ctx = createContext(input);
    const found = evaluateReview(ctx, [], deriveSignals(ctx, [], [])).findings.filter(
      (f) => f.rule === 'review.unknown-surface'
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe(
      'change_review_record cr-1 lists 2 surfaces the configuration does not define: "apis" (did you mean "api"?), "apix" (did you mean "api"?). As written, they cover no file.'
    );
  });

  it('looks for misspelt surfaces in change records too, and only in records the pull request adds or edits', () => {
    const change = (surfaces: string[]) =>
      rec(
        'change',
        {
          change: {
            change_id: 'chg-1',
            change_type: 't',
            risk_level: 'low',
            rollout_strategy: 'canary',
            affected_surfaces: surfaces,
            session_control_owner: 'a',
            emergency_freeze_owner: 'b'
          }
        },
        'records/change.yaml'
      );
    const judge = (head: ReturnType<typeof rec>[], base: ReturnType<typeof rec>[] | null) => {
      const ctx = createContext(gateInput({ head, ...(base ? { base } : {}), changed_files: [] }));
      return evaluateReview(ctx, [], deriveSignals(ctx, [], []))
        .findings.filter((f) => f.rule === 'review.unknown-surface')
        .map((f) => [f.subject, f.location?.pointer]);
    };
    expect(judge([change(['model_routng'])], null)).toEqual([['model_routng', '/change/affected_surfaces/0']]);
    // merged earlier and unchanged: not this pull request's to fix
    const merged = change(['model_routng']);
    expect(judge([merged], [{ ...merged, source: { ...merged.source, side: 'base' } }])).toEqual([]);
  });

  it('counts coverage across several review records of the change', () => {
    const input = gateInput({
      head: [
        rec(
          'change_review_record',
          reviewRecord({ review_id: 'cr-2', affected_surfaces: ['tool_exposure'] }),
          'records/b.yaml'
        ),
        rec('change_review_record', reviewRecord(), 'records/a.yaml')
      ],
      changed_files: [
        { path: 'agents/a/prompts/x.md', status: 'modified' },
        { path: 'agents/a/tools.yaml', status: 'modified' }
      ]
    });
    const ctx = createContext(input);
    const { findings, evidence } = evaluateReview(ctx, [], deriveSignals(ctx, [], []));
    expect(findings).toEqual([]);
    expect(evidence.surfaces.map((s) => [s.surface, s.covered_by])).toEqual([
      ['prompts', ['cr-1']],
      ['tool_exposure', ['cr-2']]
    ]);
  });

  it('treats a critical change like a high-risk one', () => {
    const change = rec(
      'change',
      {
        change: {
          change_id: 'chg-9',
          change_type: 't',
          risk_level: 'critical',
          rollout_strategy: 'canary',
          session_control_owner: 'a',
          emergency_freeze_owner: 'b'
        }
      },
      'records/change.yaml'
    );
    const ctx = createContext(gateInput({ head: [change], changed_files: [] }));
    const { findings } = evaluateReview(ctx, [], deriveSignals(ctx, [], []));
    expect(findings.map((f) => f.rule)).toEqual(['review.high-risk-unreviewed']);
  });
});

describe('each change judged on its own', () => {
  const changeRecord = (id: string, risk: 'low' | 'high' | 'critical', required: string[] = [], path?: string) =>
    rec(
      'change',
      {
        change: {
          change_id: id,
          change_type: 't',
          risk_level: risk,
          rollout_strategy: 'canary',
          required_signals: required,
          session_control_owner: 'a',
          emergency_freeze_owner: 'b'
        }
      },
      path ?? `records/${id}/change.yaml`
    );
  const assessment = (path: string, signals: Record<string, boolean>, changeId?: string) =>
    rec(
      'rollout_assessment',
      { kind: 'rollout_assessment', ...(changeId ? { change_id: changeId } : {}), signals },
      path
    );
  const run = (head: Parameters<typeof gateInput>[0]['head'], base: Parameters<typeof gateInput>[0]['base'] = null) => {
    const ctx = createContext(gateInput({ head, base, changed_files: [] }));
    return evaluateReview(ctx, [], deriveSignals(ctx, [], []));
  };

  it('reports a second high-risk change record whose review records are all about another change', () => {
    const { findings } = run([
      changeRecord('chg-1', 'high'),
      changeRecord('chg-other', 'critical'),
      rec('change_review_record', reviewRecord({ risk_level: 'high' }), 'records/chg-1/review.yaml')
    ]);
    expect(findings.map((f) => [f.rule, f.subject, f.location?.file])).toEqual([
      ['review.high-risk-unreviewed', 'chg-other', 'records/chg-other/change.yaml']
    ]);
    expect(findings[0]!.message).toBe(
      'Change chg-other declares risk_level critical but has no change_review_record (the review records of this ' +
        'pull request review chg-1); a high-risk change must be reviewed before rollout.'
    );
  });

  it('accepts a review record of each high-risk change, in this change or merged earlier', () => {
    const earlier = rec(
      'change_review_record',
      reviewRecord({ review_id: 'cr-2', change_id: 'chg-2', risk_level: 'high' }),
      'records/chg-2/review.yaml'
    );
    const findings = run(
      [
        changeRecord('chg-1', 'high'),
        changeRecord('chg-2', 'high'),
        rec('change_review_record', reviewRecord({ risk_level: 'high' }), 'records/chg-1/review.yaml'),
        earlier
      ],
      [earlier]
    ).findings;
    expect(findings).toEqual([]);
  });

  it('holds a high-risk change whose only review record, merged earlier, is not approved', () => {
    const earlier = rec(
      'change_review_record',
      reviewRecord({ review_id: 'cr-2', change_id: 'chg-2', status: 'in_review', risk_level: 'high' }),
      'records/chg-2/review.yaml'
    );
    const { findings } = run([changeRecord('chg-2', 'high'), earlier], [earlier]);
    expect(findings.map((f) => [f.rule, f.subject, f.severity])).toEqual([
      ['review.not-approved', 'cr-2', 'follow_up']
    ]);
    // a low-risk change needs no review record, but one it has says whether it may be released
    expect(run([changeRecord('chg-2', 'low'), earlier], [earlier]).findings.map((f) => f.rule)).toEqual([
      'review.not-approved'
    ]);
  });

  describe('records merged earlier count, whatever bytes the pull request touches', () => {
    const review = (over: Partial<ChangeReviewRecord>) =>
      rec('change_review_record', reviewRecord(over), 'records/chg-1/review.yaml');
    const signalsOf = (values: Record<string, boolean>) => assessment('records/chg-1/assessment.yaml', values, 'chg-1');
    const merged = changeRecord('chg-1', 'low', ['design_review_passed', 'oncall_ready']);

    it('judges the status of a review merged earlier when the pull request only adds evidence', () => {
      const rejected = review({ status: 'rejected' });
      const { findings } = run([rejected, signalsOf({ design_review_passed: true })], [rejected]);
      expect(findings.map((f) => [f.rule, f.subject])).toEqual([['review.rejected', 'cr-1']]);
      expect(findings[0]!.message).toContain('cr-1 (merged earlier) has status rejected');
    });

    it('judges the required signals of a change record merged earlier, left alone or removed on the head', () => {
      const assessed = signalsOf({ design_review_passed: true });
      const untouched = run([merged, assessed], [merged]).findings;
      expect(untouched.map((f) => [f.rule, f.subject, f.location?.file, f.location?.side])).toEqual([
        ['review.missing-signal', 'chg-1', 'records/chg-1/change.yaml', 'head']
      ]);
      // deleting (or renaming out) the change record does not drop what it requires: its base copy counts
      const deleted = run([assessed], [merged]).findings;
      expect(deleted.map((f) => [f.rule, f.subject, f.location?.file, f.location?.side])).toEqual([
        ['review.missing-signal', 'chg-1', 'records/chg-1/change.yaml', 'base']
      ]);
      expect(deleted[0]!.message).toContain('Change chg-1 (merged earlier, removed on the head) is not ready');
    });

    it('keeps what the base copy of an updated change record required', () => {
      const weakened = changeRecord('chg-1', 'low', ['design_review_passed']);
      const { findings } = run([weakened, signalsOf({ design_review_passed: true })], [merged]);
      expect(findings.map((f) => [f.rule, f.location?.side, f.location?.pointer])).toEqual([
        ['review.missing-signal', 'base', '/change/required_signals/1']
      ]);
      expect(findings[0]!.message).toContain('oncall_ready');
    });

    it('reports a review that rates the change lower than its change record declares', () => {
      const critical = changeRecord('chg-1', 'critical');
      const low = review({ risk_level: 'low' });
      const { findings } = run([critical, low]);
      expect(findings.map((f) => [f.rule, f.severity, f.subject, f.location?.pointer])).toEqual([
        ['review.risk-understated', 'deny', 'cr-1', '/risk_level']
      ]);
      expect(findings[0]!.message).toBe(
        'change_review_record cr-1 rates change chg-1 low, but its change record (records/chg-1/change.yaml) ' +
          'declares risk_level critical.'
      );
      // as risky or riskier is fine
      expect(run([critical, review({ risk_level: 'critical' })]).findings).toEqual([]);
      expect(run([changeRecord('chg-1', 'low'), review({ risk_level: 'high' })]).findings).toEqual([]);
    });

    it('reports a review record that repeats the id of one merged earlier', () => {
      const first = review({ status: 'rejected' });
      const second = rec('change_review_record', reviewRecord({ status: 'approved' }), 'records/chg-1/review-2.yaml');
      const { findings } = run([first, second], [first]);
      expect(findings.map((f) => [f.rule, f.subject])).toEqual([
        ['review.duplicate-id', 'cr-1'],
        ['review.rejected', 'cr-1']
      ]);
    });
  });

  it('does not let an assessment of another change evidence this change, and reports it', () => {
    const { findings } = run([
      changeRecord('chg-1', 'low', ['design_review_passed', 'rollback_plan_ready']),
      assessment('records/chg-1/assessment.yaml', { design_review_passed: true, rollback_plan_ready: true }, 'chg-else')
    ]);
    expect(findings.map((f) => [f.rule, f.subject, f.location?.pointer])).toEqual([
      ['review.assessment-other-change', 'chg-else', '/change_id'],
      ['review.missing-signal', 'chg-1', '/change/required_signals/0']
    ]);
    expect(findings[0]!.message).toBe(
      "rollout_assessment records/chg-1/assessment.yaml asserts signals for change chg-else, but this change's " +
        'records are about chg-1; its 2 signals (design_review_passed, rollback_plan_ready) evidence nothing here.'
    );
    expect(findings[1]!.message).toContain(
      'design_review_passed (unknown: no evidence for this change; asserted true for change chg-else in ' +
        'records/chg-1/assessment.yaml (does not apply))'
    );
  });

  it('evidences a change with its assessments merged earlier, and not with another change’s', () => {
    const own = assessment('records/chg-1/assessment.yaml', { design_review_passed: true }, 'chg-1');
    const all = assessment('records/all.yaml', { oncall_ready: true });
    const other = assessment('records/chg-9/assessment.yaml', { design_review_passed: false }, 'chg-9');
    const required = ['design_review_passed', 'oncall_ready'];
    // the change record is edited; its assessment and the unscoped one were merged earlier and are unchanged
    const base = [changeRecord('chg-1', 'low', ['design_review_passed']), own, all, other];
    expect(run([changeRecord('chg-1', 'low', required), own, all, other], base).findings).toEqual([]);
    // an unchanged assessment of another change neither evidences it nor is reported
    const { findings } = run([changeRecord('chg-2', 'low', required), own, all, other], base);
    expect(findings.map((f) => [f.rule, f.subject, f.observed])).toEqual([
      ['review.missing-signal', 'chg-2', { design_review_passed: null }]
    ]);
  });

  it('evidences each change with its own assessments and those without a change_id', () => {
    const { findings } = run([
      changeRecord('chg-1', 'low', ['design_review_passed', 'oncall_ready']),
      changeRecord('chg-2', 'low', ['design_review_passed', 'oncall_ready']),
      assessment('records/all.yaml', { oncall_ready: true }),
      assessment('records/chg-1/assessment.yaml', { design_review_passed: true }, 'chg-1')
    ]);
    expect(findings.map((f) => [f.rule, f.subject, f.observed])).toEqual([
      ['review.missing-signal', 'chg-2', { design_review_passed: null }]
    ]);
  });
});

describe('review RULES', () => {
  it('documents every rule', () => {
    for (const spec of Object.values(RULES)) {
      expect(spec.id).toMatch(/^review\.[a-z-]+$/);
      expect(spec.description.length).toBeGreaterThan(60);
      expect(spec.fix.length).toBeGreaterThan(20);
    }
  });
});
