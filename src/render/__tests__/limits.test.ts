import { describe, expect, test } from '@jest/globals';
import type { DecisionDocument } from '../../model/decision.js';
import type { ComponentEvidence, RoleEvidence, RunDriftEvidence } from '../../model/evidence.js';
import type { Finding, Severity } from '../../model/finding.js';
import type { RecordIssue } from '../../model/issue.js';
import { FAMILIES } from '../../model/finding.js';
import { LIMITS } from '../../settings/defaults.js';
import { COMMENT_STAGES, renderComment } from '../comment.js';
import { utf8Length } from '../fit.js';
import { renderReport } from '../markdown.js';
import { renderSummary, SUMMARY_STAGES } from '../summary.js';
import { renderTerminal } from '../terminal.js';
import { assertInertMarkdown, context, htmlTables, loadDecision, toHtml } from './helpers.js';

const LINKS = ['https://github.com/acme/support-bot/'];

/** Text in several scripts, so character and byte limits differ: 1 to 4 UTF-8 bytes per code point. */
function multibyte(i: number, length: number): string {
  const pieces = [
    'Überprüfung fehlgeschlagen',
    '评估未通过阈值',
    'しきい値を下回りました',
    '😀🚀🔥',
    'ñandú @team #42 <b>|</b>'
  ];
  let out = `#${i} `;
  while (out.length < length) out += pieces[(i + out.length) % pieces.length] + ' ';
  return out.slice(0, length);
}

function finding(i: number, severity: Severity, textLength: number): Finding {
  const family = FAMILIES[i % FAMILIES.length]!;
  return {
    rule: `${family}.generated-${i % 17}`,
    family,
    severity,
    title: `Generated finding ${i}: ${multibyte(i, 60)}`,
    message: `Observed ${i}, required ${i + 1}. ${multibyte(i, textLength)}`,
    observed: i,
    required: { at_least: i + 1, note: multibyte(i + 1, 40) },
    location: {
      file: `records/generated/record-${String(i).padStart(5, '0')}.yaml`,
      side: 'head',
      line: (i % 900) + 1,
      column: 3,
      pointer: `/items/${i}`
    },
    fix: `Fix item ${i}. ${multibyte(i + 2, textLength)}`,
    subject: `subject-${i}`
  };
}

function huge(opts: {
  deny: number;
  followUp: number;
  warning: number;
  components: number;
  runs: number;
  roles: number;
  textLength: number;
}): DecisionDocument {
  const base = loadDecision('deny');
  const findings: Finding[] = [];
  let i = 0;
  for (let n = 0; n < opts.deny; n++) findings.push(finding(i++, 'deny', opts.textLength));
  for (let n = 0; n < opts.followUp; n++) findings.push(finding(i++, 'follow_up', opts.textLength));
  for (let n = 0; n < opts.warning; n++) findings.push(finding(i++, 'warning', opts.textLength));
  const components: ComponentEvidence[] = [];
  for (let n = 0; n < opts.components; n++) {
    components.push({
      key: `mcp:server-${n}`,
      name: `server-${n}-${multibyte(n, 30)}`,
      agent_kind: 'mcp_server',
      change: n % 3 === 0 ? 'added' : n % 3 === 1 ? 'changed' : 'removed',
      base: n % 3 === 0 ? null : { version: `1.${n}.0`, hashes: {} },
      head: n % 3 === 2 ? null : { version: `1.${n}.1`, hashes: {} },
      differences: n % 3 === 1 ? [{ field: 'version', base: `1.${n}.0`, head: `1.${n}.1` }] : [],
      risks: n % 2 === 0 ? [multibyte(n, opts.textLength)] : []
    });
  }
  const runs: RunDriftEvidence[] = [];
  for (let n = 0; n < opts.runs; n++) {
    runs.push({
      run_id: `run-${n}`,
      file: 'records/receipts/replays.json',
      tokens: { live: 1000 + n, replay: 1100 + n, drift: 0.1, limit: 0.01 },
      cost: { live: 1, replay: 1.2, drift: 0.2, limit: 0.005 },
      verdict_mismatches: [{ step_id: `s${n}`, live: 'allow', replay: 'deny' }],
      missing_capability_tokens: [`s${n}`],
      missing_manifests: [],
      manifest_mismatches: [],
      pass: false
    });
  }
  const roles: RoleEvidence[] = [];
  for (let n = 0; n < opts.roles; n++) {
    roles.push({
      role: `role-${n}`,
      required_by: [multibyte(n, 80)],
      approved_by: [],
      eligible: Array.from({ length: 40 }, (_v, k) => `user-${n}-${k}`),
      unresolved_teams: [`acme/team-${n}`],
      satisfied: false
    });
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    ...base,
    decision: opts.deny > 0 ? 'deny' : opts.followUp > 0 ? 'follow_up' : 'allow',
    counts: {
      findings: findings.length,
      deny: count('deny'),
      follow_up: count('follow_up'),
      warning: count('warning'),
      errors: 0
    },
    findings,
    evidence: {
      ...base.evidence,
      agbom: {
        ...base.evidence.agbom!,
        components,
        counts: { base: opts.components, head: opts.components, added: 0, removed: 0, changed: 0, unchanged: 0 }
      },
      drift: runs,
      approvals: roles
    }
  };
}

function invalidInput(errors: number): DecisionDocument {
  const base = loadDecision('invalid_input');
  const list: RecordIssue[] = [];
  for (let i = 0; i < errors; i++) {
    list.push({
      code: 'schema.type',
      message: `item ${i} must be a string; got a number. ${multibyte(i, 120)}`,
      file: `records/generated/bad-${String(i).padStart(5, '0')}.yaml`,
      side: 'head',
      line: i + 1,
      column: 7,
      pointer: `/items/${i}/name`,
      hint: 'Quote it.'
    });
  }
  return { ...base, errors: list, counts: { ...base.counts, errors } };
}

describe('thousands of findings, components, runs and roles', () => {
  const decision = huge({
    deny: 3000,
    followUp: 1500,
    warning: 800,
    components: 4000,
    runs: 1200,
    roles: 300,
    textLength: 400
  });
  const ctx = context(decision);
  const comment = renderComment(decision, ctx);
  const summary = renderSummary(decision, ctx);
  const first = decision.findings[0]!;

  test('the comment stays under 65,536 characters and keeps the headline, the first blocking findings and the pointer', () => {
    expect(comment.length).toBeLessThan(LIMITS.commentChars);
    expect(comment.split('\n')[0]).toBe(
      '### ⛔ Agent release gate ` support-triage `: deny — this change may not merge (3,000 blocking, 1,500 follow-ups, 800 warnings)'
    );
    const html = assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: LINKS });
    const blocking = htmlTables(html)[0]!;
    expect(blocking[1]![0]).toBe(`<code>${first.rule}</code>`);
    expect(blocking[1]![1]).toContain(`<code>${first.subject}</code>`);
    expect(comment).toContain('📄 Full report: [job summary](');
    expect(comment).toMatch(/… and [\d,]+ more blocking findings in the full report\./);
  });

  test('the comment degrades only as far as it must', () => {
    const chosen = COMMENT_STAGES.findIndex((p) => {
      const { body, footer } = renderReport(decision, ctx, p);
      return `${body}\n\n${footer}\n\n${ctx.marker}\n`.length < LIMITS.commentChars;
    });
    expect(chosen).toBeGreaterThan(0);
    expect(comment).toContain('> ℹ️ Shortened to fit GitHub’s comment size limit.');
    const { body } = renderReport(decision, ctx, COMMENT_STAGES[chosen]!);
    expect(comment.startsWith(body)).toBe(true);
  });

  test('the summary stays within 1 MiB of UTF-8 and keeps the headline and the first blocking finding', () => {
    expect(utf8Length(summary)).toBeLessThanOrEqual(LIMITS.summaryBytes);
    expect(Buffer.byteLength(summary, 'utf8')).toBe(utf8Length(summary));
    expect(summary.split('\n')[0]).toBe(comment.split('\n')[0]);
    const html = assertInertMarkdown(summary, { marker: null, linkPrefixes: LINKS });
    expect(htmlTables(html)[0]![1]![0]).toBe(`<code>${first.rule}</code>`);
  });

  test('the terminal output lists findings up to its cap and says how many more there are', () => {
    const text = renderTerminal(decision, { color: false, ctx });
    expect(text).toContain('Blocking findings (3,000)');
    expect(text).toContain('… and 1,000 more in the decision file');
    // the CLI writes no decision file unless asked: it says where the rest is
    const cli = renderTerminal(decision, { color: false, ctx: { ...ctx, decisionWhere: 'in out/decision.json' } });
    expect(cli).toContain('… and 1,000 more in out/decision.json');
    expect(cli).not.toContain('in the decision file');
    const summary = renderSummary(decision, { ...ctx, decisionWhere: 'in out/decision.json' });
    expect(summary).not.toContain('in the decision file');
  });
});

describe('multibyte text heavy enough to hit the byte limit before the character limit', () => {
  const decision = huge({ deny: 1500, followUp: 0, warning: 0, components: 0, runs: 0, roles: 0, textLength: 1900 });
  const ctx = context(decision);

  test('summary bytes, not characters, decide the stage', () => {
    const summary = renderSummary(decision, ctx);
    expect(utf8Length(summary)).toBeLessThanOrEqual(LIMITS.summaryBytes);
    const complete = renderReport(decision, ctx, SUMMARY_STAGES[0]!);
    expect(utf8Length(complete.body)).toBeGreaterThan(LIMITS.summaryBytes);
    expect(summary).toContain('> ℹ️ Shortened to fit the job summary size limit.');
  });

  test('the comment holds as well', () => {
    const comment = renderComment(decision, ctx);
    expect(comment.length).toBeLessThan(LIMITS.commentChars);
    assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: LINKS });
  });
});

describe('ten thousand record errors', () => {
  const decision = invalidInput(10_000);
  const ctx = context(decision);

  test('the comment lists the first errors, capped, and says how many more the decision file holds', () => {
    const comment = renderComment(decision, ctx);
    expect(comment.length).toBeLessThan(LIMITS.commentChars);
    expect(comment.split('\n')[0]).toContain(
      'records are malformed — this change may not merge (10,000 errors in 10,000 files)'
    );
    const errors = htmlTables(assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: LINKS }))[0]!;
    expect(errors.length - 1).toBeLessThanOrEqual(LIMITS.errorsInComment);
    expect(errors[1]![0]).toContain('records/generated/bad-00000.yaml:1:7');
    expect(comment).toContain(
      `… and ${(10_000 - (errors.length - 1)).toLocaleString('en-US')} more in the decision file.`
    );
  });

  test('a comment with room lists exactly LIMITS.errorsInComment errors', () => {
    const small = invalidInput(LIMITS.errorsInComment + 7);
    const comment = renderComment(small, context(small));
    expect(htmlTables(toHtml(comment))[0]!).toHaveLength(1 + LIMITS.errorsInComment);
    expect(comment).toContain('… and 7 more in the decision file.');
  });

  test('the summary stays within 1 MiB and lists errors up to its own cap', () => {
    const summary = renderSummary(decision, ctx);
    expect(utf8Length(summary)).toBeLessThanOrEqual(LIMITS.summaryBytes);
    // (parsing a 1 MiB body is slow; the table is checked in its source form)
    const rows = summary.split('\n').filter((l) => l.startsWith('| [records/generated/bad-'));
    expect(rows.length).toBeGreaterThanOrEqual(50);
    expect(summary).toContain(`… and ${(10_000 - rows.length).toLocaleString('en-US')} more in the decision file.`);
    expect(summary).not.toContain('<!--');
  });
});
