/**
 * The decision as terminal text, for the CLI and the action's log. Colour (ANSI) only when asked for; record
 * text always has its own escapes stripped and can never start a workflow command (see logText).
 */
import type { DecisionDocument } from '../model/decision.js';
import type { EvalEvidence, RunDriftEvidence } from '../model/evidence.js';
import type { Finding, Severity } from '../model/finding.js';
import type { Location } from '../model/location.js';
import type { RenderContext } from './context.js';
import { logText } from './escape.js';
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

/** Items per evidence list before "… and N more". Findings and errors are listed up to their own caps. */
const EVIDENCE_ITEMS = 50;
const MAX_FINDINGS = 2000;
const MAX_ERRORS = 1000;

type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan';
const SGR: Record<Style, string> = { bold: '1', dim: '2', red: '31', yellow: '33', green: '32', cyan: '36' };

interface Out {
  lines: string[];
  paint(text: string, ...styles: Style[]): string;
  /** where what is not shown can be read, e.g. "in the decision file" */
  rest: string;
}

function createOut(color: boolean, rest = 'in the decision file'): Out {
  return {
    lines: [],
    rest,
    paint(text, ...styles) {
      if (!color || styles.length === 0) return text;
      return `\u001B[${styles.map((s) => SGR[s]).join(';')}m${text}\u001B[0m`;
    }
  };
}

/** Record text for the terminal. */
const t = (value: string, max = 500) => logText(value, max);

/**
 * Text the engine wrote with `code` spans around names (a finding's title, message, fix and requirement; see
 * mdRich): the backticks are Markdown, so the terminal shows the names without them. They go before logText
 * runs, so that dropping one cannot join two halves of a workflow command.
 */
const rich = (value: string, max = 500) => t(value.replace(/`([^`\n]+)`/g, '$1'), max);

const MARK: Record<Severity, { symbol: string; style: Style; heading: string }> = {
  deny: { symbol: '✖', style: 'red', heading: 'Blocking findings' },
  follow_up: { symbol: '●', style: 'yellow', heading: 'Follow-ups' },
  warning: { symbol: '○', style: 'cyan', heading: 'Warnings' }
};

function locationText(location: Location): string {
  const position =
    location.line !== undefined
      ? `:${location.line}` + (location.column !== undefined ? `:${location.column}` : '')
      : '';
  const side = location.side === 'base' ? ' (base)' : '';
  const pointer = location.pointer ? ` ${t(location.pointer, 200)}` : '';
  return `${t(location.file, 300)}${position}${side}${pointer}`;
}

function headline(d: DecisionDocument, out: Out): string {
  const counts = `${plural(d.counts.deny, 'blocking', 'blocking')}, ${plural(d.counts.follow_up, 'follow-up')}, ${plural(d.counts.warning, 'warning')}`;
  if (d.outcome === 'internal_error')
    return out.paint('⛔ GATE FAILED', 'bold', 'red') + ' — no result, so this change may not merge';
  if (d.outcome === 'invalid_input') {
    const files = new Set(d.errors.map((e) => e.file)).size;
    return (
      out.paint('⛔ INVALID RECORDS', 'bold', 'red') +
      ` — this change may not merge (${plural(d.errors.length, 'error')} in ${plural(files, 'file')})`
    );
  }
  switch (d.decision) {
    case 'allow':
      return out.paint('✅ ALLOW', 'bold', 'green') + ` — this change may merge (${counts})`;
    case 'follow_up':
      return (
        out.paint('🟡 FOLLOW_UP', 'bold', 'yellow') +
        ` — this change needs a person's action before it may merge (${counts})`
      );
    case 'deny':
      return out.paint('⛔ DENY', 'bold', 'red') + ` — this change may not merge (${counts})`;
  }
}

function findings(d: DecisionDocument, severity: Severity, out: Out): void {
  const list = d.findings.filter((f) => f.severity === severity);
  if (list.length === 0) return;
  const mark = MARK[severity];
  out.lines.push('', out.paint(`${mark.heading} (${formatCount(list.length)})`, 'bold'));
  for (const f of list.slice(0, MAX_FINDINGS)) finding(f, mark, out);
  if (list.length > MAX_FINDINGS) out.lines.push(`  … and ${formatCount(list.length - MAX_FINDINGS)} more ${out.rest}`);
}

function finding(f: Finding, mark: (typeof MARK)[Severity], out: Out): void {
  const subject = f.subject ? out.paint(` · ${t(f.subject, 200)}`, 'dim') : '';
  out.lines.push(
    `  ${out.paint(mark.symbol, mark.style)} ${out.paint(t(f.rule, 80), 'bold')}  ${rich(f.title, 300)}${subject}`
  );
  out.lines.push(`    ${rich(f.message, 2000)}`);
  if (f.observed !== undefined || f.required !== undefined) {
    const observed = f.observed === undefined ? '—' : t(formatJson(f.observed), 300);
    const required =
      f.required === undefined
        ? '—'
        : typeof f.required === 'string'
          ? rich(f.required, 300)
          : t(formatJson(f.required), 300);
    out.lines.push(`    observed ${observed}, required ${required}`);
  }
  if (f.location) out.lines.push(`    ${out.paint('at', 'dim')} ${locationText(f.location)}`);
  out.lines.push(`    ${out.paint('fix:', 'dim')} ${rich(f.fix, 2000)}`);
}

function errors(d: DecisionDocument, out: Out): void {
  if (d.errors.length === 0) return;
  const heading =
    d.outcome === 'invalid_input'
      ? 'Record and configuration errors'
      : 'Problems reading records (left out of the comparison)';
  out.lines.push('', out.paint(`${heading} (${formatCount(d.errors.length)})`, 'bold'));
  for (const e of d.errors.slice(0, MAX_ERRORS)) {
    const loc: Location = { file: e.file };
    if (e.side) loc.side = e.side;
    if (e.line !== undefined) loc.line = e.line;
    if (e.column !== undefined) loc.column = e.column;
    if (e.pointer !== undefined) loc.pointer = e.pointer;
    out.lines.push(`  ${out.paint('✖', 'red')} ${locationText(loc)}  ${out.paint(t(e.code, 80), 'dim')}`);
    out.lines.push(`    ${t(e.message, 2000)}`);
    if (e.hint) out.lines.push(`    ${out.paint('hint:', 'dim')} ${t(e.hint, 1000)}`);
  }
  if (d.errors.length > MAX_ERRORS)
    out.lines.push(`  … and ${formatCount(d.errors.length - MAX_ERRORS)} more ${out.rest}`);
}

function more(total: number, out: Out): void {
  if (total > EVIDENCE_ITEMS) out.lines.push(`    … and ${formatCount(total - EVIDENCE_ITEMS)} more ${out.rest}`);
}

const VERDICT_STYLE: Record<string, Style> = { pass: 'green', fail: 'red', missing: 'yellow', not_gated: 'dim' };

function evals(list: EvalEvidence[], out: Out): void {
  if (list.length === 0) return;
  out.lines.push(`  ${out.paint('Evals', 'bold')} (base → head)`);
  let shown = 0;
  let total = 0;
  for (const e of list) {
    const name = t(e.eval, 200) + (e.required ? ' (required)' : '');
    if (e.metrics.length === 0) {
      total++;
      if (shown++ < EVIDENCE_ITEMS)
        out.lines.push(`    ${name}  no results  ${out.paint(e.verdict, VERDICT_STYLE[e.verdict]!)}`);
      continue;
    }
    for (const m of e.metrics) {
      total++;
      if (shown++ >= EVIDENCE_ITEMS) continue;
      const values = `${m.base === null ? '—' : formatNumber(m.base)} → ${m.head === null ? '—' : formatNumber(m.head)}`;
      const delta =
        `Δ ${formatDelta(m.delta)}` +
        (m.regression !== null && m.regression > 0 ? ` (${formatPercent(m.regression)} worse)` : '');
      const threshold = m.threshold
        ? `threshold ${m.threshold.comparator} ${formatNumber(m.threshold.value)}`
        : 'no threshold';
      const noise = m.noise
        ? `${m.noise.significant ? 'beyond noise' : 'within noise'} (${m.noise.method} ${formatPercent(m.noise.confidence)} CI [${formatNumber(m.noise.interval[0])}, ${formatNumber(m.noise.interval[1])}])`
        : 'no noise test';
      out.lines.push(
        `    ${name}  ${t(m.metric, 200)} (${t(m.aggregate, 40)})  ${values}  ${delta}  ${threshold}  ` +
          `${out.paint(m.verdict, VERDICT_STYLE[m.verdict]!)}  ${noise}`
      );
    }
  }
  more(total, out);
}

function drift(runs: RunDriftEvidence[], out: Out): void {
  if (runs.length === 0) return;
  out.lines.push(
    `  ${out.paint('Replay drift', 'bold')} (${plural(runs.length, 'run')}, ${formatCount(runs.filter((r) => !r.pass).length)} failing)`
  );
  for (const r of runs.slice(0, EVIDENCE_ITEMS)) {
    const ratio = (drift: number | null, limit: number) =>
      drift === null ? '—' : `${formatPercent(drift)}, limit ${formatPercent(limit)}`;
    out.lines.push(
      `    ${t(r.run_id, 200)}  tokens ${formatCount(r.tokens.live)} → ${formatCount(r.tokens.replay)} (${ratio(r.tokens.drift, r.tokens.limit)})` +
        `  cost ${formatUsd(r.cost.live)} → ${formatUsd(r.cost.replay)} (${ratio(r.cost.drift, r.cost.limit)})  ` +
        out.paint(r.pass ? 'pass' : 'fail', r.pass ? 'green' : 'red')
    );
    for (const m of r.verdict_mismatches.slice(0, EVIDENCE_ITEMS)) {
      out.lines.push(
        `      step ${t(m.step_id, 200)}: policy verdict live ${t(m.live, 100)} → replay ${t(m.replay, 100)}`
      );
    }
    for (const s of r.missing_capability_tokens.slice(0, EVIDENCE_ITEMS))
      out.lines.push(`      step ${t(s, 200)}: no capability token`);
    for (const s of r.missing_manifests.slice(0, EVIDENCE_ITEMS))
      out.lines.push(`      step ${t(s, 200)}: no C2PA manifest`);
    for (const m of r.manifest_mismatches.slice(0, EVIDENCE_ITEMS)) {
      out.lines.push(
        `      step ${t(m.step_id, 200)}: manifest ${t(m.path, 300)} sha256 ${t(shortSha(m.actual ?? 'missing'), 80)}, expected ${t(shortSha(m.expected), 80)}`
      );
    }
  }
  more(runs.length, out);
}

function evidence(d: DecisionDocument, out: Out): void {
  const e = d.evidence;
  const start = out.lines.length;
  out.lines.push('', out.paint('Evidence', 'bold'));
  const before = out.lines.length;
  evals(e.evals, out);
  if (e.agbom) {
    const a = e.agbom;
    out.lines.push(
      `  ${out.paint('AgBOM', 'bold')} ${formatCount(a.counts.base)} → ${formatCount(a.counts.head)} components: ` +
        `${formatCount(a.counts.added)} added, ${formatCount(a.counts.removed)} removed, ${formatCount(a.counts.changed)} changed, ${formatCount(a.counts.unchanged)} unchanged`
    );
    const sign = { added: '+', removed: '-', changed: '~' } as const;
    const components = [...a.components].sort(componentOrder);
    for (const c of components.slice(0, EVIDENCE_ITEMS)) {
      const version = (side: typeof c.base) =>
        side ? (side.version === null ? 'unversioned' : t(side.version, 100)) : '—';
      const risk =
        c.risks.length > 0 ? '  ' + out.paint('⚠ ' + c.risks.map((r) => t(r, 300)).join('; '), 'yellow') : '';
      out.lines.push(
        `    ${sign[c.change]} ${t(c.name, 200)} (${t(c.agent_kind, 40)})  ${version(c.base)} → ${version(c.head)}${risk}`
      );
    }
    more(components.length, out);
  }
  drift(e.drift, out);
  if (e.approvals.length > 0) {
    out.lines.push(`  ${out.paint('Approvals', 'bold')}`);
    for (const r of e.approvals.slice(0, EVIDENCE_ITEMS)) {
      const list = (xs: string[]) =>
        xs.length === 0
          ? '—'
          : xs
              .slice(0, 10)
              .map((x) => t(x, 100))
              .join(', ') + (xs.length > 10 ? ` +${xs.length - 10} more` : '');
      const status = r.satisfied ? out.paint('approved', 'green') : out.paint('waiting', 'yellow');
      const still = r.satisfied
        ? ''
        : `  can approve: ${list(r.eligible)}` +
          (r.unresolved_teams.length > 0 ? ` (unreadable teams: ${list(r.unresolved_teams)})` : '');
      out.lines.push(`    ${t(r.role, 100)}  ${status}  approved by: ${list(r.approved_by)}${still}`);
    }
    more(e.approvals.length, out);
  }
  if (e.chain.length > 0) {
    out.lines.push(`  ${out.paint('Change → bundle → rollout wave', 'bold')}`);
    const part = (v: string | null) => (v === null ? out.paint('missing', 'yellow') : t(v, 200));
    for (const c of e.chain.slice(0, EVIDENCE_ITEMS)) {
      out.lines.push(
        `    ${part(c.change_id)} → ${part(c.bundle_id)} → ${part(c.rollout_wave)}  (review ${part(c.review_id)}, gate ${part(c.gate_id)}, decision ${part(c.decision)})`
      );
    }
    more(e.chain.length, out);
  }
  if (e.rollout) {
    const list = (xs: string[]) =>
      xs.length === 0
        ? 'none'
        : xs
            .slice(0, EVIDENCE_ITEMS)
            .map((x) => t(x, 100))
            .join(', ');
    out.lines.push(
      `  ${out.paint('Rollout', 'bold')} missing required: ${list(e.rollout.missing_required)}; blocking signals: ${list(e.rollout.blocking_signals)}`
    );
  }
  const uncovered = e.review.surfaces.filter((s) => s.covered_by.length === 0);
  if (e.review.surfaces.length > 0) {
    out.lines.push(
      `  ${out.paint('Changed surfaces', 'bold')} ${formatCount(e.review.surfaces.length)}, ${formatCount(uncovered.length)} not covered by a review record`
    );
    for (const s of e.review.surfaces.slice(0, EVIDENCE_ITEMS)) {
      const cover =
        s.covered_by.length > 0
          ? `covered by ${s.covered_by.map((c) => t(c, 100)).join(', ')}`
          : out.paint('not covered', 'red');
      out.lines.push(`    ${t(s.surface, 100)}  ${plural(s.files.length, 'file')}  ${cover}`);
    }
    more(e.review.surfaces.length, out);
  }
  if (out.lines.length === before) out.lines.length = start;
}

export function renderTerminal(decision: DecisionDocument, opts: { color: boolean; ctx?: RenderContext }): string {
  const d = decision;
  const out = createOut(opts.color, opts.ctx?.decisionWhere);
  out.lines.push(headline(d, out));
  const head = opts.ctx?.headSha ?? d.commits.head;
  const compared = opts.ctx?.compared;
  const facts = [
    `gate ${t(d.gate_key, 80)}`,
    `head ${compared ? t(compared.head, 300) : head ? t(shortSha(head), 80) : 'working tree'}`,
    `base ${compared ? t(compared.base, 300) : d.commits.base ? t(shortSha(d.commits.base), 80) : 'none'}`,
    d.config.file ? `config ${t(d.config.file, 200)} (${d.config.side})` : 'config: defaults'
  ];
  out.lines.push(out.paint(facts.join(' · '), 'dim'));
  if (d.outcome === 'internal_error') {
    out.lines.push('', `The gate could not finish: ${d.failure ? t(d.failure, 2000) : 'no details were recorded'}.`);
    out.lines.push('This is a fault in the gate, not a judgement of the change; the check fails closed.');
  } else {
    if (d.outcome === 'invalid_input') errors(d, out);
    findings(d, 'deny', out);
    findings(d, 'follow_up', out);
    findings(d, 'warning', out);
    if (d.outcome === 'evaluated') {
      errors(d, out);
      evidence(d, out);
    }
  }
  const footer: string[] = [];
  if (opts.ctx?.decisionDigest) footer.push(`decision sha256 ${t(opts.ctx.decisionDigest, 80)}`);
  if (opts.ctx?.runUrl) footer.push(`run ${t(opts.ctx.runUrl, 500)}`);
  footer.push(`${t(d.tool.name, 60)} ${t(d.tool.version, 40)}`);
  out.lines.push('', out.paint(footer.join(' · '), 'dim'));
  return out.lines.join('\n') + '\n';
}
