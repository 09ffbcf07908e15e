/** agent-gate explain RULE_ID: what a rule checks, why, and how to fix a finding. */
import { ALL_RULES, findRule } from '../gate/catalog.js';
import { parse } from './args.js';
import { EXIT, type CliIO } from './io.js';

export const EXPLAIN_HELP = `Usage: agent-gate explain [RULE_ID]

Explain a rule: what it checks, why, its default severity and how to fix a finding.
Without RULE_ID, list every rule.`;

export async function runExplain(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parse(argv, {}, true);
  const id = positionals[0];
  if (id === undefined) {
    for (const r of ALL_RULES) io.stdout.write(`${r.id.padEnd(38)} ${r.severity.padEnd(9)} ${r.title}\n`);
    return EXIT.allow;
  }
  const rule = findRule(id);
  if (!rule) {
    const near = ALL_RULES.filter((r) => r.id.includes(id) || r.id.split('.')[1]?.includes(id.split('.').pop() ?? id));
    io.stderr.write(`agent-gate explain: unknown rule "${id}".`);
    io.stderr.write(near.length > 0 ? ` Did you mean: ${near.map((r) => r.id).join(', ')}?\n` : ' Run "agent-gate explain" to list every rule.\n');
    return EXIT.invalid;
  }
  io.stdout.write(
    [
      `${rule.id} — ${rule.title}`,
      `family: ${rule.family} · default severity: ${rule.severity} (change it under "rules:" in .github/agent-gate.yml)`,
      '',
      rule.description,
      '',
      `How to fix: ${rule.fix}`,
      ''
    ].join('\n')
  );
  return EXIT.allow;
}
