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

const MAX_FAILURE_CHARS = 500;

/**
 * What the decision, the check and the comment say about a failure of the gate itself. An exception's message
 * can quote what it was working on (a parser's excerpt, a value from a record), and this text goes to the PR
 * comment and the log: so for anything but our own errors it names the kind of error only, and the details stay
 * in the debug log, where the caller writes the stack. Shown as they are: an InternalError, a GitError (the
 * checkout or the environment, e.g. "git is not installed"; file content never reaches git's messages) and
 * Node's system errors (EACCES, ENOSPC … on a path the gate chose).
 */
export function internalErrorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const ours = error instanceof InternalError || error.name === 'GitError';
    const system = typeof code === 'string' && /^E[A-Z]+$/.test(code);
    if (ours || system) {
      const text = `${error.name}: ${error.message}`;
      return text.length > MAX_FAILURE_CHARS ? `${text.slice(0, MAX_FAILURE_CHARS - 1)}…` : text;
    }
  }
  const kind = error instanceof Error && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(error.name) ? error.name : 'an exception';
  return (
    `${kind} inside the gate; its details are kept out of this message because they may quote the records ` +
    '(re-run with debug logging to see them)'
  );
}
