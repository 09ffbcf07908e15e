import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { diffSources } from '../diff.js';
import { WorkingTreeSource } from '../fs-source.js';
import type { FileSource } from '../source.js';

let dir: string;

function tree(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A source that counts the files it reads. */
function counting(source: FileSource, reads: string[]): FileSource {
  return {
    side: source.side,
    description: source.description,
    list: () => source.list(),
    stat: (path) => source.stat(path),
    read: (path, max) => {
      reads.push(path);
      return source.read(path, max);
    },
    stream: (path, max) => {
      reads.push(path);
      return source.stream(path, max);
    }
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gate-diff-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diffSources (two directories)', () => {
  it('finds added, removed and modified files; files of different sizes are not read', async () => {
    const base = tree('base', {
      'records/same.yaml': 'a: 1\n',
      'records/same-size.yaml': 'a: 1\n',
      'records/longer.yaml': 'a: 1\n',
      'records/gone.yaml': 'x: 1\n'
    });
    const head = tree('head', {
      'records/same.yaml': 'a: 1\n',
      'records/same-size.yaml': 'a: 2\n',
      'records/longer.yaml': 'a: 10\n',
      'records/new.yaml': 'y: 1\n'
    });
    const reads: string[] = [];
    const changed = await diffSources(
      counting(new WorkingTreeSource(base, 'base'), reads),
      counting(new WorkingTreeSource(head, 'head'), reads),
      1_000_000
    );
    expect(changed).toEqual([
      { path: 'records/gone.yaml', status: 'removed' },
      { path: 'records/longer.yaml', status: 'modified' },
      { path: 'records/new.yaml', status: 'added' },
      { path: 'records/same-size.yaml', status: 'modified' }
    ]);
    expect(reads.sort()).toEqual([
      'records/same-size.yaml',
      'records/same-size.yaml',
      'records/same.yaml',
      'records/same.yaml'
    ]);
  });

  it('counts a file it cannot read or size as changed', async () => {
    const base = tree('b2', { 'records/a.yaml': 'a: 1\n' });
    const head = tree('h2', { 'records/a.yaml': 'a: 1\n' });
    const failing: FileSource = {
      side: 'head',
      description: 'failing',
      list: () => new WorkingTreeSource(head, 'head').list(),
      stat: () => Promise.reject(new Error('EIO')),
      read: () => Promise.reject(new Error('EIO')),
      stream: () => {
        throw new Error('EIO');
      }
    };
    expect(await diffSources(new WorkingTreeSource(base, 'base'), failing, 1_000_000)).toEqual([
      { path: 'records/a.yaml', status: 'modified' }
    ]);
  });
});
