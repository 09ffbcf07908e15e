/**
 * Files are identified by what they hold, never by their name; a file that is no known kind gets a sentence
 * that says why (a misspelt kind, an unsupported apiVersion, a change and a rollout policy in one file, …).
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { classify, describeUnknown } from '../classify.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (path: string): unknown => {
  const text = readFileSync(join(FIXTURES, path), 'utf8');
  return path.endsWith('.json') ? JSON.parse(text) : parse(text);
};

describe('classify', () => {
  test.each([
    ['seeds/change_review_record.yaml', 'change_review_record'],
    ['seeds/rollout_gate_record.yaml', 'rollout_gate_record'],
    ['seeds/change.yaml', 'change'],
    ['seeds/rollout.yaml', 'rollout_policy'],
    ['seeds/eval.support-triage-quality.yaml', 'eval'],
    ['seeds/deployment.support-triage-prod.yaml', 'deployment'],
    ['records/rollout_assessment.yaml', 'rollout_assessment'],
    ['records/eval_scores.yaml', 'eval_scores'],
    ['records/replay_receipts.json', 'replay_receipts'],
    ['records/promptfoo-results.json', 'promptfoo_results'],
    ['agbom/support-triage-1.5.cdx.json', 'agbom'],
    ['agbom/support-triage-1.6.cdx.json', 'agbom'],
    ['agbom/support-triage-1.7.cdx.json', 'agbom'],
    // an unsupported CycloneDX version is still an AgBOM: validation explains the version
    ['agbom/legacy-1.4.cdx.json', 'agbom']
  ])('%s is a %s', (file, kind) => {
    expect(classify(fixture(file))).toBe(kind);
  });

  test('the kind comes from the content, not from key order or extra fields', () => {
    expect(classify({ review_id: 'r', kind: 'change_review_record' })).toBe('change_review_record');
    // a malformed record of a known kind is still that kind: the schema then says what is wrong with it
    expect(classify({ kind: 'rollout_gate_record' })).toBe('rollout_gate_record');
    expect(classify({ apiVersion: 'joch.dev/v1alpha1', kind: 'Eval' })).toBe('eval');
  });

  test.each([
    ['a list', [1, 2]],
    ['a string', 'kind: change_review_record'],
    ['null', null],
    ['an empty mapping', {}],
    ['a misspelt kind', { kind: 'change_reviw_record' }],
    ['a kind that is not a string', { kind: 3 }],
    ['an Eval without apiVersion', { kind: 'Eval', spec: {} }],
    ['an unsupported apiVersion', { apiVersion: 'joch.dev/v1', kind: 'Eval' }],
    ['a change and a rollout policy in one file', { change: {}, rollout: {} }],
    ['a lower-case bomFormat', { bomFormat: 'cyclonedx', specVersion: '1.6' }],
    ['an unrelated YAML file', { name: 'CI', on: ['push'], jobs: {} }],
    ['a results-like file without promptfoo markers', { results: { results: [] } }]
  ])('%s is no known kind', (_what, value) => {
    expect(classify(value)).toBeNull();
  });
});

describe('describeUnknown', () => {
  test.each([
    [
      { kind: 'change_reviw_record' },
      "kind 'change_reviw_record' is not a known record kind; did you mean 'change_review_record'?"
    ],
    [
      { kind: 'deployment_record' },
      "kind 'deployment_record' is not a known record kind; known kinds: change_review_record, rollout_gate_record, rollout_assessment, eval_scores, replay_receipts, and Eval/Deployment"
    ],
    [
      { kind: 'eval' },
      "kind 'eval' is not a known record kind; did you mean 'Eval' (with apiVersion: joch.dev/v1alpha1)?"
    ],
    [{ kind: 'Eval' }, "kind 'Eval' needs apiVersion: joch.dev/v1alpha1"],
    [{ kind: ['Eval'] }, 'kind must be a string naming the record kind; got a list (1 entry)'],
    [
      { apiVersion: 'joch.dev/v1', kind: 'Eval' },
      "apiVersion 'joch.dev/v1' is not supported: Eval and Deployment records use apiVersion joch.dev/v1alpha1; did you mean 'joch.dev/v1alpha1'?"
    ],
    [
      { apiVersion: 'joch.dev/v1alpha1', kind: 'Evals' },
      "kind 'Evals' is not a known joch.dev/v1alpha1 kind (Eval, Deployment); did you mean 'Eval'?"
    ],
    [
      { apiVersion: 'joch.dev/v1alpha1' },
      'a record with apiVersion joch.dev/v1alpha1 needs kind: Eval or kind: Deployment'
    ],
    [
      { apiVersion: 'joch.dev/v1alpha1', kind: 'rollout_gate_record' },
      "kind 'rollout_gate_record' records have no apiVersion; remove apiVersion, or use kind: Eval or kind: Deployment"
    ],
    [
      { change: {}, rollout: {} },
      "a change record file has 'change' as its only top-level key, but this file also has 'rollout'; put the change and the rollout policy in files of their own"
    ],
    [
      { rollout: {}, notes: 'x' },
      "a rollout policy file has 'rollout' as its only top-level key, but this file also has 'notes'"
    ],
    [{ changes: {} }, "top-level key 'changes' is not a record kind; did you mean 'change'?"],
    [
      { bomFormat: 'cyclonedx', specVersion: '1.6' },
      "bomFormat 'cyclonedx' is not 'CycloneDX'; an AgBOM is a CycloneDX JSON BOM with bomFormat 'CycloneDX'"
    ],
    [{ specVersion: '1.6', components: [] }, "this looks like a CycloneDX BOM but has no bomFormat: 'CycloneDX'"]
  ])('%j', (value, message) => {
    expect(describeUnknown(value)).toBe(message);
  });

  test('a file that is not a mapping', () => {
    expect(describeUnknown(['a', 'b'])).toMatch(
      /^the file holds a list \(2 entries\), not a mapping; a record is a YAML or JSON mapping \(a record has kind: change_review_record/
    );
    expect(describeUnknown(null)).toMatch(/^the file holds null, not a mapping/);
  });

  test('an unrelated file lists its top-level keys and what a record looks like', () => {
    expect(describeUnknown({ name: 'CI', on: ['push'], jobs: {}, env: {}, permissions: {}, concurrency: 'x' })).toBe(
      "no record kind could be identified (top-level keys: 'name', 'on', 'jobs', 'env', 'permissions', …); " +
        'a record has kind: change_review_record, rollout_gate_record, rollout_assessment, eval_scores or replay_receipts; ' +
        'or apiVersion: joch.dev/v1alpha1 with kind: Eval or Deployment; or a single top-level change: or rollout: mapping; ' +
        "or is a CycloneDX AgBOM (bomFormat: 'CycloneDX') or a promptfoo results file"
    );
  });

  test('keys and kinds from the file are quoted and cut short, never echoed raw', () => {
    const message = describeUnknown({ kind: `x\n::error::${'y'.repeat(300)}` });
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(300);
  });

  test('__proto__ and constructor are plain keys', () => {
    const value = JSON.parse('{"__proto__": {"kind": "change_review_record"}}') as unknown;
    expect(classify(value)).toBeNull();
    expect(describeUnknown(value)).toMatch(/^no record kind could be identified \(top-level keys: '__proto__'\)/);
    expect(classify(JSON.parse('{"constructor": {}}'))).toBeNull();
  });
});
