import type { Location } from './location.js';

/** deny blocks; follow_up needs a person's action; warning is shown and never blocks. */
export type Severity = 'deny' | 'follow_up' | 'warning';

export type Family = 'review' | 'rollout' | 'evals' | 'drift' | 'agbom' | 'approvals' | 'integrity';

export const FAMILIES: readonly Family[] = ['review', 'rollout', 'evals', 'drift', 'agbom', 'approvals', 'integrity'];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Finding {
  /** stable id, "<family>.<rule>", e.g. "evals.threshold" (see docs/rules.md and `agent-gate explain`) */
  rule: string;
  family: Family;
  severity: Severity;
  /** one line, no trailing period */
  title: string;
  /** names the observed and the required value */
  message: string;
  observed?: Json;
  required?: Json;
  location?: Location;
  /** what was compared (base/head values, digests, reviewers …) */
  evidence?: { [key: string]: Json };
  /** how to fix it */
  fix: string;
  /** what the finding is about (an eval/metric, a component key, a run id, a role) — keeps ids and sort order stable */
  subject?: string;
}

/** A rule as documented: used by the engine (default severity), `agent-gate explain` and docs/rules.md. */
export interface RuleSpec {
  id: string;
  family: Family;
  severity: Severity;
  title: string;
  /** what the rule checks and why, a short paragraph */
  description: string;
  /** how to fix a finding */
  fix: string;
}
