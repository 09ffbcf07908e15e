/**
 * .github/agent-gate.yml: defaults fill what the file leaves out, objects merge key by key, lists replace,
 * map entries replace whole; a bad value is an issue, never quietly replaced by a default.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveConfig } from '../config.js';
import { DEFAULT_CONFIG } from '../defaults.js';

const FIXTURE = join(import.meta.dirname, '../../read/__tests__/fixtures/config/agent-gate.yml');
const RULE_IDS = ['agbom.model-changed', 'drift.cost', 'drift.tokens', 'evals.threshold', 'evals.regression'];

const resolve = (yaml: string, rules?: readonly string[]) => resolveConfig(parse(yaml), rules);

describe('defaults', () => {
  test('no file: the defaults, no issues, and a copy that cannot change them', () => {
    const { config, issues } = resolveConfig(undefined);
    expect(issues).toEqual([]);
    expect(config).toEqual(DEFAULT_CONFIG);
    config.records.include.push('x/**');
    config.roles['x'] = { users: [], teams: [] };
    expect(DEFAULT_CONFIG.records.include).toEqual(['records/**/*.{yaml,yml,json,jsonl}']);
    expect(DEFAULT_CONFIG.roles).toEqual({});
  });

  test('an empty file (only comments) is an issue, not a silent fallback to the defaults', () => {
    const { issues } = resolveConfig(parse('# configured later\n'));
    expect(issues).toEqual([
      {
        pointer: '',
        code: 'config.empty',
        message:
          'the configuration file is empty: write `version: 1` (and any settings) to use the defaults, or delete the file'
      }
    ]);
  });
});

describe('merging over the defaults', () => {
  const { config, issues } = resolveConfig(parse(readFileSync(FIXTURE, 'utf8')), RULE_IDS);

  test('the example configuration is valid', () => {
    expect(issues).toEqual([]);
  });

  test('objects merge key by key; lists replace', () => {
    expect(config.records).toEqual({
      include: ['records/**/*.{yaml,yml,json,jsonl}'],
      exclude: ['records/receipts/manifests/**'],
      max_file_bytes: 2097152,
      max_evidence_bytes: DEFAULT_CONFIG.records.max_evidence_bytes,
      max_files: 2000,
      allow_empty: false
    });
    expect(config.integrity).toEqual({
      paths: ['.github/agent-gate.yml', '.github/workflows/agent-gate.yml'],
      owner_role: 'release-manager'
    });
    expect(config.evals).toEqual({
      regression_slack: 0.03,
      confidence: 0.9,
      max_missing_share: 0.1,
      bootstrap_resamples: 5000,
      seed: 7,
      promptfoo: [{ path: 'evals/promptfoo/results.json', eval: 'support-triage-quality' }]
    });
    expect(config.drift).toEqual({ max_token_drift: 0.02, max_cost_drift: 0.01 });
    expect(config.agbom).toEqual({ min_trust_score: 0.8 });
    expect(config.key).toBe('support-triage');
  });

  test('surfaces: an entry replaces the default entry of its name; other defaults stay', () => {
    expect(config.surfaces).toEqual({
      prompts: ['agents/*/prompts/**'],
      model_routing: ['agents/*/routing.yaml'],
      tool_exposure: ['agents/*/tools.yaml', 'agents/*/mcp.json'],
      policy_bundle: ['agents/*/policy/**'],
      retrieval: ['agents/*/retrieval/**']
    });
    const partial = resolve('surfaces:\n  prompts: ["bots/*/prompts/**"]\n  policy_bundle: []\n').config.surfaces;
    expect(partial['prompts']).toEqual(['bots/*/prompts/**']);
    expect(partial['model_routing']).toEqual(DEFAULT_CONFIG.surfaces['model_routing']);
    expect(partial['policy_bundle']).toEqual([]);
  });

  test('roles: users and teams default to none', () => {
    expect(config.roles).toEqual({
      'release-manager': { users: ['dana-release'], teams: [] },
      safety: { users: ['priya-safety'], teams: ['acme/ai-safety'] },
      runtime_owner: { users: [], teams: ['acme/support-runtime'] }
    });
  });

  test('signals and rules are taken as written', () => {
    expect(config.signals).toEqual({
      offline_eval_pass: { eval: 'support-triage-quality' },
      design_review_passed: { approval: 'safety' },
      rollback_plan: { file: 'runbooks/support-triage/rollback.md' }
    });
    expect(config.rules).toEqual({ 'agbom.model-changed': 'deny', 'drift.cost': 'warning' });
  });
});

describe('bad values are issues, never replaced by a default', () => {
  test('a value of the wrong type', () => {
    expect(resolve('records:\n  max_files: "100"\n')).toEqual({
      config: DEFAULT_CONFIG,
      issues: [
        {
          pointer: '/records/max_files',
          code: 'schema.type',
          expected: 'integer',
          message: "records.max_files must be a whole number; got a string ('100')"
        }
      ]
    });
  });

  test('a value out of range', () => {
    expect(resolve('drift:\n  max_token_drift: -0.01\nevals:\n  confidence: 1\n').issues).toEqual([
      {
        pointer: '/evals/confidence',
        code: 'schema.range',
        message: 'evals.confidence must be less than 1; got a number (1)'
      },
      {
        pointer: '/drift/max_token_drift',
        code: 'schema.range',
        message: 'drift.max_token_drift must be at least 0; got a number (-0.01)'
      }
    ]);
  });

  test('a misspelt top-level key', () => {
    expect(resolve('survaces:\n  prompts: ["p/**"]\n').issues).toEqual([
      {
        pointer: '/survaces',
        code: 'schema.unknown-key',
        message:
          "unknown key 'survaces' at the top level; did you mean 'surfaces'? Allowed keys: $schema, agbom, approvals, " +
          'drift, evals, integrity, key, records, roles, rules, signals, surfaces, version'
      }
    ]);
  });

  test('a signal must name exactly one source', () => {
    expect(resolve('signals:\n  rollback_plan: { file: runbooks/rollback.md, eval: e }\n').issues).toEqual([
      {
        pointer: '/signals/rollback_plan',
        code: 'schema.one-of',
        message:
          'signals.rollback_plan must name exactly one source: { eval: <Eval name> }, { approval: <role> } or { file: <path> }; ' +
          "got keys 'file', 'eval'"
      }
    ]);
  });

  test('GitHub users and teams are written without @', () => {
    expect(
      resolve('roles:\n  safety:\n    users: ["@priya"]\n    teams: ["@acme/safety"]\n').issues.map((i) => i.message)
    ).toEqual([
      "roles.safety.users entries must be GitHub logins without '@', like 'octocat'; item 1 is a string ('@priya')",
      "roles.safety.teams entries must be GitHub teams as 'org/team-slug', without '@'; item 1 is a string ('@acme/safety')"
    ]);
  });

  test('a rule severity must be deny, follow_up, warning or off', () => {
    expect(resolve('rules:\n  evals.threshold: block\n', RULE_IDS).issues).toEqual([
      {
        pointer: '/rules/evals.threshold',
        code: 'schema.enum',
        message: `rules["evals.threshold"] must be one of 'deny', 'follow_up', 'warning', 'off'; got a string ('block')`
      }
    ]);
  });

  test('the configuration version is 1', () => {
    expect(resolve('version: 2\n').issues).toEqual([
      { pointer: '/version', code: 'schema.const', message: 'version must be 1; got a number (2)' }
    ]);
  });

  test('a configuration that is not a mapping', () => {
    expect(resolve('- records\n').issues).toEqual([
      {
        pointer: '',
        code: 'schema.type',
        expected: 'object',
        message: 'The agent-gate configuration must be a mapping; got a list (1 entry)'
      }
    ]);
  });
});

describe('what a schema cannot check', () => {
  test('an unknown rule id, with the nearest known one', () => {
    expect(resolve('rules:\n  evals.treshold: warning\n  made.up: off\n', RULE_IDS).issues).toEqual([
      {
        pointer: '/rules/evals.treshold',
        code: 'config.unknown-rule',
        message: "rules: 'evals.treshold' is not a rule of this gate; did you mean 'evals.threshold'?"
      },
      {
        pointer: '/rules/made.up',
        code: 'config.unknown-rule',
        message: "rules: 'made.up' is not a rule of this gate; `agent-gate explain` and docs/rules.md list the rule ids"
      }
    ]);
    // without the rule catalogue, rule ids are only checked for their form
    expect(resolve('rules:\n  made.up: off\n').issues).toEqual([]);
  });

  test('a role that is used but not defined', () => {
    const yaml = [
      'roles:',
      '  release-manager: { users: [dana] }',
      'approvals:',
      '  required_roles: [release-manager, safety]',
      'integrity:',
      '  owner_role: release-manger',
      'signals:',
      '  policy_diff_reviewed: { approval: security }',
      ''
    ].join('\n');
    expect(resolve(yaml).issues).toEqual([
      {
        pointer: '/integrity/owner_role',
        code: 'config.undefined-role',
        message:
          "integrity.owner_role names the role 'release-manger', which roles does not define, so nobody can give that approval; did you mean 'release-manager'?"
      },
      {
        pointer: '/approvals/required_roles/1',
        code: 'config.undefined-role',
        message:
          "approvals.required_roles names the role 'safety', which roles does not define, so nobody can give that approval; defined roles: release-manager"
      },
      {
        pointer: '/signals/policy_diff_reviewed/approval',
        code: 'config.undefined-role',
        message:
          "signals.policy_diff_reviewed.approval names the role 'security', which roles does not define, so nobody can give that approval; defined roles: release-manager"
      }
    ]);
  });

  test('the default owner role must be defined once the file defines roles', () => {
    expect(resolve('roles:\n  safety: { users: [priya] }\n').issues).toEqual([
      {
        pointer: '/integrity/owner_role',
        code: 'config.undefined-role',
        message:
          "integrity.owner_role (the default) names the role 'release-manager', which roles does not define, so nobody can give that approval; defined roles: safety"
      }
    ]);
    // a file that configures no roles at all leaves approvals unconfigured: the approvals rules report it
    expect(resolve('drift:\n  max_token_drift: 0.02\n').issues).toEqual([]);
  });

  test.each([
    ['/etc/agent/**', 'is absolute; write it relative to the repository root'],
    ['C:/records/**', 'is absolute; write it relative to the repository root'],
    ['~/records/**', 'is absolute; write it relative to the repository root'],
    ['../other-repo/**', "contains '..'; it must stay inside the repository"],
    ['records/../../secrets/**', "contains '..'; it must stay inside the repository"],
    ['{..,records}/**/*.yaml', "contains '..'; it must stay inside the repository"],
    ['records/{a,..}/*.yaml', "contains '..'; it must stay inside the repository"],
    ['{/etc,records}/**', 'is absolute; write it relative to the repository root'],
    ['{records,~/x}/**', 'is absolute; write it relative to the repository root'],
    ['{records,C:/x}/**', 'is absolute; write it relative to the repository root'],
    ['@(..|records)/**', "contains '..'; it must stay inside the repository"],
    ['+(records|/etc)/**', 'is absolute; write it relative to the repository root'],
    ['records\\\\**', "contains a backslash; use forward slashes ('/')"],
    ['records/\\0x', 'contains a NUL character'],
    ['./records/**', "starts with './'; write 'records/**'"]
  ])('the glob %j is rejected', (glob, problem) => {
    const issues = resolve(`records:\n  include: ["${glob}"]\n`).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ pointer: '/records/include/0', code: 'config.bad-glob' });
    expect(issues[0]!.message).toMatch(
      new RegExp(`^records\\.include glob '.*' ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    );
  });

  test('globs and paths are checked everywhere they are written', () => {
    const yaml = [
      'records: { exclude: ["/tmp/**"] }',
      'surfaces: { prompts: ["../prompts/**"] }',
      'integrity: { paths: ["C:/gate/**"] }',
      'evals: { promptfoo: [{ path: "../results.json", eval: e }] }',
      'signals: { rollback_plan: { file: "/runbooks/rollback.md" } }',
      ''
    ].join('\n');
    expect(resolve(yaml).issues.map((i) => [i.pointer, i.code])).toEqual([
      ['/records/exclude/0', 'config.bad-glob'],
      ['/surfaces/prompts/0', 'config.bad-glob'],
      ['/integrity/paths/0', 'config.bad-glob'],
      ['/evals/promptfoo/0/path', 'config.bad-path'],
      ['/signals/rollback_plan/file', 'config.bad-path']
    ]);
  });
});

describe('hostile keys', () => {
  test('__proto__ and constructor are plain names of roles, surfaces, signals', () => {
    const value = JSON.parse(
      '{"roles": {"__proto__": {"users": ["mallory"]}, "constructor": {"teams": ["acme/x"]}, "release-manager": {}},' +
        ' "surfaces": {"__proto__": ["evil/**"]}, "signals": {"__proto__": {"file": "x.md"}}}'
    ) as unknown;
    const { config, issues } = resolveConfig(value);
    expect(issues).toEqual([]);
    expect(Object.getPrototypeOf(config.roles)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(config.surfaces)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(config.signals)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(config.roles, '__proto__')?.value).toEqual({
      users: ['mallory'],
      teams: []
    });
    expect(Object.getOwnPropertyDescriptor(config.roles, 'constructor')?.value).toEqual({
      users: [],
      teams: ['acme/x']
    });
    expect(Object.getOwnPropertyDescriptor(config.surfaces, '__proto__')?.value).toEqual(['evil/**']);
    expect(({} as Record<string, unknown>)['users']).toBeUndefined();
  });
});

describe('secrets in messages', () => {
  // assembled, not written out, so that no scanner mistakes this file for a leak; none is a real credential
  const GITHUB = 'ghp_' + 'R4nd0mLooK1ngT0kenF0rTests0nly12345678';
  const AWS = 'AKIA' + 'IOSFODNN7EXAMPLE';
  const SLACK = 'xox' + 'b-' + '2048-1234567890-abcdefghijklmnop';
  const LEAKS = /R4nd0mLooK1ngT0ken|IOSFODNN7|1234567890-abcdefghijklmnop/;
  const messages = (value: unknown, rules?: readonly string[]) =>
    resolveConfig(value, rules).issues.map((i) => i.message);

  test('a rule id is masked, and so is the near one it suggests', () => {
    const found = messages({ rules: { [`${SLACK}.x`]: 'off' } }, [...RULE_IDS, `${SLACK}.y`]);
    expect(found).toEqual(["rules: 'xoxb-…mnop.x' is not a rule of this gate; did you mean 'xoxb-…mnop.y'?"]);
  });

  test('a role name is masked where it is used, suggested and listed', () => {
    const found = messages({
      roles: { [GITHUB]: { users: ['dana'] }, [AWS]: { teams: ['acme/ops'] } },
      approvals: { required_roles: [`${GITHUB}x`, 'safety'] },
      signals: { [`sig-${GITHUB}`]: { approval: AWS.replace(/E$/, 'F') } }
    });
    expect(found).toEqual([
      "integrity.owner_role (the default) names the role 'release-manager', which roles does not define, so nobody can give that approval; defined roles: ghp_…5678, AKIA…MPLE",
      "approvals.required_roles names the role 'ghp_…678x', which roles does not define, so nobody can give that approval; did you mean 'ghp_…5678'?",
      "approvals.required_roles names the role 'safety', which roles does not define, so nobody can give that approval; defined roles: ghp_…5678, AKIA…MPLE",
      "signals.sig-ghp_…5678.approval names the role 'AKIA…MPLF', which roles does not define, so nobody can give that approval; did you mean 'AKIA…MPLE'?"
    ]);
  });

  test('a user or team name is masked (the schema checks them)', () => {
    const found = messages({ roles: { 'release-manager': { users: [GITHUB], teams: [`acme/${AWS}x/y`] } } });
    expect(found).toHaveLength(2);
    expect(found.join('\n')).not.toMatch(LEAKS);
    expect(found[0]).toContain('ghp_…5678');
  });

  test('a glob, a path and the names they sit under are masked', () => {
    const found = messages({
      records: { include: [`./records/${GITHUB}/**`] },
      surfaces: { [GITHUB]: [`../${AWS}/**`] },
      signals: { [AWS]: { file: `/runbooks/${GITHUB}.md` } }
    });
    expect(found).toEqual([
      "records.include glob './records/ghp_…5678/**' starts with './'; write 'records/ghp_…5678/**'",
      "surfaces.ghp_…5678 glob '../AKIA…MPLE/**' contains '..'; it must stay inside the repository",
      "signals.AKIA…MPLE.file '/runbooks/ghp_…5678.md' is absolute; write it relative to the repository root"
    ]);
    // a glob under a surface named for the code that handles secrets is not itself taken for one
    expect(messages({ surfaces: { secrets: ['./v2/config/secrets/**'] } })).toEqual([
      "surfaces.secrets glob './v2/config/secrets/**' starts with './'; write 'v2/config/secrets/**'"
    ]);
  });
});
