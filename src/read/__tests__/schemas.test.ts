/**
 * The published contracts themselves: every schema is a valid, strict draft 2020-12 schema with a stable id
 * and documented fields; the committed validators are exactly what the build generates (byte for byte) and
 * run under plain Node; the example repository and the decision documents the gate writes conform.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import type { Evidence } from '../../model/evidence.js';
import type { Finding } from '../../model/finding.js';
import { buildDecision, internalErrorDecision, invalidInputDecision, toStatement } from '../../decision/document.js';
import { validate_decision, validate_decision_statement } from '../generated/decision.js';
import { classify } from '../classify.js';
import { validateEvalCaseLine, validateRecord } from '../validate.js';

const ROOT = join(import.meta.dirname, '../../..');
const SCHEMAS = join(ROOT, 'schemas');
const GENERATED = join(ROOT, 'src/read/generated');
const schemaFiles = readdirSync(SCHEMAS)
  .filter((f) => f.endsWith('.schema.json'))
  .sort();
const loadSchema = (f: string) => JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')) as Record<string, unknown>;

describe('schemas/', () => {
  test('one schema per kind', () => {
    expect(schemaFiles).toEqual([
      'change.schema.json',
      'change_review_record.schema.json',
      'config.schema.json',
      'decision.schema.json',
      'decision_statement.schema.json',
      'deployment.schema.json',
      'eval.schema.json',
      'eval_case_line.schema.json',
      'eval_scores.schema.json',
      'promptfoo_results.schema.json',
      'replay_receipts.schema.json',
      'rollout_assessment.schema.json',
      'rollout_gate_record.schema.json',
      'rollout_policy.schema.json'
    ]);
  });

  test.each(schemaFiles)('%s is a strict draft 2020-12 schema with a stable versioned $id and a title', (file) => {
    const schema = loadSchema(file);
    const name = file.replace('.schema.json', '');
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe(`https://agent-release-gate.dev/schemas/${name}/v1.json`);
    expect(typeof schema['title']).toBe('string');
    expect(typeof schema['description']).toBe('string');
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    for (const other of schemaFiles) if (other !== file) ajv.addSchema(loadSchema(other));
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  test.each(schemaFiles)('%s documents every field and definition', (file) => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      const n = node as Record<string, unknown>;
      for (const group of ['properties', '$defs'] as const) {
        const members = n[group] as Record<string, Record<string, unknown>> | undefined;
        for (const [name, sub] of Object.entries(members ?? {})) {
          if (typeof sub['description'] !== 'string' && typeof sub['$ref'] !== 'string')
            undocumented.push(`${path}/${group}/${name}`);
          walk(sub, `${path}/${group}/${name}`);
        }
      }
      for (const key of ['items', 'additionalProperties']) walk(n[key], `${path}/${key}`);
      for (const key of ['anyOf', 'oneOf'])
        (n[key] as unknown[] | undefined)?.forEach((s, i) => walk(s, `${path}/${key}/${i}`));
    };
    walk(loadSchema(file), '#');
    expect(undocumented).toEqual([]);
  });
});

describe('generated validators (src/read/generated)', () => {
  test('are exactly what scripts/build-validators.mjs generates, and the build is deterministic', () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'validators-a-')), mkdtempSync(join(tmpdir(), 'validators-b-'))];
    try {
      for (const dir of dirs)
        execFileSync(process.execPath, [join(ROOT, 'scripts/build-validators.mjs'), '--out', dir], { stdio: 'pipe' });
      const files = readdirSync(GENERATED).sort();
      expect(readdirSync(dirs[0]!).sort()).toEqual(files);
      for (const f of files) {
        const committed = readFileSync(join(GENERATED, f));
        for (const dir of dirs) {
          // a difference means the schemas changed without `npm run build:validators`
          expect({ file: f, same: readFileSync(join(dir, f)).equals(committed) }).toEqual({ file: f, same: true });
        }
      }
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('are plain ESM: no require() left, and they import and validate under plain Node', () => {
    for (const f of readdirSync(GENERATED).filter((n) => n.endsWith('.js'))) {
      expect({ file: f, require: /\brequire\(/.test(readFileSync(join(GENERATED, f), 'utf8')) }).toEqual({
        file: f,
        require: false
      });
    }
    const script = `
      const records = await import(${JSON.stringify(join(GENERATED, 'records.js'))});
      const decision = await import(${JSON.stringify(join(GENERATED, 'decision.js'))});
      const out = {
        good: records.validate_rollout_policy({ rollout: { require: ['a'], block_if: [], rollout_mode: { initial: 'canary' } } }),
        duplicate: records.validate_rollout_policy({ rollout: { require: ['a', 'a'], block_if: [], rollout_mode: {} } }),
        tooLong: records.validate_eval_scores({ kind: 'eval_scores', eval: 'e'.repeat(300), metrics: {} }),
        decision: decision.validate_decision({})
      };
      for (const v of ['1.5', '1.6', '1.7']) {
        const cdx = await import(${JSON.stringify(GENERATED)} + '/cyclonedx-' + v + '.js');
        out['cdx' + v] = [
          cdx.validate({ bomFormat: 'CycloneDX', specVersion: v, metadata: { timestamp: '2026-04-07T09:30:00Z' } }),
          cdx.validate({ bomFormat: 'CycloneDX', specVersion: v, metadata: { timestamp: 'today' } })
        ];
      }
      console.log(JSON.stringify(out));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8'
    });
    expect(JSON.parse(output)).toEqual({
      good: true,
      duplicate: false,
      tooLong: false,
      decision: false,
      'cdx1.5': [true, false],
      'cdx1.6': [true, false],
      'cdx1.7': [true, false]
    });
  });
});

describe('the example repository (examples/) conforms', () => {
  const examples = join(ROOT, 'examples');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
  const recordFiles = files(examples).filter(
    (f) => /\/records\//.test(f) && !/\/manifests\//.test(f) && /\.(ya?ml|json|jsonl)$/.test(f)
  );
  const configFiles = files(examples).filter((f) => f.endsWith('.github/agent-gate.yml'));

  test('it has records and configurations to check', () => {
    expect(recordFiles.length).toBeGreaterThan(10);
    expect(configFiles.length).toBeGreaterThan(0);
  });

  test('every record is identified and valid', async () => {
    const problems: string[] = [];
    for (const file of [...recordFiles, ...configFiles]) {
      const text = readFileSync(file, 'utf8');
      const where = relative(ROOT, file);
      if (file.endsWith('.jsonl')) {
        text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .forEach((line, i) =>
            problems.push(...validateEvalCaseLine(JSON.parse(line)).map((p) => `${where}:${i + 1} ${p.message}`))
          );
        continue;
      }
      const value: unknown = file.endsWith('.json') ? JSON.parse(text) : parse(text);
      const kind = file.endsWith('agent-gate.yml') ? 'config' : classify(value);
      if (kind === null) {
        problems.push(`${where}: no known kind`);
        continue;
      }
      problems.push(...(await validateRecord(kind, value)).map((p) => `${where} ${p.pointer} ${p.message}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('decision documents the gate writes conform to the decision schema', () => {
  const ctx = {
    toolVersion: '1.2.3',
    gateKey: 'support-triage',
    commits: { base: '1'.repeat(40), head: '2'.repeat(40) },
    config: { side: 'base' as const, file: '.github/agent-gate.yml', sha256: 'a'.repeat(64) },
    inputs: [
      {
        file: { path: 'records/review.yaml', side: 'head' as const, sha256: 'b'.repeat(64), bytes: 812 },
        kind: 'change_review_record'
      },
      {
        file: { path: 'records/review.yaml', side: 'base' as const, sha256: 'c'.repeat(64), bytes: 640 },
        kind: 'change_review_record'
      }
    ]
  };
  const findings: Finding[] = [
    {
      rule: 'evals.threshold',
      family: 'evals',
      severity: 'deny',
      title: 'Eval metric below its threshold',
      message: 'support-triage-quality task_success is 0.81, required >= 0.85',
      observed: 0.81,
      required: { comparator: '>=', value: 0.85 },
      location: {
        file: 'records/evals/support-triage-quality.yaml',
        side: 'head',
        line: 14,
        column: 5,
        pointer: '/spec/thresholds/task_success'
      },
      evidence: { base: 0.86, head: 0.81, cases: [412, 415], noise: null },
      fix: 'Improve the agent or change the threshold in a reviewed change',
      subject: 'support-triage-quality/task_success'
    },
    {
      rule: 'approvals.missing',
      family: 'approvals',
      severity: 'follow_up',
      title: 'Role has not approved',
      message: 'release-manager has not approved the head commit',
      fix: 'Ask dana-release to review'
    }
  ];
  const evidence: Evidence = {
    review: {
      surfaces: [{ surface: 'prompts', files: ['agents/support-triage/prompts/system.md'], covered_by: ['cr-1'] }]
    },
    rollout: {
      required: ['trace_coverage'],
      missing_required: [],
      blocking_signals: [],
      required_checks: [{ check: 'oncall_ready', evidenced: true, source: 'records/assessment.yaml' }],
      rollout_mode: { initial: 'canary', max_tenant_exposure_pct: 5, require_shadow_period: true }
    },
    evals: [
      {
        eval: 'support-triage-quality',
        required: true,
        required_by: ['change_review_record cr-1 required_evals'],
        verdict: 'fail',
        metrics: [
          {
            eval: 'support-triage-quality',
            metric: 'task_success',
            aggregate: 'mean',
            direction: 'higher_is_better',
            base: 0.86,
            head: 0.81,
            delta: -0.05,
            regression: 0.058,
            threshold: { written: 0.85, comparator: '>=', value: 0.85 },
            verdict: 'fail',
            noise: { method: 'bootstrap', interval: [-0.09, -0.01], confidence: 0.95, significant: true },
            cases: { base: 412, head: 415 }
          },
          {
            eval: 'support-triage-quality',
            metric: 'cost_per_case',
            aggregate: 'mean',
            direction: null,
            base: null,
            head: 0.31,
            delta: null,
            regression: null,
            threshold: null,
            verdict: 'not_gated',
            noise: null,
            cases: { base: null, head: 415 }
          }
        ]
      }
    ],
    drift: [
      {
        run_id: 'run-1',
        file: 'records/receipts/replays.json',
        tokens: { live: 5932, replay: 5941, drift: 0.0015, limit: 0.01 },
        cost: { live: 0.0274, replay: 0.0275, drift: 0.0036, limit: 0.005 },
        verdict_mismatches: [{ step_id: 's2', live: 'require_approval', replay: 'allow' }],
        missing_capability_tokens: ['s2'],
        missing_manifests: [],
        manifest_mismatches: [
          { step_id: 's1', path: 'records/receipts/manifests/s1.json', expected: 'd'.repeat(64), actual: null }
        ],
        pass: false
      }
    ],
    agbom: {
      base_file: 'records/agbom/support-triage.cdx.json',
      head_file: 'records/agbom/support-triage.cdx.json',
      counts: { base: 8, head: 9, added: 1, removed: 0, changed: 1, unchanged: 7 },
      components: [
        {
          key: 'mcp:tracker',
          name: 'tracker-mcp',
          agent_kind: 'mcp_server',
          change: 'changed',
          base: { version: '3.2.1', hashes: { 'SHA-256': 'e'.repeat(64) } },
          head: { version: null, hashes: {} },
          differences: [{ field: 'version', base: '3.2.1', head: null }],
          risks: ['MCP server without an exact version and digest']
        }
      ]
    },
    approvals: [
      {
        role: 'release-manager',
        required_by: ['approvals.required_roles'],
        approved_by: [],
        eligible: ['dana-release'],
        unresolved_teams: [],
        satisfied: false
      }
    ],
    chain: [
      {
        change_id: 'chg-1',
        review_id: 'cr-1',
        bundle_id: 'b-1',
        rollout_wave: 'canary',
        gate_id: 'g-1',
        decision: 'go'
      }
    ],
    signals: [{ name: 'offline_eval_pass', value: false, source: 'eval support-triage-quality' }]
  };

  const errorsOf = (valid: boolean, errors: unknown) => (valid ? [] : errors);

  test('an evaluated decision with every kind of evidence, and its in-toto statement', () => {
    const doc = buildDecision(ctx, findings, evidence, new Set(['evals', 'approvals']));
    expect(errorsOf(validate_decision(doc), validate_decision.errors)).toEqual([]);
    const statement = toStatement(doc, 'https://github.com/acme/support-bot');
    expect(errorsOf(validate_decision_statement(statement), validate_decision_statement.errors)).toEqual([]);
  });

  test('invalid-input and internal-error decisions, and a statement for an uncommitted working tree', () => {
    const invalid = invalidInputDecision(ctx, [
      {
        code: 'schema.required',
        message: 'change.change_id is required',
        file: 'records/change.yaml',
        side: 'head',
        line: 2,
        column: 3,
        pointer: '/change/change_id'
      }
    ]);
    expect(errorsOf(validate_decision(invalid), validate_decision.errors)).toEqual([]);
    const failed = internalErrorDecision({ ...ctx, commits: { base: null, head: null } }, 'the AgBOM family failed');
    expect(errorsOf(validate_decision(failed), validate_decision.errors)).toEqual([]);
    const statement = toStatement(failed, 'working tree');
    expect(Object.keys(statement.subject[0]!.digest)).toEqual(['sha256']);
    expect(errorsOf(validate_decision_statement(statement), validate_decision_statement.errors)).toEqual([]);
  });

  test('a document that breaks the contract is rejected', () => {
    const doc = buildDecision(ctx, findings, evidence, new Set());
    const broken = structuredClone(doc) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    broken['findings'][0].severity = 'blocker';
    delete broken['families']['drift'];
    broken['inputs'][0].sha256 = 'not-a-digest';
    expect(validate_decision(broken)).toBe(false);
    expect(validate_decision.errors?.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([
      '/families required',
      '/findings/0/severity enum',
      '/inputs/0/sha256 pattern'
    ]);
  });
});
