/**
 * Reads records from a fixture repository the way the loader does for the engine: parsed with the real
 * locator (so findings carry lines), and C2PA manifests referenced by replay receipts hashed into
 * `artifacts`. Only the drift and AgBOM tests use it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactDigest, LoadedRecord, RecordKind } from '../../model/input.js';
import type { Side } from '../../model/location.js';
import { parseDocument } from '../../read/parse.js';
import { resolveReference } from '../../read/paths.js';
import { sha256 } from '../../testing/records.js';

export function loadRecord(kind: RecordKind, repoDir: string, path: string, side: Side = 'head'): LoadedRecord {
  const text = readFileSync(join(repoDir, path), 'utf8');
  const parsed = parseDocument(text, path, path.endsWith('.json') ? 'json' : 'yaml');
  if (!parsed.ok) throw new Error(`fixture ${path} does not parse: ${parsed.issues.map((i) => i.message).join('; ')}`);
  return {
    kind,
    source: { path, side, sha256: sha256(text), bytes: Buffer.byteLength(text) },
    data: parsed.value,
    locate: parsed.locate
  } as LoadedRecord;
}

/** sha256 of every manifest the receipts reference, keyed by repository path, as the reader hashes them. */
export function manifestArtifacts(repoDir: string, receipts: LoadedRecord[]): Record<string, ArtifactDigest> {
  const artifacts: Record<string, ArtifactDigest> = {};
  for (const rec of receipts) {
    if (rec.kind !== 'replay_receipts') continue;
    for (const run of rec.data.runs) {
      for (const trace of [run.live, run.replay]) {
        for (const step of trace.steps) {
          const ref = step.c2pa_manifest;
          if (!ref) continue;
          const resolved = resolveReference(rec.source.path, ref.path);
          if (!resolved.ok) continue;
          const file = join(repoDir, resolved.path);
          if (!existsSync(file)) {
            artifacts[resolved.path] = { status: 'missing', reason: 'no file at this path in the head commit' };
            continue;
          }
          const bytes = readFileSync(file);
          artifacts[resolved.path] = { status: 'ok', sha256: sha256(bytes), bytes: bytes.length };
        }
      }
    }
  }
  return artifacts;
}
