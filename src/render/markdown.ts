/**
 * The markdown report shared by the PR comment and the job summary. One function renders the whole report
 * for a Profile (how much to show); comment.ts and summary.ts try profiles from complete to minimal until
 * the result fits their limit. Every piece of record text goes through escape.ts; the only raw HTML is the
 * <details>/<summary> pair built here around our own words.
 */
import type { DecisionDocument } from '../model/decision.js';
import type {
  AgbomEvidence,
  ComponentEvidence,
  EvalEvidence,
  MetricEvidence,
  RoleEvidence,
  RunDriftEvidence,
  Verdict
} from '../model/evidence.js';
import type { Family, Finding, Json, Severity } from '../model/finding.js';
import { FAMILIES } from '../model/finding.js';
import type { RecordIssue } from '../model/issue.js';
import type { Location } from '../model/location.js';
import { cmp } from '../gate/context.js';
import { DEFAULT_CONFIG } from '../settings/defaults.js';
import { blobUrl, commitFor, commitUrl, safeUrl, type RenderContext } from './context.js';
import { mdCode, mdRich, mdText } from './escape.js';
import {
  componentOrder,
  formatCount,
  formatDelta,
  formatJson,
  formatNumber,
  formatPercent,
  formatUsd,
  plural,
  shortSha
} from './format.js';

export type Medium = 'comment' | 'summary';

/** How much of the report to show. Stage 0 is complete; each later stage shows less. */
export interface Profile {
  medium: Medium;
  stage: number;
  /** code points of record text in a table cell */
  cell: number;
  /** code points of record text in prose (messages, fixes) */
  prose: number;
  /** rows per findings table */
  findingRows: number;
  /** rows per evidence table, and items per inline list */
  evidenceRows: number;
  /** record errors listed */
  errorRows: number;
  /** render <details> sections (fixes, step-level drift, component differences, …) */
  details: boolean;
  /** evidence as tables, or one line of counts per family */
  evidence: 'tables' | 'counts';
  /** follow-ups and warnings as tables, or as counts only */
  secondary: 'tables' | 'counts';
  /** where the whole decision can be read (RenderContext.decisionWhere); "in the decision file" when absent */
  decisionWhere?: string;
}

/** Items of an inline list (approvers, files, risks) shown before "+N more". */
const INLINE_ITEMS = 8;

const SEVERITY_HEADING: Record<Severity, { icon: string; one: string; many: string }> = {
  deny: { icon: '⛔', one: 'Blocking finding', many: 'Blocking findings' },
  follow_up: { icon: '🟡', one: 'Follow-up', many: 'Follow-ups' },
  warning: { icon: 'ℹ️', one: 'Warning', many: 'Warnings' }
};

const VERDICT: Record<Verdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  missing: '⚠️ missing',
  not_gated: '➖ not gated'
};

const COMPARATOR: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=' };

// ---------------------------------------------------------------------------------------------------------
// building blocks

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => '| ' + cells.map((c) => (c === '' ? ' ' : c)).join(' | ') + ' |';
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A collapsible section. `summary` is our own plain text (no markdown is parsed inside <summary>). */
function details(summary: string, body: string): string {
  const safeSummary = summary.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<details><summary>${safeSummary}</summary>\n\n${body}\n\n</details>`;
}

function more(shown: number, total: number, what: string, where: string): string | null {
  return total > shown ? `… and ${formatCount(total - shown)} more ${what} ${where}.` : null;
}

function inlineList(values: string[], p: Profile, inTable = true): string {
  if (values.length === 0) return '—';
  const limit = Math.min(INLINE_ITEMS, p.evidenceRows);
  const shown = values.slice(0, limit).map((v) => mdCode(v, p.cell, { inTable }));
  if (values.length > limit) shown.push(`+${formatCount(values.length - limit)} more`);
  return shown.join(', ');
}

function fullReportWhere(p: Profile): string {
  return p.medium === 'comment' ? 'in the full report' : (p.decisionWhere ?? 'in the decision file');
}

/** "records/x.yaml:12" linked to the blob at the right commit when possible. */
function where(
  location: Location | undefined,
  d: DecisionDocument,
  ctx: RenderContext,
  p: Profile,
  withPointer: boolean,
  withColumn = false
): string {
  if (!location) return '—';
  const column =
    withColumn && location.line !== undefined && location.column !== undefined ? `:${location.column}` : '';
  const position = location.line !== undefined ? `:${location.line}${column}` : '';
  const label = mdText(location.file + position, p.cell);
  const url = blobUrl(ctx, commitFor(location, d.commits, ctx), location.file, location.line);
  let out = url ? `[${label}](${url})` : label;
  if (location.side === 'base') out += ' (base)';
  if (withPointer && location.pointer) out += ' ' + mdCode(location.pointer, p.cell, { inTable: true });
  return out;
}

function observedVsRequired(f: Finding, p: Profile): string {
  if (f.observed === undefined && f.required === undefined) return mdRich(f.message, p.cell, { inTable: true });
  const value = (v: Json | undefined) => (v === undefined ? '—' : mdCode(formatJson(v), p.cell, { inTable: true }));
  return `${value(f.observed)} vs ${value(f.required)}`;
}

// ---------------------------------------------------------------------------------------------------------
// headline and footer

function gateLabel(d: DecisionDocument, p: Profile): string {
  return d.gate_key === DEFAULT_CONFIG.key ? 'Agent release gate' : `Agent release gate ${mdCode(d.gate_key, p.cell)}`;
}

function countsText(d: DecisionDocument): string {
  return [
    plural(d.counts.deny, 'blocking', 'blocking'),
    plural(d.counts.follow_up, 'follow-up'),
    plural(d.counts.warning, 'warning')
  ].join(', ');
}

function filesWithErrors(errors: RecordIssue[]): number {
  return new Set(errors.map((e) => e.file)).size;
}

/** The first line: may this change merge, and how many findings say so. */
export function headline(d: DecisionDocument, p: Profile): string {
  const gate = gateLabel(d, p);
  if (d.outcome === 'internal_error') {
    return `### ⛔ ${gate}: the gate itself failed — no result, so this change may not merge`;
  }
  if (d.outcome === 'invalid_input') {
    const errors = d.errors.length;
    return (
      `### ⛔ ${gate}: records are malformed — this change may not merge ` +
      `(${plural(errors, 'error')} in ${plural(filesWithErrors(d.errors), 'file')})`
    );
  }
  switch (d.decision) {
    case 'allow':
      return `### ✅ ${gate}: allow — this change may merge (${countsText(d)})`;
    case 'follow_up':
      return `### 🟡 ${gate}: follow_up — this change may merge once a person acts on ${plural(d.counts.follow_up, 'follow-up')} (${countsText(d)})`;
    case 'deny':
      return `### ⛔ ${gate}: deny — this change may not merge (${countsText(d)})`;
  }
}

function intro(d: DecisionDocument, p: Profile): string | null {
  if (d.outcome === 'internal_error') {
    const failure = d.failure ? mdRich(d.failure, p.prose) : 'no details were recorded';
    return [
      `The gate could not finish: ${failure}.`,
      'This is a fault in the gate, not a judgement of your change. No decision was made, so the check fails closed. ' +
        'Re-run the job; if it fails again, report it with a link to the workflow run.'
    ].join('\n\n');
  }
  if (d.outcome === 'invalid_input') {
    return (
      'The gate could not judge this change because its records or configuration are malformed. ' +
      'It fails closed until they are fixed: correct each error below (file, line and field are given) and push again.'
    );
  }
  return null;
}

function pointerToFullReport(ctx: RenderContext): string {
  const hint = ctx.fullReportHint;
  const url = safeUrl(hint);
  if (url) return `📄 Full report: [job summary](${url})`;
  if (hint) return `📄 Full report: ${mdText(hint, 300)}`;
  const run = safeUrl(ctx.runUrl);
  if (run) return `📄 Full report: the job summary of [this workflow run](${run})`;
  return '📄 Full report: the decision file written by this run';
}

function footer(d: DecisionDocument, ctx: RenderContext, p: Profile): string {
  const parts: string[] = [];
  const head = ctx.headSha ?? d.commits.head;
  if (head) {
    const label = mdCode(shortSha(head), 80);
    const url = commitUrl(ctx, head);
    parts.push(url ? `Head [${label}](${url})` : `Head ${label}`);
  }
  const run = safeUrl(ctx.runUrl);
  if (run) parts.push(`[Workflow run](${run})`);
  if (ctx.decisionDigest) parts.push(`Decision sha256 ${mdCode(ctx.decisionDigest, 80)}`);
  parts.push(`${mdText(d.tool.name, 60)} ${mdText(d.tool.version, 40)}`);
  const lines = ['---', parts.join(' · ')];
  if (p.medium === 'comment') lines.push(pointerToFullReport(ctx));
  return lines.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------
// findings and errors

function findingRow(f: Finding, d: DecisionDocument, ctx: RenderContext, p: Profile): string[] {
  const what =
    mdRich(f.title, p.cell, { inTable: true }) +
    (f.subject ? ' · ' + mdCode(f.subject, p.cell, { inTable: true }) : '');
  return [
    mdCode(f.rule, 80, { inTable: true }),
    what,
    observedVsRequired(f, p),
    where(f.location, d, ctx, p, p.medium === 'summary')
  ];
}

function findingDetail(f: Finding, d: DecisionDocument, ctx: RenderContext, p: Profile): string {
  const at = f.location ? ` (${where(f.location, d, ctx, p, true)})` : '';
  return `- ${mdCode(f.rule, 80)}${at}: ${mdRich(f.message, p.prose)} **Fix:** ${mdRich(f.fix, p.prose)}`;
}

function findingSection(
  severity: Severity,
  all: Finding[],
  d: DecisionDocument,
  ctx: RenderContext,
  p: Profile
): string | null {
  const findings = all.filter((f) => f.severity === severity);
  if (findings.length === 0) return null;
  const h = SEVERITY_HEADING[severity];
  const heading = `#### ${h.icon} ${findings.length === 1 ? h.one : h.many} (${formatCount(findings.length)})`;
  const asCounts = severity !== 'deny' && p.secondary === 'counts';
  if (asCounts) {
    return `${heading}\n\n${plural(findings.length, h.one.toLowerCase(), h.many.toLowerCase())} — listed ${fullReportWhere(p)}.`;
  }
  const shown = findings.slice(0, p.findingRows);
  const rows = shown.map((f) => findingRow(f, d, ctx, p));
  const tableText = table(['Rule', 'What', 'Observed vs required', 'Where'], rows);
  const rest = more(shown.length, findings.length, h.many.toLowerCase(), fullReportWhere(p));
  const explained = shown.map((f) => findingDetail(f, d, ctx, p)).join('\n');
  // in the comment, warnings never block: they stay folded, table and all
  if (severity === 'warning' && p.medium === 'comment') {
    if (!p.details)
      return `${heading}\n\n${plural(findings.length, 'warning')} (never blocking) — listed ${fullReportWhere(p)}.`;
    return [
      heading,
      details(
        `Show ${plural(findings.length, 'warning')}`,
        [tableText, ...(rest ? [rest] : []), explained].join('\n\n')
      )
    ].join('\n\n');
  }
  const blocks = [heading, tableText];
  if (rest) blocks.push(rest);
  if (p.details) {
    const summaryText =
      severity === 'deny' ? 'Why each one blocks, and how to fix it' : 'Details and how to resolve them';
    blocks.push(details(summaryText, explained));
  }
  return blocks.join('\n\n');
}

function errorSection(d: DecisionDocument, ctx: RenderContext, p: Profile): string | null {
  if (d.errors.length === 0) return null;
  const invalid = d.outcome === 'invalid_input';
  const heading = invalid
    ? `#### ⛔ Record and configuration errors (${formatCount(d.errors.length)})`
    : `#### ⚠️ Problems reading records (${formatCount(d.errors.length)})`;
  const shown = d.errors.slice(0, p.errorRows);
  const rows = shown.map((e) => {
    const loc: Location = { file: e.file };
    if (e.side) loc.side = e.side;
    if (e.line !== undefined) loc.line = e.line;
    if (e.column !== undefined) loc.column = e.column;
    return [
      where(loc, d, ctx, p, false, true),
      e.pointer !== undefined ? mdCode(e.pointer === '' ? '/' : e.pointer, p.cell, { inTable: true }) : '—',
      mdCode(e.code, 80, { inTable: true }) + ' ' + mdRich(e.message, p.cell, { inTable: true }),
      e.hint ? mdRich(e.hint, p.cell, { inTable: true }) : '—'
    ];
  });
  const blocks = [heading];
  if (!invalid) blocks.push('These files were left out of the comparison; they do not block on their own.');
  blocks.push(table(['Where', 'Field', 'Problem', 'Hint'], rows));
  if (d.errors.length > shown.length) {
    blocks.push(
      `… and ${formatCount(d.errors.length - shown.length)} more ${p.decisionWhere ?? 'in the decision file'}.`
    );
  }
  return blocks.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------
// evidence

function thresholdText(m: MetricEvidence): string {
  if (!m.threshold) return '—';
  return mdText(
    `${COMPARATOR[m.threshold.comparator] ?? m.threshold.comparator} ${formatNumber(m.threshold.value)}`,
    80
  );
}

function noiseText(m: MetricEvidence): string {
  if (!m.noise) return m.base === null ? 'no base' : 'no per-case data';
  const [low, high] = m.noise.interval;
  const ci = `${m.noise.method} ${formatPercent(m.noise.confidence)} CI [${formatNumber(low)}, ${formatNumber(high)}]`;
  return mdText(`${m.noise.significant ? '❌ beyond noise' : '✅ within noise'} (${ci})`, 200);
}

function deltaText(m: MetricEvidence): string {
  const delta = formatDelta(m.delta);
  if (m.regression !== null && m.regression > 0) return mdText(`${delta} (${formatPercent(m.regression)} worse)`, 80);
  return mdText(delta, 80);
}

function value(n: number | null): string {
  return n === null ? '—' : mdText(formatNumber(n), 40);
}

function evalRows(evals: EvalEvidence[], p: Profile): { rows: string[][]; total: number } {
  const rows: string[][] = [];
  let total = 0;
  for (const e of evals) {
    let name = mdCode(e.eval, p.cell, { inTable: true }) + (e.required ? ' (required)' : '');
    if (e.metrics.length === 0) {
      total++;
      if (rows.length < p.evidenceRows) rows.push([name, '—', '—', 'no results', '—', '—', VERDICT[e.verdict], '—']);
      continue;
    }
    for (const m of e.metrics) {
      total++;
      if (rows.length >= p.evidenceRows) continue;
      rows.push([
        name,
        mdCode(m.metric, p.cell, { inTable: true }) + (m.aggregate ? ' ' + mdText(`(${m.aggregate})`, 40) : ''),
        value(m.base),
        value(m.head),
        deltaText(m),
        thresholdText(m),
        VERDICT[m.verdict],
        noiseText(m)
      ]);
      // the eval's name once per group of rows
      name = '';
    }
  }
  return { rows, total };
}

function evalsSection(d: DecisionDocument, p: Profile): string | null {
  const evals = d.evidence.evals;
  if (evals.length === 0) return null;
  const { rows, total } = evalRows(evals, p);
  const blocks = [
    '##### Evals: base → head',
    table(['Eval', 'Metric', 'Base', 'Head', 'Δ', 'Threshold', 'Verdict', 'Noise'], rows)
  ];
  const rest = more(rows.length, total, 'metrics', fullReportWhere(p));
  if (rest) blocks.push(rest);
  if (p.details) {
    const lines = evals.slice(0, p.evidenceRows).map(
      (e) =>
        `- ${mdCode(e.eval, p.cell)}: ${VERDICT[e.verdict]}` +
        (e.required_by.length > 0
          ? ` · required by ${e.required_by
              .slice(0, INLINE_ITEMS)
              .map((r) => mdRich(r, p.cell))
              .join('; ')}`
          : ' · not required by any record') +
        ` · cases base ${e.metrics[0]?.cases.base ?? '—'} / head ${e.metrics[0]?.cases.head ?? '—'}`
    );
    blocks.push(details('Why each eval is required', lines.join('\n')));
  }
  return blocks.join('\n\n');
}

const CHANGE_LABEL: Record<ComponentEvidence['change'], string> = {
  added: '➕ added',
  removed: '➖ removed',
  changed: '✏️ changed'
};

function versionText(side: ComponentEvidence['base']): string {
  if (!side) return '—';
  return side.version === null ? 'unversioned' : side.version;
}

function agbomCounts(a: AgbomEvidence): string {
  const risky = a.components.filter((c) => c.risks.length > 0).length;
  return (
    `${formatCount(a.counts.base)} → ${formatCount(a.counts.head)} components: ` +
    `${formatCount(a.counts.added)} added, ${formatCount(a.counts.removed)} removed, ${formatCount(a.counts.changed)} changed, ` +
    `${formatCount(a.counts.unchanged)} unchanged; ${plural(risky, 'high-risk component')}`
  );
}

function agbomSection(d: DecisionDocument, p: Profile): string | null {
  const a = d.evidence.agbom;
  if (!a) return null;
  const files =
    a.base_file === a.head_file
      ? a.head_file
        ? ` (${mdCode(a.head_file, p.cell)})`
        : ''
      : ` (${a.base_file ? mdCode(a.base_file, p.cell) : 'none'} → ${a.head_file ? mdCode(a.head_file, p.cell) : 'none'})`;
  const blocks = [`##### AgBOM: ${agbomCounts(a)}${files}`];
  const components = [...a.components].sort(componentOrder);
  if (components.length === 0) return blocks[0]!;
  const shown = components.slice(0, p.evidenceRows);
  const rows = shown.map((c) => [
    mdCode(c.name, p.cell, { inTable: true }) +
      (c.key !== c.name && p.medium === 'summary' ? ' ' + mdCode(c.key, p.cell, { inTable: true }) : ''),
    mdText(c.agent_kind, 40),
    CHANGE_LABEL[c.change],
    mdCode(versionText(c.base), p.cell, { inTable: true }) +
      ' → ' +
      mdCode(versionText(c.head), p.cell, { inTable: true }),
    c.risks.length > 0
      ? '⚠️ ' +
        c.risks
          .slice(0, INLINE_ITEMS)
          .map((r) => mdRich(r, p.cell, { inTable: true }))
          .join('; ')
      : '—'
  ]);
  blocks.push(table(['Component', 'Kind', 'Change', 'Version base → head', 'Risk'], rows));
  const rest = more(shown.length, components.length, 'components', fullReportWhere(p));
  if (rest) blocks.push(rest);
  const changed = shown.filter((c) => c.differences.length > 0);
  if (p.details && changed.length > 0) {
    const lines = changed.map(
      (c) =>
        `- ${mdCode(c.key, p.cell)}: ` +
        c.differences
          .slice(0, INLINE_ITEMS)
          .map(
            (diff) =>
              `${mdCode(diff.field, p.cell)} ${mdCode(formatJson(diff.base), p.cell)} → ${mdCode(formatJson(diff.head), p.cell)}`
          )
          .join('; ') +
        (c.differences.length > INLINE_ITEMS ? `; +${formatCount(c.differences.length - INLINE_ITEMS)} more` : '')
    );
    blocks.push(details('What changed in each component', lines.join('\n')));
  }
  return blocks.join('\n\n');
}

function driftRatio(drift: number | null, limit: number): string {
  if (drift === null) return '—';
  return `${drift > limit ? '❌' : '✅'} ${formatPercent(drift)} (limit ${formatPercent(limit)})`;
}

function missingEvidence(r: RunDriftEvidence): string {
  const parts: string[] = [];
  if (r.missing_capability_tokens.length > 0)
    parts.push(plural(r.missing_capability_tokens.length, 'capability token'));
  if (r.missing_manifests.length > 0) parts.push(plural(r.missing_manifests.length, 'C2PA manifest'));
  if (r.manifest_mismatches.length > 0)
    parts.push(plural(r.manifest_mismatches.length, 'manifest mismatch', 'manifest mismatches'));
  return parts.length === 0 ? '—' : '❌ ' + parts.join(', ');
}

function driftSection(d: DecisionDocument, p: Profile): string | null {
  const runs = d.evidence.drift;
  if (runs.length === 0) return null;
  const failing = runs.filter((r) => !r.pass).length;
  const heading = `##### Replay drift: ${plural(runs.length, 'run')}, ${formatCount(failing)} failing`;
  const shown = runs.slice(0, p.evidenceRows);
  const rows = shown.map((r) => [
    mdCode(r.run_id, p.cell, { inTable: true }),
    mdText(`${formatCount(r.tokens.live)} → ${formatCount(r.tokens.replay)}`, 80),
    mdText(driftRatio(r.tokens.drift, r.tokens.limit), 80),
    mdText(`${formatUsd(r.cost.live)} → ${formatUsd(r.cost.replay)}`, 80),
    mdText(driftRatio(r.cost.drift, r.cost.limit), 80),
    r.verdict_mismatches.length > 0 ? `❌ ${formatCount(r.verdict_mismatches.length)}` : '—',
    missingEvidence(r),
    r.pass ? '✅ pass' : '❌ fail'
  ]);
  const blocks = [
    heading,
    table(
      [
        'Run',
        'Tokens live → replay',
        'Token drift',
        'Cost live → replay',
        'Cost drift',
        'Verdict mismatches',
        'Missing evidence',
        'Result'
      ],
      rows
    )
  ];
  const rest = more(shown.length, runs.length, 'runs', fullReportWhere(p));
  if (rest) blocks.push(rest);
  const failingShown = shown.filter((r) => !r.pass);
  if (p.details && failingShown.length > 0) {
    const lines: string[] = [];
    for (const r of failingShown) {
      const steps: string[] = [];
      for (const m of r.verdict_mismatches.slice(0, p.evidenceRows)) {
        steps.push(
          `  - step ${mdCode(m.step_id, p.cell)}: policy verdict live ${mdCode(m.live, p.cell)} → replay ${mdCode(m.replay, p.cell)}`
        );
      }
      for (const s of r.missing_capability_tokens.slice(0, p.evidenceRows))
        steps.push(`  - step ${mdCode(s, p.cell)}: no capability token`);
      for (const s of r.missing_manifests.slice(0, p.evidenceRows))
        steps.push(`  - step ${mdCode(s, p.cell)}: no C2PA manifest`);
      for (const m of r.manifest_mismatches.slice(0, p.evidenceRows)) {
        steps.push(
          `  - step ${mdCode(m.step_id, p.cell)}: manifest ${mdCode(m.path, p.cell)} sha256 ${mdCode(shortSha(m.actual ?? 'missing'), 80)}, expected ${mdCode(shortSha(m.expected), 80)}`
        );
      }
      if (r.tokens.drift !== null && r.tokens.drift > r.tokens.limit)
        steps.push(`  - tokens drifted ${formatPercent(r.tokens.drift)} (limit ${formatPercent(r.tokens.limit)})`);
      if (r.cost.drift !== null && r.cost.drift > r.cost.limit)
        steps.push(`  - cost drifted ${formatPercent(r.cost.drift)} (limit ${formatPercent(r.cost.limit)})`);
      lines.push(`- ${mdCode(r.run_id, p.cell)} (${mdText(r.file, p.cell)})`, ...steps);
    }
    blocks.push(details('Which steps drifted', lines.join('\n')));
  }
  return blocks.join('\n\n');
}

function approverCell(r: RoleEvidence, p: Profile): string {
  const parts: string[] = [];
  if (r.eligible.length > 0) parts.push(inlineList(r.eligible, p));
  if (r.unresolved_teams.length > 0)
    parts.push('members of ' + inlineList(r.unresolved_teams, p) + ' (membership unreadable)');
  return parts.length === 0 ? (r.satisfied ? '—' : '⚠️ nobody') : parts.join('; ');
}

function approvalsSection(d: DecisionDocument, p: Profile): string | null {
  const roles = d.evidence.approvals;
  if (roles.length === 0) return null;
  const satisfied = roles.filter((r) => r.satisfied).length;
  const shown = roles.slice(0, p.evidenceRows);
  const rows = shown.map((r) => [
    mdCode(r.role, p.cell, { inTable: true }),
    r.satisfied ? '✅ approved' : '🟡 waiting',
    inlineList(r.approved_by, p),
    r.satisfied ? '—' : approverCell(r, p),
    r.required_by.length === 0
      ? '—'
      : r.required_by
          .slice(0, INLINE_ITEMS)
          .map((x) => mdRich(x, p.cell, { inTable: true }))
          .join('; ')
  ]);
  const blocks = [
    `##### Approvals: ${formatCount(satisfied)} of ${plural(roles.length, 'role')} satisfied`,
    table(['Role', 'Status', 'Approved by', 'Can still approve', 'Required by'], rows)
  ];
  const rest = more(shown.length, roles.length, 'roles', fullReportWhere(p));
  if (rest) blocks.push(rest);
  return blocks.join('\n\n');
}

function chainSection(d: DecisionDocument, p: Profile): string | null {
  const chains = d.evidence.chain;
  if (chains.length === 0) return null;
  const part = (v: string | null) => (v === null ? '⚠️ *missing*' : mdCode(v, p.cell));
  const lines = chains
    .slice(0, p.evidenceRows)
    .map(
      (c) =>
        `- ${part(c.change_id)} → ${part(c.bundle_id)} → ${part(c.rollout_wave)}` +
        ` · review ${part(c.review_id)} · gate ${part(c.gate_id)} · decision ${part(c.decision)}`
    );
  const rest = more(lines.length, chains.length, 'changes', fullReportWhere(p));
  return ['##### Change → bundle → rollout wave', lines.join('\n'), ...(rest ? [rest] : [])].join('\n\n');
}

function rolloutSection(d: DecisionDocument, p: Profile): string | null {
  const r = d.evidence.rollout;
  if (!r) return null;
  const list = (values: string[]) => (values.length === 0 ? 'none' : inlineList(values, p, false));
  const evidenced = r.required_checks.filter((c) => c.evidenced).length;
  const lines = [
    `- Missing required evidence: ${r.missing_required.length > 0 ? '❌ ' : '✅ '}${list(r.missing_required)}`,
    `- Blocking signals: ${r.blocking_signals.length > 0 ? '❌ ' : '✅ '}${list(r.blocking_signals)}`,
    `- Required checks evidenced: ${formatCount(evidenced)} of ${formatCount(r.required_checks.length)}`
  ];
  if (r.rollout_mode) {
    const entries = Object.keys(r.rollout_mode)
      .sort(cmp)
      .map((k) => `${k}: ${formatJson(r.rollout_mode![k]!)}`);
    lines.push(`- Rollout mode: ${inlineList(entries, p, false)}`);
  }
  const blocks = ['##### Rollout readiness', lines.join('\n')];
  if (p.details && r.required_checks.length > 0) {
    const rows = r.required_checks
      .slice(0, p.evidenceRows)
      .map((c) => [
        mdCode(c.check, p.cell, { inTable: true }),
        c.evidenced ? '✅ yes' : '❌ no',
        c.source ? mdRich(c.source, p.cell, { inTable: true }) : '—'
      ]);
    blocks.push(details('Required checks and their evidence', table(['Check', 'Evidenced', 'Source'], rows)));
  }
  return blocks.join('\n\n');
}

function surfacesSection(d: DecisionDocument, p: Profile): string | null {
  const surfaces = d.evidence.review.surfaces;
  if (surfaces.length === 0) return null;
  const shown = surfaces.slice(0, p.evidenceRows);
  const rows = shown.map((s) => [
    mdCode(s.surface, p.cell, { inTable: true }),
    inlineList(s.files, p),
    s.covered_by.length > 0 ? '✅ ' + inlineList(s.covered_by, p) : '❌ not covered by a change review record'
  ]);
  const blocks = ['##### Changed surfaces', table(['Surface', 'Changed files', 'Covered by'], rows)];
  const rest = more(shown.length, surfaces.length, 'surfaces', fullReportWhere(p));
  if (rest) blocks.push(rest);
  return blocks.join('\n\n');
}

function signalsSection(d: DecisionDocument, p: Profile): string | null {
  const signals = d.evidence.signals;
  if (signals.length === 0 || p.medium !== 'summary') return null;
  const shown = signals.slice(0, p.evidenceRows);
  const rows = shown.map((s) => [
    mdCode(s.name, p.cell, { inTable: true }),
    s.value === null ? '⚠️ unknown' : s.value ? '✅ true' : '❌ false',
    mdRich(s.source, p.cell, { inTable: true })
  ]);
  const blocks = ['##### Signals', table(['Signal', 'Value', 'Source'], rows)];
  const rest = more(shown.length, signals.length, 'signals', fullReportWhere(p));
  if (rest) blocks.push(rest);
  return blocks.join('\n\n');
}

/** One line per evidence family: what the tables would show, in counts. */
function evidenceCounts(d: DecisionDocument): string | null {
  const e = d.evidence;
  const lines: string[] = [];
  if (e.evals.length > 0) {
    const metrics = e.evals.flatMap((x) => x.metrics);
    const failing = metrics.filter((m) => m.verdict === 'fail').length;
    const missing = e.evals.filter((x) => x.verdict === 'missing').length;
    lines.push(
      `- Evals: ${plural(metrics.length, 'metric')} in ${plural(e.evals.length, 'eval')}; ${formatCount(failing)} failing, ${formatCount(missing)} without results`
    );
  }
  if (e.agbom) lines.push(`- AgBOM: ${agbomCounts(e.agbom)}`);
  if (e.drift.length > 0)
    lines.push(
      `- Replay drift: ${plural(e.drift.length, 'run')}, ${formatCount(e.drift.filter((r) => !r.pass).length)} failing`
    );
  if (e.approvals.length > 0) {
    lines.push(
      `- Approvals: ${formatCount(e.approvals.filter((r) => r.satisfied).length)} of ${plural(e.approvals.length, 'role')} satisfied`
    );
  }
  if (e.chain.length > 0) lines.push(`- Change chains: ${formatCount(e.chain.length)}`);
  if (e.rollout) {
    lines.push(
      `- Rollout: ${formatCount(e.rollout.missing_required.length)} missing required, ${plural(e.rollout.blocking_signals.length, 'blocking signal')}`
    );
  }
  if (e.review.surfaces.length > 0) {
    const uncovered = e.review.surfaces.filter((s) => s.covered_by.length === 0).length;
    lines.push(`- Changed surfaces: ${formatCount(e.review.surfaces.length)}, ${formatCount(uncovered)} not covered`);
  }
  return lines.length === 0 ? null : lines.join('\n');
}

function evidenceSection(d: DecisionDocument, p: Profile): string | null {
  if (d.outcome !== 'evaluated') return null;
  if (p.evidence === 'counts') {
    const counts = evidenceCounts(d);
    return counts ? `#### Evidence: base → head\n\n${counts}\n\nThe evidence tables are ${fullReportWhere(p)}.` : null;
  }
  const parts = [
    evalsSection(d, p),
    agbomSection(d, p),
    driftSection(d, p),
    approvalsSection(d, p),
    chainSection(d, p),
    rolloutSection(d, p),
    surfacesSection(d, p),
    signalsSection(d, p)
  ].filter((x): x is string => x !== null);
  return parts.length === 0 ? null : ['#### Evidence: base → head', ...parts].join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------
// summary-only sections

function familiesSection(d: DecisionDocument): string | null {
  if (d.outcome !== 'evaluated') return null;
  const status: Record<string, string> = {
    pass: '✅ pass',
    follow_up: '🟡 follow_up',
    deny: '⛔ deny',
    skipped: '➖ skipped'
  };
  const rows = FAMILIES.map((f: Family) => {
    const s = d.families[f];
    return [
      f,
      status[s.status] ?? s.status,
      formatCount(s.findings),
      formatCount(s.deny),
      formatCount(s.follow_up),
      formatCount(s.warning)
    ];
  });
  return ['#### Rule families', table(['Family', 'Status', 'Findings', 'Deny', 'Follow-up', 'Warning'], rows)].join(
    '\n\n'
  );
}

function inputsSection(d: DecisionDocument, ctx: RenderContext, p: Profile): string | null {
  if (d.inputs.length === 0 && !d.config.file) return null;
  const config = d.config.file
    ? `Configuration: ${mdCode(d.config.file, p.cell)} from the ${d.config.side} side` +
      (d.config.sha256 ? ` (sha256 ${mdCode(d.config.sha256, 80)})` : '')
    : 'Configuration: built-in defaults (no configuration file)';
  const commits = ctx.compared
    ? `Compared: base ${mdCode(ctx.compared.base, p.cell)} → head ${mdCode(ctx.compared.head, p.cell)}`
    : `Commits: base ${d.commits.base ? mdCode(shortSha(d.commits.base), 80) : 'none'} → head ${d.commits.head ? mdCode(shortSha(d.commits.head), 80) : 'working tree'}`;
  const blocks = ['#### Inputs', `${config}\n\n${commits}`];
  if (p.details && d.inputs.length > 0) {
    const shown = d.inputs.slice(0, p.evidenceRows);
    const rows = shown.map((i) => [
      mdCode(i.path, p.cell, { inTable: true }),
      i.side,
      mdText(i.kind, 40),
      formatCount(i.bytes),
      mdCode(i.sha256.slice(0, 12), 20, { inTable: true })
    ]);
    let body = table(['File', 'Side', 'Kind', 'Bytes', 'sha256'], rows);
    const rest = more(shown.length, d.inputs.length, 'files', p.decisionWhere ?? 'in the decision file');
    if (rest) body += '\n\n' + rest;
    blocks.push(details(`${plural(d.inputs.length, 'file')} read`, body));
  }
  return blocks.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------

export interface RenderedReport {
  /** everything before the footer */
  body: string;
  footer: string;
}

/** The report for one profile. The caller adds the marker (comment) and checks the size. */
export function renderReport(d: DecisionDocument, ctx: RenderContext, profile: Profile): RenderedReport {
  const p: Profile = ctx.decisionWhere === undefined ? profile : { ...profile, decisionWhere: ctx.decisionWhere };
  const blocks: (string | null)[] = [headline(d, p)];
  if (p.stage > 0) {
    blocks.push(
      p.medium === 'comment'
        ? '> ℹ️ Shortened to fit GitHub’s comment size limit. Everything is in the full report linked below.'
        : `> ℹ️ Shortened to fit the job summary size limit. Everything is ${p.decisionWhere ?? 'in the decision file'}.`
    );
  }
  blocks.push(intro(d, p));
  if (d.outcome === 'invalid_input') blocks.push(errorSection(d, ctx, p));
  if (d.outcome !== 'internal_error') {
    blocks.push(findingSection('deny', d.findings, d, ctx, p));
    blocks.push(findingSection('follow_up', d.findings, d, ctx, p));
    blocks.push(findingSection('warning', d.findings, d, ctx, p));
  }
  if (d.outcome === 'evaluated' && d.decision === 'allow' && d.findings.length === 0) {
    blocks.push('Every rule family passed: no blocking findings, no follow-ups, no warnings.');
  }
  if (d.outcome === 'evaluated') blocks.push(errorSection(d, ctx, p));
  blocks.push(evidenceSection(d, p));
  if (p.medium === 'summary') {
    blocks.push(familiesSection(d));
    blocks.push(inputsSection(d, ctx, p));
  }
  return { body: blocks.filter((b): b is string => b !== null).join('\n\n'), footer: footer(d, ctx, p) };
}
