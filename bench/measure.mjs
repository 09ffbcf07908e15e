// Runs one command in a child process and measures it: wall time (taken here, around the whole process),
// peak RSS (GNU time's "Maximum resident set size" when /usr/bin/time is there, else the probe's
// process.resourceUsage().maxRSS) and, for the gate, its phase timings (bench/probe.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
const PROBE = new URL('probe.mjs', import.meta.url).href;

/** Whether /usr/bin/time is GNU time with -v and -o (busybox's is not). */
export const gnuTime = (() => {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ['-v', '-o', '/dev/null', 'true'], { stdio: 'ignore' });
  return probe.status === 0;
})();

export const rssSource = gnuTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS';

/** Where the runs leave their time and probe files; made on the first run. */
let scratch = null;
let runs = 0;

export function cleanupMeasure() {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
}

/**
 * Runs `command args` once. `node: true` marks a Node command: it gets the probe (phases, and the peak RSS when
 * there is no GNU time); `probe: false` leaves it out (the cold-start runs, where even an import counts).
 * Throws when the exit status is not one of `statuses`.
 */
export function run(command, args, { node = false, probe = node, statuses = [0], capture = false, cwd } = {}) {
  scratch ??= mkdtempSync(join(tmpdir(), 'agent-gate-bench-probe-'));
  const id = ++runs;
  const timeFile = join(scratch, `time-${id}.txt`);
  const probeFile = join(scratch, `probe-${id}.json`);
  const env = { ...process.env, NO_COLOR: '1' };
  let argv = args;
  if (node && probe) {
    argv = ['--import', PROBE, ...args];
    env.AGENT_GATE_BENCH_PROBE = probeFile;
  }
  const [cmd, full] = gnuTime ? [GNU_TIME, ['-v', '-o', timeFile, command, ...argv]] : [command, argv];
  const started = performance.now();
  const child = spawnSync(cmd, full, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe']
  });
  const wallMs = performance.now() - started;
  if (child.error) throw child.error;
  if (!statuses.includes(child.status)) {
    throw new Error(`${command} ${args.join(' ')} exited with ${child.status}:\n${(child.stderr ?? '').slice(-2000)}`);
  }
  let rssKiB = null;
  if (gnuTime && existsSync(timeFile)) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
    if (m) rssKiB = Number(m[1]);
  }
  let phases = null;
  if (existsSync(probeFile)) {
    const probed = JSON.parse(readFileSync(probeFile, 'utf8'));
    phases = probed.phases;
    rssKiB ??= probed.maxRssKiB;
  }
  return { wallMs, rssKiB, phases, stdout: child.stdout ?? '', status: child.status };
}

/** Median, min and max of a list of numbers. */
export function summary(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}
