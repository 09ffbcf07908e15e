/**
 * The checks every tree-backed source (git objects, the GitHub trees API) makes before it reads a file:
 * the path is a repository path, the entry is a regular file — never a symbolic link or a submodule, also
 * when one of them sits in the path's folders — and not larger than the cap. One place, so the git source
 * and the API fallback refuse exactly the same things.
 */
import { SYMLINK_MESSAGE, badPath, checkRepoPath, missing, tooLarge } from './paths.js';
import type { Side } from '../model/location.js';
import { SourceError, type EntryType, type FileSource, type SourceEntry } from './source.js';

/** A git tree entry's type from its mode (and, from the API, its object type); null for folders. */
export function treeEntryType(mode: string, objectType?: string): EntryType | null {
  if (objectType === 'tree' || mode === '040000') return null;
  if (mode === '120000') return 'symlink';
  if (mode === '160000' || objectType === 'commit') return 'submodule';
  if (mode.startsWith('100')) return 'file';
  return 'other';
}

/** The entry of a regular file at `path`, or the SourceError that explains why it may not be read. */
export function regularFileEntry<E extends { entry: SourceEntry }>(
  entries: ReadonlyMap<string, E>,
  path: string,
  maxBytes: number
): E {
  const problem = checkRepoPath(path);
  if (problem) throw badPath(path, problem);
  const found = entries.get(path);
  if (!found) throw insideLinkOrSubmodule(entries, path) ?? missing(path);
  const { entry } = found;
  if (entry.type === 'symlink') throw new SourceError('file.symlink', path, `${path} ${SYMLINK_MESSAGE}`);
  if (entry.type === 'submodule') {
    throw new SourceError('file.submodule', path, `${path} is a git submodule; the gate does not read submodules`);
  }
  if (entry.type !== 'file') {
    throw new SourceError('file.not-regular', path, `${path} is not a regular file; it is not read`);
  }
  if (entry.size !== null && entry.size > maxBytes) throw tooLarge(path, maxBytes, entry.size);
  return found;
}

/** A path "under" a symlink or submodule is not in the tree: say why rather than "does not exist". */
function insideLinkOrSubmodule(entries: ReadonlyMap<string, { entry: SourceEntry }>, path: string): SourceError | null {
  const parts = path.split('/');
  for (let n = 1; n < parts.length; n++) {
    const prefix = parts.slice(0, n).join('/');
    const type = entries.get(prefix)?.entry.type;
    if (type === 'symlink')
      return new SourceError('file.symlink', path, `${path}: the folder ${prefix} ${SYMLINK_MESSAGE}`);
    if (type === 'submodule') {
      return new SourceError(
        'file.submodule',
        path,
        `${path} is inside the git submodule ${prefix}; the gate does not read submodules`
      );
    }
  }
  return null;
}

/**
 * A source backed by one commit's tree (git objects, the GitHub trees API): the tree is listed once, on first
 * use, sorted by path; listing, stat and the checks before a read are the same for every such source. A
 * subclass says how to load the tree and how to read a blob.
 */
export abstract class TreeSource<E extends { entry: SourceEntry }> implements FileSource {
  abstract readonly description: string;
  abstract readonly side: Side;
  private tree: Promise<Map<string, E>> | null = null;

  abstract read(path: string, maxBytes: number): Promise<Buffer>;
  abstract stream(path: string, maxBytes: number): AsyncIterable<Buffer>;
  /** Every entry of the commit's tree except folders, by path, in any order. */
  protected abstract loadTree(): Promise<Map<string, E>>;

  async list(): Promise<SourceEntry[]> {
    return [...(await this.entries()).values()].map((e) => e.entry);
  }

  async stat(path: string): Promise<SourceEntry | null> {
    const problem = checkRepoPath(path);
    if (problem) throw badPath(path, problem);
    return (await this.entries()).get(path)?.entry ?? null;
  }

  protected async regularFile(path: string, maxBytes: number): Promise<E> {
    return regularFileEntry(await this.entries(), path, maxBytes);
  }

  private entries(): Promise<Map<string, E>> {
    this.tree ??= this.loadTree().then(
      (map) => new Map([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    );
    return this.tree;
  }
}
