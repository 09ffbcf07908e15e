/**
 * What `agent-gate init` writes: a starter configuration and one record of each kind, for an agent
 * named "my-agent". Every file validates as written; the workflow pins nothing for you to forget.
 */
const CHANGE_ID = 'chg-0001-my-agent-first-gated-change';

export const STARTER_FILES: Record<string, string> = {
  '.github/agent-gate.yml': `# agent-release-gate configuration (docs/configuration.md).
# The gate judges a pull request with this file as it is on the BASE branch.
version: 1
key: my-agent

records:
  include:
    - "records/**/*.{yaml,yml,json,jsonl}"
  exclude:
    - "records/receipts/manifests/**"

surfaces:
  prompts: ["agents/*/prompts/**"]
  model_routing: ["agents/*/routing.yaml"]
  tool_exposure: ["agents/*/tools.yaml"]
  policy_bundle: ["agents/*/policy/**"]
  # the agent's manifest: pointing it at another prompt or tools file changes the agent
  agent_manifest: ["agents/*/agent.yaml"]

# Replace these logins with the people who hold each role (or "org/team" under teams:).
roles:
  release-manager:
    users: [your-release-manager]
  engineering:
    users: [your-engineer]
  safety:
    users: [your-safety-reviewer]

approvals:
  required_roles: [release-manager]

# Signals the gate derives itself, instead of trusting a "true" written in a rollout assessment.
signals:
  offline_eval_passed: { eval: my-agent-quality }
  rollback_plan: { file: runbooks/my-agent/rollback.md }
`,
  '.github/workflows/agent-release-gate.yml': `# Make the "gate" job a required status check in the branch protection rules.
name: agent-release-gate
on:
  pull_request: # no paths: filter, so the required check never stays pending
  merge_group:

permissions:
  contents: read # read the base commit
  pull-requests: write # read reviews; create and update the sticky comment

jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      # Replace @main with the full commit SHA of a release: the check that decides must not change under you.
      - uses: acme/agent-release-gate@main
        id: gate
        with:
          config: .github/agent-gate.yml
      - if: always()
        uses: actions/upload-artifact@v4
        with:
          name: agent-gate-decision
          path: \${{ steps.gate.outputs.decision-file }}
`,
  'runbooks/my-agent/rollback.md': `# Rolling back my-agent

1. Re-deploy the previous agent record (model, tools, MCP servers, policy versions).
2. Watch the error-rate dashboard for 30 minutes.
3. Record the rollback as a release event with the reason.
`,
  [`records/changes/${CHANGE_ID}/change.yaml`]: `change:
  change_id: ${CHANGE_ID}
  change_type: prompt_update
  risk_level: medium
  rollout_strategy: staged_canary
  artifacts:
    - agents/my-agent/prompts/system.md
  affected_surfaces:
    - prompts
  required_signals:
    - offline_eval_passed
  approval_roles:
    - engineering
  session_control_owner: my-team
  emergency_freeze_owner: my-team
`,
  [`records/changes/${CHANGE_ID}/review.yaml`]: `kind: change_review_record
review_id: cr-0001
change_id: ${CHANGE_ID}
owner: my-team
change_type: prompt_update
risk_level: medium
affected_surfaces:
  - prompts
required_reviews:
  - engineering
  - safety
required_evals:
  - my-agent-quality
status: approved
`,
  [`records/changes/${CHANGE_ID}/gate.yaml`]: `kind: rollout_gate_record
gate_id: gate-0001
change_id: ${CHANGE_ID}
bundle_id: bundle-0001-a
rollout_wave: canary
traffic_scope: 5_percent
required_checks:
  - telemetry_ready
  - rollback_plan
blocking_findings: []
decision: go
decided_by:
  - release-manager
`,
  [`records/changes/${CHANGE_ID}/assessment.yaml`]: `# Signals your release checklist asserts. Signals the gate can derive (evals, approvals, files)
# are configured under "signals:" in .github/agent-gate.yml and take precedence.
kind: rollout_assessment
change_id: ${CHANGE_ID}
signals:
  telemetry_ready: true
  direct_tool_access_present: false
`,
  'records/rollout.yaml': `rollout:
  require:
    - offline_eval_passed
    - rollback_plan
  rollout_mode:
    initial: canary
    max_tenant_exposure_pct: 5
    require_shadow_period: false
  block_if:
    - direct_tool_access_present
`,
  'records/evals/my-agent-quality.yaml': `apiVersion: joch.dev/v1alpha1
kind: Eval
metadata: { name: my-agent-quality }
spec:
  target: { kind: Agent, name: my-agent }
  dataset: { type: file, uri: ./datasets/cases.jsonl }
  metrics:
    - { name: task_success, type: llm_judge }
    - { name: cost_per_case, type: numeric, source: cost_usd, direction: lower_is_better }
    - { name: latency_p95_ms, type: numeric, source: latency_ms, aggregate: p95, direction: lower_is_better }
    - { name: pii_leakage, type: deterministic, direction: lower_is_better }
  thresholds:
    task_success: 0.85
    cost_per_case: "<0.40"
    latency_p95_ms: "<3000"
    pii_leakage: 0.0
  releaseGate: { enabled: true, blocksPromotionTo: prod }
`,
  'records/evals/results/my-agent-quality.jsonl': [
    { case_id: 'case-0001', metrics: { task_success: 0.95, pii_leakage: false }, cost_usd: 0.12, latency_ms: 1400 },
    { case_id: 'case-0002', metrics: { task_success: 0.9, pii_leakage: false }, cost_usd: 0.2, latency_ms: 2100 },
    { case_id: 'case-0003', metrics: { task_success: 0.88, pii_leakage: false }, cost_usd: 0.18, latency_ms: 1750 }
  ]
    .map((c) => JSON.stringify({ eval: 'my-agent-quality', ...c }))
    .join('\n')
    .concat('\n'),
  'records/deployments/my-agent-prod.yaml': `apiVersion: joch.dev/v1alpha1
kind: Deployment
metadata: { name: my-agent-prod }
spec:
  agentRef: { name: my-agent }
  environmentRef: { name: prod }
  promotion:
    requiresEval: my-agent-quality
    requiresApproval: release-manager
`,
  'records/agbom/my-agent.cdx.json':
    JSON.stringify(
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        version: 1,
        metadata: {
          component: { type: 'application', 'bom-ref': 'agent:my-agent', name: 'my-agent', version: '0.1.0' }
        },
        components: [
          {
            type: 'machine-learning-model',
            'bom-ref': 'model:my-agent-llm',
            name: 'example-model',
            version: '2025-01-01',
            properties: [
              { name: 'agentgate:kind', value: 'model' },
              { name: 'agentgate:pinned', value: 'true' }
            ]
          }
        ],
        services: [
          {
            'bom-ref': 'mcp:docs',
            name: 'docs-mcp',
            version: '1.0.0',
            endpoints: ['https://mcp.example.com/docs'],
            properties: [
              { name: 'agentgate:kind', value: 'mcp_server' },
              { name: 'agentgate:pinned', value: 'true' },
              { name: 'agentgate:side_effect', value: 'read' },
              { name: 'agentgate:digest', value: 'sha256:' + '0'.repeat(64) },
              { name: 'agentgate:trust_score', value: '0.9' }
            ]
          }
        ]
      },
      null,
      2
    ) + '\n'
};
