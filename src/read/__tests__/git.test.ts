import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  GitError,
  GitTreeSource,
  changedFiles,
  defaultBranch,
  defaultBranchRef,
  fetchCommit,
  hasCommit,
  mergeBase,
  repositoryRoot,
  revParse
} from '../git.js';
import { SourceError } from '../source.js';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null'
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' }).trim();
}

function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function commitAll(repo: string, message: string): string {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

let dir: string;
let repo: string;
let base: string;
let head: string;
let side: string;
const bigBlob = Buffer.alloc(3 * 1024 * 1024 + 17, 'abcdefghij');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gate-git-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, 'records/changes/change.yaml', 'change:\n  change_id: chg-1\n');
  write(repo, 'records/rollout.yaml', 'rollout:\n  require: [offline_eval_passed]\n');
  write(repo, 'records/old-name.yaml', 'kind: rollout_assessment\nsignals: {a: true}\n');
  write(repo, 'agents/bot/prompts/system.md', 'You are a support agent.\n');
  write(repo, 'records/to-delete.yaml', 'x: 1\n');
  for (let i = 0; i < 40; i++) write(repo, `records/many/r${String(i).padStart(2, '0')}.yaml`, `n: ${i}\n`);
  base = commitAll(repo, 'base');

  write(repo, 'records/changes/change.yaml', 'change:\n  change_id: chg-2\n');
  git(repo, 'mv', 'records/old-name.yaml', 'records/new-name.yaml');
  rmSync(join(repo, 'records/to-delete.yaml'));
  write(repo, 'records/added.yaml', 'added: true\n');
  write(repo, 'records/evals/results/large.jsonl', bigBlob);
  write(repo, 'records/ünïcode name.yaml', 'u: 1\n');
  symlinkSync('/proc/self/environ', join(repo, 'records/environ.yaml'));
  symlinkSync('../.git/config', join(repo, 'records/git-config.yaml'));
  git(repo, 'add', '-A');
  // a submodule entry (a gitlink), staged after `add -A` since nothing is checked out at its path
  git(repo, 'update-index', '--add', '--cacheinfo', `160000,${base},vendor/tools`);
  git(repo, 'commit', '-q', '-m', 'head');
  head = git(repo, 'rev-parse', 'HEAD');

  git(repo, 'checkout', '-q', '-b', 'side', base);
  write(repo, 'records/side.yaml', 'side: 1\n');
  side = commitAll(repo, 'side');
  git(repo, 'checkout', '-q', 'main');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('GitTreeSource', () => {
  it('lists a commit: files with sizes, symlinks and submodules as such', async () => {
    const source = new GitTreeSource(repo, head, 'head');
    const entries = await source.list();
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get('records/changes/change.yaml')).toEqual({
      path: 'records/changes/change.yaml',
      type: 'file',
      size: 27
    });
    expect(byPath.get('records/environ.yaml')).toEqual({ path: 'records/environ.yaml', type: 'symlink', size: null });
    expect(byPath.get('vendor/tools')).toEqual({ path: 'vendor/tools', type: 'submodule', size: null });
    expect(byPath.get('records/ünïcode name.yaml')?.type).toBe('file');
    expect(byPath.has('records/old-name.yaml')).toBe(false);
    expect(entries.map((e) => e.path)).toEqual([...entries.map((e) => e.path)].sort());
    expect(source.description).toBe(`git commit ${head.slice(0, 12)}`);
    source.close();
  });

  it('reads blobs of the commit, not of the working tree', async () => {
    const source = new GitTreeSource(repo, base, 'base');
    expect((await source.read('records/changes/change.yaml', 1024)).toString()).toBe('change:\n  change_id: chg-1\n');
    expect(await source.read('records/ünïcode name.yaml', 1024).catch((e: SourceError) => e.code)).toBe('file.missing');
    source.close();
  });

  it('reads many blobs at once through one batch process, each answer to its request', async () => {
    const source = new GitTreeSource(repo, head, 'head');
    const paths = Array.from({ length: 40 }, (_, i) => `records/many/r${String(i).padStart(2, '0')}.yaml`);
    const contents = await Promise.all(paths.map((p) => source.read(p, 1024)));
    expect(contents.map((c) => c.toString())).toEqual(paths.map((_, i) => `n: ${i}\n`));
    // and again after the idle batch process has ended
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await source.read(paths[3]!, 1024)).toString()).toBe('n: 3\n');
    source.close();
  });

  it('reads and streams a multi-megabyte blob intact', async () => {
    const source = new GitTreeSource(repo, head, 'head');
    expect((await source.read('records/evals/results/large.jsonl', 10_000_000)).equals(bigBlob)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of source.stream('records/evals/results/large.jsonl', 10_000_000)) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(bigBlob)).toBe(true);
    source.close();
  });

  it('enforces the size cap from the tree listing and while streaming', async () => {
    const source = new GitTreeSource(repo, head, 'head');
    expect(await failure(source.read('records/evals/results/large.jsonl', 1_000_000))).toMatchObject({
      code: 'file.too-large',
      message: `records/evals/results/large.jsonl is ${bigBlob.length} bytes, more than the limit of 1000000 bytes; it is not read`
    });
    const stream = async (): Promise<void> => {
      for await (const _chunk of source.stream('records/evals/results/large.jsonl', 1000)) void _chunk;
    };
    await expect(stream()).rejects.toMatchObject({ code: 'file.too-large' });
    source.close();
  });

  it.each([
    ['records/environ.yaml', 'file.symlink', 'is a symbolic link; the gate does not follow links'],
    ['records/git-config.yaml', 'file.symlink', 'is a symbolic link'],
    ['vendor/tools', 'file.submodule', 'is a git submodule'],
    ['vendor/tools/README.md', 'file.submodule', 'is inside the git submodule vendor/tools'],
    ['records/environ.yaml/x', 'file.symlink', 'the folder records/environ.yaml is a symbolic link'],
    ['records/none.yaml', 'file.missing', 'does not exist'],
    ['records', 'file.missing', 'does not exist'],
    ['../etc/passwd', 'file.bad-path', '".." segment'],
    ['/etc/passwd', 'file.bad-path', 'absolute'],
    ['records\\rollout.yaml', 'file.bad-path', 'backslash'],
    ['records/rollout.yaml\0', 'file.bad-path', 'NUL']
  ])('refuses %j (%s)', async (path, code, message) => {
    const source = new GitTreeSource(repo, head, 'head');
    const error = await failure(source.read(path, 1024));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.message).not.toMatch(/PATH=|credential/);
    await expect(failure(source.stream(path, 1024)[Symbol.asyncIterator]().next())).resolves.toMatchObject({ code });
    source.close();
  });

  it('refuses a revision that could be read as an option', () => {
    expect(() => new GitTreeSource(repo, '--output=/tmp/x', 'head')).toThrow(GitError);
  });

  it('names the failing git command when the commit is unknown', async () => {
    const source = new GitTreeSource(repo, 'f'.repeat(40), 'head');
    await expect(source.list()).rejects.toThrow(
      /^git ls-tree -r -l -z --full-tree --end-of-options f{40} failed \(exit 128\)/
    );
  });
});

describe('git helpers', () => {
  it('resolves revisions and says clearly when one does not exist', async () => {
    expect(await revParse(repo, 'main')).toBe(head);
    expect(await revParse(repo, head.slice(0, 10))).toBe(head);
    await expect(revParse(repo, 'no-such-branch')).rejects.toThrow(/"no-such-branch" does not name a commit/);
    await expect(revParse(repo, '--output=/tmp/pwned')).rejects.toThrow(/is not a valid git revision/);
    await expect(revParse(repo, 'main..side')).rejects.toThrow(/is not a valid git revision/);
  });

  it('finds the repository root from a subfolder', async () => {
    mkdirSync(join(repo, 'records/deep'), { recursive: true });
    const root = await repositoryRoot(join(repo, 'records/deep'));
    expect(root.endsWith('/repo')).toBe(true);
    await expect(repositoryRoot(dir)).rejects.toThrow(/git rev-parse --show-toplevel failed/);
  });

  it('knows which commits are present', async () => {
    expect(await hasCommit(repo, base)).toBe(true);
    expect(await hasCommit(repo, 'a'.repeat(40))).toBe(false);
  });

  it('finds merge bases, or null when histories are unrelated', async () => {
    expect(await mergeBase(repo, head, side)).toBe(base);
    git(repo, 'checkout', '-q', '--orphan', 'orphan');
    git(repo, 'rm', '-rq', '--cached', '.');
    write(repo, 'orphan.txt', 'o\n');
    git(repo, 'add', 'orphan.txt');
    git(repo, 'commit', '-q', '-m', 'orphan');
    const orphan = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '-q', '-f', 'main');
    expect(await mergeBase(repo, head, orphan)).toBeNull();
  });

  it('lists changed files with statuses, renames and their previous paths', async () => {
    expect(await changedFiles(repo, base, head)).toEqual([
      { path: 'records/added.yaml', status: 'added' },
      { path: 'records/changes/change.yaml', status: 'modified' },
      { path: 'records/environ.yaml', status: 'added' },
      { path: 'records/evals/results/large.jsonl', status: 'added' },
      { path: 'records/git-config.yaml', status: 'added' },
      { path: 'records/new-name.yaml', status: 'renamed', previous_path: 'records/old-name.yaml' },
      { path: 'records/to-delete.yaml', status: 'removed' },
      { path: 'records/ünïcode name.yaml', status: 'added' },
      { path: 'vendor/tools', status: 'added' }
    ]);
  });

  it('diffs from the merge base by default (what the pull request shows), or tree to tree', async () => {
    // side branched from base and added records/side.yaml; main's changes are not side's
    expect(await changedFiles(repo, head, side)).toEqual([{ path: 'records/side.yaml', status: 'added' }]);
    const direct = await changedFiles(repo, head, side, { direct: true });
    expect(direct).toContainEqual({ path: 'records/side.yaml', status: 'added' });
    expect(direct).toContainEqual({ path: 'records/added.yaml', status: 'removed' });
  });

  it('diffs against the working tree when head is null', async () => {
    write(repo, 'records/changes/change.yaml', 'change:\n  change_id: chg-3\n');
    try {
      expect(await changedFiles(repo, head, null)).toEqual([
        { path: 'records/changes/change.yaml', status: 'modified' }
      ]);
    } finally {
      git(repo, 'checkout', '-q', '--', 'records/changes/change.yaml');
    }
  });

  it('lists untracked files of the working tree as added, but not ignored ones', async () => {
    write(repo, 'agents/bot/prompts/new.md', 'A new prompt, not committed yet.\n');
    write(repo, '.gitignore', 'scratch/\n');
    write(repo, 'scratch/notes.md', 'ignored\n');
    try {
      expect(await changedFiles(repo, head, null)).toEqual([
        { path: '.gitignore', status: 'added' },
        { path: 'agents/bot/prompts/new.md', status: 'added' }
      ]);
      // a tracked file removed from the index but kept on disk is still there: changed, not removed
      git(repo, 'rm', '-q', '--cached', 'records/added.yaml');
      expect(await changedFiles(repo, head, null)).toContainEqual({ path: 'records/added.yaml', status: 'modified' });
    } finally {
      git(repo, 'add', 'records/added.yaml');
      for (const path of ['agents/bot/prompts/new.md', '.gitignore', 'scratch']) {
        rmSync(join(repo, path), { recursive: true });
      }
    }
  });

  it('reads the default branch from origin/HEAD, or null', async () => {
    expect(await defaultBranch(repo)).toBeNull();
    const clone = join(dir, 'clone');
    git(dir, 'clone', '-q', repo, clone);
    expect(await defaultBranch(clone)).toBe('main');
  });

  it('finds the default branch to compare with: origin/HEAD, else init.defaultBranch, main or master', async () => {
    // no remote: the local branch
    expect(await defaultBranchRef(repo)).toEqual({ branch: 'main', ref: 'refs/heads/main' });
    // a clone knows origin/HEAD: origin's copy, not a possibly stale local branch
    expect(await defaultBranchRef(join(dir, 'clone'))).toEqual({ branch: 'main', ref: 'refs/remotes/origin/main' });

    const other = join(dir, 'trunk-repo');
    mkdirSync(other);
    git(other, 'init', '-q', '-b', 'trunk');
    expect(await defaultBranchRef(other)).toBeNull(); // no commit, no branch
    write(other, 'a.txt', 'a\n');
    commitAll(other, 'first');
    expect(await defaultBranchRef(other)).toBeNull(); // "trunk" is nobody's default
    git(other, 'config', 'init.defaultBranch', 'trunk');
    expect(await defaultBranchRef(other)).toEqual({ branch: 'trunk', ref: 'refs/heads/trunk' });
    // a remote added by hand has no origin/HEAD: origin's copy of a candidate is still preferred
    git(other, 'checkout', '-q', '-b', 'master');
    git(other, 'config', '--unset', 'init.defaultBranch');
    git(other, 'update-ref', 'refs/remotes/origin/master', 'HEAD');
    expect(await defaultBranchRef(other)).toEqual({ branch: 'master', ref: 'refs/remotes/origin/master' });
  });

  it('fetches one commit shallowly from origin', async () => {
    const shallow = join(dir, 'shallow');
    git(dir, 'clone', '-q', '--depth=1', '--branch', 'side', `file://${repo}`, shallow);
    expect(await hasCommit(shallow, head)).toBe(false);
    await fetchCommit(shallow, head);
    expect(await hasCommit(shallow, head)).toBe(true);
    const source = new GitTreeSource(shallow, head, 'head');
    expect((await source.read('records/added.yaml', 100)).toString()).toBe('added: true\n');
    source.close();
    await expect(fetchCommit(shallow, 'main')).rejects.toThrow(/not a full commit SHA/);
    await expect(fetchCommit(shallow, 'b'.repeat(40))).rejects.toThrow(
      /^git fetch --no-tags --no-recurse-submodules --depth=1 origin b{40} failed/
    );
  });
});
