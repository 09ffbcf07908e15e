import { describe, expect, test } from '@jest/globals';
import { renderComment } from '../comment.js';
import { renderSarif } from '../sarif.js';
import { renderSummary } from '../summary.js';
import { renderTerminal } from '../terminal.js';
import { commentMarker, markerKey, parseMarker } from '../marker.js';
import {
  assertInertMarkdown,
  context,
  htmlTables,
  loadDecision,
  loadRules,
  mentionableText,
  SCENARIOS,
  sourceTables,
  toHtml
} from './helpers.js';

const LINKS = ['https://github.com/acme/support-bot/'];

describe.each(SCENARIOS)('%s', (scenario) => {
  const decision = loadDecision(scenario);
  const ctx = context(decision);

  test('comment (snapshot)', () => {
    expect(renderComment(decision, ctx)).toMatchSnapshot();
  });
  test('summary (snapshot)', () => {
    expect(renderSummary(decision, ctx)).toMatchSnapshot();
  });
  test('terminal (snapshot)', () => {
    expect(renderTerminal(decision, { color: false, ctx })).toMatchSnapshot();
  });
  test('SARIF (snapshot)', () => {
    expect(renderSarif(decision, { ...ctx, rules: loadRules() })).toMatchSnapshot();
  });

  test('comment and summary are inert markdown whose tables parse as tables', () => {
    assertInertMarkdown(renderComment(decision, ctx), { marker: ctx.marker, linkPrefixes: LINKS });
    assertInertMarkdown(renderSummary(decision, ctx), { marker: null, linkPrefixes: LINKS });
  });

  test('the first line says whether the change may merge', () => {
    const first = renderComment(decision, ctx).split('\n')[0]!;
    const expected = {
      allow: /^### ✅ .*: allow — this change may merge \(0 blocking, 0 follow-ups, 0 warnings\)$/,
      follow_up:
        /^### 🟡 .*: follow_up — this change may merge once a person acts on 1 follow-up \(0 blocking, 1 follow-up, 1 warning\)$/,
      deny: /^### ⛔ .*: deny — this change may not merge \(8 blocking, 1 follow-up, 1 warning\)$/,
      invalid_input: /^### ⛔ .*: records are malformed — this change may not merge \(6 errors in 5 files\)$/,
      internal_error: /^### ⛔ .*: the gate itself failed — no result, so this change may not merge$/,
      hostile: /^### ⛔ .*: deny — this change may not merge \(2 blocking, 1 follow-up, 1 warning\)$/
    }[scenario];
    expect(first).toMatch(expected);
    expect(renderSummary(decision, ctx).split('\n')[0]).toBe(first);
  });

  test('the comment ends with the marker, and the footer names the head, the run and the digest', () => {
    const comment = renderComment(decision, ctx);
    expect(parseMarker(comment)).toBe(markerKey(decision.gate_key));
    expect(comment.endsWith(`\n\n${ctx.marker}\n`)).toBe(true);
    expect(comment).toContain('[Workflow run](https://github.com/acme/support-bot/actions/runs/11873452001)');
    expect(comment).toContain(`Decision sha256 \` ${ctx.decisionDigest} \``);
    expect(comment).toContain('/commit/4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b)');
    expect(comment).toContain(
      '📄 Full report: [job summary](https://github.com/acme/support-bot/actions/runs/11873452001#summary-33210987)'
    );
  });

  test('rendering is deterministic', () => {
    const again = JSON.parse(JSON.stringify(decision)) as typeof decision;
    expect(renderComment(again, context(again))).toBe(renderComment(decision, ctx));
    expect(renderSummary(again, context(again))).toBe(renderSummary(decision, ctx));
    expect(renderTerminal(again, { color: true, ctx })).toBe(renderTerminal(decision, { color: true, ctx }));
    expect(JSON.stringify(renderSarif(again, { ...ctx, rules: loadRules() }))).toBe(
      JSON.stringify(renderSarif(decision, { ...ctx, rules: loadRules() }))
    );
  });

  test('terminal colour is the only difference between the TTY and plain output', () => {
    const plain = renderTerminal(decision, { color: false, ctx });
    const colored = renderTerminal(decision, { color: true, ctx });
    expect(plain).not.toContain('\u001b');
    expect(colored).toContain('\u001b[');
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });
});

describe('deny: what a reviewer needs is in the comment', () => {
  const decision = loadDecision('deny');
  const ctx = context(decision);
  const comment = renderComment(decision, ctx);
  const html = toHtml(comment);
  const tables = htmlTables(html);

  test('blocking findings come first, as a table with rule, what, observed vs required and a link to the line', () => {
    const blocking = tables[0]!;
    expect(blocking[0]).toEqual(['Rule', 'What', 'Observed vs required', 'Where']);
    expect(blocking).toHaveLength(1 + 8);
    expect(blocking[1]![0]).toBe('<code>review.uncovered-surface</code>');
    expect(blocking[1]![2]).toBe('<code>prompts, model_routing</code> vs <code>tool_exposure</code>');
    expect(blocking[1]![3]).toBe(
      '<a href="https://github.com/acme/support-bot/blob/4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml#L7">' +
        'records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml:7</a>'
    );
    expect(comment.indexOf('Blocking findings (8)')).toBeLessThan(comment.indexOf('Follow-up (1)'));
    expect(comment.indexOf('Follow-up (1)')).toBeLessThan(comment.indexOf('Evidence: base → head'));
  });

  test('the evidence diff shows eval metrics base → head with delta, threshold, verdict and noise', () => {
    const evals = tables.find((t) => t[0]![0] === 'Eval')!;
    expect(evals[0]).toEqual(['Eval', 'Metric', 'Base', 'Head', 'Δ', 'Threshold', 'Verdict', 'Noise']);
    expect(evals).toHaveLength(1 + 6);
    const task = evals[1]!;
    expect(task.slice(2, 7)).toEqual(['0.874', '0.812', '-0.062 (7.09% worse)', '≥ 0.85', '❌ fail']);
    expect(task[7]).toBe('❌ beyond noise (bootstrap 95% CI [-0.091, -0.034])');
    expect(evals[6]!.slice(3)).toEqual(['no results', '—', '—', '⚠️ missing', '—']);
  });

  test('AgBOM components added / removed / changed, high-risk first with the reasons', () => {
    const agbom = tables.find((t) => t[0]![0] === 'Component')!;
    expect(agbom.map((r) => r[2])).toEqual(['Change', '➕ added', '✏️ changed', '✏️ changed', '➖ removed']);
    expect(agbom[1]![0]).toBe('<code>zendesk-tickets</code>');
    expect(agbom[1]![4]).toBe(
      '⚠️ MCP server added without an exact version (latest); MCP server added without a digest'
    );
    expect(comment).toContain(
      '##### AgBOM: 14 → 14 components: 1 added, 1 removed, 2 changed, 11 unchanged; 1 high-risk component'
    );
  });

  test('replay drift per run, with the step that drifted', () => {
    const drift = tables.find((t) => t[0]![0] === 'Run')!;
    expect(drift).toHaveLength(1 + 3);
    expect(drift[2]).toEqual([
      '<code>run-2026-11-18-0002</code>',
      '9,870 → 10,049',
      '❌ 1.81% (limit 1%)',
      '$0.2871 → $0.2879',
      '✅ 0.28% (limit 0.5%)',
      '❌ 1',
      '—',
      '❌ fail'
    ]);
    expect(comment).toContain('  - step ` s2 `: policy verdict live ` allow ` → replay ` deny `');
  });

  test('approvals per role: who approved and who still can, without mentioning anyone', () => {
    const roles = tables.find((t) => t[0]![0] === 'Role')!;
    expect(roles[2]).toEqual([
      '<code>release-manager</code>',
      '🟡 waiting',
      '—',
      '<code>dana-release</code>',
      'configuration approvals.required_roles; Deployment support-triage-prod promotion.requiresApproval'
    ]);
    expect(mentionableText(html)).not.toMatch(/@[a-z]/);
  });

  test('the change → bundle → rollout wave chain and rollout missing_required vs blocking_signals', () => {
    expect(comment).toContain(
      '- ` chg-2026-11-18-support-triage-idempotency ` → ` bundle-2026-11-18-a ` → ` canary ` · review ` cr-2026-11-18-001 ` · gate ` gate-2026-11-18-001 ` · decision ` go `'
    );
    expect(comment).toContain('- Missing required evidence: ❌ ` duplicate_ticket_eval_passed `');
    expect(comment).toContain('- Blocking signals: ✅ none');
    const surfaces = tables.find((t) => t[0]![0] === 'Surface')!;
    expect(surfaces[3]).toEqual([
      '<code>tool_exposure</code>',
      '<code>agents/support-triage/tools.yaml</code>',
      '❌ not covered by a change review record'
    ]);
  });

  test('details sit in collapsible sections we build', () => {
    expect(html.match(/<details><summary>/g)?.length).toBeGreaterThanOrEqual(5);
    expect(comment).toContain('<details><summary>Why each one blocks, and how to fix it</summary>');
  });
});

describe('the other outcomes', () => {
  test('invalid_input lists every error with file:line, pointer, message and hint', () => {
    const decision = loadDecision('invalid_input');
    const comment = renderComment(decision, context(decision));
    const errors = htmlTables(toHtml(comment))[0]!;
    expect(errors[0]).toEqual(['Where', 'Field', 'Problem', 'Hint']);
    expect(errors).toHaveLength(1 + 6);
    // the configuration error is on the base side: linked at the base commit
    expect(errors[1]![0]).toContain('blob/9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e/.github/agent-gate.yml#L44');
    expect(errors[1]![0]).toContain('.github/agent-gate.yml:44:3</a> (base)');
    expect(errors[4]!).toEqual([
      expect.stringContaining('review.yaml:6:13</a>'),
      '<code>/risk_level</code>',
      '<code>schema.enum</code> risk_level must be one of low, medium, high, critical; got &quot;hgih&quot;',
      'Did you mean &quot;high&quot;?'
    ]);
    expect(comment).not.toContain('Evidence');
  });

  test('internal_error says the gate failed and never passes', () => {
    const decision = loadDecision('internal_error');
    const comment = renderComment(decision, context(decision));
    expect(comment).toContain(
      'The gate could not finish: the agbom rule family failed: RangeError: Maximum call stack size exceeded.'
    );
    expect(comment).toContain('the check fails closed');
    expect(comment).not.toMatch(/✅|may merge \(/);
    expect(sourceTables(comment)).toHaveLength(0);
  });

  test('follow_up names who can still approve', () => {
    const decision = loadDecision('follow_up');
    const comment = renderComment(decision, context(decision));
    expect(comment).toContain('| ` release-manager ` | 🟡 waiting | — | ` dana-release ` |');
    expect(comment).toContain('<details><summary>Show 1 warning</summary>');
  });

  test('allow says every family passed', () => {
    const decision = loadDecision('allow');
    expect(renderComment(decision, context(decision))).toContain('Every rule family passed');
  });

  test('without a repository or a run there are no links, and the pointer falls back to the decision file', () => {
    const decision = loadDecision('deny');
    const ctx = context(decision, { repository: null, runUrl: null, fullReportHint: null });
    const comment = renderComment(decision, ctx);
    expect(toHtml(comment)).not.toContain('<a ');
    expect(comment).toContain('📄 Full report: the decision file written by this run');
    assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: [] });
  });

  test('a working tree without a head commit: no file links, and the footer says nothing of a commit', () => {
    const decision = structuredClone(loadDecision('deny'));
    decision.commits.head = null;
    const ctx = context(decision, { headSha: null });
    const comment = renderComment(decision, ctx);
    expect(comment).not.toContain('/blob/');
    expect(comment).not.toMatch(/^Head /m);
    assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: LINKS });
    expect(renderTerminal(decision, { color: false })).toContain('head working tree');
  });

  test('a malformed marker in the context is replaced by ours, never echoed', () => {
    const decision = loadDecision('allow');
    const comment = renderComment(decision, context(decision, { marker: '<!-- x --> <img src=x>' }));
    expect(comment.trimEnd().split('\n').pop()).toBe(commentMarker('support-triage'));
    expect(comment).not.toContain('<img');
  });

  test('a non-URL full report hint is shown as inert text', () => {
    const decision = loadDecision('allow');
    const comment = renderComment(decision, context(decision, { fullReportHint: 'see the job summary @ops #1' }));
    expect(comment).toContain('📄 Full report: see the job summary @‍ops #‍1');
  });
});

describe('the inertness checker itself', () => {
  const marker = commentMarker('k');
  const ok = `### ✅ fine\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n${marker}\n`;
  test('accepts a clean body', () => {
    expect(() => assertInertMarkdown(ok, { marker, linkPrefixes: LINKS })).not.toThrow();
  });
  test.each([
    ['raw HTML', ok.replace('fine', 'fine <img src=x onerror=alert(1)>')],
    ['a mention', ok.replace('fine', 'fine @octocat')],
    ['a reference', ok.replace('fine', 'fine #12')],
    ['a foreign link', ok.replace('fine', 'fine [x](https://evil.example)')],
    ['a second marker', ok.replace('fine', `fine\n\n${marker}\n`)],
    ['a marker not at the end', `${marker}\n\n${ok.replace(`${marker}\n`, '')}`],
    ['a broken row', ok.replace('| 1 | 2 |', '| 1 | 2 | 3 |')],
    ['a stray details', ok.replace('fine', 'fine\n\nx <details>')]
  ])('rejects %s', (_name, body) => {
    expect(() => assertInertMarkdown(body, { marker, linkPrefixes: LINKS })).toThrow();
  });
});

describe('terminal: the code spans of engine text', () => {
  test('are Markdown: names are shown without their backticks, and dropping them joins no workflow command', () => {
    const decision = loadDecision('follow_up');
    const finding = {
      ...decision.findings[0]!,
      rule: 'integrity.gate-files-changed',
      message:
        "The change modifies the gate's own files: .github/agent-gate.yml; approved by @dana-release " +
        "(`release-manager`, integrity.owner_role). The decision used the base branch's configuration. #`#[x` :`:y`",
      required: 'an approval by `release-manager`',
      fix: 'Ask a holder of `release-manager` to review the change to the gate and approve the pull request.'
    };
    const text = renderTerminal({ ...decision, findings: [finding] }, { color: false, ctx: context(decision) });
    expect(text).toContain('approved by @dana-release (release-manager, integrity.owner_role)');
    expect(text).toContain('required an approval by release-manager');
    expect(text).toContain('fix: Ask a holder of release-manager to review');
    expect(text).not.toContain('`');
    expect(text).not.toContain('##[');
    expect(text).not.toContain('::');
  });
});
