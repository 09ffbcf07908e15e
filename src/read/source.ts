/**
 * Where files come from: the working tree, a git commit, or the GitHub contents API.
 * The loader reads only through this interface, so the same code reads head and base.
 */
import type { Side } from '../model/location.js';

export type EntryType = 'file' | 'symlink' | 'submodule' | 'directory' | 'other';

export interface SourceEntry {
  /** repository-relative POSIX path */
  path: string;
  type: EntryType;
  /** bytes, when known without reading */
  size: number | null;
}

export interface FileSource {
  readonly side: Side;
  /** for messages: "working tree /repo", "git commit 1a2b3c4", "GitHub contents API at 1a2b3c4" */
  readonly description: string;
  /** every entry under the root, without following symlinks; directories are not listed */
  list(): Promise<SourceEntry[]>;
  /** one entry, or null when absent */
  stat(path: string): Promise<SourceEntry | null>;
  /** the bytes of a regular file; throws SourceError for anything else or when larger than maxBytes */
  read(path: string, maxBytes: number): Promise<Buffer>;
  /** the bytes of a regular file as a stream of chunks (large evidence files); same checks as read */
  stream(path: string, maxBytes: number): AsyncIterable<Buffer>;
}

export type SourceErrorCode =
  | 'file.missing'
  | 'file.symlink'
  | 'file.submodule'
  | 'file.not-regular'
  | 'file.outside-repository'
  | 'file.bad-path'
  | 'file.too-large'
  | 'file.unreadable';

/** A file that must not or cannot be read. Its message never includes the file's content. */
export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    readonly path: string,
    message: string
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
