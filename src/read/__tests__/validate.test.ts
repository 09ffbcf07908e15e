/**
 * Schema validation as users meet it: every good record passes unchanged, and every malformed one gets a
 * sentence that names the field, what was expected and what was found, at the right JSON pointer.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validation } from '@cyclonedx/cyclonedx-library';
import { parse } from 'yaml';
import {
  MAX_ISSUES_PER_FILE,
  validateEvalCaseLine,
  validateRecord,
  type SchemaIssue,
  type SchemaKind
} from '../validate.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
/** A parsed JSON fixture that a test changes in place to make it invalid. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Bom = Record<string, any>;
const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const yamlFixture = (path: string): unknown => parse(read(path));
const jsonFixture = (path: string): Record<string, unknown> => JSON.parse(read(path)) as Record<string, unknown>;

async function issuesOf(kind: SchemaKind, yamlText: string): Promise<SchemaIssue[]> {
  return validateRecord(kind, parse(yamlText));
}

/** Exactly one issue, and what it says. */
async function theIssue(kind: SchemaKind, value: unknown): Promise<SchemaIssue> {
  const issues = await validateRecord(kind, typeof value === 'string' ? parse(value) : value);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

const SEED_CHANGE = read('seeds/change.yaml');
/** The seed change.yaml with one line replaced (or removed when `line` is null). */
function changeWith(field: string, line: string | null): unknown {
  const lines = SEED_CHANGE.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`  ${field}:`));
  expect(at).toBeGreaterThan(0);
  let end = at + 1;
  while (end < lines.length && lines[end]!.startsWith('    - ')) end++;
  lines.splice(at, end - at, ...(line === null ? [] : [line]));
  return parse(lines.join('\n'));
}

describe('seed examples validate unchanged', () => {
  test.each([
    ['change_review_record', 'seeds/change_review_record.yaml'],
    ['rollout_gate_record', 'seeds/rollout_gate_record.yaml'],
    ['change', 'seeds/change.yaml'],
    ['rollout_policy', 'seeds/rollout.yaml'],
    ['eval', 'seeds/eval.support-triage-quality.yaml'],
    ['deployment', 'seeds/deployment.support-triage-prod.yaml']
  ] as [SchemaKind, string][])('%s (%s)', async (kind, file) => {
    expect(await validateRecord(kind, yamlFixture(file))).toEqual([]);
  });
});

describe('realistic records of every kind validate', () => {
  test.each([
    ['rollout_assessment', 'records/rollout_assessment.yaml'],
    ['eval_scores', 'records/eval_scores.yaml'],
    ['eval', 'records/eval.support-triage-quality.yaml'],
    ['config', 'config/agent-gate.yml']
  ] as [SchemaKind, string][])('%s (%s)', async (kind, file) => {
    expect(await validateRecord(kind, yamlFixture(file))).toEqual([]);
  });

  test.each([
    ['replay_receipts', 'records/replay_receipts.json'],
    ['promptfoo_results', 'records/promptfoo-results.json'],
    ['agbom', 'agbom/support-triage-1.5.cdx.json'],
    ['agbom', 'agbom/support-triage-1.6.cdx.json'],
    ['agbom', 'agbom/support-triage-1.7.cdx.json']
  ] as [SchemaKind, string][])('%s (%s)', async (kind, file) => {
    expect(await validateRecord(kind, jsonFixture(file))).toEqual([]);
  });

  test('per-case JSON Lines', () => {
    const lines = read('records/cases.jsonl').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(validateEvalCaseLine(JSON.parse(line))).toEqual([]);
  });
});

describe('change.yaml (seed 001 §8)', () => {
  test.each([
    'change_id',
    'change_type',
    'risk_level',
    'rollout_strategy',
    'session_control_owner',
    'emergency_freeze_owner'
  ])('a missing %s is reported', async (field) => {
    expect(await theIssue('change', changeWith(field, null))).toEqual({
      pointer: `/change/${field}`,
      code: 'schema.required',
      message: `change.${field} is required`
    });
  });

  test.each([
    ['change_id', '  change_id: 20260407', 'change.change_id must be a string; got a number (20260407)'],
    [
      'change_type',
      '  change_type: [capability_contract_update]',
      'change.change_type must be a string; got a list (1 entry)'
    ],
    ['rollout_strategy', '  rollout_strategy: true', 'change.rollout_strategy must be a string; got a boolean (true)'],
    ['session_control_owner', '  session_control_owner:', 'change.session_control_owner must be a string; got null']
  ])('a %s of the wrong type is reported with what was found', async (field, line, message) => {
    expect(await theIssue('change', changeWith(field, line))).toEqual({
      pointer: `/change/${field}`,
      code: 'schema.type',
      expected: 'string',
      message
    });
  });

  test('an empty id is reported as empty', async () => {
    expect(await theIssue('change', changeWith('change_id', '  change_id: ""'))).toEqual({
      pointer: '/change/change_id',
      code: 'schema.empty',
      message: 'change.change_id must not be empty'
    });
  });

  test('a list field that is not a list: "{key} must be a list"', async () => {
    expect(await theIssue('change', changeWith('artifacts', '  artifacts: agent.yaml'))).toEqual({
      pointer: '/change/artifacts',
      code: 'schema.type',
      expected: 'array',
      message: "change.artifacts must be a list; got a string ('agent.yaml')"
    });
  });

  test('list entries must be strings, not empty, and unique — each bad entry located', async () => {
    const value = changeWith(
      'required_signals',
      '  required_signals: [offline_eval_passed, 7, "", offline_eval_passed, " padded"]'
    );
    expect(await validateRecord('change', value)).toEqual([
      {
        pointer: '/change/required_signals/1',
        code: 'schema.type',
        expected: 'string',
        message: 'change.required_signals entries must be strings; item 2 is a number (7)'
      },
      {
        pointer: '/change/required_signals/2',
        code: 'schema.empty',
        message: 'change.required_signals entries must not be empty; item 3 is empty'
      },
      {
        pointer: '/change/required_signals/4',
        code: 'schema.pattern',
        message:
          "change.required_signals entries must not start or end with whitespace or contain line breaks; item 5 is a string (' padded')"
      },
      {
        pointer: '/change/required_signals/3',
        code: 'schema.unique',
        message: "change.required_signals entries must be unique: 'offline_eval_passed' appears at items 1 and 4"
      }
    ]);
  });

  test('every repeat in a list is reported, not just the first', async () => {
    const issues = await validateRecord('change', changeWith('approval_roles', '  approval_roles: [a, b, a, b, a]'));
    expect(issues.map((i) => [i.pointer, i.message])).toEqual([
      ['/change/approval_roles/2', "change.approval_roles entries must be unique: 'a' appears at items 1 and 3"],
      ['/change/approval_roles/3', "change.approval_roles entries must be unique: 'b' appears at items 2 and 4"],
      ['/change/approval_roles/4', "change.approval_roles entries must be unique: 'a' appears at items 1 and 5"]
    ]);
  });

  test('risk_level must be a known level (a misspelt level must not read as "not high")', async () => {
    expect(await theIssue('change', changeWith('risk_level', '  risk_level: High'))).toEqual({
      pointer: '/change/risk_level',
      code: 'schema.enum',
      message:
        "change.risk_level must be one of 'low', 'medium', 'high', 'critical'; got a string ('High'); did you mean 'high'?"
    });
  });

  test('an unknown key names the key, suggests the nearest and lists the allowed keys', async () => {
    const value = changeWith('approval_roles', '  aproval_roles: [platform-owner]');
    expect(await theIssue('change', value)).toEqual({
      pointer: '/change/aproval_roles',
      code: 'schema.unknown-key',
      message:
        "unknown key 'aproval_roles' in change; did you mean 'approval_roles'? Allowed keys: affected_surfaces, " +
        'approval_roles, artifacts, change_id, change_type, emergency_freeze_owner, required_signals, risk_level, ' +
        'rollout_strategy, session_control_owner'
    });
  });

  test('"change config must be a mapping" and "change must be a mapping"', async () => {
    expect(await theIssue('change', '- change_id: x\n')).toEqual({
      pointer: '',
      code: 'schema.type',
      expected: 'object',
      message: 'change config must be a mapping; got a list (1 entry)'
    });
    expect(await theIssue('change', 'change: chg-1\n')).toMatchObject({
      pointer: '/change',
      message: "change must be a mapping; got a string ('chg-1')"
    });
  });
});

describe('rollout.yaml (seed 001 §8)', () => {
  const policy = (body: string) => `rollout:\n${body}`;
  const modes = '  rollout_mode: { initial: canary }\n';

  test("'require' must be a list", async () => {
    expect(await theIssue('rollout_policy', policy(`  require: trace_coverage\n  block_if: []\n${modes}`))).toEqual({
      pointer: '/rollout/require',
      code: 'schema.type',
      expected: 'array',
      message: "rollout.require must be a list; got a string ('trace_coverage')"
    });
  });

  test("'rollout_mode' must be a mapping", async () => {
    expect(
      await theIssue('rollout_policy', policy('  require: []\n  block_if: []\n  rollout_mode: [canary]\n'))
    ).toMatchObject({
      pointer: '/rollout/rollout_mode',
      message: 'rollout.rollout_mode must be a mapping; got a list (1 entry)'
    });
  });

  test.each([
    ['a list', 'stages: [shadow, canary]', 'stages is a list (2 entries)'],
    ['a mapping', 'stages: { first: shadow }', 'stages is a mapping'],
    ['null', 'stages:', 'stages is null']
  ])('rollout.rollout_mode values must be scalar: %s is rejected', async (_what, entry, found) => {
    const issue = await theIssue(
      'rollout_policy',
      policy(`  require: []\n  block_if: []\n  rollout_mode:\n    initial: canary\n    ${entry}\n`)
    );
    expect(issue).toMatchObject({
      pointer: '/rollout/rollout_mode/stages',
      code: 'schema.type',
      message: `rollout.rollout_mode values must be scalar: ${found}; use a string, a number or true/false`
    });
  });

  test.each([
    ['max_tenant_exposure_pct: "5%"', 'max_tenant_exposure_pct', /must be a number; got a string \('5%'\)/],
    ['max_tenant_exposure_pct: [5]', 'max_tenant_exposure_pct', /must be a number; got a list/],
    ['require_shadow_period: "yes"', 'require_shadow_period', /must be true or false|must be a boolean/]
  ])('rollout_mode %s: the known keys name their own type', async (entry, key, message) => {
    const issue = await theIssue(
      'rollout_policy',
      policy(`  require: []\n  block_if: []\n  rollout_mode:\n    initial: canary\n    ${entry}\n`)
    );
    expect(issue).toMatchObject({ pointer: `/rollout/rollout_mode/${key}`, code: 'schema.type' });
    expect(issue.message).toMatch(message);
    expect(issue.message).not.toMatch(/must be scalar/);
  });

  test('rollout_mode keys and string values must not be empty', async () => {
    const issues = await issuesOf(
      'rollout_policy',
      policy(`  require: []\n  block_if: []\n  rollout_mode:\n    "": canary\n    initial: ""\n`)
    );
    expect(issues).toEqual([
      {
        pointer: '/rollout/rollout_mode/',
        code: 'schema.key',
        message: "rollout.rollout_mode: key '' must not be empty"
      },
      {
        pointer: '/rollout/rollout_mode/initial',
        code: 'schema.empty',
        message: 'rollout.rollout_mode.initial must not be empty'
      }
    ]);
  });

  test('max_tenant_exposure_pct is a percentage', async () => {
    expect(
      await theIssue(
        'rollout_policy',
        policy('  require: []\n  block_if: []\n  rollout_mode: { max_tenant_exposure_pct: 150 }\n')
      )
    ).toEqual({
      pointer: '/rollout/rollout_mode/max_tenant_exposure_pct',
      code: 'schema.range',
      message: 'rollout.rollout_mode.max_tenant_exposure_pct must be at most 100; got a number (150)'
    });
  });

  test('block_if entries must be unique', async () => {
    expect(await theIssue('rollout_policy', policy(`  require: []\n  block_if: [x, x]\n${modes}`))).toEqual({
      pointer: '/rollout/block_if/1',
      code: 'schema.unique',
      message: "rollout.block_if entries must be unique: 'x' appears at items 1 and 2"
    });
  });

  test('"Rollout policy config must be a mapping"', async () => {
    expect(await theIssue('rollout_policy', '"rollout"\n')).toMatchObject({
      pointer: '',
      message: "Rollout policy config must be a mapping; got a string ('rollout')"
    });
  });
});

describe('change_review_record and rollout_gate_record', () => {
  const review = read('seeds/change_review_record.yaml');
  const gate = read('seeds/rollout_gate_record.yaml');

  test('a missing field of the review record', async () => {
    expect(await theIssue('change_review_record', review.replace(/^review_id:.*\n/m, ''))).toEqual({
      pointer: '/review_id',
      code: 'schema.required',
      message: 'review_id is required'
    });
  });

  test('a misspelt status suggests the right one', async () => {
    expect(await theIssue('change_review_record', review.replace('status: approved', 'status: aproved'))).toMatchObject(
      {
        pointer: '/status',
        code: 'schema.enum',
        message: expect.stringContaining("got a string ('aproved'); did you mean 'approved'?")
      }
    );
  });

  test('a blocking finding needs an id; a number is neither form', async () => {
    const value = gate.replace('blocking_findings: []', 'blocking_findings:\n  - summary: blind retry returned\n  - 3');
    expect(await issuesOf('rollout_gate_record', value)).toEqual([
      { pointer: '/blocking_findings/0/id', code: 'schema.required', message: 'blocking_findings[0].id is required' },
      {
        pointer: '/blocking_findings/1',
        code: 'schema.type',
        expected: 'string,object',
        message: 'blocking_findings[1] must be a string or a mapping; got a number (3)'
      }
    ]);
  });

  test('decision is go, no_go, hold or rollback', async () => {
    expect(await theIssue('rollout_gate_record', gate.replace('decision: go', 'decision: approved'))).toEqual({
      pointer: '/decision',
      code: 'schema.enum',
      message: "decision must be one of 'go', 'no_go', 'hold', 'rollback'; got a string ('approved')"
    });
  });

  test('traffic_scope is a label or a percentage', async () => {
    expect(await validateRecord('rollout_gate_record', parse(gate.replace('5_percent', '5')))).toEqual([]);
    expect(
      await theIssue('rollout_gate_record', gate.replace('traffic_scope: 5_percent', 'traffic_scope: 250'))
    ).toMatchObject({
      pointer: '/traffic_scope',
      message: 'traffic_scope must be at most 100; got a number (250)'
    });
  });
});

describe('Eval thresholds and metrics', () => {
  const evalWith = (thresholds: string, metrics = '    - { name: m, type: numeric, direction: lower_is_better }\n') =>
    `apiVersion: joch.dev/v1alpha1\nkind: Eval\nmetadata: { name: e }\nspec:\n  metrics:\n${metrics}  thresholds:\n${thresholds}`;

  test.each(['"<0.40"', '"<=3000"', '">=0.85"', '"== 0"', '">-1"', '"<1e-3"', '"<.5"', '0.85', '0', '-2.5'])(
    'threshold %s is accepted',
    async (threshold) => {
      expect(await issuesOf('eval', evalWith(`    m: ${threshold}\n`))).toEqual([]);
    }
  );

  test.each(['"<<0.4"', '"=>0.8"', '"<= abc"', '"< "', '">=1e"', '"== -"', '"≥0.9"', '"<0.4 "'])(
    'comparator string %s is rejected',
    async (threshold) => {
      const issue = await theIssue('eval', evalWith(`    m: ${threshold}\n`));
      expect(issue.pointer).toBe('/spec/thresholds/m');
      expect(issue.code).toBe('schema.pattern');
      expect(issue.message).toMatch(
        /^spec\.thresholds\.m must be a number or a comparator and a number, like "<0\.40", "<=3000", ">=0\.85" or "==0"; got a string/
      );
    }
  );

  test('a quoted bare number is rejected with a way out', async () => {
    expect((await theIssue('eval', evalWith('    m: "0.85"\n'))).message).toBe(
      'spec.thresholds.m must be a number or a comparator and a number, like "<0.40", "<=3000", ">=0.85" or "==0"; ' +
        'got a string (\'0.85\'): write the number without quotes, or with a comparator such as ">=0.85"'
    );
  });

  test('a threshold that is neither a number nor a string', async () => {
    expect(await theIssue('eval', evalWith('    m: [0.8]\n'))).toEqual({
      pointer: '/spec/thresholds/m',
      code: 'schema.type',
      expected: 'number,string',
      message:
        'spec.thresholds.m must be a number or a comparator string like "<0.40", "<=3000" or ">=0.85"; got a list (1 entry)'
    });
  });

  test('non-finite numbers are rejected', async () => {
    expect(await theIssue('eval', evalWith('    m: .nan\n'))).toMatchObject({
      pointer: '/spec/thresholds/m',
      message: expect.stringContaining('got a number that is not finite (NaN)')
    });
  });

  test('metric type, aggregate and direction are checked, with suggestions', async () => {
    const metrics =
      '    - { name: a, type: llm-judge }\n    - { name: b, type: numeric, aggregate: avg }\n    - { name: c, type: numeric, direction: lower }\n';
    expect((await issuesOf('eval', evalWith('    a: 0.8\n', metrics))).map((i) => [i.pointer, i.message])).toEqual([
      [
        '/spec/metrics/0/type',
        "spec.metrics[0].type must be one of 'llm_judge', 'deterministic', 'numeric'; got a string ('llm-judge'); did you mean 'llm_judge'?"
      ],
      [
        '/spec/metrics/1/aggregate',
        "spec.metrics[1].aggregate must be one of 'mean', 'rate', 'p50', 'p95', 'p99', 'max', 'min', 'sum'; got a string ('avg')"
      ],
      [
        '/spec/metrics/2/direction',
        "spec.metrics[2].direction must be one of 'higher_is_better', 'lower_is_better'; got a string ('lower'); did you mean 'lower_is_better'?"
      ]
    ]);
  });

  test('a misspelt spec key is an unknown key with a suggestion', async () => {
    const text = evalWith('    m: 1\n').replace('  thresholds:', '  treshold: {}\n  thresholds:');
    expect(await theIssue('eval', text)).toEqual({
      pointer: '/spec/treshold',
      code: 'schema.unknown-key',
      message:
        "unknown key 'treshold' in spec; did you mean 'thresholds'? Allowed keys: covers, dataset, metrics, releaseGate, schedule, target, thresholds"
    });
  });

  test('an Eval needs at least one metric', async () => {
    const text = 'apiVersion: joch.dev/v1alpha1\nkind: Eval\nmetadata: { name: e }\nspec:\n  metrics: []\n';
    expect(await theIssue('eval', text)).toEqual({
      pointer: '/spec/metrics',
      code: 'schema.min-items',
      message: 'spec.metrics must not be an empty list'
    });
  });
});

describe('Deployment, eval_scores, rollout_assessment, replay_receipts, promptfoo results', () => {
  test('promotion requirements: a name or a non-empty list of names', async () => {
    const text = read('seeds/deployment.support-triage-prod.yaml').replace(
      'requiresEval: support-triage-quality\n    requiresApproval: release-manager',
      'requiresEval: []\n    requiresApproval: 5'
    );
    expect((await issuesOf('deployment', text)).map((i) => [i.pointer, i.message])).toEqual([
      ['/spec/promotion/requiresEval', 'spec.promotion.requiresEval must not be an empty list'],
      [
        '/spec/promotion/requiresApproval',
        'spec.promotion.requiresApproval must be a string or a list; got a number (5)'
      ]
    ]);
  });

  test('eval_scores: metric values are numbers, cases a whole number', async () => {
    const text = read('records/eval_scores.yaml')
      .replace('cases: 412', 'cases: 41.5')
      .replace('task_success: 0.874', 'task_success: "0.874"');
    expect(await issuesOf('eval_scores', text)).toEqual([
      {
        pointer: '/cases',
        code: 'schema.type',
        expected: 'integer',
        message: 'cases must be a whole number; got a number (41.5)'
      },
      {
        pointer: '/metrics/task_success',
        code: 'schema.type',
        expected: 'number',
        message: "metrics.task_success must be a number; got a string ('0.874')"
      }
    ]);
  });

  test('eval_scores: infinite values are rejected', async () => {
    const value = { kind: 'eval_scores', eval: 'e', metrics: { latency: Infinity } };
    expect((await theIssue('eval_scores', value)).message).toBe(
      'metrics.latency must be a number; got a number that is not finite (Infinity)'
    );
  });

  test('rollout_assessment: signals are true or false, not "yes"', async () => {
    const text = read('records/rollout_assessment.yaml').replace('slo_defined: true', 'slo_defined: "yes"');
    expect(await theIssue('rollout_assessment', text)).toEqual({
      pointer: '/signals/slo_defined',
      code: 'schema.type',
      expected: 'boolean',
      message: "signals.slo_defined must be true or false; got a string ('yes')"
    });
  });

  test('replay_receipts: digests, paths, counts and costs are checked where they are', async () => {
    const receipts = jsonFixture('records/replay_receipts.json') as {
      runs: {
        live: {
          tokens: { input: number };
          cost_usd: number;
          steps: { c2pa_manifest: { path: string; sha256: string } }[];
        };
      }[];
    };
    const live = receipts.runs[0]!.live;
    live.tokens.input = 51.5;
    live.cost_usd = -0.01;
    live.steps[0]!.c2pa_manifest.sha256 = live.steps[0]!.c2pa_manifest.sha256.toUpperCase();
    live.steps[1]!.c2pa_manifest.path = '/etc/passwd';
    expect((await validateRecord('replay_receipts', receipts)).map((i) => [i.pointer, i.message])).toEqual([
      ['/runs/0/live/tokens/input', 'runs[0].live.tokens.input must be a whole number; got a number (51.5)'],
      ['/runs/0/live/cost_usd', 'runs[0].live.cost_usd must be at least 0; got a number (-0.01)'],
      [
        '/runs/0/live/steps/0/c2pa_manifest/sha256',
        "runs[0].live.steps[0].c2pa_manifest.sha256 must be a SHA-256 digest: 64 lower-case hex digits; got a string ('9D5ED678FE57BCCA610140957AFAB571A6C1A2C6E0D1F0F8D3B1C2E5A4F6B7C8')"
      ],
      [
        '/runs/0/live/steps/1/c2pa_manifest/path',
        "runs[0].live.steps[1].c2pa_manifest.path must be a relative path with forward slashes (no leading '/', no drive letter, no backslash); got a string ('/etc/passwd')"
      ]
    ]);
  });

  test('replay_receipts: a run needs live and replay; a file needs runs', async () => {
    expect(await validateRecord('replay_receipts', { kind: 'replay_receipts', runs: [] })).toEqual([
      { pointer: '/runs', code: 'schema.min-items', message: 'runs must not be an empty list' }
    ]);
    const receipts = jsonFixture('records/replay_receipts.json') as { runs: Record<string, unknown>[] };
    delete receipts.runs[0]!['replay'];
    expect(await validateRecord('replay_receipts', receipts)).toEqual([
      { pointer: '/runs/0/replay', code: 'schema.required', message: 'runs[0].replay is required' }
    ]);
  });

  test('promptfoo results: only what the gate reads is checked', async () => {
    const results = jsonFixture('records/promptfoo-results.json') as {
      results: { results: Record<string, unknown>[] };
    };
    delete results.results.results[0]!['testIdx'];
    results.results.results[1]!['success'] = 'false';
    expect((await validateRecord('promptfoo_results', results)).map((i) => [i.pointer, i.message])).toEqual([
      ['/results/results/0/testIdx', 'results.results[0].testIdx is required'],
      ['/results/results/1/success', "results.results[1].success must be true or false; got a string ('false')"]
    ]);
  });
});

describe('per-case JSON Lines', () => {
  const line = {
    eval: 'support-triage-quality',
    case_id: 'c-1',
    metrics: { task_success: 1 },
    cost_usd: 0.01,
    latency_ms: 1200
  };

  test('a misspelt field is an unknown key with a suggestion', () => {
    expect(validateEvalCaseLine({ ...line, latency_msec: 5 })).toEqual([
      {
        pointer: '/latency_msec',
        code: 'schema.unknown-key',
        message:
          "unknown key 'latency_msec' at the top level; did you mean 'latency_ms'? Allowed keys: case_id, cost_usd, eval, latency_ms, metrics"
      }
    ]);
  });

  test('case ids are strings (a numeric id gets the expected type for a "quote it" hint)', () => {
    expect(validateEvalCaseLine({ ...line, case_id: 17 })).toEqual([
      {
        pointer: '/case_id',
        code: 'schema.type',
        expected: 'string',
        message: 'case_id must be a string; got a number (17)'
      }
    ]);
  });

  test('metric values are numbers or booleans', () => {
    expect(validateEvalCaseLine({ ...line, metrics: { task_success: 'pass' } })).toEqual([
      {
        pointer: '/metrics/task_success',
        code: 'schema.type',
        expected: 'number,boolean',
        message: "metrics.task_success must be a number or true or false; got a string ('pass')"
      }
    ]);
  });

  test('a line that is not an object', () => {
    expect(validateEvalCaseLine([1, 2])).toEqual([
      {
        pointer: '',
        code: 'schema.type',
        expected: 'object',
        message: 'Each line of a per-case results file must be a mapping; got a list (2 entries)'
      }
    ]);
  });

  test('a valid line costs microseconds (a million lines are validated on every run)', () => {
    for (let i = 0; i < 20_000; i++) validateEvalCaseLine(line);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200_000; i++) validateEvalCaseLine(line);
    const perLineNs = Number(process.hrtime.bigint() - start) / 200_000;
    expect(perLineNs).toBeLessThan(10_000);
  });
});

describe('CycloneDX AgBOM', () => {
  const VERSIONS = ['1.5', '1.6', '1.7'] as const;
  const bom = (version: string) => jsonFixture(`agbom/support-triage-${version}.cdx.json`) as Bom;

  /** The official validator of @cyclonedx/cyclonedx-library, for a second opinion on validity. */
  const officialValidators = new Map<string, Validation.JsonStrictValidator>();
  async function officialVerdict(version: string, value: unknown): Promise<boolean> {
    let validator = officialValidators.get(version);
    if (!validator) {
      validator = new Validation.JsonStrictValidator(version as never);
      officialValidators.set(version, validator);
    }
    return (await validator.validate(JSON.stringify(value))) === null;
  }

  const MUTATIONS: [string, (b: Bom) => void, Partial<Record<keyof SchemaIssue, unknown>>][] = [
    [
      'an unknown component type',
      (b) => (b['components'][0].type = 'ml-model'),
      {
        pointer: '/components/0/type',
        code: 'schema.enum',
        message: expect.stringMatching(
          /^components\[0\]\.type must be one of 'application', .*'machine-learning-model'.*; got a string \('ml-model'\)$/
        )
      }
    ],
    [
      'a hash algorithm written the wrong way',
      (b) => (b['components'][1].hashes[0].alg = 'sha256'),
      {
        pointer: '/components/1/hashes/0/alg',
        code: 'schema.enum',
        message: expect.stringContaining("got a string ('sha256'); did you mean 'SHA-256'?")
      }
    ],
    [
      'a misspelt service key',
      (b) => {
        b['services'][0].endpoint = b['services'][0].endpoints;
        delete b['services'][0].endpoints;
      },
      {
        pointer: '/services/0/endpoint',
        code: 'schema.unknown-key',
        message: expect.stringMatching(
          /^unknown key 'endpoint' in services\[0\]; did you mean 'endpoints'\? Allowed keys: .*bom-ref/
        )
      }
    ],
    [
      'a component without a name',
      (b) => delete b['components'][2].name,
      { pointer: '/components/2/name', code: 'schema.required', message: 'components[2].name is required' }
    ],
    [
      'a timestamp that is not a date-time',
      (b) => (b['metadata'].timestamp = 'yesterday'),
      {
        pointer: '/metadata/timestamp',
        code: 'schema.format',
        message: "metadata.timestamp must be a date and time like 2026-04-07T12:00:00Z; got a string ('yesterday')"
      }
    ]
  ];

  describe.each(VERSIONS)('specVersion %s', (version) => {
    test('the AgBOM fixture is valid, as the official validator agrees', async () => {
      expect(await validateRecord('agbom', bom(version))).toEqual([]);
      expect(await officialVerdict(version, bom(version))).toBe(true);
    });

    test.each(MUTATIONS)('%s is rejected, as the official validator agrees', async (_name, mutate, expected) => {
      const value = bom(version);
      mutate(value);
      const issues = await validateRecord('agbom', value);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject(expected);
      expect(await officialVerdict(version, value)).toBe(false);
    });
  });

  test('duplicate entries in a list of objects are found (the official schema says uniqueItems)', async () => {
    const value = bom('1.6');
    value['components'].push(structuredClone(value['components'][1]));
    value['dependencies'][0].dependsOn.push('mcp:tracker');
    expect(await validateRecord('agbom', value)).toEqual([
      {
        pointer: '/components/4',
        code: 'schema.unique',
        message: 'components entries must be unique: items 2 and 5 are the same'
      },
      {
        pointer: '/dependencies/0/dependsOn/5',
        code: 'schema.unique',
        message: 'dependencies[0].dependsOn entries must be unique: items 5 and 6 are the same'
      }
    ]);
    expect(await officialVerdict('1.6', value)).toBe(false);
  });

  test('validation time grows linearly with the number of components', async () => {
    const base = bom('1.6');
    const sized = (n: number) => ({
      ...base,
      dependencies: undefined,
      components: Array.from({ length: n }, (_, i) => ({
        ...base['components'][i % 4],
        'bom-ref': `c-${i}`,
        name: `c-${i}`
      }))
    });
    const time = async (n: number) => {
      const value = JSON.parse(JSON.stringify(sized(n))) as unknown;
      const start = performance.now();
      expect(await validateRecord('agbom', value)).toEqual([]);
      return performance.now() - start;
    };
    await time(1_000);
    const small = await time(2_000);
    const large = await time(20_000);
    // a quadratic check would take ~100× as long for 10× the components; allow generous noise
    expect(large).toBeLessThan(Math.max(small, 5) * 30);
  });

  test('specVersion 1.4 is rejected with a clear message', async () => {
    expect(await validateRecord('agbom', jsonFixture('agbom/legacy-1.4.cdx.json'))).toEqual([
      {
        pointer: '/specVersion',
        code: 'agbom.unsupported-version',
        message:
          "CycloneDX specVersion '1.4' is not supported: the gate reads CycloneDX 1.5, 1.6 and 1.7. Regenerate the AgBOM with a current CycloneDX tool"
      }
    ]);
  });

  test('a numeric specVersion asks for a string (the loader adds "quote it")', async () => {
    expect(await validateRecord('agbom', { ...bom('1.6'), specVersion: 1.6 })).toEqual([
      {
        pointer: '/specVersion',
        code: 'schema.type',
        expected: 'string',
        message: 'specVersion must be a string such as "1.6"; got a number (1.6)'
      }
    ]);
  });

  test('bomFormat must be CycloneDX; a BOM must be an object', async () => {
    expect(await validateRecord('agbom', { ...bom('1.6'), bomFormat: 'SPDX' })).toEqual([
      { pointer: '/bomFormat', code: 'schema.const', message: "bomFormat must be 'CycloneDX'; got a string ('SPDX')" }
    ]);
    expect(await validateRecord('agbom', [])).toEqual([
      {
        pointer: '',
        code: 'schema.type',
        expected: 'object',
        message: 'An AgBOM (a CycloneDX JSON BOM) must be a mapping; got an empty list'
      }
    ]);
  });
});

describe('hostile input', () => {
  test(`issues are capped at ${MAX_ISSUES_PER_FILE} per file, with a last one saying how many more there were`, async () => {
    const require = Array.from({ length: MAX_ISSUES_PER_FILE + 10_000 }, (_, i) => i);
    const issues = await validateRecord('rollout_policy', { rollout: { require, block_if: [], rollout_mode: {} } });
    expect(issues).toHaveLength(MAX_ISSUES_PER_FILE + 1);
    expect(issues[0]).toMatchObject({
      pointer: '/rollout/require/0',
      message: 'rollout.require entries must be strings; item 1 is a number (0)'
    });
    expect(issues[MAX_ISSUES_PER_FILE]).toEqual({
      pointer: '',
      code: 'schema.too-many-errors',
      message: `10000 more schema errors in this file are not listed (at most ${MAX_ISSUES_PER_FILE} are); fix the ones above first`
    });
  });

  test('__proto__ and constructor keys stay plain data', async () => {
    const review = JSON.parse(
      JSON.stringify(parse(read('seeds/change_review_record.yaml'))).replace(
        '{',
        '{"__proto__":{"polluted":true},"constructor":1,'
      )
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(review)).toBe(Object.prototype);
    expect((await validateRecord('change_review_record', review)).map((i) => [i.pointer, i.code])).toEqual([
      ['/__proto__', 'schema.unknown-key'],
      ['/constructor', 'schema.unknown-key']
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

    const assessment = JSON.parse(
      '{"kind":"rollout_assessment","signals":{"__proto__":true,"constructor":false,"toString":true}}'
    );
    expect(await validateRecord('rollout_assessment', assessment)).toEqual([]);
    const bad = JSON.parse('{"kind":"rollout_assessment","signals":{"__proto__":"yes"}}');
    expect(await validateRecord('rollout_assessment', bad)).toEqual([
      {
        pointer: '/signals/__proto__',
        code: 'schema.type',
        expected: 'boolean',
        message: "signals.__proto__ must be true or false; got a string ('yes')"
      }
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('long and multi-line values are shown short and on one line', async () => {
    const text = `x\n${'y'.repeat(500)}`;
    const issue = await theIssue('eval_scores', { kind: 'eval_scores', eval: 'e', metrics: { m: text } });
    expect(issue.message).not.toContain('\n');
    expect(issue.message).toContain("got a string ('x\\nyyyy");
    expect(issue.message.length).toBeLessThan(160);
  });

  test('keys with slashes and tildes are escaped in pointers', async () => {
    const value = { kind: 'eval_scores', eval: 'e', metrics: { 'a/b~c': 'high' } };
    expect(await theIssue('eval_scores', value)).toMatchObject({
      pointer: '/metrics/a~1b~0c',
      message: `metrics["a/b~c"] must be a number; got a string ('high')`
    });
  });
});
