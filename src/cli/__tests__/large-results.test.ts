/**
 * Large per-case results files are read on two threads by the bundle (dist/cli/case-worker): the answer must be the
 * one a single thread gives (AGENT_GATE_READ_THREADS=1), down to the places of the issues, and the second thread
 * must really be used (a preloaded hook reports each worker thread the process starts).
 */
import { describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SLOW, cleanEnv, cli, tempDir } from './helpers.js';

const CONFIG = `version: 1
key: large-results
records:
  include:
    - "records/**/*.{yaml,jsonl}"
`;

const EVAL = `apiVersion: joch.dev/v1alpha1
kind: Eval
metadata: { name: quality }
spec:
  target: { kind: Agent, name: support-bot }
  metrics:
    - { name: task_success, type: llm_judge }
    - { name: latency_p95_ms, type: numeric, source: latency_ms, aggregate: p95, direction: lower_is_better }
  thresholds:
    task_success: 0.85
    latency_p95_ms: "<3000"
  releaseGate: { enabled: true }
`;

/** 200,000 cases, 28 MB: past the size from which the reader shares a file with a second thread (24 MiB). */
const CASES = 200_000;

function caseLine(n: number): string {
  const success = (n * 7919) % 100 < 90;
  return JSON.stringify({
    eval: 'quality',
    case_id: `case-${String(n).padStart(6, '0')}`,
    metrics: { task_success: success, relevance: ((n * 31) % 1000) / 1000, tone: n % 3 === 0 },
    cost_usd: ((n % 50) + 1) / 10000,
    latency_ms: 400 + ((n * 37) % 3000)
  });
}

/** A repository with the eval and its results; `edit` changes lines (0-based) before they are written. */
function repository(edit: (lines: string[]) => void = () => undefined): string {
  const dir = tempDir('agent-gate-large-');
  mkdirSync(join(dir, '.github'), { recursive: true });
  mkdirSync(join(dir, 'records/evals/results'), { recursive: true });
  writeFileSync(join(dir, '.github/agent-gate.yml'), CONFIG);
  writeFileSync(join(dir, 'records/evals/quality.yaml'), EVAL);
  const lines = Array.from({ length: CASES }, (_, n) => caseLine(n));
  edit(lines);
  writeFileSync(join(dir, 'records/evals/results/quality.jsonl'), lines.join('\n') + '\n');
  return dir;
}

/** A preload that says on stderr when the process starts a worker thread. */
function workerHook(): string {
  const file = join(tempDir('agent-gate-hook-'), 'hook.mjs');
  writeFileSync(file, "process.on('worker', () => process.stderr.write('[hook] a worker thread started\\n'));\n");
  return file;
}

async function check(dir: string, oneThread: boolean) {
  const env = cleanEnv({
    NODE_OPTIONS: `--import=${pathToFileURL(workerHook()).href}`,
    ...(oneThread ? { AGENT_GATE_READ_THREADS: '1' } : {})
  });
  const result = await cli(['check', '--head-dir', dir, '--format', 'json', '--fail-on', 'deny'], { env });
  return { ...result, workers: result.stderr.split('\n').filter((l) => l === '[hook] a worker thread started').length };
}

describe('large per-case results on two threads', () => {
  test(
    'decide as on one thread, with the cases aggregated from every span',
    async () => {
      const dir = repository();
      const [two, one] = [await check(dir, false), await check(dir, true)];
      expect(one.workers).toBe(0);
      expect(two.workers).toBe(1);
      expect(two.code).toBe(one.code);
      expect(two.stdout).toBe(one.stdout);
      const evals = (
        JSON.parse(two.stdout) as {
          predicate: { evidence: { evals: { metrics: { metric: string; cases: { head: number } }[] }[] } };
        }
      ).predicate.evidence.evals;
      expect(evals[0]!.metrics.map((m) => [m.metric, m.cases.head])).toEqual([
        ['latency_p95_ms', CASES],
        ['task_success', CASES]
      ]);
    },
    SLOW
  );

  test(
    'report the issues of lines deep in the file at their lines, as on one thread',
    async () => {
      const dir = repository((lines) => {
        lines[119_999] = lines[119_999]!.replace(/"tone":(true|false)/, '"tone":"yes"'); // a wrong type
        lines[155_555] = lines[123]!; // a repeated case
        lines[160_000] = lines[160_000]!.replace('"eval":"quality"', '"eval":"other"'); // another eval
        lines[199_998] = `{"eval":"quality","case_id":"case-x","metrics":{"tone":true,"tone":false}}`; // a duplicate key
      });
      const [two, one] = [await check(dir, false), await check(dir, true)];
      expect(two.workers).toBe(1);
      expect(two.code).toBe(2);
      expect(two.stdout).toBe(one.stdout);
      const errors = (JSON.parse(two.stdout) as { predicate: { errors: { code: string; line: number }[] } }).predicate
        .errors;
      expect(errors.map((e) => [e.code, e.line])).toEqual([
        ['schema.type', 120_000],
        ['eval-cases.duplicate-case', 155_556],
        ['eval-cases.mixed-evals', 160_001],
        ['json.duplicate-key', 199_999]
      ]);
    },
    SLOW
  );
});
