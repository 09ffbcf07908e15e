/**
 * The gate configuration, `.github/agent-gate.yml`, after defaults are applied.
 * Keys are the file's keys (snake_case). Defaults live in src/settings/defaults.ts only.
 */
import type { Severity } from './finding.js';

export interface RecordsConfig {
  /** globs (relative to the repository root) that select record files */
  include: string[];
  exclude: string[];
  /** per-file size cap in bytes (JSON Lines eval results and AgBOMs use `max_evidence_bytes`) */
  max_file_bytes: number;
  /** size cap for per-case eval results and AgBOM files, which are streamed or large by nature */
  max_evidence_bytes: number;
  /** cap on the number of files the globs may select */
  max_files: number;
  /** when false (default) a configuration whose globs select no record is an error */
  allow_empty: boolean;
}

export interface RoleConfig {
  users: string[];
  /** "org/team-slug" */
  teams: string[];
}

/** A derived signal: evidence the gate computes rather than a value someone asserted. */
export type SignalSource =
  | { eval: string } // the named Eval has results and passes every threshold
  | { approval: string } // the named role approved on the current head
  | { file: string }; // a file exists at this path in the head tree (e.g. a rollback plan)

export interface GateConfig {
  version: 1;
  /** distinguishes two gates in one repository (comment marker, SARIF category) */
  key: string;
  records: RecordsConfig;
  /** surface name (prompts, model_routing, tool_exposure, policy_bundle, …) → path globs */
  surfaces: Record<string, string[]>;
  /** role name (release-manager, safety, runtime_owner, …) → who holds it */
  roles: Record<string, RoleConfig>;
  approvals: {
    /** count approvals given on an earlier commit of the PR (default false: only the head commit) */
    accept_stale: boolean;
    /** roles every agent change needs, in addition to those the records name */
    required_roles: string[];
  };
  evals: {
    /** relative regression against the base branch tolerated before it is a finding (0.05 = 5%) */
    regression_slack: number;
    /** confidence level of the noise test on per-case results */
    confidence: number;
    /** share of cases a thresholded metric of a gating eval may lack a value in (0.1 = 10%) */
    max_missing_share: number;
    /** bootstrap resamples for the noise test (deterministic, seeded) */
    bootstrap_resamples: number;
    seed: number;
    /** promptfoo results files and the Eval each belongs to */
    promptfoo: { path: string; eval: string }[];
  };
  drift: {
    /** |replay − live| / live on total tokens (0.01 = 1%) */
    max_token_drift: number;
    /** |replay − live| / live on cost (0.005 = 0.5%) */
    max_cost_drift: number;
  };
  agbom: {
    /** components with a trust score below this are high-risk */
    min_trust_score: number;
  };
  signals: Record<string, SignalSource>;
  integrity: {
    /** the gate's own files: a change to any of them needs `owner_role`'s approval */
    paths: string[];
    owner_role: string;
  };
  /** rule id → severity override, or "off" */
  rules: Record<string, Severity | 'off'>;
}
