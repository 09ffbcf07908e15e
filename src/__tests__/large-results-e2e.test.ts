/**
 * End-to-end: the bundled action on a pull request whose per-case results file is large enough (31 MB) to be read
 * on two threads, from git (the head commit's blob, streamed). The decision must be byte for byte the one a single
 * thread gives (AGENT_GATE_READ_THREADS=1), and the second thread must really have run (a preloaded hook reports
 * each worker thread the process starts). Under Node 24, the runner's runtime, when AGENT_GATE_NODE24 names it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeGitHub } from '../testing/github-server.js';
import { checkout, createRepo, pullRequestPayload, ROOT, runAction, type TempRepo } from '../testing/action-harness.js';

const EXAMPLE = join(ROOT, 'examples/support-triage');
const RESULTS = 'records/evals/results/support-triage-quality.jsonl';
const NODE24 = process.env.AGENT_GATE_NODE24;
const COPIES = 450; // 400 cases × 450 = 180,000 cases, 31 MB (a second thread reads from 24 MiB)

interface ExampleReviews {
  pull_request: { head_sha: string };
  reviews: { user: { login: string }; state: string; commit_id: string; submitted_at: string }[];
}

describe('the bundled action on a large results file', () => {
  let temp: string;
  let repo: TempRepo;
  let server: FakeGitHub;
  let hook: string;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'agent-gate-large-e2e-'));
    const head = join(temp, 'head');
    cpSync(join(EXAMPLE, 'head'), head, { recursive: true });
    const lines = readFileSync(join(head, RESULTS), 'utf8').trimEnd().split('\n');
    const big: string[] = [];
    for (let copy = 0; copy < COPIES; copy++) {
      for (const line of lines) big.push(line.replace(/"case_id":"([^"]+)"/, `"case_id":"$1-${copy}"`));
    }
    writeFileSync(join(head, RESULTS), big.join('\n') + '\n');
    repo = createRepo(join(EXAMPLE, 'base'), head);
    hook = join(temp, 'hook.mjs');
    writeFileSync(hook, "process.on('worker', () => process.stderr.write('[hook] a worker thread started\\n'));\n");

    server = new FakeGitHub();
    await server.start();
    const example = JSON.parse(readFileSync(join(EXAMPLE, 'reviews.json'), 'utf8')) as ExampleReviews;
    const last = repo.heads[repo.heads.length - 1]!;
    server.addPull({
      number: 412,
      author: 'alex-dev',
      head: { sha: last, ref: 'prompt-tune' },
      base: { sha: repo.base, ref: 'main' },
      reviews: example.reviews.map((r) => ({
        user: r.user.login,
        state: r.state as 'APPROVED',
        commit_id: r.commit_id === example.pull_request.head_sha ? last : repo.base,
        submitted_at: r.submitted_at
      }))
    });
  });
  afterAll(async () => {
    await server.stop();
    repo.cleanup();
    rmSync(temp, { recursive: true, force: true });
  });

  it('decides as a single thread does, with every case counted', async () => {
    const run = (tag: string, env: Record<string, string>) =>
      runAction({
        node: NODE24,
        workspace: checkout(repo, repo.merge, `ws-${tag}`),
        eventName: 'pull_request',
        payload: pullRequestPayload(repo),
        sha: repo.merge,
        apiUrl: server.url,
        inputs: { comment: 'never', 'decision-file': 'decision.json' },
        env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, ...env },
        tag
      });
    const two = await run('two', {});
    const one = await run('one', { AGENT_GATE_READ_THREADS: '1' });
    const started = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('[hook]')).length;
    expect(started(two.stderr)).toBe(1);
    expect(started(one.stderr)).toBe(0);
    expect(two.code).toBe(one.code);
    expect(two.outputs.decision).toBe(one.outputs.decision);
    expect(two.decisionFile).not.toBe('');
    expect(two.decisionFile).toBe(one.decisionFile);
    const statement = JSON.parse(two.decisionFile) as {
      predicate: { evidence: { evals: { eval: string; metrics: { cases: { head: number } }[] }[] } };
    };
    const quality = statement.predicate.evidence.evals.find((e) => e.eval === 'support-triage-quality')!;
    expect(quality.metrics.length).toBeGreaterThan(0);
    for (const metric of quality.metrics) expect(metric.cases.head).toBe(400 * COPIES);
    expect(server.violations).toEqual([]);
  }, 240_000);
});
