/**
 * Schema validation of parsed records (ajv standalone validators generated at build time from schemas/).
 * STUB — the Foundation work replaces the bodies; the signatures are the contract the loader uses.
 */
import type { RecordKind } from '../model/input.js';

/** One schema problem, located by JSON pointer; the loader turns it into a RecordIssue with line/column. */
export interface SchemaIssue {
  /** JSON pointer of the offending value ('' for the document root) */
  pointer: string;
  /** a clear sentence in the seed documents' style, e.g. "change.change_id is required" */
  message: string;
  /** stable code, e.g. "schema.required", "schema.type", "schema.unique" */
  code: string;
  /** the type the schema expected, when the problem is a type mismatch (lets the loader add "quote it" hints) */
  expected?: string;
}

/** Kinds validated by schema; 'config' is .github/agent-gate.yml. eval_cases lines use validateEvalCaseLine. */
export type SchemaKind = Exclude<RecordKind, 'eval_cases'> | 'config' | 'promptfoo_results';

export async function validateRecord(_kind: SchemaKind, _value: unknown): Promise<SchemaIssue[]> {
  return [];
}

/** Validate one line of a per-case results file (sync: called up to millions of times). */
export function validateEvalCaseLine(_value: unknown): SchemaIssue[] {
  return [];
}
