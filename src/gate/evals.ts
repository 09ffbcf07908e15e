/**
 * Rule family 3, Evals: aggregate each Eval's results per metric, compare them with its thresholds and with
 * the base branch's results, and tell a real drop from noise. Pure: plain records in, findings and evidence out.
 *
 * Which evals are judged: every eval a change review record of this change (required_evals; a review record
 * merged earlier counts when it reviews a change record of this change) or a head Deployment
 * (spec.promotion.requiresEval) names is *required*: it must be defined and have results on head,
 * or the change is denied (no evidence is not a pass). Evals with releaseGate.enabled, or that a configured
 * signal reads, are *gating*: judged when they have results, and blocking when they fail. Other evals are shown
 * (verdict not_gated) but only their definitions are checked.
 *
 * Results are matched to an Eval by their `eval` field. Per side, an eval may have one per-case table and one
 * eval_scores file: per-case values win, the scores are checked against them. Two files of one kind are
 * ambiguous (which run is current?) and are not merged: on head that fails the eval, on base it drops the
 * baseline. Values outside the range of a metric's type (an llm_judge score of 300) are never aggregated, and
 * scores of `cases: 0` are no results.
 *
 * A change to a gating Eval is compared with the base branch's Eval: besides looser thresholds, any change to
 * what a thresholded metric measures (type, aggregate, source, direction) is reported, and the head results are
 * judged by the base branch's definition of each changed metric too.
 */
import type { EvalEvidence, MetricEvidence, Verdict } from '../model/evidence.js';
import type { Json } from '../model/finding.js';
import type { LoadedRecord, Rec } from '../model/input.js';
import type { Location } from '../model/location.js';
import type { Aggregate, Direction, EvalMetric, EvalRecord } from '../model/records.js';
import {
  changeRecords,
  earlierNote,
  cmp,
  locationOf,
  pointer,
  type FamilyResult,
  type GateContext,
  type RecordIndex
} from './context.js';
import { configLocation } from './approvals.js';
import { matchesAny } from './globs.js';
import { defineRules, FindingList, type FindingFields } from './rules.js';
import {
  aggregate,
  collectSample,
  formatP,
  formatPercent,
  hashSeed,
  inRange,
  noiseTest,
  RATE_PASS_AT,
  type NoiseResult,
  type Sample
} from './stats.js';
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
  readThreshold,
  type Seen,
  type Threshold,
  type TypeRange
} from './thresholds.js';

export const RULES = defineRules('evals', {
  'evals.missing-definition': {
    severity: 'deny',
    title: 'Required eval is not defined',
    description:
      "A change review record (`required_evals`, for review records of this pull request's changes, merged earlier " +
      'ones and the base copy of an edited one included) or a Deployment ' +
      '(`spec.promotion.requiresEval`) names an eval, but no `kind: Eval` record on the head branch has that ' +
      '`metadata.name`. Without a definition there are no thresholds to judge results against, so the requirement ' +
      'cannot be met.',
    fix: 'Add the Eval record (metadata.name, spec.metrics, spec.thresholds) or correct the name where it is required.'
  },
  'evals.missing-results': {
    severity: 'deny',
    title: 'Required eval has no results',
    description:
      'An eval named by a change review record or a Deployment has no results on the head branch: no `eval_scores` ' +
      'file and no per-case results file whose `eval` field names it, or only an eval_scores file that reports ' +
      '`cases: 0` (scores of no cases are no evidence). No evidence is not a pass.',
    fix: 'Run the eval against this change and commit its results (an eval_scores file or per-case JSON Lines) where the gate reads records.'
  },
  'evals.gate-without-results': {
    severity: 'warning',
    title: 'Release-gating eval has no results',
    description:
      'An Eval with `releaseGate.enabled: true`, or named as the source of a signal in the configuration, is judged ' +
      'whenever it has results, but it only must have results when a change review record or a Deployment names ' +
      'it. This one has no results on head (or only an eval_scores file that reports `cases: 0`, which is no ' +
      'evidence) and nothing requires it, so it is not blocking (a signal it feeds is ' +
      'false); it is shown so that a gate nobody feeds is noticed. Raise this rule to `deny` in the configuration ' +
      'to require results for every release-gating eval.',
    fix: 'Commit results for the eval, name it in a change review record or Deployment that needs it, or disable its releaseGate.'
  },
  'evals.missing-metric': {
    severity: 'deny',
    title: 'Thresholded metric has no value in the results',
    description:
      'A metric with a threshold has no value on head: the per-case results have no column for it (a metric reads ' +
      'the column named by its `source`, else its own name) or every case lacks a value, and no eval_scores file ' +
      'gives it. A threshold with nothing to compare is missing evidence, not a pass.',
    fix: 'Record the metric in the results, or point the metric at the column that holds it with `source:` (and `aggregate:`).'
  },
  'evals.threshold': {
    severity: 'deny',
    title: 'Eval metric does not meet its threshold',
    description:
      "The metric's aggregate on head is compared with its threshold. Aggregates are declared per metric " +
      '(`aggregate:`), defaulting to mean for llm_judge and numeric metrics and to rate for deterministic ones: mean ' +
      'and sum (compensated summation), rate (the share of cases whose value is at least 0.5, i.e. true or 1), ' +
      'min, max, and p50/p95/p99 by the nearest-rank method (the value at rank ⌈p·n⌉ of the sorted values). Cases ' +
      "without a value are skipped and counted; values outside the range of the metric's type are never " +
      'aggregated (evals.value-out-of-range). Values within 1e-9 (relative) of the bound count as equal to it, so ' +
      'floating-point noise never fails ">= 0.85" at exactly 0.85. An eval_scores file gives the aggregate directly; ' +
      'where per-case results exist they are used instead.',
    fix: "Improve the agent until the metric meets the threshold and commit the new results; change a threshold only with the reviewers' agreement."
  },
  'evals.threshold-invalid': {
    severity: 'deny',
    title: 'Eval threshold cannot be read',
    description:
      'A threshold must be a number or a comparator string: "<0.40", "<=3000", ">=0.85", ">0.5", "==0" (spaces ' +
      'are allowed around the number). Anything else (a single "=", "=>", "≥", "85%", a list) is rejected rather ' +
      'than guessed, and the metric counts as failing.',
    fix: 'Write the threshold as a number or as "<x", "<=x", ">x", ">=x" or "==x".'
  },
  'evals.threshold-ambiguous': {
    severity: 'deny',
    title: 'Bare-number threshold on a metric without a direction',
    description:
      "A bare number is read by the metric's direction: >= for higher_is_better, <= for lower_is_better. " +
      'llm_judge and deterministic metrics are higher_is_better unless they declare `direction`; numeric metrics ' +
      'have no default, so a bare number on a numeric metric without `direction` could mean either bound.',
    fix: 'Write the comparator ("<=0.4" or ">=0.4") or declare `direction: lower_is_better` / `higher_is_better` on the metric.'
  },
  'evals.threshold-conflict': {
    severity: 'deny',
    title: "Threshold contradicts the metric's declared direction",
    description:
      'The comparator of a threshold implies a direction ("<" and "<=" pass low values, ">" and ">=" high ones) ' +
      "that is the opposite of the metric's declared `direction`. Either the threshold or the direction is wrong, " +
      'and regressions would be judged the wrong way round.',
    fix: "Make the comparator and the metric's `direction` agree."
  },
  'evals.threshold-vacuous': {
    severity: 'deny',
    title: 'Eval threshold can never fail',
    description:
      "A threshold that every possible value meets is a gate that cannot close. The range of a metric's aggregate " +
      'is taken as: [0, 1] for a rate; [0, 1] for llm_judge scores and deterministic checks (values outside it are ' +
      'rejected, see evals.value-out-of-range), non-negative for their sum; non-negative for numeric metrics ' +
      '(costs, latencies, counts) unless a negative value is seen on base or head, in which case nothing is ' +
      'assumed. So ">= 0", "> -1" or "<= 1" on a ' +
      '[0, 1] metric are reported. The usual cause is a bare number read the wrong way: `pii_leakage: 0.0` on a ' +
      'deterministic metric reads as ">= 0".',
    fix: 'State a bound that can fail: declare `direction: lower_is_better` or write "<=0" when the value must stay low, or raise the bound.'
  },
  'evals.threshold-unknown-metric': {
    severity: 'deny',
    title: 'Threshold for a metric the eval does not declare',
    description:
      'Every key of `spec.thresholds` must name a metric in `spec.metrics`; otherwise its type, direction and ' +
      'aggregate are unknown and the threshold is never checked (often a typo).',
    fix: "Declare the metric in spec.metrics or correct the threshold's name."
  },
  'evals.no-thresholds': {
    severity: 'deny',
    title: 'Required eval has no thresholds',
    description:
      'An eval that is required or release-gating but has no `spec.thresholds` passes whatever its results are: ' +
      'the extreme case of a threshold that can never fail.',
    fix: 'Add thresholds for the metrics that decide release.'
  },
  'evals.duplicate-definition': {
    severity: 'deny',
    title: 'Two Eval records share a name',
    description:
      'Two `kind: Eval` records on head have the same `metadata.name`, so which thresholds apply is ambiguous. The ' +
      'first by file path is evaluated and the duplicate is reported.',
    fix: 'Rename or remove one of the Eval records.'
  },
  'evals.duplicate-metric': {
    severity: 'deny',
    title: 'Eval declares a metric twice',
    description: 'A metric name appears twice in `spec.metrics`; the first declaration is used and the eval fails.',
    fix: 'Remove or rename the duplicate metric.'
  },
  'evals.duplicate-results': {
    severity: 'deny',
    title: 'Two result files for one eval',
    description:
      'Two per-case results files, or two eval_scores files, name the same eval on head. The gate cannot tell which ' +
      'run is current, and merging them would count the dataset twice, so neither is used and the eval fails. One ' +
      'per-case file together with one eval_scores file is fine: the per-case results are used and the scores are ' +
      'checked against them.',
    fix: 'Keep one results file of each kind per eval (delete the stale run).'
  },
  'evals.baseline-ambiguous': {
    severity: 'warning',
    title: 'Base branch has two result files for one eval',
    description:
      'The base branch has two results files of one kind for an eval, so there is no single baseline: the ' +
      'regression check against base is skipped for that eval.',
    fix: 'Remove the stale results file on the base branch.'
  },
  'evals.results-inconsistent': {
    severity: 'warning',
    title: 'Scores file disagrees with the per-case results',
    description:
      "An eval_scores file and a per-case results file for the same eval disagree: a metric's score differs from " +
      'the aggregate of the cases by more than the rounding of the written score, or the case counts differ. The ' +
      'per-case results are used.',
    fix: 'Regenerate both files from the same run.'
  },
  'evals.undefined-results': {
    severity: 'warning',
    title: 'Results for an eval that is not defined',
    description:
      'A results file names an eval that no Eval record on head defines, so nothing judges it. Often a typo in ' +
      'the `eval` field, which also leaves the intended eval without results.',
    fix: 'Correct the `eval` field of the results, or add the Eval record.'
  },
  'evals.cases-missing-values': {
    severity: 'warning',
    title: 'Some cases have no value for a metric',
    description:
      'A case has no value for a metric when the field the metric reads is absent from it: a JSON Lines case ' +
      'without the key in `metrics` (or without `cost_usd` / `latency_ms`), a promptfoo result without the named ' +
      'score. Such cases are skipped by the aggregate; many of them can hide failures (a judge that timed out), so ' +
      'they are counted and shown. An absent value is written by leaving the field out: `null`, or a number too ' +
      'large to represent, is not a value but a record error, and the results file is rejected when it is read.',
    fix: 'Find why those cases have no value (judge errors, timeouts) and re-run them.'
  },
  'evals.values-missing': {
    severity: 'follow_up',
    title: 'A gating metric has no value in too many cases',
    description:
      'A metric with a threshold, of an eval that gates the change (required, a release gate, or behind a derived ' +
      'signal), has no value in more than `evals.max_missing_share` of the head cases (default 0.1 = 10%). Its ' +
      'aggregate then stands on the cases that have one: leaving the value out of the failing cases (a judge that ' +
      'timed out on them, or an edit) would pass a metric the whole set fails. A person must confirm the cases ' +
      'without a value are not hiding failures. (Fewer missing values are `evals.cases-missing-values`, a warning.)',
    fix: 'Re-run the cases without a value (judge errors, timeouts) so that the metric is measured on the whole set, or raise evals.max_missing_share in the base configuration if such gaps are expected.'
  },
  'evals.promptfoo-unmatched': {
    severity: 'warning',
    title: 'A promptfoo mapping names no file',
    description:
      'An `evals.promptfoo` entry of the configuration maps a path to an Eval, but no file on head is at that path ' +
      '(moved, misspelt, or not committed). The Eval gets no results from it; when the Eval is required, its own ' +
      'findings say the results are missing.',
    fix: 'Correct the path in evals.promptfoo, commit the results file, or remove the entry.'
  },
  'evals.value-out-of-range': {
    severity: 'deny',
    title: "Eval result outside the metric's range",
    description:
      "Every value must lie in the range of its metric's type: per case, an llm_judge score is between 0 and 1 and " +
      'a deterministic check is true or false (1 or 0); a numeric metric may take any number. An eval_scores value ' +
      "must lie in the range of the metric's aggregate: a rate between 0 and 1 whatever the type; the mean, min, " +
      'max or percentile of llm_judge or deterministic values between 0 and 1, their sum at least 0. A value ' +
      'outside it (a stray 300 among 0–1 scores, a judge on a 1–5 scale, a deterministic 0.49, a rate of 7) is ' +
      'never aggregated, so one outlier cannot lift or sink the result, and the metric fails. The finding is ' +
      'located at the first such case (its line in the per-case file) or at the score, and counts the others. ' +
      'A score is checked even when per-case results are used instead of it.',
    fix:
      'Correct the results (re-run the judge, fix the export). If the metric is measured on another scale, ' +
      'rescale it to 0–1 or declare it `type: numeric` with a `direction`.'
  },
  'evals.baseline-out-of-range': {
    severity: 'warning',
    title: "Base results hold values outside the metric's range",
    description:
      "The base branch's results for a judged eval hold values outside the range of the metric's type (see " +
      'evals.value-out-of-range). They are left out of the baseline, and a base eval_scores value outside it is ' +
      'not used, so the regression check compares the head with what remains of the base.',
    fix: 'Nothing to do in this change; correct the results on the base branch when they are next recorded.'
  },
  'evals.regression': {
    severity: 'deny',
    title: 'Eval metric regressed against the base branch',
    description:
      'For each metric with a value on both base and head, the regression is the relative change in the bad ' +
      'direction: (base − head) / |base| for higher_is_better, (head − base) / |base| for lower_is_better, the ' +
      'absolute difference when base is 0. Beyond `evals.regression_slack` (default 0.05 = 5%) it is a finding ' +
      'even when the threshold is still met. When both sides have per-case values a noise test decides the ' +
      "severity: rates use Fisher's exact test on pass/fail counts (two-sided, significant when p < 1 − " +
      "`evals.confidence`), shown with Newcombe's interval of head − base; means, sums and percentiles use a " +
      'seeded percentile bootstrap of head − base (`evals.bootstrap_resamples`, `evals.seed`; means and sums with ' +
      "more than 8,000,000 resampled draws use Welch's normal interval), significant when the interval lies wholly " +
      'on the bad side of 0. This rule is a drop beyond the slack that is beyond noise, or that cannot be tested ' +
      '(no per-case results on a side, fewer than 2 cases, or a min/max aggregate, whose bootstrap is ' +
      'unreliable). A metric with no direction (numeric without `direction` or a comparator threshold) is not ' +
      'compared. Such a regression also makes the metric fail.',
    fix: 'Find and fix the cause of the drop and commit new results; if the drop is intended, agree a new baseline with the reviewers.'
  },
  'evals.regression-within-noise': {
    severity: 'follow_up',
    title: 'Eval metric dropped beyond the slack, within noise',
    description:
      'The metric regressed beyond `evals.regression_slack` against the base branch, but the noise test (see ' +
      'evals.regression) cannot tell the drop from sampling noise at the configured confidence. A person should ' +
      'look: re-run with more cases, or accept the change knowingly.',
    fix: 'Re-run the eval with more cases to settle it, or have a reviewer accept the drop.'
  },
  'evals.gate-weakened': {
    severity: 'follow_up',
    title: 'Change loosens an eval gate',
    description:
      "The head branch's Eval passes results that the base branch's would fail: a threshold removed or relaxed " +
      '(its set of passing values grew), a metric with a threshold removed, releaseGate disabled, a direction ' +
      'flipped, or a change to what a thresholded metric measures or how it is judged: its `type`, `aggregate`, ' +
      '`source` (the column it reads) or `direction`, compared as they take effect (defaults included, so ' +
      'writing out a default is no change). Such a change cannot be ranked in general (is p50 < 3000 looser ' +
      'than p95 < 3500?), so each is reported as base → head. The head results are also judged by the base ' +
      "branch's definition of every metric the change touches (its column, aggregate, type range and threshold, " +
      'and the regression check against base): when that definition fails results the head definition passes ' +
      '(a pii_leakage rate of 0.9975 that `aggregate: min` turns into 0), the finding says so, with the values. ' +
      'A metric without a threshold is reported when the base definition finds a regression the head one does ' +
      'not. Loosening a gate in the change it gates needs a person to agree.',
    fix: "Have the eval's owner approve the looser gate, or restore the base branch's definition of the eval."
  }
});

type RuleId = keyof typeof RULES;

// ---------------------------------------------------------------------------------------------------
// What requires an eval

interface Requirement {
  eval: string;
  reason: string;
  location: Location;
}

function collectRequirements(ctx: GateContext): Requirement[] {
  const out: Requirement[] = [];
  // the review records of this pull request's changes, including those merged earlier
  // (and the base copy of one this pull request updates: dropping a required eval from it does not drop it)
  for (const c of changeRecords(ctx, 'change_review_record')) {
    const copies: [Rec<'change_review_record'>, string][] = [[c.record, earlierNote(c, ', ')]];
    if (c.was) copies.push([c.was, ', its base copy: this pull request updates it']);
    for (const [r, note] of copies) {
      const names = Array.isArray(r.data.required_evals) ? r.data.required_evals : [];
      names.forEach((name, i) => {
        if (typeof name !== 'string' || name === '') return;
        out.push({
          eval: name,
          reason: `change_review_record ${String(r.data.review_id)} (${r.source.path}${note})`,
          location: locationOf(r, pointer('required_evals', i))
        });
      });
    }
  }
  for (const d of ctx.head.of('deployment')) {
    const wanted = d.data.spec?.promotion?.requiresEval;
    const reason = `Deployment ${String(d.data.metadata?.name)} (${d.source.path})`;
    const at = ['spec', 'promotion', 'requiresEval'];
    const entries: [unknown, string][] = Array.isArray(wanted)
      ? wanted.map((name, i) => [name, pointer(...at, i)])
      : [[wanted, pointer(...at)]];
    for (const [name, ptr] of entries) {
      if (typeof name === 'string' && name !== '') out.push({ eval: name, reason, location: locationOf(d, ptr) });
    }
  }
  return out;
}

/**
 * Eval name → why it is required (sorted, unique): a change_review_record of this pull request's changes (merged
 * earlier ones and edited ones' base copies included, see changeRecords) lists it in required_evals, or a head Deployment names
 * it in spec.promotion.requiresEval. Evals with releaseGate.enabled are judged when they have results but are
 * not "required" unless a record names them.
 */
export function requiredEvals(ctx: GateContext): Map<string, string[]> {
  const byEval = new Map<string, Set<string>>();
  for (const r of collectRequirements(ctx)) {
    const set = byEval.get(r.eval) ?? new Set<string>();
    set.add(r.reason);
    byEval.set(r.eval, set);
  }
  return new Map([...byEval.keys()].sort(cmp).map((name) => [name, [...(byEval.get(name) as Set<string>)].sort(cmp)]));
}

// ---------------------------------------------------------------------------------------------------
// Results on one side

interface ResultFiles {
  cases: Rec<'eval_cases'>[];
  scores: Rec<'eval_scores'>[];
}

function resultsByEval(index: RecordIndex | null): Map<string, ResultFiles> {
  const out = new Map<string, ResultFiles>();
  if (!index) return out;
  const entry = (name: string): ResultFiles => {
    let e = out.get(name);
    if (!e) out.set(name, (e = { cases: [], scores: [] }));
    return e;
  };
  for (const r of index.of('eval_cases')) if (typeof r.data.eval === 'string') entry(r.data.eval).cases.push(r);
  for (const r of index.of('eval_scores')) if (typeof r.data.eval === 'string') entry(r.data.eval).scores.push(r);
  return out;
}

/**
 * The results of one eval on one side: at most one file of each kind, else ambiguous. An eval_scores file
 * that reports `cases: 0`, with no per-case results beside it, is no evidence: 'none', naming the file.
 */
type SideResults =
  | { status: 'none'; emptyScores?: Rec<'eval_scores'> }
  | { status: 'ambiguous'; files: LoadedRecord[] }
  | { status: 'ok'; cases: Rec<'eval_cases'> | null; scores: Rec<'eval_scores'> | null };

function sideResults(files: ResultFiles | undefined): SideResults {
  if (!files || (files.cases.length === 0 && files.scores.length === 0)) return { status: 'none' };
  if (files.cases.length > 1 || files.scores.length > 1) {
    const dup: LoadedRecord[] = [];
    if (files.cases.length > 1) dup.push(...files.cases);
    if (files.scores.length > 1) dup.push(...files.scores);
    return { status: 'ambiguous', files: dup };
  }
  const cases = files.cases[0] ?? null;
  const scores = files.scores[0] ?? null;
  if (!cases && scores && scores.data.cases === 0) return { status: 'none', emptyScores: scores };
  return { status: 'ok', cases, scores };
}

function resultPaths(side: SideResults): string[] {
  if (side.status === 'none') return side.emptyScores ? [side.emptyScores.source.path] : [];
  if (side.status === 'ambiguous') return side.files.map((f) => f.source.path);
  return [side.cases, side.scores].filter((r) => r !== null).map((r) => r.source.path);
}

// ---------------------------------------------------------------------------------------------------
// Metric plans: what each declared metric means

const DEFAULT_AGGREGATE: Record<EvalMetric['type'], Aggregate> = {
  llm_judge: 'mean',
  deterministic: 'rate',
  numeric: 'mean'
};
const AGGREGATES: readonly Aggregate[] = ['mean', 'rate', 'p50', 'p95', 'p99', 'max', 'min', 'sum'];

interface MetricPlan {
  metric: EvalMetric;
  /** position in spec.metrics */
  index: number;
  aggregate: Aggregate;
  column: string;
  direction: Direction | null;
  /** the thresholds entry exists */
  hasThreshold: boolean;
  written: unknown;
  threshold: Threshold | null;
  /** a configuration problem with the threshold: the metric cannot be said to pass */
  thresholdProblem: RuleId | null;
  /** why the threshold could not be read */
  problemMessage: string;
}

function declaredDirection(m: EvalMetric): Direction | null {
  return m.direction === 'higher_is_better' || m.direction === 'lower_is_better' ? m.direction : null;
}

function planMetric(m: EvalMetric, index: number, thresholds: Record<string, unknown>): MetricPlan {
  const declared = declaredDirection(m);
  const byType = defaultDirection(m.type);
  const plan: MetricPlan = {
    metric: m,
    index,
    aggregate: m.aggregate && AGGREGATES.includes(m.aggregate) ? m.aggregate : (DEFAULT_AGGREGATE[m.type] ?? 'mean'),
    column: typeof m.source === 'string' && m.source !== '' ? m.source : m.name,
    direction: declared ?? byType,
    hasThreshold: Object.hasOwn(thresholds, m.name),
    written: thresholds[m.name],
    threshold: null,
    thresholdProblem: null,
    problemMessage: ''
  };
  if (!plan.hasThreshold) return plan;
  const reading = readThreshold(plan.written, m.name, declared ?? byType);
  if (!reading.ok) {
    plan.thresholdProblem = reading.problem === 'ambiguous' ? 'evals.threshold-ambiguous' : 'evals.threshold-invalid';
    plan.problemMessage = reading.message;
    if (reading.problem === 'ambiguous') plan.direction = null;
    return plan;
  }
  plan.threshold = reading.threshold;
  const implied = reading.threshold.read_by === 'comparator' ? impliedDirection(reading.threshold.comparator) : null;
  if (declared && implied && declared !== implied) plan.thresholdProblem = 'evals.threshold-conflict';
  else plan.direction = declared ?? implied ?? byType;
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// Observations: a metric's value on one side

interface Observation {
  value: number | null;
  /** per-case values, when they came from a per-case table with the metric's column */
  sample: Sample | null;
  from: 'cases' | 'scores' | null;
  /** cases aggregated (cases with a value), or the scores file's `cases` */
  cases: number | null;
  location: Location | null;
  /** the eval_scores value when per-case results were used instead */
  shadowedScore: { value: number; location: Location } | null;
  /** values outside the range of the metric's type: never aggregated, and the metric fails */
  outside: OutOfRange | null;
}

/** Per-case values and a score outside the metric's range, on one side. */
interface OutOfRange {
  /** per-case values outside the type's range: how many, the first few located, in which file */
  cases: {
    count: number;
    of: number;
    file: string;
    range: TypeRange;
    examples: { row: number; value: number; location: Location }[];
  } | null;
  /** an eval_scores value outside the aggregate's range (whether or not per-case results shadow it) */
  score: { value: number; location: Location; range: TypeRange } | null;
}

const NO_OBSERVATION: Observation = {
  value: null,
  sample: null,
  from: null,
  cases: null,
  location: null,
  shadowedScore: null,
  outside: null
};

function scoreOf(scores: Rec<'eval_scores'> | null, metric: string): { value: number; location: Location } | null {
  if (!scores || !scores.data.metrics || !Object.hasOwn(scores.data.metrics, metric)) return null;
  const value = scores.data.metrics[metric];
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return { value, location: locationOf(scores, pointer('metrics', metric)) };
}

/**
 * Where a case's value is: `/<case>/metrics/<name>` (or `/<case>/cost_usd`) in JSON Lines, which locates the
 * case's line; in a promptfoo file, the result's field in `results.results` or `results`, whichever the file has.
 */
function caseLocation(table: Rec<'eval_cases'>, row: number, column: string): Location {
  if (table.data.format === 'jsonl') {
    const standard = column === 'cost_usd' || column === 'latency_ms';
    return locationOf(table, standard ? pointer(row, column) : pointer(row, 'metrics', column));
  }
  const field: Record<string, string[]> = {
    pass: ['success'],
    score: ['score'],
    cost_usd: ['cost'],
    latency_ms: ['latencyMs']
  };
  const path = Object.hasOwn(field, column) ? (field[column] as string[]) : ['namedScores', column];
  const outer = table.locate(pointer('results'));
  const nested = table.locate(pointer('results', 'results', row));
  const same = (a: typeof outer, b: typeof outer): boolean => a?.line === b?.line && a?.column === b?.column;
  return nested && !same(nested, outer)
    ? locationOf(table, pointer('results', 'results', row, ...path))
    : locationOf(table, pointer('results', row, ...path));
}

function observe(side: SideResults, plan: MetricPlan): Observation {
  if (side.status !== 'ok') return NO_OBSERVATION;
  let score = scoreOf(side.scores, plan.metric.name);
  const table = side.cases;
  const columns = table?.data.columns ?? {};
  const column = Object.hasOwn(columns, plan.column) ? columns[plan.column] : undefined;
  const valueRange = caseRange(plan.metric.type);
  const sample = table && column ? collectSample(column, table.data.cases, valueRange) : null;
  const scoreRange = aggregateRange(plan.metric.type, plan.aggregate);
  const outside: OutOfRange = { cases: null, score: null };
  if (table && sample && valueRange && sample.outside > 0) {
    outside.cases = {
      count: sample.outside,
      of: table.data.cases,
      file: table.source.path,
      range: valueRange,
      examples: sample.outsideExamples.map((e) => ({ ...e, location: caseLocation(table, e.row, plan.column) }))
    };
  }
  if (score && scoreRange && !inRange(score.value, scoreRange)) {
    outside.score = { ...score, range: scoreRange };
    score = null;
  }
  const bad = outside.cases || outside.score ? outside : null;
  if (table && sample && sample.values.length > 0) {
    return {
      value: aggregate(sample.values, plan.aggregate),
      sample,
      from: 'cases',
      cases: sample.values.length,
      location: locationOf(table, ''),
      shadowedScore: score,
      outside: bad
    };
  }
  if (score && side.scores) {
    const cases = side.scores.data.cases;
    return {
      value: score.value,
      sample,
      from: 'scores',
      cases: typeof cases === 'number' && Number.isFinite(cases) ? cases : null,
      location: score.location,
      shadowedScore: null,
      outside: bad
    };
  }
  return { ...NO_OBSERVATION, sample, outside: bad };
}

function seenRange(observations: Observation[]): Seen | null {
  let min = Infinity;
  let max = -Infinity;
  for (const o of observations) {
    if (o.sample && o.sample.values.length > 0) {
      min = Math.min(min, o.sample.min);
      max = Math.max(max, o.sample.max);
    }
    for (const v of [o.from === 'scores' ? o.value : null, o.shadowedScore?.value ?? null]) {
      if (v === null) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return min <= max ? { min, max } : null;
}

// ---------------------------------------------------------------------------------------------------
// Regression

/** Relative change in the bad direction (positive = worse); the absolute difference when base is 0. */
export function regressionOf(base: number, head: number, direction: Direction): number {
  const worse = direction === 'higher_is_better' ? base - head : head - base;
  return base === 0 ? worse : worse / Math.abs(base);
}

/** The worst head value the slack tolerates. */
function slackBound(base: number, direction: Direction, slack: number): number {
  const room = base === 0 ? slack : slack * Math.abs(base);
  return direction === 'higher_is_better' ? base - room : base + room;
}

// ---------------------------------------------------------------------------------------------------
// Gate loosening (head Eval vs base Eval)

interface PassSet {
  lo: number;
  loIn: boolean;
  hi: number;
  hiIn: boolean;
}

function passSet(t: Pick<Threshold, 'comparator' | 'value'>): PassSet {
  switch (t.comparator) {
    case '>=':
      return { lo: t.value, loIn: true, hi: Infinity, hiIn: false };
    case '>':
      return { lo: t.value, loIn: false, hi: Infinity, hiIn: false };
    case '<=':
      return { lo: -Infinity, loIn: false, hi: t.value, hiIn: true };
    case '<':
      return { lo: -Infinity, loIn: false, hi: t.value, hiIn: false };
    case '==':
      return { lo: t.value, loIn: true, hi: t.value, hiIn: true };
  }
}

/** Whether some value passes `head` but fails `base`. */
function looser(head: Threshold, base: Threshold): boolean {
  const h = passSet(head);
  const b = passSet(base);
  const lowerOk = h.lo > b.lo || (h.lo === b.lo && (b.loIn || !h.loIn));
  const upperOk = h.hi < b.hi || (h.hi === b.hi && (b.hiIn || !h.hiIn));
  return !(lowerOk && upperOk);
}

interface Loosening {
  what: string;
  base: Json;
  head: Json;
  /** where the change shows in the head Eval */
  pointer: string;
}

/**
 * A metric's definition on head against base, field by field as each takes effect (defaults included, so
 * writing out a default is no change): type, aggregate, source column, and a direction the head no longer has.
 * A flipped direction is reported apart, for every metric.
 */
function definitionChanges(b: MetricPlan, h: MetricPlan): Loosening[] {
  const name = b.metric.name;
  const at = (field: string): string => pointer('spec', 'metrics', h.index, field);
  const out: Loosening[] = [];
  if (b.metric.type !== h.metric.type) {
    out.push({ what: `${name}: type changed`, base: b.metric.type, head: h.metric.type, pointer: at('type') });
  }
  if (b.aggregate !== h.aggregate) {
    out.push({ what: `${name}: aggregate changed`, base: b.aggregate, head: h.aggregate, pointer: at('aggregate') });
  }
  if (b.column !== h.column) {
    out.push({ what: `${name}: source changed`, base: b.column, head: h.column, pointer: at('source') });
  }
  if (b.direction && !h.direction) {
    out.push({ what: `${name}: direction removed`, base: b.direction, head: null, pointer: at('direction') });
  }
  return out;
}

/** How the head's version of one base metric loosens it. */
interface MetricLoosening {
  /** reported whatever the results */
  changes: Loosening[];
  /** reported only when the base definition fails head results the head definition passes */
  latent: Loosening[];
}

function metricLoosening(b: MetricPlan, h: MetricPlan | null): MetricLoosening {
  const name = b.metric.name;
  const changes: Loosening[] = [];
  const latent: Loosening[] = [];
  if (b.direction && h?.direction && b.direction !== h.direction) {
    changes.push({
      what: `${name}: direction flipped`,
      base: b.direction,
      head: h.direction,
      pointer: pointer('spec', 'metrics', h.index)
    });
  }
  // what a thresholded metric measures: any change needs a person; of other metrics (regression-checked
  // only), a change that the base definition's regression check would have caught
  if (h) (b.threshold ? changes : latent).push(...definitionChanges(b, h));
  if (!b.threshold) {
    if (!h && b.direction) {
      latent.push({
        what: `${name}: metric removed`,
        base: b.direction,
        head: null,
        pointer: pointer('spec', 'metrics')
      });
    }
    return { changes, latent };
  }
  const was = describeThreshold(b.threshold);
  if (!h) changes.push({ what: `${name}: metric removed`, base: was, head: null, pointer: pointer('spec', 'metrics') });
  else if (!h.hasThreshold) {
    changes.push({ what: `${name}: threshold removed`, base: was, head: null, pointer: pointer('spec', 'thresholds') });
  } else if (h.threshold && looser(h.threshold, b.threshold)) {
    changes.push({
      what: `${name}: threshold relaxed`,
      base: was,
      head: describeThreshold(h.threshold),
      pointer: pointer('spec', 'thresholds', name)
    });
  }
  return { changes, latent };
}

/** Why the base branch's definition of a metric fails the head results. */
interface BaseDefinitionFailure {
  metric: string;
  reason: 'out_of_range' | 'missing' | 'threshold' | 'regression';
  text: string;
  observed: Json;
  required: Json;
}

/**
 * The head results judged by the base branch's definition of a metric (`b`): its column, aggregate and type
 * range, its threshold, and its regression check against the base results. null when that definition passes
 * them (or cannot judge: no usable head results, a base threshold that could not be read).
 */
function judgeUnderBase(s: Scope, b: MetricPlan): BaseDefinitionFailure | null {
  if (s.head.status !== 'ok' || b.thresholdProblem) return null;
  const m = b.metric.name;
  const h = observe(s.head, b);
  const cases = h.outside?.cases;
  if (cases) {
    return {
      metric: m,
      reason: 'out_of_range',
      text:
        `as ${b.metric.type}, ${m} has a value outside its range in ${cases.count} of ${cases.of} ` +
        `case${cases.of === 1 ? '' : 's'} (${cases.range.why})`,
      observed: cases.examples.map((e) => e.value),
      required: describeRange(cases.range)
    };
  }
  const score = h.outside?.score;
  if (score) {
    return {
      metric: m,
      reason: 'out_of_range',
      text: `${m} is ${formatNumber(score.value)} in ${score.location.file}, outside ${describeRange(score.range)} (${score.range.why})`,
      observed: score.value,
      required: describeRange(score.range)
    };
  }
  if (b.threshold) {
    const required = describeThreshold(b.threshold);
    if (h.value === null) {
      const table = s.head.cases;
      return {
        metric: m,
        reason: 'missing',
        text:
          `${m} has no value in the head results` +
          (table && !Object.hasOwn(table.data.columns, b.column)
            ? ` (${table.source.path} has no column ${b.column})`
            : ''),
        observed: null,
        required
      };
    }
    if (!meets(h.value, b.threshold)) {
      return {
        metric: m,
        reason: 'threshold',
        text: `${m} is ${formatNumber(h.value)} (${describeValue(b, h)}), required ${required}`,
        observed: finiteOrNull(h.value),
        required
      };
    }
  }
  const c = compare(s, b, h, observe(s.base, b));
  if (c && c.beyondNoise && c.regression > s.settings.slack + 1e-12) {
    const direction = b.direction as Direction;
    const [base, head] = [c.base.value as number, c.head.value as number];
    return {
      metric: m,
      reason: 'regression',
      text:
        `${m} (${b.aggregate} of ${b.column}) ${direction === 'higher_is_better' ? 'fell' : 'rose'} from ` +
        `${formatNumber(base)} on base to ${formatNumber(head)} on head, ` +
        `${base === 0 ? formatNumber(c.regression) : formatPercent(c.regression)} worse, beyond the ` +
        `${formatPercent(s.settings.slack)} regression slack` +
        (typeof c.noise === 'object' && c.noise !== null ? ' and beyond noise' : ''),
      observed: finiteOrNull(head),
      required: `${direction === 'higher_is_better' ? '>=' : '<='} ${formatNumber(slackBound(base, direction, s.settings.slack))}`
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// The family

interface Settings {
  slack: number;
  confidence: number;
  maxMissingShare: number;
  resamples: number;
  seed: number;
}

function settingsOf(ctx: GateContext): Settings {
  const e = ctx.config.evals;
  // the settings layer validates these ranges; the guards only keep the engine total on any input
  const finite = (x: number, fallback: number): number => (Number.isFinite(x) ? x : fallback);
  return {
    slack: Math.max(0, finite(e.regression_slack, 0.05)),
    confidence: Math.min(0.9999, Math.max(0.5, finite(e.confidence, 0.95))),
    maxMissingShare: Math.min(1, Math.max(0, finite(e.max_missing_share, 0.1))),
    resamples: Math.min(100_000, Math.max(100, Math.floor(finite(e.bootstrap_resamples, 2000)))),
    seed: Math.floor(finite(e.seed, 0)) >>> 0
  };
}

function thresholdsOf(def: EvalRecord): Record<string, unknown> {
  const t = def.spec?.thresholds;
  return t && typeof t === 'object' ? (t as Record<string, unknown>) : {};
}

function metricPlans(def: EvalRecord): { plans: MetricPlan[]; duplicates: { name: string; index: number }[] } {
  const thresholds = thresholdsOf(def);
  const metrics = Array.isArray(def.spec?.metrics) ? def.spec.metrics : [];
  const byName = new Map<string, MetricPlan>();
  const duplicates: { name: string; index: number }[] = [];
  metrics.forEach((m, i) => {
    if (!m || typeof m.name !== 'string') return;
    if (byName.has(m.name)) duplicates.push({ name: m.name, index: i });
    else byName.set(m.name, planMetric(m, i, thresholds));
  });
  return { plans: [...byName.values()].sort((a, b) => cmp(a.metric.name, b.metric.name)), duplicates };
}

export function evaluateEvals(ctx: GateContext): FamilyResult<EvalEvidence[]> {
  const findings = new FindingList(ctx.config);
  const settings = settingsOf(ctx);
  const requirements = collectRequirements(ctx);
  const required = requiredEvals(ctx);
  const definitions = new Map<string, Rec<'eval'>[]>();
  for (const r of ctx.head.of('eval')) {
    const name = r.data.metadata?.name;
    if (typeof name !== 'string') continue;
    definitions.set(name, [...(definitions.get(name) ?? []), r]);
  }
  const baseDefinitions = new Map<string, Rec<'eval'>>();
  for (const r of ctx.base?.of('eval') ?? []) {
    const name = r.data.metadata?.name;
    if (typeof name === 'string' && !baseDefinitions.has(name)) baseDefinitions.set(name, r);
  }
  const headResults = resultsByEval(ctx.head);
  const baseResults = resultsByEval(ctx.base);
  const signalUsers = evalSignals(ctx);

  const names = [...new Set([...definitions.keys(), ...required.keys()])].sort(cmp);
  const evidence: EvalEvidence[] = [];
  for (const name of names) {
    const defs = definitions.get(name);
    const requiredBy = required.get(name) ?? [];
    if (!defs) {
      const firstRequirement = requirements.filter((r) => r.eval === name).sort(byLocation)[0];
      const results = resultPaths(sideResults(headResults.get(name)));
      const hint = suggest(name, [...definitions.keys()]);
      findings.add(RULES['evals.missing-definition'], {
        message:
          `Eval ${name} is required by ${requiredBy.join(', ')} but no Eval record on head defines it` +
          (hint ? ` (did you mean ${hint}?)` : '') +
          (results.length > 0 ? `; results for it exist in ${results.join(', ')}` : ''),
        observed: null,
        required: `an Eval record with metadata.name: ${name}`,
        location: firstRequirement?.location,
        evidence: { eval: name, required_by: requiredBy, results },
        subject: name
      });
      evidence.push({ eval: name, required: true, required_by: requiredBy, verdict: 'missing', metrics: [] });
      continue;
    }
    evidence.push(
      evaluateOne(findings, settings, {
        name,
        def: defs[0] as Rec<'eval'>,
        duplicates: defs.slice(1),
        requiredBy,
        baseDef: baseDefinitions.get(name) ?? null,
        signals: signalUsers.get(name) ?? [],
        head: sideResults(headResults.get(name)),
        base: sideResults(baseResults.get(name))
      })
    );
  }

  for (const [name, baseDef] of [...baseDefinitions.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    if (definitions.has(name) || required.has(name) || baseDef.data.spec?.releaseGate?.enabled !== true) continue;
    findings.add(RULES['evals.gate-weakened'], {
      message: `Eval ${name}, release-gating on base (${baseDef.source.path}), is removed by this change`,
      observed: null,
      required: `the Eval record ${name}, or an agreed removal`,
      location: locationOf(baseDef, pointer('metadata', 'name')),
      evidence: {
        eval: name,
        base_file: baseDef.source.path,
        changes: [{ what: 'Eval removed', base: true, head: null }]
      },
      subject: name
    });
  }

  // a promptfoo mapping that names no file on head: its Eval gets no results from it, which the Eval's own
  // findings show when it is required; the mapping itself (a moved or misspelt path) is said here
  const headPaths = ctx.head.set.paths;
  if (headPaths !== null) {
    (ctx.config.evals.promptfoo ?? []).forEach((mapping, index) => {
      // matchesAny spells the glob as the loader does (no leading "./")
      if (headPaths.some((path) => matchesAny(path, [mapping.path]))) return;
      findings.add(RULES['evals.promptfoo-unmatched'], {
        message: `evals.promptfoo maps ${mapping.path} to Eval ${mapping.eval}, but no file on head is at that path: the Eval gets no promptfoo results from it`,
        observed: null,
        required: `a promptfoo results file at ${mapping.path}`,
        ...locatedAt(configLocation(ctx, `/evals/promptfoo/${index}/path`)),
        evidence: { path: mapping.path, eval: mapping.eval },
        subject: mapping.eval
      });
    });
  }

  const defined = [...definitions.keys()];
  for (const [name, files] of [...headResults.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    if (definitions.has(name) || required.has(name)) continue;
    const hint = suggest(name, defined);
    for (const f of [...files.cases, ...files.scores].sort((a, b) => cmp(a.source.path, b.source.path))) {
      findings.add(RULES['evals.undefined-results'], {
        message:
          `${f.source.path} holds results for eval ${name}, which no Eval record on head defines` +
          (hint ? ` (did you mean ${hint}?)` : ''),
        observed: name,
        required: defined.length > 0 ? `one of: ${defined.join(', ')}` : 'an Eval record with this name',
        location: locationOf(f, pointer('eval')),
        evidence: { eval: name, file: f.source.path, defined },
        subject: name
      });
    }
  }
  return { findings: findings.items, evidence };
}

function locatedAt(location: Location | undefined): { location?: Location } {
  return location ? { location } : {};
}

/** Eval name → the configured signals whose value is that eval's verdict (`signals: { x: { eval: … } }`). */
function evalSignals(ctx: GateContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [signal, source] of Object.entries(ctx.config.signals ?? {}).sort((a, b) => cmp(a[0], b[0]))) {
    const name = (source as { eval?: unknown }).eval;
    if (typeof name === 'string') out.set(name, [...(out.get(name) ?? []), signal]);
  }
  return out;
}

function byLocation(a: Requirement, b: Requirement): number {
  return cmp(a.location.file, b.location.file) || cmp(a.location.pointer ?? '', b.location.pointer ?? '');
}

interface EvalInput {
  name: string;
  def: Rec<'eval'>;
  duplicates: Rec<'eval'>[];
  requiredBy: string[];
  baseDef: Rec<'eval'> | null;
  /** configured signals derived from this eval's verdict */
  signals: string[];
  head: SideResults;
  base: SideResults;
}

/** One Eval being judged: what it is, why it matters, its results on both sides, and where findings go. */
interface Scope {
  name: string;
  def: Rec<'eval'>;
  requiredBy: string[];
  /** required by a record, releaseGate enabled, or a signal's source: its results are judged */
  gated: boolean;
  /** "required by …", "its releaseGate is enabled" or "used by signal …", for messages */
  why: string;
  head: SideResults;
  base: SideResults;
  settings: Settings;
  add(rule: RuleId, fields: FindingFields): void;
}

/** A judged metric: its evidence, and what the eval-level checks need to know. */
interface Judged {
  evidence: MetricEvidence;
  configBroken: boolean;
  /** head cases without a value, when some have one */
  missingValues: number;
  headCases: number;
}

function evaluateOne(findings: FindingList, settings: Settings, input: EvalInput): EvalEvidence {
  const required = input.requiredBy.length > 0;
  const releaseGate = input.def.data.spec?.releaseGate?.enabled === true;
  const gated = required || releaseGate || input.signals.length > 0;
  const scope: Scope = {
    name: input.name,
    def: input.def,
    requiredBy: input.requiredBy,
    gated,
    why: required
      ? `required by ${input.requiredBy.join(', ')}`
      : releaseGate
        ? 'its releaseGate is enabled'
        : `used by signal ${input.signals.join(', ')}`,
    head: input.head,
    base: input.base,
    settings,
    add: (rule, fields) => findings.add(RULES[rule], { subject: input.name, ...fields })
  };
  const { plans, duplicates } = metricPlans(input.def.data);
  const definitionBroken = checkDefinition(scope, input.duplicates, plans, duplicates);
  checkResults(scope);
  const judged = plans.map((plan) => judgeMetric(scope, plan));
  if (gated) checkCaseQuality(scope, judged);
  if (input.baseDef) checkLoosening(scope, input.baseDef, judged);
  const metrics = judged.map((j) => j.evidence);
  const configBroken = definitionBroken || judged.some((j) => j.configBroken);
  return {
    eval: input.name,
    required,
    required_by: input.requiredBy,
    verdict: evalVerdict(gated, input.head, configBroken, metrics),
    metrics
  };
}

/** Problems with the Eval record itself. Returns whether the definition is broken. */
function checkDefinition(
  s: Scope,
  duplicateDefs: Rec<'eval'>[],
  plans: MetricPlan[],
  duplicateMetrics: { name: string; index: number }[]
): boolean {
  const { name, def } = s;
  for (const dup of duplicateDefs) {
    s.add('evals.duplicate-definition', {
      message: `Eval ${name} is defined in both ${def.source.path} and ${dup.source.path}; ${def.source.path} is used`,
      observed: [def.source.path, dup.source.path],
      required: 'one Eval record per name',
      location: locationOf(dup, pointer('metadata', 'name')),
      evidence: { eval: name, files: [def.source.path, dup.source.path] }
    });
  }
  for (const d of duplicateMetrics) {
    s.add('evals.duplicate-metric', {
      message: `${name}: metric ${d.name} is declared more than once in spec.metrics; the first declaration is used`,
      observed: d.name,
      required: 'unique metric names',
      location: locationOf(def, pointer('spec', 'metrics', d.index, 'name')),
      evidence: { eval: name, metric: d.name },
      subject: `${name}/${d.name}`
    });
  }
  const declared = plans.map((p) => p.metric.name);
  const unknown = Object.keys(thresholdsOf(def.data))
    .filter((key) => !declared.includes(key))
    .sort(cmp);
  for (const key of unknown) {
    const hint = suggest(key, declared);
    s.add('evals.threshold-unknown-metric', {
      message:
        `${name}: threshold ${key} names no metric in spec.metrics` +
        (hint ? ` (did you mean ${hint}?)` : '') +
        `; declared metrics: ${declared.length > 0 ? declared.join(', ') : 'none'}`,
      observed: key,
      required: declared.length > 0 ? `one of: ${declared.join(', ')}` : 'a declared metric',
      location: locationOf(def, pointer('spec', 'thresholds', key)),
      evidence: { eval: name, threshold: key, metrics: declared },
      subject: `${name}/${key}`
    });
  }
  const unthresholded = s.gated && !plans.some((p) => p.hasThreshold);
  if (unthresholded) {
    s.add('evals.no-thresholds', {
      message: `Eval ${name} is ${s.why} but has no thresholds, so it passes whatever its results are`,
      observed: null,
      required: 'at least one threshold in spec.thresholds',
      location: locationOf(def, pointer('spec', 'thresholds')),
      evidence: { eval: name, metrics: declared }
    });
  }
  return duplicateDefs.length > 0 || duplicateMetrics.length > 0 || unknown.length > 0 || unthresholded;
}

/** Whether a gated eval's results can be used: present, and one file of each kind per side. */
function checkResults(s: Scope): void {
  if (!s.gated) return;
  const { name, head, base } = s;
  if (head.status === 'ambiguous') {
    const files = head.files.map((f) => f.source.path);
    s.add('evals.duplicate-results', {
      message: `Eval ${name} has ${files.length} result files of one kind on head (${files.join(', ')}); none is used`,
      observed: files,
      required: 'one per-case results file and/or one eval_scores file per eval',
      location: locationOf(head.files[1] as LoadedRecord, pointer('eval')),
      evidence: { eval: name, files }
    });
  }
  if (base.status === 'ambiguous') {
    const files = base.files.map((f) => f.source.path);
    s.add('evals.baseline-ambiguous', {
      message: `Eval ${name} has ${files.length} result files of one kind on base (${files.join(', ')}); no regression check`,
      observed: files,
      required: 'one results file of each kind per eval on base',
      location: locationOf(base.files[1] as LoadedRecord, pointer('eval')),
      evidence: { eval: name, files }
    });
  }
  if (head.status === 'none') {
    const required = s.requiredBy.length > 0;
    const baseFiles = resultPaths(base);
    const empty = head.emptyScores;
    s.add(required ? 'evals.missing-results' : 'evals.gate-without-results', {
      message:
        `Eval ${name} is ${s.why} but has no results on head: ` +
        (empty
          ? `its only results, ${empty.source.path}, report cases: 0, and scores of no cases are no evidence`
          : 'no eval_scores or per-case results file names it') +
        (baseFiles.length > 0 ? ` (the base branch has ${baseFiles.join(', ')})` : '') +
        (required ? '. No evidence is not a pass' : '; nothing requires it for this change, so this does not block'),
      observed: empty ? 0 : null,
      required: empty ? 'results of at least one case' : `results for eval ${name}`,
      location: empty ? locationOf(empty, pointer('cases')) : locationOf(s.def, pointer('metadata', 'name')),
      evidence: {
        eval: name,
        required_by: s.requiredBy,
        base_results: baseFiles,
        ...(empty ? { empty_results: empty.source.path } : {})
      }
    });
  }
}

function judgeMetric(s: Scope, plan: MetricPlan): Judged {
  const h = observe(s.head, plan);
  const b = observe(s.base, plan);
  const configBroken = checkThresholdConfig(s, plan, seenRange([h, b]));
  const failsThreshold =
    !configBroken && plan.threshold !== null && h.value !== null && !meets(h.value, plan.threshold);

  let verdict: Verdict = 'not_gated';
  if (plan.hasThreshold) {
    if (configBroken || s.head.status === 'ambiguous') verdict = 'fail';
    else if (h.value === null) verdict = 'missing';
    else verdict = failsThreshold ? 'fail' : 'pass';
  }
  // values outside the metric's range are bad evidence: the metric fails, with a threshold or without
  if (h.outside) verdict = 'fail';
  if (s.gated && s.head.status === 'ok') checkHead(s, plan, h, failsThreshold);
  if (s.gated && b.outside) reportOutOfRange(s, plan, b, 'evals.baseline-out-of-range');

  const c = compare(s, plan, h, b);
  if (c && s.gated && s.head.status === 'ok' && c.regression > s.settings.slack + 1e-12) {
    if (c.beyondNoise) verdict = 'fail';
    reportRegression(s, plan, c);
  }

  const tested = c && typeof c.noise === 'object' && c.noise !== null ? c.noise : null;
  return {
    configBroken,
    missingValues: s.head.status === 'ok' && h.sample && h.sample.values.length > 0 ? h.sample.missing : 0,
    headCases: h.sample ? h.sample.values.length + h.sample.missing + h.sample.outside : 0,
    evidence: {
      eval: s.name,
      metric: plan.metric.name,
      aggregate: plan.aggregate,
      direction: plan.direction,
      base: finiteOrNull(b.value),
      head: finiteOrNull(h.value),
      delta: h.value !== null && b.value !== null ? finiteOrNull(h.value - b.value) : null,
      regression: c ? finiteOrNull(c.regression) : null,
      threshold: plan.threshold ? thresholdJson(plan, plan.threshold) : null,
      verdict,
      noise: tested && {
        method: tested.method,
        interval: [tested.interval[0], tested.interval[1]],
        confidence: tested.confidence,
        significant: tested.significant
      },
      cases: { base: b.cases, head: h.cases }
    }
  };
}

/**
 * A metric's head value against its base value under one definition (`plan`): the regression in the bad
 * direction and, when both sides have per-case values, the noise test. null without both values or a direction.
 */
function compare(s: Scope, plan: MetricPlan, h: Observation, b: Observation): Comparison | null {
  if (h.value === null || b.value === null || !plan.direction) return null;
  const regression = regressionOf(b.value, h.value, plan.direction);
  let noise: NoiseResult | string | null = null;
  if (h.from === 'cases' && b.from === 'cases' && h.sample && b.sample) {
    noise = noiseTest(h.sample.values, b.sample.values, plan.aggregate, plan.direction, {
      confidence: s.settings.confidence,
      resamples: s.settings.resamples,
      seed: hashSeed(s.settings.seed, s.name, plan.metric.name)
    });
  }
  const beyondNoise = typeof noise !== 'object' || noise === null || noise.significant;
  return { head: h, base: b, regression, noise, beyondNoise };
}

/** Findings about how a threshold is written. Returns whether it is broken (the metric cannot pass). */
function checkThresholdConfig(s: Scope, plan: MetricPlan, seen: Seen | null): boolean {
  const m = plan.metric.name;
  const base = { location: locationOf(s.def, pointer('spec', 'thresholds', m)), subject: `${s.name}/${m}` };
  const written = toJson(plan.written);
  if (plan.thresholdProblem === 'evals.threshold-ambiguous') {
    const v = formatNumber(Number(plan.written));
    s.add('evals.threshold-ambiguous', {
      ...base,
      message: `${s.name}: ${plan.problemMessage}`,
      observed: written,
      required: 'a comparator string or a declared direction',
      evidence: { eval: s.name, metric: m, type: plan.metric.type, written },
      fix: `Write "<=${v}" or ">=${v}", or declare direction: lower_is_better / higher_is_better on metric ${m}.`
    });
    return true;
  }
  if (plan.thresholdProblem === 'evals.threshold-invalid') {
    s.add('evals.threshold-invalid', {
      ...base,
      message: `${s.name}: ${plan.problemMessage}`,
      observed: written,
      required: 'a number or "<x", "<=x", ">x", ">=x", "==x"',
      evidence: { eval: s.name, metric: m, type: plan.metric.type, written }
    });
    return true;
  }
  const t = plan.threshold;
  if (!t) return false;
  if (plan.thresholdProblem === 'evals.threshold-conflict') {
    const declared = String(plan.metric.direction);
    s.add('evals.threshold-conflict', {
      ...base,
      message:
        `${s.name}: threshold ${m}: ${JSON.stringify(plan.written)} passes ` +
        `${impliedDirection(t.comparator) === 'lower_is_better' ? 'low' : 'high'} values, but the metric declares ` +
        `direction: ${declared}`,
      observed: describeThreshold(t),
      required: `a comparator that agrees with direction: ${declared}`,
      evidence: { eval: s.name, metric: m, written, direction: declared }
    });
    return true;
  }
  const domain = metricDomain(plan.metric, plan.aggregate, seen);
  if (!neverFails(t, domain)) return false;
  s.add('evals.threshold-vacuous', {
    ...base,
    message: `${s.name}: ${vacuousMessage(plan, t, domain.why)}`,
    observed: describeThreshold(t),
    required: 'a threshold some value can fail',
    evidence: {
      eval: s.name,
      metric: m,
      type: plan.metric.type,
      aggregate: plan.aggregate,
      written,
      read_as: describeThreshold(t),
      read_by: t.read_by,
      range: [finiteOrNull(domain.min), finiteOrNull(domain.max)]
    },
    fix: vacuousFix(plan, t)
  });
  return true;
}

/** A gated eval's head value against its threshold, values outside the metric's range, and the results' consistency. */
function checkHead(s: Scope, plan: MetricPlan, h: Observation, failsThreshold: boolean): void {
  const m = plan.metric.name;
  const subject = `${s.name}/${m}`;
  const head = s.head as SideResults & { status: 'ok' };
  if (h.outside) reportOutOfRange(s, plan, h, 'evals.value-out-of-range');
  if (plan.hasThreshold && h.value === null && !h.outside) {
    s.add('evals.missing-metric', {
      message: `${s.name}: ${m} has a threshold but no value in the head results (${missingMetricDetail(plan, head, h)})`,
      observed: null,
      required: plan.threshold ? describeThreshold(plan.threshold) : toJson(plan.written),
      location: locationOf(s.def, pointer('spec', 'metrics', plan.index)),
      evidence: {
        eval: s.name,
        metric: m,
        column: plan.column,
        results: resultPaths(head),
        columns: head.cases ? Object.keys(head.cases.data.columns).sort(cmp) : []
      },
      fix: missingMetricFix(plan, head),
      subject
    });
  }
  if (failsThreshold && plan.threshold && h.value !== null) {
    s.add('evals.threshold', {
      message: `${s.name}: ${m} is ${formatNumber(h.value)} (${describeValue(plan, h)}), required ${describeThreshold(plan.threshold)}`,
      observed: finiteOrNull(h.value),
      required: describeThreshold(plan.threshold),
      location: locationOf(s.def, pointer('spec', 'thresholds', m)),
      evidence: {
        eval: s.name,
        metric: m,
        aggregate: h.from === 'cases' ? plan.aggregate : 'as reported',
        observed: finiteOrNull(h.value),
        threshold: thresholdJson(plan, plan.threshold),
        cases: h.cases,
        results: where(h.location)
      },
      subject
    });
  }
  if (h.from === 'cases' && h.shadowedScore && h.value !== null && !agrees(h.shadowedScore.value, h.value)) {
    s.add('evals.results-inconsistent', {
      message:
        `${s.name}: ${m} is ${formatNumber(h.shadowedScore.value)} in ${h.shadowedScore.location.file} but ` +
        `${formatNumber(h.value)} (${describeValue(plan, h)}) in ${h.location?.file}; the per-case value is used`,
      observed: finiteOrNull(h.shadowedScore.value),
      required: finiteOrNull(h.value),
      location: h.shadowedScore.location,
      evidence: { eval: s.name, metric: m, scores: finiteOrNull(h.shadowedScore.value), cases: finiteOrNull(h.value) },
      subject
    });
  }
}

/**
 * Values outside the metric's range on one side: on head a deny (the metric fails), on base a warning (they are
 * left out of the baseline). One finding for the per-case values, located at the first, and one for the score.
 */
function reportOutOfRange(
  s: Scope,
  plan: MetricPlan,
  o: Observation,
  rule: 'evals.value-out-of-range' | 'evals.baseline-out-of-range'
): void {
  const m = plan.metric.name;
  const subject = `${s.name}/${m}`;
  const read = plan.column !== m ? ` (read from ${plan.column})` : '';
  const onBase = rule === 'evals.baseline-out-of-range';
  const cases = o.outside?.cases;
  if (cases) {
    const shown = cases.examples.map(
      (e) =>
        `${e.location.line !== undefined ? `line ${e.location.line}` : `case ${e.row + 1}`}: ${formatNumber(e.value)}`
    );
    const more = cases.count > cases.examples.length ? `, and ${cases.count - cases.examples.length} more` : '';
    s.add(rule, {
      message:
        `${s.name}: ${m}${read} has a value outside its range in ${cases.count} of ${cases.of} ` +
        `case${cases.of === 1 ? '' : 's'} of ${cases.file}${onBase ? ' on base' : ''} (${shown.join(', ')}${more}): ` +
        `${cases.range.why}. ` +
        (onBase ? 'They are left out of the baseline' : `Such values are not aggregated, and ${m} fails`),
      observed: cases.examples.map((e) => e.value),
      required: describeRange(cases.range),
      location: (cases.examples[0] as { location: Location }).location,
      evidence: {
        eval: s.name,
        metric: m,
        type: plan.metric.type,
        column: plan.column,
        file: cases.file,
        range: rangeJson(cases.range),
        outside: cases.count,
        cases: cases.of,
        examples: cases.examples.map((e) => ({ case: e.row + 1, line: e.location.line ?? null, value: e.value }))
      },
      subject
    });
  }
  const score = o.outside?.score;
  if (score) {
    s.add(rule, {
      message:
        `${s.name}: ${m} is ${formatNumber(score.value)} in ${score.location.file}${onBase ? ' on base' : ''}, ` +
        `outside the range of its ${plan.aggregate}: ${score.range.why}. ` +
        (onBase ? 'The score is not used as the baseline' : `The score is not used, and ${m} fails`),
      observed: score.value,
      required: describeRange(score.range),
      location: score.location,
      evidence: {
        eval: s.name,
        metric: m,
        type: plan.metric.type,
        aggregate: plan.aggregate,
        file: score.location.file,
        range: rangeJson(score.range),
        value: score.value
      },
      subject
    });
  }
}

function describeRange(r: TypeRange): string {
  if (r.ends) return `${formatNumber(r.min)} or ${formatNumber(r.max)}`;
  if (r.max === Infinity) return `>= ${formatNumber(r.min)}`;
  return `between ${formatNumber(r.min)} and ${formatNumber(r.max)}`;
}

function rangeJson(r: TypeRange): Json {
  return r.ends ? [r.min, r.max] : { min: finiteOrNull(r.min), max: finiteOrNull(r.max) };
}

interface Comparison {
  head: Observation;
  base: Observation;
  regression: number;
  noise: NoiseResult | string | null;
  beyondNoise: boolean;
}

function reportRegression(s: Scope, plan: MetricPlan, c: Comparison): void {
  const direction = plan.direction as Direction;
  const m = plan.metric.name;
  const [base, head] = [c.base.value as number, c.head.value as number];
  const slack = formatPercent(s.settings.slack);
  const bound = slackBound(base, direction, s.settings.slack);
  s.add(c.beyondNoise ? 'evals.regression' : 'evals.regression-within-noise', {
    message:
      `${s.name}: ${m} ${direction === 'higher_is_better' ? 'fell' : 'rose'} from ${formatNumber(base)} on base to ` +
      `${formatNumber(head)} on head, ${base === 0 ? formatNumber(c.regression) : formatPercent(c.regression)} worse, ` +
      `beyond the ${slack} regression slack; ${noiseSentence(c.noise)}`,
    observed: finiteOrNull(head),
    required: `${direction === 'higher_is_better' ? '>=' : '<='} ${formatNumber(bound)} (base ${formatNumber(base)} with ${slack} slack)`,
    location: c.head.location ?? locationOf(s.def, pointer('spec', 'metrics', plan.index)),
    evidence: {
      eval: s.name,
      metric: m,
      aggregate: plan.aggregate,
      direction,
      base: finiteOrNull(base),
      head: finiteOrNull(head),
      regression: finiteOrNull(c.regression),
      slack: s.settings.slack,
      base_results: where(c.base.location),
      head_results: where(c.head.location),
      noise: noiseJson(c.noise)
    },
    subject: `${s.name}/${m}`
  });
}

/** Cases without values, and a scores file whose case count disagrees with the per-case table. */
function checkCaseQuality(s: Scope, judged: Judged[]): void {
  if (s.head.status !== 'ok' || !s.head.cases) return;
  const { cases, scores } = s.head;
  const limit = s.settings.maxMissingShare;
  // a gating metric measured on too few of its cases: its aggregate may stand on the ones that pass
  const tooMany = s.gated
    ? judged.filter((j) => j.evidence.threshold !== null && j.missingValues > limit * j.headCases)
    : [];
  const many = new Set(tooMany);
  for (const j of tooMany) {
    const metric = j.evidence.metric;
    const share = j.missingValues / j.headCases;
    s.add('evals.values-missing', {
      message:
        `${s.name}: ${metric} has no value in ${j.missingValues} of ${j.headCases} cases ` +
        `(${formatPercent(share)}); required: at most ${formatPercent(limit)} (evals.max_missing_share), so that its ` +
        'aggregate does not stand on the cases that have one',
      observed: { missing: j.missingValues, cases: j.headCases, share },
      required: `at most ${formatPercent(limit)} of the cases without a value`,
      location: locationOf(cases, ''),
      evidence: { eval: s.name, metric, missing: j.missingValues, cases: j.headCases, limit },
      subject: `${s.name}/${metric}`
    });
  }
  const gaps = judged
    .filter((j) => j.missingValues > 0 && !many.has(j))
    .map((j) => ({ metric: j.evidence.metric, missing: j.missingValues, cases: j.headCases }));
  if (gaps.length > 0) {
    s.add('evals.cases-missing-values', {
      message:
        `${s.name}: ` +
        gaps.map((g) => `${g.metric} has no value in ${g.missing} of ${g.cases} cases`).join('; ') +
        '; those cases are left out of the aggregates',
      observed: gaps.map((g) => ({ ...g })),
      required: 'a value for every case',
      location: locationOf(cases, ''),
      evidence: { eval: s.name, metrics: gaps.map((g) => ({ ...g })) }
    });
  }
  const claimed = scores?.data.cases;
  if (scores && typeof claimed === 'number' && claimed !== cases.data.cases) {
    s.add('evals.results-inconsistent', {
      message: `${s.name}: ${scores.source.path} reports ${claimed} cases but ${cases.source.path} has ${cases.data.cases}`,
      observed: claimed,
      required: cases.data.cases,
      location: locationOf(scores, pointer('cases')),
      evidence: { eval: s.name, scores_cases: claimed, table_cases: cases.data.cases }
    });
  }
}

/**
 * A change to a gating Eval that lets through results the base branch's version would fail: what changed,
 * base → head, and the head results judged by the base branch's definition of each metric the change touches.
 */
function checkLoosening(s: Scope, baseDef: Rec<'eval'>, judged: Judged[]): void {
  const wasGating = baseDef.data.spec?.releaseGate?.enabled === true;
  if (!(s.gated || wasGating) || baseDef.source.sha256 === s.def.source.sha256) return;
  const head = s.def.data;
  const changes: Loosening[] = [];
  if (wasGating && head.spec?.releaseGate?.enabled !== true) {
    changes.push({
      what: 'releaseGate disabled',
      base: true,
      head: head.spec?.releaseGate?.enabled === false ? false : null,
      pointer: pointer('spec')
    });
  }
  const headPlans = new Map(metricPlans(head).plans.map((p) => [p.metric.name, p]));
  const headVerdicts = new Map(judged.map((j) => [j.evidence.metric, j.evidence.verdict]));
  const failures: BaseDefinitionFailure[] = [];
  for (const b of metricPlans(baseDef.data).plans) {
    const h = headPlans.get(b.metric.name) ?? null;
    const found = metricLoosening(b, h);
    changes.push(...found.changes);
    if (found.changes.length === 0 && found.latent.length === 0) continue;
    // results the head's definition already fails are blocked anyway
    if (h && headVerdicts.get(h.metric.name) === 'fail') continue;
    const failure = judgeUnderBase(s, b);
    if (!failure) continue;
    failures.push(failure);
    changes.push(...found.latent);
  }
  if (changes.length === 0) return;
  const plain = (c: Loosening): Json => ({ what: c.what, base: c.base, head: c.head });
  s.add('evals.gate-weakened', {
    message:
      `${s.name}: this change loosens the eval's gate: ${changes.map(describeLoosening).join('; ')}` +
      (failures.length > 0
        ? `. Judged by the base branch's definition, the head results fail, where the head's definition lets them ` +
          `pass: ${failures.map((f) => f.text).join('; ')}`
        : ''),
    observed: changes.map(plain),
    required: "the base branch's gate, or an agreed loosening",
    location: locationOf(s.def, (changes[0] as Loosening).pointer),
    evidence: {
      eval: s.name,
      base_file: baseDef.source.path,
      changes: changes.map(plain),
      base_definition_fails: failures.map((f) => ({
        metric: f.metric,
        reason: f.reason,
        observed: f.observed,
        required: f.required
      }))
    }
  });
}

function evalVerdict(gated: boolean, head: SideResults, configBroken: boolean, metrics: MetricEvidence[]): Verdict {
  if (!gated) return 'not_gated';
  if (head.status === 'ambiguous' || configBroken) return 'fail';
  if (head.status === 'none') return 'missing';
  if (metrics.some((m) => m.verdict === 'fail')) return 'fail';
  if (metrics.some((m) => m.verdict === 'missing')) return 'missing';
  return 'pass';
}

function thresholdJson(plan: MetricPlan, t: Threshold): NonNullable<MetricEvidence['threshold']> {
  return { written: toJson(plan.written), comparator: t.comparator, value: t.value };
}

function where(location: Location | null): Json {
  return location ? { file: location.file, pointer: location.pointer ?? '' } : null;
}

// ---------------------------------------------------------------------------------------------------
// Wording

function describeValue(plan: MetricPlan, o: Observation): string {
  if (o.from === 'scores') return `as reported in ${o.location?.file}${o.cases !== null ? `, ${o.cases} cases` : ''}`;
  const of = `of ${o.cases} case${o.cases === 1 ? '' : 's'}`;
  if (plan.aggregate === 'rate') return `share of values >= ${RATE_PASS_AT} ${of}`;
  return `${plan.aggregate} ${of}`;
}

function vacuousMessage(plan: MetricPlan, t: Threshold, domainWhy: string): string {
  const m = plan.metric;
  const written = typeof plan.written === 'string' ? JSON.stringify(plan.written) : formatNumber(Number(plan.written));
  const how =
    t.read_by === 'direction'
      ? `is read as "${describeThreshold(t)}" (${declaredDirection(m) ? `direction: ${declaredDirection(m)}` : `${m.type} metrics are higher_is_better unless they declare direction`})`
      : `reads "${describeThreshold(t)}"`;
  const of = plan.aggregate === 'rate' ? `its ${plan.aggregate}` : `its ${plan.aggregate} value`;
  return `threshold ${m.name}: ${written} ${how}, and ${of} can never fail it: ${domainWhy}`;
}

function vacuousFix(plan: MetricPlan, t: Threshold): string {
  const m = plan.metric.name;
  if (t.comparator === '>=' || t.comparator === '>') {
    return (
      `If ${m} must stay low, declare direction: lower_is_better on the metric or write "<=${formatNumber(t.value)}"; ` +
      `otherwise raise the bound to the lowest acceptable value.`
    );
  }
  return `If ${m} must stay high, write ">=" and the lowest acceptable value; otherwise lower the bound to the highest acceptable value.`;
}

function missingMetricDetail(plan: MetricPlan, head: SideResults & { status: 'ok' }, o: Observation): string {
  const parts: string[] = [];
  if (head.cases) {
    const columns = Object.keys(head.cases.data.columns).sort(cmp);
    if (o.sample)
      parts.push(`every one of the ${head.cases.data.cases} cases in ${head.cases.source.path} lacks ${plan.column}`);
    else {
      parts.push(
        `${head.cases.source.path} has no column ${plan.column}; its columns are ${columns.length > 0 ? columns.join(', ') : 'none'}`
      );
    }
  }
  if (head.scores) parts.push(`${head.scores.source.path} has no metrics.${plan.metric.name}`);
  return parts.join('; ');
}

function missingMetricFix(plan: MetricPlan, head: SideResults & { status: 'ok' }): string | undefined {
  // latency_p95_ms with a latency_ms column: the metric names its aggregate and the column it reads
  const match = /_?(p50|p95|p99|mean|max|min|sum|rate)(?=_|$)/.exec(plan.metric.name);
  if (!head.cases || !match) return undefined;
  const column = plan.metric.name.slice(0, match.index) + plan.metric.name.slice(match.index + match[0].length);
  if (!Object.hasOwn(head.cases.data.columns, column)) return undefined;
  return `The per-case results have ${column}: declare source: ${column} and aggregate: ${match[1]} on metric ${plan.metric.name}.`;
}

function noiseSentence(noise: NoiseResult | string | null): string {
  if (noise === null) return 'no per-case results on both sides to tell noise from a real drop';
  if (typeof noise === 'string') return noise;
  const interval = `[${formatNumber(noise.interval[0])}, ${formatNumber(noise.interval[1])}]`;
  const how = noise.method === 'fisher' && noise.p !== null ? `Fisher's exact test p = ${formatP(noise.p)}; ` : '';
  return noise.significant
    ? `the drop is beyond noise (${how}${formatPercent(noise.confidence)} interval of head − base ${interval})`
    : `the drop is within noise (${how}${formatPercent(noise.confidence)} interval of head − base ${interval})`;
}

function noiseJson(noise: NoiseResult | string | null): Json {
  if (noise === null) return { tested: false, reason: 'no per-case results on both sides' };
  if (typeof noise === 'string') return { tested: false, reason: noise };
  return {
    tested: true,
    method: noise.method,
    detail: noise.detail,
    interval: [noise.interval[0], noise.interval[1]],
    confidence: noise.confidence,
    significant: noise.significant,
    p: noise.p === null ? null : finiteOrNull(noise.p)
  };
}

function describeLoosening(c: Loosening): string {
  const show = (v: Json): string => (v === null ? 'none' : String(v));
  return `${c.what} (base ${show(c.base)}, head ${show(c.head)})`;
}

/** Whether a written score equals the per-case aggregate to the precision the score was written with. */
function agrees(score: number, computed: number): boolean {
  const text = String(score);
  const decimals = text.includes('e')
    ? Math.max(0, -Number(text.split('e')[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0))
    : (text.split('.')[1]?.length ?? 0);
  const tolerance = 0.5 * 10 ** -decimals + 1e-9 * Math.max(Math.abs(score), Math.abs(computed));
  return Math.abs(score - computed) <= tolerance;
}

/** A close name: equal ignoring case and separators, or within two edits. */
function suggest(name: string, candidates: string[]): string | null {
  if (name.length > 200) return null;
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s.]/g, '');
  let best: { name: string; distance: number } | null = null;
  for (const c of [...candidates].sort(cmp)) {
    if (c === name) continue;
    const distance = norm(c) === norm(name) ? 0 : editDistance(name, c, 2);
    if (distance <= 2 && (best === null || distance < best.distance)) best = { name: c, distance };
  }
  return best && (best.distance === 0 || name.length > 3) ? best.name : null;
}

/** Levenshtein distance within a band of `limit` around the diagonal; limit + 1 when it is larger. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const far = limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : far));
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(far);
    row[0] = i <= limit ? i : far;
    let rowMin = row[0];
    for (let j = Math.max(1, i - limit); j <= Math.min(b.length, i + limit); j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost, far);
      row[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return far;
    prev = row;
  }
  return prev[b.length] as number;
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

function toJson(v: unknown): Json {
  if (v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  try {
    return JSON.parse(JSON.stringify(v)) as Json;
  } catch {
    return String(v);
  }
}
