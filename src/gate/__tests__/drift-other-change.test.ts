/**
 * drift.other-change: replay receipts evidence the change they were made for. A run this pull request adds (or
 * changes) that names another change evidences nothing about this one; runs merged earlier and left alone, runs
 * without a change_id, and pull requests without a change of their own are not judged by it.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedRecord } from '../../model/input.js';
import type { ReplayReceipts, ReplayRun } from '../../model/records.js';
import { gateInput, rec, recordSet } from '../../testing/records.js';
import { createContext } from '../context.js';
import { evaluateDrift } from '../drift.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLEAN = JSON.parse(
  readFileSync(join(ROOT, 'src/gate/__tests__/fixtures/drift/repo/records/replays/clean.json'), 'utf8')
) as ReplayReceipts;
const RECEIPTS = 'records/replays/triage.json';
const THIS = 'chg-2026-0412-triage-prompt';

/** The clean receipts' first run, as run `id` of change `changeId` (none: no change_id). */
function run(id: string, changeId: string | null): ReplayRun {
  const r = structuredClone(CLEAN.runs[0]!);
  r.run_id = id;
  if (changeId === null) delete r.change_id;
  else r.change_id = changeId;
  return r;
}

const receipts = (runs: ReplayRun[], side: 'head' | 'base' = 'head'): LoadedRecord =>
  rec('replay_receipts', { ...structuredClone(CLEAN), runs }, RECEIPTS, side);

const change = (id: string, side: 'head' | 'base' = 'head'): LoadedRecord =>
  rec(
    'change',
    {
      change: {
        change_id: id,
        change_type: 'prompt_update',
        risk_level: 'medium',
        rollout_strategy: 'canary',
        session_control_owner: 'a',
        emergency_freeze_owner: 'b'
      }
    },
    `records/changes/${id}.yaml`,
    side
  );

function judge(head: LoadedRecord[], base: LoadedRecord[] | null = null) {
  const input = gateInput({
    head: recordSet('head', head),
    ...(base ? { base: recordSet('base', base) } : {})
  });
  return evaluateDrift(createContext(input)).findings.filter((f) => f.rule === 'drift.other-change');
}

describe('drift.other-change: replay receipts of another change', () => {
  it('finds the runs a pull request adds for another change, and says which', () => {
    const found = judge([
      change(THIS),
      receipts([run('run-1', THIS), run('run-2', 'chg-old'), run('run-3', 'chg-old')])
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'deny',
      subject: RECEIPTS,
      observed: 'chg-old',
      required: THIS,
      location: { file: RECEIPTS, pointer: '/runs/1/change_id' },
      evidence: {
        file: RECEIPTS,
        changes: [THIS],
        runs: [
          { run_id: 'run-2', change_id: 'chg-old' },
          { run_id: 'run-3', change_id: 'chg-old' }
        ]
      }
    });
    expect(found[0]!.message).toBe(
      `${RECEIPTS} adds or changes 2 runs replayed for change chg-old: run-2 (chg-old), run-3 (chg-old); this pull request is about ${THIS}, so they evidence nothing here.`
    );
  });

  it('passes runs of this change and runs without a change_id', () => {
    expect(judge([change(THIS), receipts([run('run-1', THIS), run('run-2', null)])])).toEqual([]);
  });

  it('does not judge a pull request without a change of its own', () => {
    expect(judge([receipts([run('run-1', 'chg-old')])])).toEqual([]);
  });

  it('keeps runs merged earlier as they were, in a file that collects runs over time', () => {
    const old = run('run-1', 'chg-old');
    const base = [change('chg-old', 'base'), receipts([old], 'base')];
    // the file gains this change's run: the earlier run, unchanged, is that change's evidence
    expect(judge([change('chg-old'), change(THIS), receipts([old, run('run-2', THIS)])], base)).toEqual([]);
    // an earlier run edited in this pull request is new evidence, and it is not this change's
    const edited = { ...structuredClone(old), replay: { ...old.replay, cost_usd: old.replay.cost_usd + 1 } };
    const found = judge([change('chg-old'), change(THIS), receipts([edited, run('run-2', THIS)])], base);
    expect(found.map((f) => f.location?.pointer)).toEqual(['/runs/0/change_id']);
  });

  it('knows a run the base has as it is, in another file, with its keys in another order, or beside a namesake', () => {
    const old = run('run-1', 'chg-old');
    const twin = { ...run('run-1', 'chg-old'), replay: { ...old.replay, cost_usd: 9 } }; // the same run_id, another run
    const base = [
      rec('replay_receipts', { ...structuredClone(CLEAN), runs: [twin, old] }, 'records/replays/2025.json', 'base')
    ];
    const reordered = Object.fromEntries(Object.entries(structuredClone(old)).reverse()) as unknown as ReplayRun;
    expect(judge([change(THIS), receipts([reordered, run('run-2', THIS)])], base)).toEqual([]);
  });

  it('keeps its message short however many runs and changes it names', () => {
    const runs = Array.from({ length: 300 }, (_, i) => run(`run-${i}`, `chg-${String(i).padStart(3, '0')}`));
    const [found] = judge([change(THIS), receipts(runs)]);
    expect(found!.message.length).toBeLessThan(1000);
    expect(found!.message).toContain('300 other changes: chg-000, chg-001');
    expect(found!.message).toContain(', and 290 more: run-0 (chg-000)');
    expect((found!.observed as string[]).length).toBe(100);
    expect((found!.evidence as { runs: unknown[] }).runs).toHaveLength(100);
  });

  it('judges receipts merged earlier and left alone by no one', () => {
    const base = [receipts([run('run-1', 'chg-old')], 'base')];
    expect(judge([change(THIS), receipts([run('run-1', 'chg-old')])], base)).toEqual([]);
  });
});
