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

describe('review RULES', () => {
  it('documents every rule', () => {
    for (const spec of Object.values(RULES)) {
      expect(spec.id).toMatch(/^review\.[a-z-]+$/);
      expect(spec.description.length).toBeGreaterThan(60);
      expect(spec.fix.length).toBeGreaterThan(20);
    }
  });
});
