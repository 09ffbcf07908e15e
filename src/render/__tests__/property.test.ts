/**
 * Random strings, in every place a record can put text, never make the rendered output live: no raw HTML,
 * no mention or reference, no broken table, no second marker, no workflow command in the log, valid SARIF.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { DecisionDocument } from '../../model/decision.js';
import { LIMITS } from '../../settings/defaults.js';
import { renderComment } from '../comment.js';
import { safeLogLine } from '../escape.js';
import { renderSarif } from '../sarif.js';
import { renderSummary } from '../summary.js';
import { renderTerminal } from '../terminal.js';
import { assertInertMarkdown, commandLines, context, decisionWithTexts, loadRules, sarifValidator } from './helpers.js';

/** Pieces that mean something to GitHub, markdown, HTML, terminals or the Actions runner. */
const FRAGMENTS = [
  '@',
  '#',
  '1',
  'a',
  'user',
  'org/team',
  'GH-',
  '::',
  '##[',
  'add-mask',
  'stop-commands',
  '<!--',
  '-->',
  '<',
  '>',
  'img',
  'details',
  'summary',
  'script',
  ' onerror=',
  '`',
  '``',
  '|',
  '\\',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '[',
  ']',
  '(',
  ')',
  '!',
  '*',
  '_',
  '~',
  '$',
  '&',
  '&#64;',
  ';',
  'www.',
  'http://',
  'https:',
  '//',
  'javascript:',
  'mailto:',
  ':',
  '\u202E',
  '\u2066',
  '\u200F',
  '\u001b[31m',
  '\u001b]8;;',
  '\u0007',
  '\u0000',
  '\u2028',
  ' ',
  '-',
  '+',
  '=',
  '.',
  '✅ passed',
  '| --- |',
  'agent-release-gate:key=default',
  '😀',
  'ß',
  '\uD800'
];

const hostileString = fc
  .array(
    fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })),
    {
      maxLength: 12
    }
  )
  .map((parts) => parts.join(''));

const validateSarif = sarifValidator();
const rules = loadRules();
const RUNS = 60;

describe('random record text', () => {
  test('the comment and the summary stay inert markdown, with the marker once at the end', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 20 }), (texts) => {
        const d = decisionWithTexts(texts);
        const ctx = context(d);
        const comment = renderComment(d, ctx);
        expect(comment.length).toBeLessThan(LIMITS.commentChars);
        assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: ['https://github.com/acme/support-bot/'] });
        const summary = renderSummary(d, ctx);
        assertInertMarkdown(summary, { marker: null, linkPrefixes: ['https://github.com/acme/support-bot/'] });
        // `agent-gate check --format markdown` prints the summary: in a workflow it is a log
        expect(commandLines(summary)).toEqual([]);
        expect(commandLines(comment)).toEqual([]);
      }),
      { numRuns: RUNS }
    );
  });

  test('the terminal output never starts a workflow command and carries no escape of its own', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 20 }), (texts) => {
        const d = decisionWithTexts(texts);
        const plain = renderTerminal(d, { color: false, ctx: context(d) });
        expect(commandLines(plain)).toEqual([]);
        expect(plain).not.toMatch(/[\u001b\u009b\u202e\u2066\r]/);
        const colored = renderTerminal(d, { color: true, ctx: context(d) });
        expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
      }),
      { numRuns: RUNS * 3 }
    );
  });

  test('safeLogLine output is one line that no prefix of whitespace makes a command', () => {
    fc.assert(
      fc.property(hostileString, fc.constantFrom('', ' ', '\t', '  '), (text, indent) => {
        const line = safeLogLine(text);
        expect(line).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
        expect(commandLines(indent + line)).toEqual([]);
      }),
      { numRuns: 500 }
    );
  });

  test('SARIF stays valid, one line per message, and carries no workflow command when printed', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 20 }), (texts) => {
        const d = decisionWithTexts(texts);
        const log = renderSarif(d, { ...context(d), rules });
        if (!validateSarif(log)) throw new Error(JSON.stringify(validateSarif.errors));
        expect(commandLines(JSON.stringify(log, null, 2))).toEqual([]);
        for (const r of log.runs[0]!.results) expect(r.message.text).not.toMatch(/[\n\r\u202e]/);
      }),
      { numRuns: RUNS * 3 }
    );
  });

  test('rendering the same decision twice gives the same bytes', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 20 }), (texts) => {
        const d = decisionWithTexts(texts);
        const copy = JSON.parse(JSON.stringify(d)) as DecisionDocument;
        expect(renderComment(copy, context(copy))).toBe(renderComment(d, context(d)));
        expect(renderSummary(copy, context(copy))).toBe(renderSummary(d, context(d)));
      }),
      { numRuns: RUNS }
    );
  });
});
