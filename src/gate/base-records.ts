/**
 * Base-side reading problems. They are warnings, never blockers: the base branch is history, and
 * blocking on it would deadlock the very pull request that repairs it. The files concerned drop out
 * of base comparisons, so the reviewer must be told.
 */
import { compareIssues } from '../decision/document.js';
import type { Finding } from '../model/finding.js';
import type { GateContext } from './context.js';
import { FindingList, defineRules } from './rules.js';

export const RULES = defineRules('integrity', {
  'integrity.base-records-invalid': {
    severity: 'warning',
    title: 'Some base-branch records could not be read',
    description:
      'Records on the base branch that are malformed are left out of every base → head comparison (eval regressions, AgBOM diff). ' +
      'The change is judged on its own records; comparisons against the unreadable base files are missing.',
    fix: 'Repair the base-branch records named in the finding (in this pull request or a separate one).'
  }
});

const SHOWN = 20;

export function evaluateBaseRecords(ctx: GateContext): Finding[] {
  // sorted here, not trusted to arrive sorted: the first ones are quoted, and the document must not depend on order
  const issues = [...ctx.input.base_issues].sort(compareIssues);
  if (issues.length === 0) return [];
  const files = [...new Set(issues.map((i) => i.file))].sort();
  const list = new FindingList(ctx.config);
  const shown = issues.slice(0, SHOWN).map((i) => `${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`);
  list.add(RULES['integrity.base-records-invalid'], {
    message:
      `${issues.length} problem(s) in ${files.length} base-branch file(s); those files were left out of base comparisons. ` +
      `First: ${shown[0] ?? ''}`,
    observed: files.length,
    required: 0,
    evidence: { files, issues: shown },
    location: { file: files[0] ?? '', side: 'base' }
  });
  return list.items;
}
