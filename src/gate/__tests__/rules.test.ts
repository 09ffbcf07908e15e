import { describe, expect, it } from '@jest/globals';
import { defineRules, makeFinding } from '../rules.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';

const RULES = defineRules('evals', {
  'evals.example': { severity: 'deny', title: 'Example', description: 'd', fix: 'f' }
});

describe('makeFinding', () => {
  it('uses the rule default severity', () => {
    const f = makeFinding(DEFAULT_CONFIG, RULES['evals.example'], { message: 'm' });
    expect(f).toMatchObject({ rule: 'evals.example', family: 'evals', severity: 'deny', title: 'Example', fix: 'f' });
  });
  it('applies a configured override and drops rules that are off', () => {
    const cfg = { ...DEFAULT_CONFIG, rules: { 'evals.example': 'warning' as const } };
    expect(makeFinding(cfg, RULES['evals.example'], { message: 'm' })?.severity).toBe('warning');
    const off = { ...DEFAULT_CONFIG, rules: { 'evals.example': 'off' as const } };
    expect(makeFinding(off, RULES['evals.example'], { message: 'm' })).toBeNull();
  });
  it('rejects a rule id outside its family', () => {
    expect(() =>
      defineRules('drift', { 'evals.x': { severity: 'deny', title: 't', description: 'd', fix: 'f' } })
    ).toThrow(/must start with "drift."/);
  });
});
