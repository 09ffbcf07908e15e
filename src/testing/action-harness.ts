/**
 * Runs the bundled action (dist/index.js) as a child process exactly as the runner does: INPUT_* variables
 * (the runner keeps dashes and upper-cases: INPUT_GITHUB-TOKEN), GITHUB_* variables, an event payload file,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files — against a temporary git repository and the fake GitHub.
 * Not bundled: only tests import this module.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
/** The committed bundle; AGENT_GATE_E2E_BUNDLE points elsewhere while dist/ is being rebuilt by someone else. */
export const BUNDLE = process.env.AGENT_GATE_E2E_BUNDLE ?? join(ROOT, 'dist/index.js');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Alex Dev',
  GIT_AUTHOR_EMAIL: 'alex@example.test',
  GIT_COMMITTER_NAME: 'Alex Dev',
  GIT_COMMITTER_EMAIL: 'alex@example.test',
  GIT_AUTHOR_DATE: '2026-11-18T12:00:00Z',
  GIT_COMMITTER_DATE: '2026-11-18T12:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir()
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8'
  }).trim();
}

/** Replaces a directory's contents (except .git) with a copy of `from`. */
function replaceTree(dir: string, from: string): void {
  for (const entry of execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    if (entry !== '.git') rmSync(join(dir, entry), { recursive: true, force: true });
  }
  cpSync(from, dir, { recursive: true });
}

export interface TempRepo {
  root: string;
  /** the "GitHub" remote: a bare repository that allows fetching any commit by SHA, like github.com */
  origin: string;
  base: string;
  /** head commits, oldest first (the last is the pull request's head) */
  heads: string[];
  /** the test merge commit GitHub builds for pull_request (base + head) */
  merge: string;
  cleanup(): void;
}

/**
 * A repository whose main branch holds `baseDir` and whose feature branch adds `headDirs` commit by commit.
 * `extraHeads` adds that many further commits, each touching a note file, on top.
 */
export function createRepo(baseDir: string, headDir: string, extraHeads = 0): TempRepo {
  const root = mkdtempSync(join(tmpdir(), 'agent-gate-e2e-'));
  const work = join(root, 'author');
  mkdirSync(work);
  git(work, 'init', '-q');
  replaceTree(work, baseDir);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'base: support-triage agent');
  const base = git(work, 'rev-parse', 'HEAD');
  git(work, 'checkout', '-q', '-b', 'prompt-tune');
  replaceTree(work, headDir);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'head: tune the triage prompt and routing');
  const heads = [git(work, 'rev-parse', 'HEAD')];
  for (let i = 1; i <= extraHeads; i++) {
    writeFileSync(join(work, 'NOTES.md'), `iteration ${i}\n`);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', `iteration ${i}`);
    heads.push(git(work, 'rev-parse', 'HEAD'));
  }
  const last = heads[heads.length - 1]!;
  const tree = git(work, 'rev-parse', `${last}^{tree}`);
  const merge = git(work, 'commit-tree', tree, '-p', base, '-p', last, '-m', `Merge ${last} into ${base}`);
  git(work, 'update-ref', 'refs/pull/412/merge', merge);
  git(work, 'update-ref', 'refs/pull/412/head', last);
  git(work, 'checkout', '-q', 'main');

  const origin = join(root, 'origin.git');
  git(root, 'clone', '-q', '--bare', work, origin);
  git(origin, 'fetch', '-q', work, '+refs/pull/*:refs/pull/*');
  git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  return { root, origin, base, heads, merge, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A workspace as actions/checkout leaves it: one commit, fetched with depth 1, detached. */
export function checkout(repo: TempRepo, sha: string, name = 'workspace', depth: number | null = 1): string {
  const dir = join(repo.root, name);
  mkdirSync(dir);
  git(dir, 'init', '-q');
  git(dir, 'remote', 'add', 'origin', `file://${repo.origin}`);
  git(dir, 'fetch', '-q', '--no-tags', ...(depth === null ? [] : [`--depth=${depth}`]), 'origin', sha);
  git(dir, 'checkout', '-q', '--detach', sha);
  return dir;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  decisionFile: string;
  elapsedMs: number;
}

export interface RunOptions {
  node?: string;
  workspace: string;
  eventName: string;
  payload: unknown;
  inputs?: Record<string, string>;
  apiUrl: string;
  sha: string;
  ref?: string;
  env?: Record<string, string>;
  /** for concurrent runs in one workspace */
  tag?: string;
}

/** GITHUB_OUTPUT's heredoc format: name<<delimiter \n value \n delimiter */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]!);
    outputs[match[1]!] = value.join('\n');
  }
  return outputs;
}

export function runAction(options: RunOptions): Promise<ActionRun> {
  const tag = options.tag ?? 'run';
  const temp = mkdtempSync(join(tmpdir(), `agent-gate-runner-${tag}-`));
  const eventPath = join(temp, 'event.json');
  const outputPath = join(temp, 'output.txt');
  const summaryPath = join(temp, 'summary.md');
  writeFileSync(eventPath, JSON.stringify(options.payload, null, 2));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const inputs: Record<string, string> = {
    // the runner passes every declared input, defaults filled in from action.yml
    'github-token': 'ghs_actions-token',
    config: '.github/agent-gate.yml',
    comment: 'always',
    'fail-on': 'follow_up',
    'warn-only': 'false',
    'base-ref': '',
    'head-ref': '',
    'trust-config-from': 'base',
    'decision-file': `agent-gate-decision-${tag}.json`,
    'sarif-file': '',
    'working-directory': '.',
    ...(options.inputs ?? {})
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: 'acme/support-triage',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: options.sha,
    GITHUB_REF: options.ref ?? 'refs/pull/412/merge',
    GITHUB_RUN_ID: '9100000001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_API_URL: options.apiUrl,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
    ...(options.env ?? {})
  };
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(options.node ?? process.execPath, [BUNDLE], {
      cwd: options.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const decisionFile = resolve(options.workspace, inputs['decision-file']!);
      resolvePromise({
        code,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
        summary: readFileSync(summaryPath, 'utf8'),
        decisionFile: existsSync(decisionFile) ? readFileSync(decisionFile, 'utf8') : '',
        elapsedMs: Date.now() - started
      });
      rmSync(temp, { recursive: true, force: true });
    });
  });
}

type Json = Record<string, unknown>;

/** A real webhook payload from @octokit/webhooks-examples, for `event` (and `action`), as parsed JSON. */
export function webhookExample(event: string, action?: string): Json {
  const list = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')
  ) as { name: string; examples: Json[] }[];
  const found = list.find((e) => e.name === event)?.examples.find((x) => action === undefined || x.action === action);
  if (!found) throw new Error(`no webhook example for ${event}${action ? `.${action}` : ''}`);
  return structuredClone(found);
}

function patchRepository(payload: Json): void {
  const repository = payload.repository as Json;
  Object.assign(repository, { name: 'support-triage', full_name: 'acme/support-triage', default_branch: 'main' });
  Object.assign(repository.owner as Json, { login: 'acme' });
}

/** pull_request (or pull_request_target) payload for PR #412, patched with the temp repository's commits. */
export function pullRequestPayload(
  repo: TempRepo,
  options: { action?: 'opened' | 'synchronize'; head?: string; fork?: boolean } = {}
): Json {
  const payload = webhookExample('pull_request', options.action ?? 'synchronize');
  patchRepository(payload);
  const head = options.head ?? repo.heads[repo.heads.length - 1]!;
  payload.number = 412;
  const pr = payload.pull_request as Json;
  pr.number = 412;
  Object.assign(pr.user as Json, { login: 'alex-dev' });
  const prHead = pr.head as Json;
  Object.assign(prHead, { sha: head, ref: 'prompt-tune', label: 'acme:prompt-tune' });
  Object.assign(prHead.repo as Json, {
    full_name: options.fork ? 'alex-dev/support-triage' : 'acme/support-triage',
    fork: options.fork === true
  });
  Object.assign(pr.base as Json, { sha: repo.base, ref: 'main', label: 'acme:main' });
  Object.assign((pr.base as Json).repo as Json, { full_name: 'acme/support-triage' });
  if ('after' in payload) Object.assign(payload, { before: repo.base, after: head });
  return payload;
}

export function mergeGroupPayload(repo: TempRepo, groupHead: string): Json {
  const payload = webhookExample('merge_group', 'checks_requested');
  patchRepository(payload);
  Object.assign(payload.merge_group as Json, {
    head_sha: groupHead,
    head_ref: `refs/heads/gh-readonly-queue/main/pr-412-${repo.heads[repo.heads.length - 1]}`,
    base_sha: repo.base,
    base_ref: 'refs/heads/main'
  });
  return payload;
}

export function pushPayload(repo: TempRepo, after: string, before: string): Json {
  const payload = webhookExample('push');
  patchRepository(payload);
  Object.assign(payload, { ref: 'refs/heads/main', before, after, created: false, deleted: false, base_ref: null });
  return payload;
}

export function workflowDispatchPayload(ref: string): Json {
  const payload = webhookExample('workflow_dispatch');
  patchRepository(payload);
  Object.assign(payload, { ref, inputs: {} });
  return payload;
}
