/**
 * Hostile input (issue 8, "Files" and "YAML/JSON"): whatever a pull request puts in the repository, the
 * loader answers with records or located issues, fails closed, never echoes a secret, never hangs, and
 * loses no issue.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import type { GateConfig } from '../../model/config.js';
import type { RecordIssue } from '../../model/issue.js';
import type { EvalCaseTable, RolloutAssessment } from '../../model/records.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';
import { WorkingTreeSource } from '../fs-source.js';
import { loadRecordSet } from '../load.js';
import type { LoadResult } from '../load.js';
import { parseDocument } from '../parse.js';
import { SourceError } from '../source.js';
import type { FileSource, SourceEntry } from '../source.js';

const SECRET = 'AKIAHOSTILESECRET9999';
const MAX_FILE_BYTES = 64 * 1024;

let tmp: string;
let root: string;
let result: LoadResult;
let elapsed: number;

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function config(overrides: Partial<GateConfig['records']> = {}): GateConfig {
  const c = structuredClone(DEFAULT_CONFIG);
  c.records = { ...c.records, include: ['records/**'], max_file_bytes: MAX_FILE_BYTES, ...overrides };
  return c;
}

function issuesOf(file: string): RecordIssue[] {
  return result.issues.filter((i) => i.file === file);
}

const assessment = (signals: string): string => `kind: rollout_assessment\nsignals:\n${signals}`;

const aliasBomb = [
  'kind: rollout_assessment',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const name = String.fromCharCode(98 + i);
    const prev = String.fromCharCode(97 + i);
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`;
  }),
  'signals: {x: true}',
  ''
].join('\n');

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gate-hostile-'));
  root = join(tmp, 'repo');
  mkdirSync(root);
  writeFileSync(join(tmp, 'outside-secret.yaml'), `kind: rollout_assessment\nsignals: {${SECRET}: true}\n`);
  write('.git/config', `[remote "origin"]\n  url = https://x-access-token:${SECRET}@github.com/acme/bot\n`);

  // Files
  mkdirSync(join(root, 'records'));
  symlinkSync('/proc/self/environ', join(root, 'records/environ.yaml'));
  symlinkSync('../.git/config', join(root, 'records/git-config.yaml'));
  symlinkSync(join(tmp, 'outside-secret.yaml'), join(root, 'records/outside.yaml'));
  symlinkSync(tmp, join(root, 'records/linked-folder'));
  execFileSync('mkfifo', [join(root, 'records/x.yaml')]);
  write('records/oversized.yaml', assessment(`  pad: true\n# ${'x'.repeat(MAX_FILE_BYTES)}\n`));
  write(
    'records/latin1.yaml',
    Buffer.concat([Buffer.from('kind: rollout_assessment\nowner: Jos'), Buffer.from([0xe9]), Buffer.from('\n')])
  );
  write(
    'records/utf16.yaml',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(assessment('  ok: true\n'), 'utf16le')])
  );
  write(
    'records/bom.yaml',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(assessment('  bom_ok: true\n'))])
  );

  // YAML/JSON
  write('records/alias-bomb.yaml', aliasBomb);
  write('records/deep.yaml', `kind: rollout_assessment\nsignals: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
  write('records/deep.json', `{"kind": "rollout_assessment", "signals": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
  write('records/dup.yaml', assessment('  trace_coverage: true\n  oncall_ready: true\n  trace_coverage: false\n'));
  write(
    'records/dup.json',
    '{\n  "kind": "rollout_assessment",\n  "signals": {"a": true},\n  "signals": {"a": false}\n}\n'
  );
  write(
    'records/yaml11.yaml',
    '%YAML 1.1\n---\nrollout:\n  require: [a]\n  block_if: [b]\n  rollout_mode:\n    require_shadow_period: no\n'
  );
  write(
    'records/merge.yaml',
    'kind: rollout_assessment\nsignals:\n  <<: {trace_coverage: true}\n  oncall_ready: true\n'
  );
  write('records/binary.yaml', assessment('  trace_coverage: !!binary dHJ1ZQ==\n'));
  write('records/set.yaml', 'kind: rollout_assessment\nsignals: !!set {a, b}\n');
  write(
    'records/timestamp.yaml',
    'kind: rollout_assessment\nsignals: {a: true}\nevidence: {a: !!timestamp 2026-11-18}\n'
  );
  write('records/custom-tag.yaml', 'kind: rollout_assessment\nsignals: !Ref Signals\n');
  write('records/several.yaml', `${assessment('  a: true\n')}---\n${assessment('  b: true\n')}`);
  write(
    'records/sha.yaml',
    [
      'kind: rollout_gate_record',
      'gate_id: gate-1',
      'change_id: chg-1',
      'bundle_id: 1234567',
      'rollout_wave: 2.10',
      'traffic_scope: 5_percent',
      'required_checks: [telemetry_ready]',
      'blocking_findings: []',
      'decision: go',
      'decided_by: [runtime_owner]',
      ''
    ].join('\n')
  );
  write('records/sha-exponent.yaml', 'kind: rollout_assessment\nchange_id: 4e1243\nsignals: {a: true}\n');
  write('records/bigint.yaml', 'kind: eval_scores\neval: quality\ncases: 12345678901234567890\nmetrics: {a: 1}\n');
  write(
    'records/nan.yaml',
    'kind: eval_scores\neval: quality\nmetrics:\n  task_success: .nan\n  latency: .inf\n  drift: -.inf\n'
  );
  write('records/proto.yaml', assessment('  __proto__: true\n  constructor: true\n  polluted: true\n'));
  write('records/proto.json', '{"kind": "rollout_assessment", "signals": {"__proto__": true, "constructor": false}}');
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('a hostile repository', () => {
  beforeAll(async () => {
    const started = Date.now();
    result = await loadRecordSet(new WorkingTreeSource(root, 'head'), config());
    elapsed = Date.now() - started;
  });

  it('is read in bounded time (no hang on the FIFO, no alias expansion, no deep recursion)', () => {
    expect(elapsed).toBeLessThan(10_000);
  });

  it('never echoes a secret or the environment in any message', () => {
    const everything = JSON.stringify(result.issues);
    expect(everything).not.toContain(SECRET);
    for (const [name, value] of Object.entries(process.env)) {
      if (value && value.length >= 12 && !root.includes(value) && !tmp.includes(value)) {
        expect({ name, found: everything.includes(value) }).toEqual({ name, found: false });
      }
    }
  });

  it('locates every issue at least by file, side and code', () => {
    for (const issue of result.issues) {
      expect(issue.file).toMatch(/^records\//);
      expect(issue.side).toBe('head');
      expect(issue.code).toMatch(/^[a-z-]+\.[a-z0-9.-]+$/);
      expect(issue.message.length).toBeLessThan(600);
    }
  });

  it.each([
    ['records/environ.yaml', 'file.symlink'],
    ['records/git-config.yaml', 'file.symlink'],
    ['records/outside.yaml', 'file.symlink'],
    ['records/x.yaml', 'file.not-regular'],
    ['records/oversized.yaml', 'file.too-large'],
    ['records/latin1.yaml', 'text.invalid-utf8'],
    ['records/utf16.yaml', 'text.encoding'],
    ['records/deep.yaml', 'yaml.too-deep'],
    ['records/deep.json', 'json.too-deep'],
    ['records/yaml11.yaml', 'yaml.directive'],
    ['records/several.yaml', 'yaml.multiple-documents']
  ])('%s: one issue, %s', (file, code) => {
    expect(issuesOf(file).map((i) => i.code)).toEqual([code]);
  });

  it('names the symbolic links as such, without following them', () => {
    for (const file of ['records/environ.yaml', 'records/git-config.yaml', 'records/outside.yaml']) {
      expect(issuesOf(file)[0]!.message).toBe(
        `${file} is a symbolic link; the gate does not follow links (it could point at /proc/self/environ or .git/config)`
      );
    }
    // a linked folder is listed as a link, never walked into
    expect(result.set.paths).toContain('records/linked-folder');
    expect(result.set.paths!.some((p) => p.startsWith('records/linked-folder/'))).toBe(false);
    expect(issuesOf('records/linked-folder').map((i) => i.code)).toEqual(['file.symlink']);
  });

  it('locates encoding problems', () => {
    expect(issuesOf('records/latin1.yaml')[0]).toMatchObject({ line: 2, column: 11 });
    expect(issuesOf('records/utf16.yaml')[0]!.hint).toMatch(/save the file as UTF-8/);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(issuesOf('records/bom.yaml')).toEqual([]);
    const bom = result.set.records.find((r) => r.source.path === 'records/bom.yaml');
    expect((bom?.data as RolloutAssessment).signals).toEqual({ bom_ok: true });
  });

  it('rejects the alias bomb at its aliases, without expanding it', () => {
    const codes = new Set(issuesOf('records/alias-bomb.yaml').map((i) => i.code));
    expect([...codes].sort()).toEqual(['yaml.alias', 'yaml.anchor']);
    expect(issuesOf('records/alias-bomb.yaml').every((i) => i.line !== undefined && i.pointer !== undefined)).toBe(
      true
    );
  });

  it('rejects duplicate keys in YAML and JSON, naming both lines', () => {
    expect(issuesOf('records/dup.yaml')).toEqual([
      expect.objectContaining({ code: 'yaml.duplicate-key', line: 5, pointer: '/signals/trace_coverage' })
    ]);
    expect(issuesOf('records/dup.yaml')[0]!.message).toContain('at line 3 and line 5');
    expect(issuesOf('records/dup.json')).toEqual([
      expect.objectContaining({ code: 'json.duplicate-key', line: 4, column: 3, pointer: '/signals' })
    ]);
  });

  it('rejects merge keys and every non-core tag', () => {
    expect(issuesOf('records/merge.yaml').map((i) => [i.code, i.line])).toEqual([['yaml.merge-key', 3]]);
    for (const [file, tag] of [
      ['records/binary.yaml', '!!binary'],
      ['records/set.yaml', '!!set'],
      ['records/timestamp.yaml', '!!timestamp'],
      ['records/custom-tag.yaml', '!Ref']
    ] as const) {
      const found = issuesOf(file);
      expect(found.map((i) => i.code)).toEqual(['yaml.tag']);
      expect(found[0]!.message).toContain(tag);
      expect(found[0]!.line).toBeGreaterThan(1);
    }
  });

  it('does not read %YAML 1.1 booleans: the directive is refused', () => {
    expect(issuesOf('records/yaml11.yaml')[0]).toMatchObject({
      line: 1,
      column: 1,
      hint: expect.stringContaining('true/false')
    });
  });

  it('gives "quote it" hints for SHAs and versions read as numbers', () => {
    expect(issuesOf('records/sha.yaml').map((i) => [i.pointer, i.line, i.hint])).toEqual([
      ['/bundle_id', 4, 'bundle_id: 1234567 was read as a number; quote it: "1234567"'],
      ['/rollout_wave', 5, 'rollout_wave: 2.10 was read as a number; quote it: "2.10"']
    ]);
    expect(issuesOf('records/sha-exponent.yaml')).toEqual([
      expect.objectContaining({
        code: 'yaml.non-finite',
        line: 2,
        column: 12,
        hint: expect.stringContaining('quote it: "4e1243"')
      })
    ]);
  });

  it('rejects integers above 2^53 and .nan/.inf with a quote-it hint', () => {
    expect(issuesOf('records/bigint.yaml')).toEqual([
      expect.objectContaining({
        code: 'yaml.unsafe-integer',
        line: 3,
        pointer: '/cases',
        hint: 'quote it: "12345678901234567890"'
      })
    ]);
    expect(issuesOf('records/nan.yaml').map((i) => [i.code, i.line, i.pointer])).toEqual([
      ['yaml.non-finite', 4, '/metrics/task_success'],
      ['yaml.non-finite', 5, '/metrics/latency'],
      ['yaml.non-finite', 6, '/metrics/drift']
    ]);
  });

  it('keeps __proto__ and constructor keys as data, with no prototype change', () => {
    for (const file of ['records/proto.yaml', 'records/proto.json']) {
      expect(issuesOf(file)).toEqual([]);
      const signals = (result.set.records.find((r) => r.source.path === file)!.data as RolloutAssessment).signals;
      expect(Object.getPrototypeOf(signals)).toBe(Object.prototype);
      expect(Object.hasOwn(signals, '__proto__')).toBe(true);
      expect(Object.hasOwn(signals, 'constructor')).toBe(true);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('loads nothing from a file with issues (fail closed)', () => {
    const withIssues = new Set(result.issues.map((i) => i.file));
    expect(result.set.records.filter((r) => withIssues.has(r.source.path))).toEqual([]);
    expect(result.set.records.map((r) => r.source.path)).toEqual([
      'records/bom.yaml',
      'records/proto.json',
      'records/proto.yaml'
    ]);
  });

  it('rejects a device named x.yaml when the system lets the test create one', async () => {
    const deviceRoot = join(tmp, 'device-repo');
    mkdirSync(join(deviceRoot, 'records'), { recursive: true });
    try {
      execFileSync('mknod', [join(deviceRoot, 'records/x.yaml'), 'c', '1', '5'], { stdio: 'ignore' });
    } catch {
      return; // unprivileged: the FIFO case covers special files
    }
    const started = Date.now();
    const { issues } = await loadRecordSet(new WorkingTreeSource(deviceRoot, 'head'), config());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(issues).toEqual([
      expect.objectContaining({ code: 'file.not-regular', message: expect.stringContaining('is a device') })
    ]);
  });

  it('refuses too many files with one issue', async () => {
    const { set, issues } = await loadRecordSet(new WorkingTreeSource(root, 'head'), config({ max_files: 5 }));
    expect(set.records).toEqual([]);
    expect(issues.map((i) => i.code)).toEqual(['records.too-many']);
  });
});

describe('many problems: every one is kept', () => {
  it('returns all 10,000 schema errors of one record, each located', async () => {
    const dir = mkdtempSync(join(tmp, 'many-'));
    const items = Array.from({ length: 10_000 }, (_, i) => `    - ${i}`).join('\n');
    mkdirSync(join(dir, 'records'));
    writeFileSync(
      join(dir, 'records/rollout.yaml'),
      `rollout:\n  block_if: [b]\n  rollout_mode: {initial: canary}\n  require:\n${items}\n`
    );
    const { issues } = await loadRecordSet(new WorkingTreeSource(dir, 'head'), config({ max_file_bytes: 1024 * 1024 }));
    expect(issues).toHaveLength(10_000);
    issues.forEach((issue, i) => {
      expect(issue).toMatchObject({
        file: 'records/rollout.yaml',
        line: 5 + i,
        column: 7,
        pointer: `/rollout/require/${i}`
      });
    });
    expect(issues[42]!.hint).toBe('42: 42 was read as a number; quote it: "42"');
  });

  it('returns an issue for each of 10,000 invalid JSON Lines', async () => {
    const dir = mkdtempSync(join(tmp, 'many-lines-'));
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({ eval: 'e', case_id: `c${i}`, metrics: { ok: 'yes' } })
    );
    mkdirSync(join(dir, 'records'));
    writeFileSync(join(dir, 'records/r.jsonl'), lines.join('\n'));
    const { issues } = await loadRecordSet(new WorkingTreeSource(dir, 'head'), config());
    expect(issues).toHaveLength(10_000);
    expect(issues[9_999]).toMatchObject({ line: 10_000, pointer: '/9999/metrics/ok', code: 'schema.type' });
  });
});

/** Files held in memory (and optionally generated on the fly), for fuzzing and for streaming without a disk file. */
class MemorySource implements FileSource {
  readonly description = 'memory';
  readonly side = 'head' as const;
  constructor(private readonly files: Map<string, () => AsyncIterable<Buffer>>) {}
  async list(): Promise<SourceEntry[]> {
    return [...this.files.keys()].map((path) => ({ path, type: 'file', size: null }));
  }
  async stat(path: string): Promise<SourceEntry | null> {
    return this.files.has(path) ? { path, type: 'file', size: null } : null;
  }
  async read(path: string, maxBytes: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(path, maxBytes)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  async *stream(path: string, maxBytes: number): AsyncIterable<Buffer> {
    const open = this.files.get(path);
    if (!open) throw new SourceError('file.missing', path, `${path} does not exist`);
    let total = 0;
    for await (const chunk of open()) {
      total += chunk.length;
      if (total > maxBytes) throw new SourceError('file.too-large', path, `${path} is too large`);
      yield chunk;
    }
  }
}

describe('a 100,000-line results file', () => {
  it('is streamed with bounded memory', async () => {
    const lines = 100_000;
    // 2.5 KB per line (JSON whitespace): 250 MB in all, generated as it is read and never held whole
    const padding = ' '.repeat(2_400);
    let peak = 0;
    const sample = (): void => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
    };
    async function* generate(): AsyncIterable<Buffer> {
      const batch: string[] = [];
      for (let i = 0; i < lines; i++) {
        batch.push(
          `{"eval": "quality", "case_id": "case-${i}",${padding}"metrics": {"task_success": ${(i % 100) / 100}, "pii": ${i % 7 === 0}}, "latency_ms": ${1000 + (i % 500)}}\n`
        );
        if (batch.length === 200) {
          yield Buffer.from(batch.join(''));
          batch.length = 0;
          if (i % 10_000 === 199) sample();
        }
      }
      if (batch.length > 0) yield Buffer.from(batch.join(''));
    }
    const base = process.memoryUsage();
    const baseline = base.heapUsed + base.arrayBuffers;
    const source = new MemorySource(new Map([['records/quality.jsonl', generate]]));
    const started = Date.now();
    const { set, issues } = await loadRecordSet(source, config({ max_evidence_bytes: 512 * 1024 * 1024 }));
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(issues).toEqual([]);
    const table = set.records[0]!.data as EvalCaseTable;
    expect(table.cases).toBe(lines);
    expect(table.columns['task_success']![12_345]).toBe(0.45);
    expect(table.columns['pii']![14]).toBe(1);
    expect(table.columns['latency_ms']![lines - 1]).toBe(1000 + ((lines - 1) % 500));
    expect(set.files[0]!.bytes).toBeGreaterThan(250_000_000);
    // holding the file would need 250 MB; the columns need 2.4 MB and the case ids a few MB
    expect(peak - baseline).toBeLessThan(120 * 1024 * 1024);
  });
});

describe('fuzzing', () => {
  const yamlish = fc.string({
    unit: fc.constantFrom(
      ...'abc01 :-[]{},&*!|>\'"#%@?\n\t\\.~<'.split(''),
      'kind',
      'true',
      '.nan',
      '0x',
      '<<',
      '---',
      '!!binary',
      '%YAML 1.1\n'
    ),
    maxLength: 120
  });

  it('parseDocument never throws and answers a value or located issues', () => {
    fc.assert(
      fc.property(
        fc.oneof(yamlish, fc.string({ maxLength: 200 })),
        fc.constantFrom('yaml' as const, 'json' as const),
        (text, format) => {
          const started = Date.now();
          const result = parseDocument(text, 'fuzz', format);
          expect(Date.now() - started).toBeLessThan(1000);
          if (result.ok) {
            expect(result.locate('')).toBeDefined();
          } else {
            expect(result.issues.length).toBeGreaterThan(0);
            for (const issue of result.issues) {
              expect(issue.line).toBeGreaterThanOrEqual(1);
              expect(issue.column).toBeGreaterThanOrEqual(1);
              expect(issue.file).toBe('fuzz');
            }
          }
        }
      ),
      { numRuns: 3000 }
    );
  });

  it('parseDocument agrees with JSON.parse on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value, null, 1);
        const result = parseDocument(text, 'fuzz.json', 'json');
        const unsafe = /-?\d{16,}/.test(text) && !Number.isSafeInteger(Number(text.match(/-?\d{16,}/)![0]));
        if (!unsafe && result.ok) expect(result.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 }
    );
  });

  it('the loader turns random bytes into records or located issues, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a.yaml', 'b.json', 'c.jsonl', 'd.yml'), fc.uint8Array({ maxLength: 300 })), {
          minLength: 1,
          maxLength: 4
        }),
        async (files) => {
          const map = new Map<string, () => AsyncIterable<Buffer>>();
          files.forEach(([name, bytes], i) => {
            map.set(`records/${i}-${name}`, async function* () {
              yield Buffer.from(bytes);
            });
          });
          const { set, issues } = await loadRecordSet(new MemorySource(map), config());
          for (const path of map.keys()) {
            const loaded = set.records.some((r) => r.source.path === path);
            const problems = issues.filter((i) => i.file === path);
            expect(loaded !== problems.length > 0).toBe(true);
            for (const issue of problems) if (issue.line !== undefined) expect(issue.line).toBeGreaterThanOrEqual(1);
          }
        }
      ),
      { numRuns: 300 }
    );
  });
});
