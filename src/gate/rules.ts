/**
 * Rule definitions and the one way findings are made: the rule's default severity, overridden by
 * `rules:` in the configuration ("off" drops it). Each family module declares its rules with defineRules.
 */
import type { GateConfig } from '../model/config.js';
import type { Family, Finding, Json, RuleSpec } from '../model/finding.js';
import { maskPointer, maskSecrets, revealInvisible } from '../read/text.js';
import { setOwn } from '../model/own.js';

export type RuleTable<Id extends string> = Record<Id, RuleSpec>;

export function defineRules<Id extends string>(
  family: Family,
  rules: Record<Id, Omit<RuleSpec, 'id' | 'family'>>
): RuleTable<Id> {
  const out = {} as RuleTable<Id>;
  for (const id of Object.keys(rules) as Id[]) {
    if (!id.startsWith(`${family}.`)) throw new Error(`rule ${id} must start with "${family}."`);
    out[id] = { id, family, ...rules[id] };
  }
  return out;
}

/** The parts of a finding a rule supplies; rule, family, severity, title and fix come from the spec unless given. */
export type FindingFields = Omit<Finding, 'rule' | 'family' | 'severity' | 'title' | 'fix'> &
  Partial<Pick<Finding, 'title' | 'fix'>>;

/** Make a finding for `spec`, applying the configuration's severity override. Returns null when the rule is off. */
export function makeFinding(config: GateConfig, spec: RuleSpec, fields: FindingFields): Finding | null {
  const override = config.rules[spec.id];
  if (override === 'off') return null;
  const finding: Finding = {
    rule: spec.id,
    family: spec.family,
    severity: override ?? spec.severity,
    title: fields.title ?? spec.title,
    message: fields.message,
    fix: fields.fix ?? spec.fix
  };
  if (fields.observed !== undefined) finding.observed = fields.observed;
  if (fields.required !== undefined) finding.required = fields.required;
  if (fields.location !== undefined) finding.location = fields.location;
  if (fields.evidence !== undefined) finding.evidence = fields.evidence;
  if (fields.subject !== undefined) finding.subject = fields.subject;
  return finding;
}

/**
 * A finding's fields with every secret in the record text they quote masked (maskSecrets): eval, metric, review
 * and role names, ids, keys and values come from records, and no finding may repeat a secret a record holds
 * (docs/security.md) — whichever family wrote it. Families that know the field a value sits under mask it there
 * too (the AgBOM's name-based checks); masking a masked text changes nothing. The gate's own words pass unchanged.
 */
function masked(fields: FindingFields): FindingFields {
  const json = maskJson;
  // what people read also shows invisible characters as escapes; the evidence keeps the values as they are
  const text = (t: string) => revealInvisible(maskSecrets(t));
  const shown = (v: Json): Json => (typeof v === 'string' ? revealInvisible(v) : v);
  const out: FindingFields = { ...fields, message: text(fields.message) };
  if (fields.observed !== undefined) out.observed = shown(json(fields.observed));
  if (fields.required !== undefined) out.required = shown(json(fields.required));
  if (fields.evidence !== undefined) out.evidence = json(fields.evidence) as FindingFields['evidence'];
  if (fields.subject !== undefined) out.subject = text(fields.subject);
  if (fields.fix !== undefined) out.fix = text(fields.fix);
  if (fields.location?.pointer !== undefined)
    out.location = { ...fields.location, pointer: maskPointer(fields.location.pointer) };
  return out;
}

/**
 * A JSON value with every secret in its strings and keys masked. Run over the findings (masked) and over the whole
 * evidence of a decision (evaluate): families copy record values into their evidence (run ids, verdicts, manifest
 * paths, names), and none of it may repeat a secret either.
 */
export function maskJson<T extends Json>(v: T): T {
  if (typeof v === 'string') return maskSecrets(v) as T;
  if (Array.isArray(v)) return v.map(maskJson) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: { [key: string]: Json } = {};
  const source = v as { [key: string]: Json };
  for (const k of Object.keys(source)) setOwn(out, maskSecrets(k), maskJson(source[k]!));
  return out as T;
}

/** Collects findings for one family, each masked (see masked); `add` drops rules that are off. */
export class FindingList {
  readonly items: Finding[] = [];
  constructor(private readonly config: GateConfig) {}
  add(spec: RuleSpec, fields: FindingFields): Finding | null {
    const f = makeFinding(this.config, spec, masked(fields));
    if (f) this.items.push(f);
    return f;
  }
}
