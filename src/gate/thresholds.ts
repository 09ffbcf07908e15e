/**
 * Reading an Eval's thresholds (seed 000: `thresholds: { task_success: 0.85, cost_per_case: "<0.40" }`):
 * which comparator a threshold means, which way a metric is good, and whether a threshold can ever fail.
 * Pure functions; the evals family turns their answers into findings.
 */
import type { Json } from '../model/finding.js';
import type { Aggregate, Direction, EvalMetric, MetricType } from '../model/records.js';
import type { ValueRange } from './stats.js';

export type Comparator = '<' | '<=' | '>' | '>=' | '==';

export interface Threshold {
  /** the value as written in the Eval file */
  written: Json;
  comparator: Comparator;
  value: number;
  /** "comparator" when written as "<0.40"; "direction" when a bare number was read by the metric's direction */
  read_by: 'comparator' | 'direction';
}

export type ThresholdReading =
  | { ok: true; threshold: Threshold }
  /** invalid: not a number or a comparator string; ambiguous: a bare number with no direction to read it by */
  | { ok: false; problem: 'invalid' | 'ambiguous'; message: string };

/** "<=" before "<" so the longer operator wins; the number is a plain decimal with an optional exponent. */
const COMPARATOR_PATTERN = /^\s*(<=|>=|==|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;
const NUMBER_PATTERN = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export const ACCEPTED_FORMS =
  'a number (read by the metric\'s direction) or a string "<x", "<=x", ">x", ">=x" or "==x"';

/** llm_judge and deterministic metrics are higher_is_better unless declared otherwise; numeric has no default. */
export function defaultDirection(type: MetricType): Direction | null {
  return type === 'numeric' ? null : 'higher_is_better';
}

/** The direction a comparator implies: "<0.40" passes low values, so lower is better. "==" implies none. */
export function impliedDirection(comparator: Comparator): Direction | null {
  if (comparator === '<' || comparator === '<=') return 'lower_is_better';
  if (comparator === '>' || comparator === '>=') return 'higher_is_better';
  return null;
}

/**
 * Read one threshold. `direction` is the metric's declared direction or its type's default (null when
 * neither exists); it decides how a bare number reads: >= for higher_is_better, <= for lower_is_better.
 */
export function readThreshold(written: unknown, metricName: string, direction: Direction | null): ThresholdReading {
  if (typeof written === 'number') return readBare(written, written, metricName, direction);
  if (typeof written === 'string') {
    const m = COMPARATOR_PATTERN.exec(written);
    if (m) {
      const value = Number(m[2]);
      if (!Number.isFinite(value)) return invalid(written, metricName, 'its number is out of range');
      return { ok: true, threshold: { written, comparator: m[1] as Comparator, value, read_by: 'comparator' } };
    }
    if (NUMBER_PATTERN.test(written)) return readBare(written, Number(written), metricName, direction);
    return invalid(written, metricName, hintFor(written));
  }
  const what =
    written === null
      ? 'null'
      : Array.isArray(written)
        ? 'a list'
        : typeof written === 'object'
          ? 'a mapping'
          : `a ${typeof written}`;
  return invalid(written, metricName, `it is ${what}`);
}

function readBare(written: Json, value: number, metricName: string, direction: Direction | null): ThresholdReading {
  if (!Number.isFinite(value)) return invalid(written, metricName, 'it is not a finite number');
  if (direction === null) {
    return {
      ok: false,
      problem: 'ambiguous',
      message:
        `threshold ${metricName}: ${show(written)} is a bare number on a numeric metric without a direction, ` +
        `so it could mean ">= ${formatNumber(value)}" or "<= ${formatNumber(value)}"`
    };
  }
  const comparator: Comparator = direction === 'higher_is_better' ? '>=' : '<=';
  return { ok: true, threshold: { written, comparator, value, read_by: 'direction' } };
}

function invalid(written: unknown, metricName: string, why: string): ThresholdReading {
  return {
    ok: false,
    problem: 'invalid',
    message: `threshold ${metricName}: ${show(written)} cannot be read (${why}); expected ${ACCEPTED_FORMS}`
  };
}

/** A pointer at the likely slip, for strings that almost parse. */
function hintFor(text: string): string {
  const t = text.trim();
  if (/^(=>|=<)/.test(t)) return `write "${t.startsWith('=>') ? '>=' : '<='}" (the "=" goes second)`;
  if (/^=\s*[^=]/.test(t)) return 'a single "=" is not a comparator: write "==" for equality';
  if (/^!=/.test(t)) return '"!=" cannot be a threshold: state the bound the metric must meet';
  if (/[≥≤]/.test(t)) return 'use ASCII ">=" or "<=" instead of "≥" or "≤"';
  if (/%\s*$/.test(t)) return 'write a share as a decimal, e.g. 0.85 for 85%';
  if (/^(<=|>=|==|<|>)\s*$/.test(t)) return 'the comparator has no number';
  return 'it is neither a number nor a comparator followed by a number';
}

/** Whether `observed` meets the threshold. Values within 1e-9 (relative) of the bound count as equal to it. */
export function meets(observed: number, t: Pick<Threshold, 'comparator' | 'value'>): boolean {
  const equal = Math.abs(observed - t.value) <= 1e-9 * Math.max(Math.abs(observed), Math.abs(t.value));
  switch (t.comparator) {
    case '==':
      return equal;
    case '>=':
      return equal || observed > t.value;
    case '<=':
      return equal || observed < t.value;
    case '>':
      return !equal && observed > t.value;
    case '<':
      return !equal && observed < t.value;
  }
}

/** How a threshold reads, e.g. ">= 0.85". */
export function describeThreshold(t: Pick<Threshold, 'comparator' | 'value'>): string {
  return `${t.comparator} ${formatNumber(t.value)}`;
}

/** The range an aggregated metric can take, and why the gate believes so. */
export interface Domain {
  min: number;
  max: number;
  why: string;
}

/** Smallest and largest value seen for a metric on base and head (per-case values and scores). */
export interface Seen {
  min: number;
  max: number;
}

/** A range of values a metric accepts, and the reason, for messages ("an llm_judge score is between 0 and 1"). */
export interface TypeRange extends ValueRange {
  why: string;
}

/**
 * The values one case may have for a metric of this type: an llm_judge score lies in [0, 1], a deterministic
 * check is 0 or 1 (false or true). null for numeric metrics, which may take any finite number.
 */
export function caseRange(type: MetricType): TypeRange | null {
  if (type === 'llm_judge') return { min: 0, max: 1, ends: false, why: 'an llm_judge score is between 0 and 1' };
  if (type === 'deterministic') {
    return { min: 0, max: 1, ends: true, why: 'a deterministic check is true or false (1 or 0) for each case' };
  }
  return null;
}

/**
 * The values an aggregate of the metric may take, for eval_scores files that report it directly: a rate is a
 * share in [0, 1] whatever the type; the mean, min, max or a percentile of [0, 1] values lies in [0, 1]; their
 * sum is non-negative. null when nothing is known (numeric metrics, other than their rate).
 */
export function aggregateRange(type: MetricType, aggregate: Aggregate): TypeRange | null {
  if (aggregate === 'rate') {
    return { min: 0, max: 1, ends: false, why: 'a rate is the share of cases that pass, between 0 and 1' };
  }
  const values = caseRange(type);
  if (!values) return null;
  if (aggregate === 'sum') {
    return { min: 0, max: Infinity, ends: false, why: `a sum of ${type} values is never below 0` };
  }
  return { min: 0, max: 1, ends: false, why: `the ${aggregate} of ${type} values is between 0 and 1` };
}

/**
 * The range of a metric's aggregate. llm_judge and deterministic values lie in [0, 1] (scores and booleans;
 * values outside it are rejected before they are aggregated); numeric values are taken as non-negative
 * (costs, latencies, counts) unless a negative value was seen. A rate is always a share in [0, 1]; a sum of
 * non-negative values is non-negative but unbounded.
 */
export function metricDomain(metric: EvalMetric, aggregate: Aggregate, seen: Seen | null): Domain {
  const value = valueDomain(metric, seen);
  if (aggregate === 'rate') return { min: 0, max: 1, why: `a rate is the share of cases that pass, between 0 and 1` };
  if (aggregate === 'sum') {
    return {
      min: value.min >= 0 ? 0 : -Infinity,
      max: value.max <= 0 ? 0 : Infinity,
      why: value.min >= 0 ? `${value.why}, so their sum is never below 0` : value.why
    };
  }
  return value;
}

function valueDomain(metric: EvalMetric, seen: Seen | null): Domain {
  if (metric.type !== 'numeric') {
    return {
      min: 0,
      max: 1,
      why:
        metric.type === 'llm_judge'
          ? `${metric.name} is an llm_judge score, between 0 and 1`
          : `${metric.name} is a deterministic check, 0 (fail) or 1 (pass)`
    };
  }
  if (seen && seen.min < 0) {
    return { min: -Infinity, max: Infinity, why: `${metric.name} has negative values, so its range is not bounded` };
  }
  return {
    min: 0,
    max: Infinity,
    why:
      `${metric.name} is numeric and taken as non-negative (a cost, latency or count)` +
      (seen ? '; none of its values on base or head is negative' : '')
  };
}

/** Whether no value in the domain can fail the threshold. */
export function neverFails(t: Pick<Threshold, 'comparator' | 'value'>, domain: Domain): boolean {
  switch (t.comparator) {
    case '>=':
      return t.value <= domain.min;
    case '>':
      return t.value < domain.min;
    case '<=':
      return t.value >= domain.max;
    case '<':
      return t.value > domain.max;
    case '==':
      return domain.min === domain.max && domain.min === t.value;
  }
}

/** Short, deterministic rendering: integers as is, others to 4 significant digits (6 above 1). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(Math.abs(x) >= 1 ? 6 : 4)));
}

function show(written: unknown): string {
  if (typeof written === 'string') return JSON.stringify(written);
  if (typeof written === 'number') return formatNumber(written);
  try {
    return JSON.stringify(written) ?? String(written);
  } catch {
    return String(written);
  }
}
