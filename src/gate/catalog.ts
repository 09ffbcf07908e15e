/** Every rule the gate knows, for `agent-gate explain`, SARIF rule metadata, config validation and docs/rules.md. */
import type { RuleSpec } from '../model/finding.js';
import { RULES as AGBOM } from './agbom.js';
import { RULES as APPROVALS } from './approvals.js';
import { RULES as BASE_RECORDS } from './base-records.js';
import { RULES as DRIFT } from './drift.js';
import { RULES as EVALS } from './evals.js';
import { RULES as INTEGRITY } from './integrity.js';
import { RULES as REVIEW } from './review.js';
import { RULES as ROLLOUT } from './rollout.js';

export const ALL_RULES: readonly RuleSpec[] = [REVIEW, ROLLOUT, EVALS, DRIFT, AGBOM, APPROVALS, INTEGRITY, BASE_RECORDS]
  .flatMap((table) => Object.values(table) as RuleSpec[])
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export const RULE_IDS: readonly string[] = ALL_RULES.map((r) => r.id);

export function findRule(id: string): RuleSpec | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
