import { describe, expect, it } from '@jest/globals';
import type { EvalMetric } from '../../model/records.js';
import {
  aggregateRange,
  caseRange,
  defaultDirection,
  describeThreshold,
  formatNumber,
  impliedDirection,
  meets,
  metricDomain,
  neverFails,
  readThreshold
} from '../thresholds.js';

describe('readThreshold', () => {
  it.each([
    ['<0.40', null, '<', 0.4],
    ['<=3000', null, '<=', 3000],
    ['>=0.85', null, '>=', 0.85],
    ['>0.5', null, '>', 0.5],
    ['==0', null, '==', 0],
    ['>= 0.85', null, '>=', 0.85],
    ['  <  1e3 ', null, '<', 1000],
    ['<-1', null, '<', -1],
    ['>=.5', null, '>=', 0.5]
  ] as const)('reads %j as a comparator', (written, direction, comparator, value) => {
    expect(readThreshold(written, 'm', direction)).toEqual({
      ok: true,
      threshold: { written, comparator, value, read_by: 'comparator' }
    });
  });

  it.each([
    [0.85, 'higher_is_better', '>='],
    [0, 'higher_is_better', '>='],
    [3000, 'lower_is_better', '<='],
    ['0.85', 'higher_is_better', '>=']
  ] as const)('reads the bare %j by direction %s as %s', (written, direction, comparator) => {
    const r = readThreshold(written, 'm', direction);
    expect(r).toEqual({
      ok: true,
      threshold: { written, comparator, value: Number(written), read_by: 'direction' }
    });
  });

  it('calls a bare number without a direction ambiguous, naming both readings', () => {
    const r = readThreshold(0.4, 'cost_per_case', null);
    expect(r).toEqual({
      ok: false,
      problem: 'ambiguous',
      message:
        'threshold cost_per_case: 0.4 is a bare number on a numeric metric without a direction, so it could mean ' +
        '">= 0.4" or "<= 0.4"'
    });
  });

  it.each([
    ['=0.5', /single "=" is not a comparator/],
    ['=>0.5', /write ">="/],
    ['=<0.5', /write "<="/],
    ['!=0', /"!=" cannot be a threshold/],
    ['≥ 0.85', /ASCII/],
    ['85%', /as a decimal/],
    ['>=', /has no number/],
    ['>= 0.85 ms', /neither a number nor a comparator/],
    ['>=0.8.5', /neither/],
    ['< - 3', /neither/],
    ['>= 1e999', /out of range/],
    ['', /neither/],
    [true, /it is a boolean/],
    [null, /it is null/],
    [[0.5], /it is a list/],
    [{ min: 0.5 }, /it is a mapping/],
    [Infinity, /not a finite number/],
    [NaN, /not a finite number/]
  ])('rejects %j (%s)', (written, why) => {
    const r = readThreshold(written, 'task_success', 'higher_is_better');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toBe('invalid');
    expect(r.message).toMatch(why);
    expect(r.message).toMatch(/^threshold task_success: .* cannot be read/);
  });
});

describe('directions', () => {
  it('defaults llm_judge and deterministic to higher_is_better, numeric to none', () => {
    expect(defaultDirection('llm_judge')).toBe('higher_is_better');
    expect(defaultDirection('deterministic')).toBe('higher_is_better');
    expect(defaultDirection('numeric')).toBeNull();
  });
  it('reads the direction a comparator implies', () => {
    expect(impliedDirection('<')).toBe('lower_is_better');
    expect(impliedDirection('<=')).toBe('lower_is_better');
    expect(impliedDirection('>')).toBe('higher_is_better');
    expect(impliedDirection('>=')).toBe('higher_is_better');
    expect(impliedDirection('==')).toBeNull();
  });
});

describe('meets', () => {
  it.each([
    [0.85, '>=', 0.85, true],
    [0.8499999999999999, '>=', 0.85, true], // floating-point noise of a mean
    [0.849, '>=', 0.85, false],
    [0.5, '>', 0.5, false],
    [0.5000001, '>', 0.5, true],
    [0.4, '<', 0.4, false],
    [0.39, '<', 0.4, true],
    [3000, '<=', 3000, true],
    [3001, '<=', 3000, false],
    [0, '==', 0, true],
    [1e-12, '==', 0, false],
    [0.30000000000000004, '==', 0.3, true]
  ] as const)('%d %s %d is %s', (observed, comparator, value, expected) => {
    expect(meets(observed, { comparator, value })).toBe(expected);
  });
});

describe('metricDomain and neverFails', () => {
  const metric = (type: EvalMetric['type']): EvalMetric => ({ name: 'm', type });

  it.each([
    // [type, aggregate, seen, threshold, vacuous]
    ['deterministic', 'rate', null, '>=', 0, true],
    ['deterministic', 'rate', null, '<=', 0, false],
    ['deterministic', 'rate', null, '<=', 1, true],
    ['deterministic', 'rate', null, '<', 1, false],
    ['llm_judge', 'mean', null, '>', -1, true],
    ['llm_judge', 'mean', null, '>=', 0.85, false],
    // values outside [0, 1] are rejected (evals.value-out-of-range), never taken to widen the range
    ['llm_judge', 'mean', { min: 1, max: 5 }, '<=', 1, true],
    ['llm_judge', 'mean', { min: -1, max: 0.5 }, '>=', 0, true],
    ['deterministic', 'mean', { min: 0, max: 3 }, '<=', 1, true],
    ['numeric', 'mean', null, '>=', 0, true],
    ['numeric', 'mean', null, '<=', 1, false],
    ['numeric', 'p95', { min: 0, max: 9000 }, '<', 3000, false],
    ['numeric', 'mean', { min: -3, max: 2 }, '>=', 0, false], // negative values seen: nothing assumed
    ['numeric', 'sum', null, '>=', 0, true],
    ['llm_judge', 'sum', null, '<=', 1, false], // a sum of [0, 1] scores is unbounded above
    ['numeric', 'mean', null, '==', 0, false]
  ] as const)('%s %s seen %j: "%s %d" vacuous = %s', (type, aggregate, seen, comparator, value, vacuous) => {
    const domain = metricDomain(metric(type), aggregate, seen);
    expect(neverFails({ comparator, value }, domain)).toBe(vacuous);
  });

  it('explains the range it assumed', () => {
    expect(metricDomain({ name: 'pii_leakage', type: 'deterministic' }, 'rate', null).why).toBe(
      'a rate is the share of cases that pass, between 0 and 1'
    );
    expect(metricDomain({ name: 'cost', type: 'numeric' }, 'mean', { min: 0.1, max: 2 }).why).toBe(
      'cost is numeric and taken as non-negative (a cost, latency or count); none of its values on base or head is negative'
    );
    expect(metricDomain({ name: 'tone', type: 'llm_judge' }, 'mean', null).why).toBe(
      'tone is an llm_judge score, between 0 and 1'
    );
  });
});

describe('caseRange and aggregateRange', () => {
  it('bounds per-case values by type: llm_judge in [0, 1], deterministic 0 or 1, numeric anything', () => {
    expect(caseRange('llm_judge')).toEqual({
      min: 0,
      max: 1,
      ends: false,
      why: 'an llm_judge score is between 0 and 1'
    });
    expect(caseRange('deterministic')).toMatchObject({ min: 0, max: 1, ends: true });
    expect(caseRange('numeric')).toBeNull();
  });

  it.each([
    // [type, aggregate, [min, max] or null]
    ['llm_judge', 'mean', [0, 1]],
    ['llm_judge', 'p95', [0, 1]],
    ['llm_judge', 'sum', [0, Infinity]],
    ['deterministic', 'rate', [0, 1]],
    ['deterministic', 'max', [0, 1]],
    ['deterministic', 'sum', [0, Infinity]],
    ['numeric', 'rate', [0, 1]], // a rate is a share whatever the values
    ['numeric', 'mean', null],
    ['numeric', 'sum', null]
  ] as const)('%s %s: %j', (type, aggregate, expected) => {
    const r = aggregateRange(type, aggregate);
    expect(r && [r.min, r.max]).toEqual(expected);
    if (r) expect(r.ends).toBe(false);
  });
});

describe('formatting', () => {
  it.each([
    [0.85, '0.85'],
    [3000, '3000'],
    [0.123456, '0.1235'],
    [1234.5678, '1234.57'],
    [-0.0666666, '-0.06667'],
    [1e-7, '1e-7']
  ])('formats %d as %s', (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });
  it('describes a threshold as read', () => {
    expect(describeThreshold({ comparator: '<=', value: 0.4 })).toBe('<= 0.4');
  });
});
