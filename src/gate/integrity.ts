/**
 * Gate integrity: a pull request must not quietly change the gate that judges it. A change to the
 * gate's configuration, schemas or workflow needs the owning role's approval (reported by the
 * approvals family from the requirement returned here); a gate configured from the head branch is
 * flagged; and when the head proposes a new configuration, what it would loosen is listed (the
 * decision itself used the base branch's configuration). A head that deletes the configuration proposes
 * the built-in defaults: what they would loosen is listed the same way. A configuration read from the head
 * cannot switch this family off: its `rules:` entries for integrity.* are ignored, and reported.
 */
import type { GateConfig } from '../model/config.js';
import type { Finding, Json, RuleSpec, Severity } from '../model/finding.js';
import type { Location } from '../model/location.js';
import { checkRole, configLocation, type RoleRequirement } from './approvals.js';
import { cmp, type FamilyResult, type GateContext } from './context.js';
import { DEFAULT_CONFIG } from '../settings/defaults.js';
import { changedPathsMatching, normalizePath, touchedPaths } from './globs.js';
import { defineRules, makeFinding, type FindingFields } from './rules.js';

export const RULES = defineRules('integrity', {
  'integrity.gate-files-changed': {
    severity: 'follow_up',
    title: "Change modifies the gate's own files",
    description:
      'The change touches files that define the gate itself: its configuration, its schemas, the workflow that runs ' +
      'it (integrity.paths, plus the configuration file in use), or a standing record that sets what every change ' +
      'must show (the rollout policy, a Deployment), edited or removed, or a record merged earlier about a change (a ' +
      'change record, a review, a rollout gate record, an assessment) removed: with it would go a hold, a rejection ' +
      'or a blocking signal, which are lifted by deciding again in the record, never by deleting it. A pull request that edits its own gate could ' +
      'switch it off, so such a change needs an approval by integrity.owner_role; the approvals family reports ' +
      'whether that approval exists. (A rollout policy the pull request edits or removes still judges its changes: ' +
      'its base copy is applied together with the head.)',
    fix: 'Ask a holder of the integrity owner role to review and approve the change to the gate.'
  },
  'integrity.config-from-head': {
    severity: 'warning',
    title: "Gate configuration was read from the pull request's head",
    description:
      "The gate judged this change with the configuration on the pull request's own branch, so the change could " +
      "have loosened its own gate. Reading the configuration from the base branch (the action's default) closes " +
      'that gap. Such a configuration cannot switch off this family: its `rules:` entries for integrity.* rules are ' +
      'ignored (the defaults apply) and listed here, its integrity.paths only add to the default ones, and what it ' +
      'turns off or loosens compared with the built-in defaults is listed too.',
    fix: 'Set the action input `trust-config-from: base` (the default) so the base branch configuration is used.'
  },
  'integrity.config-loosened': {
    severity: 'follow_up',
    title: 'Proposed configuration loosens the gate',
    description:
      'The head branch changes or deletes the gate configuration (deleted, the gate runs with its built-in ' +
      "defaults). The decision used the base branch's configuration; this " +
      'finding lists every setting the proposed configuration would make less strict (raised drift limits or ' +
      'regression slack, a lowered trust score, rules turned off or downgraded, roles or required roles removed or ' +
      'given more members, surfaces, integrity paths or record globs narrowed, derived signals removed), each ' +
      'with its base and head value, so the owner approves the loosening knowingly. Once integrity.owner_role ' +
      'has approved the head commit the finding stays as a warning.',
    fix: 'Have the integrity owner role review each loosened setting, or restore the base value.'
  }
});

/** A setting the proposed configuration makes less strict. */
export interface Loosening {
  setting: string;
  base: Json;
  head: Json;
  /** why it is less strict, one short clause */
  effect: string;
}

const SEVERITY_RANK: Record<Severity | 'off', number> = { deny: 3, follow_up: 2, warning: 1, off: 0 };

/** Rank of a severity; anything unrecognised ranks as deny, so it never hides a downgrade. */
function severityRank(value: string): number {
  return Object.prototype.hasOwnProperty.call(SEVERITY_RANK, value) ? SEVERITY_RANK[value as Severity | 'off'] : 3;
}

function get(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function keysOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).sort(cmp) : [];
}

function toJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${keysOf(value)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What `head` would loosen compared with `base`. `ruleDefaults` gives each rule's default severity;
 * a rule it does not know is assumed to default to deny, so a new override is never missed.
 */
export function configLoosenings(
  base: GateConfig,
  head: GateConfig,
  ruleDefaults: Record<string, Severity> = {}
): Loosening[] {
  const out: Loosening[] = [];
  const num = (path: string[], worse: 'raised' | 'lowered', effect: string) => {
    const b = get(base, path);
    const h = get(head, path);
    if (typeof b !== 'number' || typeof h !== 'number') return;
    if (worse === 'raised' ? h > b : h < b) out.push({ setting: path.join('.'), base: b, head: h, effect });
  };
  num(['drift', 'max_token_drift'], 'raised', 'more token drift between live and replay passes');
  num(['drift', 'max_cost_drift'], 'raised', 'more cost drift between live and replay passes');
  num(['evals', 'regression_slack'], 'raised', 'larger eval regressions against the base pass');
  num(['evals', 'confidence'], 'raised', 'a wider noise interval: fewer drops count as beyond noise');
  num(['evals', 'max_missing_share'], 'raised', 'more cases without a value pass unremarked on a gating metric');
  num(['agbom', 'min_trust_score'], 'lowered', 'less trusted AgBOM components pass');

  const seedBase = get(base, ['evals', 'seed']);
  const seedHead = get(head, ['evals', 'seed']);
  if (seedBase !== seedHead) {
    out.push({
      setting: 'evals.seed',
      base: toJson(seedBase),
      head: toJson(seedHead),
      effect: 'a different resampling seed can move a borderline noise test'
    });
  }

  const turnedOn = (path: string[], effect: string) => {
    if (get(base, path) !== true && get(head, path) === true) {
      out.push({ setting: path.join('.'), base: toJson(get(base, path)), head: true, effect });
    }
  };
  turnedOn(['approvals', 'accept_stale'], 'approvals of earlier commits count');
  turnedOn(['records', 'allow_empty'], 'a configuration that selects no record passes');

  /** entries of `from` missing in `to` loosen the gate (by default: base entries the head drops) */
  const removed = (
    path: string[],
    effect: string,
    from: string[] = strings(get(base, path)),
    to = strings(get(head, path)),
    shown = { base: from, head: to }
  ) => {
    const gone = from.filter((x) => !to.includes(x));
    if (gone.length > 0)
      out.push({
        setting: path.join('.'),
        base: [...shown.base].sort(cmp),
        head: [...shown.head].sort(cmp),
        effect: `${effect}: ${gone.join(', ')}`
      });
  };
  removed(['approvals', 'required_roles'], 'roles no longer required');
  removed(['integrity', 'paths'], 'gate files no longer protected');
  removed(['records', 'include'], 'record globs dropped');
  const excludeBase = strings(get(base, ['records', 'exclude']));
  const excludeHead = strings(get(head, ['records', 'exclude']));
  removed(['records', 'exclude'], 'record files newly excluded', excludeHead, excludeBase, {
    base: excludeBase,
    head: excludeHead
  });
  const promptfoo = (cfg: GateConfig) =>
    (Array.isArray(get(cfg, ['evals', 'promptfoo'])) ? (get(cfg, ['evals', 'promptfoo']) as unknown[]) : []).map(
      canonical
    );
  removed(['evals', 'promptfoo'], 'promptfoo results no longer read', promptfoo(base), promptfoo(head));

  const ownerBase = get(base, ['integrity', 'owner_role']);
  const ownerHead = get(head, ['integrity', 'owner_role']);
  if (ownerBase !== ownerHead) {
    out.push({
      setting: 'integrity.owner_role',
      base: toJson(ownerBase),
      head: toJson(ownerHead),
      effect: 'a different role approves changes to the gate'
    });
  }

  for (const role of keysOf(get(base, ['roles']))) {
    const path = ['roles', role];
    if (get(head, path) === undefined) {
      out.push({ setting: path.join('.'), base: toJson(get(base, path)), head: null, effect: 'role removed' });
      continue;
    }
    for (const field of ['users', 'teams']) {
      const b = strings(get(base, [...path, field])).map((x) => x.toLowerCase());
      const h = strings(get(head, [...path, field]));
      const added = h.filter((x) => !b.includes(x.toLowerCase()));
      if (added.length > 0) {
        out.push({
          setting: [...path, field].join('.'),
          base: toJson(get(base, [...path, field])),
          head: toJson(get(head, [...path, field])),
          effect: `more people can approve as ${role}: ${added.join(', ')}`
        });
      }
    }
  }

  for (const surface of keysOf(get(base, ['surfaces']))) {
    const path = ['surfaces', surface];
    if (get(head, path) === undefined) {
      out.push({
        setting: path.join('.'),
        base: toJson(get(base, path)),
        head: null,
        effect: 'surface no longer reviewed'
      });
    } else {
      removed(path, 'paths no longer part of the surface');
    }
  }

  for (const signal of keysOf(get(base, ['signals']))) {
    const path = ['signals', signal];
    const b = get(base, path);
    const h = get(head, path);
    if (canonical(b) === canonical(h)) continue;
    out.push({
      setting: path.join('.'),
      base: toJson(b),
      head: toJson(h),
      effect:
        h === undefined
          ? 'no longer derived by the gate: an assessment record can assert it'
          : 'derived from different evidence'
    });
  }

  const ruleIds = [...new Set([...keysOf(get(base, ['rules'])), ...keysOf(get(head, ['rules']))])].sort(cmp);
  for (const id of ruleIds) {
    const b = get(base, ['rules', id]) as Severity | 'off' | undefined;
    const h = get(head, ['rules', id]) as Severity | 'off' | undefined;
    const known = Object.prototype.hasOwnProperty.call(ruleDefaults, id);
    const fallback: Severity = known ? ruleDefaults[id]! : 'deny';
    const defaultLabel = known ? `default (${fallback})` : 'default (assumed deny)';
    const bEff = b ?? fallback;
    const hEff = h ?? fallback;
    if (severityRank(hEff) < severityRank(bEff)) {
      out.push({
        setting: `rules.${id}`,
        base: b ?? defaultLabel,
        head: h ?? defaultLabel,
        effect: hEff === 'off' ? 'rule turned off' : `rule downgraded from ${bEff} to ${hEff}`
      });
    }
  }
  return out.sort((x, y) => cmp(x.setting, y.setting) || cmp(x.effect, y.effect));
}

/** Records whose removal (deleted, renamed, no longer a record of that kind) needs integrity.owner_role. */
const REMOVAL_NEEDS_OWNER = [
  'rollout_policy',
  'deployment',
  'change',
  'change_review_record',
  'rollout_gate_record',
  'rollout_assessment'
] as const;

export function evaluateIntegrity(
  ctx: GateContext,
  ruleDefaults: Record<string, Severity> = {}
): FamilyResult<null> & { roleRequirements: RoleRequirement[] } {
  const findings: Finding[] = [];
  const roleRequirements: RoleRequirement[] = [];
  const src = ctx.input.config_source;
  const cfgFile = src.file === null ? null : normalizePath(src.file);
  const ownerRole = ctx.config.integrity?.owner_role ?? '';
  // This family reports on the configuration itself, so a configuration read from the head (the change under
  // judgement) cannot silence or downgrade it, nor stop it watching the default gate files: its `rules:`
  // entries for integrity.* are ignored (the defaults apply) and integrity.config-from-head says so.
  const headTrusted = src.side === 'head';
  const ignoredRules = headTrusted ? integrityOverrides(ctx.config) : {};
  const ruleConfig: GateConfig = headTrusted ? withoutIntegrityOverrides(ctx.config) : ctx.config;
  const usedWhich =
    src.side === 'base'
      ? "the decision used the base branch's configuration"
      : src.side === 'head'
        ? "the decision used the head branch's configuration"
        : 'the decision used the built-in defaults';

  const globs = headTrusted
    ? [...new Set([...strings(ctx.config.integrity?.paths), ...DEFAULT_CONFIG.integrity.paths])]
    : strings(ctx.config.integrity?.paths);
  const files = new Set<string>();
  if (ctx.input.changed_files !== null) {
    for (const f of changedPathsMatching(ctx.input.changed_files, globs)) files.add(f);
    if (cfgFile !== null) {
      for (const f of ctx.input.changed_files) if (touchedPaths(f).includes(cfgFile)) files.add(cfgFile);
    }
  }
  // Standing records (the rollout policy, Deployments) set what every change must show, and they are read
  // from the head: changing one is changing the gate, so it needs the owner too.
  if (ctx.base !== null) {
    for (const r of [...ctx.active('rollout_policy'), ...ctx.active('deployment')])
      files.add(normalizePath(r.source.path));
    // removing one (deleting it, renaming it out of the records) changes the gate as much as editing it; so does
    // removing a record merged earlier about a change: a hold, a rejection or a blocking signal would go with it,
    // and a later pull request could bring the change back under weaker records
    for (const kind of REMOVAL_NEEDS_OWNER) {
      const kept = new Set(ctx.head.of(kind).map((r) => r.source.path));
      for (const r of ctx.base.of(kind)) if (!kept.has(r.source.path)) files.add(normalizePath(r.source.path));
    }
  }
  // a proposed configuration is a changed gate file even when the list of changed files is unknown
  const proposed = ctx.input.proposed_config;
  if (proposed !== null) files.add(normalizePath(proposed.file));
  const gateFiles = [...files].sort(cmp);
  const first = gateFiles[0];
  // Once the owner has approved the head, the gate-change findings stay visible but stop holding the
  // change (follow_up becomes warning); a configured deny still blocks.
  const ownerApprovers = first === undefined ? [] : checkRole(ctx, ownerRole, []).evidence.approved_by;
  const approval =
    ownerApprovers.length > 0
      ? `approved by ${ownerApprovers.map((u) => `@${u}`).join(', ')} (\`${ownerRole}\`, integrity.owner_role)`
      : `it needs an approval by \`${ownerRole}\` (integrity.owner_role)`;
  const add = (spec: RuleSpec, fields: FindingFields) => {
    const f = makeFinding(ruleConfig, spec, fields);
    if (f === null) return;
    if (ownerApprovers.length > 0 && f.severity === 'follow_up') f.severity = 'warning';
    findings.push(f);
  };
  if (first !== undefined) {
    const location: Location = { file: first };
    // a rule switched off in the (base) configuration drops its approval requirement with it
    if (ruleConfig.rules?.['integrity.gate-files-changed'] !== 'off') {
      roleRequirements.push({
        role: ownerRole,
        required_by: `integrity: gate files changed (${gateFiles.join(', ')})`,
        location
      });
    }
    add(RULES['integrity.gate-files-changed'], {
      subject: ownerRole,
      location,
      message: `The change modifies the gate's own files: ${gateFiles.join(', ')}; ${approval}. ${capitalize(usedWhich)}.`,
      observed: gateFiles,
      required: `an approval by \`${ownerRole}\``,
      evidence: {
        files: gateFiles,
        protected_paths: globs,
        config_file: cfgFile,
        owner_role: ownerRole,
        approved_by: ownerApprovers
      },
      fix: `Ask a holder of \`${ownerRole}\` to review the change to the gate and approve the pull request.`
    });
  }

  if (headTrusted) {
    const location = configLocation(ctx);
    const ignored = Object.keys(ignoredRules).sort(cmp);
    // what the head's configuration turns off or loosens compared with the built-in defaults (its integrity.*
    // rule entries are listed apart: they were ignored)
    const loosened = configLoosenings(DEFAULT_CONFIG, ctx.config, ruleDefaults).filter(
      (l) => !l.setting.startsWith('rules.integrity.')
    );
    add(RULES['integrity.config-from-head'], {
      ...(location ? { location } : {}),
      message:
        `The gate configuration ${src.file ?? ''} was read from the pull request's head, so this change could loosen ` +
        'its own gate; the base branch configuration is the safe source.' +
        (ignored.length > 0
          ? ` Its rules: entries for integrity.* were ignored (the defaults apply): ` +
            `${ignored.map((id) => `${id}: ${ignoredRules[id]}`).join(', ')}.`
          : '') +
        (loosened.length > 0
          ? ' Compared with the built-in defaults it loosens: ' +
            loosened.map((l) => `${l.setting} ${fmt(l.base)} → ${fmt(l.head)} (${l.effect})`).join('; ') +
            '.'
          : ''),
      observed: 'head',
      required: 'base',
      evidence: {
        file: src.file,
        sha256: src.sha256,
        ignored_rules: ignored.map((id) => ({ rule: id, head: ignoredRules[id]! })),
        loosened_from_defaults: loosened.map((l) => ({
          setting: l.setting,
          default: l.base,
          head: l.head,
          effect: l.effect
        }))
      }
    });
  }

  // the head deletes the configuration the decision used: once merged, the gate runs with its built-in defaults
  const deleted = proposed === null && src.side === 'base' && cfgFile !== null && headLacks(ctx, cfgFile);
  const next =
    proposed !== null
      ? { config: proposed.config, file: proposed.file, sha256: proposed.sha256 as string | null }
      : deleted
        ? { config: DEFAULT_CONFIG, file: cfgFile, sha256: null }
        : null;
  if (next !== null) {
    const loosenings = configLoosenings(ctx.config, next.config, ruleDefaults);
    if (loosenings.length > 0) {
      add(RULES['integrity.config-loosened'], {
        location: deleted
          ? { file: next.file, side: 'base', pointer: '' }
          : { file: next.file, side: 'head', pointer: '' },
        message:
          (deleted
            ? `The head deletes ${next.file}; once merged the gate would run with its built-in defaults, which would ` +
              `loosen it (${usedWhich}; ${approval}): `
            : `The proposed ${next.file} would loosen the gate (${usedWhich}; ${approval}): `) +
          loosenings.map((l) => `${l.setting} ${fmt(l.base)} → ${fmt(l.head)} (${l.effect})`).join('; ') +
          '.',
        observed: loosenings.map((l) => ({ setting: l.setting, head: l.head })),
        required: loosenings.map((l) => ({ setting: l.setting, base: l.base })),
        evidence: {
          ...(deleted ? { head_config: 'deleted: the built-in defaults' } : {}),
          base_sha256: src.sha256,
          head_sha256: next.sha256,
          loosened: loosenings.map((l) => ({ setting: l.setting, base: l.base, head: l.head, effect: l.effect }))
        },
        fix:
          `Ask a holder of \`${ownerRole}\` to review each loosened setting; it takes effect for later pull requests ` +
          'once merged.'
      });
    }
  }
  return { findings, evidence: null, roleRequirements };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const isIntegrityRule = (id: string) => id.startsWith('integrity.');

/** The configuration's `rules:` entries for integrity.* rules. */
export function integrityOverrides(config: GateConfig): Record<string, Severity | 'off'> {
  const out: Record<string, Severity | 'off'> = {};
  for (const [id, value] of Object.entries(config.rules ?? {})) if (isIntegrityRule(id)) out[id] = value;
  return out;
}

/** `config` with its integrity.* `rules:` entries dropped, so those rules run at their default severity. */
export function withoutIntegrityOverrides(config: GateConfig): GateConfig {
  const rules = Object.fromEntries(Object.entries(config.rules ?? {}).filter(([id]) => !isIntegrityRule(id)));
  return { ...config, rules };
}

/**
 * The head has no file at `file` (the base has it): the changed files say it was removed or renamed away or,
 * when they are unknown, the head tree (if it was listed) does not hold it.
 */
function headLacks(ctx: GateContext, file: string): boolean {
  const changed = ctx.input.changed_files;
  if (changed !== null) {
    const goneFrom = (f: (typeof changed)[number]) =>
      (f.status === 'removed' && normalizePath(f.path) === file) ||
      (f.status === 'renamed' &&
        f.previous_path !== undefined &&
        normalizePath(f.previous_path) === file &&
        normalizePath(f.path) !== file);
    const readded = (f: (typeof changed)[number]) => f.status !== 'removed' && normalizePath(f.path) === file;
    return changed.some(goneFrom) && !changed.some(readded);
  }
  const paths = ctx.input.head.paths;
  return paths !== null && !paths.some((p) => normalizePath(p) === file);
}

function fmt(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
