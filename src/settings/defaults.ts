/**
 * Every default in one place. The configuration file and the action inputs are merged over these
 * (inputs override the file); action.yml repeats the input defaults only as documentation.
 */
import type { GateConfig } from '../model/config.js';

export const DEFAULT_CONFIG_PATH = '.github/agent-gate.yml';

export const DEFAULT_CONFIG: GateConfig = {
  version: 1,
  key: 'agent-release-gate',
  records: {
    include: ['records/**/*.{yaml,yml,json,jsonl}'],
    // C2PA manifests are evidence replay receipts point at (hashed, never read as records)
    exclude: ['**/*.c2pa.json'],
    max_file_bytes: 1024 * 1024,
    max_evidence_bytes: 512 * 1024 * 1024,
    max_files: 5000,
    allow_empty: false
  },
  surfaces: {
    prompts: ['**/prompts/**', '**/*.prompt', '**/*.prompt.{md,txt,yaml,yml}'],
    model_routing: ['**/routing.{yaml,yml,json}', '**/model-routing/**', '**/models.{yaml,yml,json}'],
    tool_exposure: ['**/tools.{yaml,yml,json}', '**/tools/**', '**/mcp.{yaml,yml,json}', '**/mcp/**'],
    policy_bundle: ['**/policy/**', '**/policies/**', '**/*.rego']
  },
  roles: {},
  approvals: {
    accept_stale: false,
    required_roles: []
  },
  evals: {
    regression_slack: 0.05,
    confidence: 0.95,
    max_missing_share: 0.1,
    bootstrap_resamples: 2000,
    seed: 20260407,
    promptfoo: []
  },
  drift: {
    max_token_drift: 0.01,
    max_cost_drift: 0.005
  },
  agbom: {
    min_trust_score: 0.7
  },
  signals: {},
  integrity: {
    paths: ['.github/agent-gate.yml', '.github/agent-gate/**', '.github/workflows/**'],
    owner_role: 'release-manager'
  },
  rules: {}
};

export type CommentMode = 'always' | 'on-failure' | 'never';
export type FailOn = 'deny' | 'follow_up';
export type TrustConfigFrom = 'base' | 'head';

/** Action input defaults (action.yml shows the same values). */
export const INPUT_DEFAULTS = {
  config: DEFAULT_CONFIG_PATH,
  comment: 'always' as CommentMode,
  failOn: 'follow_up' as FailOn,
  warnOnly: false,
  trustConfigFrom: 'base' as TrustConfigFrom,
  decisionFile: 'agent-gate-decision.json',
  workingDirectory: '.'
};

/** Size limits of what the gate writes (GitHub's own limits, with margin). */
export const LIMITS = {
  commentChars: 65_536,
  summaryBytes: 1024 * 1024,
  annotationsPerLevel: 10,
  /** record errors shown in the comment; every one is kept in the decision file */
  errorsInComment: 50
};
