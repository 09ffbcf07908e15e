import { describe, expect, test } from '@jest/globals';
import { INPUT_RULE, renderSarif, type SarifLog } from '../sarif.js';
import { context, loadDecision, loadRules, SCENARIOS, sarifValidator } from './helpers.js';

const validate = sarifValidator();
const rules = loadRules();

function sarifOf(name: (typeof SCENARIOS)[number]): SarifLog {
  const decision = loadDecision(name);
  return renderSarif(decision, { ...context(decision), rules });
}

test('the schema check is real: a broken log fails it', () => {
  const log = sarifOf('deny');
  expect(validate({ version: '2.1.0' })).toBe(false);
  const badLevel = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
  badLevel.runs[0]!.results[0]!.level = 'fatal';
  expect(validate(badLevel)).toBe(false);
  const badLine = structuredClone(log);
  badLine.runs[0]!.results[0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
  expect(validate(badLine)).toBe(false);
});

describe.each(SCENARIOS)('%s', (scenario) => {
  const decision = loadDecision(scenario);
  const log = sarifOf(scenario);
  const run = log.runs[0]!;

  test('validates against the SARIF 2.1.0 schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('one result per finding and per record error, each pointing at a known rule', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.results).toHaveLength(decision.findings.length + decision.errors.length);
    const ids = run.tool.driver.rules!.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of run.results) {
      expect(run.tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(r.message.text.length).toBeGreaterThan(0);
    }
  });

  test('fingerprints are present and unique', () => {
    const prints = run.results.map((r) => r.partialFingerprints!['agentReleaseGate/v1']!);
    expect(prints.every((p) => /^[0-9a-f]{64}(:\d+)?$/.test(p))).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
  });

  test('the category includes the gate key; the invocation fails only for internal errors', () => {
    expect(run.automationDetails!.id).toMatch(/^agent-release-gate\/[A-Za-z0-9._-]+\/$/);
    expect(run.invocations![0]!.executionSuccessful).toBe(decision.outcome !== 'internal_error');
  });
});

describe('deny', () => {
  const log = sarifOf('deny');
  const run = log.runs[0]!;

  test('rule metadata comes from the catalog', () => {
    const rule = run.tool.driver.rules!.find((r) => r.id === 'evals.threshold')!;
    expect(rule).toEqual({
      id: 'evals.threshold',
      name: 'EvalsThreshold',
      shortDescription: { text: 'Eval metric is below its threshold' },
      fullDescription: { text: "The aggregated metric on head does not meet the Eval's threshold." },
      help: { text: 'Improve the agent until the metric meets the threshold.' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['agent-release-gate', 'evals'] }
    });
  });

  test('levels follow severity: error for deny, warning for follow_up, note for warning', () => {
    expect(run.results.map((r) => r.level)).toEqual([...Array(8).fill('error'), 'warning', 'note']);
  });

  test('locations are repository-relative with line and column', () => {
    const threshold = run.results.find((r) => r.ruleId === 'evals.threshold')!;
    expect(threshold.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'records/evals/support-triage-quality.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 19, startColumn: 19 }
        }
      }
    ]);
    expect(threshold.properties).toEqual({
      severity: 'deny',
      family: 'evals',
      subject: 'support-triage-quality/task_success',
      pointer: '/spec/thresholds/task_success',
      side: 'head'
    });
  });

  test('the category and the provenance name the gate and the commit', () => {
    expect(run.automationDetails).toEqual({ id: 'agent-release-gate/support-triage/' });
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/support-bot', revisionId: '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b' }
    ]);
  });

  test('fingerprints do not move when lines shift', () => {
    const decision = loadDecision('deny');
    const shifted = structuredClone(decision);
    for (const f of shifted.findings) if (f.location?.line) f.location.line += 10;
    const again = renderSarif(shifted, { ...context(shifted), rules });
    expect(again.runs[0]!.results.map((r) => r.partialFingerprints)).toEqual(
      run.results.map((r) => r.partialFingerprints)
    );
  });
});

describe('other outcomes', () => {
  test('record errors become results of the input rule, located', () => {
    const run = sarifOf('invalid_input').runs[0]!;
    expect(run.tool.driver.rules!.map((r) => r.id)).toContain(INPUT_RULE.id);
    const first = run.results[0]!;
    expect(first.ruleId).toBe('input.invalid');
    expect(first.level).toBe('error');
    expect(first.locations![0]!.physicalLocation!.region).toEqual({ startLine: 44, startColumn: 3 });
    expect(first.properties).toEqual({ code: 'config.unknown-rule', pointer: '/rules/evals.treshold', side: 'base' });
  });

  test('an internal error is a failed invocation with the reason', () => {
    const run = sarifOf('internal_error').runs[0]!;
    expect(run.results).toEqual([]);
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: {
              text: 'The gate failed: the agbom rule family failed: RangeError: Maximum call stack size exceeded'
            }
          }
        ]
      }
    ]);
  });

  test('hostile text: unsafe paths get no physical location of their own, a rule missing from the catalog is described from its finding', () => {
    const decision = loadDecision('hostile');
    const run = sarifOf('hostile').runs[0]!;
    // "../../etc/passwd" and "/abs/path|x.json" are not repository paths: placed on the configuration file instead
    for (const i of [1, 2]) {
      expect(run.results[i]!.locations![0]!.physicalLocation!.artifactLocation.uri).toBe('.github/agent-gate.yml');
    }
    const unknown = run.tool.driver.rules!.find((r) => r.id === 'agbom.not-in-the-catalog')!;
    expect(unknown.shortDescription!.text).toBe(decision.findings[2]!.title.replace(/\n/g, ' '));
    const text = JSON.stringify(run);
    expect(text).not.toMatch(/\\u001b|\\u202e|\\u2066/i);
    for (const r of run.results) expect(r.message.text).not.toMatch(/[\n\r]/);
  });

  test('without a repository there is no provenance, and the output stays valid', () => {
    const decision = loadDecision('deny');
    const log = renderSarif(decision, { ...context(decision, { repository: null }), rules: [] });
    expect(log.runs[0]!.versionControlProvenance).toBeUndefined();
    expect(log.runs[0]!.tool.driver.rules!.map((r) => r.id)).toContain('agbom.mcp-unpinned');
    expect(validate(log)).toBe(true);
  });
});
