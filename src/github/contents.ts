/**
 * Files of one commit read through the GitHub API: the fallback for the base side when git cannot provide the
 * commit (it is not in the checkout and cannot be fetched). The commit's tree comes from the git trees API
 * (one recursive call, with file modes) and file bytes from the blobs API (exact bytes, up to 100 MB — the
 * contents API stops returning content at 1 MB). Symbolic links and submodules are listed with their types and
 * refused on read, exactly like GitTreeSource.
 */
import type { Side } from '../model/location.js';
import { checkRepoPath, tooLarge } from '../read/paths.js';
import { SourceError, type SourceEntry } from '../read/source.js';
import { TreeSource, treeEntryType } from '../read/tree-entry.js';
import { GitHubApiError, type GitHubApi, type RepoRef } from './api.js';

interface Entry {
  entry: SourceEntry;
  sha: string;
}

const STREAM_CHUNK = 64 * 1024;

export class ContentsApiSource extends TreeSource<Entry> {
  readonly description: string;

  constructor(
    private readonly api: GitHubApi,
    private readonly repo: RepoRef,
    private readonly commit: string,
    readonly side: Side
  ) {
    super();
    this.description = `GitHub API at ${commit.slice(0, 12)}`;
  }

  async read(path: string, maxBytes: number): Promise<Buffer> {
    const target = await this.regularFile(path, maxBytes);
    let bytes: Buffer;
    try {
      bytes = await this.api.getBlob(this.repo, target.sha);
    } catch (error) {
      throw new SourceError(
        'file.unreadable',
        path,
        `${path} could not be read from the GitHub API (${(error as Error).message})`
      );
    }
    if (bytes.length > maxBytes) throw tooLarge(path, maxBytes, bytes.length);
    return bytes;
  }

  async *stream(path: string, maxBytes: number): AsyncIterable<Buffer> {
    const bytes = await this.read(path, maxBytes);
    for (let offset = 0; offset < bytes.length; offset += STREAM_CHUNK)
      yield bytes.subarray(offset, offset + STREAM_CHUNK);
  }

  protected async loadTree(): Promise<Map<string, Entry>> {
    let tree;
    try {
      tree = await this.api.getTree(this.repo, this.commit);
    } catch (error) {
      const status = error instanceof GitHubApiError ? error.status : null;
      throw new SourceError(
        'file.unreadable',
        '',
        `the files of commit ${this.commit.slice(0, 12)} could not be listed through the GitHub API` +
          `${status === 404 ? ' (not found: the token may lack `contents: read`)' : ''} (${(error as Error).message})`
      );
    }
    if (tree.truncated) {
      throw new SourceError(
        'file.unreadable',
        '',
        `commit ${this.commit.slice(0, 12)} has too many files for the GitHub trees API; check out the base commit with git instead (actions/checkout fetch-depth: 0)`
      );
    }
    const map = new Map<string, Entry>();
    for (const e of tree.entries) {
      const type = treeEntryType(e.mode, e.type);
      if (type === null || checkRepoPath(e.path) !== null) continue;
      map.set(e.path, { entry: { path: e.path, type, size: type === 'file' ? e.size : null }, sha: e.sha });
    }
    return map;
  }
}
