import type { Evidence } from './evidence.js';
import type { Family, Finding } from './finding.js';
import type { RecordIssue } from './issue.js';
import type { Side } from './location.js';

export type DecisionValue = 'allow' | 'follow_up' | 'deny';

/** evaluated: the rules ran; invalid_input: records or configuration are malformed (fails closed); internal_error: a bug */
export type Outcome = 'evaluated' | 'invalid_input' | 'internal_error';

export const DECISION_SCHEMA_ID = 'https://agent-release-gate.dev/schemas/decision/v1.json';

export interface FamilySummary {
  status: 'pass' | 'follow_up' | 'deny' | 'skipped';
  findings: number;
  deny: number;
  follow_up: number;
  warning: number;
}

export interface DecisionDocument {
  $schema: typeof DECISION_SCHEMA_ID;
  tool: { name: 'agent-release-gate'; version: string };
  decision: DecisionValue;
  outcome: Outcome;
  /** what went wrong when outcome is internal_error (no stack, no record content) */
  failure: string | null;
  gate_key: string;
  commits: { base: string | null; head: string | null };
  config: { side: Side | 'default'; file: string | null; sha256: string | null };
  counts: { findings: number; deny: number; follow_up: number; warning: number; errors: number };
  families: Record<Family, FamilySummary>;
  /** sorted: deny first, then follow_up, warning; then family, rule, file, line, subject */
  findings: Finding[];
  /** every record/configuration error, uncapped */
  errors: RecordIssue[];
  /** every file read, sorted by side then path */
  inputs: { path: string; side: Side; sha256: string; bytes: number; kind: string }[];
  evidence: Evidence;
}

/** in-toto Statement v1 wrapping the decision, so actions/attest can sign it. */
export interface DecisionStatement {
  _type: 'https://in-toto.io/Statement/v1';
  /** the head commit ({ gitCommit }) or, for an uncommitted working tree, the digest of the inputs ({ sha256 }) */
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: typeof DECISION_SCHEMA_ID;
  predicate: DecisionDocument;
}
