/** `agent-gate explain`: every rule of the catalog, unknown ids, families and the list. */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { ALL_RULES } from '../../gate/catalog.js';
import { main } from '../main.js';
import { captureIO } from './capture.js';
import { SLOW, cli } from './helpers.js';

describe('agent-gate explain', () => {
  // the first run loads (and, under jest, compiles) the whole rule catalog: not part of any one test's budget
  beforeAll(() => import('../explain.js'), SLOW);

  test.each(ALL_RULES.map((rule) => [rule.id, rule] as const))('%s: what, why and how to fix', async (id, rule) => {
    const io = captureIO();
    expect(await main(['explain', id], io)).toBe(0);
    expect(io.stderr.text).toBe('');
    const text = io.stdout.text;
    expect(text.split('\n')[0]).toBe(`${id} — ${rule.title}`);
    expect(text).toContain(`family: ${rule.family} · default severity: ${rule.severity}`);
    expect(text).toContain(rule.description);
    expect(text).toContain(`How to fix: ${rule.fix}`);
    // the catalog's texts are real sentences, not placeholders
    expect(rule.description.length).toBeGreaterThan(40);
    expect(rule.fix.length).toBeGreaterThan(15);
  });

  test('input.invalid (the SARIF rule of record and configuration errors) is explained too', async () => {
    const io = captureIO();
    expect(await main(['explain', 'input.invalid'], io)).toBe(0);
    expect(io.stdout.text.split('\n')[0]).toBe('input.invalid — Record or configuration file is malformed');
    expect(io.stdout.text).toContain('always fail the check (exit 2)');
    expect(io.stdout.text).not.toContain('override it');
  });

  test(
    'as a process: one rule, and without an id the list of every rule',
    async () => {
      const one = await cli(['explain', 'review.uncovered-surface']);
      expect(one.code).toBe(0);
      expect(one.stdout).toMatch(/^review\.uncovered-surface — Changed surface is not listed in any review record\n/);
      const list = await cli(['explain']);
      expect(list.code).toBe(0);
      const ids = list.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]);
      expect(ids).toEqual(ALL_RULES.map((r) => r.id));
      expect(list.stdout).toMatch(/^evals\.threshold +deny +Eval metric does not meet its threshold$/m);
    },
    SLOW
  );

  test.each([
    ['evals.treshold', ['evals.threshold']],
    ['threshold', ['evals.threshold', 'evals.threshold-ambiguous', 'evals.threshold-vacuous']],
    ['review.uncoverd-surface', ['review.uncovered-surface']],
    ['uncovered', ['review.uncovered-surface']]
  ])('unknown %s: suggestions and exit 2', async (id, expected) => {
    const io = captureIO();
    expect(await main(['explain', id], io)).toBe(2);
    expect(io.stdout.text).toBe('');
    const suggested = /Did you mean: (.*)\?/.exec(io.stderr.text)?.[1]?.split(', ') ?? [];
    expect(suggested).toEqual(expect.arrayContaining(expected));
    expect(io.stderr.text).toContain('Run "agent-gate explain" to list every rule.');
  });

  test('an id like nothing known: no suggestion, still exit 2; control characters are not echoed', async () => {
    const io = captureIO();
    expect(await main(['explain', 'zzzz\u001b[31m'], io)).toBe(2);
    expect(io.stderr.text).not.toContain('Did you mean');
    expect(io.stderr.text).not.toContain('\u001b');
  });

  test('a family lists its rules', async () => {
    const io = captureIO();
    expect(await main(['explain', 'drift'], io)).toBe(0);
    const ids = io.stdout.text
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]);
    expect(ids).toEqual(ALL_RULES.filter((r) => r.family === 'drift').map((r) => r.id));
  });

  test('two ids: exit 2', async () => {
    const io = captureIO();
    expect(await main(['explain', 'evals.threshold', 'evals.regression'], io)).toBe(2);
  });
});
