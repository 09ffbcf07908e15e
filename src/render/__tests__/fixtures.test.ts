/**
 * The hand-written decision documents stand in for the engine's output, so they must be documents the engine
 * could write: valid against the published decision schema, sorted as the engine sorts, counts that add up.
 */
import { describe, expect, test } from '@jest/globals';
import { FAMILIES } from '../../model/finding.js';
import { compareFindings, compareIssues, decide } from '../../decision/document.js';
import { validate_decision } from '../../read/generated/decision.js';
import { loadDecision, loadRules, SCENARIOS } from './helpers.js';

describe.each(SCENARIOS)('fixture %s', (scenario) => {
  const d = loadDecision(scenario);

  test('is valid against schemas/decision.schema.json', () => {
    const ok = validate_decision(d);
    expect(validate_decision.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('is sorted as the engine sorts, and its counts and decision add up', () => {
    expect([...d.findings].sort(compareFindings)).toEqual(d.findings);
    expect([...d.errors].sort(compareIssues)).toEqual(d.errors);
    const count = (s: string) => d.findings.filter((f) => f.severity === s).length;
    expect(d.counts).toEqual({
      findings: d.findings.length,
      deny: count('deny'),
      follow_up: count('follow_up'),
      warning: count('warning'),
      errors: d.errors.length
    });
    for (const family of FAMILIES) {
      const own = d.findings.filter((f) => f.family === family);
      expect(d.families[family].findings).toBe(own.length);
      expect(d.families[family].deny).toBe(own.filter((f) => f.severity === 'deny').length);
    }
    expect(d.decision).toBe(d.outcome === 'evaluated' ? decide(d.findings) : 'deny');
    expect(d.failure === null).toBe(d.outcome !== 'internal_error');
  });
});

test('every rule a realistic fixture uses has catalog metadata for SARIF', () => {
  const known = new Set(loadRules().map((r) => r.id));
  for (const scenario of ['allow', 'follow_up', 'deny'] as const) {
    for (const f of loadDecision(scenario).findings) expect(known).toContain(f.rule);
  }
});
