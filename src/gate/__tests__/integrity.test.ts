import { describe, expect, it } from '@jest/globals';
import type { GateConfig } from '../../model/config.js';
import type { GateInput } from '../../model/input.js';
import { config, gateInput, rec, recordSet } from '../../testing/records.js';
import { createContext } from '../context.js';
import { configLoosenings, evaluateIntegrity, RULES } from '../integrity.js';
import { describeCases } from './gate-cases.js';

describeCases('integrity');

const base = config({
  roles: { 'release-manager': { users: ['dana'], teams: ['acme/release'] } },
  approvals: { accept_stale: false, required_roles: ['release-manager'] }
});
const edit = (change: (c: GateConfig) => void): GateConfig => {
  const head = structuredClone(base);
  change(head);
  return head;
};
const settings = (head: GateConfig, defaults = {}) => configLoosenings(base, head, defaults).map((l) => l.setting);

describe('configLoosenings', () => {
  it('finds nothing in an identical or stricter configuration', () => {
    expect(settings(structuredClone(base))).toEqual([]);
    expect(
      settings(
        edit((c) => {
          c.drift.max_token_drift = 0.001;
          c.evals.regression_slack = 0.01;
          c.agbom.min_trust_score = 0.9;
          c.approvals.required_roles.push('safety');
          c.records.include.push('more/**');
          c.integrity.paths.push('schemas/**');
          c.rules['review.uncovered-surface'] = 'deny';
        })
      )
    ).toEqual([]);
  });

  it('finds each kind of loosening', () => {
    expect(settings(edit((c) => (c.approvals.accept_stale = true)))).toEqual(['approvals.accept_stale']);
    expect(settings(edit((c) => (c.records.allow_empty = true)))).toEqual(['records.allow_empty']);
    expect(settings(edit((c) => (c.records.include = [])))).toEqual(['records.include']);
    expect(settings(edit((c) => c.records.exclude.push('records/evals/**')))).toEqual(['records.exclude']);
    expect(settings(edit((c) => (c.integrity.paths = ['.github/agent-gate.yml'])))).toEqual(['integrity.paths']);
    expect(settings(edit((c) => (c.integrity.owner_role = 'engineering')))).toEqual(['integrity.owner_role']);
    expect(settings(edit((c) => (c.evals.confidence = 0.999)))).toEqual(['evals.confidence']);
    expect(settings(edit((c) => (c.evals.seed = 1)))).toEqual(['evals.seed']);
    expect(settings(edit((c) => (c.drift.max_cost_drift = 0.05)))).toEqual(['drift.max_cost_drift']);
    expect(settings(edit((c) => c.evals.promptfoo.push({ path: 'x.json', eval: 'e' })))).toEqual([]);
    expect(settings(edit((c) => c.roles['release-manager']!.teams.push('acme/everyone')))).toEqual([
      'roles.release-manager.teams'
    ]);
    expect(settings(edit((c) => delete c.surfaces.prompts))).toEqual(['surfaces.prompts']);
  });

  it('shows a newly excluded glob with the base and head lists the right way round', () => {
    const head = edit((c) => c.records.exclude.push('records/evals/**'));
    expect(configLoosenings(base, head).find((l) => l.setting === 'records.exclude')).toEqual({
      setting: 'records.exclude',
      base: ['**/*.c2pa.json'],
      head: ['**/*.c2pa.json', 'records/evals/**'],
      effect: 'record files newly excluded: records/evals/**'
    });
  });

  it('compares role members case-insensitively', () => {
    expect(settings(edit((c) => (c.roles['release-manager']!.users = ['Dana'])))).toEqual([]);
  });

  it('reads rule overrides against the rule defaults it is given, assuming deny for rules it does not know', () => {
    const head = edit((c) => (c.rules = { 'evals.example': 'follow_up', 'drift.example': 'warning' }));
    expect(settings(head)).toEqual(['rules.drift.example', 'rules.evals.example']);
    expect(settings(head, { 'evals.example': 'warning', 'drift.example': 'warning' })).toEqual([]);
    const removed = configLoosenings({ ...base, rules: { 'evals.example': 'deny' } }, base, {
      'evals.example': 'warning'
    });
    expect(removed).toEqual([
      {
        setting: 'rules.evals.example',
        base: 'deny',
        head: 'default (warning)',
        effect: 'rule downgraded from deny to warning'
      }
    ]);
  });
});

describe('evaluateIntegrity', () => {
  it('treats a proposed configuration as a changed gate file even when changed files are unknown', () => {
    const head = edit((c) => (c.drift.max_token_drift = 0.5));
    const input = {
      ...gateInput({ head: [], config: base, changed_files: null }),
      config_source: { side: 'base' as const, file: '.github/agent-gate.yml', sha256: 'b' },
      proposed_config: { config: head, file: '.github/agent-gate.yml', sha256: 'h' }
    };
    const result = evaluateIntegrity(createContext(input));
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['integrity.gate-files-changed', 'follow_up'],
      ['integrity.config-loosened', 'follow_up']
    ]);
    expect(result.roleRequirements).toEqual([
      {
        role: 'release-manager',
        required_by: 'integrity: gate files changed (.github/agent-gate.yml)',
        location: { file: '.github/agent-gate.yml' }
      }
    ]);
  });

  describe('when the head deletes the configuration', () => {
    const strict = edit((c) => {
      c.drift.max_token_drift = 0.001;
      c.signals = { design_review_passed: { approval: 'release-manager' } };
      c.rules = { 'drift.token-drift': 'deny', 'review.missing-record': 'deny' };
    });
    const deleting = (
      changed_files: GateInput['changed_files'],
      paths: string[] | null = null,
      file = '.github/agent-gate.yml'
    ) => ({
      ...gateInput({ head: recordSet('head', [], { paths }), config: strict, changed_files }),
      config_source: { side: 'base' as const, file, sha256: 'b' }
    });

    it('lists what going back to the built-in defaults would loosen', () => {
      const input = deleting([{ path: '.github/agent-gate.yml', status: 'removed' }]);
      const result = evaluateIntegrity(createContext(input), { 'drift.token-drift': 'follow_up' });
      expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
        ['integrity.gate-files-changed', 'follow_up'],
        ['integrity.config-loosened', 'follow_up']
      ]);
      const loosened = result.findings[1]!;
      expect(loosened.location).toEqual({ file: '.github/agent-gate.yml', side: 'base', pointer: '' });
      expect(loosened.message).toMatch(
        /^The head deletes \.github\/agent-gate\.yml; once merged the gate would run with its built-in defaults/
      );
      expect((loosened.evidence as { loosened: { setting: string }[] }).loosened.map((l) => l.setting)).toEqual([
        'approvals.required_roles',
        'drift.max_token_drift',
        'roles.release-manager',
        'rules.drift.token-drift',
        'signals.design_review_passed'
      ]);
      expect(loosened.message).toContain('drift.max_token_drift 0.001 → 0.01');
      expect(loosened.evidence).toMatchObject({ head_config: 'deleted: the built-in defaults', head_sha256: null });
    });

    it('counts a rename away as a deletion, and reads the head tree when the changed files are unknown', () => {
      const rules = (input: GateInput) => evaluateIntegrity(createContext(input)).findings.map((f) => f.rule);
      expect(
        rules(deleting([{ path: '.github/old-gate.yml', status: 'renamed', previous_path: '.github/agent-gate.yml' }]))
      ).toContain('integrity.config-loosened');
      expect(rules(deleting(null, ['records/a.yaml']))).toEqual(['integrity.config-loosened']);
      expect(rules(deleting(null, ['.github/agent-gate.yml', 'records/a.yaml']))).toEqual([]);
      expect(rules(deleting(null, null))).toEqual([]);
    });

    it('says nothing more when the file is unchanged, or the defaults loosen nothing', () => {
      const unchanged = deleting([{ path: 'records/a.yaml', status: 'modified' }], []);
      expect(evaluateIntegrity(createContext(unchanged)).findings).toEqual([]);
      const defaults = {
        ...deleting([{ path: '.github/agent-gate.yml', status: 'removed' }]),
        config: config()
      };
      expect(evaluateIntegrity(createContext(defaults)).findings.map((f) => f.rule)).toEqual([
        'integrity.gate-files-changed'
      ]);
    });
  });

  it('protects the configuration file in use wherever it lives', () => {
    const input = {
      ...gateInput({
        head: [],
        config: base,
        changed_files: [{ path: 'ci/gate-config.yml', status: 'modified' as const }]
      }),
      config_source: { side: 'base' as const, file: './ci/gate-config.yml', sha256: 'b' }
    };
    expect(evaluateIntegrity(createContext(input)).findings[0]?.observed).toEqual(['ci/gate-config.yml']);
  });

  it('counts a rollout policy or Deployment the pull request deletes or renames out as a changed gate file', () => {
    const policy = rec(
      'rollout_policy',
      { rollout: { require: ['x'], block_if: [], rollout_mode: {} } },
      'records/rollout.yaml'
    );
    const input = gateInput({ head: [], base: [policy], config: base, changed_files: [] });
    const found = evaluateIntegrity(createContext(input)).findings;
    expect(found.map((f) => [f.rule, f.observed])).toEqual([
      ['integrity.gate-files-changed', ['records/rollout.yaml']]
    ]);
    // kept (unchanged) on the head: no gate file changed
    const kept = gateInput({ head: [policy], base: [policy], config: base, changed_files: [] });
    expect(evaluateIntegrity(createContext(kept)).findings).toEqual([]);
  });

  it('drops the owner requirement with the rule when the configuration turns it off', () => {
    const input = gateInput({
      head: [],
      config: { ...base, rules: { 'integrity.gate-files-changed': 'off' } },
      changed_files: [{ path: '.github/workflows/gate.yml', status: 'modified' }]
    });
    expect(evaluateIntegrity(createContext(input))).toEqual({ findings: [], evidence: null, roleRequirements: [] });
  });

  it('keeps a configured deny even after the owner approved', () => {
    const input = gateInput({
      head: [],
      config: { ...base, rules: { 'integrity.gate-files-changed': 'deny' } },
      changed_files: [{ path: '.github/workflows/gate.yml', status: 'modified' }],
      approvals: {
        available: true,
        author: 'alex',
        head_sha: 'h',
        reviews: [{ id: 1, user: 'dana', state: 'APPROVED', commit_id: 'h', submitted_at: '2026-01-01T00:00:00Z' }],
        teams: {}
      }
    });
    const [f] = evaluateIntegrity(createContext(input)).findings;
    expect(f).toMatchObject({ severity: 'deny' });
    expect(f?.message).toContain('approved by @dana');
  });
});

describe('a configuration read from the head', () => {
  const headInput = (cfg: GateConfig, changed_files: GateInput['changed_files']) => ({
    ...gateInput({ head: [], config: cfg, changed_files }),
    config_source: { side: 'head' as const, file: '.github/agent-gate.yml', sha256: 'h' }
  });
  const silencing = edit((c) => {
    c.rules = {
      'integrity.config-from-head': 'off',
      'integrity.gate-files-changed': 'off',
      'integrity.config-loosened': 'warning',
      'approvals.missing': 'off',
      'drift.token-drift': 'warning'
    };
    c.drift.max_token_drift = 0.5;
    c.integrity.paths = ['nothing/**'];
  });

  it('cannot switch the integrity rules off: they run at their defaults, and the ignored entries are named', () => {
    const input = headInput(silencing, [
      { path: '.github/agent-gate.yml', status: 'modified' },
      { path: '.github/workflows/gate.yml', status: 'modified' }
    ]);
    const result = evaluateIntegrity(createContext(input), { 'approvals.missing': 'follow_up' });
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['integrity.gate-files-changed', 'follow_up'],
      ['integrity.config-from-head', 'warning']
    ]);
    // the default integrity paths still apply: the workflow change is a gate change too
    expect(result.findings[0]!.observed).toEqual(['.github/agent-gate.yml', '.github/workflows/gate.yml']);
    expect(result.roleRequirements.map((r) => r.role)).toEqual(['release-manager']);
    const fromHead = result.findings[1]!;
    expect(fromHead.message).toContain(
      'Its rules: entries for integrity.* were ignored (the defaults apply): integrity.config-from-head: off, ' +
        'integrity.config-loosened: warning, integrity.gate-files-changed: off.'
    );
    expect(fromHead.message).toContain('rules.approvals.missing default (follow_up) → off (rule turned off)');
    expect(fromHead.message).toContain('drift.max_token_drift 0.01 → 0.5');
    const evidence = fromHead.evidence as {
      ignored_rules: { rule: string }[];
      loosened_from_defaults: { setting: string }[];
    };
    expect(evidence.ignored_rules.map((r) => r.rule)).toEqual([
      'integrity.config-from-head',
      'integrity.config-loosened',
      'integrity.gate-files-changed'
    ]);
    expect(evidence.loosened_from_defaults.map((l) => l.setting)).toEqual([
      'drift.max_token_drift',
      'integrity.paths',
      'rules.approvals.missing',
      'rules.drift.token-drift'
    ]);
  });

  it('can still make an integrity rule stricter only from the base', () => {
    const strict = edit((c) => (c.rules = { 'integrity.config-from-head': 'deny' }));
    const fromHead = evaluateIntegrity(createContext(headInput(strict, []))).findings;
    expect(fromHead.map((f) => [f.rule, f.severity])).toEqual([['integrity.config-from-head', 'warning']]);
    expect(fromHead[0]!.message).toContain('integrity.config-from-head: deny');
  });

  it('says nothing about ignored entries when there are none', () => {
    const [f] = evaluateIntegrity(createContext(headInput(base, []))).findings;
    expect(f!.rule).toBe('integrity.config-from-head');
    expect(f!.message).not.toContain('ignored');
    expect(f!.evidence).toMatchObject({ ignored_rules: [] });
  });
});

describe('integrity RULES', () => {
  it('documents every rule', () => {
    for (const spec of Object.values(RULES)) {
      expect(spec.id).toMatch(/^integrity\.[a-z-]+$/);
      expect(spec.description.length).toBeGreaterThan(60);
      expect(spec.fix.length).toBeGreaterThan(20);
    }
  });
});
