export type Side = 'base' | 'head';

/** Where something is: a repository-relative file, optionally a 1-based line/column and a JSON pointer (RFC 6901). */
export interface Location {
  file: string;
  side?: Side;
  line?: number;
  column?: number;
  pointer?: string;
}

export interface Position {
  line: number;
  column: number;
}

/** Maps a JSON pointer inside a parsed file to its 1-based line and column (the nearest existing ancestor if absent). */
export type Locator = (pointer: string) => Position | undefined;

/** A file the gate read, as listed in the decision document. */
export interface SourceFile {
  path: string;
  side: Side;
  sha256: string;
  bytes: number;
}
