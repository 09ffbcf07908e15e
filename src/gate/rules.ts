/**
 * Rule definitions and the one way findings are made: the rule's default severity, overridden by
 * `rules:` in the configuration ("off" drops it). Each family module declares its rules with defineRules.
 */
import type { GateConfig } from '../model/config.js';
import type { Family, Finding, RuleSpec } from '../model/finding.js';

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

/** Collects findings for one family; `add` drops rules that are off. */
export class FindingList {
  readonly items: Finding[] = [];
  constructor(private readonly config: GateConfig) {}
  add(spec: RuleSpec, fields: FindingFields): Finding | null {
    const f = makeFinding(this.config, spec, fields);
    if (f) this.items.push(f);
    return f;
  }
}
