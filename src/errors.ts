/**
 * Three kinds of failure, kept apart everywhere (as codeql-action does):
 * - RecordError: the user's records or configuration are malformed (exit 2, "fix your files");
 * - a gate finding is not an error at all: it is data in the decision (exit 1 when blocking);
 * - InternalError (or any other exception): a bug in the gate (exit 3), never a pass.
 */
import type { RecordIssue } from './model/issue.js';

export class RecordError extends Error {
  readonly issues: RecordIssue[];
  constructor(issues: RecordIssue[], message?: string) {
    super(message ?? summarizeIssues(issues));
    this.name = 'RecordError';
    this.issues = issues;
  }
}

/** Invalid action inputs or CLI arguments: the user's setup is wrong (reported like RecordError). */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

export function formatIssueLocation(issue: Pick<RecordIssue, 'file' | 'line' | 'column' | 'pointer'>): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}`;
  if (issue.line !== undefined && issue.column !== undefined) where += `:${issue.column}`;
  if (issue.pointer !== undefined && issue.pointer !== '') where += ` (${issue.pointer})`;
  return where;
}

function summarizeIssues(issues: RecordIssue[]): string {
  const first = issues[0];
  if (!first) return 'records or configuration are malformed';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${formatIssueLocation(first)}: ${first.message}${more}`;
}
