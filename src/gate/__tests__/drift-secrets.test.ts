/**
 * Secrets in replay receipts (drift.secret): receipts record what ran by reference, and a credential there is a
 * finding. The scan follows the receipts schema's shape, so it must reach every string the schema allows.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReplayReceipts } from '../../model/records.js';
import { gateInput, rec, recordSet } from '../../testing/records.js';
import { createContext, pointer } from '../context.js';
import { evaluateDrift, receiptSecrets } from '../drift.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'schemas/replay_receipts.schema.json'), 'utf8')) as Schema;
const CLEAN = JSON.parse(
  readFileSync(join(ROOT, 'src/gate/__tests__/fixtures/drift/repo/records/replays/clean.json'), 'utf8')
) as ReplayReceipts;
const GITHUB_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  $defs?: Record<string, Schema>;
}

/** Every path to a property whose type allows a string ('*' stands for any item of a list). */
function stringPaths(schema: Schema, path: string[] = [], seen = new Set<string>()): string[][] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    if (seen.has(name)) return [];
    return stringPaths(SCHEMA.$defs![name]!, path, new Set([...seen, name]));
  }
  const types = [schema.type ?? []].flat();
  const out: string[][] = types.includes('string') ? [path] : [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) out.push(...stringPaths(sub, [...path, key], seen));
  if (schema.items) out.push(...stringPaths(schema.items, [...path, '*'], seen));
  return out;
}

/** A copy of the clean receipts with `value` at the path (the first item of each list), and the pointer to it. */
function placed(path: string[], value: string): { data: ReplayReceipts; at: string } {
  const data = structuredClone(CLEAN) as unknown as Record<string, unknown>;
  let holder: Record<string, unknown> = data;
  const segments: (string | number)[] = [];
  path.forEach((key, i) => {
    const last = i === path.length - 1;
    if (key === '*') {
      segments.push(0);
      return;
    }
    segments.push(key);
    if (last) {
      holder[key] = value;
      return;
    }
    let next = holder[key];
    if (path[i + 1] === '*') next = (next as unknown[])[0];
    if (typeof next !== 'object' || next === null) {
      next = {};
      holder[key] = next;
    }
    holder = next as Record<string, unknown>;
  });
  return { data: data as unknown as ReplayReceipts, at: pointer(...segments) };
}

function judge(data: ReplayReceipts) {
  const input = gateInput({ head: recordSet('head', [rec('replay_receipts', data, 'records/replays/r.json')]) });
  return evaluateDrift(createContext(input)).findings.filter((f) => f.rule === 'drift.secret');
}

describe('drift.secret: credentials in replay receipts', () => {
  it('reaches every string the receipts schema allows', () => {
    const paths = stringPaths(SCHEMA);
    // the schema has strings at the top, in runs, in executions, in steps and in manifests
    expect(paths.map((p) => p.join('.'))).toEqual(
      expect.arrayContaining(['agent', 'runs.*.change_id', 'runs.*.live.steps.*.capability_token'])
    );
    expect(paths.length).toBeGreaterThanOrEqual(12);
    for (const path of paths) {
      const { data, at } = placed(path, `token ${GITHUB_TOKEN}`);
      expect([path.join('.'), receiptSecrets(data).map((h) => h.pointer)]).toEqual([path.join('.'), [at]]);
    }
  });

  it('finds nothing in receipts that hold references only', () => {
    expect(receiptSecrets(CLEAN)).toEqual([]);
    const references = structuredClone(CLEAN);
    const steps = references.runs[0]!.live.steps;
    // references look random (ids, digests, URLs): judged by credential shapes, not by the field's name
    steps[0]!.capability_token = 'cap:sha256:77aa01fe9c3b5d2e8f10a4b6c7d8e9f0';
    steps[0]!.tool = 'kb.search_v2_9f8e7d6c5b4a';
    expect(receiptSecrets(references)).toEqual([]);
    expect(judge(references)).toEqual([]);
  });

  it('denies the token itself in capability_token, masked, with one finding per file', () => {
    const data = structuredClone(CLEAN);
    const [first, second] = data.runs[0]!.live.steps;
    first!.capability_token = GITHUB_TOKEN;
    second!.capability_token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudC0xIn0.c2lnbmF0dXJlLXZhbHVl';
    data.runs[0]!.replay.steps[0]!.capability_token = 'Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    const findings = judge(data);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toMatchObject({ count: 3 });
    expect(JSON.stringify(findings[0])).not.toContain('9f8e7d6c5b4a39281706f5e4d3c2b1a0');
    const [finding] = findings;
    expect(finding).toMatchObject({
      rule: 'drift.secret',
      severity: 'deny',
      location: { file: 'records/replays/r.json', pointer: '/runs/0/live/steps/0/capability_token' }
    });
    const text = JSON.stringify(finding);
    expect(text).not.toContain(GITHUB_TOKEN);
    expect(text).not.toContain('c2lnbmF0dXJlLXZhbHVl');
    expect(finding!.message).toContain('/runs/0/live/steps/1/capability_token');
  });

  it('scans the head only: a base copy judged because the pull request removes it is on its way out', () => {
    const data = structuredClone(CLEAN);
    data.runs[0]!.live.steps[0]!.capability_token = GITHUB_TOKEN;
    const input = gateInput({
      head: recordSet('head', []),
      base: recordSet('base', [rec('replay_receipts', data, 'records/replays/r.json', 'base')]),
      // an agent change that removes the receipts: their base copy is judged for drift
      changed_files: [
        { path: 'records/replays/r.json', status: 'removed' },
        { path: 'agents/a/prompts/system.md', status: 'modified' }
      ]
    });
    const { findings, evidence } = evaluateDrift(createContext(input));
    expect(evidence.map((e) => e.file)).toEqual(['records/replays/r.json']);
    expect(findings.filter((f) => f.rule === 'drift.secret')).toEqual([]);
  });
});
