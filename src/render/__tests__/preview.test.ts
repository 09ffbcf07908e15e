/**
 * `npm run preview` (scripts/preview.mjs) runs this file with PREVIEW_DIR set: it writes what each example
 * scenario looks like to a reviewer — comment.md, summary.md, terminal.txt (and terminal.ansi.txt with
 * colour), sarif.json — into PREVIEW_DIR/<scenario>/. Without PREVIEW_DIR (a normal test run) it is skipped.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { canonicalJson, sha256Hex } from '../../decision/canonical.js';
import { renderComment } from '../comment.js';
import { renderSarif } from '../sarif.js';
import { renderSummary } from '../summary.js';
import { renderTerminal } from '../terminal.js';
import type { DecisionDocument } from '../../model/decision.js';
import { context, loadDecision, loadRules, SCENARIOS } from './helpers.js';
import { LIVE_SCENARIOS, liveDecision } from './live-scenarios.js';

const dir = process.env.PREVIEW_DIR;
const describeIfPreview = dir ? describe : describe.skip;

describeIfPreview('preview', () => {
  const root = resolve(dir ?? 'preview');

  const write = (scenario: string, decision: DecisionDocument) => {
    const ctx = context(decision, { decisionDigest: sha256Hex(canonicalJson(decision)) });
    const out = join(root, scenario);
    mkdirSync(out, { recursive: true });
    const files: [string, string][] = [
      ['comment.md', renderComment(decision, ctx)],
      ['summary.md', renderSummary(decision, ctx)],
      ['terminal.txt', renderTerminal(decision, { color: false, ctx })],
      ['terminal.ansi.txt', renderTerminal(decision, { color: true, ctx })],
      ['sarif.json', JSON.stringify(renderSarif(decision, { ...ctx, rules: loadRules() }), null, 2) + '\n']
    ];
    for (const [name, text] of files) writeFileSync(join(out, name), text);
    expect(files.every(([, text]) => text.length > 0)).toBe(true);
    return decision;
  };
  const headlines: [string, DecisionDocument][] = [];

  // the example repository judged by the engine, as it is and with one realistic problem each
  test.each(LIVE_SCENARIOS)(
    '%s',
    async (scenario) => {
      headlines.push([scenario, write(scenario, await liveDecision(scenario))]);
    },
    120_000
  );

  // hand-written decisions covering the rest: malformed records, internal errors, hostile text
  test.each(SCENARIOS)('%s', (scenario) => {
    headlines.push([scenario, write(scenario, loadDecision(scenario))]);
  });

  test('index', () => {
    const lines = [
      '# Renderer preview',
      '',
      'One folder per scenario: the example repository judged by the engine (example-*, see',
      'src/render/__tests__/live-scenarios.ts) and hand-written decisions (src/render/__tests__/fixtures/decisions/).',
      ''
    ];
    for (const [scenario, decision] of headlines) {
      const headline = renderComment(decision, context(decision))
        .split('\n')[0]!
        .replace(/^#+\s*/, '');
      lines.push(`- [${scenario}](${scenario}/comment.md) — ${headline}`);
    }
    writeFileSync(join(root, 'README.md'), lines.join('\n') + '\n');
  });
});
