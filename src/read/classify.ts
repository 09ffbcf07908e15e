/**
 * Identify a parsed file's record kind from its content (never from its name), and explain a file that is no
 * known kind. JSON Lines files are always per-case eval results and never reach this module.
 */
import type { RecordKind } from '../model/input.js';
import { describeValue, nearest } from './validate.js';

export type ClassifiedKind = Exclude<RecordKind, 'eval_cases'> | 'promptfoo_results';

/** Record kinds named by a `kind:` field of their own. */
const KIND_FIELD: Readonly<Record<string, ClassifiedKind>> = {
  change_review_record: 'change_review_record',
  rollout_gate_record: 'rollout_gate_record',
  rollout_assessment: 'rollout_assessment',
  eval_scores: 'eval_scores',
  replay_receipts: 'replay_receipts'
};

export const JOCH_API_VERSION = 'joch.dev/v1alpha1';
/** `kind:` values of apiVersion joch.dev/v1alpha1 records. */
const JOCH_KINDS: Readonly<Record<string, ClassifiedKind>> = { Eval: 'eval', Deployment: 'deployment' };

/** Top-level keys of the agent_runtime_ref files (seed 001 §8): the file's only key. */
const WRAPPER_KEYS: Readonly<Record<string, ClassifiedKind>> = { change: 'change', rollout: 'rollout_policy' };

export function classify(value: unknown): ClassifiedKind | null {
  if (!isMapping(value)) return null;
  if (own(value, 'bomFormat') === 'CycloneDX') return 'agbom';
  const apiVersion = own(value, 'apiVersion');
  const kind = own(value, 'kind');
  if (apiVersion !== undefined) {
    return apiVersion === JOCH_API_VERSION && typeof kind === 'string' ? (lookup(JOCH_KINDS, kind) ?? null) : null;
  }
  if (kind !== undefined) return typeof kind === 'string' ? (lookup(KIND_FIELD, kind) ?? null) : null;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const wrapped = lookup(WRAPPER_KEYS, keys[0]!);
    if (wrapped) return wrapped;
  }
  if (isPromptfooResults(value)) return 'promptfoo_results';
  return null;
}

/**
 * Why `value` is no known record kind, as one sentence for the user: a misspelt kind (with the nearest known
 * one), an unsupported apiVersion, a `change:`/`rollout:` file with other keys, or what a record looks like.
 * Only meaningful when classify(value) is null.
 */
export function describeUnknown(value: unknown): string {
  if (!isMapping(value)) {
    return `the file holds ${describeValue(value)}, not a mapping; a record is a YAML or JSON mapping (${SHAPES})`;
  }
  const bomFormat = own(value, 'bomFormat');
  if (bomFormat !== undefined && bomFormat !== 'CycloneDX') {
    return `bomFormat ${show(bomFormat)} is not 'CycloneDX'; an AgBOM is a CycloneDX JSON BOM with bomFormat 'CycloneDX'`;
  }
  const apiVersion = own(value, 'apiVersion');
  const kind = own(value, 'kind');
  const jochKinds = Object.keys(JOCH_KINDS);
  if (apiVersion !== undefined) {
    if (apiVersion !== JOCH_API_VERSION) {
      return (
        `apiVersion ${show(apiVersion)} is not supported: Eval and Deployment records use apiVersion ${JOCH_API_VERSION}` +
        didYouMean(apiVersion, [JOCH_API_VERSION])
      );
    }
    if (kind === undefined) return `a record with apiVersion ${JOCH_API_VERSION} needs kind: Eval or kind: Deployment`;
    if (typeof kind !== 'string') return `kind must be a string (Eval or Deployment); got ${describeValue(kind)}`;
    if (lookup(KIND_FIELD, kind)) {
      return `kind '${kind}' records have no apiVersion; remove apiVersion, or use kind: Eval or kind: Deployment`;
    }
    return `kind ${show(kind)} is not a known ${JOCH_API_VERSION} kind (Eval, Deployment)${didYouMean(kind, jochKinds)}`;
  }
  if (kind !== undefined) {
    if (typeof kind !== 'string') return `kind must be a string naming the record kind; got ${describeValue(kind)}`;
    if (lookup(JOCH_KINDS, kind)) return `kind '${kind}' needs apiVersion: ${JOCH_API_VERSION}`;
    const known = Object.keys(KIND_FIELD);
    const near = nearest(kind, [...known, ...jochKinds]);
    if (near === undefined) {
      return `kind ${show(kind)} is not a known record kind; known kinds: ${known.join(', ')}, and Eval/Deployment`;
    }
    const needs = lookup(JOCH_KINDS, near) ? ` (with apiVersion: ${JOCH_API_VERSION})` : '';
    return `kind ${show(kind)} is not a known record kind; did you mean '${near}'${needs}?`;
  }
  const keys = Object.keys(value);
  for (const wrapper of Object.keys(WRAPPER_KEYS)) {
    if (!keys.includes(wrapper)) continue;
    const others = keys.filter((k) => k !== wrapper);
    const what = wrapper === 'change' ? 'a change record' : 'a rollout policy';
    const apart = others.some((k) => lookup(WRAPPER_KEYS, k))
      ? '; put the change and the rollout policy in files of their own'
      : '';
    return `${what} file has '${wrapper}' as its only top-level key, but this file also has ${others.map(show).join(', ')}${apart}`;
  }
  if (keys.length === 1) {
    const near = nearest(keys[0]!, Object.keys(WRAPPER_KEYS));
    if (near) return `top-level key ${show(keys[0])} is not a record kind; did you mean '${near}'?`;
  }
  if (
    own(value, 'specVersion') !== undefined &&
    (own(value, 'components') !== undefined || own(value, 'metadata') !== undefined)
  ) {
    return "this looks like a CycloneDX BOM but has no bomFormat: 'CycloneDX'";
  }
  const shown = keys.slice(0, 5).map(show).join(', ') + (keys.length > 5 ? ', …' : '');
  return `no record kind could be identified (top-level keys: ${keys.length === 0 ? 'none' : shown}); ${SHAPES}`;
}

const SHAPES =
  'a record has kind: change_review_record, rollout_gate_record, rollout_assessment, eval_scores or replay_receipts; ' +
  `or apiVersion: ${JOCH_API_VERSION} with kind: Eval or Deployment; or a single top-level change: or rollout: mapping; ` +
  "or is a CycloneDX AgBOM (bomFormat: 'CycloneDX') or a promptfoo results file";

/** promptfoo's `eval -o results.json`: { evalId, results: { version, results: [...] }, config, … }. */
function isPromptfooResults(value: Record<string, unknown>): boolean {
  const results = own(value, 'results');
  if (!isMapping(results) || !Array.isArray(own(results, 'results'))) return false;
  return (
    own(value, 'evalId') !== undefined || own(value, 'config') !== undefined || own(results, 'version') !== undefined
  );
}

function didYouMean(value: unknown, candidates: readonly string[]): string {
  if (typeof value !== 'string') return '';
  const near = nearest(value, candidates);
  return near === undefined ? '' : `; did you mean '${near}'?`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? describeValue(value, false) : describeValue(value);
}

function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function own(value: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
