/**
 * The record contracts as TypeScript types. Field names are the seed documents'
 * (change_review_record, rollout_gate_record, change.yaml, rollout.yaml, Eval, Deployment)
 * plus the formats this project defines (rollout_assessment, eval_scores, eval cases,
 * replay_receipts). schemas/*.schema.json is the published form; a test checks that
 * these types and the schemas agree.
 */

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export type ReviewStatus =
  'draft' | 'proposed' | 'in_review' | 'changes_requested' | 'approved' | 'rejected' | 'withdrawn';

/** seed 001 §3 */
export interface ChangeReviewRecord {
  kind: 'change_review_record';
  review_id: string;
  change_id: string;
  owner: string;
  change_type: string;
  risk_level: RiskLevel;
  affected_surfaces: string[];
  required_reviews: string[];
  required_evals: string[];
  status: ReviewStatus;
}

export type RolloutDecision = 'go' | 'no_go' | 'hold' | 'rollback';

/** A blocking finding in a rollout gate record: a bare string or an object with an id. */
export type BlockingFinding = string | { id: string; summary?: string; severity?: string; owner?: string };

/** seed 001 §4 */
export interface RolloutGateRecord {
  kind: 'rollout_gate_record';
  gate_id: string;
  change_id: string;
  bundle_id: string;
  rollout_wave: string;
  /** e.g. "5_percent", "5%", "internal_only", or a number of percent */
  traffic_scope: string | number;
  required_checks: string[];
  blocking_findings: BlockingFinding[];
  decision: RolloutDecision;
  decided_by: string[];
}

/** seed 001 §8: the agent_runtime_ref change.yaml (`change:` mapping) */
export interface ChangeRecordDoc {
  change: ChangeRecord;
}
export interface ChangeRecord {
  change_id: string;
  change_type: string;
  risk_level: RiskLevel;
  rollout_strategy: string;
  artifacts?: string[];
  affected_surfaces?: string[];
  required_signals?: string[];
  approval_roles?: string[];
  session_control_owner: string;
  emergency_freeze_owner: string;
}

/** seed 001 §8: the agent_runtime_ref rollout.yaml (`rollout:` mapping) */
export interface RolloutPolicyDoc {
  rollout: RolloutPolicy;
}
export interface RolloutPolicy {
  require: string[];
  block_if: string[];
  rollout_mode: RolloutMode;
}
export interface RolloutMode {
  initial?: string;
  max_tenant_exposure_pct?: number;
  require_shadow_period?: boolean;
  /** rollout_mode values must be scalar (seed 001 §8) */
  [key: string]: string | number | boolean | undefined;
}

/** Assessment signals (agent_runtime_ref): named booleans a team's CI or reviewers assert. */
export interface RolloutAssessment {
  kind: 'rollout_assessment';
  change_id?: string;
  signals: Record<string, boolean>;
  /** optional free-text evidence per signal (a link, a run id) */
  evidence?: Record<string, string>;
}

export type MetricType = 'llm_judge' | 'deterministic' | 'numeric';
export type Aggregate = 'mean' | 'rate' | 'p50' | 'p95' | 'p99' | 'max' | 'min' | 'sum';
export type Direction = 'higher_is_better' | 'lower_is_better';

export interface EvalMetric {
  name: string;
  type: MetricType;
  /** how per-case values become one number; default by type (see docs/records.md) */
  aggregate?: Aggregate;
  /** which way is good; llm_judge and deterministic default to higher_is_better, numeric has no default */
  direction?: Direction;
  /** the per-case field to read: a metric name, or `cost_usd` / `latency_ms`; default the metric's name */
  source?: string;
}

/** A threshold: a bare number (read by the metric's direction) or a comparator string like "<0.40", "<=3000", ">=0.85". */
export type Threshold = number | string;

/** seed 000 step 1 */
export interface EvalRecord {
  apiVersion: 'joch.dev/v1alpha1';
  kind: 'Eval';
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    target?: { kind: string; name: string };
    dataset?: { type: string; uri: string };
    metrics: EvalMetric[];
    schedule?: { onDeployment?: boolean; nightly?: boolean };
    thresholds?: Record<string, Threshold>;
    releaseGate?: { enabled: boolean; blocksPromotionTo?: string };
    /** AgBOM components (bom-ref or name) this eval vouches for: a model change they cover needs it to pass */
    covers?: string[];
  };
}

/** seed 000 step 2 */
export interface DeploymentRecord {
  apiVersion: 'joch.dev/v1alpha1';
  kind: 'Deployment';
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    agentRef: { name: string };
    environmentRef: { name: string };
    promotion?: {
      requiresEval?: string | string[];
      requiresApproval?: string | string[];
    };
  };
}

/** An aggregate scores file: one number per metric, already aggregated. */
export interface EvalScores {
  kind: 'eval_scores';
  eval: string;
  cases?: number;
  metrics: Record<string, number>;
}

/** One line of a per-case results file (JSON Lines). */
export interface EvalCaseLine {
  eval: string;
  case_id: string;
  metrics: Record<string, number | boolean>;
  cost_usd?: number;
  latency_ms?: number;
}

/**
 * Per-case results after reading (from JSON Lines or a promptfoo results file), columnar so that
 * a million cases stay small: one Float64Array per field, NaN where a case has no value.
 * Columns hold every metric name found plus `cost_usd` and `latency_ms` when present.
 * Row i of every column is the file's i-th case. The record's locate finds a row by the pointer
 * `/<row>/…` in JSON Lines: the case's own line, which is not line row + 1 once a blank line (skipped
 * when read) comes before it; in a promptfoo file a row is an entry of its results list.
 */
export interface EvalCaseTable {
  kind: 'eval_cases';
  eval: string;
  format: 'jsonl' | 'promptfoo';
  cases: number;
  columns: Record<string, Float64Array>;
}

export interface C2paManifestRef {
  /** path of the manifest file, relative to the receipt file's folder */
  path: string;
  sha256: string;
}

export interface TokenUsage {
  input: number;
  output: number;
}

export interface ReplayStep {
  step_id: string;
  tool: string;
  policy_verdict: string;
  capability_token?: string | null;
  c2pa_manifest?: C2paManifestRef | null;
  tokens?: TokenUsage;
  cost_usd?: number;
}

export interface RunTrace {
  run_id?: string;
  tokens: TokenUsage;
  cost_usd: number;
  steps: ReplayStep[];
}

export interface ReplayRun {
  run_id: string;
  change_id?: string;
  live: RunTrace;
  replay: RunTrace;
}

/** A set of replay receipts: each run recorded live and replayed. Format defined by this project. */
export interface ReplayReceipts {
  kind: 'replay_receipts';
  receipt_set_id?: string;
  agent?: string;
  runs: ReplayRun[];
}

/** CycloneDX JSON, validated against the official schema for its specVersion (1.5, 1.6, 1.7). Loosely typed here. */
export interface CycloneDxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.5' | '1.6' | '1.7';
  serialNumber?: string;
  version?: number;
  metadata?: { component?: CdxComponent; [k: string]: unknown };
  components?: CdxComponent[];
  services?: CdxService[];
  [k: string]: unknown;
}
export interface CdxProperty {
  name: string;
  value?: string;
}
export interface CdxHash {
  alg: string;
  content: string;
}
export interface CdxComponent {
  type: string;
  name: string;
  'bom-ref'?: string;
  group?: string;
  version?: string;
  purl?: string;
  hashes?: CdxHash[];
  properties?: CdxProperty[];
  components?: CdxComponent[];
  [k: string]: unknown;
}
export interface CdxService {
  name: string;
  'bom-ref'?: string;
  group?: string;
  version?: string;
  endpoints?: string[];
  properties?: CdxProperty[];
  services?: CdxService[];
  [k: string]: unknown;
}
