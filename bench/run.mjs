#!/usr/bin/env node
// npm run bench: measures the bundled gate (dist/) on generated repositories and checks the performance
// targets of docs/performance.md. Every measurement is a child process, so times include Node's start and
// peak RSS is per run. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EVAL_THRESHOLDS, writeAgbomRepos, writeEvalRepo, writeReplayRepo } from './generate.mjs';
import { cleanupMeasure, rssSource, run, summary } from './measure.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FLOOR = join(ROOT, 'bench/floor.mjs');
const EXAMPLE = join(ROOT, 'examples/support-triage');
/** Bumped when a generator changes, so inputs kept with --dir are made again. */
const GENERATOR_VERSION = 2;

const HELP = `Usage: npm run bench -- [options]

Measures the bundled gate (run \`npm run bundle\` first) on generated inputs and checks the targets.

Options:
  --strict          exit 1 when a target fails (default: report only)
  --quick           small sizes only (a smoke run; most targets are then not measured)
  --repeat N        runs per measurement (default 3; cold start runs 5×N)
  --only LIST       comma-separated: startup, size, evals, agbom, replay (default: all)
  --dir DIR         keep the generated inputs in DIR and reuse them next time
  --json FILE       also write every measurement as JSON
  --dist DIR        measure another build of dist/ (default: the repository's dist/)
  --no-install      never try to install jq
  -h, --help        this help`;

const { values: opts } = parseArgs({
  options: {
    strict: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
    only: { type: 'string' },
    dir: { type: 'string' },
    json: { type: 'string' },
    dist: { type: 'string' },
    'no-install': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false }
  }
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const DIST = resolve(opts.dist ?? join(ROOT, 'dist'));
const CLI = join(DIST, 'cli/index.js');
const ACTION = join(DIST, 'index.js');
const repeat = Math.max(1, Number.parseInt(opts.repeat, 10) || 3);
const WORKLOADS = ['startup', 'size', 'evals', 'agbom', 'replay'];
const only = new Set((opts.only ?? WORKLOADS.join(',')).split(',').map((s) => s.trim()));
for (const name of only) {
  if (!WORKLOADS.includes(name)) {
    console.error(`bench: --only ${name}: not one of ${WORKLOADS.join(', ')}`);
    process.exit(2);
  }
}
const SIZES = opts.quick
  ? { evals: [10_000, 100_000], agbom: [1_000, 10_000], replay: [1_000] }
  : { evals: [10_000, 100_000, 1_000_000], agbom: [1_000, 10_000, 50_000], replay: [1_000, 10_000] };

const MB = 1024 * 1024;
const TARGETS = {
  jqSpeedup: 2,
  floorRatio: 1.5,
  evalRssMiB: 200,
  agbomDiffMs: 300,
  replayMs: 1000,
  startupRatio: 2,
  actionBytes: 2 * MB,
  scalingRatio: 1.5
};

for (const file of [CLI, ACTION]) {
  if (!existsSync(file)) {
    console.error(`bench: ${file} is missing; run \`npm run bundle\` first`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The machine

const fmt = {
  ms: (ms) =>
    ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`,
  mib: (kib) => (kib === null ? 'n/a' : `${(kib / 1024).toFixed(0)} MB`),
  bytes: (b) => (b >= MB ? `${(b / MB).toFixed(1)} MB` : `${(b / 1024).toFixed(0)} KB`),
  int: (n) => n.toLocaleString('en-US'),
  rate: (perSecond) =>
    perSecond >= 1e6
      ? `${(perSecond / 1e6).toFixed(2)} M/s`
      : perSecond >= 1e3
        ? `${(perSecond / 1e3).toFixed(1)} k/s`
        : `${perSecond.toFixed(0)}/s`,
  ratio: (x) => `${x.toFixed(2)}×`
};

function commandOutput(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model?.trim() ?? 'unknown',
  nproc: Number(commandOutput('nproc', [])) || cpus().length,
  memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB (${(freemem() / 1024 ** 3).toFixed(1)} GiB free)`,
  os: `${process.platform} ${release()}`,
  node: process.version,
  jq: null,
  load: loadavg()
    .map((x) => x.toFixed(2))
    .join(' '),
  rss: rssSource
};

// ---------------------------------------------------------------------------------------------------------------
// jq: Debian's, found or installed (as root, with apt-get, unless told not to), or skipped with a note

function findJq() {
  const found = commandOutput('sh', ['-c', 'command -v jq']);
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const disabled = opts['no-install'] || process.env.AGENT_GATE_BENCH_NO_INSTALL === '1';
  if (!root || disabled || !commandOutput('sh', ['-c', 'command -v apt-get'])) {
    console.log(
      `note: jq is not installed${disabled ? '' : root ? ' and apt-get is not available' : ' (installing it needs root)'}; the jq comparison is skipped. Install Debian's jq (apt-get install jq) to measure it.`
    );
    return null;
  }
  console.log('note: jq is not installed; trying `apt-get install -y jq` (disable with --no-install)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let ok = spawnSync('apt-get', ['install', '-y', '-q', 'jq'], { stdio: 'inherit', env }).status === 0;
  if (!ok) {
    ok =
      spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env }).status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-q', 'jq'], { stdio: 'inherit', env }).status === 0;
  }
  const installed = ok ? commandOutput('sh', ['-c', 'command -v jq']) : null;
  if (!installed) console.log('note: jq could not be installed; the jq comparison is skipped.');
  return installed;
}

const JQ = only.has('evals') ? findJq() : null;
if (JQ) machine.jq = commandOutput(JQ, ['--version']);

/**
 * The jq a user would write instead of the gate: the same aggregates (mean task_success, nearest-rank p95
 * latency) and the same verdict, in one pass over the file. Collecting the two columns and sorting is the
 * fast form; `reduce inputs as $c (…; .lat += […])` is quadratic in jq 1.6 (100,000 lines took minutes).
 */
const JQ_PROGRAM =
  '[inputs | [.metrics.task_success, .latency_ms]] as $rows | ($rows | length) as $n' +
  ' | ([$rows[][0]] | add / $n) as $mean' +
  ' | ([$rows[][1]] | sort | .[((0.95 * $n) | ceil) - 1]) as $p95' +
  ' | "\\($mean) \\($p95) \\(if $mean >= $min and $p95 < $max then "pass" else "fail" end)"';

// ---------------------------------------------------------------------------------------------------------------
// Inputs

const keepInputs = opts.dir !== undefined;
const inputRoot = keepInputs ? resolve(opts.dir) : mkdtempSync(join(tmpdir(), 'agent-gate-bench-'));
mkdirSync(inputRoot, { recursive: true });

/** Generates (or reuses, with --dir) one input; `make(dir)` returns what the checks need to know about it. */
function input(name, make) {
  const dir = join(inputRoot, name);
  const marker = join(dir, '.bench-input.json');
  if (keepInputs && existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8'));
    if (saved.version === GENERATOR_VERSION) return saved.info;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  process.stdout.write(`generating ${name} … `);
  const info = make(dir);
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  writeFileSync(marker, JSON.stringify({ version: GENERATOR_VERSION, info }));
  return info;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

const results = { machine, targets: TARGETS, startup: null, size: null, evals: [], agbom: [], replay: [] };
const failures = [];

function gate(args, check) {
  const r = run(process.execPath, [CLI, 'check', ...args, '--format', 'json', '--fail-on', 'deny'], {
    node: true,
    statuses: [0, 1],
    capture: true
  });
  const statement = JSON.parse(r.stdout);
  const problem = check(statement.predicate);
  if (problem) throw new Error(`the gate's answer is wrong: ${problem}`);
  return r;
}

/** Per-item cost inside the gate (its phases), leaving out Node's start and module loading. */
function workMs(phases) {
  if (!phases) return null;
  return ['load-head', 'load-base', 'evaluate', 'serialise'].reduce((sum, p) => sum + (phases[p] ?? 0), 0);
}

function measureStartup() {
  const args = [
    CLI,
    'check',
    '--base-dir',
    join(EXAMPLE, 'base'),
    '--head-dir',
    join(EXAMPLE, 'head'),
    '--reviews',
    join(EXAMPLE, 'reviews.json')
  ];
  const rounds = 5 * repeat;
  const bare = [];
  const cli = [];
  let rss = null;
  run(process.execPath, args, { node: true, probe: false }); // warm the file cache
  for (let i = 0; i < rounds; i++) {
    bare.push(run(process.execPath, ['-e', '0']).wallMs);
    const r = run(process.execPath, args, { node: true, probe: false });
    cli.push(r.wallMs);
    rss = r.rssKiB ?? rss;
  }
  const nodeE0 = summary(bare);
  const check = summary(cli);
  const ratio = summary(cli.map((ms, i) => ms / bare[i])).median;
  results.startup = { nodeE0, check, rssKiB: rss, ratio };
}

function measureSize() {
  const sizes = {};
  for (const sub of ['', 'cli']) {
    for (const name of readdirSync(join(DIST, sub))
      .filter((f) => f.endsWith('.js'))
      .sort()) {
      sizes[join('dist', sub, name)] = statSync(join(DIST, sub, name)).size;
    }
  }
  results.size = { action: statSync(ACTION).size, cli: statSync(CLI).size, files: sizes };
}

function measureEvals(cases) {
  const info = input(`evals-${cases}`, (dir) => writeEvalRepo(dir, cases));
  const repo = join(inputRoot, `evals-${cases}`);
  const file = info.path;
  const gateRuns = [];
  const floorRuns = [];
  const jqRuns = [];
  let answer = null;
  for (let i = 0; i < repeat; i++) {
    gateRuns.push(
      gate(['--head-dir', repo], (p) => {
        const ev = p.evidence.evals.find((e) => e.eval === 'bench-quality');
        if (!ev) return 'no evidence for bench-quality';
        const mean = ev.metrics.find((m) => m.metric === 'task_success');
        const p95 = ev.metrics.find((m) => m.metric === 'latency_p95_ms');
        if (mean?.cases?.head !== cases) return `${mean?.cases?.head} cases aggregated, ${cases} written`;
        answer = { mean: mean.head, p95: p95.head, verdict: ev.verdict };
        return null;
      })
    );
    const floor = run(process.execPath, [FLOOR, file], { node: true, probe: true, capture: true });
    if (Number(floor.stdout) !== cases) throw new Error(`the floor parsed ${floor.stdout.trim()} lines, not ${cases}`);
    floorRuns.push(floor);
    if (JQ) {
      const jq = run(
        JQ,
        [
          '-n',
          '-r',
          '--argjson',
          'min',
          String(EVAL_THRESHOLDS.taskSuccessMin),
          '--argjson',
          'max',
          String(EVAL_THRESHOLDS.latencyP95Max),
          JQ_PROGRAM,
          file
        ],
        { capture: true }
      );
      const [mean, p95, verdict] = jq.stdout.trim().split(' ');
      const agrees =
        Math.abs(Number(mean) - answer.mean) <= 1e-6 * Math.abs(Number(mean)) &&
        Number(p95) === answer.p95 &&
        verdict === answer.verdict;
      if (!agrees) throw new Error(`jq answers ${jq.stdout.trim()}, the gate ${JSON.stringify(answer)}`);
      jqRuns.push(jq);
    }
  }
  const row = {
    cases,
    bytes: info.bytes,
    answer,
    gate: stats(gateRuns),
    floor: stats(floorRuns),
    jq: JQ ? stats(jqRuns) : null,
    // ratios of runs made one after the other, so a change in the machine's load hits both sides alike
    jqOverGate: JQ ? summary(jqRuns.map((jq, i) => jq.wallMs / gateRuns[i].wallMs)) : null,
    gateOverFloor: summary(gateRuns.map((g, i) => g.wallMs / floorRuns[i].wallMs))
  };
  results.evals.push(row);
  return row;
}

function measureAgbom(components) {
  const info = input(`agbom-${components}`, (dir) => writeAgbomRepos(dir, components));
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    runs.push(
      gate(['--base-dir', info.base, '--head-dir', info.head], (p) => {
        const c = p.evidence.agbom?.counts;
        if (!c) return 'no AgBOM evidence';
        const want = info.diff;
        if (c.added !== want.added || c.removed !== want.removed || c.changed !== want.changed) {
          return `diff ${JSON.stringify(c)}, generated ${JSON.stringify(want)}`;
        }
        return null;
      })
    );
  }
  const bytes = statSync(join(info.head, 'records/agbom/bench-agent.cdx.json')).size;
  const row = { components, bytes, diff: info.diff, gate: stats(runs) };
  results.agbom.push(row);
  return row;
}

function measureReplay(count) {
  const info = input(`replay-${count}`, (dir) => writeReplayRepo(dir, count));
  const repo = join(inputRoot, `replay-${count}`);
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    runs.push(
      gate(['--head-dir', repo], (p) =>
        p.evidence.drift.length === count ? null : `${p.evidence.drift.length} runs judged, ${count} written`
      )
    );
  }
  const bytes = spawnSync('du', ['-sb', join(repo, 'records')], { encoding: 'utf8' }).stdout.split('\t')[0];
  const row = { runs: count, steps: info.steps, files: info.files, bytes: Number(bytes), gate: stats(runs) };
  results.replay.push(row);
  return row;
}

function stats(runs) {
  const phaseNames = [...new Set(runs.flatMap((r) => Object.keys(r.phases ?? {})))];
  return {
    wall: summary(runs.map((r) => r.wallMs)),
    rssKiB: summary(runs.map((r) => r.rssKiB)),
    work: summary(runs.map((r) => workMs(r.phases))),
    phases: Object.fromEntries(
      phaseNames.map((p) => [p, summary(runs.map((r) => r.phases?.[p] ?? null))?.median ?? null])
    )
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '))
    .join('\n');
}

function check(name, pass, observed, required) {
  const status = pass === null ? 'SKIP' : pass ? 'PASS' : 'FAIL';
  if (pass === false) failures.push(name);
  return [status, name, observed, required];
}

const phase = (s, p) => (s.phases[p] === null || s.phases[p] === undefined ? '—' : fmt.ms(s.phases[p]));

console.log('agent-release-gate benchmark');
console.log(`date     ${machine.date}`);
console.log(`machine  ${machine.cpu}, nproc ${machine.nproc}, ${machine.memory}, ${machine.os}`);
console.log(`node     ${machine.node}; jq ${machine.jq ?? 'not available'}; peak RSS from ${machine.rss}`);
console.log(
  `load     ${machine.load} (1, 5, 15 min) at start${loadavg()[0] > machine.nproc / 2 ? ' — the machine is busy: expect noisy numbers' : ''}`
);
console.log(
  `runs     ${repeat} per measurement (median shown, range in brackets); ratios are medians of runs made back to back`
);
console.log(`inputs   ${inputRoot}${keepInputs ? ' (kept)' : ''}\n`);

try {
  if (only.has('size')) measureSize();
  if (only.has('startup')) measureStartup();

  const evalRows = only.has('evals') ? SIZES.evals.map(measureEvals) : [];
  const agbomRows = only.has('agbom') ? SIZES.agbom.map(measureAgbom) : [];
  const replayRows = only.has('replay') ? SIZES.replay.map(measureReplay) : [];

  const range = (s) => `[${fmt.ms(s.min)}–${fmt.ms(s.max)}]`;
  const rows = [
    ['workload', 'items', 'input', 'wall', 'range', 'throughput', 'work/item', 'peak RSS', 'read', 'judge']
  ];
  const perItem = (s, n) => (s.work ? `${((s.work.median * 1000) / n).toFixed(2)} µs` : '—');
  for (const r of evalRows) {
    rows.push([
      'eval cases (gate)',
      fmt.int(r.cases),
      fmt.bytes(r.bytes),
      fmt.ms(r.gate.wall.median),
      range(r.gate.wall),
      fmt.rate((r.cases / r.gate.wall.median) * 1000),
      perItem(r.gate, r.cases),
      fmt.mib(r.gate.rssKiB.max),
      phase(r.gate, 'load-head'),
      phase(r.gate, 'evaluate')
    ]);
    rows.push([
      '  parse-only floor',
      '',
      '',
      fmt.ms(r.floor.wall.median),
      range(r.floor.wall),
      fmt.rate((r.cases / r.floor.wall.median) * 1000),
      '',
      fmt.mib(r.floor.rssKiB.max),
      '',
      ''
    ]);
    if (r.jq)
      rows.push([
        '  jq',
        '',
        '',
        fmt.ms(r.jq.wall.median),
        range(r.jq.wall),
        fmt.rate((r.cases / r.jq.wall.median) * 1000),
        '',
        fmt.mib(r.jq.rssKiB.max),
        '',
        ''
      ]);
  }
  for (const r of agbomRows) {
    rows.push([
      'AgBOM components',
      fmt.int(r.components),
      `2 × ${fmt.bytes(r.bytes)}`,
      fmt.ms(r.gate.wall.median),
      range(r.gate.wall),
      fmt.rate((r.components / r.gate.wall.median) * 1000),
      perItem(r.gate, r.components),
      fmt.mib(r.gate.rssKiB.max),
      `${phase(r.gate, 'load-head')} + ${phase(r.gate, 'load-base')}`,
      phase(r.gate, 'evaluate')
    ]);
  }
  for (const r of replayRows) {
    rows.push([
      `replay runs (${r.steps} steps)`,
      fmt.int(r.runs),
      `${r.files} files, ${fmt.bytes(r.bytes)}`,
      fmt.ms(r.gate.wall.median),
      range(r.gate.wall),
      fmt.rate((r.runs / r.gate.wall.median) * 1000),
      perItem(r.gate, r.runs),
      fmt.mib(r.gate.rssKiB.max),
      phase(r.gate, 'load-head'),
      phase(r.gate, 'evaluate')
    ]);
  }
  if (rows.length > 1) {
    console.log(table(rows));
    console.log(
      "\nwall: the whole `agent-gate check` process (Node start included); work/item: the gate's own reading, judging\n" +
        'and writing per item (its phases), without Node start and module loading; read/judge: the load and\n' +
        'evaluate phases (for the AgBOM, the evaluate phase is the diff and its rules).\n'
    );
  }

  if (results.startup) {
    const s = results.startup;
    console.log(
      `cold start: node -e 0 ${fmt.ms(s.nodeE0.median)} [${fmt.ms(s.nodeE0.min)}–${fmt.ms(s.nodeE0.max)}], agent-gate check on examples/ ${fmt.ms(s.check.median)} [${fmt.ms(s.check.min)}–${fmt.ms(s.check.max)}], peak RSS ${fmt.mib(s.rssKiB)}; ratio ${fmt.ratio(s.ratio)} (${5 * repeat} runs each, interleaved)`
    );
  }
  if (results.size) {
    const listed = Object.entries(results.size.files)
      .map(([f, b]) => `${f} ${fmt.bytes(b)}`)
      .join(', ');
    console.log(`bundle: ${listed}\n`);
  }

  // How cost grows: the gate's work per item at each size, relative to the smallest
  const scaling = [];
  for (const [label, list, key] of [
    ['eval cases', evalRows, 'cases'],
    ['AgBOM components', agbomRows, 'components'],
    ['replay runs', replayRows, 'runs']
  ]) {
    const points = list
      .filter((r) => r.gate.work)
      .map((r) => ({ n: r[key], us: (r.gate.work.median * 1000) / r[key] }));
    if (points.length < 2) continue;
    const ratio = points.at(-1).us / points[0].us;
    scaling.push({ label, points, ratio });
    console.log(
      `per item, ${label}: ${points.map((p) => `${fmt.int(p.n)}: ${p.us.toFixed(2)} µs`).join(' · ')} → largest/smallest ${fmt.ratio(ratio)}`
    );
  }
  results.scaling = scaling;

  // Targets
  const checks = [];
  const largestEval = evalRows.find((r) => r.cases === 1_000_000);
  const ratioRange = (s) => `${fmt.ratio(s.median)} [${fmt.ratio(s.min)}–${fmt.ratio(s.max)}]`;
  if (largestEval) {
    const { jqOverGate, gateOverFloor } = largestEval;
    checks.push(
      jqOverGate
        ? check(
            '1M cases: at least 2× faster than jq',
            jqOverGate.median >= TARGETS.jqSpeedup,
            `jq/gate ${ratioRange(jqOverGate)}`,
            `≥ ${TARGETS.jqSpeedup}×`
          )
        : check('1M cases: at least 2× faster than jq', null, 'jq not available', `≥ ${TARGETS.jqSpeedup}×`)
    );
    checks.push(
      check(
        '1M cases: within 1.5× of the parse-only floor',
        gateOverFloor.median <= TARGETS.floorRatio,
        `gate/floor ${ratioRange(gateOverFloor)}`,
        `≤ ${TARGETS.floorRatio}×`
      )
    );
  } else {
    checks.push(check('1M cases: jq and floor ratios', null, 'not measured (--quick or --only)', ''));
  }
  if (evalRows.length > 0) {
    const peak = Math.max(...evalRows.map((r) => r.gate.rssKiB.max));
    checks.push(
      check(
        'eval cases: peak RSS at most 200 MB at every size',
        peak <= TARGETS.evalRssMiB * 1024,
        `${fmt.mib(peak)} (largest: ${fmt.int(evalRows.at(-1).cases)} cases)`,
        `≤ ${TARGETS.evalRssMiB} MB`
      )
    );
  }
  const agbom50k = agbomRows.find((r) => r.components === 50_000);
  checks.push(
    agbom50k
      ? check(
          '50k-component AgBOM diff',
          agbom50k.gate.phases.evaluate <= TARGETS.agbomDiffMs,
          `${fmt.ms(agbom50k.gate.phases.evaluate)} (end to end ${fmt.ms(agbom50k.gate.wall.median)})`,
          `≤ ${TARGETS.agbomDiffMs} ms`
        )
      : check('50k-component AgBOM diff', null, 'not measured', `≤ ${TARGETS.agbomDiffMs} ms`)
  );
  const replay10k = replayRows.find((r) => r.runs === 10_000);
  checks.push(
    replay10k
      ? check(
          '10k replay runs judged',
          replay10k.gate.phases.evaluate <= TARGETS.replayMs,
          `${fmt.ms(replay10k.gate.phases.evaluate)} (end to end ${fmt.ms(replay10k.gate.wall.median)})`,
          `≤ ${fmt.ms(TARGETS.replayMs)}`
        )
      : check('10k replay runs judged', null, 'not measured', `≤ ${fmt.ms(TARGETS.replayMs)}`)
  );
  checks.push(
    results.startup
      ? check(
          'check on examples/ vs node -e 0',
          results.startup.ratio <= TARGETS.startupRatio,
          `${fmt.ratio(results.startup.ratio)} (${fmt.ms(results.startup.check.median)} vs ${fmt.ms(results.startup.nodeE0.median)})`,
          `≤ ${TARGETS.startupRatio}×`
        )
      : check('check on examples/ vs node -e 0', null, 'not measured', `≤ ${TARGETS.startupRatio}×`)
  );
  checks.push(
    results.size
      ? check(
          'dist/index.js size',
          results.size.action <= TARGETS.actionBytes,
          fmt.bytes(results.size.action),
          '≤ 2.0 MB'
        )
      : check('dist/index.js size', null, 'not measured', '≤ 2.0 MB')
  );
  for (const s of scaling) {
    checks.push(
      check(
        `${s.label}: work per item flat across sizes`,
        s.ratio <= TARGETS.scalingRatio,
        `largest/smallest ${fmt.ratio(s.ratio)}`,
        `≤ ${TARGETS.scalingRatio}×`
      )
    );
  }
  console.log('\ntargets');
  console.log(table([['', 'target', 'observed', 'required'], ...checks]));
  results.checks = checks.map(([status, name, observed, required]) => ({ status, name, observed, required }));
  results.loadAtEnd = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(`\nload at end ${results.loadAtEnd}`);
  if (opts.json) writeFileSync(resolve(opts.json), JSON.stringify(results, null, 2) + '\n');
} finally {
  cleanupMeasure();
  if (!keepInputs) rmSync(inputRoot, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.log(
    `${failures.length} target(s) failed${opts.strict ? '' : ' (report only; --strict makes this an error)'}`
  );
  if (opts.strict) process.exitCode = 1;
}
