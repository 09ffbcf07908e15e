/**
 * Replay drift (FleetForge's receipts-as-gates): each run in a replay receipt set was recorded live and
 * replayed. The replay must use the same tokens and cost within the configured drift, reach the same policy
 * verdict at every step, and every step must carry a capability token and a C2PA manifest whose digest matches
 * the file in the repository. docs/receipts.md is the user's side of this module.
 *
 * Findings are grouped: one finding per run per rule, listing the steps, so a run with thousands of
 * unsigned steps gives one finding per rule, not thousands.
 */
import type { RunDriftEvidence } from '../model/evidence.js';
import type { Json } from '../model/finding.js';
import type { ArtifactDigest, Rec } from '../model/input.js';
import type { ReplayRun, ReplayStep, RunTrace } from '../model/records.js';
import { resolveReference } from '../read/paths.js';
import { canonicalJson } from '../decision/canonical.js';
import { changeIds, cmp, locationOf, pointer, type FamilyResult, type GateContext } from './context.js';
import { isAgentChange } from './globs.js';
import { findSecrets, type SecretHit } from './secrets.js';
import { defineRules, FindingList } from './rules.js';

export const RULES = defineRules('drift', {
  'drift.tokens': {
    severity: 'deny',
    title: 'Replay token use drifted from the live run',
    description:
      'Token drift is |replay total − live total| / live total, where a total is input + output tokens. It must not exceed `drift.max_token_drift` (default 0.01, 1%). A live run of 0 tokens allows only a replay of 0 tokens. A replay that uses different tokens is not a faithful replay of the run, so its other evidence proves little.',
    fix: 'Find the step that drifted (the finding lists the largest step differences when steps record tokens), make the replay deterministic (pinned model, seeded sampling, recorded tool results) and record the receipts again.'
  },
  'drift.cost': {
    severity: 'deny',
    title: 'Replay cost drifted from the live run',
    description:
      'Cost drift is |replay cost_usd − live cost_usd| / live cost_usd. It must not exceed `drift.max_cost_drift` (default 0.005, 0.5%). A live cost of 0 allows only a replay cost of 0.',
    fix: 'Check for a changed model price, extra calls or retries in the replay, then record the receipts again.'
  },
  'drift.step-unmatched': {
    severity: 'deny',
    title: 'Replay and live run have different steps',
    description:
      'Steps are matched by step_id. A step present in only the live run or only the replay means the replay is not a replay of that run.',
    fix: 'Record the replay from the same run (same step ids), or record the receipts again.'
  },
  'drift.no-steps': {
    severity: 'deny',
    title: 'Run records no steps',
    description:
      "The live run or the replay of a run has an empty `steps` list. Steps carry the evidence the gate checks — a capability token and a C2PA manifest per tool call, and the policy verdicts to compare — so an execution without steps evidences nothing, and no evidence is not a pass. (When only one side is empty, `drift.step-unmatched` also lists the other side's steps.)",
    fix: 'Record the runs with their steps (every tool call, with its capability token and manifest). A run that truly calls no tool proves nothing about tools: record runs that exercise the change instead.'
  },
  'drift.missing-capability-token': {
    severity: 'deny',
    title: 'Step has no capability token',
    description:
      'Every step of the live run and of the replay must reference the capability token that authorised it (`capability_token`). A step without one ran outside the capability model, so nothing shows it was allowed.',
    fix: 'Record the runs with capability tokens enabled and include the token reference of every step.'
  },
  'drift.missing-manifest': {
    severity: 'deny',
    title: 'Step has no C2PA manifest',
    description:
      'Every step of the live run and of the replay must reference a C2PA manifest (`c2pa_manifest` with `path` and `sha256`) that attests what it produced.',
    fix: 'Record the runs with manifests enabled and commit each manifest next to the receipt file.'
  },
  'drift.verdict-mismatch': {
    severity: 'deny',
    title: 'Policy verdict differs between live run and replay',
    description:
      "A step's `policy_verdict` in the replay differs from the live run: the change alters what the policy allows, or the replay is not faithful. Either way it needs rework before release.",
    fix: 'Find why the policy decided differently (policy bundle, inputs, model output) and fix the change or the replay.'
  },
  'drift.tool-mismatch': {
    severity: 'deny',
    title: 'A replay step calls another tool than the live run',
    description:
      'A step of the replay has the same `step_id` as a step of the live run but names another `tool`: the replay is not a replay of that run, so its verdicts, tokens and costs say nothing about it.',
    fix: 'Record the replay again from the live run it stands for (same steps, same tools), or give the steps distinct step_ids if they are different calls.'
  },
  'drift.manifest-mismatch': {
    severity: 'deny',
    title: 'C2PA manifest digest does not match the file',
    description:
      "The sha256 recorded for a step's manifest differs from the sha256 of the manifest file in the repository. The manifest was changed after the run was recorded, or the receipt points at the wrong file. (A recorded sha256 that is not 64 lower-case hex digits never gets here: the receipts schema refuses it, and the receipts file is invalid input.)",
    fix: 'Restore the manifest that was produced by the run, or record the receipts again so the digests agree.'
  },
  'drift.manifest-missing': {
    severity: 'deny',
    title: 'C2PA manifest file is missing',
    description:
      "A step's manifest path (relative to the receipt file's folder) names no readable file in the repository, so its digest cannot be checked.",
    fix: 'Commit the manifest file at the path the receipt gives, or correct the path.'
  },
  'drift.manifest-path': {
    severity: 'deny',
    title: 'C2PA manifest path is not a repository path',
    description:
      "A manifest path must be relative to the receipt file's folder and name a file inside the repository. A URL, a path that climbs above the repository root, or one that is not a file path (a trailing `/`, a control character) cannot be checked. (An absolute path, a drive letter or a backslash never gets here: the receipts schema refuses it, and the receipts file is invalid input.)",
    fix: 'Write the path relative to the receipt file, e.g. `manifests/step-1.c2pa.json`.'
  },
  'drift.secret': {
    severity: 'deny',
    title: 'Replay receipts hold something that looks like a secret',
    description:
      'A string in a replay receipts file of the head looks like a credential: a known token shape (AWS, GitHub, GitLab, Slack, Stripe, OpenAI-style, Hugging Face, npm, Google, JWT, private key, a Bearer or Basic credential of an authorization header), or credentials, a token or a password in a URL or connection string. Receipts are kept in the repository as evidence and record what ran by reference: secrets, like raw prompts and private memory, are forbidden in them. Values are judged by these shapes, not by their field names: no receipts field is named like a secret, and `capability_token` is a reference by design (an id or digest, which looks random), so a reference passes there and the token itself is a finding. One finding per file lists the places.',
    fix: "Remove the value, rotate the credential (it is in the git history now), and record a reference instead (the token's id or digest, the name of a secret in a store)."
  },
  'drift.other-change': {
    severity: 'deny',
    title: 'Replay receipts record runs of a different change',
    description:
      "A run this pull request adds to replay receipts (or changes) names a `change_id` that none of this pull request's change records, review records or rollout gate records has. The replay was made for that other change: it evidences nothing about this one, however clean it is. Usually the receipts were copied from an earlier change, or the change_id is mistyped. Runs the base branch already has as they are (in any receipts file, whatever the key order), and runs without a `change_id`, are not judged by this rule; a pull request without a change of its own is not either.",
    fix: 'Replay the runs against this change and record them with its change_id, or correct the change_id if it is mistyped.'
  },
  'drift.malformed-run': {
    severity: 'deny',
    title: 'Replay receipt run cannot be compared',
    description:
      'A run whose id repeats in its file, whose steps repeat a step_id on one side, or whose token or cost figures are negative or not numbers cannot be compared step by step.',
    fix: 'Give each run and each step a unique id and record non-negative token and cost figures.'
  }
});

type Receipts = Rec<'replay_receipts'>;
type Side = 'live' | 'replay';
const SIDES: readonly Side[] = ['live', 'replay'];

/** How many step labels a message names before "and N more"; the finding's evidence keeps up to EVIDENCE_STEPS. */
const MESSAGE_STEPS = 10;
const EVIDENCE_STEPS = 100;
/** Float noise allowance when comparing a drift with its limit: a drift equal to the limit passes. */
const EPSILON = 1e-12;

export function evaluateDrift(ctx: GateContext): FamilyResult<RunDriftEvidence[]> {
  const findings = new FindingList(ctx.config);
  // the head's files only: a base copy judged because the pull request removes it is on its way out
  for (const rec of ctx.head.of('replay_receipts')) reportSecrets(rec, findings);
  reportOtherChanges(ctx, findings);
  const evidence: { rec: Receipts; index: number; ev: RunDriftEvidence }[] = [];
  for (const rec of receiptsToJudge(ctx)) {
    const runs = Array.isArray(rec.data.runs) ? rec.data.runs : [];
    const seen = new Set<string>();
    const manifests: ManifestFiles = new Map();
    runs.forEach((run, index) => {
      const duplicate = seen.has(run.run_id);
      seen.add(run.run_id);
      evidence.push({ rec, index, ev: judgeRun(ctx, rec, run, index, duplicate, findings, manifests) });
    });
  }
  evidence.sort(
    (a, b) =>
      cmp(a.ev.file, b.ev.file) || cmp(a.ev.run_id, b.ev.run_id) || (a.index < b.index ? -1 : a.index > b.index ? 1 : 0)
  );
  return { findings: findings.items, evidence: evidence.map((e) => e.ev) };
}

/** A masked value is shown up to this length. */
const MASKED_CHARS = 120;
const TOP_STRINGS = ['kind', 'receipt_set_id', 'agent'] as const;
const RUN_STRINGS = ['run_id', 'change_id'] as const;
const TRACE_STRINGS = ['run_id'] as const;
const STEP_STRINGS = ['step_id', 'tool', 'policy_verdict', 'capability_token'] as const;
const MANIFEST_STRINGS = ['path', 'sha256'] as const;

/**
 * The strings of a receipts file that look like secrets. The schema is closed, so the scan follows its shape (every
 * string it allows, a test holds the two together) instead of visiting every node: 10k runs of 20 steps are 800,000
 * objects. No field it allows is named like a secret but `capability_token`, which is a reference by design (an id
 * or digest, which looks random): every value is judged by the credential shapes it holds, not by its field's name.
 */
export function receiptSecrets(data: unknown): SecretHit[] {
  const hits: SecretHit[] = [];
  const check = (holder: Record<string, unknown>, key: string, at: () => string): void => {
    const value = holder[key];
    if (typeof value !== 'string') return;
    const found = findSecrets(value);
    if (found) hits.push({ pointer: at(), kinds: found.kinds, masked: found.masked });
  };
  if (!isObject(data)) return hits;
  for (const key of TOP_STRINGS) check(data, key, () => pointer(key));
  const runs = Array.isArray(data.runs) ? data.runs : [];
  runs.forEach((run: unknown, r: number) => {
    if (!isObject(run)) return;
    for (const key of RUN_STRINGS) check(run, key, () => pointer('runs', r, key));
    for (const side of SIDES) {
      const trace = run[side];
      if (!isObject(trace)) continue;
      for (const key of TRACE_STRINGS) check(trace, key, () => pointer('runs', r, side, key));
      const steps = Array.isArray(trace.steps) ? trace.steps : [];
      for (let s = 0; s < steps.length; s++) {
        const step: unknown = steps[s];
        if (!isObject(step)) continue;
        for (const key of STEP_STRINGS) check(step, key, () => pointer('runs', r, side, 'steps', s, key));
        const manifest = step.c2pa_manifest;
        if (!isObject(manifest)) continue;
        for (const key of MANIFEST_STRINGS) {
          check(manifest, key, () => pointer('runs', r, side, 'steps', s, 'c2pa_manifest', key));
        }
      }
    }
  });
  return hits;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reportSecrets(rec: Receipts, findings: FindingList): void {
  const hits = receiptSecrets(rec.data);
  if (hits.length === 0) return;
  const kinds = [...new Set(hits.flatMap((h) => h.kinds))].sort(cmp);
  const places = hits.map((h) => ({
    pointer: h.pointer,
    masked: h.masked.length > MASKED_CHARS ? `${h.masked.slice(0, MASKED_CHARS - 3)}…` : h.masked
  }));
  const shown = places.slice(0, MESSAGE_STEPS).map((p) => `${p.pointer} (masked: ${p.masked})`);
  const more = places.length > shown.length ? `, and ${places.length - shown.length} more` : '';
  findings.add(RULES['drift.secret'], {
    message: `${rec.source.path} holds ${places.length === 1 ? 'a value that looks' : `${places.length} values that look`} like a ${kinds.join(' or a ')}: ${shown.join(', ')}${more}; required: no secrets in replay receipts.`,
    observed: kinds,
    required: 'no secrets',
    location: locationOf(rec, places[0]!.pointer),
    evidence: { count: places.length, kinds, places: places.slice(0, EVIDENCE_STEPS) },
    subject: rec.source.path
  });
}

/**
 * Runs that this pull request adds or changes in replay receipts and that name a change it is not about. A run the
 * base branch already has, as it is (in any receipts file: a renamed or split file keeps its runs; key order and
 * layout aside), is the evidence of the change it was made for, and a file that collects runs over time keeps it.
 */
function reportOtherChanges(ctx: GateContext, findings: FindingList): void {
  const ids = changeIds(ctx);
  if (ids.length === 0) return;
  const own = new Set(ids);
  let merged: Set<string> | null = null;
  for (const rec of ctx.active('replay_receipts')) {
    const runs = Array.isArray(rec.data.runs) ? rec.data.runs : [];
    const foreign: { index: number; runId: string; changeId: string }[] = [];
    runs.forEach((run, index) => {
      const changeId: unknown = run?.change_id;
      if (typeof changeId !== 'string' || own.has(changeId)) return;
      merged ??= baseRuns(ctx);
      if (merged.has(canonicalJson(run))) return;
      foreign.push({ index, runId: String(run.run_id), changeId });
    });
    if (foreign.length === 0) continue;
    const named = [...new Set(foreign.map((f) => f.changeId))].sort(cmp);
    const list = (items: string[]) =>
      items.length > MESSAGE_STEPS
        ? `${items.slice(0, MESSAGE_STEPS).join(', ')}, and ${items.length - MESSAGE_STEPS} more`
        : items.join(', ');
    const shown = foreign.map((f) => `${f.runId} (${f.changeId})`);
    findings.add(RULES['drift.other-change'], {
      subject: rec.source.path,
      location: locationOf(rec, pointer('runs', foreign[0]!.index, 'change_id')),
      message:
        `${rec.source.path} adds or changes ${foreign.length === 1 ? 'a run' : `${foreign.length} runs`} replayed ` +
        `for ${named.length === 1 ? 'change' : `${named.length} other changes:`} ${list(named)}: ${list(shown)}; this ` +
        `pull request is about ${ids.join(', ')}, so ${foreign.length === 1 ? 'it evidences' : 'they evidence'} nothing here.`,
      observed: named.length === 1 ? named[0]! : named.slice(0, EVIDENCE_STEPS),
      required: ids.length === 1 ? ids[0]! : ids,
      evidence: {
        file: rec.source.path,
        changes: ids,
        runs: foreign.slice(0, EVIDENCE_STEPS).map((f) => ({ run_id: f.runId, change_id: f.changeId }))
      }
    });
  }
}

/** Every run of the base branch's receipts files, as canonical JSON. */
function baseRuns(ctx: GateContext): Set<string> {
  const runs = new Set<string>();
  for (const rec of ctx.base?.of('replay_receipts') ?? []) {
    if (Array.isArray(rec.data.runs)) for (const run of rec.data.runs) runs.add(canonicalJson(run));
  }
  return runs;
}

/**
 * The head's receipts files, and — when the pull request is an agent change — the base copy of every receipts file
 * it removes (deletes, renames out of the records): a failing replay merged earlier does not stop failing because
 * the pull request that changes the agent deletes it ("no evidence is not a pass"). A pull request that only
 * removes receipts, changing nothing else, is housekeeping and is not judged by them.
 */
function receiptsToJudge(ctx: GateContext): Receipts[] {
  const head = ctx.head.of('replay_receipts');
  if (ctx.base === null || !isAgentChange(ctx)) return head;
  const onHead = new Set(head.map((r) => r.source.path));
  return [...head, ...ctx.base.of('replay_receipts').filter((r) => !onHead.has(r.source.path))];
}

/** Steps with a problem, grouped by step_id so a step missing something on both sides is listed once. */
class StepIssues<T> {
  /** created on the first problem: most runs have none, and there are tens of thousands of runs */
  private byKey: Map<string, { stepId: string; sides: Side[]; pointer: string; detail: T }> | null = null;

  add(key: string, stepId: string, side: Side, at: string, detail: T): void {
    this.byKey ??= new Map();
    const seen = this.byKey.get(key);
    if (seen) {
      if (!seen.sides.includes(side)) seen.sides.push(side);
    } else this.byKey.set(key, { stepId, sides: [side], pointer: at, detail });
  }
  get size(): number {
    return this.byKey?.size ?? 0;
  }
  get firstPointer(): string {
    return this.byKey?.values().next().value?.pointer ?? '';
  }
  /** `step_id` when both sides have the problem, else `step_id (live)` / `step_id (replay)`. */
  entries(): { label: string; detail: T }[] {
    return [...(this.byKey?.values() ?? [])].map((e) => ({
      label: e.sides.length === SIDES.length ? e.stepId : `${e.stepId} (${e.sides.join(', ')})`,
      detail: e.detail
    }));
  }
  labels(): string[] {
    return this.entries().map((e) => e.label);
  }
}

function judgeRun(
  ctx: GateContext,
  rec: Receipts,
  run: ReplayRun,
  index: number,
  duplicateRunId: boolean,
  findings: FindingList,
  manifests: ManifestFiles
): RunDriftEvidence {
  const at = (...segments: (string | number)[]) => pointer('runs', index, ...segments);
  const runId = String(run.run_id);
  const file = rec.source.path;
  const { max_token_drift: tokenLimit, max_cost_drift: costLimit } = ctx.config.drift;
  let pass = true;
  const add: FindingList['add'] = (spec, fields) => {
    pass = false;
    return findings.add(spec, { subject: runId, ...fields });
  };

  const malformed: string[] = [];
  if (duplicateRunId) malformed.push(`run_id "${runId}" is used by an earlier run in this file`);

  // totals
  const liveTokens = tokenTotal(run.live, 'live', malformed);
  const replayTokens = tokenTotal(run.replay, 'replay', malformed);
  const liveCost = figure(run.live?.cost_usd, 'live cost_usd', malformed);
  const replayCost = figure(run.replay?.cost_usd, 'replay cost_usd', malformed);
  const tokenDrift = liveTokens !== null && replayTokens !== null ? relativeDrift(liveTokens, replayTokens) : null;
  const costDrift = liveCost !== null && replayCost !== null ? relativeDrift(liveCost, replayCost) : null;

  // steps, matched by step_id
  const unmatched = new StepIssues<null>();
  const missingTokens = new StepIssues<null>();
  const missingManifests = new StepIssues<null>();
  const verdicts: Mismatch[] = [];
  const tools: Mismatch[] = [];
  const manifestProblems = {
    mismatch: new StepIssues<ManifestDetail>(),
    missing: new StepIssues<ManifestDetail>(),
    path: new StepIssues<ManifestDetail>()
  };
  const stepDeltas: StepDelta[] = [];

  const steps = { live: stepsOf(run.live), replay: stepsOf(run.replay) };
  const positions = {
    live: stepIndex(steps.live, 'live', malformed),
    replay: stepIndex(steps.replay, 'replay', malformed)
  };
  // a receipts file is read with the manifests of its own side (a base copy of one the pull request removed)
  const artifacts = rec.source.side === 'base' && ctx.input.base ? ctx.input.base.artifacts : ctx.input.head.artifacts;
  for (const side of SIDES) {
    const own = steps[side];
    const otherSide: Side = side === 'live' ? 'replay' : 'live';
    for (let i = 0; i < own.length; i++) {
      const step = own[i]!;
      const stepId = stepIdOf(step);
      // a repeated step_id is reported as malformed; its first occurrence is the one judged
      if (positions[side].get(stepId) !== i) continue;
      const j = positions[otherSide].get(stepId);
      if (j === undefined) unmatched.add(`${stepId}\u0000${side}`, stepId, side, at(side, 'steps', i, 'step_id'), null);
      else if (side === 'live') {
        const counterpart = steps.replay[j]!;
        for (const [field, list] of [
          ['policy_verdict', verdicts],
          ['tool', tools]
        ] as const) {
          if (step[field] === counterpart[field]) continue;
          const [live, replay] = [stepValue(step[field]), stepValue(counterpart[field])];
          list.push({ step_id: stepId, live, replay, pointer: at('replay', 'steps', j, field) });
        }
        const delta = stepDelta(stepId, step, counterpart);
        if (delta) stepDeltas.push(delta);
      }
      if (!isReference(step.capability_token)) {
        missingTokens.add(stepId, stepId, side, at(side, 'steps', i, 'capability_token'), null);
      }
      const manifest = step.c2pa_manifest;
      if (manifest === null || manifest === undefined || typeof manifest !== 'object') {
        missingManifests.add(stepId, stepId, side, at(side, 'steps', i, 'c2pa_manifest'), null);
        continue;
      }
      const problem = checkManifest(artifacts, file, manifest, manifests);
      if (problem) {
        const { path, expected } = problem.detail;
        const where = at(side, 'steps', i, 'c2pa_manifest', problem.field);
        manifestProblems[problem.rule].add(
          `${stepId}\u0000${path}\u0000${expected}`,
          stepId,
          side,
          where,
          problem.detail
        );
      }
    }
  }

  // findings, one per run per rule
  const empty = SIDES.filter((side) => steps[side].length === 0);
  if (malformed.length > 0) {
    add(RULES['drift.malformed-run'], {
      message: `Run ${runId} in ${file}: ${malformed.join('; ')}; required: unique run and step ids and non-negative figures.`,
      observed: malformed,
      location: locationOf(rec, at()),
      evidence: { problems: malformed }
    });
  }
  if (tokenDrift !== null && exceeds(tokenDrift, tokenLimit)) {
    add(RULES['drift.tokens'], {
      message: `Run ${runId}: the replay used ${replayTokens} tokens against ${liveTokens} live (${describeDrift(tokenDrift, liveTokens!, String(replayTokens), tokenLimit)}); required: at most ${percent(tokenLimit)}.`,
      observed: tokenDrift.drift,
      required: tokenLimit,
      location: locationOf(rec, at('replay', 'tokens')),
      evidence: {
        live: liveTokens,
        replay: replayTokens,
        drift: tokenDrift.drift,
        limit: tokenLimit,
        largest_step_differences: largest(stepDeltas, 'tokens')
      }
    });
  }
  if (costDrift !== null && exceeds(costDrift, costLimit)) {
    add(RULES['drift.cost'], {
      message: `Run ${runId}: the replay cost $${usd(replayCost!)} against $${usd(liveCost!)} live (${describeDrift(costDrift, liveCost!, `$${usd(replayCost!)}`, costLimit)}); required: at most ${percent(costLimit)}.`,
      observed: costDrift.drift,
      required: costLimit,
      location: locationOf(rec, at('replay', 'cost_usd')),
      evidence: {
        live: liveCost,
        replay: replayCost,
        drift: costDrift.drift,
        limit: costLimit,
        largest_step_differences: largest(stepDeltas, 'cost')
      }
    });
  }
  const stepFinding = (
    rule: keyof typeof RULES,
    issues: StepIssues<unknown>,
    what: string,
    required: string,
    details: Json = null,
    why = ''
  ) => {
    if (issues.size === 0) return;
    const labels = issues.labels();
    add(RULES[rule], {
      message: `Run ${runId}: ${what} (${labels.length}): ${listSteps(labels)}${why}; required: ${required}.`,
      observed: labels.slice(0, EVIDENCE_STEPS),
      required,
      location: locationOf(rec, issues.firstPointer),
      evidence: {
        steps: labels.slice(0, EVIDENCE_STEPS),
        count: labels.length,
        ...(details === null ? {} : { details })
      }
    });
  };
  if (empty.length > 0) {
    const which =
      empty.length === SIDES.length
        ? 'the live run and the replay record'
        : empty[0] === 'live'
          ? 'the live run records'
          : 'the replay records';
    add(RULES['drift.no-steps'], {
      message: `Run ${runId}: ${which} no steps, so nothing shows a capability token, a C2PA manifest or a policy verdict; required: the steps of both executions.`,
      observed: empty,
      required: 'steps on both sides',
      location: locationOf(rec, at(empty[0]!, 'steps')),
      evidence: { empty, live_steps: steps.live.length, replay_steps: steps.replay.length }
    });
  }
  stepFinding(
    'drift.step-unmatched',
    unmatched,
    'steps in only one of the live run and the replay',
    'the same steps on both sides'
  );
  stepFinding('drift.missing-capability-token', missingTokens, 'steps without a capability_token', 'one on every step');
  stepFinding('drift.missing-manifest', missingManifests, 'steps without a c2pa_manifest', 'one on every step');
  const differing = (rule: 'drift.verdict-mismatch' | 'drift.tool-mismatch', list: Mismatch[], what: string) => {
    if (list.length === 0) return;
    const shown = list.slice(0, MESSAGE_STEPS).map((v) => `${v.step_id}: ${v.live} → ${v.replay}`);
    const steps = `${list.length} step${list.length === 1 ? '' : 's'} (${shown.join('; ')}${more(list.length)})`;
    add(RULES[rule], {
      message: `Run ${runId}: ${what.replace('{steps}', steps)}.`,
      observed: list.slice(0, EVIDENCE_STEPS).map((v) => ({ step_id: v.step_id, live: v.live, replay: v.replay })),
      location: locationOf(rec, list[0]!.pointer),
      evidence: { count: list.length }
    });
  };
  differing(
    'drift.verdict-mismatch',
    verdicts,
    'policy verdicts differ between live and replay on {steps}; required: the same verdict on every step'
  );
  differing(
    'drift.tool-mismatch',
    tools,
    'the replay calls another tool than the live run on {steps}; required: the same tool on every step'
  );
  const manifestDetails = (issues: StepIssues<ManifestDetail>) =>
    issues
      .entries()
      .slice(0, EVIDENCE_STEPS)
      .map((e) => ({ step_id: e.label, ...e.detail }));
  stepFinding(
    'drift.manifest-mismatch',
    manifestProblems.mismatch,
    'steps whose manifest sha256 does not match the file',
    'the sha256 of the manifest file in the repository',
    manifestDetails(manifestProblems.mismatch)
  );
  stepFinding(
    'drift.manifest-missing',
    manifestProblems.missing,
    'steps whose manifest file cannot be read',
    'the manifest file committed at the path the receipt gives',
    manifestDetails(manifestProblems.missing),
    reasons(manifestProblems.missing)
  );
  stepFinding(
    'drift.manifest-path',
    manifestProblems.path,
    'steps whose manifest path is not a path inside the repository',
    "a path relative to the receipt file's folder, inside the repository",
    manifestDetails(manifestProblems.path)
  );

  const manifestEvidence: RunDriftEvidence['manifest_mismatches'] = [];
  for (const issues of [manifestProblems.mismatch, manifestProblems.missing, manifestProblems.path]) {
    for (const e of issues.entries()) {
      manifestEvidence.push({
        step_id: e.label,
        path: e.detail.path,
        expected: e.detail.expected,
        actual: e.detail.actual
      });
    }
  }
  return {
    run_id: runId,
    file,
    tokens: { live: liveTokens ?? 0, replay: replayTokens ?? 0, drift: tokenDrift?.drift ?? null, limit: tokenLimit },
    cost: { live: liveCost ?? 0, replay: replayCost ?? 0, drift: costDrift?.drift ?? null, limit: costLimit },
    verdict_mismatches: verdicts.map((v) => ({ step_id: v.step_id, live: v.live, replay: v.replay })),
    missing_capability_tokens: missingTokens.labels(),
    missing_manifests: missingManifests.labels(),
    manifest_mismatches: manifestEvidence,
    pass
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Totals and drift

/** A drift of null means unbounded: the live figure is 0 and the replay's is not. */
interface Drift {
  drift: number | null;
}

/** |replay − live| / live; 0 when both are 0; unbounded (null) when only the live figure is 0. */
export function relativeDrift(live: number, replay: number): Drift {
  if (live === 0) return { drift: replay === 0 ? 0 : null };
  const drift = Math.abs(replay - live) / live;
  // a live value so small that the ratio overflows is as unbounded as a live value of 0
  return { drift: Number.isFinite(drift) ? drift : null };
}

function exceeds(d: Drift, limit: number): boolean {
  return d.drift === null || d.drift > limit + EPSILON;
}

function describeDrift(d: Drift, live: number, replay: string, limit: number): string {
  if (d.drift !== null) return `drift ${percentAgainst(d.drift, limit)}`;
  const base = live === 0 ? 'live is 0' : 'live is too small to compare with';
  return `${base} and the replay ${replay}: the drift is unbounded`;
}

/** A non-negative finite number, or null with the problem recorded. */
function figure(value: unknown, what: string, problems: string[]): number | null {
  if (isFiniteNumber(value) && value >= 0) return value;
  problems.push(`${what} is ${JSON.stringify(value) ?? 'missing'} (required: a non-negative number)`);
  return null;
}

function tokenTotal(trace: RunTrace | undefined, side: Side, problems: string[]): number | null {
  const input = figure(trace?.tokens?.input, `${side} tokens.input`, problems);
  const output = figure(trace?.tokens?.output, `${side} tokens.output`, problems);
  return input === null || output === null ? null : input + output;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

function stepsOf(trace: RunTrace | undefined): ReplayStep[] {
  return Array.isArray(trace?.steps) ? trace.steps : [];
}

/** step_id → position of its first occurrence; repeats are recorded as a problem. */
function stepIndex(steps: ReplayStep[], side: Side, problems: string[]): Map<string, number> {
  const index = new Map<string, number>();
  let repeated: Set<string> | null = null;
  for (let i = 0; i < steps.length; i++) {
    const id = stepIdOf(steps[i]!);
    if (!index.has(id)) index.set(id, i);
    else (repeated ??= new Set()).add(id);
  }
  if (repeated) problems.push(`${side} steps repeat step_id ${listSteps([...repeated])}`);
  return index;
}

/*
 * The per-step helpers avoid global lookups (String, Number.isFinite, Object.hasOwn) in the step loop:
 * at hundreds of thousands of steps they cost more than the work itself in sandboxed runtimes.
 */
const { hasOwn } = Object;

function stepIdOf(step: ReplayStep): string {
  return typeof step.step_id === 'string' ? step.step_id : String(step.step_id);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && value - value === 0;
}

/** A step field as shown in a message: its text, or "(none)". */
function stepValue(value: unknown): string {
  return typeof value === 'string' ? value : '(none)';
}

/** A capability token reference: a non-blank string. */
function isReference(value: unknown): boolean {
  // blank is blank whatever it is made of: spaces, or invisible format characters (a zero-width space)
  return typeof value === 'string' && value.replace(/[\s\p{Cf}]/gu, '') !== '';
}

interface StepDelta {
  step_id: string;
  tokens: number | null;
  cost: number | null;
}

function stepTokens(s: ReplayStep): number | null {
  return s.tokens && isFiniteNumber(s.tokens.input) && isFiniteNumber(s.tokens.output)
    ? s.tokens.input + s.tokens.output
    : null;
}

function stepDelta(stepId: string, live: ReplayStep, replay: ReplayStep): StepDelta | null {
  const lt = stepTokens(live);
  const rt = stepTokens(replay);
  const tokens = lt !== null && rt !== null ? rt - lt : null;
  const cost =
    isFiniteNumber(live.cost_usd) && isFiniteNumber(replay.cost_usd) ? replay.cost_usd - live.cost_usd : null;
  if (!tokens && !cost) return null;
  return { step_id: stepId, tokens, cost };
}

/** The five steps that moved a total most, for the reviewer (only when steps record their own figures). */
function largest(deltas: StepDelta[], field: 'tokens' | 'cost'): Json {
  return deltas
    .filter((d) => d[field] !== null && d[field] !== 0)
    .sort((a, b) => Math.abs(b[field]!) - Math.abs(a[field]!) || cmp(a.step_id, b.step_id))
    .slice(0, 5)
    .map((d) => ({ step_id: d.step_id, delta: d[field] }));
}

// ---------------------------------------------------------------------------------------------------------------
// Manifests

/** A paired step whose field differs between live and replay. */
interface Mismatch {
  step_id: string;
  live: string;
  replay: string;
  pointer: string;
}

interface ManifestDetail {
  /** the repository path checked, or the path as written when it cannot be resolved */
  path: string;
  expected: string;
  /** sha256 of the file, null when it could not be read */
  actual: string | null;
  reason: string | null;
}

interface ManifestProblem {
  rule: 'path' | 'missing' | 'mismatch';
  /** the field the finding points at */
  field: 'path' | 'sha256';
  detail: ManifestDetail;
}

const SHA256 = /^[0-9a-f]{64}$/i;

/**
 * A plain relative path — no `.`, `..` or empty segment, no backslash, colon or control character — resolves
 * by prefixing the receipt's folder; resolveReference gives the same answer, only slower. Receipts with
 * hundreds of thousands of steps make the difference.
 */
const PLAIN_RELATIVE = /^(?:(?!\.\.?\/)[^/\\:\u0000-\u001f\u007f]+\/)*(?!\.\.?$)[^/\\:\u0000-\u001f\u007f]+$/;

export function resolveManifestPath(receiptFile: string, reference: string): ReturnType<typeof resolveReference> {
  if (!PLAIN_RELATIVE.test(reference)) return resolveReference(receiptFile, reference);
  const slash = receiptFile.lastIndexOf('/');
  return { ok: true, path: slash < 0 ? reference : `${receiptFile.slice(0, slash + 1)}${reference}` };
}

/**
 * A receipt file's manifest references → where each resolves and the digest read there. Steps often share
 * manifests (runs repeat the same few), so each is resolved once per file; when every step has its own, the
 * map stops growing at MANIFEST_CACHE entries.
 */
const MANIFEST_CACHE = 4096;
type ManifestFiles = Map<string, { resolved: ReturnType<typeof resolveReference>; digest: ArtifactDigest | undefined }>;

/** What is wrong with a step's manifest reference, or null when the recorded digest matches the file. */
function checkManifest(
  artifacts: Record<string, ArtifactDigest>,
  receiptFile: string,
  manifest: { path?: unknown; sha256?: unknown },
  files: ManifestFiles
): ManifestProblem | null {
  const written = typeof manifest.path === 'string' ? manifest.path : '';
  const expected = typeof manifest.sha256 === 'string' ? manifest.sha256 : '';
  let file = files.get(written);
  if (!file) {
    const resolved = resolveManifestPath(receiptFile, written);
    const digest = resolved.ok && hasOwn(artifacts, resolved.path) ? artifacts[resolved.path] : undefined;
    file = { resolved, digest };
    if (files.size < MANIFEST_CACHE) files.set(written, file);
  }
  const { resolved, digest } = file;
  if (!resolved.ok) {
    return { rule: 'path', field: 'path', detail: { path: written, expected, actual: null, reason: resolved.reason } };
  }
  if (digest === undefined || digest.status !== 'ok') {
    const reason = digest === undefined ? 'the file was not read' : digest.reason;
    return { rule: 'missing', field: 'path', detail: { path: resolved.path, expected, actual: null, reason } };
  }
  // the common case first: the receipt recorded the digest exactly as the reader computed it
  if (expected === digest.sha256) return null;
  if (!SHA256.test(expected)) {
    const reason = 'the recorded sha256 is not 64 hexadecimal characters';
    return {
      rule: 'mismatch',
      field: 'sha256',
      detail: { path: resolved.path, expected, actual: digest.sha256, reason }
    };
  }
  if (expected.toLowerCase() === digest.sha256.toLowerCase()) return null;
  return {
    rule: 'mismatch',
    field: 'sha256',
    detail: { path: resolved.path, expected, actual: digest.sha256, reason: null }
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(4))}%`;
}

/** Why the manifests could not be read, for the message: " (x.json is a symbolic link …; …)", the first few. */
function reasons(issues: StepIssues<ManifestDetail>): string {
  const all = [
    ...new Set(
      issues
        .entries()
        .map((e) => e.detail.reason)
        .filter((r): r is string => r !== null)
    )
  ];
  if (all.length === 0) return '';
  const shown = all.slice(0, 3).join('; ');
  return ` (${shown}${all.length > 3 ? `; and ${all.length - 3} more reasons` : ''})`;
}

/** A drift shown with as many decimals as it takes to tell it from the limit (1.00001% over a 1% limit, not 1%). */
function percentAgainst(fraction: number, limit: number): string {
  for (let digits = 4; digits <= 12; digits++) {
    const shown = Number((fraction * 100).toFixed(digits));
    if (shown !== Number((limit * 100).toFixed(digits))) return `${shown}%`;
  }
  return `${fraction * 100}%`;
}

function usd(amount: number): string {
  return String(Number(amount.toPrecision(8)));
}

function more(total: number): string {
  return total > MESSAGE_STEPS ? ` and ${total - MESSAGE_STEPS} more` : '';
}

function listSteps(labels: string[]): string {
  return labels.slice(0, MESSAGE_STEPS).join(', ') + more(labels.length);
}
