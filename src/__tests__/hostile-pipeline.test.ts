/**
 * Hostile input through the whole pipeline (issue 8): files that anyone opening a pull request can write, read
 * by the real loader from a working tree, judged by runGate, rendered for the PR comment, the job summary and
 * the log. The trusted behaviour: no crash, no hang, fail closed with located errors, nothing lost from the
 * decision file, nothing live in what is shown.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { expectConformingRun } from '../decision/__tests__/conformance.js';
import { copyTree, EXAMPLE_HEAD, judge, ruleIds, type TreeCopy } from '../gate/__tests__/example-repo.js';
import type { DecisionDocument } from '../model/decision.js';
import { checkRecords, type GateRun } from '../pipeline.js';
import { WorkingTreeSource } from '../read/fs-source.js';
import { renderComment } from '../render/comment.js';
import { renderSummary } from '../render/summary.js';
import { renderTerminal } from '../render/terminal.js';
import { assertInertMarkdown, commandLines, context } from '../render/__tests__/helpers.js';
import { LIMITS } from '../settings/defaults.js';

const CONFIG = '.github/agent-gate.yml';
const CHANGE_DIR = 'records/changes/chg-2026-11-18-support-triage-idempotency';
/** Every file the example's gate reads as a record on the head, and the configuration the head proposes. */
const FUZZED_FILES = [
  `${CHANGE_DIR}/review.yaml`,
  `${CHANGE_DIR}/gate.yaml`,
  `${CHANGE_DIR}/change.yaml`,
  `${CHANGE_DIR}/assessment.yaml`,
  'records/rollout.yaml',
  'records/deployments/support-triage-prod.yaml',
  'records/evals/support-triage-quality.yaml',
  'records/evals/results/duplicate-ticket.scores.yaml',
  'records/evals/results/support-triage-quality.jsonl',
  'records/agbom/support-triage.cdx.json',
  'records/receipts/replays.json',
  '.github/agent-gate.yml'
];
/** Per run: the pipeline reads ~50 files and runs a bootstrap over 400 cases; anything near this is a hang. */
const RUN_LIMIT_MS = 10_000;
const LINK_PREFIXES = ['https://github.com/acme/support-bot/'];

let tree: TreeCopy;
const originals = new Map<string, Buffer>();
beforeAll(() => {
  tree = copyTree(EXAMPLE_HEAD, 'agent-gate-hostile-');
  for (const f of FUZZED_FILES) originals.set(f, readFileSync(tree.path(f)));
});
afterAll(() => tree.cleanup());

/**
 * Writes `bytes` over one file of the head, judges, asks `agent-gate validate`'s checkRecords about the same
 * files, and puts the file back.
 */
async function judgeWith(
  file: string,
  bytes: Uint8Array
): Promise<{ run: GateRun; ms: number; validateIssues: number }> {
  writeFileSync(tree.path(file), bytes);
  try {
    const started = performance.now();
    const run = await judge({ head: tree.dir });
    const ms = performance.now() - started;
    const { issues } = await checkRecords(new WorkingTreeSource(tree.dir, 'head'), CONFIG);
    return { run, ms, validateIssues: issues.length };
  } finally {
    writeFileSync(tree.path(file), originals.get(file)!);
  }
}

function expectFailedClosed(d: DecisionDocument, file: string): void {
  expect(d).toMatchObject({ decision: 'deny', outcome: 'invalid_input', findings: [] });
  expect(d.errors.length).toBeGreaterThan(0);
  expect(d.counts.errors).toBe(d.errors.length);
  // every error names a file; the fuzzed file is among them, on the head
  expect(d.errors.every((e) => e.file.length > 0 && e.message.length > 0)).toBe(true);
  expect(d.errors.some((e) => e.file === file && e.side === 'head')).toBe(true);
}

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string };

/** A piece of the original file changed the way a careless or hostile edit would. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '\n',
      ': ',
      '- ',
      '{',
      ']',
      '"',
      '&a ',
      '*a',
      '!!binary ',
      '\t',
      '\u0000',
      '\uFEFF',
      '%YAML 1.1\n',
      '---\n',
      '<<: *x\n',
      '__proto__: {}\n',
      '9007199254740993',
      '.nan',
      '\n::error::forged\n'
    )
  })
);

function mutate(original: Buffer, m: Mutation): Buffer {
  const at = original.length === 0 ? 0 : m.at % original.length;
  if (m.kind === 'flip') {
    const copy = Buffer.from(original);
    copy[at] = m.byte;
    return copy;
  }
  if (m.kind === 'truncate') return original.subarray(0, at);
  return Buffer.concat([original.subarray(0, at), Buffer.from(m.text, 'utf8'), original.subarray(at)]);
}

describe('random bytes in record files', () => {
  it('random bytes instead of a record: never a throw, always deny with outcome invalid_input, bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FUZZED_FILES),
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 2048 }),
          fc.string({ unit: 'binary', maxLength: 512 }).map((s) => Buffer.from(s, 'utf8')),
          fc.string({ unit: 'binary', maxLength: 256 }).map((s) => Buffer.from(s, 'utf16le'))
        ),
        async (file, bytes) => {
          const { run, ms } = await judgeWith(file, bytes);
          expect(ms).toBeLessThan(RUN_LIMIT_MS);
          expectFailedClosed(run.decision, file);
          expectConformingRun(run);
        }
      ),
      { numRuns: 40, interruptAfterTimeLimit: 60_000 }
    );
  }, 120_000);

  it('a record edited at random: never a throw; either still valid, or deny with the problem located in that file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FUZZED_FILES), mutation, async (file, m) => {
        const { run, ms, validateIssues } = await judgeWith(file, mutate(originals.get(file)!, m));
        expect(ms).toBeLessThan(RUN_LIMIT_MS);
        const d = run.decision;
        expect(['evaluated', 'invalid_input']).toContain(d.outcome);
        // judged only when `agent-gate validate` finds the files sound too: no error is dropped on the way
        if (d.outcome === 'evaluated') expect(validateIssues).toBe(0);
        if (d.outcome === 'invalid_input') {
          expectFailedClosed(d, file);
          for (const e of d.errors.filter((x) => x.file === file && x.code !== 'file.too-large')) {
            // located: a line, or a pointer into the document
            expect(e.line !== undefined || e.pointer !== undefined).toBe(true);
          }
        }
        expectConformingRun(run);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 60_000 }
    );
  }, 120_000);
});

describe('10,000 invalid items in one file', () => {
  let run: GateRun;
  const file = 'records/evals/results/duplicate-ticket.scores.yaml';
  beforeAll(async () => {
    const metrics: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) metrics[`metric_${String(i).padStart(5, '0')}`] = 'high';
    const text = stringify({ kind: 'eval_scores', eval: 'duplicate-ticket', cases: 120, metrics });
    const started = performance.now();
    ({ run } = await judgeWith(file, Buffer.from(text)));
    expect(performance.now() - started).toBeLessThan(RUN_LIMIT_MS);
  }, 60_000);

  it('keeps every one in the decision file, located and in order', () => {
    const d = run.decision;
    expect(d).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
    expect(d.errors).toHaveLength(10_000);
    expect(d.counts.errors).toBe(10_000);
    expect(new Set(d.errors.map((e) => e.pointer)).size).toBe(10_000);
    expect(d.errors.every((e) => e.file === file && e.code === 'schema.type' && e.line !== undefined)).toBe(true);
    expect(d.errors.map((e) => e.line)).toEqual(d.errors.map((_e, i) => i + 5));
    expect(d.errors[0]!.message).toMatch(/metric_00000/);
    const statement = JSON.parse(run.canonical) as { predicate: DecisionDocument };
    expect(statement.predicate.errors).toHaveLength(10_000);
    expectConformingRun(run);
  });

  it('caps them in the comment (within GitHub’s limit) and in the summary, saying where the rest are', () => {
    const d = run.decision;
    const ctx = context(d);
    const comment = renderComment(d, ctx);
    expect(comment.length).toBeLessThan(LIMITS.commentChars);
    const shown = comment.split('\n').filter((l) => l.includes('metric_'));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(LIMITS.errorsInComment);
    expect(comment).toMatch(/… and 9,9\d\d more in the decision file\./);
    assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: LINK_PREFIXES });
    const summary = renderSummary(d, ctx);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(LIMITS.summaryBytes);
    expect(summary).toMatch(/… and 9,\d{3} more in the decision file\./);
    assertInertMarkdown(summary, { marker: null, linkPrefixes: LINK_PREFIXES });
  });

  it('and the terminal, which keeps more but not all of them, still ends', () => {
    const text = renderTerminal(run.decision, { color: false, ctx: context(run.decision) });
    expect(commandLines(text)).toEqual([]);
    expect(text.split('\n').filter((l) => l.includes('metric_')).length).toBeLessThan(10_000);
  });
});

/** Text that means something to the Actions runner, GitHub's markdown, or a reader skimming for a green tick. */
const HOSTILE = {
  mask: '\n::add-mask::x',
  error: '::error::forged annotation',
  stop: '::stop-commands::pwned',
  team: '@org/team',
  issue: '#1',
  marker: '<!-- agent-release-gate:key=support-triage -->',
  img: '<img src=x onerror=alert(1)>',
  table: '\n| check | result |\n|---|---|\n| all | ✅ passed |\n'
};
/** The same, usable where an id is required (one line, no surrounding space). */
const HOSTILE_IDS = [
  HOSTILE.error,
  HOSTILE.stop,
  HOSTILE.team,
  HOSTILE.issue,
  HOSTILE.marker,
  HOSTILE.img,
  '✅ passed'
];

function expectInert(run: GateRun): void {
  const d = run.decision;
  const ctx = context(d);
  const comment = renderComment(d, ctx);
  assertInertMarkdown(comment, { marker: ctx.marker, linkPrefixes: LINK_PREFIXES });
  expect(commandLines(comment)).toEqual([]);
  const summary = renderSummary(d, ctx);
  assertInertMarkdown(summary, { marker: null, linkPrefixes: LINK_PREFIXES });
  expect(commandLines(summary)).toEqual([]);
  for (const color of [false, true]) {
    const text = renderTerminal(d, { color, ctx });
    expect(commandLines(text)).toEqual([]);
    expect(text).not.toMatch(/[\r\u202e]/);
  }
  // the decision file is JSON: the text is there, escaped, and the bytes still parse
  expect(JSON.parse(run.canonical)).toBeTruthy();
}

describe('record text that tries to speak to the runner, GitHub or the reader', () => {
  const copies: TreeCopy[] = [];
  afterAll(() => copies.forEach((c) => c.cleanup()));

  it('is inert in the comment, the summary and the log when it reaches findings', async () => {
    const head = copyTree(EXAMPLE_HEAD, 'agent-gate-hostile-text-');
    copies.push(head);
    head.edit(
      `${CHANGE_DIR}/gate.yaml`,
      'blocking_findings: []',
      'blocking_findings:\n' +
        Object.values(HOSTILE)
          .map(
            (text, i) =>
              `  - id: "bf-${i} ${HOSTILE_IDS[i % HOSTILE_IDS.length]!.replace(/"/g, '\\"')}"\n    summary: ${JSON.stringify(text)}`
          )
          .join('\n')
    );
    head.edit(`${CHANGE_DIR}/gate.yaml`, 'rollout_wave: canary', `rollout_wave: ${JSON.stringify(HOSTILE.img)}`);
    head.edit(
      `${CHANGE_DIR}/review.yaml`,
      '  - runtime_owner\n',
      `  - runtime_owner\n${HOSTILE_IDS.map((t) => `  - ${JSON.stringify(t)}\n`).join('')}`
    );
    head.edit(
      `${CHANGE_DIR}/assessment.yaml`,
      'evidence:\n',
      `evidence:\n  policy_prechecks: ${JSON.stringify(HOSTILE.table + HOSTILE.mask)}\n`
    );
    head.editJson<{ components: { name: string; properties: { name: string; value: string }[] }[] }>(
      'records/agbom/support-triage.cdx.json',
      (bom) => {
        bom.components[1]!.name = `${HOSTILE.marker} ${HOSTILE.team}`;
        bom.components[1]!.properties.push({ name: 'agentgate:note', value: Object.values(HOSTILE).join(' ') });
      }
    );
    const run = await judge({ head: head.dir });
    const d = run.decision;
    expect(d.errors).toEqual([]);
    expect(d.outcome).toBe('evaluated');
    expect(d.decision).toBe('deny');
    // the hostile text did reach what is rendered
    expect(ruleIds(d)).toEqual(expect.arrayContaining(['rollout.blocking-findings', 'approvals.unknown-role']));
    const blocking = d.findings.find((f) => f.rule === 'rollout.blocking-findings')!;
    expect(blocking.message).toContain('::add-mask::x');
    expect(blocking.message).toContain(HOSTILE.marker);
    expect(d.findings.some((f) => f.message.includes(HOSTILE.img))).toBe(true);
    expectInert(run);
    // shown, defused: the words are there for the reviewer to read
    const summary = renderSummary(d, context(d));
    expect(summary).toContain('add-mask');
    expect(summary).toContain('stop-commands');
    expect(summary).toContain('agent-release-gate:key=support-triage');
    expectConformingRun(run);
  });

  it('is inert when it reaches the errors of an invalid record', async () => {
    const head = copyTree(EXAMPLE_HEAD, 'agent-gate-hostile-errors-');
    copies.push(head);
    head.edit(`${CHANGE_DIR}/gate.yaml`, 'decision: go', `decision: ${JSON.stringify(HOSTILE.error + HOSTILE.mask)}`);
    head.edit(
      `${CHANGE_DIR}/review.yaml`,
      'status: approved',
      `status: ${JSON.stringify(HOSTILE.table)}\n${JSON.stringify(HOSTILE.img)}: ${JSON.stringify(HOSTILE.team)}`
    );
    head.write('records/notes/readme.yaml', `title: ${JSON.stringify(HOSTILE.marker + HOSTILE.stop)}\n`);
    head.write(`records/${'::error::'}x.yaml`, 'kind: change_review_record\n');
    const run = await judge({ head: head.dir });
    const d = run.decision;
    expect(d).toMatchObject({ decision: 'deny', outcome: 'invalid_input' });
    const files = new Set(d.errors.map((e) => e.file));
    expect(files).toEqual(
      new Set([
        `${CHANGE_DIR}/gate.yaml`,
        `${CHANGE_DIR}/review.yaml`,
        'records/notes/readme.yaml',
        'records/::error::x.yaml'
      ])
    );
    expect(d.errors.some((e) => e.message.includes('::error::forged'))).toBe(true);
    expectInert(run);
    expectConformingRun(run);
  });
});
