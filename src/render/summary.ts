/**
 * The job summary: the full report (every finding with its fix, every evidence table, the rule families,
 * the files read). At most 1 MiB counted in UTF-8 bytes, degrading in stages like the comment.
 */
import type { DecisionDocument } from '../model/decision.js';
import { LIMITS } from '../settings/defaults.js';
import type { RenderContext } from './context.js';
import { closeOpenDetails, cutToLines, utf8Length } from './fit.js';
import { renderReport, type Profile } from './markdown.js';

const COMPLETE: Profile = {
  medium: 'summary',
  stage: 0,
  cell: 300,
  prose: 2000,
  findingRows: 1000,
  evidenceRows: 1000,
  errorRows: 1000,
  details: true,
  evidence: 'tables',
  secondary: 'tables'
};

export const SUMMARY_STAGES: readonly Profile[] = [
  COMPLETE,
  { ...COMPLETE, stage: 1, details: false },
  { ...COMPLETE, stage: 2, details: false, findingRows: 200, evidenceRows: 200, errorRows: 200, cell: 200, prose: 600 },
  {
    ...COMPLETE,
    stage: 3,
    details: false,
    evidence: 'counts',
    findingRows: 200,
    evidenceRows: 200,
    errorRows: 200,
    cell: 200,
    prose: 600
  },
  {
    ...COMPLETE,
    stage: 4,
    details: false,
    evidence: 'counts',
    secondary: 'counts',
    findingRows: 50,
    errorRows: 50,
    cell: 120,
    prose: 300
  }
];

export function renderSummary(decision: DecisionDocument, ctx: RenderContext): string {
  for (const profile of SUMMARY_STAGES) {
    const { body, footer } = renderReport(decision, ctx, profile);
    const text = `${body}\n\n${footer}\n`;
    if (utf8Length(text) <= LIMITS.summaryBytes) return text;
  }
  const last = renderReport(decision, ctx, SUMMARY_STAGES[SUMMARY_STAGES.length - 1]!);
  const tail = `\n\n${last.footer}\n`;
  const body = closeOpenDetails(cutToLines(last.body, LIMITS.summaryBytes - utf8Length(tail), utf8Length));
  return body + tail;
}
