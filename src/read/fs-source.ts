/**
 * Files from a working tree (the action's checkout, the CLI's directories).
 *
 * The tree is written by whoever opened the pull request, so nothing is trusted: listing never follows
 * links; a read checks the path, refuses any symbolic link on the way (even one pointing inside the
 * repository), checks the entry with lstat before opening it (a FIFO, socket or device is never opened),
 * then opens with O_NOFOLLOW | O_NONBLOCK and checks the open descriptor again with fstat (same inode,
 * still a regular file) so a swap between the check and the open is caught. The size cap is enforced
 * while reading, not only from the size the file system reports.
 */
import { constants, promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Side } from '../model/location.js';
import { SYMLINK_MESSAGE, badPath, checkRepoPath, missing, tooLarge } from './paths.js';
import { SourceError } from './source.js';
import type { EntryType, FileSource, SourceEntry } from './source.js';

const CHUNK_BYTES = 64 * 1024;
/** Streamed files are large ones (per-case results): bigger reads, fewer round trips to the thread pool. */
const STREAM_CHUNK_BYTES = 256 * 1024;
const OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export class WorkingTreeSource implements FileSource {
  readonly description: string;
  private readonly root: string;

  constructor(
    root: string,
    readonly side: Side
  ) {
    this.root = resolve(root);
    this.description = `working tree ${this.root}`;
  }

  async list(): Promise<SourceEntry[]> {
    const entries: SourceEntry[] = [];
    const pending: string[] = [''];
    while (pending.length > 0) {
      const dir = pending.pop()!;
      let children;
      try {
        children = await fs.readdir(dir === '' ? this.root : join(this.root, dir), { withFileTypes: true });
      } catch (error) {
        const code = errorCode(error);
        if (dir !== '' && (code === 'ENOENT' || code === 'ENOTDIR')) continue; // vanished while listing
        throw new SourceError('file.unreadable', dir, `cannot list ${dir === '' ? this.description : dir} (${code})`);
      }
      for (const child of children) {
        if (child.name === '.git') continue;
        const path = dir === '' ? child.name : `${dir}/${child.name}`;
        if (child.isDirectory()) pending.push(path);
        else entries.push({ path, type: direntType(child), size: null });
      }
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async stat(path: string): Promise<SourceEntry | null> {
    this.checkPath(path);
    const parents = await this.checkParents(path);
    if (parents === 'missing') return null;
    const stats = await lstatOrNull(this.absolute(path), path);
    if (!stats) return null;
    return { path, type: statsType(stats), size: stats.isFile() ? stats.size : null };
  }

  /**
   * The whole file, read into one buffer of the size the open descriptor reports (plus room to notice that it
   * grew): a large AgBOM is then read in one request, without chunks to join afterwards (on a VM where fresh
   * memory is costly, joining 35 MB of chunks took longer than reading them). The cap holds whatever the file does
   * while it is read.
   */
  async read(path: string, maxBytes: number): Promise<Buffer> {
    const { handle, size } = await this.open(path, maxBytes);
    try {
      let buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
      let total = 0;
      for (;;) {
        if (total === buffer.length) {
          // it grew since it was opened: go on in chunks, up to the cap
          const bigger = Buffer.allocUnsafe(Math.min(total + CHUNK_BYTES, maxBytes + 1));
          buffer.copy(bigger);
          buffer = bigger;
        }
        const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
        if (bytesRead === 0) return buffer.subarray(0, total);
        total += bytesRead;
        if (total > maxBytes) throw tooLarge(path, maxBytes);
      }
    } finally {
      await handle.close();
    }
  }

  async *stream(path: string, maxBytes: number): AsyncIterable<Buffer> {
    const { handle } = await this.open(path, maxBytes);
    // the next chunk is read while the caller works on this one (one read in flight, so the file position
    // still moves in order): a large file's reading then overlaps its parsing instead of alternating with it
    const next = () => handle.read(Buffer.allocUnsafe(STREAM_CHUNK_BYTES), 0, STREAM_CHUNK_BYTES, null);
    let pending: ReturnType<typeof next> | null = next();
    try {
      let total = 0;
      for (;;) {
        const { bytesRead, buffer } = await pending;
        pending = null;
        if (bytesRead === 0) return;
        total += bytesRead;
        if (total > maxBytes) throw tooLarge(path, maxBytes);
        pending = next();
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      // a caller that stops early leaves a read in flight: awaited here, so that its failure cannot surface later as
      // an unhandled rejection (closing the handle would wait for it anyway)
      if (pending) await pending.catch(() => undefined);
      await handle.close();
    }
  }

  /** Every check that can be made before reading a byte; returns an open handle on a regular file, and its size. */
  private async open(path: string, maxBytes: number): Promise<{ handle: fs.FileHandle; size: number }> {
    this.checkPath(path);
    if ((await this.checkParents(path)) === 'missing') throw missing(path);
    const absolute = this.absolute(path);
    const before = await lstatOrNull(absolute, path);
    if (!before) throw missing(path);
    rejectNonRegular(path, before);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(absolute, OPEN_FLAGS);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ELOOP' || code === 'EMLINK')
        throw new SourceError('file.symlink', path, `${path} ${SYMLINK_MESSAGE}`);
      if (code === 'ENOENT') throw missing(path);
      throw new SourceError('file.unreadable', path, `${path} cannot be opened (${code})`);
    }
    try {
      const after = await handle.stat();
      if (after.ino !== before.ino || after.dev !== before.dev) {
        throw new SourceError('file.unreadable', path, `${path} changed while it was being opened; it is not read`);
      }
      rejectNonRegular(path, after);
      if (after.size > maxBytes) throw tooLarge(path, maxBytes, after.size);
      return { handle, size: after.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private checkPath(path: string): void {
    const problem = checkRepoPath(path);
    if (problem) throw badPath(path, problem);
  }

  /** Every folder on the way must be a real folder inside the root, not a link to elsewhere. */
  private async checkParents(path: string): Promise<'ok' | 'missing'> {
    const parts = path.split('/');
    let prefix = '';
    for (const part of parts.slice(0, -1)) {
      prefix = prefix === '' ? part : `${prefix}/${part}`;
      const stats = await lstatOrNull(this.absolute(prefix), path);
      if (!stats) return 'missing';
      if (stats.isSymbolicLink()) {
        throw new SourceError('file.symlink', path, `${path}: the folder ${prefix} ${SYMLINK_MESSAGE}`);
      }
      if (!stats.isDirectory()) return 'missing';
    }
    return 'ok';
  }

  private absolute(path: string): string {
    const absolute = resolve(this.root, path);
    if (absolute !== this.root && !absolute.startsWith(this.root.endsWith('/') ? this.root : `${this.root}/`)) {
      throw new SourceError('file.outside-repository', path, `${path} resolves outside the repository`);
    }
    return absolute;
  }
}

function rejectNonRegular(path: string, stats: Stats): void {
  if (stats.isFile()) return;
  if (stats.isSymbolicLink()) throw new SourceError('file.symlink', path, `${path} ${SYMLINK_MESSAGE}`);
  const what = stats.isFIFO()
    ? 'a named pipe (FIFO)'
    : stats.isSocket()
      ? 'a socket'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : stats.isDirectory()
          ? 'a folder'
          : 'not a regular file';
  throw new SourceError('file.not-regular', path, `${path} is ${what}, not a regular file; it is not read`);
}

function direntType(d: { isFile(): boolean; isSymbolicLink(): boolean; isDirectory(): boolean }): EntryType {
  if (d.isFile()) return 'file';
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isDirectory()) return 'directory';
  return 'other';
}

function statsType(stats: Stats): EntryType {
  return direntType(stats);
}

/** lstat, or null when the entry does not exist; other failures are a SourceError naming `path`. */
async function lstatOrNull(absolute: string, path: string): Promise<Stats | null> {
  try {
    return await fs.lstat(absolute);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new SourceError('file.unreadable', path, `${path} cannot be examined (${code})`);
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
}
