/**
 * End-to-end: the committed dist/index.js run as the runner runs it (a child process with INPUT_* and GITHUB_*
 * variables), in a temporary git repository built from examples/support-triage, against the fake GitHub on
 * 127.0.0.1 that validates every request against GitHub's REST description. Rebuild the bundle first
 * (`node scripts/bundle.mjs`); these tests never rebuild it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeGitHub } from '../testing/github-server.js';
import {
  BUNDLE,
  checkout,
  createRepo,
  git,
  mergeGroupPayload,
  pullRequestPayload,
  pushPayload,
  ROOT,
  runAction,
  workflowDispatchPayload,
  type RunOptions,
  type TempRepo
} from '../testing/action-harness.js';
import { reportedHead } from '../github/comments.js';

const EXAMPLE = join(ROOT, 'examples/support-triage');
const MARKER = '<!-- agent-release-gate:key=support-triage -->';
const NODE24 = process.env.AGENT_GATE_NODE24;
const TIMEOUT = 120_000;

if (!existsSync(BUNDLE)) throw new Error('dist/index.js is missing: run `node scripts/bundle.mjs` first');

interface ExampleReviews {
  pull_request: { head_sha: string };
  reviews: { user: { login: string }; state: string; commit_id: string; submitted_at: string }[];
}

/** The example's reviews, re-pointed at the temp repository's head commit. */
function addPull(server: FakeGitHub, repo: TempRepo, head = repo.heads[repo.heads.length - 1]!): void {
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
}

const REVIEWS = 'GET /repos/acme/support-triage/pulls/412/reviews?per_page=100 → 200';
const LIST = 'GET /repos/acme/support-triage/issues/412/comments?per_page=100 → 200';

describe('the bundled action, run as the runner runs it', () => {
  let repo: TempRepo;
  let server: FakeGitHub;
  let workspaces = 0;
  const workspace = (sha: string, depth: number | null = 1) => checkout(repo, sha, `ws-${++workspaces}`, depth);
  const run = (options: Omit<RunOptions, 'apiUrl'>) => runAction({ ...options, apiUrl: server.url });

  beforeAll(() => {
    repo = createRepo(join(EXAMPLE, 'base'), join(EXAMPLE, 'head'));
  });
  afterAll(() => repo.cleanup());
  beforeEach(async () => {
    server = new FakeGitHub();
    await server.start();
    addPull(server, repo);
  });
  afterEach(async () => {
    await server.stop();
    expect(server.violations).toEqual([]);
  });

  it(
    'pull_request: judges the test merge commit against the base, writes everything, and keeps one comment across re-runs',
    async () => {
      const ws = workspace(repo.merge);
      const payload = pullRequestPayload(repo);
      const first = await run({ workspace: ws, eventName: 'pull_request', payload, sha: repo.merge });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.outputs).toMatchObject({ decision: 'allow', outcome: 'evaluated', blocking: '0' });
      expect(first.stdout).toContain(`fetching commit ${repo.base.slice(0, 12)} (depth 1)`); // actions/checkout fetched one commit

      // the decision file is the canonical in-toto statement, and the digest output is its sha256
      const statement = JSON.parse(first.decisionFile);
      expect(statement._type).toBe('https://in-toto.io/Statement/v1');
      expect(statement.subject).toEqual([
        { name: 'https://github.test/acme/support-triage', digest: { gitCommit: repo.merge } }
      ]);
      expect(statement.predicate).toMatchObject({ decision: 'allow', commits: { base: repo.base, head: repo.merge } });
      expect(createHash('sha256').update(first.decisionFile).digest('hex')).toBe(first.outputs.digest);
      expect(first.outputs['decision-file']).toBe(join(ws, 'agent-gate-decision-run.json'));
      expect(first.outputs.findings).toBe(String(statement.predicate.counts.findings));

      expect(first.summary).toContain('Agent release gate');
      expect(first.summary).toContain('allow');

      const [comment] = server.commentsOn(412);
      expect(server.commentsOn(412)).toHaveLength(1);
      expect(comment!.body.endsWith(MARKER)).toBe(true);
      expect(reportedHead(comment!.body)).toBe(repo.heads[0]);
      expect(first.outputs['comment-id']).toBe(String(comment!.id));
      expect(first.outputs['comment-url']).toBe(
        `https://github.test/acme/support-triage/pull/412#issuecomment-${comment!.id}`
      );
      expect(server.calls()).toEqual([
        REVIEWS,
        'GET /user → 403',
        LIST,
        'POST /repos/acme/support-triage/issues/412/comments → 201',
        LIST
      ]);

      server.log.length = 0;
      const again = await run({ workspace: ws, eventName: 'pull_request', payload, sha: repo.merge });
      expect(again.code).toBe(0);
      expect(server.commentsOn(412)).toHaveLength(1);
      expect(server.commentsOn(412)[0]!.id).toBe(comment!.id);
      expect(server.calls()).toEqual(
        [REVIEWS, 'GET /user → 403', LIST, 'GET /repos/acme/support-triage/pulls/412 → 200'].concat(
          server.calls().slice(4)
        )
      );
      expect(server.log.filter((r) => r.method === 'POST')).toHaveLength(0);
    },
    TIMEOUT
  );

  (NODE24 ? it : it.skip)(
    'runs under Node 24 (the runtime action.yml declares)',
    async () => {
      const result = await run({
        node: NODE24,
        workspace: workspace(repo.merge),
        eventName: 'pull_request',
        payload: pullRequestPayload(repo),
        sha: repo.merge
      });
      expect(result.code).toBe(0);
      expect(result.outputs.decision).toBe('allow');
      expect(server.commentsOn(412)).toHaveLength(1);
    },
    TIMEOUT
  );
  if (!NODE24) {
    it('notes that the Node 24 variant was skipped', () => {
      process.stderr.write(
        'note: AGENT_GATE_NODE24 is not set; the end-to-end tests ran under ' + process.version + ' only\n'
      );
    });
  }

  it(
    'pull_request_target from a fork: reads the head as data from git objects; the read-only token only costs the comment',
    async () => {
      const ws = workspace(repo.base); // pull_request_target checks out the base branch
      const result = await run({
        workspace: ws,
        eventName: 'pull_request_target',
        payload: pullRequestPayload(repo, { fork: true }),
        sha: repo.base,
        ref: 'refs/heads/main',
        inputs: { 'github-token': 'ghs_fork-token' }
      });
      expect(result.code).toBe(0);
      expect(result.outputs).toMatchObject({ decision: 'allow', 'comment-id': '', 'comment-url': '' });
      expect(result.stdout).toContain(
        `judging git commit ${repo.heads[0]!.slice(0, 12)} against git commit ${repo.base.slice(0, 12)}`
      );
      expect(result.stdout).toMatch(
        /::warning::could not comment on pull request #412 \(HTTP 403\).*pull-requests: write.*Fork pull requests/
      );
      expect(server.commentsOn(412)).toHaveLength(0);
    },
    TIMEOUT
  );

  it(
    'merge_group: judges the group head, reads the queued pull request’s reviews, posts no comment',
    async () => {
      const result = await run({
        workspace: workspace(repo.merge),
        eventName: 'merge_group',
        payload: mergeGroupPayload(repo, repo.merge),
        sha: repo.merge,
        ref: 'refs/heads/gh-readonly-queue/main/pr-412-x'
      });
      expect(result.code).toBe(0);
      expect(result.outputs.decision).toBe('allow');
      expect(server.calls()).toEqual(['GET /repos/acme/support-triage/pulls/412 → 200', REVIEWS]);
    },
    TIMEOUT
  );

  it(
    'push: compares before..after without any API call; approvals are unavailable, so required roles are a follow-up',
    async () => {
      const result = await run({
        workspace: workspace(repo.heads[0]!),
        eventName: 'push',
        payload: pushPayload(repo, repo.heads[0]!, repo.base),
        sha: repo.heads[0]!,
        ref: 'refs/heads/main'
      });
      const predicate = JSON.parse(result.decisionFile).predicate;
      expect(predicate.commits).toEqual({ base: repo.base, head: repo.heads[0] });
      expect(server.log).toEqual([]);
      expect(result.outputs.decision).toBe(predicate.decision);
      expect(result.code).toBe(predicate.decision === 'allow' ? 0 : 1);
      expect(predicate.findings.map((f: { family: string }) => f.family)).toContain('approvals');
    },
    TIMEOUT
  );

  it(
    'workflow_dispatch with base-ref and warn-only: judges, never comments, passes, and writes SARIF',
    async () => {
      const ws = workspace(repo.heads[0]!, null);
      const result = await run({
        workspace: ws,
        eventName: 'workflow_dispatch',
        payload: workflowDispatchPayload('refs/heads/prompt-tune'),
        sha: repo.heads[0]!,
        ref: 'refs/heads/prompt-tune',
        inputs: { 'base-ref': repo.base, 'warn-only': 'true', 'fail-on': 'deny', 'sarif-file': 'reports/gate.sarif' }
      });
      expect(result.code).toBe(0);
      expect(server.log).toEqual([]);
      const predicate = JSON.parse(result.decisionFile).predicate;
      expect(predicate.commits).toEqual({ base: repo.base, head: repo.heads[0] });
      if (result.outputs.blocking !== '0') expect(result.stdout).toContain('warn-only is set, so the check passes');
      const sarif = JSON.parse(readFileSync(join(ws, 'reports/gate.sarif'), 'utf8'));
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0].results).toHaveLength(predicate.findings.length);
    },
    TIMEOUT
  );

  it(
    'a pull request that loosens its own gate is still judged by the base configuration, and the loosening is a finding',
    async () => {
      const loose = createRepo(join(EXAMPLE, 'base'), join(EXAMPLE, 'head'));
      try {
        // the head lowers the eval slack and drops the release-manager requirement
        const author = join(loose.root, 'author');
        git(author, 'checkout', '-q', 'prompt-tune');
        const config = join(author, '.github/agent-gate.yml');
        writeFileSync(
          config,
          readFileSync(config, 'utf8')
            .replace('regression_slack: 0.05', 'regression_slack: 0.5')
            .replace('required_roles: [release-manager]', 'required_roles: []')
        );
        git(author, 'commit', '-q', '-am', 'relax the gate');
        const head = git(author, 'rev-parse', 'HEAD');
        git(loose.origin, 'fetch', '-q', author, `+${head}:refs/pull/412/head`);
        const ws = checkout(loose, head, 'ws');
        const pr = pullRequestPayload(loose, { head });
        const result = await runAction({
          apiUrl: server.url,
          workspace: ws,
          eventName: 'pull_request',
          payload: pr,
          sha: head
        });
        const predicate = JSON.parse(result.decisionFile).predicate;
        expect(predicate.config.side).toBe('base');
        const rules = predicate.findings.map((f: { rule: string }) => f.rule);
        expect(rules).toEqual(expect.arrayContaining(['integrity.config-loosened', 'integrity.gate-files-changed']));
        expect(result.outputs.decision).not.toBe('allow');
        expect(result.code).toBe(1);
      } finally {
        loose.cleanup();
      }
    },
    TIMEOUT
  );

  it.each([
    [
      'an unsupported event',
      { eventName: 'issues' },
      /does not run on the "issues" event; supported events: pull_request, pull_request_target, merge_group, push, workflow_dispatch/
    ],
    [
      'an invalid input value',
      { inputs: { comment: 'sometimes' } },
      /input comment: "sometimes" is not allowed; use one of: always, on-failure, never/
    ],
    [
      'a non-boolean warn-only',
      { inputs: { 'warn-only': 'yes' } },
      /input warn-only: "yes" is not a boolean; use true or false/
    ],
    [
      'a rejected token (401)',
      { inputs: { 'github-token': 'ghp_revoked' } },
      /GitHub rejected github-token .*HTTP 401 Bad credentials/
    ]
  ])(
    'fails closed with exit 2 and a clear message on %s, and still writes the decision file',
    async (_what, change, message) => {
      const options = {
        workspace: workspace(repo.merge),
        eventName: 'pull_request',
        payload: pullRequestPayload(repo),
        sha: repo.merge,
        ...change
      };
      const result = await run(options as Omit<RunOptions, 'apiUrl'>);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(message);
      expect(result.stdout).toContain('::error::');
      const predicate = JSON.parse(result.decisionFile).predicate;
      expect(predicate).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
      expect(predicate.errors[0].message).toMatch(message);
      expect(result.outputs).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
    },
    TIMEOUT
  );

  it(
    'survives API faults: 502 on reviews (retried), a comment POST that timed out after landing (no duplicate)',
    async () => {
      server.inject({ method: 'GET', path: '/repos/acme/support-triage/pulls/412/reviews', status: 502 });
      server.inject({
        method: 'POST',
        path: '/repos/acme/support-triage/issues/412/comments',
        kind: 'apply-then-timeout'
      });
      const result = await run({
        workspace: workspace(repo.merge),
        eventName: 'pull_request',
        payload: pullRequestPayload(repo),
        sha: repo.merge,
        env: { AGENT_GATE_API_TIMEOUT_MS: '1500' }
      });
      expect(result.code).toBe(0);
      expect(result.outputs.decision).toBe('allow');
      expect(server.commentsOn(412)).toHaveLength(1);
      expect(server.calls().slice(0, 2)).toEqual([
        'GET /repos/acme/support-triage/pulls/412/reviews?per_page=100 → 502',
        REVIEWS
      ]);
      expect(server.log.filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(result.outputs['comment-id']).toBe(String(server.commentsOn(412)[0]!.id));
    },
    TIMEOUT
  );
});

describe('ten concurrent runs on one pull request', () => {
  let repo: TempRepo;
  let server: FakeGitHub;

  beforeAll(async () => {
    // a repository without records: ten processes on two cores, so the gate's own work is kept small
    const minimal = join(ROOT, 'src/__tests__/fixtures/minimal');
    repo = createRepo(join(minimal, 'base'), join(minimal, 'head'), 9);
    server = new FakeGitHub({ latencyMs: [0, 30], seed: 3 });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    repo.cleanup();
  });

  it(
    'end with exactly one comment, holding the newest head commit’s result',
    async () => {
      const newest = repo.heads[9]!;
      addPull(server, repo, newest);
      const ws = checkout(repo, newest, 'ws-concurrent', null);
      const results = await Promise.all(
        repo.heads.map((head, i) =>
          runAction({
            apiUrl: server.url,
            workspace: ws,
            eventName: 'pull_request',
            payload: pullRequestPayload(repo, { head }),
            sha: head,
            tag: `c${i}`
          })
        )
      );
      const decisions = results.map((r) => r.outputs.decision);
      expect(decisions.every((d) => d === 'allow' || d === 'follow_up' || d === 'deny')).toBe(true);
      const comments = server.commentsOn(412);
      expect(comments).toHaveLength(1);
      expect(reportedHead(comments[0]!.body)).toBe(newest);
      expect(server.violations).toEqual([]);
    },
    TIMEOUT * 2
  );
});
