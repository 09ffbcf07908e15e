export const id = 628;
export const ids = [628];
export const modules = {

/***/ 7593:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eu: () => (/* binding */ requireConfig),
/* harmony export */   Nv: () => (/* binding */ existingDirectory),
/* harmony export */   gx: () => (/* binding */ str),
/* harmony export */   qg: () => (/* binding */ parse),
/* harmony export */   yL: () => (/* binding */ oneOf)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);
/** Argument parsing shared by the commands: node:util parseArgs, with our own clear errors. */



function parse(argv, options, allowPositionals = false) {
    let parsed;
    try {
        parsed = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.parseArgs)({
            args: argv,
            options: options,
            allowPositionals,
            strict: true,
            tokens: true
        });
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`${message} (--help lists the options)`);
    }
    // parseArgs keeps the last of a repeated option: `--base-dir a --base-dir b` must not silently judge b
    const given = new Map();
    for (const token of parsed.tokens) {
        if (token.kind !== 'option' || token.name === undefined || options[token.name]?.multiple)
            continue;
        const seen = given.get(token.name);
        const flag = token.rawName ?? `--${token.name}`;
        const shown = token.value === undefined ? flag : `${flag} ${JSON.stringify(token.value)}`;
        if (seen === undefined)
            given.set(token.name, shown);
        else {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`--${token.name} was given more than once (${seen}, then ${shown}); give it once (--help lists the options)`);
        }
    }
    return { values: parsed.values, positionals: parsed.positionals };
}
function oneOf(value, allowed, flag, fallback) {
    if (value === undefined)
        return fallback;
    if (typeof value === 'string' && allowed.includes(value))
        return value;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`${flag} must be one of ${allowed.join(', ')} (got "${String(value)}")`);
}
function str(value) {
    return typeof value === 'string' ? value : undefined;
}
/** `path` when it is a directory; a SettingsError naming the flag otherwise. */
async function existingDirectory(path, flag) {
    const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path).catch(() => null);
    if (!info?.isDirectory())
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`${flag} ${path}: not a directory`);
    return path;
}
/**
 * A --config the user typed must exist on one of the sides: a typo must not silently judge with the defaults.
 * A path the sources refuse (outside the repository, a symlink) is left to the loader, which reports it located.
 */
async function requireConfig(path, sources) {
    if (path === undefined)
        return;
    const present = sources.filter((s) => s !== null);
    for (const source of present) {
        try {
            if (await source.stat(path))
                return;
        }
        catch {
            return;
        }
    }
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`--config ${path}: no such file in the ${present.map((s) => s.description).join(' or the ')}`);
}


/***/ }),

/***/ 9628:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runInit: () => (/* binding */ runInit)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/cli/args.ts
var args = __webpack_require__(7593);
// EXTERNAL MODULE: ./src/cli/io.ts
var cli_io = __webpack_require__(1604);
;// CONCATENATED MODULE: ./src/cli/templates.ts
/**
 * What `agent-gate init` writes: a starter configuration and one record of each kind, for an agent
 * named "my-agent". Every file validates as written; the workflow pins nothing for you to forget.
 */
const CHANGE_ID = 'chg-0001-my-agent-first-gated-change';
const STARTER_FILES = {
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
    'records/agbom/my-agent.cdx.json': JSON.stringify({
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
    }, null, 2) + '\n'
};

;// CONCATENATED MODULE: ./src/cli/init.ts
/** agent-gate init: adopt the gate in a repository in minutes. Refuses to overwrite anything. */





async function runInit(argv, io) {
    const { values } = (0,args/* parse */.qg)(argv, { dir: { type: 'string' } });
    const root = (0,external_node_path_.resolve)(io.cwd, (0,args/* str */.gx)(values.dir) ?? '.');
    const paths = Object.keys(STARTER_FILES).sort();
    const existing = [];
    for (const path of paths) {
        if (await exists((0,external_node_path_.join)(root, path)))
            existing.push(path);
    }
    if (existing.length > 0) {
        io.stderr.write(`agent-gate init: refusing to overwrite existing files (nothing was written):\n`);
        for (const path of existing)
            io.stderr.write(`  ${path}\n`);
        return cli_io/* EXIT */.dc.invalid;
    }
    for (const path of paths) {
        const target = (0,external_node_path_.join)(root, path);
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
        // 'wx' fails if the file appeared meanwhile: never overwrite
        await (0,promises_.writeFile)(target, STARTER_FILES[path] ?? '', { flag: 'wx' });
        io.stdout.write(`created ${path}\n`);
    }
    io.stdout.write([
        '',
        'Next:',
        '  1. Put real GitHub logins under roles: in .github/agent-gate.yml, and point surfaces: at your agent files.',
        '  2. agent-gate validate                     every record and the configuration, every error located',
        '  3. agent-gate check --trust-config-from head',
        '     what the gate will say once these files are on the default branch. A pull request is judged with the',
        "     base branch's configuration, so the pull request that adds it is judged with the defaults: merge it first.",
        ''
    ].join('\n'));
    return cli_io/* EXIT */.dc.allow;
}
async function exists(path) {
    try {
        await (0,promises_.lstat)(path);
        return true;
    }
    catch {
        return false;
    }
}


/***/ })

};
