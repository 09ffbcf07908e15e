/**
 * The action's wiring (src/main.ts, in process) against the fake GitHub and a temporary repository built from
 * examples/support-triage: output paths, the comment of a failed run, misleading input messages.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { annotate, run } from '../main.js';
import { FakeGitHub, GITHUB_ACTIONS_BOT } from '../testing/github-server.js';
import {
  checkout,
  createRepo,
  parseOutputs,
  pullRequestPayload,
  ROOT,
  type TempRepo
} from '../testing/action-harness.js';

const EXAMPLE = join(ROOT, 'examples/support-triage');
const MARKER = '<!-- agent-release-gate:key=support-triage -->';
const TIMEOUT = 60_000;

interface ExampleReviews {
  pull_request: { head_sha: string };
  reviews: { user: { login: string }; state: string; commit_id: string; submitted_at: string }[];
}

let repo: TempRepo;
let ws: string;
let head: string;

beforeAll(() => {
  repo = createRepo(join(EXAMPLE, 'base'), join(EXAMPLE, 'head'));
  head = repo.heads[repo.heads.length - 1]!;
  ws = checkout(repo, repo.merge, 'ws');
  mkdirSync(join(ws, 'adir'));
  writeFileSync(join(ws, 'afile'), 'not a directory\n');
}, TIMEOUT);
afterAll(() => repo.cleanup());

interface Result {
  code: number | undefined;
  stdout: string;
  outputs: Record<string, string>;
  server: FakeGitHub;
  temp: string;
}

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

async function act(inputs: Record<string, string>, setup?: (server: FakeGitHub) => void): Promise<Result> {
  const server = new FakeGitHub();
  await server.start();
  const example = JSON.parse(readFileSync(join(EXAMPLE, 'reviews.json'), 'utf8')) as ExampleReviews;
  server.addPull({
    number: 412,
    author: 'alex-dev',
    head: { sha: head, ref: 'prompt-tune' },
    base: { sha: repo.base, ref: 'main' },
    reviews: example.reviews.map((r) => ({
      user: r.user.login,
      state: r.state as 'APPROVED',
      commit_id: r.commit_id === example.pull_request.head_sha ? head : repo.base,
      submitted_at: r.submitted_at
    }))
  });
  setup?.(server);
  const temp = mkdtempSync(join(tmpdir(), 'agent-gate-telling-'));
  const eventPath = join(temp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(pullRequestPayload(repo)));
  writeFileSync(join(temp, 'output.txt'), '');
  writeFileSync(join(temp, 'summary.md'), '');
  const all: Record<string, string> = {
    'github-token': 'ghs_actions-token',
    config: '.github/agent-gate.yml',
    comment: 'always',
    'fail-on': 'follow_up',
    'warn-only': 'false',
    'trust-config-from': 'base',
    'decision-file': 'agent-gate-decision.json',
    'working-directory': '.',
    ...inputs
  };
  const env: NodeJS.ProcessEnv = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: ws,
    GITHUB_REPOSITORY: 'acme/support-triage',
    GITHUB_SHA: repo.merge,
    GITHUB_REF: 'refs/pull/412/merge',
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_API_URL: server.url,
    GITHUB_RUN_ID: '9100000001',
    RUNNER_TEMP: temp
  };
  process.env = {
    ...saved,
    ...env,
    GITHUB_OUTPUT: join(temp, 'output.txt'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary.md')
  };
  let stdout = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    await run({ env, getInput: (name) => all[name] ?? '' });
  } finally {
    jest.restoreAllMocks();
    await server.stop();
  }
  const code = process.exitCode as number | undefined;
  const outputs = parseOutputs(readFileSync(join(temp, 'output.txt'), 'utf8'));
  rmSync(temp, { recursive: true, force: true });
  return { code, stdout, outputs, server, temp };
}

function decisionFile(path = join(ws, 'agent-gate-decision.json')): { outcome: string; errors: { message: string }[] } {
  return JSON.parse(readFileSync(path, 'utf8')).predicate;
}

const errors = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error'));

describe('output paths', () => {
  it(
    'the baseline allows and comments ✅',
    async () => {
      const r = await act({});
      expect(r.code ?? 0).toBe(0);
      expect(r.outputs.decision).toBe('allow');
    },
    TIMEOUT
  );

  it.each([
    ['decision-file', 'adir', 'is a directory'],
    ['decision-file', '/proc/version', 'is outside the workspace'],
    ['decision-file', '../../escaped-decision.json', 'is outside the workspace'],
    ['sarif-file', 'adir', 'is a directory']
  ])(
    '%s: %s is a settings error naming the input, with the decision file written and no ✅ comment',
    async (input, value, problem) => {
      rmSync(join(ws, 'agent-gate-decision.json'), { force: true });
      const r = await act({ [input]: value });
      expect(r.code).toBe(2);
      expect(errors(r.stdout).join('\n')).toContain(`input ${input}: "${value}" ${problem}`);
      expect(r.outputs).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
      expect(decisionFile().outcome).toBe('invalid_input');
      expect(existsSync(join(repo.root, 'escaped-decision.json'))).toBe(false);
      for (const c of r.server.commentsOn(412)) expect(c.body).not.toContain('✅');
    },
    TIMEOUT
  );

  it(
    'a SARIF file that cannot be written fails the run before the comment, which never says allow',
    async () => {
      rmSync(join(ws, 'agent-gate-decision.json'), { force: true });
      const r = await act({ 'sarif-file': 'afile/gate.sarif' });
      expect(r.code).toBe(2);
      expect(errors(r.stdout).join('\n')).toMatch(/input sarif-file: cannot write .*afile\/gate\.sarif \(E[A-Z]+: /);
      expect(r.outputs).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
      // the decision file holds the failed run, not the allow that preceded the failed write
      expect(decisionFile().outcome).toBe('invalid_input');
      const comments = r.server.commentsOn(412);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).not.toContain('✅');
      expect(r.server.calls().findIndex((c) => c.startsWith('POST'))).toBeGreaterThan(-1);
    },
    TIMEOUT
  );
});

describe('a run whose inputs are invalid', () => {
  const earlier = `### ✅ Agent release gate: allow — this change may merge\n\n<!-- agent-release-gate:head=${'a'.repeat(40)} -->\n${MARKER}`;

  it(
    'updates an earlier ✅ comment to say the run failed',
    async () => {
      const r = await act({ 'fail-on': 'bogus' }, (s) => {
        s.addComment(412, GITHUB_ACTIONS_BOT, earlier, 'github-actions');
      });
      expect(r.code).toBe(2);
      const comments = r.server.commentsOn(412);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).not.toContain('✅');
      expect(comments[0]!.body).toContain('fail-on');
      expect(errors(r.stdout).join('\n')).not.toContain('may be stale');
    },
    TIMEOUT
  );

  it(
    'creates no comment when there was none',
    async () => {
      const r = await act({ 'fail-on': 'bogus' });
      expect(r.code).toBe(2);
      expect(r.server.commentsOn(412)).toHaveLength(0);
    },
    TIMEOUT
  );

  it(
    'says an earlier comment may be stale when the pull request cannot be reached',
    async () => {
      const r = await act({ 'fail-on': 'bogus', 'github-token': '' });
      expect(r.code).toBe(2);
      expect(errors(r.stdout).join('\n')).toContain('may be stale');
    },
    TIMEOUT
  );
});

describe('an empty github-token on a pull request', () => {
  it(
    'warns that the reviews are not read and approvals count as missing, which fail-on: deny lets through',
    async () => {
      const r = await act({ 'github-token': '' });
      const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning'));
      expect(
        warnings.some((w) => w.includes('github-token is empty: the reviews of pull request #412 are not read'))
      ).toBe(true);
      expect(r.outputs.decision).toBe('follow_up');
      expect(r.code).toBe(1);
      expect(r.server.calls()).toEqual([]);
    },
    TIMEOUT
  );
});

describe('clear messages for wrong inputs', () => {
  it(
    'a config input naming a missing file is a settings error, not the built-in defaults',
    async () => {
      const r = await act({ config: '.github/agent-gate-prod.yml' });
      expect(r.code).toBe(2);
      expect(errors(r.stdout).join('\n')).toContain('input config: ".github/agent-gate-prod.yml" does not exist');
      expect(r.outputs.outcome).toBe('invalid_input');
    },
    TIMEOUT
  );

  it(
    'an unknown head-ref commit is a settings error (exit 2), not a failure inside the gate',
    async () => {
      const r = await act({ 'head-ref': 'deadbeef'.repeat(5) });
      expect(r.code).toBe(2);
      const text = errors(r.stdout).join('\n');
      expect(text).toContain('input head-ref: "deadbeefdeadbeef');
      expect(text).not.toContain('inside the gate');
    },
    TIMEOUT
  );

  it(
    'a head-ref naming another commit than the pull request head: approvals of the pull request do not vouch for it',
    async () => {
      // the same tree as the head, in another commit: what is judged is not what the reviews approved
      const other = execFileSync(
        'git',
        ['-C', repo.origin, 'commit-tree', `${head}^{tree}`, '-p', head, '-m', 'another'],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 't',
            GIT_AUTHOR_EMAIL: 't@x',
            GIT_COMMITTER_NAME: 't',
            GIT_COMMITTER_EMAIL: 't@x'
          }
        }
      ).trim();
      const r = await act({ 'head-ref': other });
      expect(r.stdout).toContain('approvals count on the commit judged');
      // no approval is on the commit judged: every role is missing, and the example's { approval: engineering }
      // signal is false (reviews were read), which its change record requires
      expect(r.outputs.decision).toBe('deny');
      expect(r.stdout).toContain('approvals.missing');
      // the pull request head itself, named explicitly, is what the reviews approved
      const same = await act({ 'head-ref': head });
      expect(same.outputs.decision).toBe('allow');
    },
    TIMEOUT
  );

  it(
    'a missing working-directory says so instead of blaming the token',
    async () => {
      const r = await act({ 'working-directory': 'nope' });
      expect(r.code).toBe(2);
      const text = errors(r.stdout).join('\n');
      expect(text).toContain('input working-directory: "nope" does not exist');
      expect(text).not.toContain('contents: read');
    },
    TIMEOUT
  );
});

describe('annotations within GitHub’s 10 per level', () => {
  const finding = (i: number, severity: 'deny' | 'follow_up') => ({
    rule: 'evals.threshold',
    family: 'evals',
    severity,
    title: `finding ${i}`,
    message: `message ${i}`,
    fix: 'fix it',
    location: { file: `records/r${i}.yaml`, line: i + 1 }
  });
  const decision = (findings: ReturnType<typeof finding>[]) =>
    ({ outcome: 'evaluated', decision: 'deny', failure: null, errors: [], findings }) as unknown as Parameters<
      typeof annotate
    >[0];

  function annotations(fn: () => void): { errors: number; warnings: number; stdout: string } {
    let stdout = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += chunk.toString();
      return true;
    });
    try {
      fn();
    } finally {
      jest.restoreAllMocks();
    }
    const lines = stdout.split('\n');
    return {
      errors: lines.filter((l) => l.startsWith('::error')).length,
      warnings: lines.filter((l) => l.startsWith('::warning')).length,
      stdout
    };
  }

  const runner = { workspace: '/ws' } as Parameters<typeof annotate>[2];

  it('leaves one error slot for the final “deny — N blocking findings” line and one warning slot for the comment', () => {
    const findings = [
      ...Array.from({ length: 12 }, (_, i) => finding(i, 'deny')),
      ...Array.from({ length: 12 }, (_, i) => finding(i + 12, 'follow_up'))
    ];
    const settings = { failOn: 'deny', warnOnly: false, workingDirectory: '/ws' } as Parameters<typeof annotate>[1];
    const shown = annotations(() => annotate(decision(findings), settings, runner, 12, true));
    expect(shown.errors).toBe(9);
    expect(shown.warnings).toBe(9);
    expect(shown.stdout).toContain('3 more errors are in the job summary');
  });

  it('with warn-only, leaves a warning slot for the “warn-only is set” line too', () => {
    const findings = Array.from({ length: 12 }, (_, i) => finding(i, 'deny'));
    const settings = { failOn: 'deny', warnOnly: true, workingDirectory: '/ws' } as Parameters<typeof annotate>[1];
    const shown = annotations(() => annotate(decision(findings), settings, runner, 12, true));
    expect(shown.errors).toBe(0);
    expect(shown.warnings).toBe(8);
  });
});
