/**
 * Rollout gate (seed 001 §4, §8, §9): each rollout_gate_record of this change is traceable
 * (change_id → review record, bundle_id, rollout_wave), says go, has an owner, has no blocking
 * findings, has every required check evidenced true, and stays within the rollout policy's tenant
 * exposure. The rollout policy (rollout.yaml) is read as agent_runtime_ref's check-rollout reads it:
 * `require` entries not evidenced true are missing_required, `block_if` entries evidenced true are
 * blocking_signals, and the two are reported apart. A block_if signal nobody evidences is unknown,
 * not a blocker (it is listed in the signals evidence).
 */
import type { ChainEvidence, RoleEvidence, RolloutEvidence } from '../model/evidence.js';
import type { Json } from '../model/finding.js';
import type { Rec } from '../model/input.js';
import type { BlockingFinding } from '../model/records.js';
import {
  changeRecords,
  cmp,
  earlierNote,
  locationOf,
  pointer,
  replacedPolicies,
  type FamilyResult,
  type GateContext
} from './context.js';
import { isAgentChange, matchesAny, touchedPaths } from './globs.js';
import { defineRules, FindingList } from './rules.js';
import {
  describeUnevidenced,
  signalOf,
  signalSources,
  softenIfAwaiting,
  unevidencedValues,
  type SignalEntry,
  type SignalTable
} from './signals.js';

export const RULES = defineRules('rollout', {
  'rollout.untraceable': {
    severity: 'deny',
    title: 'Rollout gate record does not resolve to a review record',
    description:
      "A rollout_gate_record's change_id must name a change_review_record (of this change or already in the " +
      'repository) so the change_id → bundle_id → rollout_wave chain can be reconstructed from an incident. A gate ' +
      'that points at no review lets an unreviewed change into rollout.',
    fix: 'Set change_id to the change_id of the change_review_record that reviewed this change, or add that review record.'
  },
  'rollout.vague-target': {
    severity: 'deny',
    title: 'Rollout gate record does not name a concrete bundle or wave',
    description:
      'Seed invariant: the rollout gate points to a concrete bundle_id and rollout_wave. A placeholder such as ' +
      '"tbd", "n/a" or "unknown" makes the gate unreconstructable: nobody can say what was released where.',
    fix: 'Write the real bundle_id (the artifact being released) and rollout_wave (canary, wave-1, …).'
  },
  'rollout.duplicate-gate-id': {
    severity: 'deny',
    title: 'Two rollout gate records share a gate_id',
    description:
      'Two rollout_gate_records of this change use the same gate_id; the gate cannot tell which decision stands.',
    fix: 'Give each gate record its own gate_id, or delete the stale copy.'
  },
  'rollout.check-not-evidenced': {
    severity: 'deny',
    title: 'Required rollout checks are not evidenced',
    description:
      "Every entry of a rollout gate record's required_checks must be evidenced true: derived by the gate (signals: " +
      'in the configuration) or asserted in a rollout_assessment record of this change. Listing a check is not ' +
      'doing it; an unknown check is not a passed one.',
    fix: 'Produce the evidence for each check (a derived signal under signals:, or a rollout_assessment record), or fix the record.'
  },
  'rollout.blocking-findings': {
    severity: 'deny',
    title: 'Rollout gate record has blocking findings',
    description: 'A rollout_gate_record lists blocking_findings. While any is open the change must not roll out.',
    fix: 'Resolve each blocking finding and remove it from blocking_findings once it is closed.'
  },
  'rollout.not-go': {
    severity: 'deny',
    title: 'Rollout gate decision is not go',
    description:
      "A rollout_gate_record's decision is no_go, hold or rollback: its owners decided the change must not roll out now.",
    fix: 'Change the decision to go only once the owners in decided_by agree the change is ready.'
  },
  'rollout.no-owner': {
    severity: 'deny',
    title: 'Rollout gate decision has no owner',
    description:
      'Seed invariant: every decision has an owner. decided_by lists no role, so nobody answers for the rollout.',
    fix: 'List the roles that own the decision in decided_by (each must approve the pull request).'
  },
  'rollout.exposure-exceeded': {
    severity: 'deny',
    title: 'Traffic scope exceeds the rollout policy',
    description:
      "A rollout gate record's traffic_scope is larger than the rollout policy's rollout_mode.max_tenant_exposure_pct.",
    fix: 'Lower traffic_scope to the policy maximum, or change the rollout policy in a reviewed change of its own.'
  },
  'rollout.scope-unreadable': {
    severity: 'deny',
    title: 'Traffic scope cannot be read',
    description:
      'traffic_scope must say how much traffic the wave gets: a percentage ("5_percent", "5%", "5 percent", ' +
      '"5pct", 5, "0.5_percent") or internal_only / shadow (no tenant traffic). Anything else cannot be compared ' +
      "with the rollout policy's maximum, so it fails closed.",
    fix: 'Write traffic_scope as a percentage such as 5_percent, or internal_only / shadow.'
  },
  'rollout.exposure-unbounded': {
    severity: 'warning',
    title: 'Traffic scope could not be checked against a policy',
    description:
      'The change has a rollout gate record, but no rollout policy (rollout.yaml) sets rollout_mode.max_tenant_exposure_pct, ' +
      'so its traffic_scope could not be checked.',
    fix: 'Add a rollout policy with rollout_mode.max_tenant_exposure_pct.'
  },
  'rollout.missing-required': {
    severity: 'deny',
    title: 'Rollout policy requires evidence that is missing',
    description:
      "The rollout policy's `require` entries name evidence every rollout needs (trace_coverage, offline_eval_pass, " +
      'rollback_plan, …). Entries not evidenced true are missing_required, as in agent_runtime_ref check-rollout; ' +
      'missing evidence is reported apart from explicit blockers.',
    fix: 'Produce the evidence for each missing entry: a derived signal under signals:, or a rollout_assessment record of this change.'
  },
  'rollout.blocking-signal': {
    severity: 'deny',
    title: 'Rollout policy blocker is present',
    description:
      "The rollout policy's `block_if` entries name hard blockers (direct_tool_access_present, " +
      'policy_decisions_not_traced, …). An entry evidenced true is a blocking signal, as in agent_runtime_ref ' +
      'check-rollout. A blocker nobody evidences is unknown, not present, and does not block.',
    fix: 'Remove the cause of the blocker, then record the signal as false.'
  },
  'rollout.multiple-policies': {
    severity: 'warning',
    title: 'More than one rollout policy',
    description:
      'The repository has more than one rollout policy. The gate applies the strictest combination (every require ' +
      'and block_if entry, the lowest max_tenant_exposure_pct); keep one policy so the rules are unambiguous.',
    fix: 'Merge the rollout policies into one rollout.yaml.'
  },
  'rollout.signal-conflict': {
    severity: 'deny',
    title: 'Signal evidence contradicts itself',
    description:
      'Two sources disagree about a signal: two rollout_assessment records, or an assertion and what the gate ' +
      'derived itself (an eval verdict, an approval, a file). The gate takes false, but a contradiction means ' +
      'some record is stale or wrong, and for a block_if signal false would hide a blocker, so it fails closed.',
    fix: 'Correct or delete the stale assertion so every source agrees.'
  }
});

const PLACEHOLDERS = new Set([
  'tbd',
  'tba',
  'todo',
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  'unknown',
  'unset',
  'pending',
  'placeholder',
  'xxx',
  'changeme',
  '-',
  '?',
  '...'
]);

/** Scopes that expose no tenant traffic. */
const ZERO_SCOPES = new Set(['internal_only', 'internal', 'shadow', 'shadow_only', 'dark', 'dark_launch', 'none']);
/** Scopes that expose all traffic. */
const FULL_SCOPES = new Set(['full', 'all', 'ga', 'general_availability', 'everyone']);

/** traffic_scope as a percentage of tenant traffic, or null when it cannot be read. */
export function parseTrafficScope(scope: unknown): number | null {
  if (typeof scope === 'number') return Number.isFinite(scope) && scope >= 0 && scope <= 100 ? scope : null;
  if (typeof scope !== 'string') return null;
  const s = scope.trim().toLowerCase();
  if (ZERO_SCOPES.has(s)) return 0;
  if (FULL_SCOPES.has(s)) return 100;
  const m = /^(\d+(?:\.\d+)?|\.\d+)[\s_-]*(%|percent|per[\s_-]?cent|pct)?$/.exec(s);
  if (!m) return null;
  const pct = Number(m[1]);
  return pct <= 100 ? pct : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function isPlaceholder(value: unknown): boolean {
  const s = str(value).trim().toLowerCase();
  return s === '' || PLACEHOLDERS.has(s);
}

function describeBlocking(f: BlockingFinding): string {
  if (typeof f === 'string') return f;
  let out = str(f?.id);
  if (f?.summary) out += `: ${f.summary}`;
  const meta = [f?.severity ? `severity ${f.severity}` : '', f?.owner ? `owner ${f.owner}` : ''].filter(Boolean);
  return meta.length > 0 ? `${out} (${meta.join(', ')})` : out;
}

/** The standing rollout policy, merged strictest-first when there is more than one. */
interface Policy {
  records: Rec<'rollout_policy'>[];
  /** entry → where it is written (the first policy that lists it) */
  require: Map<string, { rec: Rec<'rollout_policy'>; index: number }>;
  block_if: Map<string, { rec: Rec<'rollout_policy'>; index: number }>;
  max_exposure: { pct: number; rec: Rec<'rollout_policy'> } | null;
  rollout_mode: { [key: string]: Json } | null;
}

function readPolicy(ctx: GateContext): Policy | null {
  const records = [...ctx.head.of('rollout_policy')].sort((a, b) => cmp(a.source.path, b.source.path));
  // the base copies of policies this pull request edits or removes judge its changes too (after the head's, so
  // that an entry both list is located on the head)
  const replaced = replacedPolicies(ctx).sort((a, b) => cmp(a.source.path, b.source.path));
  if (records.length === 0 && replaced.length === 0) return null;
  const policy: Policy = { records, require: new Map(), block_if: new Map(), max_exposure: null, rollout_mode: null };
  for (const rec of [...records, ...replaced]) {
    const rollout = rec.data.rollout;
    strings(rollout?.require).forEach((s, index) => policy.require.has(s) || policy.require.set(s, { rec, index }));
    strings(rollout?.block_if).forEach((s, index) => policy.block_if.has(s) || policy.block_if.set(s, { rec, index }));
    const mode = rollout?.rollout_mode;
    if (mode !== null && typeof mode === 'object') {
      const pct = mode.max_tenant_exposure_pct;
      if (
        typeof pct === 'number' &&
        Number.isFinite(pct) &&
        (policy.max_exposure === null || pct < policy.max_exposure.pct)
      ) {
        policy.max_exposure = { pct, rec };
      }
      policy.rollout_mode ??= JSON.parse(JSON.stringify(mode)) as { [key: string]: Json };
    }
  }
  if (policy.rollout_mode && policy.max_exposure) policy.rollout_mode.max_tenant_exposure_pct = policy.max_exposure.pct;
  return policy;
}

/**
 * Whether the standing rollout policy judges this pull request: it is an agent change (globs.isAgentChange) that
 * has a change of its own (context changeIds), touches an agent surface without one (judged with derived and
 * unscoped evidence; the review family reports the missing records), or whose changed files are unknown (fail
 * closed). A pull request that only edits records no change is named by — eval results, the rollout policy, an
 * unscoped assessment, a file renamed without its change — rolls nothing out: there is no change for `require`
 * to hold for or `block_if` to block, so the policy judges nothing (a later pull request of a change does).
 */
function policyApplies(ctx: GateContext, signals: SignalTable): boolean {
  if (!isAgentChange(ctx)) return false;
  if (signals.changes.length > 0 || ctx.input.changed_files === null) return true;
  const globs = Object.values(ctx.config.surfaces ?? {}).flatMap((g) => (Array.isArray(g) ? g : []));
  return ctx.input.changed_files.some((f) => touchedPaths(f).some((p) => matchesAny(p, globs)));
}

export function evaluateRollout(
  ctx: GateContext,
  signals: SignalTable,
  // decided_by roles are required approvals: the approvals family judges them, so they are not re-checked here
  _approvals: RoleEvidence[]
): FamilyResult<{ rollout: RolloutEvidence | null; chain: ChainEvidence[] }> {
  const findings = new FindingList(ctx.config);
  // the gate records of this pull request's changes: added or updated here, or merged earlier for one of its
  // changes (a hold or an open blocking finding merged earlier still holds when a later pull request leaves it alone)
  const evidence = changeRecords(ctx, 'rollout_gate_record');
  const notes = new Map<Rec, string>(evidence.map((e) => [e.record, earlierNote(e)]));
  const gates = evidence
    .map((e) => e.record)
    .sort((a, b) => cmp(a.source.path, b.source.path) || cmp(str(a.data.gate_id), str(b.data.gate_id)));
  const activeReviews = ctx.active('change_review_record');
  const headReviews = ctx.head.of('change_review_record');
  const policy = readPolicy(ctx);
  const chain: ChainEvidence[] = [];
  const checks = new Map<string, RolloutEvidence['required_checks'][number]>();

  const byGateId = new Map<string, Rec<'rollout_gate_record'>[]>();
  for (const g of gates) byGateId.set(str(g.data.gate_id), [...(byGateId.get(str(g.data.gate_id)) ?? []), g]);
  for (const [id, list] of [...byGateId].sort(([a], [b]) => cmp(a, b))) {
    if (list.length < 2) continue;
    const files = list.map((g) => g.source.path);
    findings.add(RULES['rollout.duplicate-gate-id'], {
      subject: id,
      location: locationOf(list[1]!, '/gate_id'),
      message: `gate_id ${id} appears in ${list.length} rollout gate records of this change: ${files.join(', ')}.`,
      observed: files,
      required: `one rollout_gate_record with gate_id ${id}`
    });
  }

  for (const g of gates) {
    const d = g.data;
    const gateId = str(d.gate_id);
    // how messages name the record: one merged earlier says so, so a reader knows why an untouched file is judged
    const gateName = `${gateId}${notes.get(g) ?? ''}`;
    const changeId = str(d.change_id);
    const review =
      activeReviews.find((r) => r.data.change_id === changeId) ??
      headReviews.find((r) => r.data.change_id === changeId);
    chain.push({
      change_id: changeId,
      review_id: review ? str(review.data.review_id) : null,
      bundle_id: typeof d.bundle_id === 'string' ? d.bundle_id : null,
      rollout_wave: typeof d.rollout_wave === 'string' ? d.rollout_wave : null,
      gate_id: gateId,
      decision: typeof d.decision === 'string' ? d.decision : null
    });
    const base = { subject: gateId };

    if (!review) {
      const known = [...new Set(headReviews.map((r) => str(r.data.change_id)))].sort(cmp);
      findings.add(RULES['rollout.untraceable'], {
        ...base,
        location: locationOf(g, '/change_id'),
        message:
          `rollout_gate_record ${gateName} is for change ${changeId}, but no change_review_record has that change_id ` +
          `(review records exist for: ${known.length > 0 ? known.join(', ') : 'no change'}); the change_id → bundle_id → ` +
          'rollout_wave chain is broken.',
        observed: changeId,
        required: known.length > 0 ? known : 'a change_review_record with this change_id',
        evidence: { gate_id: gateId, change_id: changeId, review_change_ids: known }
      });
    }

    for (const field of ['bundle_id', 'rollout_wave'] as const) {
      if (!isPlaceholder(d[field])) continue;
      findings.add(RULES['rollout.vague-target'], {
        ...base,
        location: locationOf(g, `/${field}`),
        message: `rollout_gate_record ${gateName} has ${field} "${str(d[field])}", which names no concrete ${field === 'bundle_id' ? 'bundle' : 'rollout wave'}.`,
        observed: str(d[field]),
        required: `a concrete ${field}`
      });
    }

    // a gate record's checks are evidenced by its change's signals (and those asserted for every change)
    const scope = signals.forChange(changeId);
    const required = strings(d.required_checks);
    const missingChecks: string[] = [];
    for (const check of required) {
      const entry = signalOf(scope, check);
      if (entry.value !== true) missingChecks.push(check);
      if (!checks.has(check)) {
        checks.set(check, {
          check,
          evidenced: entry.value === true,
          source: entry.observations.length > 0 ? entry.source : null
        });
      }
    }
    if (missingChecks.length > 0) {
      const finding = findings.add(RULES['rollout.check-not-evidenced'], {
        ...base,
        location: locationOf(g, pointer('required_checks', required.indexOf(missingChecks[0]!))),
        message:
          `rollout_gate_record ${gateName}: ${missingChecks.length} of ${required.length} required checks are not ` +
          `evidenced true: ${describeUnevidenced(scope, missingChecks)}.`,
        ...unevidencedValues(scope, missingChecks),
        evidence: {
          checks: signalSources(scope, missingChecks).map(({ signal, value, source }) => ({
            check: signal,
            value,
            source
          }))
        }
      });
      softenIfAwaiting(finding, scope, missingChecks);
    }

    const blocking = Array.isArray(d.blocking_findings) ? d.blocking_findings : [];
    if (blocking.length > 0) {
      const described = blocking.map(describeBlocking);
      findings.add(RULES['rollout.blocking-findings'], {
        ...base,
        location: locationOf(g, '/blocking_findings'),
        message: `rollout_gate_record ${gateName} lists ${blocking.length} blocking finding${blocking.length > 1 ? 's' : ''}: ${described.join('; ')}.`,
        observed: described,
        required: []
      });
    }

    if (d.decision !== 'go') {
      findings.add(RULES['rollout.not-go'], {
        ...base,
        location: locationOf(g, '/decision'),
        message: `rollout_gate_record ${gateName} decided ${str(d.decision) || '(nothing)'} for wave ${str(d.rollout_wave)}; only go lets the change roll out.`,
        observed: str(d.decision),
        required: 'go'
      });
    }

    if (strings(d.decided_by).length === 0) {
      findings.add(RULES['rollout.no-owner'], {
        ...base,
        location: locationOf(g, '/decided_by'),
        message: `rollout_gate_record ${gateName} has no decided_by: nobody owns the decision ${str(d.decision)}.`,
        observed: [],
        required: 'at least one role in decided_by'
      });
    }

    const pct = parseTrafficScope(d.traffic_scope);
    const scopeText = typeof d.traffic_scope === 'number' ? `${d.traffic_scope}` : str(d.traffic_scope);
    const exposure =
      pct === null || scopeText === `${pct}%` || scopeText === `${pct}` ? `${pct}%` : `${scopeText} (${pct}%)`;
    if (pct === null) {
      findings.add(RULES['rollout.scope-unreadable'], {
        ...base,
        location: locationOf(g, '/traffic_scope'),
        message: `rollout_gate_record ${gateName} has traffic_scope "${scopeText}", which is not a readable percentage of traffic.`,
        observed: scopeText,
        required: 'a percentage (5_percent, 5%, 5) or internal_only / shadow'
      });
    } else if (policy?.max_exposure) {
      const max = policy.max_exposure;
      if (pct > max.pct) {
        findings.add(RULES['rollout.exposure-exceeded'], {
          ...base,
          location: locationOf(g, '/traffic_scope'),
          message:
            `rollout_gate_record ${gateName} exposes ${exposure} of traffic in wave ${str(d.rollout_wave)}, ` +
            `above the rollout policy's max_tenant_exposure_pct of ${max.pct}% (${max.rec.source.path}).`,
          observed: pct,
          required: { max_tenant_exposure_pct: max.pct },
          evidence: {
            traffic_scope: scopeText,
            exposure_pct: pct,
            policy: max.rec.source.path,
            max_tenant_exposure_pct: max.pct
          }
        });
      }
    } else if (pct > 0) {
      findings.add(RULES['rollout.exposure-unbounded'], {
        ...base,
        location: locationOf(g, '/traffic_scope'),
        message:
          `rollout_gate_record ${gateName} exposes ${exposure} of traffic, but ` +
          (policy ? 'the rollout policy sets no rollout_mode.max_tenant_exposure_pct' : 'there is no rollout policy') +
          ' to check it against.',
        observed: pct,
        required: null
      });
    }
  }

  // the rollout policy applies to any agent change, whether or not it has a gate record yet
  const judgePolicy = policy !== null && policyApplies(ctx, signals);
  let rollout: RolloutEvidence | null = null;
  if (policy && judgePolicy) {
    if (policy.records.length > 1) {
      findings.add(RULES['rollout.multiple-policies'], {
        location: locationOf(policy.records[1]!, ''),
        message:
          `${policy.records.length} rollout policies were found (${policy.records.map((r) => r.source.path).join(', ')}); ` +
          'the gate applies all their require and block_if entries and the lowest max_tenant_exposure_pct.',
        observed: policy.records.map((r) => r.source.path),
        required: 'one rollout policy'
      });
    }
    // the policy holds for every change of the pull request: a require entry must be true for each, a block_if
    // entry blocks when it is true for any
    const required = [...policy.require.keys()];
    const missing = required.filter((s) => signalOf(signals, s).value !== true);
    const blockers = [...policy.block_if.keys()].filter((s) => signalOf(signals.blocking, s).value === true);
    const firstMissing = missing[0] === undefined ? undefined : policy.require.get(missing[0]);
    if (firstMissing) {
      const finding = findings.add(RULES['rollout.missing-required'], {
        subject: firstMissing.rec.source.path,
        location: locationOf(firstMissing.rec, pointer('rollout', 'require', firstMissing.index)),
        message:
          `The rollout policy requires ${missing.length} piece${missing.length > 1 ? 's' : ''} of evidence not ` +
          `evidenced true (missing_required): ${describeUnevidenced(signals, missing)}.`,
        ...unevidencedValues(signals, missing),
        evidence: { missing_required: missing, sources: signalSources(signals, missing) }
      });
      softenIfAwaiting(finding, signals, missing);
    }
    const firstBlocker = blockers[0] === undefined ? undefined : policy.block_if.get(blockers[0]);
    if (firstBlocker) {
      findings.add(RULES['rollout.blocking-signal'], {
        subject: firstBlocker.rec.source.path,
        location: locationOf(firstBlocker.rec, pointer('rollout', 'block_if', firstBlocker.index)),
        message:
          `The rollout policy's block_if ${blockers.length > 1 ? 'entries are' : 'entry is'} evidenced true ` +
          `(blocking_signals): ${blockers.map((s) => `${s} (${signalOf(signals.blocking, s).source})`).join('; ')}.`,
        observed: Object.fromEntries(blockers.map((s) => [s, true])),
        required: Object.fromEntries(blockers.map((s) => [s, false])),
        evidence: {
          blocking_signals: blockers,
          sources: blockers.map((s) => ({ signal: s, source: signalOf(signals.blocking, s).source }))
        }
      });
    }
    rollout = {
      required,
      missing_required: missing,
      blocking_signals: blockers,
      required_checks: [...checks.values()].sort((a, b) => cmp(a.check, b.check)),
      rollout_mode: policy.rollout_mode
    };
  } else if (gates.length > 0) {
    rollout = {
      required: [],
      missing_required: [],
      blocking_signals: [],
      required_checks: [...checks.values()].sort((a, b) => cmp(a.check, b.check)),
      rollout_mode: null
    };
  }

  // contradictions in the signal evidence, wherever the signal is used: a contradiction about a signal nothing
  // uses decides nothing, and reporting it would let an approval (true) against a stale assertion (false) turn
  // an allowed change into a denied one. Each change is judged with its own signals: two changes that differ
  // do not contradict each other.
  const used = new Map<string | null, Set<string>>();
  const use = (changeId: string | null, names: Iterable<string>) => {
    const set = used.get(changeId) ?? new Set<string>();
    for (const n of names) set.add(n);
    used.set(changeId, set);
  };
  for (const c of changeRecords(ctx, 'change'))
    for (const r of c.was ? [c.record, c.was] : [c.record])
      use(str(r.data.change?.change_id), strings(r.data.change?.required_signals));
  for (const g of gates) use(str(g.data.change_id), strings(g.data.required_checks));
  if (policy && judgePolicy) {
    const names = [...policy.require.keys(), ...policy.block_if.keys()];
    for (const c of signals.changes.length > 0 ? signals.changes : [null]) use(c, names);
  }
  const conflicts = new Map<string, { changeId: string | null; entry: SignalEntry }>();
  for (const [changeId, names] of [...used].sort(([a], [b]) => cmp(a ?? '', b ?? ''))) {
    const scope = signals.forChange(changeId);
    for (const name of names) {
      const entry = signalOf(scope, name);
      if (entry.conflict && !conflicts.has(name)) conflicts.set(name, { changeId, entry });
    }
  }
  for (const [name, { changeId, entry }] of [...conflicts].sort(([a], [b]) => cmp(a, b))) {
    const at = entry.observations.find((o) => o.origin === 'asserted' && o.location)?.location;
    findings.add(RULES['rollout.signal-conflict'], {
      subject: name,
      ...(at ? { location: at } : {}),
      message:
        `Signal ${name} has contradicting evidence${signals.changes.length > 1 && changeId ? ` for change ${changeId}` : ''}: ` +
        entry.observations
          .filter((o) => o.value !== null)
          .map((o) => `${o.source} says ${String(o.value)}`)
          .join('; ') +
        '. The gate takes false.',
      observed: entry.observations.map((o) => ({ source: o.source, value: o.value })),
      required: 'every source agrees'
    });
  }

  chain.sort((a, b) => cmp(a.change_id, b.change_id) || cmp(a.gate_id ?? '', b.gate_id ?? ''));
  return { findings: findings.items, evidence: { rollout, chain } };
}
