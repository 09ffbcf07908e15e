// Loaded into a measured child process with `node --import`: when the process exits it writes its peak RSS,
// CPU time and the gate's phase timings (performance measures named agent-gate:*, see src/pipeline.ts) as JSON
// to the file named by AGENT_GATE_BENCH_PROBE.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const out = process.env.AGENT_GATE_BENCH_PROBE;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const phases = {};
    for (const entry of performance.getEntriesByType('measure')) {
      if (entry.name.startsWith('agent-gate:')) {
        const name = entry.name.slice('agent-gate:'.length);
        phases[name] = (phases[name] ?? 0) + entry.duration;
      }
    }
    writeFileSync(
      out,
      JSON.stringify({
        maxRssKiB: usage.maxRSS,
        userMs: usage.userCPUTime / 1000,
        systemMs: usage.systemCPUTime / 1000,
        phases
      })
    );
  });
}
