/** agent-gate explain RULE_ID: what a rule checks, why, and how to fix a finding. */
import type { RuleSpec } from '../model/finding.js';
import { ALL_RULES, RULE_IDS, findRule } from '../gate/catalog.js';
import { nearest } from '../read/validate.js';
import { excerpt } from '../read/parse.js';
import { INPUT_RULE } from '../render/sarif.js';
import { parse } from './args.js';
import { EXIT, type CliIO } from './io.js';

/** Suggestions shown for an unknown id, at most. */
const MAX_SUGGESTIONS = 8;

export async function runExplain(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parse(argv, {}, true);
  if (positionals.length > 1) {
    io.stderr.write('agent-gate explain: give one rule id (agent-gate explain evals.threshold)\n');
    return EXIT.invalid;
  }
  const id = positionals[0]?.trim();
  if (id === undefined || id === '') {
    list(ALL_RULES, io);
    return EXIT.allow;
  }
  // input.invalid names record and configuration errors in SARIF: not a finding, but a reader may ask about it
  const rule = findRule(id) ?? (id === INPUT_RULE.id ? INPUT_RULE : undefined);
  if (rule) {
    explain(rule, io);
    return EXIT.allow;
  }
  const family = ALL_RULES.filter((r) => r.family === id);
  if (family.length > 0) {
    list(family, io);
    return EXIT.allow;
  }
  const near = suggestions(id);
  io.stderr.write(`agent-gate explain: unknown rule ${JSON.stringify(excerpt(id, 80))}.`);
  io.stderr.write(near.length > 0 ? ` Did you mean: ${near.join(', ')}?\n` : '\n');
  io.stderr.write('Run "agent-gate explain" to list every rule.\n');
  return EXIT.invalid;
}

function list(rules: readonly RuleSpec[], io: CliIO): void {
  const width = Math.max(...rules.map((r) => r.id.length)) + 2;
  for (const r of rules) io.stdout.write(`${r.id.padEnd(width)}${r.severity.padEnd(11)}${r.title}\n`);
}

function explain(rule: RuleSpec, io: CliIO): void {
  io.stdout.write(
    [
      `${rule.id} — ${rule.title}`,
      rule === INPUT_RULE
        ? 'record and configuration errors always fail the check (exit 2); they are not findings and no "rules:" entry changes them'
        : `family: ${rule.family} · default severity: ${rule.severity} (override it under "rules:" in .github/agent-gate.yml)`,
      '',
      rule.description,
      '',
      `How to fix: ${rule.fix}`,
      ''
    ].join('\n')
  );
}

/** The closest ids (a typo in the id, or in the part after the family), then every id containing the text. */
function suggestions(text: string): string[] {
  const query = text.toLowerCase();
  const byName = new Map(ALL_RULES.map((r) => [r.id.slice(r.family.length + 1), r.id]));
  const lastPart = query.includes('.') ? query.slice(query.indexOf('.') + 1) : query;
  const out = new Set<string>();
  const close = nearest(query, RULE_IDS);
  if (close) out.add(close);
  const closeName = nearest(lastPart, [...byName.keys()]);
  if (closeName) out.add(byName.get(closeName)!);
  if (query.length >= 3) {
    for (const id of RULE_IDS) if (id.includes(query) || (lastPart.length >= 3 && id.includes(lastPart))) out.add(id);
  }
  return [...out].slice(0, MAX_SUGGESTIONS);
}
