import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkingTreeSource } from '../fs-source.js';
import { SourceError } from '../source.js';

const SECRET = 'ghp_SECRETTOKENthatMustNeverBeEchoed0123';

let dir: string;
let outside: string;
let repo: string;
let server: Server | null = null;
let source: WorkingTreeSource;

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gate-fs-'));
  outside = join(dir, 'outside');
  repo = join(dir, 'repo');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.yaml'), `token: ${SECRET}\n`);
  mkdirSync(join(repo, 'records/changes'), { recursive: true });
  mkdirSync(join(repo, '.git'));
  writeFileSync(join(repo, '.git/config'), `[credential]\n  helper = store ${SECRET}\n`);
  writeFileSync(join(repo, 'records/changes/change.yaml'), 'change:\n  change_id: chg-1\n');
  writeFileSync(join(repo, 'records/rollout.yaml'), 'rollout:\n  require: []\n');
  writeFileSync(join(repo, 'records/big.json'), `{"pad": "${'x'.repeat(200_000)}"}`);
  writeFileSync(join(repo, '.hidden.yaml'), 'a: 1\n');
  symlinkSync('/proc/self/environ', join(repo, 'records/environ.yaml'));
  symlinkSync('../.git/config', join(repo, 'records/git-config.yaml'));
  symlinkSync(join(outside, 'secret.yaml'), join(repo, 'records/outside.yaml'));
  symlinkSync('changes/change.yaml', join(repo, 'records/inside-link.yaml'));
  symlinkSync(outside, join(repo, 'linked-dir'));
  execFileSync('mkfifo', [join(repo, 'records/fifo.yaml')]);
  server = createServer();
  await new Promise<void>((resolve) => server!.listen(join(repo, 'records/socket.yaml'), resolve));
  source = new WorkingTreeSource(repo, 'head');
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('WorkingTreeSource.list', () => {
  it('lists every entry without following links, skipping .git, sorted', async () => {
    const entries = await source.list();
    expect(entries).toEqual([
      { path: '.hidden.yaml', type: 'file', size: null },
      { path: 'linked-dir', type: 'symlink', size: null },
      { path: 'records/big.json', type: 'file', size: null },
      { path: 'records/changes/change.yaml', type: 'file', size: null },
      { path: 'records/environ.yaml', type: 'symlink', size: null },
      { path: 'records/fifo.yaml', type: 'other', size: null },
      { path: 'records/git-config.yaml', type: 'symlink', size: null },
      { path: 'records/inside-link.yaml', type: 'symlink', size: null },
      { path: 'records/outside.yaml', type: 'symlink', size: null },
      { path: 'records/rollout.yaml', type: 'file', size: null },
      { path: 'records/socket.yaml', type: 'other', size: null }
    ]);
    expect(source.description).toBe(`working tree ${repo}`);
  });
});

describe('WorkingTreeSource.read', () => {
  it('reads a regular file', async () => {
    expect((await source.read('records/changes/change.yaml', 1024)).toString()).toBe('change:\n  change_id: chg-1\n');
  });

  it('streams a file in chunks', async () => {
    let total = 0;
    let chunks = 0;
    for await (const chunk of source.stream('records/big.json', 1_000_000)) {
      total += chunk.length;
      chunks++;
    }
    expect(total).toBe(200_011);
    expect(chunks).toBeGreaterThanOrEqual(1);
  });

  it('streams a large file whole and in order, and a caller may stop while the next read is in flight', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 5);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
    writeFileSync(join(repo, 'records/large.jsonl'), bytes);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of source.stream('records/large.jsonl', 10_000_000)) chunks.push(chunk);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      // the next chunk is already being read when the caller stops: stopping raises nothing, then or later
      for await (const chunk of source.stream('records/large.jsonl', 10_000_000)) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', onRejection);
      rmSync(join(repo, 'records/large.jsonl'));
    }
    expect(rejections).toEqual([]);
  });

  it.each([
    ['/proc/self/environ', 'records/environ.yaml'],
    ['.git/config', 'records/git-config.yaml'],
    ['a file outside the workspace', 'records/outside.yaml'],
    ['a file inside the repository', 'records/inside-link.yaml']
  ])('rejects a symbolic link to %s without reading it', async (_target, path) => {
    const error = await failure(source.read(path, 1024));
    expect(error.code).toBe('file.symlink');
    expect(error.message).toBe(
      `${path} is a symbolic link; the gate does not follow links (it could point at /proc/self/environ or .git/config)`
    );
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toMatch(/PATH=|HOME=/);
  });

  it.each(['.git/config', '.GIT/config', 'records/../.git/config', 'sub/.git/HEAD'])(
    'never reads inside a .git folder (%s), whatever points there',
    async (path) => {
      const error = await failure(source.read(path, 1024));
      expect(error.code).toBe('file.bad-path');
      expect(error.message).not.toContain(SECRET);
      await expect(source.stat(path)).rejects.toMatchObject({ code: 'file.bad-path' });
    }
  );

  it('rejects a path through a symlinked folder', async () => {
    const error = await failure(source.read('linked-dir/secret.yaml', 1024));
    expect(error.code).toBe('file.symlink');
    expect(error.message).toContain('the folder linked-dir is a symbolic link');
    expect(error.message).not.toContain(SECRET);
    expect(await failure(source.stat('linked-dir/secret.yaml'))).toMatchObject({ code: 'file.symlink' });
  });

  it('rejects a FIFO named x.yaml without hanging', async () => {
    const started = Date.now();
    const error = await failure(source.read('records/fifo.yaml', 1024));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'file.not-regular' });
    expect(error.message).toBe('records/fifo.yaml is a named pipe (FIFO), not a regular file; it is not read');
  });

  it('rejects a socket', async () => {
    expect(await failure(source.read('records/socket.yaml', 1024))).toMatchObject({
      code: 'file.not-regular',
      message: 'records/socket.yaml is a socket, not a regular file; it is not read'
    });
  });

  it('rejects a device (when this system lets the test create one)', async () => {
    const device = join(repo, 'records/device.yaml');
    try {
      execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      return; // not permitted here (unprivileged runner): covered by the FIFO and socket cases
    }
    try {
      const error = await failure(source.read('records/device.yaml', 1024));
      expect(error).toMatchObject({ code: 'file.not-regular', message: expect.stringContaining('is a device') });
    } finally {
      rmSync(device);
    }
  });

  it('rejects a folder', async () => {
    expect(await failure(source.read('records/changes', 1024))).toMatchObject({ code: 'file.not-regular' });
  });

  it.each([
    ['../outside/secret.yaml', /"\.\."/],
    ['records/../../outside/secret.yaml', /"\.\."/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/win.ini', /absolute/],
    ['records\\change.yaml', /backslash/],
    ['records/change.yaml\0.txt', /NUL/],
    ['records//change.yaml', /empty segment/],
    ['./records/rollout.yaml', /"\."/],
    ['', /empty/],
    ['records/\nx.yaml', /control character/]
  ])('rejects the path %j before touching the file system', async (path, reason) => {
    const error = await failure(source.read(path, 1024));
    expect(error.code).toBe('file.bad-path');
    expect(error.message).toMatch(reason);
    await expect(source.stat(path)).rejects.toMatchObject({ code: 'file.bad-path' });
  });

  it('reports a missing file', async () => {
    expect(await failure(source.read('records/none.yaml', 1024))).toMatchObject({
      code: 'file.missing',
      message: 'records/none.yaml does not exist'
    });
    expect(await failure(source.read('records/none/deeper.yaml', 1024))).toMatchObject({ code: 'file.missing' });
    expect(await source.stat('records/none.yaml')).toBeNull();
  });

  it('enforces the size cap before reading', async () => {
    const error = await failure(source.read('records/big.json', 1000));
    expect(error).toMatchObject({ code: 'file.too-large' });
    expect(error.message).toBe('records/big.json is 200011 bytes, more than the limit of 1000 bytes; it is not read');
  });

  it('enforces the size cap while reading (a file that grows after it was checked)', async () => {
    const path = join(repo, 'records/growing.jsonl');
    // more than one read's worth (the next chunk is read ahead, so the file must not end within the first two)
    writeFileSync(path, 'a'.repeat(1_500_000));
    const chunks: Buffer[] = [];
    const stream = source.stream('records/growing.jsonl', 2_000_000);
    const iterator = stream[Symbol.asyncIterator]();
    // the first read sees the file as it is now; growing it afterwards must still hit the cap
    const first = await iterator.next();
    chunks.push(first.value as Buffer);
    writeFileSync(path, 'b'.repeat(3_000_000));
    await expect(
      (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) chunks.push(next.value);
      })()
    ).rejects.toMatchObject({
      code: 'file.too-large',
      message: 'records/growing.jsonl is more than the limit of 2000000 bytes; it is not read'
    });
    rmSync(path);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBeLessThanOrEqual(2_000_000);
  });

  it('reads a file whole, whatever its size against the read size', async () => {
    for (const size of [0, 1, 65_535, 65_536, 65_537, 300_001]) {
      const path = join(repo, 'records/sized.json');
      const bytes = Buffer.alloc(size, 'z');
      writeFileSync(path, bytes);
      expect((await source.read('records/sized.json', 1_000_000)).equals(bytes)).toBe(true);
      rmSync(path);
    }
    // exactly at the cap is allowed; one byte over is not
    writeFileSync(join(repo, 'records/capped.json'), 'q'.repeat(1000));
    expect((await source.read('records/capped.json', 1000)).length).toBe(1000);
    await expect(source.read('records/capped.json', 999)).rejects.toMatchObject({ code: 'file.too-large' });
    rmSync(join(repo, 'records/capped.json'));
  });

  it('reads on past the size the file reported, up to the cap (a file that grew after it was opened)', async () => {
    // /proc files report a size of 0 and then hold more: the same as a file that grew between fstat and read
    const proc = new WorkingTreeSource(`/proc/${process.pid}`, 'head');
    const status = await proc.read('status', 1_000_000);
    expect(status.toString()).toMatch(new RegExp(`^Name:[\\s\\S]*\\nPid:\\s+${process.pid}\\n`));
    expect(status.length).toBeGreaterThan(100);
    await expect(proc.read('status', 100)).rejects.toMatchObject({
      code: 'file.too-large',
      message: 'status is more than the limit of 100 bytes; it is not read'
    });
  });

  it('stats entries without following links', async () => {
    expect(await source.stat('records/outside.yaml')).toEqual({
      path: 'records/outside.yaml',
      type: 'symlink',
      size: null
    });
    expect(await source.stat('records/rollout.yaml')).toEqual({ path: 'records/rollout.yaml', type: 'file', size: 23 });
    expect(await source.stat('records/fifo.yaml')).toMatchObject({ type: 'other' });
  });
});
