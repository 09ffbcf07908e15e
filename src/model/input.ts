/** What the engine evaluates: everything already read, parsed and schema-checked. No I/O beyond this point. */
import type { GateConfig } from './config.js';
import type { RecordIssue } from './issue.js';
import type { Locator, Side, SourceFile } from './location.js';
import type {
  ChangeRecordDoc,
  ChangeReviewRecord,
  CycloneDxBom,
  DeploymentRecord,
  EvalCaseTable,
  EvalRecord,
  EvalScores,
  ReplayReceipts,
  RolloutAssessment,
  RolloutGateRecord,
  RolloutPolicyDoc
} from './records.js';

export interface RecordKinds {
  change_review_record: ChangeReviewRecord;
  rollout_gate_record: RolloutGateRecord;
  change: ChangeRecordDoc;
  rollout_policy: RolloutPolicyDoc;
  rollout_assessment: RolloutAssessment;
  eval: EvalRecord;
  deployment: DeploymentRecord;
  eval_scores: EvalScores;
  eval_cases: EvalCaseTable;
  agbom: CycloneDxBom;
  replay_receipts: ReplayReceipts;
}
export type RecordKind = keyof RecordKinds;

export const RECORD_KINDS: readonly RecordKind[] = [
  'change_review_record',
  'rollout_gate_record',
  'change',
  'rollout_policy',
  'rollout_assessment',
  'eval',
  'deployment',
  'eval_scores',
  'eval_cases',
  'agbom',
  'replay_receipts'
];

export interface Rec<K extends RecordKind = RecordKind> {
  kind: K;
  source: SourceFile;
  data: RecordKinds[K];
  /** JSON pointer → line/column in `source` */
  locate: Locator;
}
export type LoadedRecord = { [K in RecordKind]: Rec<K> }[RecordKind];

/** A file a record points at (a C2PA manifest), hashed by the reader. */
export type ArtifactDigest =
  { status: 'ok'; sha256: string; bytes: number } | { status: 'missing' | 'rejected'; reason: string };

export interface RecordSet {
  side: Side;
  commit: string | null;
  /** every file read on this side, sorted by path */
  files: SourceFile[];
  records: LoadedRecord[];
  /** repository-relative path → digest, for every file a record references */
  artifacts: Record<string, ArtifactDigest>;
  /** repository-relative paths that exist on this side (used by `{ file: … }` signals); null when unknown */
  paths: string[] | null;
}

export type ChangeStatus = 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  previous_path?: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  id: number;
  /** login, lower-cased by the reader */
  user: string;
  state: ReviewState;
  commit_id: string | null;
  submitted_at: string | null;
  /** the author is a bot (user.type Bot): its approval is no person's; a request for changes still stands */
  bot?: boolean;
}

export interface ApprovalInput {
  /** false when no reviews were read: there are none to read (push, CLI without --reviews), or reading failed */
  available: boolean;
  /** why approvals are unavailable, shown in findings */
  unavailable_reason?: string;
  /**
   * true when there is a pull request but reading it or its reviews failed (an API error after retries, a
   * token without `pull-requests: read`). Not the same as having no reviews to read: what depends on an
   * approval fails closed (approvals.read-failed is a deny) instead of waiting for a person. Absent or false
   * with `available: false`: there is no pull request to read (a push, a local check without --reviews).
   */
  read_failed?: boolean;
  /** PR author login, lower-cased */
  author: string | null;
  head_sha: string | null;
  reviews: Review[];
  /** "org/team" (lower-case) → member logins (lower-case), or null when membership could not be read */
  teams: Record<string, string[] | null>;
  /** "org/team" (lower-case) → why its members could not be read, for the teams that are null above */
  team_errors?: Record<string, string>;
}

export interface GateInput {
  config: GateConfig;
  /** where the configuration came from */
  config_source: { side: Side | 'default'; file: string | null; sha256: string | null };
  /**
   * The head's configuration when the gate judged with the base's and the head changes it: the
   * integrity family reports what the change would loosen. null when unchanged or unreadable.
   */
  proposed_config: { config: GateConfig; file: string; sha256: string } | null;
  head: RecordSet;
  /** null when there is no base to compare with (first commit, workflow_dispatch without a base) */
  base: RecordSet | null;
  /**
   * Problems reading the base side. They never block (the base is history: blocking on it would deadlock
   * the pull request that repairs it) but the base files concerned drop out of every comparison, so the
   * decision says so.
   */
  base_issues: RecordIssue[];
  /** files the change touches; null when unknown */
  changed_files: ChangedFile[] | null;
  approvals: ApprovalInput;
  /** version of this tool, written into the decision */
  tool_version: string;
}
