#!/usr/bin/env node
// Regenerates the example repository's generated evidence (examples/support-triage/{base,head}):
// per-case eval results, the AgBOM (with the real sha256 of the prompt and policy files) and the
// replay receipts with their C2PA manifests. Deterministic: the same run writes the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = 'examples/support-triage';
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const write = (path, text) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

// --- per-case results: 400 support cases per side -------------------------------------------
function results(side, seed, p) {
  const rnd = prng(seed);
  const lines = [];
  for (let i = 1; i <= 400; i++) {
    const success = rnd() < p.success ? round(0.8 + rnd() * 0.2, 3) : round(rnd() * 0.6, 3);
    lines.push(
      JSON.stringify({
        eval: 'support-triage-quality',
        case_id: `case-${String(i).padStart(4, '0')}`,
        metrics: {
          task_success: success,
          tone_consistency: round(p.tone - 0.05 + rnd() * 0.1, 3),
          pii_leakage: false
        },
        cost_usd: round(p.cost * (0.7 + rnd() * 0.6), 5),
        latency_ms: Math.round(p.latency * (0.5 + rnd() * 0.6))
      })
    );
  }
  write(join(root, side, 'records/evals/results/support-triage-quality.jsonl'), lines.join('\n') + '\n');
}
results('base', 7, { success: 0.9, tone: 0.935, cost: 0.19, latency: 2300 });
results('head', 11, { success: 0.92, tone: 0.94, cost: 0.191, latency: 2250 });

// --- AgBOM ------------------------------------------------------------------------------------
function fileComponent(side, ref, name, path, kind) {
  const content = readFileSync(join(root, side, path));
  return {
    type: 'data',
    'bom-ref': ref,
    name,
    version: sha256(content).slice(0, 12),
    hashes: [{ alg: 'SHA-256', content: sha256(content) }],
    data: [{ type: 'configuration', name: path }],
    properties: [{ name: 'agentgate:kind', value: kind }]
  };
}
function agbom(side, model) {
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber:
      side === 'base'
        ? 'urn:uuid:6f1c2f4e-2d7a-4b7e-9a51-1f0c9d1e0a01'
        : 'urn:uuid:6f1c2f4e-2d7a-4b7e-9a51-1f0c9d1e0a02',
    version: 1,
    metadata: {
      component: {
        type: 'application',
        'bom-ref': 'agent:support-triage',
        name: 'support-triage',
        version: side === 'base' ? '2026.11.04' : '2026.11.18'
      }
    },
    components: [
      {
        type: 'machine-learning-model',
        'bom-ref': 'model:support-triage-llm',
        name: model.name,
        version: model.version,
        hashes: [{ alg: 'SHA-256', content: sha256(`${model.name}@${model.version}`) }],
        properties: [
          { name: 'agentgate:kind', value: 'model' },
          { name: 'agentgate:pinned', value: 'true' },
          { name: 'agentgate:trust_score', value: '0.95' }
        ]
      },
      fileComponent(
        side,
        'prompt:system',
        'support-triage system prompt',
        'agents/support-triage/prompts/system.md',
        'prompt'
      ),
      fileComponent(
        side,
        'prompt:triage',
        'support-triage triage prompt',
        'agents/support-triage/prompts/triage.md',
        'prompt'
      ),
      fileComponent(
        side,
        'policy:guardrails',
        'support-triage-guardrails',
        'agents/support-triage/policy/policy.yaml',
        'policy'
      ),
      tool('tool:search_tickets', 'search_tickets', 'read', false),
      tool('tool:create_ticket', 'create_ticket', 'external_write', true),
      tool('tool:search_kb', 'search_kb', 'read', false)
    ],
    services: [
      mcp('mcp:tracker', 'tracker-mcp', '3.2.1', 'https://mcp.acme.example/tracker', 0.92),
      mcp('mcp:kb', 'kb-mcp', '1.4.0', 'https://mcp.acme.example/kb', 0.88)
    ],
    dependencies: [
      {
        ref: 'agent:support-triage',
        dependsOn: [
          'model:support-triage-llm',
          'mcp:tracker',
          'mcp:kb',
          'tool:create_ticket',
          'tool:search_tickets',
          'tool:search_kb'
        ]
      }
    ]
  };
  write(join(root, side, 'records/agbom/support-triage.cdx.json'), JSON.stringify(bom, null, 2) + '\n');
}
function tool(ref, name, sideEffect, requiresApproval) {
  return {
    type: 'application',
    'bom-ref': ref,
    name,
    version: '1.0.0',
    properties: [
      { name: 'agentgate:kind', value: 'tool' },
      { name: 'agentgate:side_effect', value: sideEffect },
      { name: 'agentgate:requires_approval', value: String(requiresApproval) }
    ]
  };
}
function mcp(ref, name, version, endpoint, trust) {
  return {
    'bom-ref': ref,
    name,
    version,
    endpoints: [endpoint],
    authenticated: true,
    properties: [
      { name: 'agentgate:kind', value: 'mcp_server' },
      { name: 'agentgate:pinned', value: 'true' },
      { name: 'agentgate:digest', value: `sha256:${sha256(`${name}@${version}`)}` },
      { name: 'agentgate:trust_score', value: String(trust) }
    ]
  };
}
agbom('base', { name: 'claude-sonnet-4', version: '2025-05-14' });
agbom('head', { name: 'claude-sonnet-4-5', version: '2025-09-29' });

// --- replay receipts (head): three runs recorded live and replayed ---------------------------
const receiptsDir = join(root, 'head/records/receipts');
const steps = [
  ['s1', 'search_tickets', 'allow'],
  ['s2', 'search_kb', 'allow'],
  ['s3', 'create_ticket', 'require_approval']
];
const runs = [];
const rnd = prng(3);
for (let r = 1; r <= 3; r++) {
  const runId = `run-2026-11-18-${String(r).padStart(4, '0')}`;
  const trace = (kind, scale) => {
    const out = { run_id: `${runId}-${kind}`, tokens: { input: 0, output: 0 }, cost_usd: 0, steps: [] };
    for (const [id, toolName, verdict] of steps) {
      const input = Math.round(800 + rnd() * 400);
      const output = Math.round((120 + rnd() * 80) * scale);
      const manifestPath = `manifests/${runId}-${kind}-${id}.c2pa.json`;
      const manifest =
        JSON.stringify(
          {
            claim_generator: 'fleetforge/1.9',
            run_id: runId,
            step_id: id,
            tool: toolName,
            kind,
            assertions: [{ label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.created' }] } }]
          },
          null,
          2
        ) + '\n';
      write(join(receiptsDir, manifestPath), manifest);
      out.steps.push({
        step_id: id,
        tool: toolName,
        policy_verdict: verdict,
        capability_token: `cap://support-triage/${runId}/${id}`,
        c2pa_manifest: { path: manifestPath, sha256: sha256(manifest) },
        tokens: { input, output },
        cost_usd: round((input * 3 + output * 15) / 1e6, 6)
      });
      out.tokens.input += input;
      out.tokens.output += output;
      out.cost_usd = round(out.cost_usd + (input * 3 + output * 15) / 1e6, 6);
    }
    return out;
  };
  const live = trace('live', 1);
  const replay = structuredClone(live);
  replay.run_id = `${runId}-replay`;
  // replays differ by a few output tokens, well inside the 1% / 0.5% limits
  replay.steps[2].tokens.output += 1;
  replay.tokens.output += 1;
  replay.cost_usd = round(replay.cost_usd + 15 / 1e6, 6);
  for (const s of replay.steps) {
    const manifest = readFileSync(join(receiptsDir, s.c2pa_manifest.path));
    s.c2pa_manifest = { path: s.c2pa_manifest.path.replace('-live-', '-replay-'), sha256: '' };
    const text = manifest.toString().replace('"kind": "live"', '"kind": "replay"');
    write(join(receiptsDir, s.c2pa_manifest.path), text);
    s.c2pa_manifest.sha256 = sha256(text);
  }
  runs.push({ run_id: runId, change_id: 'chg-2026-11-18-support-triage-idempotency', live, replay });
}
const receipts = { kind: 'replay_receipts', receipt_set_id: 'rs-2026-11-18-001', agent: 'support-triage', runs };
write(join(receiptsDir, 'replays.json'), JSON.stringify(receipts, null, 2) + '\n');
console.log('example evidence regenerated');
