/**
 * Repository-relative paths: the only form a path takes inside the gate. Every source checks a path
 * with `checkRepoPath` before touching anything, so `..`, absolute paths, NUL bytes and backslashes
 * never reach the file system or git.
 */
import { posix } from 'node:path';
import { SourceError } from './source.js';

/** Why a repository path is unacceptable, or null when it is a plain relative POSIX path. */
export function checkRepoPath(path: string): string | null {
  if (path.length === 0) return 'the path is empty';
  if (path.includes('\0')) return 'the path contains a NUL byte';
  if (path.includes('\\')) return 'the path contains a backslash; use forward slashes (/)';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return 'the path is absolute; paths are relative to the repository root';
  if (/[\u0001-\u001f\u007f]/.test(path)) return 'the path contains a control character';
  for (const segment of path.split('/')) {
    if (segment === '..') return 'the path contains a ".." segment';
    if (segment === '.') return 'the path contains a "." segment';
    if (segment === '') return 'the path contains an empty segment ("//" or a trailing "/")';
    // git's own folder holds the checkout's credentials (an Actions checkout persists its token in .git/config):
    // never a record or evidence, whatever a record points at (any case: some file systems ignore it)
    if (segment.toLowerCase() === '.git') return "the path is inside .git (git's own folder, not a repository file)";
  }
  return null;
}

export type ResolvedReference = { ok: true; path: string } | { ok: false; reason: string };

/**
 * A path written inside a record (for example a C2PA manifest of a replay receipt), relative to the
 * folder of the record's file, as a repository-relative path. `..` may climb folders but never above
 * the repository root.
 */
export function resolveReference(recordFile: string, reference: string): ResolvedReference {
  if (reference.length === 0) return { ok: false, reason: 'the path is empty' };
  if (reference.includes('\0')) return { ok: false, reason: 'the path contains a NUL byte' };
  if (reference.includes('\\')) return { ok: false, reason: 'the path contains a backslash; use forward slashes (/)' };
  if (reference.startsWith('/') || /^[A-Za-z]:/.test(reference)) {
    return { ok: false, reason: "the path is absolute; write it relative to the record's folder" };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference))
    return { ok: false, reason: 'the path is a URL, not a repository file' };
  if (reference === '.' || reference.endsWith('/.') || reference.endsWith('/..') || reference === '..')
    return { ok: false, reason: 'the path names a folder, not a file' };
  const joined = posix.normalize(posix.join(posix.dirname(recordFile), reference));
  if (joined === '..' || joined.startsWith('../')) {
    return { ok: false, reason: 'the path leaves the repository' };
  }
  const problem = checkRepoPath(joined);
  return problem === null ? { ok: true, path: joined } : { ok: false, reason: problem };
}

/** Why a configured glob is unacceptable, or null. Globs are matched against repository-relative paths only. */
export function checkGlob(glob: string): string | null {
  if (glob.length === 0) return 'the glob is empty';
  if (glob.includes('\0')) return 'the glob contains a NUL byte';
  if (glob.includes('\\')) return 'the glob contains a backslash; use forward slashes (/)';
  const body = glob.startsWith('!') ? glob.slice(1) : glob;
  if (body.startsWith('/') || /^[A-Za-z]:/.test(body)) {
    return 'the glob is absolute; globs are relative to the repository root';
  }
  if (body.split('/').includes('..'))
    return 'the glob contains a ".." segment; globs cannot reach outside the repository';
  return null;
}

// Messages shared by every FileSource. None of them includes a file's content.

export const SYMLINK_MESSAGE =
  'is a symbolic link; the gate does not follow links (it could point at /proc/self/environ or .git/config)';

export function badPath(path: string, problem: string): SourceError {
  return new SourceError(
    'file.bad-path',
    path,
    `${JSON.stringify(path).slice(0, 200)} is not a valid repository path: ${problem}`
  );
}

export function missing(path: string): SourceError {
  return new SourceError('file.missing', path, `${path} does not exist`);
}

export function tooLarge(path: string, maxBytes: number, size?: number): SourceError {
  const actual = size === undefined ? 'more than' : `${size} bytes, more than`;
  return new SourceError('file.too-large', path, `${path} is ${actual} the limit of ${maxBytes} bytes; it is not read`);
}
