/**
 * The sticky PR comment: the decision in its first line, the blocking findings, then the evidence diff.
 * It must stay under GitHub's 65,536-character limit, so it degrades in stages: without <details> bodies,
 * then with evidence as counts, then with follow-ups and warnings as counts and fewer rows — always keeping
 * the headline, the first blocking findings, the pointer to the full report and the marker.
 */
import type { DecisionDocument } from '../model/decision.js';
import { LIMITS } from '../settings/defaults.js';
import { commentMarker, parseMarker } from './marker.js';
import type { RenderContext } from './context.js';
import { closeOpenDetails, cutToLines } from './fit.js';
import { renderReport, type Profile } from './markdown.js';

const COMPLETE: Profile = {
  medium: 'comment',
  stage: 0,
  cell: 160,
  prose: 600,
  findingRows: 25,
  evidenceRows: 25,
  errorRows: LIMITS.errorsInComment,
  details: true,
  evidence: 'tables',
  secondary: 'tables'
};

/** From complete to minimal; the last always fits (every piece of record text in it is capped). */
export const COMMENT_STAGES: readonly Profile[] = [
  COMPLETE,
  { ...COMPLETE, stage: 1, details: false },
  { ...COMPLETE, stage: 2, details: false, evidence: 'counts' },
  {
    ...COMPLETE,
    stage: 3,
    details: false,
    evidence: 'counts',
    secondary: 'counts',
    findingRows: 10,
    errorRows: 20,
    cell: 120
  },
  {
    ...COMPLETE,
    stage: 4,
    details: false,
    evidence: 'counts',
    secondary: 'counts',
    findingRows: 3,
    errorRows: 5,
    cell: 60,
    prose: 200
  }
];

/** Strictly below GitHub's limit. */
const MAX_CHARS = LIMITS.commentChars - 1;

export function renderComment(decision: DecisionDocument, ctx: RenderContext): string {
  // the marker is ours only if it is a well-formed marker line; anything else is replaced, never echoed
  const marker = parseMarker(ctx.marker) !== null ? ctx.marker : commentMarker(decision.gate_key);
  for (const profile of COMMENT_STAGES) {
    const { body, footer } = renderReport(decision, ctx, profile);
    const text = `${body}\n\n${footer}\n\n${marker}\n`;
    if (text.length <= MAX_CHARS) return text;
  }
  // not reached with the stages above; kept so the limit holds whatever the stages become
  const last = renderReport(decision, ctx, COMMENT_STAGES[COMMENT_STAGES.length - 1]!);
  const tail = `\n\n${last.footer}\n\n${marker}\n`;
  const body = closeOpenDetails(cutToLines(last.body, MAX_CHARS - tail.length, (s) => s.length));
  return body + tail;
}
