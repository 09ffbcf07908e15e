/**
 * Changed files between two sources that are not two commits of one git repository
 * (the CLI's --base-dir/--head-dir mode): compared by listing, size and content digest.
 */
import { createHash } from 'node:crypto';
import type { ChangedFile } from '../model/input.js';
import type { FileSource, SourceEntry } from './source.js';

export async function diffSources(base: FileSource, head: FileSource, maxBytes: number): Promise<ChangedFile[]> {
  const [baseList, headList] = await Promise.all([base.list(), head.list()]);
  const baseByPath = new Map<string, SourceEntry>(baseList.map((e) => [e.path, e]));
  const headByPath = new Map<string, SourceEntry>(headList.map((e) => [e.path, e]));
  const changed: ChangedFile[] = [];
  for (const [path, h] of headByPath) {
    const b = baseByPath.get(path);
    if (!b) changed.push({ path, status: 'added' });
    else if (await differs(base, head, b, h, maxBytes)) changed.push({ path, status: 'modified' });
  }
  for (const path of baseByPath.keys()) if (!headByPath.has(path)) changed.push({ path, status: 'removed' });
  return changed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function differs(
  base: FileSource,
  head: FileSource,
  b: SourceEntry,
  h: SourceEntry,
  maxBytes: number
): Promise<boolean> {
  if (b.type !== h.type) return true;
  if (b.type !== 'file') return false;
  try {
    // listings may not carry sizes: a stat is cheaper than reading both files to find they differ in length
    const [bs, hs] = await Promise.all([b.size ?? sizeOf(base, b.path), h.size ?? sizeOf(head, h.path)]);
    if (bs !== null && hs !== null && bs !== hs) return true;
    const [bd, hd] = await Promise.all([digest(base, b.path, maxBytes), digest(head, h.path, maxBytes)]);
    return bd !== hd;
  } catch {
    // unreadable or oversized on either side: count it as changed, so it is reviewed rather than ignored
    return true;
  }
}

async function sizeOf(source: FileSource, path: string): Promise<number | null> {
  return (await source.stat(path))?.size ?? null;
}

async function digest(source: FileSource, path: string, maxBytes: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source.stream(path, maxBytes)) hash.update(chunk);
  return hash.digest('hex');
}
