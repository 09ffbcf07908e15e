/** The renderers: decision document → PR comment, job summary, terminal text, SARIF. Pure functions. */
export type { RenderContext } from './context.js';
export { commentMarker, hasMarker, markerKey, parseMarker } from './marker.js';
export { renderComment, COMMENT_STAGES } from './comment.js';
export { renderSummary, SUMMARY_STAGES } from './summary.js';
export { renderTerminal } from './terminal.js';
export { renderSarif, INPUT_RULE, SARIF_SCHEMA_URI } from './sarif.js';
export type { SarifLog, SarifResult, SarifRun, SarifReportingDescriptor, SarifLevel } from './sarif.js';
export { safeLogLine, mdCode, mdText } from './escape.js';
