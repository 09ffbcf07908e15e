/**
 * Properties of the engine (issue 3, "Done when"), on random inputs built from small arbitraries per record
 * kind, every record checked against its schema (validateRecord) before it reaches evaluate():
 *   - evaluate() never throws on schema-valid input, is pure, and its document conforms to the schema;
 *   - adding blocking evidence (a failing eval result, a removed approval, a blocking_findings entry) never
 *     improves the decision;
 *   - shuffling the order of records, files, reviews, changed files (and of the configuration's maps) never
 *     changes the canonical decision document.
 * The vocabulary is shared across kinds (change ids, eval names, signals, roles), so records refer to each
 * other and the families meet the cases they exist for; a few names are hostile ("__proto__", "constructor").
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson } from '../../decision/canonical.js';
import { expectConformingDecision } from '../../decision/__tests__/conformance.js';
import type { GateConfig } from '../../model/config.js';
import type { DecisionValue } from '../../model/decision.js';
import type {
  ApprovalInput,
  ArtifactDigest,
  ChangedFile,
  GateInput,
  LoadedRecord,
  RecordKind,
  RecordKinds,
  RecordSet,
  Review
} from '../../model/input.js';
import type { RecordIssue } from '../../model/issue.js';
import type { SourceFile } from '../../model/location.js';
import { validateOwnRecord, validateRecord } from '../../read/validate.js';
import { resolveConfig } from '../../settings/config.js';
import { rec, sha256 } from '../../testing/records.js';
import { RULE_IDS } from '../catalog.js';
import { evaluate } from '../evaluate.js';
import { exampleInput } from './example-repo.js';

// ---------------------------------------------------------------------------------------------------------------
// vocabulary

const HEAD_SHA = '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
const OLD_SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const CHANGE_IDS = ['chg-1', 'chg-2'];
const REVIEW_IDS = ['cr-1', 'cr-2'];
const GATE_IDS = ['gate-1', 'gate-2'];
const EVALS = ['quality', 'drill', '__proto__'];
const METRICS = ['task_success', 'cost', 'latency', 'pii', 'constructor'];
const SOURCES = ['cost_usd', 'latency_ms', ...METRICS];
const SIGNALS = ['trace_ok', 'eval_ok', 'design_ok', 'rollback_ok', 'tool_access', 'hasOwnProperty'];
/** roles the configuration defines; records may also name 'ghost' (undefined) */
const DEFINED_ROLES = ['release-manager', 'safety', 'eng'];
const ROLES = [...DEFINED_ROLES, 'ghost'];
const USERS = ['dana', 'priya', 'li', 'alex'];
const AUTHOR = 'alex';
const TEAMS = ['acme/safety', 'acme/eng'];
const SURFACES = ['prompts', 'tool_exposure', 'model_routing'];
const REPO_PATHS = [
  'agents/a/prompts/system.md',
  'agents/a/tools.yaml',
  'agents/a/routing.yaml',
  '.github/agent-gate.yml',
  '.github/workflows/gate.yml',
  'runbooks/rollback.md',
  'docs/README.md'
];
const MANIFESTS = ['manifests/a.c2pa.json', 'manifests/b.c2pa.json', '../outside.json'];
const DIGESTS = [sha256('manifest a'), sha256('manifest b')];
const CONFIG_FILE = '.github/agent-gate.yml';

/** Ids as the schemas allow them: no surrounding whitespace, no line break, at most 256 characters. */
const ID = /^\S(?:.*\S)?$/u;
const strangeId = fc.string({ minLength: 1, maxLength: 10, unit: 'grapheme' }).filter((s) => ID.test(s));
const name = (vocabulary: readonly string[]) =>
  fc.oneof({ weight: 24, arbitrary: fc.constantFrom(...vocabulary) }, { weight: 1, arbitrary: strangeId });
const names = (vocabulary: readonly string[], maxLength = 3) => fc.uniqueArray(name(vocabulary), { maxLength });
const dict = <T>(keys: fc.Arbitrary<string>, values: fc.Arbitrary<T>, maxLength = 4) =>
  fc.uniqueArray(fc.tuple(keys, values), { selector: ([k]) => k, maxLength }).map((e) => Object.fromEntries(e));
const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const anyNumber = fc.oneof(finite(-1e6, 1e6), finite(0, 1), fc.constantFrom(0, -0, 1, 1e308, -1e308, 5e-324));

// ---------------------------------------------------------------------------------------------------------------
// records, one arbitrary per kind

const changeReviewRecord = fc.record({
  kind: fc.constant('change_review_record' as const),
  review_id: name(REVIEW_IDS),
  change_id: name(CHANGE_IDS),
  owner: name(['platform-runtime']),
  change_type: name(['prompt_update', 'small_tuning']),
  risk_level: fc.constantFrom('low', 'medium', 'high', 'critical'),
  affected_surfaces: names(SURFACES),
  required_reviews: names(ROLES),
  required_evals: names(EVALS),
  status: fc.constantFrom('draft', 'proposed', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn')
});

const blockingFinding = fc.oneof(
  name(['bf-1', 'bf-2']),
  fc.record(
    { id: name(['bf-1', 'bf-2']), summary: fc.string({ maxLength: 20 }), severity: name(['high']), owner: name(ROLES) },
    { requiredKeys: ['id'] }
  )
);

const rolloutGateRecord = fc.record({
  kind: fc.constant('rollout_gate_record' as const),
  gate_id: name(GATE_IDS),
  change_id: name(CHANGE_IDS),
  bundle_id: name(['bundle-a', 'tbd']),
  rollout_wave: name(['canary', 'wave-1', 'n/a']),
  traffic_scope: fc.oneof(
    fc.constantFrom('5_percent', '10%', 'internal_only', 'full', '0.5_percent', 'lots'),
    fc.integer({ min: 0, max: 100 }),
    finite(0, 100)
  ),
  required_checks: names(SIGNALS),
  blocking_findings: fc.array(blockingFinding, { maxLength: 2 }),
  decision: fc.constantFrom('go', 'no_go', 'hold', 'rollback'),
  decided_by: names(ROLES, 2)
});

const change = fc.record({
  change: fc.record(
    {
      change_id: name(CHANGE_IDS),
      change_type: name(['prompt_update']),
      risk_level: fc.constantFrom('low', 'medium', 'high', 'critical'),
      rollout_strategy: name(['staged_canary']),
      artifacts: names(REPO_PATHS),
      affected_surfaces: names(SURFACES),
      required_signals: names(SIGNALS),
      approval_roles: names(ROLES, 2),
      session_control_owner: name(['support-ops']),
      emergency_freeze_owner: name(['platform'])
    },
    {
      requiredKeys: [
        'change_id',
        'change_type',
        'risk_level',
        'rollout_strategy',
        'session_control_owner',
        'emergency_freeze_owner'
      ]
    }
  )
});

const rolloutPolicy = fc.record({
  rollout: fc.record({
    require: names(SIGNALS),
    block_if: names(SIGNALS, 2),
    rollout_mode: fc.record(
      {
        initial: name(['canary']),
        max_tenant_exposure_pct: fc.oneof(fc.integer({ min: 0, max: 100 }), finite(0, 100)),
        require_shadow_period: fc.boolean()
      },
      { requiredKeys: [] }
    )
  })
});

const rolloutAssessment = fc.record(
  {
    kind: fc.constant('rollout_assessment' as const),
    change_id: name(CHANGE_IDS),
    signals: dict(name(SIGNALS), fc.boolean()),
    evidence: dict(name(SIGNALS), fc.string({ minLength: 1, maxLength: 12 }))
  },
  { requiredKeys: ['kind', 'signals'] }
);

const threshold = fc.oneof(
  anyNumber,
  fc
    .tuple(fc.constantFrom('<', '<=', '>', '>=', '=='), fc.oneof(finite(0, 5000), fc.constantFrom(0, 0.85, 1, 3000)))
    .map(([op, v]) => `${op}${String(v)}`)
);

const evalMetric = fc.record(
  {
    name: name(METRICS),
    type: fc.constantFrom('llm_judge', 'deterministic', 'numeric'),
    aggregate: fc.constantFrom('mean', 'rate', 'p50', 'p95', 'p99', 'max', 'min', 'sum'),
    direction: fc.constantFrom('higher_is_better', 'lower_is_better'),
    source: name(SOURCES)
  },
  { requiredKeys: ['name', 'type'] }
);

const evalRecord = fc.record({
  apiVersion: fc.constant('joch.dev/v1alpha1' as const),
  kind: fc.constant('Eval' as const),
  metadata: fc.record({ name: name(EVALS) }),
  spec: fc.record(
    {
      target: fc.record({ kind: fc.constant('Agent'), name: name(['support-triage']) }),
      metrics: fc.uniqueArray(evalMetric, { minLength: 1, maxLength: 3, selector: (m) => m.name }),
      thresholds: dict(name(METRICS), threshold, 3),
      releaseGate: fc.record({ enabled: fc.boolean() }),
      covers: names(['model:llm', 'llm'], 2)
    },
    { requiredKeys: ['metrics'] }
  )
});

const oneOrMore = (vocabulary: readonly string[]) =>
  fc.oneof(name(vocabulary), fc.uniqueArray(name(vocabulary), { minLength: 1, maxLength: 2 }));

const deployment = fc.record({
  apiVersion: fc.constant('joch.dev/v1alpha1' as const),
  kind: fc.constant('Deployment' as const),
  metadata: fc.record({ name: name(['support-triage-prod']) }),
  spec: fc.record(
    {
      agentRef: fc.record({ name: name(['support-triage']) }),
      environmentRef: fc.record({ name: name(['prod']) }),
      promotion: fc.record({ requiresEval: oneOrMore(EVALS), requiresApproval: oneOrMore(ROLES) }, { requiredKeys: [] })
    },
    { requiredKeys: ['agentRef', 'environmentRef'] }
  )
});

const evalScores = fc.record(
  {
    kind: fc.constant('eval_scores' as const),
    eval: name(EVALS),
    cases: fc.nat(1000),
    metrics: dict(name(SOURCES), anyNumber)
  },
  { requiredKeys: ['kind', 'eval', 'metrics'] }
);

/** Per-case results as the loader builds them (no schema: the loader checks each line). */
const evalCases = fc.integer({ min: 1, max: 25 }).chain((cases) =>
  fc.record({
    kind: fc.constant('eval_cases' as const),
    eval: name(EVALS),
    format: fc.constant('jsonl' as const),
    cases: fc.constant(cases),
    columns: dict(
      name(SOURCES),
      fc
        .array(fc.oneof(finite(0, 1), fc.constantFrom(0, 1, NaN), finite(0, 5000)), {
          minLength: cases,
          maxLength: cases
        })
        .map((values) => Float64Array.from(values)),
      3
    )
  })
);

const tokens = fc.record({ input: fc.nat(5000), output: fc.nat(5000) });
const replayStep = fc.record(
  {
    step_id: name(['s1', 's2', 's3']),
    tool: name(['search', 'create_ticket']),
    policy_verdict: name(['allow', 'deny', 'require_approval']),
    capability_token: fc.oneof(name(['cap://run/s1']), fc.constant(null)),
    c2pa_manifest: fc.oneof(
      fc.constant(null),
      fc.record({ path: fc.constantFrom(...MANIFESTS), sha256: fc.constantFrom(...DIGESTS) })
    ),
    tokens,
    cost_usd: finite(0, 1)
  },
  { requiredKeys: ['step_id', 'tool', 'policy_verdict'] }
);
const runTrace = fc.record({ tokens, cost_usd: finite(0, 1), steps: fc.array(replayStep, { maxLength: 3 }) });
const replayReceipts = fc.record({
  kind: fc.constant('replay_receipts' as const),
  runs: fc.array(
    fc.record(
      { run_id: name(['run-1', 'run-2']), change_id: name(CHANGE_IDS), live: runTrace, replay: runTrace },
      { requiredKeys: ['run_id', 'live', 'replay'] }
    ),
    { minLength: 1, maxLength: 2 }
  )
});

const hashContent = fc.constantFrom(sha256('model weights'), sha256('other'), 'd41d8cd98f00b204e9800998ecf8427e');
const agbomProperty = fc.oneof(
  fc.record({
    name: fc.constant('agentgate:kind'),
    value: fc.constantFrom('model', 'mcp_server', 'tool', 'policy', 'prompt', 'gadget')
  }),
  fc.record({ name: fc.constant('agentgate:pinned'), value: fc.constantFrom('true', 'false', 'maybe') }),
  fc.record({ name: fc.constant('agentgate:digest'), value: fc.constantFrom(`sha256:${sha256('img')}`, 'none') }),
  fc.record({
    name: fc.constant('agentgate:trust_score'),
    value: fc.constantFrom('0.95', '0.5', '0.7', 'high', '2', '-1', 'NaN')
  }),
  fc.record({
    name: fc.constant('agentgate:side_effect'),
    value: fc.constantFrom('read', 'external_write', 'destructive', 'none', 'boom')
  }),
  fc.record({ name: fc.constant('agentgate:requires_approval'), value: fc.constantFrom('true', 'false', 'yes') }),
  fc.record({ name: fc.constant('agentgate:model'), value: name(['llm']) }),
  fc.record({
    name: fc.constant('agentgate:auth'),
    value: fc.constantFrom(`AKIA${'IOSFODNN7EXAMP2X'}`, 'password=hunter2', 'plain text')
  }),
  fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), value: fc.string({ maxLength: 8 }) })
);
const agbomComponent = fc.record(
  {
    type: fc.constantFrom('machine-learning-model', 'application', 'data', 'library'),
    'bom-ref': name(['model:llm', 'tool:create', 'tool:search', 'policy:guard', 'prompt:system']),
    name: name(['llm', 'create_ticket', 'guardrails', 'system prompt']),
    version: name(['1.0.0', 'latest', '2025-09-29', '^1.2']),
    hashes: fc.array(fc.record({ alg: fc.constantFrom('SHA-256', 'MD5'), content: hashContent }), { maxLength: 1 }),
    properties: fc.uniqueArray(agbomProperty, { maxLength: 4, selector: (p) => JSON.stringify(p) })
  },
  { requiredKeys: ['type', 'name'] }
);
const agbomService = fc.record(
  {
    'bom-ref': name(['mcp:tracker', 'mcp:kb']),
    name: name(['tracker-mcp', 'kb-mcp']),
    version: name(['3.2.1', 'latest']),
    endpoints: fc.constant(['https://mcp.acme.example/tracker']),
    properties: fc.uniqueArray(agbomProperty, { maxLength: 4, selector: (p) => JSON.stringify(p) })
  },
  { requiredKeys: ['name'] }
);
const agbom = fc.record(
  {
    bomFormat: fc.constant('CycloneDX' as const),
    specVersion: fc.constantFrom('1.5' as const, '1.6' as const, '1.7' as const),
    version: fc.constant(1),
    metadata: fc.record(
      {
        component: fc.constant({ type: 'application', 'bom-ref': 'agent:support-triage', name: 'support-triage' }),
        // CycloneDX 1.5+ object form: read like top-level components and services
        tools: fc.record(
          {
            components: fc.uniqueArray(agbomComponent, { maxLength: 2, selector: (c) => JSON.stringify(c) }),
            services: fc.uniqueArray(agbomService, { maxLength: 1, selector: (c) => JSON.stringify(c) })
          },
          { requiredKeys: [] }
        )
      },
      { requiredKeys: ['component'] }
    ),
    components: fc.uniqueArray(agbomComponent, { maxLength: 4, selector: (c) => JSON.stringify(c) }),
    services: fc.uniqueArray(agbomService, { maxLength: 2, selector: (c) => JSON.stringify(c) })
  },
  { requiredKeys: ['bomFormat', 'specVersion'] }
);

const RECORDS: { [K in RecordKind]: fc.Arbitrary<RecordKinds[K]> } = {
  change_review_record: changeReviewRecord as fc.Arbitrary<RecordKinds['change_review_record']>,
  rollout_gate_record: rolloutGateRecord as fc.Arbitrary<RecordKinds['rollout_gate_record']>,
  change: change as fc.Arbitrary<RecordKinds['change']>,
  rollout_policy: rolloutPolicy as fc.Arbitrary<RecordKinds['rollout_policy']>,
  rollout_assessment: rolloutAssessment as fc.Arbitrary<RecordKinds['rollout_assessment']>,
  eval: evalRecord as fc.Arbitrary<RecordKinds['eval']>,
  deployment: deployment as fc.Arbitrary<RecordKinds['deployment']>,
  eval_scores: evalScores as fc.Arbitrary<RecordKinds['eval_scores']>,
  eval_cases: evalCases as unknown as fc.Arbitrary<RecordKinds['eval_cases']>,
  agbom: agbom as fc.Arbitrary<RecordKinds['agbom']>,
  replay_receipts: replayReceipts as fc.Arbitrary<RecordKinds['replay_receipts']>
};
const KINDS = Object.keys(RECORDS) as RecordKind[];

const EXTENSION: Partial<Record<RecordKind, string>> = {
  eval_cases: 'jsonl',
  agbom: 'cdx.json',
  replay_receipts: 'json'
};
/** Receipts live in records/receipts/, so that `manifests/…` resolves to records/receipts/manifests/…. */
const folderOf = (kind: RecordKind) => (kind === 'replay_receipts' ? 'receipts' : kind);

/** The schema check the loader makes before a record reaches the engine. */
async function schemaIssues(kind: RecordKind, data: unknown): Promise<string[]> {
  if (kind === 'eval_cases') return [];
  const issues = kind === 'agbom' ? await validateRecord('agbom', data) : validateOwnRecord(kind, data);
  return issues.map((i) => `${kind} ${i.pointer}: ${i.message}`);
}

// ---------------------------------------------------------------------------------------------------------------
// a whole input: head and base records, changed files, approvals, configuration

/** One record file: on the head, on the base, or both (identical, or changed by this pull request). */
interface Slot {
  kind: RecordKind;
  head: unknown;
  alt: unknown;
  mode: 'same' | 'changed' | 'added' | 'removed';
}

const slot: fc.Arbitrary<Slot> = fc.constantFrom(...KINDS).chain((kind) =>
  fc.record({
    kind: fc.constant(kind),
    head: RECORDS[kind] as fc.Arbitrary<unknown>,
    alt: RECORDS[kind] as fc.Arbitrary<unknown>,
    mode: fc.constantFrom('same', 'same', 'same', 'changed', 'added', 'removed')
  })
);

const role = fc.record(
  {
    users: fc.uniqueArray(fc.constantFrom(...USERS), { maxLength: 2 }),
    teams: fc.uniqueArray(fc.constantFrom(...TEAMS), { maxLength: 1 })
  },
  { requiredKeys: [] }
);

/** A configuration file as written, kept only when resolveConfig finds nothing wrong with it. */
const configFile = fc.record(
  {
    surfaces: dict(
      name(SURFACES),
      fc.uniqueArray(
        fc.constantFrom('agents/*/prompts/**', 'agents/*/tools.yaml', 'agents/*/routing.yaml', '**/*.md'),
        {
          maxLength: 2
        }
      ),
      3
    ),
    // every role the configuration itself names is defined; records may still name undefined ones
    roles: fc
      .tuple(...DEFINED_ROLES.map(() => role))
      .map((list) => Object.fromEntries(DEFINED_ROLES.map((r, i) => [r, list[i]]))),
    approvals: fc.record(
      {
        accept_stale: fc.boolean(),
        required_roles: fc.uniqueArray(fc.constantFrom(...DEFINED_ROLES), { maxLength: 2 })
      },
      { requiredKeys: [] }
    ),
    evals: fc.record(
      { regression_slack: finite(0, 1), confidence: fc.constantFrom(0.9, 0.95, 0.99), seed: fc.nat(1000) },
      { requiredKeys: [] }
    ),
    drift: fc.record({ max_token_drift: finite(0, 0.5), max_cost_drift: finite(0, 0.5) }, { requiredKeys: [] }),
    agbom: fc.record({ min_trust_score: finite(0, 1) }, { requiredKeys: [] }),
    signals: dict(
      name(SIGNALS),
      fc.oneof(
        fc.record({ eval: name(EVALS) }),
        fc.record({ approval: fc.constantFrom(...DEFINED_ROLES) }),
        fc.record({ file: fc.constantFrom('runbooks/rollback.md', 'runbooks/missing.md') })
      ),
      3
    ),
    integrity: fc.record({ owner_role: fc.constantFrom(...DEFINED_ROLES) }, { requiredKeys: [] }),
    rules: dict(fc.constantFrom(...RULE_IDS), fc.constantFrom('deny', 'follow_up', 'warning', 'off'), 3)
  },
  { requiredKeys: ['roles'] }
);

/** Resolved through the real settings code, with few resamples so a property run stays fast. */
const config: fc.Arbitrary<GateConfig> = configFile
  .map((file) => {
    const withResamples = { ...file, evals: { ...(file.evals ?? {}), bootstrap_resamples: 100 } };
    return resolveConfig(withResamples, RULE_IDS);
  })
  .filter((resolved) => resolved.issues.length === 0)
  .map((resolved) => resolved.config);

const review: fc.Arbitrary<Omit<Review, 'id'>> = fc.record({
  user: fc.constantFrom(...USERS),
  state: fc.constantFrom('APPROVED', 'APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'),
  commit_id: fc.constantFrom(HEAD_SHA, HEAD_SHA, OLD_SHA, null),
  submitted_at: fc.constantFrom(
    '2026-11-18T15:00:00Z',
    '2026-11-18T16:00:00Z',
    '2026-11-18T16:00:00Z',
    null,
    'yesterday'
  )
});

const approvals: fc.Arbitrary<ApprovalInput> = fc
  .record({
    available: fc.boolean(),
    author: fc.constantFrom(AUTHOR, null),
    head_sha: fc.constantFrom(HEAD_SHA, HEAD_SHA, null),
    reviews: fc.array(review, { maxLength: 6 }),
    teams: dict(
      fc.constantFrom(...TEAMS),
      fc.oneof(fc.constant(null), fc.uniqueArray(fc.constantFrom(...USERS), { maxLength: 2 })),
      2
    )
  })
  .map(({ available, reviews, ...rest }) => ({
    available: available || reviews.length > 0,
    ...(available || reviews.length > 0 ? {} : { unavailable_reason: 'a local check has no pull request' }),
    ...rest,
    // GitHub's review ids are unique and grow with time
    reviews: reviews.map((r, i) => ({ ...r, id: 1000 + i }))
  }));

const artifact: fc.Arbitrary<ArtifactDigest> = fc.oneof(
  fc.record({ status: fc.constant('ok' as const), sha256: fc.constantFrom(...DIGESTS), bytes: fc.nat(5000) }),
  fc.record({
    status: fc.constantFrom('missing' as const, 'rejected' as const),
    reason: fc.constantFrom('no file at this path', 'a symbolic link')
  })
);

const issue: fc.Arbitrary<RecordIssue> = fc.record({
  code: fc.constantFrom('schema.type', 'yaml.duplicate-key'),
  message: fc.string({ maxLength: 20 }),
  file: fc.constantFrom('records/evals/results/old.yaml', 'records/agbom/old.cdx.json'),
  side: fc.constant('base' as const),
  line: fc.integer({ min: 1, max: 50 })
});

interface Generated {
  slots: Slot[];
  config: GateConfig;
  proposed: GateConfig | null;
  configSide: 'base' | 'head' | 'default';
  hasBase: boolean;
  changedPaths: string[] | null;
  approvals: ApprovalInput;
  artifacts: Record<string, ArtifactDigest>;
  headPaths: string[] | null;
  baseIssues: RecordIssue[];
}

const generated: fc.Arbitrary<Generated> = fc.record({
  slots: fc.array(slot, { maxLength: 7 }),
  config,
  proposed: fc.option(config, { freq: 4 }),
  configSide: fc.constantFrom('base', 'base', 'head', 'default'),
  hasBase: fc.boolean(),
  changedPaths: fc.option(fc.uniqueArray(fc.constantFrom(...REPO_PATHS), { maxLength: 4 }), { freq: 6 }),
  approvals,
  artifacts: dict(fc.constantFrom(...MANIFESTS.map((m) => `records/receipts/${m}`)), artifact, 2),
  headPaths: fc.option(fc.uniqueArray(fc.constantFrom(...REPO_PATHS), { maxLength: 4 }), { freq: 4 }),
  baseIssues: fc.array(issue, { maxLength: 2 })
});

function pathOf(s: Slot, i: number): string {
  return `records/${folderOf(s.kind)}/r${i}.${EXTENSION[s.kind] ?? 'yaml'}`;
}

function recordSetOf(
  side: 'head' | 'base',
  records: LoadedRecord[],
  extra: { files: SourceFile[]; paths: string[] | null; artifacts: Record<string, ArtifactDigest> }
): RecordSet {
  const files = [...records.map((r) => r.source), ...extra.files].sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    side,
    commit: side === 'head' ? HEAD_SHA : OLD_SHA,
    files,
    records,
    artifacts: extra.artifacts,
    paths: extra.paths
  };
}

/** The GateInput the pipeline would hand evaluate() for these generated parts. */
function toInput(g: Generated): GateInput {
  const head: LoadedRecord[] = [];
  const base: LoadedRecord[] = [];
  const changed: ChangedFile[] = [];
  g.slots.forEach((s, i) => {
    const path = pathOf(s, i);
    const kind = s.kind as 'change';
    const headData = s.head as RecordKinds['change'];
    if (s.mode !== 'removed') head.push(rec(kind, headData, path, 'head'));
    if (g.hasBase && s.mode === 'same') base.push(rec(kind, headData, path, 'base'));
    if (g.hasBase && (s.mode === 'changed' || s.mode === 'removed'))
      base.push(rec(kind, s.alt as RecordKinds['change'], path, 'base'));
    const status = s.mode === 'same' ? null : s.mode === 'changed' ? 'modified' : s.mode;
    if (status && (g.hasBase || status === 'added')) changed.push({ path, status });
  });
  const configFile: SourceFile = {
    path: CONFIG_FILE,
    side: g.configSide === 'head' ? 'head' : 'base',
    sha256: sha256('config'),
    bytes: 42
  };
  const hasBase = g.hasBase || g.configSide === 'base';
  const headSet = recordSetOf('head', head, {
    files: g.configSide === 'head' ? [configFile] : [],
    paths: g.headPaths === null ? null : [...g.headPaths, ...head.map((r) => r.source.path)],
    artifacts: g.artifacts
  });
  const baseSet = hasBase
    ? recordSetOf('base', base, { files: g.configSide === 'base' ? [configFile] : [], paths: null, artifacts: {} })
    : null;
  return {
    config: g.config,
    config_source:
      g.configSide === 'default'
        ? { side: 'default', file: null, sha256: null }
        : { side: g.configSide, file: CONFIG_FILE, sha256: configFile.sha256 },
    proposed_config:
      g.proposed && g.configSide === 'base'
        ? { config: g.proposed, file: CONFIG_FILE, sha256: sha256('proposed') }
        : null,
    head: headSet,
    base: baseSet,
    base_issues: baseSet ? g.baseIssues : [],
    changed_files:
      g.changedPaths === null || !hasBase
        ? null
        : [...changed, ...g.changedPaths.map((path) => ({ path, status: 'modified' as const }))],
    approvals: g.approvals,
    tool_version: '0.0.0-test'
  };
}

/**
 * The example repository's input (read by the real loader: real locations, 400 per-case results), changed in a
 * few ways: reviews and records dropped, records added, rules turned up or down, changed files unknown. Its
 * decision starts at allow, so the monotonicity properties see every decision, not mostly deny.
 */
interface ExampleChange {
  dropReviews: number[];
  dropRecords: number[];
  added: Slot[];
  rules: Record<string, string>;
  acceptStale: boolean;
  changesKnown: boolean;
}

const exampleChange: fc.Arbitrary<ExampleChange> = fc.record({
  dropReviews: fc.uniqueArray(fc.nat(9), { maxLength: 2 }),
  dropRecords: fc.uniqueArray(fc.nat(19), { maxLength: 1 }),
  added: fc.array(slot, { maxLength: 1 }),
  rules: dict(fc.constantFrom(...RULE_IDS), fc.constantFrom('deny', 'follow_up', 'warning', 'off'), 2),
  acceptStale: fc.boolean(),
  changesKnown: fc.constantFrom(true, true, true, false)
});

let example: GateInput;
beforeAll(async () => {
  example = await exampleInput();
  // fewer resamples: the noise test's interval matters less here than the run time of a property
  example = { ...example, config: { ...example.config, evals: { ...example.config.evals, bootstrap_resamples: 200 } } };
}, 60_000);

function changedExample(c: ExampleChange): GateInput {
  const reviews = example.approvals.reviews.filter((_r, i) => !c.dropReviews.includes(i));
  const dropped = new Set(c.dropRecords.map((i) => example.head.records[i]?.source.path));
  const added = c.added.map((s, i) =>
    rec(s.kind as 'change', s.head as RecordKinds['change'], `records/added/${i}.${EXTENSION[s.kind] ?? 'yaml'}`)
  );
  const records = [...example.head.records.filter((r) => !dropped.has(r.source.path)), ...added];
  const files = [...example.head.files.filter((f) => !dropped.has(f.path)), ...added.map((r) => r.source)];
  const changed =
    example.changed_files === null || !c.changesKnown
      ? null
      : [
          ...example.changed_files.filter((f) => !dropped.has(f.path)),
          ...added.map((r) => ({ path: r.source.path, status: 'added' as const }))
        ];
  return {
    ...example,
    config: {
      ...example.config,
      approvals: { ...example.config.approvals, accept_stale: c.acceptStale },
      rules: { ...example.config.rules, ...(c.rules as GateConfig['rules']) }
    },
    head: { ...example.head, records, files },
    changed_files: changed,
    approvals: { ...example.approvals, reviews }
  };
}

/** Either source of inputs: wholly random, or the example changed a little. */
const anyInput: fc.Arbitrary<{ wild: Generated } | { example: ExampleChange }> = fc.oneof(
  generated.map((wild) => ({ wild })),
  exampleChange.map((change) => ({ example: change }))
);
const inputOf = (x: { wild: Generated } | { example: ExampleChange }): GateInput =>
  'wild' in x ? toInput(x.wild) : changedExample(x.example);

async function expectSchemaValid(input: GateInput): Promise<void> {
  const problems: string[] = [];
  for (const set of [input.head, input.base])
    for (const r of set?.records ?? []) problems.push(...(await schemaIssues(r.kind, r.data)));
  expect(problems).toEqual([]);
}

const RANK: Record<DecisionValue, number> = { allow: 0, follow_up: 1, deny: 2 };
/** AGENT_GATE_PROPERTY_RUNS=5000 for a deeper search locally; CI keeps to 100 runs and 40 s per property. */
const RUNS = Number(process.env.AGENT_GATE_PROPERTY_RUNS) || 100;
/** Each property stops early (and passes on what it ran) rather than run past this. */
const TIME_LIMIT_MS = RUNS > 100 ? RUNS * 400 : 40_000;

/** The record data of a set, serialised: to show evaluate() leaves its input as it found it. */
function recordBytes(input: GateInput): string {
  return canonicalJson([input.head.records, input.base?.records ?? []].map((list) => list.map((r) => r.data)));
}

// ---------------------------------------------------------------------------------------------------------------

describe('evaluate() on random schema-valid input', () => {
  it(
    'never throws, is pure and deterministic, and its document conforms to the schema',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyInput, async (x) => {
          const input = inputOf(x);
          await expectSchemaValid(input);
          const before = recordBytes(input);
          const doc = evaluate(input);
          expect(doc.outcome).toBe('evaluated');
          expectConformingDecision(doc);
          expect(recordBytes(input)).toBe(before);
          expect(canonicalJson(evaluate(input))).toBe(canonicalJson(doc));
          // the decision follows from the findings
          const severities = new Set(doc.findings.map((f) => f.severity));
          expect(doc.decision).toBe(
            severities.has('deny') ? 'deny' : severities.has('follow_up') ? 'follow_up' : 'allow'
          );
          for (const f of doc.findings) {
            expect(f.rule.startsWith(`${f.family}.`)).toBe(true);
            expect(RULE_IDS).toContain(f.rule);
            expect(f.message.length).toBeGreaterThan(0);
            expect(f.fix.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS }
      );
    },
    Math.max(120_000, TIME_LIMIT_MS * 2)
  );
});

// ---------------------------------------------------------------------------------------------------------------
// monotonicity

/**
 * A value that fails a threshold as the evals family reads it and lies in the metric's natural range (scores
 * and rates in [0, 1], numeric values non-negative), or null when none does. Staying in range matters: a
 * value outside it is evidence that the range is wider, which rightly changes whether a threshold can fail.
 */
function failingValue(
  written: unknown,
  metric: { type: string; direction?: string; aggregate?: string }
): number | null {
  const direction = metric.direction ?? (metric.type === 'numeric' ? undefined : 'higher_is_better');
  let comparator: string;
  let v: number;
  if (typeof written === 'number') {
    if (direction === undefined) return null;
    comparator = direction === 'higher_is_better' ? '>=' : '<=';
    v = written;
  } else {
    const m = /^(<=|>=|<|>|==)\s*(.+)$/.exec(String(written));
    if (!m) return null;
    comparator = m[1]!;
    v = Number(m[2]);
  }
  if (!Number.isFinite(v)) return null;
  const lo = 0;
  const hi = metric.type === 'numeric' && metric.aggregate !== 'rate' ? Infinity : 1;
  const inRange = (x: number) => x >= lo && x <= hi;
  const candidates: Record<string, number[]> = {
    '>=': [lo, v / 2],
    '>': [lo, v],
    '<=': [hi, v + Math.abs(v) + 1, (v + hi) / 2],
    '<': [hi, v, v + Math.abs(v) + 1],
    '==': [lo, hi, v + 1]
  };
  const fails: Record<string, (x: number) => boolean> = {
    '>=': (x) => x < v,
    '>': (x) => x <= v,
    '<=': (x) => x > v,
    '<': (x) => x >= v,
    '==': (x) => x !== v
  };
  return candidates[comparator]!.find((x) => Number.isFinite(x) && inRange(x) && fails[comparator]!(x)) ?? null;
}

type Worsening = (input: GateInput, pick: number) => GateInput | null;

/** Adds an eval_scores file whose value for a thresholded metric fails that threshold. */
const addFailingResult: Worsening = (input, pick) => {
  const candidates: { eval: string; metrics: Record<string, number> }[] = [];
  for (const r of input.head.records) {
    if (r.kind !== 'eval') continue;
    const spec = r.data.spec;
    for (const [metric, written] of Object.entries(spec.thresholds ?? {})) {
      const m = spec.metrics.find((x) => x.name === metric);
      if (!m) continue;
      const value = failingValue(written, m);
      if (value === null) continue;
      const metrics: Record<string, number> = {};
      for (const key of new Set([metric, m.source ?? metric]))
        Object.defineProperty(metrics, key, { value, enumerable: true });
      candidates.push({ eval: r.data.metadata.name, metrics });
    }
  }
  if (candidates.length === 0) return null;
  const c = candidates[pick % candidates.length]!;
  const added = rec(
    'eval_scores',
    { kind: 'eval_scores', eval: c.eval, cases: 10, metrics: c.metrics },
    'records/eval_scores/failing.yaml'
  );
  return withHead(input, [...input.head.records, added], { path: added.source.path, status: 'added' });
};

/** Removes one APPROVED review. */
const removeApproval: Worsening = (input, pick) => {
  const approved = input.approvals.reviews.filter((r) => r.state === 'APPROVED');
  if (approved.length === 0) return null;
  const gone = approved[pick % approved.length]!;
  return { ...input, approvals: { ...input.approvals, reviews: input.approvals.reviews.filter((r) => r !== gone) } };
};

/** Adds an entry to a rollout gate record's blocking_findings (or adds a gate record that has one). */
const addBlockingFinding: Worsening = (input, pick) => {
  const gates = input.head.records.filter((r) => r.kind === 'rollout_gate_record');
  const entry = { id: 'bf-added', summary: 'found in the canary' };
  if (gates.length === 0) {
    const added = rec(
      'rollout_gate_record',
      {
        kind: 'rollout_gate_record',
        gate_id: 'gate-added',
        change_id: 'chg-1',
        bundle_id: 'bundle-a',
        rollout_wave: 'canary',
        traffic_scope: '5_percent',
        required_checks: [],
        blocking_findings: [entry],
        decision: 'go',
        decided_by: ['release-manager']
      },
      'records/rollout_gate_record/added.yaml'
    );
    return withHead(input, [...input.head.records, added], { path: added.source.path, status: 'added' });
  }
  const target = gates[pick % gates.length]!;
  const data = target.data as RecordKinds['rollout_gate_record'];
  const changed = rec(
    'rollout_gate_record',
    { ...data, blocking_findings: [...data.blocking_findings, entry] },
    target.source.path
  );
  return withHead(
    input,
    input.head.records.map((r) => (r === target ? changed : r)),
    { path: target.source.path, status: 'modified' }
  );
};

function withHead(input: GateInput, records: LoadedRecord[], change: ChangedFile): GateInput {
  const byPath = new Map(input.head.files.map((f) => [f.path, f]));
  for (const r of records) byPath.set(r.source.path, r.source);
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const changed =
    input.changed_files === null ? null : [...input.changed_files.filter((f) => f.path !== change.path), change];
  return { ...input, head: { ...input.head, records, files }, changed_files: changed };
}

describe('adding blocking evidence never improves the decision', () => {
  it.each([
    ['a failing eval result', addFailingResult],
    ['removing an approval', removeApproval],
    ['a blocking_findings entry', addBlockingFinding]
  ] as const)(
    '%s',
    async (_what, worsen) => {
      await fc.assert(
        fc.asyncProperty(anyInput, fc.nat(), async (x, pick) => {
          const input = inputOf(x);
          const worse = worsen(input, pick);
          fc.pre(worse !== null);
          await expectSchemaValid(worse!);
          const before = evaluate(input);
          const after = evaluate(worse!);
          if (RANK[after.decision] < RANK[before.decision]) {
            const rules = (d: typeof before) =>
              d.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.severity} ${f.rule}`);
            throw new Error(
              `${before.decision} → ${after.decision}\nbefore: ${rules(before).join(', ')}\nafter: ${rules(after).join(', ')}`
            );
          }
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS }
      );
    },
    120_000
  );

  it(
    'a blocking_findings entry denies unless the configuration turned the rule down',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyInput, fc.nat(), async (x, pick) => {
          const worse = addBlockingFinding(inputOf(x), pick)!;
          const severity = worse.config.rules['rollout.blocking-findings'] ?? 'deny';
          const doc = evaluate(worse);
          expect(doc.findings.some((f) => f.rule === 'rollout.blocking-findings')).toBe(severity !== 'off');
          if (severity === 'deny') expect(doc.decision).toBe('deny');
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS }
      );
    },
    Math.max(120_000, TIME_LIMIT_MS * 2)
  );
});

// ---------------------------------------------------------------------------------------------------------------
// order independence

/** A seeded shuffle (mulberry32), so a failing case replays exactly. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same entries, inserted in another order. */
function shuffledObject<T>(obj: Record<string, T>, seed: number): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of shuffle(Object.entries(obj), seed))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function shuffledSet(set: RecordSet, seed: number): RecordSet {
  return {
    ...set,
    records: shuffle(set.records, seed),
    files: shuffle(set.files, seed + 1),
    paths: set.paths === null ? null : shuffle(set.paths, seed + 2),
    artifacts: shuffledObject(set.artifacts, seed + 3)
  };
}

function shuffledConfig(c: GateConfig, seed: number): GateConfig {
  return {
    ...c,
    surfaces: shuffledObject(c.surfaces, seed),
    roles: shuffledObject(c.roles, seed + 1),
    signals: shuffledObject(c.signals, seed + 2),
    rules: shuffledObject(c.rules, seed + 3)
  };
}

function shuffledInput(input: GateInput, seed: number): GateInput {
  return {
    ...input,
    config: shuffledConfig(input.config, seed),
    proposed_config: input.proposed_config && {
      ...input.proposed_config,
      config: shuffledConfig(input.proposed_config.config, seed + 5)
    },
    head: shuffledSet(input.head, seed + 10),
    base: input.base && shuffledSet(input.base, seed + 20),
    base_issues: shuffle(input.base_issues, seed + 30),
    changed_files: input.changed_files && shuffle(input.changed_files, seed + 40),
    approvals: {
      ...input.approvals,
      reviews: shuffle(input.approvals.reviews, seed + 50),
      teams: shuffledObject(input.approvals.teams, seed + 60)
    }
  };
}

describe('the order inputs come in never changes the document', () => {
  it(
    'shuffling records, files, reviews, changed files and the configuration maps gives byte-identical canonical JSON',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyInput, fc.nat(), async (x, seed) => {
          const input = inputOf(x);
          await expectSchemaValid(input);
          const reference = canonicalJson(evaluate(input));
          expect(canonicalJson(evaluate(shuffledInput(input, seed)))).toBe(reference);
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS }
      );
    },
    Math.max(120_000, TIME_LIMIT_MS * 2)
  );
});
