import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GateConfig } from '../../model/config.js';
import type { LoadedRecord, RecordSet } from '../../model/input.js';
import type { EvalCaseTable } from '../../model/records.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';
import { createContext } from '../../gate/context.js';
import { evaluateEvals } from '../../gate/evals.js';
import { gateInput } from '../../testing/records.js';
import { WorkingTreeSource } from '../fs-source.js';
import { GitTreeSource } from '../git.js';
import { loadRecordSet, readConfigFile } from '../load.js';
import type { LoadResult } from '../load.js';
import type { FileSource } from '../source.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/repos/support-triage');

let tmp: string;
let counter = 0;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gate-load-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh copy of the fixture repository (or an empty one) with extra files written into it. */
function repo(files: Record<string, string | Buffer> = {}, from: string | null = FIXTURE): string {
  const root = join(tmp, `repo-${++counter}`);
  if (from) cpSync(from, root, { recursive: true });
  else mkdirSync(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The fixture's own configuration (records globs, promptfoo mapping) over the defaults. */
function fixtureConfig(overrides: Partial<GateConfig['records']> = {}): GateConfig {
  const config = structuredClone(DEFAULT_CONFIG);
  config.records.include = ['records/**/*.{yaml,yml,json,jsonl}'];
  config.records.exclude = ['records/receipts/manifests/**'];
  config.records = { ...config.records, ...overrides };
  config.evals.promptfoo = [{ path: 'records/evals/promptfoo/tone-results.json', eval: 'tone-check' }];
  return config;
}

async function load(root: string, config = fixtureConfig()): Promise<LoadResult> {
  return loadRecordSet(new WorkingTreeSource(root, 'head'), config, { commit: null });
}

/** Plain data for comparisons: columns as arrays, locators dropped. */
function plain(result: LoadResult): unknown {
  return JSON.parse(
    JSON.stringify(result, (key, value: unknown) => {
      if (key === 'locate') return undefined;
      return value instanceof Float64Array ? Array.from(value, (v) => (Number.isNaN(v) ? 'NaN' : v)) : value;
    })
  );
}

function recordAt(set: RecordSet, path: string): LoadedRecord {
  const found = set.records.find((r) => r.source.path === path);
  if (!found) throw new Error(`no record at ${path}; records: ${set.records.map((r) => r.source.path).join(', ')}`);
  return found;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

describe('loading a repository', () => {
  it('reads every record of the fixture repository, by kind, without issues', async () => {
    const { set, issues } = await load(FIXTURE);
    expect(issues).toEqual([]);
    expect(set.records.map((r) => [r.source.path, r.kind])).toEqual([
      ['records/agbom/support-triage.cdx.json', 'agbom'],
      ['records/changes/chg-2026-11-18-support-triage-idempotency/assessment.yaml', 'rollout_assessment'],
      ['records/changes/chg-2026-11-18-support-triage-idempotency/change.yaml', 'change'],
      ['records/changes/chg-2026-11-18-support-triage-idempotency/gate.yaml', 'rollout_gate_record'],
      ['records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml', 'change_review_record'],
      ['records/deployments/support-triage-prod.yaml', 'deployment'],
      ['records/evals/duplicate-ticket.yaml', 'eval'],
      ['records/evals/promptfoo/tone-results.json', 'eval_cases'],
      ['records/evals/results/duplicate-ticket.scores.yaml', 'eval_scores'],
      ['records/evals/results/support-triage-quality.jsonl', 'eval_cases'],
      ['records/evals/support-triage-quality.yaml', 'eval'],
      ['records/evals/tone-check.yaml', 'eval'],
      ['records/receipts/replays.json', 'replay_receipts'],
      ['records/rollout.yaml', 'rollout_policy']
    ]);
    expect(set.side).toBe('head');
    expect(set.files.map((f) => f.path)).toEqual(set.records.map((r) => r.source.path));
    for (const file of set.files) {
      const bytes = readFileSync(join(FIXTURE, file.path));
      expect(file).toEqual({ path: file.path, side: 'head', sha256: sha256(bytes), bytes: bytes.length });
    }
    expect(set.paths).toContain('runbooks/support-triage/rollback.md');
    expect(set.paths).toContain('.github/agent-gate.yml');
    expect(set.paths).toEqual([...set.paths!].sort());
  });

  it('locates fields of loaded records by line and column', async () => {
    const { set } = await load(FIXTURE);
    const change = recordAt(set, 'records/changes/chg-2026-11-18-support-triage-idempotency/change.yaml');
    expect(change.locate('/change/risk_level')).toEqual({ line: 5, column: 3 });
    expect(change.locate('/change/approval_roles/1')).toEqual({ line: 21, column: 7 });
    const bom = recordAt(set, 'records/agbom/support-triage.cdx.json');
    expect(bom.locate('/components/0/version')).toEqual({ line: 19, column: 7 });
  });

  it('reads per-case JSON Lines into columns (booleans as 1/0)', async () => {
    const { set } = await load(FIXTURE);
    const table = recordAt(set, 'records/evals/results/support-triage-quality.jsonl').data as EvalCaseTable;
    expect(table).toMatchObject({ kind: 'eval_cases', eval: 'support-triage-quality', format: 'jsonl', cases: 12 });
    expect(Object.keys(table.columns)).toEqual([
      'cost_usd',
      'latency_ms',
      'pii_leakage',
      'task_success',
      'tone_consistency'
    ]);
    expect(Array.from(table.columns['task_success']!.subarray(0, 3))).toEqual([0.906, 0.816, 0.969]);
    expect(Array.from(table.columns['pii_leakage']!.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(table.columns['latency_ms']![0]).toBe(2274);
    expect(recordAt(set, 'records/evals/results/support-triage-quality.jsonl').locate('/4/metrics')).toEqual({
      line: 5,
      column: 1
    });
  });

  it("reads promptfoo's results file as the mapped Eval's cases", async () => {
    const { set } = await load(FIXTURE);
    const table = recordAt(set, 'records/evals/promptfoo/tone-results.json').data as EvalCaseTable;
    expect(table.eval).toBe('tone-check');
    expect(table.format).toBe('promptfoo');
    expect(table.cases).toBe(3);
    const column = (name: string): (number | string)[] =>
      Array.from(table.columns[name]!, (v) => (Number.isNaN(v) ? 'NaN' : v));
    expect(Object.keys(table.columns)).toEqual(['cost_usd', 'empathy', 'latency_ms', 'pass', 'score', 'tone']);
    expect(column('pass')).toEqual([1, 0, 1]);
    expect(column('score')).toEqual([0.92, 0.41, 1]);
    expect(column('tone')).toEqual([0.95, 0.38, 1]);
    expect(column('empathy')).toEqual([0.9, 'NaN', 0.97]);
    expect(column('cost_usd')).toEqual([0.0123, 0.0131, 0.0118]);
    expect(column('latency_ms')).toEqual([1840, 2210, 1502]);
  });

  it('hashes every C2PA manifest the replay receipts reference', async () => {
    const { set } = await load(FIXTURE);
    const paths = Object.keys(set.artifacts);
    expect(paths).toHaveLength(6);
    for (const path of paths) {
      expect(path).toMatch(/^records\/receipts\/manifests\/run-2026-11-18-0001-(live|replay)-s\d\.c2pa\.json$/);
      const bytes = readFileSync(join(FIXTURE, path));
      expect(set.artifacts[path]).toEqual({ status: 'ok', sha256: sha256(bytes), bytes: bytes.length });
    }
  });

  it('gives identical output whatever order the source lists files in', async () => {
    const source = new WorkingTreeSource(FIXTURE, 'head');
    const reversed: FileSource = {
      side: source.side,
      description: source.description,
      list: async () => (await source.list()).reverse(),
      stat: (p) => source.stat(p),
      read: (p, m) => source.read(p, m),
      stream: (p, m) => source.stream(p, m)
    };
    const shuffled: FileSource = {
      ...reversed,
      list: async () => {
        const entries = await source.list();
        return entries
          .map((e, i) => ({ e, k: (i * 7919) % 101 }))
          .sort((a, b) => a.k - b.k)
          .map(({ e }) => e);
      }
    };
    const a = plain(await loadRecordSet(source, fixtureConfig()));
    expect(plain(await loadRecordSet(reversed, fixtureConfig()))).toEqual(a);
    expect(plain(await loadRecordSet(shuffled, fixtureConfig()))).toEqual(a);
  });

  it('gives the same records from a git commit as from the working tree', async () => {
    const root = repo();
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e'
    };
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, env, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'records');
    const commit = git('rev-parse', 'HEAD');
    const gitSource = new GitTreeSource(root, commit, 'head');
    try {
      const fromGit = await loadRecordSet(gitSource, fixtureConfig(), { commit });
      const fromTree = await loadRecordSet(new WorkingTreeSource(root, 'head'), fixtureConfig(), { commit });
      expect(plain(fromGit)).toEqual(plain(fromTree));
      expect(fromGit.set.commit).toBe(commit);
    } finally {
      gitSource.close();
    }
  });

  it('reports progress per file', async () => {
    const calls: [number, number][] = [];
    await loadRecordSet(new WorkingTreeSource(FIXTURE, 'head'), fixtureConfig(), {
      onProgress: (d, t) => calls.push([d, t])
    });
    expect(calls).toHaveLength(14);
    expect(calls.map(([d]) => d)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(calls.every(([, t]) => t === 14)).toBe(true);
  });
});

describe('selecting files', () => {
  it('says clearly when the globs match nothing, naming the globs and the source', async () => {
    const root = repo({ 'README.md': '# bot\n' }, null);
    const { set, issues } = await load(root);
    expect(set.records).toEqual([]);
    expect(issues).toEqual([
      {
        code: 'records.none',
        message: `no records found: the globs records/**/*.{yaml,yml,json,jsonl} matched no file in working tree ${root}`,
        file: '.github/agent-gate.yml',
        pointer: '/records/include',
        side: 'head',
        hint: 'put the records where records.include points, change the globs, or set records.allow_empty: true'
      }
    ]);
  });

  it('accepts an empty selection when allow_empty is set', async () => {
    const root = repo({ 'README.md': '# bot\n' }, null);
    expect((await load(root, fixtureConfig({ allow_empty: true }))).issues).toEqual([]);
  });

  it.each([
    ['../outside/**/*.yaml', '".." segment'],
    ['records/../../**', '".." segment'],
    ['/etc/**', 'absolute'],
    ['C:/records/**', 'absolute'],
    ['records\\**\\*.yaml', 'backslash'],
    ['records/**\0.yaml', 'NUL'],
    ['', 'empty']
  ])('refuses the glob %j and matches nothing outside the repository', async (glob, reason) => {
    const root = repo({ 'records/a.yaml': 'kind: rollout_assessment\nsignals: {x: true}\n' }, null);
    const { set, issues } = await load(root, fixtureConfig({ include: [glob, 'records/**/*.yaml'] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'records.bad-glob',
      file: '.github/agent-gate.yml',
      pointer: '/records/include/0'
    });
    expect(issues[0]!.message).toContain(reason);
    expect(set.records.map((r) => r.source.path)).toEqual(['records/a.yaml']);
  });

  it('applies exclude globs, and dot files are matched', async () => {
    const root = repo(
      {
        'records/.hidden/a.yaml': 'kind: rollout_assessment\nsignals: {x: true}\n',
        'records/drafts/b.yaml': 'nope: 1\n'
      },
      null
    );
    const { set, issues } = await load(root, fixtureConfig({ exclude: ['records/drafts/**'] }));
    expect(issues).toEqual([]);
    expect(set.records.map((r) => r.source.path)).toEqual(['records/.hidden/a.yaml']);
  });

  it('refuses to read more files than records.max_files, with one issue', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`records/r${i}.yaml`] = 'kind: rollout_assessment\nsignals: {x: true}\n';
    const { set, issues } = await load(repo(files, null), fixtureConfig({ max_files: 10 }));
    expect(set.records).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'records.too-many', pointer: '/records/max_files' });
    expect(issues[0]!.message).toContain('select 12 files');
  });

  it("reports a record file the globs miss only because of its extension's case, instead of not judging it", async () => {
    const rejected = 'kind: change_review_record\nreview_id: r-9\nchange_id: chg-1\nstatus: rejected\n';
    const { issues } = await load(
      repo({
        'records/changes/review.YAML': rejected,
        'records/changes/other.Json': '{}',
        'records/changes/notes.TXT': 'not a record extension',
        'records/receipts/manifests/step.JSON': '{}', // excluded, as its lower-case name would be
        'docs/example.YAML': rejected // outside records.include whatever its case
      }),
      fixtureConfig()
    );
    const missed = issues.filter((i) => i.code === 'records.extension-case');
    expect(missed.map((i) => [i.file, i.side])).toEqual([
      ['records/changes/other.Json', 'head'],
      ['records/changes/review.YAML', 'head']
    ]);
    expect(missed[1]!.message).toBe(
      'has the extension ".YAML": records.include selects ".yaml" files (globs are case-sensitive), so it would not be read, and a record in it would not be judged'
    );
    expect(missed[1]!.hint).toBe(
      'rename it to end in ".yaml", or leave it out with records.exclude if it is not a record'
    );
    // a glob that selects the file as it is named reads it
    const { issues: read } = await load(
      repo({ 'records/changes/review.YAML': rejected }),
      fixtureConfig({ include: ['records/**/*.{yaml,yml,json,jsonl,YAML}'] })
    );
    expect(read.filter((i) => i.code === 'records.extension-case')).toEqual([]);
  });

  it('reports a folder of records behind a symbolic link, which the gate does not follow, instead of skipping it', async () => {
    const root = repo({ 'elsewhere/chg-2/assessment.yaml': 'kind: rollout_assessment\nsignals: {x: true}\n' });
    symlinkSync(join(root, 'elsewhere/chg-2'), join(root, 'records/changes-linked'));
    symlinkSync(join(root, 'elsewhere/chg-2'), join(root, 'records/receipts/manifests/linked')); // excluded
    symlinkSync(join(root, 'elsewhere/chg-2'), join(root, 'docs-linked')); // outside records.include
    const { issues } = await load(root);
    expect(issues.filter((i) => i.code === 'records.linked-folder')).toEqual([
      {
        code: 'records.linked-folder',
        side: 'head',
        file: 'records/changes-linked',
        message:
          'is a symbolic link where records.include selects records below it; the gate does not follow links, so records there would not be judged',
        hint: 'move the records into the repository itself, or leave the path out with records.exclude'
      }
    ]);
  });

  it('reports a selected file that is not a record format', async () => {
    const { issues } = await load(
      repo({ 'records/notes.md': '# notes\n' }),
      fixtureConfig({ include: ['records/**'] })
    );
    expect(issues.filter((i) => i.file === 'records/notes.md')).toEqual([
      expect.objectContaining({ code: 'records.unsupported-file' })
    ]);
  });
});

describe('size caps', () => {
  const assessment = (pad: number): string =>
    `kind: rollout_assessment\n# ${'x'.repeat(pad)}\nsignals:\n  trace_coverage: true\n`;

  it('refuses a YAML file over max_file_bytes', async () => {
    const root = repo({ 'records/a.yaml': assessment(5000) }, null);
    const { issues } = await load(root, fixtureConfig({ max_file_bytes: 4096 }));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'file.too-large',
        file: 'records/a.yaml',
        message: expect.stringContaining('4096 bytes')
      })
    ]);
  });

  it('lets a large CycloneDX AgBOM up to max_evidence_bytes, but not another large JSON file', async () => {
    const bom = JSON.parse(readFileSync(join(FIXTURE, 'records/agbom/support-triage.cdx.json'), 'utf8')) as {
      components: unknown[];
    };
    const padded = { ...bom, components: [...bom.components] };
    for (let i = 0; i < 200; i++) padded.components.push({ type: 'library', name: `lib-${i}`, version: '1.0.0' });
    const root = repo(
      {
        'records/agbom/big.cdx.json': JSON.stringify(padded, null, 2),
        'records/receipts/big.json': JSON.stringify({ kind: 'replay_receipts', runs: [], pad: 'x'.repeat(20_000) })
      },
      null
    );
    const { set, issues } = await load(root, fixtureConfig({ max_file_bytes: 8192, max_evidence_bytes: 1_000_000 }));
    expect(set.records.map((r) => r.kind)).toEqual(['agbom']);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'file.too-large',
        file: 'records/receipts/big.json',
        message: expect.stringContaining('only CycloneDX AgBOMs and promptfoo results may be larger')
      })
    ]);
    const { issues: over } = await load(root, fixtureConfig({ max_file_bytes: 8192, max_evidence_bytes: 16_384 }));
    expect(over.map((i) => [i.file, i.code])).toEqual([
      ['records/agbom/big.cdx.json', 'file.too-large'],
      ['records/receipts/big.json', 'file.too-large']
    ]);
  });

  it('reads a large file in full only when it looks like evidence when read, not only when sniffed', async () => {
    // a file swapped between the sniff (its first bytes) and the full read: what is parsed must be evidence too
    const path = 'records/agbom/big.cdx.json';
    const evidence = Buffer.from(
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', pad: 'x'.repeat(20_000) })
    );
    const other = Buffer.from(JSON.stringify({ kind: 'replay_receipts', runs: [], pad: 'y'.repeat(20_000) }));
    const swapping: FileSource = {
      side: 'head',
      description: 'a file swapped while it is read',
      list: async () => [{ path, type: 'file', size: null }],
      stat: async () => ({ path, type: 'file', size: null }),
      read: async () => other,
      stream: async function* () {
        yield evidence;
      }
    };
    const { set, issues } = await loadRecordSet(
      swapping,
      fixtureConfig({ max_file_bytes: 8192, max_evidence_bytes: 1_000_000 }),
      { commit: null }
    );
    expect(set.records).toEqual([]);
    expect(issues).toEqual([expect.objectContaining({ code: 'file.too-large', file: path })]);
  });

  it('streams JSON Lines up to max_evidence_bytes', async () => {
    const line = JSON.stringify({ eval: 'e', case_id: 'c', metrics: { ok: true } });
    const lines = Array.from({ length: 300 }, (_, i) => line.replace('"c"', `"c${i}"`)).join('\n');
    const root = repo({ 'records/r.jsonl': lines }, null);
    expect((await load(root, fixtureConfig({ max_file_bytes: 4096, max_evidence_bytes: 1_000_000 }))).issues).toEqual(
      []
    );
    expect((await load(root, fixtureConfig({ max_file_bytes: 4096, max_evidence_bytes: 8192 }))).issues).toEqual([
      expect.objectContaining({ code: 'file.too-large', file: 'records/r.jsonl' })
    ]);
  });
});

describe('record problems are located', () => {
  const review = (changeId: string): string =>
    [
      'kind: change_review_record',
      'review_id: cr-2026-11-18-001',
      `change_id: ${changeId}`,
      'owner: platform-runtime',
      'change_type: prompt_update',
      'risk_level: high',
      'affected_surfaces: [prompts]',
      'required_reviews: [safety]',
      'required_evals: [support-triage-quality]',
      'status: approved',
      ''
    ].join('\n');

  it('hints to quote a YAML scalar that was read as a number', async () => {
    const { issues } = await load(repo({ 'records/review.yaml': review('1e10') }, null));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'schema.type',
        file: 'records/review.yaml',
        side: 'head',
        line: 3,
        column: 1,
        pointer: '/change_id',
        hint: 'change_id: 1e10 was read as a number; quote it: "1e10"'
      })
    ]);
  });

  it('hints to quote a version read as a number, and explains an empty value', async () => {
    const { issues } = await load(
      repo({ 'records/review.yaml': review('2.10').replace('owner: platform-runtime', 'owner:') }, null)
    );
    expect(issues.map((i) => [i.pointer, i.line, i.hint])).toEqual([
      ['/change_id', 3, 'change_id: 2.10 was read as a number; quote it: "2.10"'],
      [
        '/owner',
        4,
        'owner is empty, which YAML reads as null; write the value (quoted if it looks like a number or boolean)'
      ]
    ]);
  });

  it('hints in JSON terms for a JSON record', async () => {
    const receipts = { kind: 'replay_receipts', receipt_set_id: 20261118, runs: [] };
    const { issues } = await load(repo({ 'records/r.json': JSON.stringify(receipts, null, 2) }, null));
    expect(issues.map((i) => [i.pointer, i.line, i.column, i.hint])).toEqual([
      ['/receipt_set_id', 3, 3, 'receipt_set_id is the number 20261118 here; write it as a string: "20261118"'],
      ['/runs', 4, 3, undefined]
    ]);
  });

  it('explains a file of no known kind, and an empty file', async () => {
    const { issues } = await load(
      repo({ 'records/a.yaml': 'kind: change_reveiw_record\n', 'records/b.yaml': '# nothing yet\n' }, null)
    );
    expect(issues.map((i) => [i.file, i.code, i.line])).toEqual([
      ['records/a.yaml', 'records.unknown-kind', 1],
      ['records/b.yaml', 'records.empty', 1]
    ]);
    expect(issues[0]!.message).toContain("did you mean 'change_review_record'?");
  });

  it('keeps parse errors of each file, sorted by file, line, column and code', async () => {
    const { issues } = await load(
      repo(
        {
          'records/z.yaml': 'a: 1\na: 2\n',
          'records/a.json': '{"kind": "x",}',
          'records/m.yaml': 'x: !!binary aGVsbG8=\ny: *nothing\n'
        },
        null
      )
    );
    expect(issues.map((i) => [i.file, i.line, i.code])).toEqual([
      ['records/a.json', 1, 'json.syntax'],
      ['records/m.yaml', 1, 'yaml.tag'],
      ['records/m.yaml', 2, 'yaml.alias'],
      ['records/z.yaml', 2, 'yaml.duplicate-key']
    ]);
    expect(issues.every((i) => i.side === 'head')).toBe(true);
  });

  it('stops at the promptfoo result naming a score past the 512th, located', async () => {
    const results = Array.from({ length: 2000 }, (_, i) => ({
      promptIdx: 0,
      testIdx: i,
      success: true,
      score: 1,
      namedScores: { [`s${i}`]: 1 }
    }));
    const text = JSON.stringify({ evalId: 'e', results: { version: 3, results } }, null, 1);
    const { set, issues } = await load(repo({ 'records/evals/promptfoo/tone-results.json': text }));
    expect(set.records.some((r) => r.source.path.endsWith('tone-results.json'))).toBe(false);
    // pass and score are columns too: s0…s509 make 512, the result naming s510 makes 513
    const issue = issues.find((i) => i.code === 'promptfoo.too-many-metrics');
    expect(issue).toMatchObject({
      file: 'records/evals/promptfoo/tone-results.json',
      pointer: '/results/results/510/namedScores',
      message: expect.stringContaining('more than 512 different scores')
    });
    expect(issue!.line).toBeGreaterThan(1);
  });

  it('stops at the promptfoo result past which the scores would keep more than 2^27 values', async () => {
    // 512 columns (pass, score and 510 named scores taking turns): 262,144 results fill 2^27 values exactly
    const results = Array.from({ length: 262_146 }, (_, i) => ({
      promptIdx: 0,
      testIdx: i,
      success: true,
      score: 1,
      namedScores: { [`s${i % 510}`]: 1 }
    }));
    const text = JSON.stringify({ evalId: 'e', results: { version: 3, results } });
    const { set, issues } = await load(repo({ 'records/evals/promptfoo/tone-results.json': text }));
    expect(set.records.some((r) => r.source.path.endsWith('tone-results.json'))).toBe(false);
    const issue = issues.find((i) => i.code === 'promptfoo.too-many-values');
    expect(issue).toMatchObject({
      file: 'records/evals/promptfoo/tone-results.json',
      pointer: '/results/results/262144',
      message:
        'would keep more than 134,217,728 values (512 scores × 262,145 results by this result); the file is not read'
    });
  }, 120_000);

  it('asks for a mapping when a promptfoo results file has no Eval', async () => {
    const config = fixtureConfig();
    config.evals.promptfoo = [];
    const { set, issues } = await load(FIXTURE, config);
    expect(set.records.some((r) => r.source.path.endsWith('tone-results.json'))).toBe(false);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'promptfoo.unmapped',
        file: 'records/evals/promptfoo/tone-results.json',
        hint: expect.stringContaining('promptfoo: [{ path: "records/evals/promptfoo/tone-results.json"')
      })
    ]);
  });
});

describe('per-case JSON Lines', () => {
  const line = (caseId: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      eval: 'support-triage-quality',
      case_id: caseId,
      metrics: { task_success: 0.9, pii_leakage: false },
      ...extra
    });

  it('stops at the line naming a metric past the 512th (memory is metrics × cases), located', async () => {
    // a new metric on every line would otherwise take a column of every case per line: 3 GB for 20,000 lines
    const lines = Array.from({ length: 2000 }, (_, i) => line(`c${i}`, { metrics: { [`m${i}`]: 1, ok: true } }));
    const { set, issues } = await load(repo({ 'records/r.jsonl': lines.join('\n') + '\n' }, null));
    expect(set.records).toEqual([]);
    // columns: m0…m510 and ok make 512; the line of m511 makes 513
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'eval-cases.too-many-metrics',
        file: 'records/r.jsonl',
        line: 512,
        pointer: '/511/metrics',
        message: expect.stringContaining('more than 512 different metrics')
      })
    ]);
    // 512 different names are read
    const fine = Array.from({ length: 600 }, (_, i) => line(`c${i}`, { metrics: { [`m${i % 511}`]: 1, ok: true } }));
    const ok = await load(repo({ 'records/r.jsonl': fine.join('\n') + '\n' }, null));
    expect(ok.issues).toEqual([]);
    expect(Object.keys((ok.set.records[0]!.data as EvalCaseTable).columns)).toHaveLength(512);
  });

  it('skips blank lines, accepts CRLF, and fills NaN where a case lacks a field', async () => {
    const text =
      [line('c1', { cost_usd: 0.2 }), '', '   ', line('c2', { metrics: { task_success: 0.5 } })].join('\r\n') + '\r\n';
    const { set, issues } = await load(repo({ 'records/r.jsonl': text }, null));
    expect(issues).toEqual([]);
    const table = set.records[0]!.data as EvalCaseTable;
    expect(table.cases).toBe(2);
    expect(Array.from(table.columns['cost_usd']!)).toEqual([0.2, NaN]);
    expect(Array.from(table.columns['pii_leakage']!)).toEqual([0, NaN]);
  });

  it.each([
    ['a no-break space', '\u00a0'],
    ['a line separator', '\u2028'],
    ['an ideographic space', '\u3000']
  ])('rejects a line of %s (not JSON whitespace) with its location, never skips it', async (_, space) => {
    const text = [line('c1'), `  ${space} `, line('c2')].join('\n') + '\n';
    const { issues } = await load(repo({ 'records/r.jsonl': text }, null));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'records/r.jsonl', line: 2 });
  });

  it('locates each case at its own line when blank, whitespace-only or CRLF lines come before it', async () => {
    // a blank first line, whitespace-only lines, CRLF endings and a last line without a newline
    const text = ['', line('c1', { cost_usd: 0.2 }), ' \t ', line('c2'), '', '\r', line('c3', { latency_ms: 5 })].join(
      '\r\n'
    );
    const { set, issues } = await load(repo({ 'records/r.jsonl': text }, null));
    expect(issues).toEqual([]);
    const record = set.records[0]!;
    expect((record.data as EvalCaseTable).cases).toBe(3);
    // pointers name a case by its row in the table (as the gate builds them), not by its line
    expect(['/0/cost_usd', '/1/metrics/task_success', '/2/latency_ms', '/2'].map((p) => record.locate(p))).toEqual([
      { line: 2, column: 1 },
      { line: 4, column: 1 },
      { line: 7, column: 1 },
      { line: 7, column: 1 }
    ]);
    expect(record.locate('')).toEqual({ line: 1, column: 1 });
    // a row the table does not have is not located
    expect(record.locate('/3/metrics/task_success')).toBeUndefined();
  });

  it('a value out of range after a blank line is reported at its own line', async () => {
    const path = 'records/evals/results/support-triage-quality.jsonl';
    const lines = readFileSync(join(FIXTURE, path), 'utf8').trimEnd().split('\n');
    const outOfRange = lines[5]!.replace(/"task_success":[0-9.]+/, '"task_success":300');
    expect(outOfRange).not.toBe(lines[5]);
    // rows 0-2 on lines 1-3, two blank lines, rows 3-4 on lines 6-7, the bad row 5 on line 8
    const text = [...lines.slice(0, 3), '', '', lines[3], lines[4], outOfRange, ...lines.slice(6)].join('\n') + '\n';
    const { set, issues } = await load(repo({ [path]: text }));
    expect(issues).toEqual([]);
    const { findings } = evaluateEvals(createContext(gateInput({ head: set })));
    const outside = findings.filter((f) => f.rule === 'evals.value-out-of-range');
    expect(outside).toHaveLength(1);
    expect(outside[0]!.location).toMatchObject({ file: path, line: 8, pointer: '/5/metrics/task_success' });
    expect(outside[0]!.message).toContain('(line 8: 300)');
  });

  it('names the right lines in every issue, with blank lines, CRLF, a byte order mark and no final newline', async () => {
    const lines = [
      '',
      line('c1'),
      '   ',
      '{"eval": "support-triage-quality", "case_id": "c2", "metrics": {"task_success": "0.9"}}',
      '',
      '{"eval": "support-triage-quality", "case_id": "c3", "metrics": {}, }',
      '\t',
      line('c1'),
      '',
      '',
      line('c4'),
      line('c4')
    ];
    const expected = [
      [4, 'schema.type', '/3/metrics/task_success'],
      [6, 'json.syntax', '/5'],
      [8, 'eval-cases.duplicate-case', '/7/case_id', 'repeats the case_id "c1" (first at line 2)'],
      [12, 'eval-cases.duplicate-case', '/11/case_id', 'repeats the case_id "c4" (first at line 11)']
    ];
    for (const [eol, bom, last] of [
      ['\n', '', ''],
      ['\r\n', '', ''],
      ['\n', '\ufeff', '\n'],
      ['\r\n', '\ufeff', '\r\n'],
      ['\r\n', '', '\r\n\r\n']
    ]) {
      const text = bom + lines.join(eol) + last;
      const { set, issues } = await load(repo({ 'records/r.jsonl': text }, null));
      expect(set.records).toEqual([]);
      expect(
        issues.map((i) =>
          i.code === 'eval-cases.duplicate-case' ? [i.line, i.code, i.pointer, i.message] : [i.line, i.code, i.pointer]
        )
      ).toEqual(expected.map((e) => (e.length === 4 ? e : e.slice(0, 3))));
    }
    // the first of two cases on the first line, after a byte order mark
    const text = `\ufeff${line('c1')}\r\n\r\n${line('c1')}`;
    const { issues } = await load(repo({ 'records/r.jsonl': text }, null));
    expect(issues.map((i) => [i.line, i.pointer, i.message])).toEqual([
      [3, '/2/case_id', 'repeats the case_id "c1" (first at line 1)']
    ]);
  });

  it('locates each bad line by its line number and pointer', async () => {
    const text = [
      line('c1'),
      '{"eval": "support-triage-quality", "case_id": "c2", "metrics": {"task_success": "0.9"}}',
      '{"eval": "support-triage-quality", "case_id": "c3", "metrics": {}, }',
      line('c1'),
      line('c5', { eval: 'other-eval' }),
      line('c6')
    ].join('\n');
    const { set, issues } = await load(repo({ 'records/r.jsonl': text }, null));
    expect(set.records).toEqual([]);
    expect(issues.map((i) => [i.line, i.code, i.pointer])).toEqual([
      [2, 'schema.type', '/1/metrics/task_success'],
      [3, 'json.syntax', '/2'],
      [4, 'eval-cases.duplicate-case', '/3/case_id'],
      [5, 'eval-cases.mixed-evals', '/4/eval']
    ]);
    expect(issues[0]!.column).toBe(65);
    expect(issues[2]!.message).toBe('repeats the case_id "c1" (first at line 1)');
    expect(issues[3]!.message).toContain('names the eval "other-eval" but line 1 names "support-triage-quality"');
  });

  it('reports an over-long line and carries on with the next', async () => {
    const long = line('c2', { note: 'x'.repeat(5000) });
    const text = [line('c1'), long, '{"broken"'].join('\n');
    const { issues } = await load(repo({ 'records/r.jsonl': text }, null), fixtureConfig({ max_file_bytes: 4096 }));
    expect(issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'eval-cases.line-too-long'],
      [3, 'json.syntax']
    ]);
  });

  it('stops at the first invalid UTF-8 byte, naming its line and offset', async () => {
    const bad = Buffer.concat([
      Buffer.from(`${line('c1')}\n${line('c2')}\n{"eval": "caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}\n')
    ]);
    const { issues } = await load(repo({ 'records/r.jsonl': bad }, null));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'text.invalid-utf8',
        line: 3,
        column: 14,
        message: expect.stringContaining(`byte offset ${bad.indexOf(0xe9)}`)
      })
    ]);
  });

  it('rejects a UTF-16 results file with one issue', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line('c1')}\n${line('c2')}\n`, 'utf16le')]);
    const { issues } = await load(repo({ 'records/r.jsonl': utf16 }, null));
    expect(issues).toEqual([expect.objectContaining({ code: 'text.encoding', line: 1 })]);
  });

  it('reports a results file without cases', async () => {
    const { issues } = await load(repo({ 'records/r.jsonl': '\n\n' }, null));
    expect(issues).toEqual([expect.objectContaining({ code: 'eval-cases.empty', file: 'records/r.jsonl' })]);
  });

  it('records the digest of the whole file', async () => {
    const text = `${line('c1')}\n${line('c2')}`;
    const { set } = await load(repo({ 'records/r.jsonl': text }, null));
    expect(set.files).toEqual([
      { path: 'records/r.jsonl', side: 'head', sha256: sha256(text), bytes: Buffer.byteLength(text) }
    ]);
  });
});

describe('replay receipt manifests', () => {
  const receipts = (paths: string[]): string =>
    JSON.stringify({
      kind: 'replay_receipts',
      runs: [
        {
          run_id: 'r1',
          live: {
            tokens: { input: 10, output: 5 },
            cost_usd: 0.01,
            steps: paths.map((path, i) => ({
              step_id: `s${i}`,
              tool: 'search_kb',
              policy_verdict: 'allow',
              c2pa_manifest: { path, sha256: '0'.repeat(64) }
            }))
          },
          replay: { tokens: { input: 10, output: 5 }, cost_usd: 0.01, steps: [] }
        }
      ]
    });

  it('records missing, rejected and out-of-repository manifests without throwing', async () => {
    const root = repo(
      {
        'records/receipts/r.json': receipts([
          'manifests/ok.c2pa.json',
          'manifests/missing.c2pa.json',
          'manifests/link.c2pa.json',
          '../../shared/up.c2pa.json',
          '../../../../etc/passwd'
        ]),
        'records/receipts/manifests/ok.c2pa.json': '{"claim_generator": "x"}',
        'shared/up.c2pa.json': '{"claim_generator": "y"}'
      },
      null
    );
    symlinkSync('/proc/self/environ', join(root, 'records/receipts/manifests/link.c2pa.json'));
    const { set, issues } = await load(root);
    expect(issues).toEqual([]);
    expect(set.artifacts).toEqual({
      'records/receipts/manifests/link.c2pa.json': {
        status: 'rejected',
        reason:
          'records/receipts/manifests/link.c2pa.json is a symbolic link; the gate does not follow links (it could point at /proc/self/environ or .git/config)'
      },
      'records/receipts/manifests/missing.c2pa.json': {
        status: 'missing',
        reason: 'records/receipts/manifests/missing.c2pa.json does not exist'
      },
      'records/receipts/manifests/ok.c2pa.json': {
        status: 'ok',
        sha256: sha256('{"claim_generator": "x"}'),
        bytes: 24
      },
      'shared/up.c2pa.json': { status: 'ok', sha256: sha256('{"claim_generator": "y"}'), bytes: 24 }
    });
  });
});

describe('readConfigFile', () => {
  it('reads the configuration with locations', async () => {
    const read = await readConfigFile(new WorkingTreeSource(FIXTURE, 'base'), '.github/agent-gate.yml');
    expect(read.status).toBe('ok');
    if (read.status !== 'ok') return;
    expect((read.value as { key: string }).key).toBe('support-triage');
    expect(read.file).toMatchObject({ path: '.github/agent-gate.yml', side: 'base' });
    expect(read.file.sha256).toBe(sha256(readFileSync(join(FIXTURE, '.github/agent-gate.yml'))));
    expect(read.locate('/records/include/0')).toEqual({ line: 9, column: 7 });
  });

  it('says absent when there is no file', async () => {
    expect(await readConfigFile(new WorkingTreeSource(repo({}, null), 'head'), '.github/agent-gate.yml')).toEqual({
      status: 'absent'
    });
  });

  it('applies the same parsing rules as records', async () => {
    const root = repo(
      { '.github/agent-gate.yml': 'version: 1\nrecords:\n  include: [a]\nrecords:\n  include: [b]\n' },
      null
    );
    const read = await readConfigFile(new WorkingTreeSource(root, 'head'), '.github/agent-gate.yml');
    expect(read).toEqual({
      status: 'invalid',
      issues: [
        expect.objectContaining({ code: 'yaml.duplicate-key', line: 4, side: 'head', file: '.github/agent-gate.yml' })
      ]
    });
  });

  it('refuses a configuration that is a symbolic link, and a bad path', async () => {
    const root = repo({}, null);
    mkdirSync(join(root, '.github'));
    symlinkSync('/proc/self/environ', join(root, '.github/agent-gate.yml'));
    const source = new WorkingTreeSource(root, 'head');
    expect(await readConfigFile(source, '.github/agent-gate.yml')).toEqual({
      status: 'invalid',
      issues: [expect.objectContaining({ code: 'file.symlink', file: '.github/agent-gate.yml' })]
    });
    expect(await readConfigFile(source, '../agent-gate.yml')).toEqual({
      status: 'invalid',
      issues: [expect.objectContaining({ code: 'file.bad-path' })]
    });
  });
});

describe('issues never repeat a secret', () => {
  const TOKEN = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  const LONG_TOKEN = `${TOKEN}S9t0U1v2W3x4`;
  const PASSWORD = '91827364550012';
  const BOM_PATH = 'records/agbom/support-triage.cdx.json';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Bom = Record<string, any>;
  const bom = (): Bom => JSON.parse(readFileSync(join(FIXTURE, BOM_PATH), 'utf8')) as Bom;

  /** No issue's text holds 8 characters in a row of a secret's body (a mask shows at most its last four). */
  function expectMasked(issues: readonly unknown[], secrets: readonly string[] = [TOKEN, LONG_TOKEN]): void {
    const text = JSON.stringify(issues);
    for (const secret of secrets) {
      const body = secret.replace(/^ghp_/, '');
      for (let i = 0; i + 8 <= body.length; i++) expect(text).not.toContain(body.slice(i, i + 8));
    }
  }

  async function issuesWith(path: string, content: string): Promise<LoadResult['issues']> {
    const { issues } = await load(repo({ [path]: content }));
    expect(issues.length).toBeGreaterThan(0);
    return issues;
  }

  it.each<[string, (b: Bom) => void, string]>([
    ['a hash that is not a hash', (b) => (b.components[0].hashes[0].content = TOKEN), 'schema.pattern'],
    ['a hash algorithm not in the enum', (b) => (b.components[0].hashes[0].alg = TOKEN), 'schema.enum'],
    ['a component type not in the enum', (b) => (b.components[0].type = TOKEN), 'schema.enum'],
    ['an unsupported specVersion', (b) => (b.specVersion = TOKEN), 'agbom.unsupported-version'],
    [
      'a token where a long value is clipped',
      (b) => (b.specVersion = `${'v'.repeat(60)} ${LONG_TOKEN} ${'v'.repeat(40)}`),
      'agbom.unsupported-version'
    ],
    ['a key the schema does not know', (b) => (b.services[0][TOKEN] = 'x'), 'schema.unknown-key'],
    ['a bomFormat that is not CycloneDX', (b) => (b.bomFormat = TOKEN), 'records.unknown-kind']
  ])('an invalid AgBOM: %s', async (_name, edit, code) => {
    const b = bom();
    edit(b);
    const issues = await issuesWith(BOM_PATH, JSON.stringify(b, null, 2));
    expect(issues.map((i) => i.code)).toContain(code);
    expect(JSON.stringify(issues)).toContain('ghp_…');
    expectMasked(issues);
  });

  it('a key in the path of a bad value', async () => {
    const path = 'records/evals/duplicate-ticket.yaml';
    const text = readFileSync(join(FIXTURE, path), 'utf8').replace(
      '    trace_id_preserved: ">=0.99"',
      `    trace_id_preserved: ">=0.99"\n    ${TOKEN}: "about 0.9"`
    );
    const issues = await issuesWith(path, text);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'schema.pattern',
        pointer: '/spec/thresholds/ghp_…Q7r8',
        message: expect.stringMatching(/^spec\.thresholds\["ghp_…Q7r8"\] must be a number or a comparator/)
      })
    ]);
    expectMasked(issues);
  });

  it('a password is masked by the name it sits under, even written as a number', async () => {
    const b = bom();
    b.components[0].properties.push({ name: 'db_password', value: Number(PASSWORD) });
    const issues = await issuesWith(BOM_PATH, JSON.stringify(b, null, 2));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'schema.type', message: expect.stringContaining('got a number (…)') })
    ]);
    expectMasked(issues, [PASSWORD]);
  });

  it('an unknown key in a YAML record, and its pointer', async () => {
    const issues = await issuesWith(
      'records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml',
      `${readFileSync(join(FIXTURE, 'records/changes/chg-2026-11-18-support-triage-idempotency/review.yaml'), 'utf8')}${TOKEN}: yes\n`
    );
    expect(issues).toEqual([expect.objectContaining({ code: 'schema.unknown-key', pointer: '/ghp_…Q7r8' })]);
    expectMasked(issues);
  });

  it.each([
    ['YAML', 'records/extra.yaml', `kind: change_review_record\n${TOKEN}: 1\n${TOKEN}: 2\n`, 'yaml.duplicate-key'],
    [
      'YAML, a key longer than the excerpt',
      'records/extra.yaml',
      `a: 1\n${LONG_TOKEN}: 1\n${LONG_TOKEN}: 2\n`,
      'yaml.duplicate-key'
    ],
    ['JSON', 'records/extra.json', `{"kind": "eval_scores", "${TOKEN}": 1, "${TOKEN}": 2}`, 'json.duplicate-key']
  ])('a duplicate key (%s)', async (_name, path, content, code) => {
    const issues = await issuesWith(path, content);
    expect(issues.map((i) => i.code)).toContain(code);
    expect(JSON.stringify(issues)).toContain('ghp_…'); // the message names the key, masked
    expectMasked(issues);
  });

  it.each([
    ['a stray token after a flow end', `a: 1\n]${TOKEN}\n`],
    ['an unknown directive (clipped by the excerpt)', `%${TOKEN}\n---\na: 1\n`],
    ['a block scalar header', `a: |-${TOKEN}\n  text\n`]
  ])('a YAML syntax error that quotes the source: %s', async (_name, content) => {
    const issues = await issuesWith('records/extra.yaml', content);
    expect(issues.some((i) => i.code.startsWith('yaml.'))).toBe(true);
    expect(JSON.stringify(issues)).toContain('ghp_…'); // the excerpt is there, masked
    expectMasked(issues);
  });

  it('per-case JSON Lines: a bad value, and cases of two evals', async () => {
    const line = (evalName: string, metric: unknown): string =>
      JSON.stringify({ eval: evalName, case_id: `c-${String(metric).length}`, metrics: { m: metric } });
    const bad = await issuesWith('records/evals/results/extra.jsonl', `${line('e', TOKEN)}\n`);
    expect(bad.map((i) => i.code)).toEqual(['schema.type']);
    expectMasked(bad);
    const mixed = await issuesWith('records/evals/results/extra.jsonl', `${line('e', 1)}\n${line(TOKEN, 0.5)}\n`);
    expect(mixed.map((i) => i.code)).toEqual(['eval-cases.mixed-evals']);
    expectMasked(mixed);
  });

  it('replay receipts: a digest that is a token', async () => {
    const receipts = JSON.parse(readFileSync(join(FIXTURE, 'records/receipts/replays.json'), 'utf8')) as Bom;
    receipts.runs[0].live.steps[0].c2pa_manifest.sha256 = TOKEN;
    const issues = await issuesWith('records/receipts/replays.json', JSON.stringify(receipts));
    expect(issues.map((i) => i.code)).toEqual(['schema.pattern']);
    expectMasked(issues);
  });

  it('the configuration file, when it cannot be parsed', async () => {
    const root = repo({ '.github/agent-gate.yml': `version: 1\n${TOKEN}: a\n${TOKEN}: b\n` });
    const read = await readConfigFile(new WorkingTreeSource(root, 'head'), '.github/agent-gate.yml');
    expect(read.status).toBe('invalid');
    expectMasked(read.status === 'invalid' ? read.issues : []);
  });
});
