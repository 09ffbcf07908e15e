/**
 * Proves that the handwritten TypeScript types (src/model/records.ts, config.ts, decision.ts) and the published
 * JSON Schemas (schemas/) describe the same data: TypeScript is generated from each schema with
 * json-schema-to-typescript, then the compiler checks that every generated type is assignable to its
 * handwritten twin and back. A field added, renamed, retyped or made optional on one side only fails here,
 * with the compiler's own explanation.
 */
import { describe, expect, test, beforeAll } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compile, type Options } from 'json-schema-to-typescript';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../../..');
const SCHEMAS = join(ROOT, 'schemas');
const ID_PREFIX = 'https://agent-release-gate.dev/schemas/';

/** schema name → the handwritten type it must agree with (module relative to the repository root, export). */
const PAIRS: Record<string, { module: string; type: string }> = {
  change_review_record: { module: 'src/model/records.ts', type: 'ChangeReviewRecord' },
  rollout_gate_record: { module: 'src/model/records.ts', type: 'RolloutGateRecord' },
  change: { module: 'src/model/records.ts', type: 'ChangeRecordDoc' },
  rollout_policy: { module: 'src/model/records.ts', type: 'RolloutPolicyDoc' },
  rollout_assessment: { module: 'src/model/records.ts', type: 'RolloutAssessment' },
  eval: { module: 'src/model/records.ts', type: 'EvalRecord' },
  deployment: { module: 'src/model/records.ts', type: 'DeploymentRecord' },
  eval_scores: { module: 'src/model/records.ts', type: 'EvalScores' },
  eval_case_line: { module: 'src/model/records.ts', type: 'EvalCaseLine' },
  replay_receipts: { module: 'src/model/records.ts', type: 'ReplayReceipts' },
  config: { module: 'src/settings/config.ts', type: 'ConfigFile' },
  decision: { module: 'src/model/decision.ts', type: 'DecisionDocument' },
  decision_statement: { module: 'src/model/decision.ts', type: 'DecisionStatement' }
};

/** Schemas with no handwritten twin, and why. */
const UNPAIRED: Record<string, string> = {
  promptfoo_results: "promptfoo's own file: only the fields the gate reads are described, the rest is accepted as is"
};

function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMAS, `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
}

/**
 * `minItems` alone is a run-time constraint TypeScript types do not carry (json-schema-to-typescript would make
 * a non-empty tuple of it); with `maxItems` it is a real tuple (`[number, number]`) and is kept.
 */
function withoutLoneMinItems(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutLoneMinItems);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'minItems' && !('maxItems' in schema)) continue;
    out[k] = k === 'enum' || k === 'const' ? v : withoutLoneMinItems(v);
  }
  return out;
}

async function generate(name: string): Promise<string> {
  const schema = withoutLoneMinItems(readSchema(name)) as Record<string, unknown>;
  // the root type then takes the name given below
  delete schema['title'];
  delete schema['$id'];
  const options: Partial<Options> = {
    bannerComment: '',
    additionalProperties: false,
    strictIndexSignatures: false,
    format: false,
    $refOptions: {
      resolve: {
        http: false,
        ours: {
          order: 1,
          canRead: (file: { url: string }) => file.url.startsWith(ID_PREFIX),
          read: (file: { url: string }) => {
            const ref = file.url.slice(ID_PREFIX.length).replace(/\/v1\.json$/, '');
            return readFileSync(join(SCHEMAS, `${ref}.schema.json`), 'utf8');
          }
        }
      }
    } as Options['$refOptions']
  };
  return compile(schema as never, 'Generated', options);
}

interface Outcome {
  diagnostics: Map<string, string[]>;
}

let outcome: Outcome;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'types-agree-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const lines: string[] = [];
    const sectionOf: { start: number; name: string }[] = [];
    for (const [name, { module, type }] of Object.entries(PAIRS)) {
      writeFileSync(join(dir, `${name}.ts`), await generate(name));
      sectionOf.push({ start: lines.length, name });
      const handwritten = join(ROOT, module).replace(/\.ts$/, '.js');
      lines.push(
        `import type { ${type} as H_${name} } from ${JSON.stringify(handwritten)};`,
        `import type { Generated as G_${name} } from './${name}.js';`,
        `export const ${name}_schema_to_type: H_${name} = null as unknown as G_${name};`,
        `export const ${name}_type_to_schema: G_${name} = null as unknown as H_${name};`
      );
    }
    const check = join(dir, 'check.ts');
    writeFileSync(check, `${lines.join('\n')}\n`);
    const program = ts.createProgram([check], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: [],
      allowImportingTsExtensions: false
    });
    const diagnostics = new Map<string, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      let name = '(global)';
      if (d.file && d.start !== undefined) {
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        if (d.file.fileName === check) name = [...sectionOf].reverse().find((s) => s.start <= line)?.name ?? name;
        else name = d.file.fileName.replace(`${dir}/`, '').replace(/\.ts$/, '');
      }
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      diagnostics.set(name, [...(diagnostics.get(name) ?? []), text]);
    }
    outcome = { diagnostics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

describe('handwritten types and JSON Schemas agree', () => {
  test('every schema is paired with a type or has a stated reason not to be', () => {
    const names = readFileSyncNames();
    expect(names.filter((n) => !(n in PAIRS) && !(n in UNPAIRED))).toEqual([]);
  });

  test('the comparison compiles (no error outside the per-kind checks)', () => {
    expect(outcome.diagnostics.get('(global)') ?? []).toEqual([]);
  });

  test.each(Object.keys(PAIRS))('%s', (name) => {
    expect(outcome.diagnostics.get(name) ?? []).toEqual([]);
  });
});

function readFileSyncNames(): string[] {
  return ts.sys
    .readDirectory(SCHEMAS, ['.json'])
    .map((f) =>
      f
        .split('/')
        .pop()!
        .replace(/\.schema\.json$/, '')
    )
    .sort();
}
