/**
 * Shared by the CLI tests: run the committed bundle (dist/cli/index.js) as a process, and build throw-away git
 * repositories from the support-triage example (base on `main`, head on a feature branch).
 */
import { afterAll } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DecisionStatement } from '../../model/decision.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUNDLE = join(ROOT, 'dist/cli/index.js');
export const EXAMPLE = join(ROOT, 'examples/support-triage');
/** a generous per-test budget: the machine is shared and every test starts several processes */
export const SLOW = 180_000;

/** The environment every run gets: no GitHub runner variables, no colour, no user or system git config. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('GITHUB_') || name.startsWith('GIT_') || name === 'NO_COLOR' || name === 'FORCE_COLOR')
      continue;
    env[name] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    ...extra
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/index.js ...args` in `cwd` (stdin closed, stdout and stderr pipes, not TTYs). */
export function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe']
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
    );
  });
}

/** `cli` with --format json: the exit code and the parsed in-toto statement. */
export async function checkJson(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
): Promise<{ code: number | null; statement: DecisionStatement; stderr: string }> {
  const result = await cli(['check', '--format', 'json', ...args], options);
  let statement: DecisionStatement;
  try {
    statement = JSON.parse(result.stdout) as DecisionStatement;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, statement, stderr: result.stderr };
}

/** Rule ids of a decision's findings of one severity, sorted, without repeats. */
export function rulesOf(statement: DecisionStatement, severity?: 'deny' | 'follow_up' | 'warning'): string[] {
  const ids = statement.predicate.findings.filter((f) => !severity || f.severity === severity).map((f) => f.rule);
  return [...new Set(ids)].sort();
}

const temporary: string[] = [];

/** A temporary folder, removed after the test file. */
export function tempDir(prefix = 'agent-gate-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: cleanEnv(), encoding: 'utf8' }).trim();
}

export function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Replaces the working tree (not .git) with a copy of `from`. */
export function replaceTree(repo: string, from: string): void {
  for (const entry of readdirSync(repo)) if (entry !== '.git') rmSync(join(repo, entry), { recursive: true });
  cpSync(from, repo, { recursive: true });
}

export function commitAll(repo: string, message: string): string {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

export interface ExampleRepo {
  dir: string;
  /** the commit on main: examples/support-triage/base */
  base: string;
  /** the tip of `feature`: examples/support-triage/head, plus `edit`'s changes */
  head: string;
}

/**
 * A repository whose `main` holds the example's base and whose checked-out branch `feature` holds its head.
 * `edit` changes the head's files before they are committed (a scenario); the working tree is left clean.
 */
export function exampleRepo(edit: (dir: string) => void = () => undefined): ExampleRepo {
  const dir = join(tempDir(), 'repo');
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  replaceTree(dir, join(EXAMPLE, 'base'));
  const base = commitAll(dir, 'support-triage as released');
  git(dir, 'checkout', '-q', '-b', 'feature');
  replaceTree(dir, join(EXAMPLE, 'head'));
  edit(dir);
  const head = commitAll(dir, 'idempotent ticket creation; claude-sonnet-4-5');
  return { dir, base, head };
}

export const REVIEWS = join(EXAMPLE, 'reviews.json');

/** The example's reviews (approvals by every role holder) given on `commit`, as `gh api .../reviews` lists them. */
export function reviewsOn(commit: string): string {
  const file = JSON.parse(readFileSync(REVIEWS, 'utf8')) as { reviews: Record<string, unknown>[] };
  return JSON.stringify(
    file.reviews.map((r) => ({ ...r, commit_id: commit })),
    null,
    2
  );
}
