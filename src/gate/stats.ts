/**
 * Aggregation of per-case eval results and the noise tests that tell a real drop from sampling noise.
 * Deterministic (a seeded PRNG, no Math.random) and linear in the number of cases, apart from one
 * numeric sort of a copy when a percentile is asked for.
 */
import type { Aggregate, Direction } from '../model/records.js';

// Hot loops use local bindings: a global lookup per iteration is slow inside vm contexts (jest's).
const { abs, cos, exp, floor, imul, log, sqrt } = Math;
const isFiniteNumber = Number.isFinite;

/**
 * The values a metric accepts per case: [min, max], and with `ends` only min and max themselves (a pass/fail
 * check is 0 or 1, never 0.49).
 */
export interface ValueRange {
  min: number;
  max: number;
  ends: boolean;
}

/** Whether a value lies in the range. */
export function inRange(v: number, range: ValueRange): boolean {
  return range.ends ? v === range.min || v === range.max : v >= range.min && v <= range.max;
}

/** How many out-of-range cases a Sample keeps the position of, for findings that point at them. */
export const OUTSIDE_EXAMPLES = 5;

/** The values of one metric on one side: finite values in range, in case order, and what was left out. */
export interface Sample {
  values: Float64Array;
  /** cases with no value (NaN) or a non-finite one */
  missing: number;
  /** cases whose value lies outside the accepted range: left out of `values`, never aggregated */
  outside: number;
  /** the first OUTSIDE_EXAMPLES of them: 0-based case index and value */
  outsideExamples: { row: number; value: number }[];
  /** smallest and largest of `values` (Infinity and -Infinity when there are none) */
  min: number;
  max: number;
}

/**
 * Collect the finite values of a column in one pass. Cases beyond the column's length count as missing.
 * NaN means "no value"; ±Infinity (a number too large to represent) is treated the same way. With a range,
 * values outside it are counted apart and left out.
 */
export function collectSample(
  column: Float64Array | undefined,
  cases: number,
  range: ValueRange | null = null
): Sample {
  const out = new Float64Array(column ? Math.min(cases, column.length) : 0);
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  let outside = 0;
  const outsideExamples: { row: number; value: number }[] = [];
  if (range === null) {
    for (let i = 0; i < out.length; i++) {
      const v = (column as Float64Array)[i] as number;
      if (!isFiniteNumber(v)) continue;
      out[n++] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    for (let i = 0; i < out.length; i++) {
      const v = (column as Float64Array)[i] as number;
      if (!isFiniteNumber(v)) continue;
      if (!inRange(v, range)) {
        if (outside++ < OUTSIDE_EXAMPLES) outsideExamples.push({ row: i, value: v });
        continue;
      }
      out[n++] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { values: out.subarray(0, n), missing: cases - n - outside, outside, outsideExamples, min, max };
}

/** A rate counts a case as passing when its value is at least 0.5 (true is 1, false 0). */
export const RATE_PASS_AT = 0.5;

/**
 * One number for a metric. mean, sum (compensated summation), rate (share of values ≥ 0.5), min, max,
 * and p50/p95/p99 by the nearest-rank method: the value at rank ⌈p·n⌉ of the sorted values.
 * null for no values.
 */
export function aggregate(values: Float64Array, how: Aggregate): number | null {
  const n = values.length;
  if (n === 0) return null;
  switch (how) {
    case 'mean':
      return sum(values) / n;
    case 'sum':
      return sum(values);
    case 'rate':
      return countPassing(values) / n;
    case 'min': {
      let m = Infinity;
      for (let i = 0; i < n; i++) if ((values[i] as number) < m) m = values[i] as number;
      return m;
    }
    case 'max': {
      let m = -Infinity;
      for (let i = 0; i < n; i++) if ((values[i] as number) > m) m = values[i] as number;
      return m;
    }
    case 'p50':
    case 'p95':
    case 'p99': {
      const k = rankIndex(n, PERCENTILE[how]);
      const copy = Float64Array.from(values);
      select(copy, k, 0, n - 1);
      return copy[k] as number;
    }
  }
}

export const PERCENTILE = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

export function sortedCopy(values: Float64Array): Float64Array {
  // a typed array sorts numerically
  return Float64Array.from(values).sort();
}

/** The nearest-rank percentile: the value at rank ⌈p·n⌉ (1-based) of sorted values. */
export function nearestRank(sorted: Float64Array, p: number): number {
  return sorted[rankIndex(sorted.length, p)] as number;
}

/** 0-based index of the nearest-rank p-quantile among n sorted values (1e-9 absorbs p·n rounding up). */
function rankIndex(n: number, p: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(p * n - 1e-9) - 1));
}

/**
 * Quickselect: rearrange a[left..right] so that a[k] holds the value of rank k, smaller values before it and
 * larger after it. Three-way partitions keep repeated values (0/1 data) linear; a recursion budget falls back
 * to sorting the remaining range, so no input is quadratic.
 */
function select(a: Float64Array, k: number, left: number, right: number): void {
  let budget = 2 * Math.ceil(Math.log2(right - left + 2)) + 8;
  while (right > left) {
    if (budget-- === 0) {
      a.subarray(left, right + 1).sort();
      return;
    }
    const x = a[left] as number;
    const y = a[left + ((right - left) >> 1)] as number;
    const z = a[right] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let lt = left;
    let gt = right;
    let i = left;
    while (i <= gt) {
      const v = a[i] as number;
      if (v < pivot) {
        a[i++] = a[lt] as number;
        a[lt++] = v;
      } else if (v > pivot) {
        a[i] = a[gt] as number;
        a[gt--] = v;
      } else i++;
    }
    if (k < lt) right = lt - 1;
    else if (k > gt) left = gt + 1;
    else return;
  }
}

/** The values of ranks from..to (0-based, inclusive), sorted, without sorting the rest. */
function sortedRanks(values: Float64Array, from: number, to: number): Float64Array {
  const copy = Float64Array.from(values);
  select(copy, from, 0, copy.length - 1);
  select(copy, to, from, copy.length - 1);
  return copy.subarray(from, to + 1).sort();
}

/** Neumaier's compensated sum: a million small costs add up without drift. */
export function sum(values: Float64Array): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const t = s + v;
    c += abs(s) >= abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

export function countPassing(values: Float64Array): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) >= RATE_PASS_AT) k++;
  return k;
}

/** Sample variance (n − 1), two-pass. */
export function variance(values: Float64Array): number {
  const n = values.length;
  if (n < 2) return 0;
  const mean = sum(values) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  return ss / (n - 1);
}

// ---------------------------------------------------------------------------------------------------
// Fisher's exact test

export interface FisherResult {
  /** two-sided p-value: the probability of the tables no more likely than the observed one */
  p: number;
}

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]], two-sided as in R's fisher.test: the sum of the
 * hypergeometric probabilities of every table with the same margins that is no more likely than the observed
 * one (relative tolerance 1e-7). Probabilities are walked from the mode with the ratio of consecutive terms
 * (log-space, so log-factorials never need evaluating directly) and stop where terms underflow (below e^-745
 * of the mode): the work is proportional to the spread of the distribution, not to the number of cases.
 */
export function fisherExact(a: number, b: number, c: number, d: number): FisherResult {
  const rowTop = a + b;
  const colLeft = a + c;
  const total = a + b + c + d;
  const lo = Math.max(0, rowTop + colLeft - total);
  const hi = Math.min(rowTop, colLeft);
  if (lo === hi) return { p: 1 };
  // log P(x+1) − log P(x) for the hypergeometric count in the top-left cell
  const step = (x: number): number =>
    log(colLeft - x) + log(rowTop - x) - log(x + 1) - log(total - colLeft - rowTop + x + 1);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((rowTop + 1) * (colLeft + 1)) / (total + 2))));
  const UNDERFLOW = -745;

  // log-probabilities relative to the mode, for x from `from` to `to`
  const up: number[] = [0];
  for (let x = mode, rel = 0; x < hi; x++) {
    rel += step(x);
    if (rel < UNDERFLOW) break;
    up.push(rel);
  }
  const down: number[] = [];
  for (let x = mode, rel = 0; x > lo; x--) {
    rel -= step(x - 1);
    if (rel < UNDERFLOW) break;
    down.push(rel);
  }
  const relAt = (x: number): number | null => {
    if (x >= mode) return x - mode < up.length ? (up[x - mode] as number) : null;
    return mode - x - 1 < down.length ? (down[mode - x - 1] as number) : null;
  };
  const observed = relAt(a);
  // an observed table beyond the underflow point is less likely than e^-745 of the mode: p is 0 in doubles
  if (observed === null) return { p: 0 };
  const limit = observed + Math.log1p(1e-7);
  let all = 0;
  let tail = 0;
  for (const rel of [...up, ...down]) {
    const w = exp(rel);
    all += w;
    if (rel <= limit) tail += w;
  }
  return { p: Math.min(1, tail / all) };
}

// ---------------------------------------------------------------------------------------------------
// Intervals

/** The standard normal quantile (Wichura's AS241, about 1e-16 relative accuracy). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}

/** z for a two-sided interval at `confidence` (1.96 at 0.95). */
export function twoSidedZ(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** Wilson score interval for a proportion x/n. */
export function wilson(x: number, n: number, z: number): [number, number] {
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Newcombe's hybrid score interval (his method 10) for the difference of two proportions x1/n1 − x2/n2,
 * built from the two Wilson intervals; it behaves well for small counts and rates near 0 or 1.
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, confidence: number): [number, number] {
  const z = twoSidedZ(confidence);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilson(x1, n1, z);
  const [l2, u2] = wilson(x2, n2, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/**
 * Normal interval of head − base for a mean (Welch's unpooled standard error) or a sum (variance n·s²).
 * Used when there are too many cases to bootstrap within the work budget; with that many cases the
 * normal approximation is accurate.
 */
export function welchInterval(
  head: Float64Array,
  base: Float64Array,
  how: 'mean' | 'sum',
  confidence: number
): [number, number] {
  const z = twoSidedZ(confidence);
  const vh = variance(head);
  const vb = variance(base);
  const d = (aggregate(head, how) as number) - (aggregate(base, how) as number);
  const se =
    how === 'mean' ? Math.sqrt(vh / head.length + vb / base.length) : Math.sqrt(head.length * vh + base.length * vb);
  return [d - z * se, d + z * se];
}

// ---------------------------------------------------------------------------------------------------
// Bootstrap

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. Returns floats in (0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** FNV-1a over the parts (UTF-16 code units, separated), for per-metric seeds. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Standard normal variate (Box–Muller, one of the pair). */
function normal(rand: () => number): number {
  return sqrt(-2 * log(rand())) * cos(2 * Math.PI * rand());
}

/** Gamma(shape, 1) variate for shape ≥ 1 (Marsaglia and Tsang). */
function gamma(shape: number, rand: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = rand();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (log(u) < 0.5 * x * x + d * (1 - v + log(v))) return d * v;
  }
}

/** Beta(a, b) variate for a, b ≥ 1. */
function beta(a: number, b: number, rand: () => number): number {
  const x = gamma(a, rand);
  return x / (x + gamma(b, rand));
}

export interface BootstrapPlan {
  resamples: number;
  seed: number;
  confidence: number;
}

/** Statistics the bootstrap supports; extremes (min, max) are left out because their bootstrap is unreliable. */
export type BootstrapStatistic = 'mean' | 'sum' | 'p50' | 'p95' | 'p99';

/**
 * Percentile-bootstrap interval of statistic(head) − statistic(base), resampling each side with replacement.
 * For a mean or sum each resample costs one draw per case. For a percentile no resample is materialised:
 * the rank-k value of n draws with replacement from sorted values is sorted[⌊n·U⌋] with U ~ Beta(k, n−k+1)
 * (the k-th order statistic of n uniforms), so each resample costs O(1) and the answer is the same
 * distribution a resample-and-sort would give.
 */
export function bootstrapInterval(
  head: Float64Array,
  base: Float64Array,
  statistic: BootstrapStatistic,
  plan: BootstrapPlan
): [number, number] {
  const diffs = new Float64Array(plan.resamples);
  if (statistic === 'mean' || statistic === 'sum') {
    const state: PrngState = { s: plan.seed >>> 0 };
    for (let i = 0; i < plan.resamples; i++) {
      const h = resampleSum(head, state);
      const b = resampleSum(base, state);
      diffs[i] = statistic === 'sum' ? h - b : h / head.length - b / base.length;
    }
  } else {
    const p = PERCENTILE[statistic];
    const rand = mulberry32(plan.seed);
    const headRanks = new RankSampler(head, p);
    const baseRanks = new RankSampler(base, p);
    for (let i = 0; i < plan.resamples; i++) diffs[i] = headRanks.draw(rand) - baseRanks.draw(rand);
  }
  diffs.sort();
  const alpha = 1 - plan.confidence;
  return [nearestRank(diffs, alpha / 2), nearestRank(diffs, 1 - alpha / 2)];
}

/** mulberry32's state, for loops that advance it in place. */
interface PrngState {
  s: number;
}

/**
 * The sum of n draws with replacement. mulberry32 is inlined (the same sequence as mulberry32(seed)): a call per
 * draw is most of the cost while the loop still runs unoptimised, as it does in a short run of the CLI.
 */
function resampleSum(values: Float64Array, state: PrngState): number {
  const n = values.length;
  let s = state.s;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    sum += values[floor(((((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296) * n)] as number;
  }
  state.s = s;
  return sum;
}

/**
 * Draws the nearest-rank p-quantile of a bootstrap resample. Only the sorted values near rank k are needed:
 * U ~ Beta(k, n−k+1) falls within 12 standard deviations of k/n except with probability below 1e-30, so a
 * window of ranks is selected and sorted, and a draw outside it (practically never) sorts everything.
 */
class RankSampler {
  private readonly n: number;
  private readonly k: number;
  private from: number;
  private window: Float64Array;
  constructor(
    private readonly values: Float64Array,
    p: number
  ) {
    const n = values.length;
    this.n = n;
    this.k = rankIndex(n, p) + 1;
    const spread = Math.ceil(12 * Math.sqrt(n * p * (1 - p))) + 16;
    this.from = Math.max(0, this.k - 1 - spread);
    this.window = sortedRanks(values, this.from, Math.min(n - 1, this.k - 1 + spread));
  }
  draw(rand: () => number): number {
    const index = Math.min(this.n - 1, floor(this.n * beta(this.k, this.n - this.k + 1, rand)));
    if (index < this.from || index >= this.from + this.window.length) {
      this.window = sortedCopy(this.values);
      this.from = 0;
    }
    return this.window[index - this.from] as number;
  }
}

// ---------------------------------------------------------------------------------------------------
// The noise test a metric gets

/** Above this many resampled draws (resamples × cases on both sides) a mean or sum uses Welch's interval. */
export const BOOTSTRAP_DRAW_BUDGET = 8_000_000;

export interface NoiseSettings {
  confidence: number;
  resamples: number;
  /** already mixed with the eval and metric names */
  seed: number;
}

export interface NoiseResult {
  method: 'bootstrap' | 'fisher' | 'welch';
  /** interval of head − base at `confidence` */
  interval: [number, number];
  confidence: number;
  /** true when the change is a drop (in the metric's bad direction) beyond noise */
  significant: boolean;
  /** the method in words, for the finding's evidence */
  detail: string;
  /** Fisher's two-sided p-value, for rates */
  p: number | null;
}

/**
 * Tell a drop from noise, given both sides' per-case values. Rates: Fisher's exact test on the pass/fail
 * counts (significant when p < 1 − confidence and head is worse), shown with Newcombe's interval.
 * Means, sums and percentiles: a seeded percentile bootstrap of head − base (significant when the interval
 * lies wholly on the bad side of 0); means and sums with more draws than BOOTSTRAP_DRAW_BUDGET use Welch's
 * normal interval instead. Returns a reason string when no test applies.
 */
export function noiseTest(
  head: Float64Array,
  base: Float64Array,
  how: Aggregate,
  direction: Direction,
  settings: NoiseSettings
): NoiseResult | string {
  if (head.length < 2 || base.length < 2) {
    return `too few cases to tell noise from a real change (${head.length} on head, ${base.length} on base; 2 each needed)`;
  }
  if (how === 'min' || how === 'max') {
    return `no noise test for a ${how}: a bootstrap of an extreme value is unreliable`;
  }
  const result = runNoiseTest(head, base, how, direction, settings);
  if (!Number.isFinite(result.interval[0]) || !Number.isFinite(result.interval[1])) {
    return 'the values are too large to test for noise in double precision';
  }
  return result;
}

function runNoiseTest(
  head: Float64Array,
  base: Float64Array,
  how: Exclude<Aggregate, 'min' | 'max'>,
  direction: Direction,
  settings: NoiseSettings
): NoiseResult {
  const confidence = settings.confidence;
  const pct = formatPercent(confidence);
  const worse = (interval: [number, number]): boolean =>
    direction === 'higher_is_better' ? interval[1] < 0 : interval[0] > 0;
  if (how === 'rate') {
    const xh = countPassing(head);
    const xb = countPassing(base);
    const { p } = fisherExact(xh, head.length - xh, xb, base.length - xb);
    const delta = xh / head.length - xb / base.length;
    const drop = direction === 'higher_is_better' ? delta < 0 : delta > 0;
    return {
      method: 'fisher',
      interval: newcombeInterval(xh, head.length, xb, base.length, confidence),
      confidence,
      significant: drop && p < 1 - confidence,
      p,
      detail:
        `Fisher's exact test on pass/fail counts (head ${xh}/${head.length}, base ${xb}/${base.length}), ` +
        `two-sided p = ${formatP(p)}; ${pct} Newcombe interval of head − base`
    };
  }
  if ((how === 'mean' || how === 'sum') && settings.resamples * (head.length + base.length) > BOOTSTRAP_DRAW_BUDGET) {
    const interval = welchInterval(head, base, how, confidence);
    return {
      method: 'welch',
      interval,
      confidence,
      significant: worse(interval),
      p: null,
      detail:
        `${pct} normal interval of head − base with Welch's standard error (${head.length} + ${base.length} cases ` +
        `exceed the bootstrap budget of ${BOOTSTRAP_DRAW_BUDGET} resampled draws)`
    };
  }
  const interval = bootstrapInterval(head, base, how, settings);
  return {
    method: 'bootstrap',
    interval,
    confidence,
    significant: worse(interval),
    p: null,
    detail:
      `${pct} percentile bootstrap of head − base, ${settings.resamples} resamples, seed ${settings.seed}` +
      (how === 'mean' || how === 'sum' ? '' : ' (order statistics drawn exactly from Beta distributions)')
  };
}

export function formatPercent(x: number): string {
  return `${Number((x * 100).toFixed(1))}%`;
}

/** p-values: 2 significant digits, exponent below 0.001, and "< 1e-300" where they underflow. */
export function formatP(p: number): string {
  if (p === 0) return '< 1e-300';
  if (p < 0.001) return p.toExponential(1);
  return String(Number(p.toPrecision(2)));
}
