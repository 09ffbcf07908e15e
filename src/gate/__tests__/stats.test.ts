import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  aggregate,
  bootstrapInterval,
  collectSample,
  fisherExact,
  hashSeed,
  inRange,
  mulberry32,
  nearestRank,
  newcombeInterval,
  noiseTest,
  normalQuantile,
  sortedCopy,
  sum,
  welchInterval
} from '../stats.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);
const range = (n: number, f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => f(i));

describe('aggregate', () => {
  it.each([
    ['mean', [1, 2, 3, 4], 2.5],
    ['sum', [1, 2, 3, 4], 10],
    ['min', [3, -1, 2], -1],
    ['max', [3, -1, 2], 3],
    // rate: share of values >= 0.5 (true = 1, false = 0)
    ['rate', [1, 0, 1, 1], 0.75],
    ['rate', [0.5, 0.49, 0.9, 0.1], 0.5],
    // nearest rank: the value at rank ceil(p * n)
    ['p50', [15, 20, 35, 40, 50], 35],
    ['p95', [15, 20, 35, 40, 50], 50],
    ['p50', [4, 1, 3, 2], 2],
    ['p99', [7], 7]
  ] as const)('%s of %j is %d', (how, values, expected) => {
    expect(aggregate(f64([...values]), how)).toBe(expected);
  });

  it('uses nearest rank on 1..100 (p50 = 50, p95 = 95, p99 = 99) and 1..20 (p95 = 19)', () => {
    const hundred = range(100, (i) => 100 - i);
    expect([aggregate(hundred, 'p50'), aggregate(hundred, 'p95'), aggregate(hundred, 'p99')]).toEqual([50, 95, 99]);
    expect(
      aggregate(
        range(20, (i) => i + 1),
        'p95'
      )
    ).toBe(19);
  });

  it('selects the same percentile a full sort gives, on any values (duplicates, negatives)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 300 }), (xs) => {
        const values = f64(xs);
        const sorted = sortedCopy(values);
        for (const how of ['p50', 'p95', 'p99'] as const) {
          expect(aggregate(values, how)).toBe(nearestRank(sorted, { p50: 0.5, p95: 0.95, p99: 0.99 }[how]));
        }
      }),
      { numRuns: 300, seed: 7 }
    );
  });

  it('returns null for no values', () => {
    for (const how of ['mean', 'rate', 'p95', 'max', 'min', 'sum'] as const) {
      expect(aggregate(new Float64Array(0), how)).toBeNull();
    }
  });

  it('sums a million small costs without drift', () => {
    const costs = new Float64Array(1_000_000).fill(0.1);
    expect(sum(costs)).toBe(100_000);
    let naive = 0;
    for (const c of costs) naive += c;
    expect(naive).not.toBe(100_000);
  });

  it('does not reorder the caller’s values when taking a percentile', () => {
    const values = f64([3, 1, 2]);
    aggregate(values, 'p50');
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });

  // about 0.6 s inside jest on a busy shared 2-core machine; the bound leaves room for a loaded CI runner
  it('aggregates a million cases in linear time', () => {
    const column = range(1_000_000, (i) => (i % 7 === 0 ? NaN : (i * 7919) % 1000));
    const started = performance.now();
    const sample = collectSample(column, column.length);
    const results = (['mean', 'rate', 'p95', 'p99', 'max', 'sum'] as const).map((how) => aggregate(sample.values, how));
    const elapsed = performance.now() - started;
    expect(sample.missing).toBe(142_858);
    expect(results.every((r) => r !== null && Number.isFinite(r))).toBe(true);
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('collectSample', () => {
  it('skips NaN and non-finite values and counts them', () => {
    const s = collectSample(f64([1, NaN, 3, Infinity, -Infinity, 0]), 6);
    expect(Array.from(s.values)).toEqual([1, 3, 0]);
    expect(s).toMatchObject({ missing: 3, min: 0, max: 3 });
  });
  it('counts cases beyond a short column as missing, and a missing column as all missing', () => {
    expect(collectSample(f64([1, 2]), 5).missing).toBe(3);
    const none = collectSample(undefined, 4);
    expect(none.values.length).toBe(0);
    expect(none.missing).toBe(4);
  });
  it('leaves values outside a range out, counts them apart from missing ones, and keeps where the first are', () => {
    const column = f64([0.2, 300, NaN, 0.9, -5, 1, 0, 7, 2, 3, 4, 0.5]);
    const s = collectSample(column, 13, { min: 0, max: 1, ends: false });
    expect(Array.from(s.values)).toEqual([0.2, 0.9, 1, 0, 0.5]);
    expect(s).toMatchObject({ missing: 2, outside: 6, min: 0, max: 1 });
    expect(s.outsideExamples).toEqual([
      { row: 1, value: 300 },
      { row: 4, value: -5 },
      { row: 7, value: 7 },
      { row: 8, value: 2 },
      { row: 9, value: 3 }
    ]);
  });
  it('accepts only the two ends of a pass/fail range', () => {
    const binary = { min: 0, max: 1, ends: true };
    expect([0, 1, 0.49, 0.5, -0, 2].map((v) => inRange(v, binary))).toEqual([true, true, false, false, true, false]);
    const s = collectSample(f64([1, 0, 0.49, 1]), 4, binary);
    expect(s).toMatchObject({ outside: 1, missing: 0, outsideExamples: [{ row: 2, value: 0.49 }] });
  });
});

describe('fisherExact', () => {
  // reference p-values from R's fisher.test / scipy.stats.fisher_exact (two-sided)
  it.each([
    [[3, 1, 1, 3], 0.48571428571428565], // R ?fisher.test TeaTasting: p-value = 0.4857
    [[2, 15, 10, 3], 0.0005367241191434358], // R ?fisher.test Convictions: p-value = 0.0005367
    [[900, 100, 800, 200], 4.1462306224363854e-10],
    [[18, 2, 17, 3], 1],
    [[0, 10, 10, 0], 1.082508822446903e-5],
    [[1, 0, 0, 1], 1],
    [[12, 5, 3, 9], 0.02532768703367614],
    [[9000, 1000, 8900, 1100], 0.022378874800480137],
    [[50, 0, 45, 5], 0.05628449442882433]
  ])('table %j has p = %d', (table, expected) => {
    const [a, b, c, d] = table as [number, number, number, number];
    expect(fisherExact(a, b, c, d).p).toBeCloseTo(expected, 12);
    expect(fisherExact(a, b, c, d).p / expected).toBeCloseTo(1, 6);
  });

  it('agrees with exact rational arithmetic on small tables', () => {
    fc.assert(
      fc.property(fc.nat(12), fc.nat(12), fc.nat(12), fc.nat(12), (a, b, c, d) => {
        const expected = bruteForceFisher(a, b, c, d);
        expect(Math.abs(fisherExact(a, b, c, d).p - expected)).toBeLessThan(1e-12);
      }),
      { numRuns: 300, seed: 42 }
    );
  });

  it('is symmetric under swapping rows and columns', () => {
    expect(fisherExact(12, 5, 3, 9).p).toBeCloseTo(fisherExact(3, 9, 12, 5).p, 14);
    expect(fisherExact(12, 5, 3, 9).p).toBeCloseTo(fisherExact(12, 3, 5, 9).p, 14);
  });

  it('handles a million cases per side quickly and underflows to 0 far in the tail', () => {
    const started = performance.now();
    const close = fisherExact(900_000, 100_000, 899_500, 100_500);
    const far = fisherExact(900_000, 100_000, 800_000, 200_000);
    // a wide margin for a loaded machine; the speed itself is the benchmark's concern
    expect(performance.now() - started).toBeLessThan(2000);
    expect(close.p).toBeGreaterThan(0.2);
    expect(close.p).toBeLessThan(0.3);
    expect(far.p).toBe(0);
  });

  it('returns 1 for a degenerate table', () => {
    expect(fisherExact(0, 0, 0, 0).p).toBe(1);
    expect(fisherExact(5, 0, 5, 0).p).toBe(1);
  });
});

/** Two-sided Fisher p by enumeration with BigInt binomials (independent of the implementation under test). */
function bruteForceFisher(a: number, b: number, c: number, d: number): number {
  const choose = (n: number, k: number): bigint => {
    if (k < 0 || k > n) return 0n;
    let r = 1n;
    for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
    return r;
  };
  const row = a + b;
  const col = a + c;
  const n = a + b + c + d;
  const weight = (x: number): bigint => choose(col, x) * choose(n - col, row - x);
  const observed = weight(a);
  let total = 0n;
  let tail = 0n;
  for (let x = Math.max(0, row + col - n); x <= Math.min(row, col); x++) {
    const w = weight(x);
    total += w;
    // R's relative tolerance of 1e-7, in integers
    if (w * 10_000_000n <= observed * 10_000_001n) tail += w;
  }
  return total === 0n ? 1 : Number((tail * 10n ** 18n) / total) / 1e18;
}

describe('normalQuantile', () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.95, 1.6448536269514722],
    [0.5, 0],
    [1e-10, -6.361340902404056]
  ])('Φ⁻¹(%d) = %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 12);
  });
});

describe('newcombeInterval', () => {
  // Newcombe (1998), Statistics in Medicine 17:873, table II, method 10
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809]
  ])('%d/%d − %d/%d is [%d, %d]', (x1, n1, x2, n2, lo, hi) => {
    const [l, u] = newcombeInterval(x1, n1, x2, n2, 0.95);
    expect(l).toBeCloseTo(lo, 4);
    expect(u).toBeCloseTo(hi, 4);
  });
});

describe('welchInterval', () => {
  it('is the difference of means ± z times the unpooled standard error', () => {
    const head = f64([1, 2, 3, 4, 5]);
    const base = f64([2, 4, 6, 8]);
    // var(head) = 2.5, var(base) = 6.6667; se = sqrt(2.5/5 + 6.6667/4)
    const se = Math.sqrt(0.5 + 20 / 3 / 4);
    const [lo, hi] = welchInterval(head, base, 'mean', 0.95);
    expect(lo).toBeCloseTo(-2 - 1.959963984540054 * se, 12);
    expect(hi).toBeCloseTo(-2 + 1.959963984540054 * se, 12);
  });
});

describe('mulberry32 and hashSeed', () => {
  it('are deterministic and stay in (0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
    expect(hashSeed(1, 'eval', 'metric')).toBe(hashSeed(1, 'eval', 'metric'));
    expect(hashSeed(1, 'eval', 'metric')).not.toBe(hashSeed(1, 'eval', 'metric2'));
    expect(hashSeed(1, 'ab', 'c')).not.toBe(hashSeed(1, 'a', 'bc'));
  });
});

describe('bootstrapInterval', () => {
  const rand = mulberry32(99);
  const head = range(400, () => 10 + rand() * 4);
  const base = range(300, () => 11 + rand() * 4);
  const plan = { resamples: 2000, seed: 1234, confidence: 0.95 };

  it('is deterministic for a seed and moves with it', () => {
    const first = bootstrapInterval(head, base, 'mean', plan);
    expect(bootstrapInterval(head, base, 'mean', plan)).toEqual(first);
    expect(bootstrapInterval(head, base, 'mean', { ...plan, seed: 4321 })).not.toEqual(first);
    expect(bootstrapInterval(head, base, 'p95', plan)).toEqual(bootstrapInterval(head, base, 'p95', plan));
  });

  it('covers the observed difference and agrees with the normal interval for a mean', () => {
    const [lo, hi] = bootstrapInterval(head, base, 'mean', plan);
    const observed = (aggregate(head, 'mean') as number) - (aggregate(base, 'mean') as number);
    expect(lo).toBeLessThan(observed);
    expect(hi).toBeGreaterThan(observed);
    const [wl, wh] = welchInterval(head, base, 'mean', 0.95);
    expect(Math.abs(lo - wl)).toBeLessThan(0.05);
    expect(Math.abs(hi - wh)).toBeLessThan(0.05);
  });

  it('gives the same percentile interval whether it sorts a window of ranks or everything', () => {
    // 20,000 values: the sampler sorts a window around rank k; a shifted copy checks it against a plain shift
    const r = mulberry32(3);
    const big = range(20_000, () => r() * 1000);
    const shifted = big.map((x) => x + 50);
    const [lo, hi] = bootstrapInterval(shifted, big, 'p99', plan);
    expect(lo).toBeLessThanOrEqual(50);
    expect(hi).toBeGreaterThanOrEqual(50);
    expect(hi - lo).toBeLessThan(25);
  });

  it('draws percentiles with the distribution a resample-and-sort bootstrap gives', () => {
    // naive bootstrap of p95 of head alone (base a constant), compared with the Beta-order-statistic shortcut
    const constant = f64([0, 0, 0]);
    const [lo, hi] = bootstrapInterval(head, constant, 'p95', { ...plan, resamples: 3000 });
    const r = mulberry32(5);
    const naive = new Float64Array(3000);
    const buffer = new Float64Array(head.length);
    for (let i = 0; i < naive.length; i++) {
      for (let j = 0; j < head.length; j++) buffer[j] = head[Math.floor(r() * head.length)] as number;
      naive[i] = nearestRank(sortedCopy(buffer), 0.95);
    }
    naive.sort();
    expect(Math.abs(lo - nearestRank(naive, 0.025))).toBeLessThan(0.05);
    expect(Math.abs(hi - nearestRank(naive, 0.975))).toBeLessThan(0.05);
  });
});

describe('noiseTest', () => {
  const settings = { confidence: 0.95, resamples: 2000, seed: 7 };
  const passes = (n: number, k: number): Float64Array => range(n, (i) => (i < k ? 1 : 0));

  it('finds 90% → 80% over 1000 cases beyond noise (Fisher)', () => {
    const r = noiseTest(passes(1000, 800), passes(1000, 900), 'rate', 'higher_is_better', settings);
    expect(typeof r).toBe('object');
    if (typeof r === 'string') return;
    expect(r).toMatchObject({ method: 'fisher', significant: true });
    expect(r.p).toBeLessThan(1e-8);
    expect(r.interval[1]).toBeLessThan(0);
    expect(r.detail).toMatch(/head 800\/1000, base 900\/1000/);
  });

  it('finds 90% → 85% over 20 cases within noise', () => {
    const r = noiseTest(passes(20, 17), passes(20, 18), 'rate', 'higher_is_better', settings);
    if (typeof r === 'string') throw new Error(r);
    expect(r).toMatchObject({ method: 'fisher', significant: false, p: 1 });
    expect(r.interval[0]).toBeLessThan(0);
    expect(r.interval[1]).toBeGreaterThan(0);
  });

  it('judges a rise as a drop for lower_is_better, and an improvement as never significant', () => {
    const leaks = noiseTest(passes(1000, 100), passes(1000, 10), 'rate', 'lower_is_better', settings);
    expect(typeof leaks === 'object' && leaks.significant).toBe(true);
    const better = noiseTest(passes(1000, 950), passes(1000, 800), 'rate', 'higher_is_better', settings);
    expect(typeof better === 'object' && better.significant).toBe(false);
  });

  it('bootstraps small means and percentiles, and uses Welch beyond the budget', () => {
    const small = noiseTest(
      range(500, (i) => i % 10),
      range(500, (i) => (i % 10) + 3),
      'mean',
      'higher_is_better',
      settings
    );
    expect(small).toMatchObject({ method: 'bootstrap', significant: true });
    const p95 = noiseTest(
      range(500, (i) => i),
      range(500, (i) => i),
      'p95',
      'lower_is_better',
      settings
    );
    expect(p95).toMatchObject({ method: 'bootstrap', significant: false });
    const large = noiseTest(
      range(5000, (i) => i % 10),
      range(5000, (i) => i % 10),
      'mean',
      'higher_is_better',
      settings
    );
    expect(large).toMatchObject({ method: 'welch', significant: false });
  });

  it('declines extremes and tiny samples with a reason', () => {
    expect(noiseTest(f64([1, 2]), f64([1, 2]), 'max', 'lower_is_better', settings)).toMatch(/extreme value/);
    expect(noiseTest(f64([1]), f64([1, 2]), 'mean', 'lower_is_better', settings)).toMatch(/too few cases/);
  });

  it('declines values too large for double precision instead of returning an infinite interval', () => {
    const huge = f64([1e308, -1e308, 1e308, -1e308]);
    expect(noiseTest(huge, huge, 'mean', 'higher_is_better', settings)).toMatch(/too large/);
  });
});
