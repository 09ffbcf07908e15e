/**
 * What reviewers see for the example repository and realistic variants of it, judged by the real engine:
 * snapshots of the comment, the summary and the terminal text, and the same inertness checks as the
 * hand-written fixtures.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { DecisionDocument } from '../../model/decision.js';
import { renderComment } from '../comment.js';
import { renderSummary } from '../summary.js';
import { renderTerminal } from '../terminal.js';
import { assertInertMarkdown, context, toHtml, htmlTables } from './helpers.js';
import { LIVE_SCENARIOS, liveDecision, type LiveScenario } from './live-scenarios.js';

const LINKS = ['https://github.com/acme/support-bot/'];
const decisions = new Map<LiveScenario, DecisionDocument>();

beforeAll(async () => {
  for (const name of LIVE_SCENARIOS) decisions.set(name, await liveDecision(name));
}, 120_000);

describe.each(LIVE_SCENARIOS)('live scenario %s', (name) => {
  test('comment, summary and terminal text', () => {
    const decision = decisions.get(name)!;
    const ctx = context(decision);
    const comment = renderComment(decision, ctx);
    const summary = renderSummary(decision, ctx);
    assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: LINKS });
    assertInertMarkdown(summary, { marker: null, linkPrefixes: LINKS });
    expect(comment).toMatchSnapshot('comment');
    expect(summary).toMatchSnapshot('summary');
    expect(renderTerminal(decision, { color: false, ctx })).toMatchSnapshot('terminal');
  });
});

test('the headline says whether the change may merge, and the blocking findings come first as a table', () => {
  const headline = (name: LiveScenario) =>
    renderComment(decisions.get(name)!, context(decisions.get(name)!)).split('\n')[0]!;
  expect(headline('example-allow')).toMatch(/allow/);
  expect(headline('example-awaiting-release-manager')).toMatch(/follow_up/);
  expect(headline('example-blocked')).toMatch(/deny/);

  const blocked = decisions.get('example-blocked')!;
  expect(blocked.findings.filter((f) => f.severity === 'deny').map((f) => f.rule)).toEqual(
    expect.arrayContaining([
      'review.uncovered-surface',
      'agbom.mcp-unpinned',
      'agbom.low-trust',
      'agbom.unapproved-side-effect'
    ])
  );
  const tables = htmlTables(toHtml(renderComment(blocked, context(blocked))));
  const firstRows = tables[0]!.slice(1).map((row) => row[0]);
  expect(firstRows.some((cell) => cell!.includes('review.uncovered-surface'))).toBe(true);
});
