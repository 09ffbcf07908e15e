import type { Side } from './location.js';

/**
 * A problem with the user's records or configuration (not a gate finding, not an internal error).
 * `code` is stable (e.g. "yaml.duplicate-key", "schema.type", "file.symlink").
 */
export interface RecordIssue {
  code: string;
  message: string;
  file: string;
  side?: Side;
  line?: number;
  column?: number;
  pointer?: string;
  hint?: string;
}
