/**
 * What each rule family compared, for the reviewer's evidence diff (base → head).
 * Plain data: the renderers read it, the decision document carries it.
 */
import type { Json } from './finding.js';

export type Verdict = 'pass' | 'fail' | 'missing' | 'not_gated';

export interface MetricEvidence {
  eval: string;
  metric: string;
  aggregate: string;
  direction: 'higher_is_better' | 'lower_is_better' | null;
  base: number | null;
  head: number | null;
  /** head − base */
  delta: number | null;
  /** relative change in the bad direction (0.07 = 7% worse), null without a base */
  regression: number | null;
  /** the threshold as written and as read, e.g. { written: 0.85, comparator: ">=", value: 0.85 } */
  threshold: { written: Json; comparator: '<' | '<=' | '>' | '>=' | '=='; value: number } | null;
  verdict: Verdict;
  /** noise test on per-case results on both sides, when available */
  noise: {
    method: 'bootstrap' | 'fisher' | 'welch';
    /** interval of head − base at the configured confidence */
    interval: [number, number];
    confidence: number;
    /** true when the drop is beyond noise */
    significant: boolean;
  } | null;
  cases: { base: number | null; head: number | null };
}

export interface EvalEvidence {
  eval: string;
  required: boolean;
  /** why it is required: "change_review_record cr-… required_evals", "Deployment support-triage-prod" … */
  required_by: string[];
  verdict: Verdict;
  metrics: MetricEvidence[];
}

export type ComponentChange = 'added' | 'removed' | 'changed';

export interface ComponentEvidence {
  key: string;
  name: string;
  /** model | mcp_server | tool | prompt | policy | data | library | service | … */
  agent_kind: string;
  change: ComponentChange;
  base: { version: string | null; hashes: Record<string, string> } | null;
  head: { version: string | null; hashes: Record<string, string> } | null;
  /** field-level differences for `changed` (version, hashes, properties) */
  differences: { field: string; base: Json; head: Json }[];
  /** why it is high-risk, empty when it is not */
  risks: string[];
}

export interface AgbomEvidence {
  base_file: string | null;
  head_file: string | null;
  counts: { base: number; head: number; added: number; removed: number; changed: number; unchanged: number };
  components: ComponentEvidence[];
}

export interface RunDriftEvidence {
  run_id: string;
  file: string;
  tokens: { live: number; replay: number; drift: number | null; limit: number };
  cost: { live: number; replay: number; drift: number | null; limit: number };
  verdict_mismatches: { step_id: string; live: string; replay: string }[];
  missing_capability_tokens: string[];
  missing_manifests: string[];
  manifest_mismatches: { step_id: string; path: string; expected: string; actual: string | null }[];
  pass: boolean;
}

export interface RoleEvidence {
  role: string;
  required_by: string[];
  approved_by: string[];
  /** users who hold the role and could still approve (the PR author excluded) */
  eligible: string[];
  /** teams whose membership could not be read */
  unresolved_teams: string[];
  satisfied: boolean;
}

export interface ChainEvidence {
  change_id: string;
  review_id: string | null;
  bundle_id: string | null;
  rollout_wave: string | null;
  gate_id: string | null;
  decision: string | null;
}

export interface RolloutEvidence {
  required: string[];
  missing_required: string[];
  blocking_signals: string[];
  required_checks: { check: string; evidenced: boolean; source: string | null }[];
  rollout_mode: { [key: string]: Json } | null;
}

export interface SurfaceEvidence {
  surface: string;
  files: string[];
  covered_by: string[];
}

export interface Evidence {
  review: { surfaces: SurfaceEvidence[] };
  rollout: RolloutEvidence | null;
  evals: EvalEvidence[];
  drift: RunDriftEvidence[];
  agbom: AgbomEvidence | null;
  approvals: RoleEvidence[];
  chain: ChainEvidence[];
  signals: { name: string; value: boolean | null; source: string }[];
}
