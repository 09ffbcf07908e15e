/**
 * Test helpers shared by the rule families' tests: build a GateInput from fixture YAML/JSON without
 * the loader (the loader has its own tests). Not bundled: only __tests__ import this module.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { GateConfig } from '../model/config.js';
import type {
  ApprovalInput,
  ChangedFile,
  GateInput,
  LoadedRecord,
  RecordKind,
  RecordKinds,
  RecordSet,
  ArtifactDigest
} from '../model/input.js';
import type { Side } from '../model/location.js';
import { DEFAULT_CONFIG } from '../settings/defaults.js';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A record as the loader would produce it, with a locator that knows no lines (pointer-only locations). */
export function rec<K extends RecordKind>(
  kind: K,
  data: RecordKinds[K],
  path: string,
  side: Side = 'head'
): LoadedRecord {
  const text = JSON.stringify(data, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
  return {
    kind,
    source: { path, side, sha256: sha256(text), bytes: Buffer.byteLength(text) },
    data,
    locate: () => undefined
  } as LoadedRecord;
}

/** Read a YAML or JSON fixture file into plain data. */
export function fixture<T = unknown>(file: string): T {
  const text = readFileSync(file, 'utf8');
  return (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as T;
}

export function recordSet(side: Side, records: LoadedRecord[], extra: Partial<RecordSet> = {}): RecordSet {
  const files = records.map((r) => ({ ...r.source, side }));
  return {
    side,
    commit: extra.commit ?? null,
    files: extra.files ?? files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    records: records.map((r) => ({ ...r, source: { ...r.source, side } }) as LoadedRecord),
    artifacts: extra.artifacts ?? ({} as Record<string, ArtifactDigest>),
    paths: extra.paths ?? null
  };
}

export function noApprovals(reason = 'no pull request'): ApprovalInput {
  return { available: false, unavailable_reason: reason, author: null, head_sha: null, reviews: [], teams: {} };
}

export function config(overrides: Partial<GateConfig> = {}): GateConfig {
  return { ...structuredClone(DEFAULT_CONFIG), ...overrides };
}

export function gateInput(parts: {
  head: LoadedRecord[] | RecordSet;
  base?: LoadedRecord[] | RecordSet | null;
  config?: GateConfig;
  changed_files?: ChangedFile[] | null;
  approvals?: ApprovalInput;
}): GateInput {
  const head = Array.isArray(parts.head) ? recordSet('head', parts.head) : parts.head;
  const base =
    parts.base === undefined || parts.base === null
      ? null
      : Array.isArray(parts.base)
        ? recordSet('base', parts.base)
        : parts.base;
  return {
    config: parts.config ?? config(),
    config_source: { side: 'default', file: null, sha256: null },
    proposed_config: null,
    base_issues: [],
    head,
    base,
    changed_files: parts.changed_files ?? null,
    approvals: parts.approvals ?? noApprovals(),
    tool_version: '0.0.0-test'
  };
}
