/**
 * Files from a git commit, and the few git questions the action and the CLI ask (is this commit here,
 * fetch it, merge base, changed files, default branch).
 *
 * git runs through execFile with argument arrays (never a shell), `-c core.quotepath=off`, NUL-separated
 * output where paths are involved, bounded output and a timeout. A failure names the git command that
 * failed. Revisions given by callers are checked so they can never be read as options.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ChangedFile, ChangeStatus } from '../model/input.js';
import type { Side } from '../model/location.js';
import { tooLarge } from './paths.js';
import type { SourceEntry } from './source.js';
import { TreeSource, treeEntryType } from './tree-entry.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const FETCH_TIMEOUT_MS = 300_000;
/** ls-tree / diff output cap: a tree of a million files is about 100 MB of listing */
const LISTING_MAX_BYTES = 256 * 1024 * 1024;
const SMALL_OUTPUT_BYTES = 1024 * 1024;
/** a `cat-file --batch` process is closed after this long without requests */
const BATCH_IDLE_MS = 250;

/** A git command that failed (not the user's records: the checkout or the environment). */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    detail?: string
  ) {
    super(
      `git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${detail ?? firstLines(stderr)}`
    );
    this.name = 'GitError';
  }
}

interface RunOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** exit codes that are answers, not failures */
  okExitCodes?: number[];
}

interface RunResult {
  stdout: Buffer;
  exitCode: number;
}

/** Variables that would point git at another repository, index or object store than `-C <repo>`. */
const LOCATION_VARIABLES = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE'
]);

const GIT_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !LOCATION_VARIABLES.has(name))),
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  LC_ALL: 'C'
};

function gitArgs(repo: string, args: readonly string[]): string[] {
  return ['-C', repo, '-c', 'core.quotepath=off', ...args];
}

/** Runs git; resolves for exit 0 and for `okExitCodes`, rejects with a GitError otherwise. */
export function runGit(repo: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      gitArgs(repo, args),
      {
        encoding: 'buffer',
        maxBuffer: options.maxBytes ?? SMALL_OUTPUT_BYTES,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        windowsHide: true,
        env: GIT_ENV
      },
      (error, stdout, stderr) => {
        const err = stderr.toString('utf8');
        if (!error) return resolvePromise({ stdout, exitCode: 0 });
        const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (e.code === 'ENOENT') return reject(new GitError(args, null, '', 'git is not installed or not on PATH'));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(
            new GitError(args, null, err, `its output exceeded ${options.maxBytes ?? SMALL_OUTPUT_BYTES} bytes`)
          );
        }
        if (e.killed) {
          return reject(
            new GitError(args, null, err, `timed out after ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000}s`)
          );
        }
        const exitCode = typeof e.code === 'number' ? e.code : null;
        if (exitCode !== null && options.okExitCodes?.includes(exitCode)) return resolvePromise({ stdout, exitCode });
        reject(new GitError(args, exitCode, err));
      }
    );
  });
}

/** A revision argument: a hex object name or a ref name that cannot be mistaken for an option. */
function checkRevision(rev: string): string {
  if (
    rev.length === 0 ||
    rev.length > 256 ||
    rev.startsWith('-') ||
    rev.includes('..') ||
    rev.includes('@{') ||
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(rev)
  ) {
    throw new GitError(
      ['rev-parse', rev.slice(0, 80)],
      null,
      '',
      `${JSON.stringify(rev.slice(0, 80))} is not a valid git revision`
    );
  }
  return rev;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function checkObjectId(sha: string): string {
  if (!OBJECT_ID.test(sha)) {
    throw new GitError(
      ['fetch'],
      null,
      '',
      `${JSON.stringify(sha.slice(0, 80))} is not a full commit SHA (40 or 64 hex digits)`
    );
  }
  return sha;
}

function lines(output: Buffer): string[] {
  return output
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The full SHA of the commit a revision names; a GitError saying so when it names none. */
export async function revParse(repo: string, ref: string): Promise<string> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${checkRevision(ref)}^{commit}`];
  const { stdout, exitCode } = await runGit(repo, args, { okExitCodes: [1, 128] });
  const sha = exitCode === 0 ? lines(stdout)[0] : undefined;
  if (!sha) {
    throw new GitError(args, exitCode, '', `${JSON.stringify(ref)} does not name a commit in ${repo} (is it fetched?)`);
  }
  return sha;
}

/** The top folder of the git working tree that contains `dir`. */
export async function repositoryRoot(dir: string): Promise<string> {
  const args = ['rev-parse', '--show-toplevel'];
  const { stdout } = await runGit(dir, args);
  const root = lines(stdout)[0];
  if (!root) throw new GitError(args, 0, '', `${dir} is not inside a git working tree`);
  return root;
}

/** Whether the commit is present in the local object store (a shallow clone may lack it). */
export async function hasCommit(repo: string, sha: string): Promise<boolean> {
  const { exitCode } = await runGit(repo, ['cat-file', '-e', `${checkRevision(sha)}^{commit}`], {
    okExitCodes: [1, 128]
  });
  return exitCode === 0;
}

/** Fetches one commit from origin without its history (enough to read its tree). */
export async function fetchCommit(repo: string, sha: string, remote = 'origin'): Promise<void> {
  await runGit(
    repo,
    ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', checkRevision(remote), checkObjectId(sha)],
    { timeoutMs: FETCH_TIMEOUT_MS }
  );
}

/** The best common ancestor of two commits, or null when they share no history (or it is not fetched). */
export async function mergeBase(repo: string, a: string, b: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(repo, ['merge-base', checkRevision(a), checkRevision(b)], {
    okExitCodes: [1]
  });
  if (exitCode !== 0) return null;
  return lines(stdout)[0] ?? null;
}

/** The branch origin/HEAD points at ("main"), or null when the clone does not know it. */
export async function defaultBranch(repo: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(repo, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], {
    okExitCodes: [1, 128]
  });
  if (exitCode !== 0) return null;
  const ref = lines(stdout)[0];
  return ref?.startsWith('refs/remotes/origin/') ? ref.slice('refs/remotes/origin/'.length) : null;
}

/** The default branch and the ref that names it best here: origin's copy when there is one, else the local branch. */
export interface DefaultBranchRef {
  branch: string;
  /** "refs/remotes/origin/main" or "refs/heads/main" */
  ref: string;
}

/**
 * The default branch a change is compared with: the one origin/HEAD points at; without it (a repository
 * without a remote, or a remote added by hand, which sets no origin/HEAD) the configured `init.defaultBranch`,
 * then `main`, then `master` — whichever exists, origin's copy first. Null when none exists.
 */
export async function defaultBranchRef(repo: string): Promise<DefaultBranchRef | null> {
  const fromOrigin = await defaultBranch(repo);
  const configured = await runGit(repo, ['config', '--get', 'init.defaultBranch'], { okExitCodes: [1] });
  const candidates = [fromOrigin, lines(configured.stdout)[0], 'main', 'master'].filter(
    (name, i, all): name is string => !!name && all.indexOf(name) === i && isSafeBranchName(name)
  );
  const refs = candidates.flatMap((name) => [`refs/remotes/origin/${name}`, `refs/heads/${name}`]);
  const { stdout } = await runGit(repo, ['for-each-ref', '--format=%(refname)', '--', ...refs]);
  // for-each-ref matches prefixes ("refs/heads/main" also matches "refs/heads/main/x"): keep exact names
  const existing = new Set(lines(stdout));
  for (const branch of candidates) {
    for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
      if (existing.has(ref)) return { branch, ref };
    }
  }
  return null;
}

function isSafeBranchName(name: string): boolean {
  try {
    checkRevision(name);
    return true;
  } catch {
    return false;
  }
}

const STATUS: Record<string, ChangeStatus> = {
  A: 'added',
  M: 'modified',
  D: 'removed',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
  U: 'modified'
};

/**
 * Files that differ between `base` and `head`. By default from their merge base (what a pull request
 * shows, `base...head`); with `{ direct: true }` between the two trees as they are. A null `head` is the
 * working tree: tracked files as they are on disk, and untracked files that are not ignored, as added
 * (a new prompt not yet committed is part of the change).
 */
export async function changedFiles(
  repo: string,
  base: string,
  head: string | null,
  options: { direct?: boolean } = {}
): Promise<ChangedFile[]> {
  const b = checkRevision(base);
  let range: string[];
  if (head === null) range = options.direct ? [b] : ['--merge-base', b];
  else range = options.direct ? [b, checkRevision(head)] : [`${b}...${checkRevision(head)}`];
  const args = ['diff', '--name-status', '-z', '--find-renames', '--no-ext-diff', '--no-textconv', ...range, '--'];
  const { stdout } = await runGit(repo, args, { maxBytes: LISTING_MAX_BYTES });
  const fields = stdout.toString('utf8').split('\0');
  const files: ChangedFile[] = [];
  let i = 0;
  while (i < fields.length && fields[i] !== '') {
    const code = fields[i]!;
    const status = STATUS[code[0]!];
    if (!status)
      throw new GitError(args, 0, '', `unexpected status ${JSON.stringify(code.slice(0, 10))} in its output`);
    if (status === 'renamed' || status === 'copied') {
      const previous = fields[i + 1];
      const path = fields[i + 2];
      if (previous === undefined || path === undefined) throw new GitError(args, 0, '', 'truncated output');
      files.push({ path, status, previous_path: previous });
      i += 3;
    } else {
      const path = fields[i + 1];
      if (path === undefined) throw new GitError(args, 0, '', 'truncated output');
      files.push({ path, status });
      i += 2;
    }
  }
  if (head === null) addUntracked(files, await untrackedFiles(repo));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Files in the working tree that git does not track and does not ignore. */
async function untrackedFiles(repo: string): Promise<string[]> {
  const args = ['ls-files', '-z', '--others', '--exclude-standard', '--full-name', '--', ':/'];
  const { stdout } = await runGit(repo, args, { maxBytes: LISTING_MAX_BYTES });
  return stdout
    .toString('utf8')
    .split('\0')
    .filter((path) => path !== '');
}

function addUntracked(files: ChangedFile[], untracked: string[]): void {
  const listed = new Map(files.map((f) => [f.path, f]));
  for (const path of untracked) {
    const known = listed.get(path);
    // removed from the index but still on disk (`git rm --cached`): the file is there, maybe different
    if (known?.status === 'removed') known.status = 'modified';
    else if (!known) files.push({ path, status: 'added' });
  }
}

interface TreeEntry {
  entry: SourceEntry;
  oid: string;
}

/** The files of one commit, read from the object store (nothing is checked out). */
export class GitTreeSource extends TreeSource<TreeEntry> {
  readonly description: string;
  private readonly batch: BlobBatch;

  constructor(
    private readonly repoDir: string,
    private readonly commit: string,
    readonly side: Side
  ) {
    super();
    checkRevision(commit);
    this.description = `git commit ${commit.slice(0, 12)}`;
    this.batch = new BlobBatch(repoDir);
  }

  async read(path: string, maxBytes: number): Promise<Buffer> {
    const target = await this.regularFile(path, maxBytes);
    const blob = await this.batch.read(target.oid);
    if (blob.length > maxBytes) throw tooLarge(path, maxBytes, blob.length);
    return blob;
  }

  async *stream(path: string, maxBytes: number): AsyncIterable<Buffer> {
    const target = await this.regularFile(path, maxBytes);
    let total = 0;
    for await (const chunk of streamBlob(this.repoDir, target.oid)) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(path, maxBytes);
      yield chunk;
    }
  }

  /** Ends the background `git cat-file` process now instead of after its idle delay. */
  close(): void {
    this.batch.close();
  }

  protected async loadTree(): Promise<Map<string, TreeEntry>> {
    const args = ['ls-tree', '-r', '-l', '-z', '--full-tree', '--end-of-options', this.commit];
    const { stdout } = await runGit(this.repoDir, args, { maxBytes: LISTING_MAX_BYTES });
    const map = new Map<string, TreeEntry>();
    for (const record of stdout.toString('utf8').split('\0')) {
      if (record === '') continue;
      // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
      const tab = record.indexOf('\t');
      const match = /^(\d{6}) (\w+) ([0-9a-f]+) +(\d+|-)$/.exec(record.slice(0, tab));
      if (tab < 0 || !match) throw new GitError(args, 0, '', 'unexpected line in its output');
      const path = record.slice(tab + 1);
      const mode = match[1]!;
      const type = treeEntryType(mode, match[2]);
      if (type === null) continue; // folders are not listed
      const size = match[4] === '-' || type !== 'file' ? null : Number(match[4]);
      map.set(path, { entry: { path, type, size }, oid: match[3]! });
    }
    return map;
  }
}

/** One blob's bytes, streamed from a dedicated `git cat-file blob` (large evidence files). */
async function* streamBlob(repo: string, oid: string): AsyncIterable<Buffer> {
  const args = ['cat-file', 'blob', oid];
  const child = spawn('git', gitArgs(repo, args), {
    env: GIT_ENV,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  const exited = new Promise<number | null>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolveExit(code));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_TIMEOUT_MS * 5);
  timer.unref();
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    if (code !== 0) throw new GitError(args, code, stderr);
    finished = true;
  } finally {
    clearTimeout(timer);
    if (!finished) child.kill('SIGKILL');
  }
}

interface BatchRequest {
  oid: string;
  resolve: (blob: Buffer) => void;
  reject: (error: Error) => void;
}

/** The answer being received: its header is read, its bytes are arriving. */
interface Incoming {
  blob: Buffer;
  filled: number;
  type: string;
}

/**
 * Blobs through one long-lived `git cat-file --batch`: one process for thousands of small records
 * instead of one process each. It starts on demand and ends after a short idle time.
 */
class BlobBatch {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly queue: BatchRequest[] = [];
  /** bytes received but not yet consumed (header lines, the separator after a blob) */
  private pending: Buffer = Buffer.alloc(0);
  private incoming: Incoming | null = null;
  private idle: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stderr = '';

  constructor(private readonly repo: string) {}

  read(oid: string): Promise<Buffer> {
    return new Promise((resolveRead, reject) => {
      if (this.idle) clearTimeout(this.idle);
      this.idle = null;
      const child = this.start();
      this.queue.push({ oid, resolve: resolveRead, reject });
      this.armWatchdog();
      child.stdin.write(`${oid}\n`);
    });
  }

  close(reason = 'closed'): void {
    for (const timer of [this.idle, this.watchdog]) if (timer) clearTimeout(timer);
    this.idle = null;
    this.watchdog = null;
    const child = this.child;
    this.child = null;
    if (child) {
      child.stdin.end();
      child.kill('SIGKILL');
    }
    this.failAll(new GitError(['cat-file', '--batch'], null, this.stderr, reason));
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', gitArgs(this.repo, ['cat-file', '--batch']), { env: GIT_ENV, windowsHide: true });
    this.child = child;
    this.pending = Buffer.alloc(0);
    this.incoming = null;
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.armWatchdog();
      this.receive(chunk);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += d.toString('utf8');
    });
    const fail = (detail?: string): void => {
      if (this.child !== child) return;
      this.child = null;
      this.failAll(new GitError(['cat-file', '--batch'], child.exitCode, this.stderr, detail));
    };
    child.on('error', (e) => fail(e.message));
    child.on('close', () => fail());
    child.stdin.on('error', () => undefined); // reported through 'close'
    return child;
  }

  /** Consumes "<oid> <type> <size>\n<bytes>\n" answers (or "<oid> missing\n") in request order. */
  private receive(chunk: Buffer): void {
    let data = chunk;
    for (;;) {
      if (this.incoming) {
        const { blob } = this.incoming;
        const take = Math.min(blob.length - this.incoming.filled, data.length);
        data.copy(blob, this.incoming.filled, 0, take);
        this.incoming.filled += take;
        data = data.subarray(take);
        if (this.incoming.filled < blob.length) return; // more bytes to come
        if (data.length === 0) return; // the "\n" separator is still to come
        // the blob is complete and its "\n" separator is in `data`
        data = data.subarray(1);
        const { type } = this.incoming;
        this.incoming = null;
        this.settle((request) =>
          type === 'blob'
            ? request.resolve(blob)
            : request.reject(new GitError(['cat-file', '--batch'], null, '', `object ${request.oid} is a ${type}`))
        );
        continue;
      }
      this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
      data = Buffer.alloc(0);
      const newline = this.pending.indexOf(0x0a);
      if (newline < 0) return;
      const header = this.pending.subarray(0, newline).toString('utf8');
      const rest = this.pending.subarray(newline + 1);
      this.pending = Buffer.alloc(0);
      const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
      if (match) {
        this.incoming = { blob: Buffer.allocUnsafe(Number(match[3])), filled: 0, type: match[2]! };
      } else {
        const detail = header.slice(0, 100);
        this.settle((request) =>
          request.reject(new GitError(['cat-file', '--batch'], null, '', `object ${request.oid}: ${detail}`))
        );
      }
      data = rest;
      if (data.length === 0 && !this.incoming) return;
    }
  }

  private settle(answer: (request: BatchRequest) => void): void {
    const request = this.queue.shift();
    if (request) answer(request);
    if (this.queue.length === 0) {
      if (this.watchdog) clearTimeout(this.watchdog);
      this.watchdog = null;
      this.scheduleIdle();
    }
  }

  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.close(`no answer for ${DEFAULT_TIMEOUT_MS / 1000}s`), DEFAULT_TIMEOUT_MS);
    this.watchdog.unref();
  }

  private scheduleIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.close(), BATCH_IDLE_MS);
    this.idle.unref();
  }

  private failAll(error: Error): void {
    for (const request of this.queue.splice(0)) request.reject(error);
  }
}

function firstLines(text: string): string {
  const trimmed = text.trim().split('\n').slice(0, 3).join(' / ');
  return trimmed.length > 400 ? `${trimmed.slice(0, 400)}…` : trimmed || 'no error output';
}
