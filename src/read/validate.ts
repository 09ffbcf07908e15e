/**
 * Schema validation of parsed records, with the ajv validators generated at build time from schemas/
 * (scripts/build-validators.mjs): nothing compiles a schema at run time. ajv's errors become sentences in the
 * seed documents' style ("change.change_id is required", "rollout.require entries must be unique: …"), each
 * naming the dotted field path, what was expected and what was found, located by JSON pointer. A message never
 * repeats a secret the record holds: every value and key it quotes is masked first (maskSecrets), a value by the
 * name of the field it sits under.
 */
import type { RecordKind } from '../model/input.js';
import type { GeneratedError, GeneratedValidator, KeyGraph } from './generated/records.js';
import * as generated from './generated/records.js';
import { maskSecrets } from './text.js';
import { ordinaryCaseMembers } from './ordinary-case.js';

export { ordinaryCaseMembers };

/** One schema problem, located by JSON pointer; the loader turns it into a RecordIssue with line/column. */
export interface SchemaIssue {
  /** JSON pointer of the offending value ('' for the document root) */
  pointer: string;
  /** a clear sentence in the seed documents' style, e.g. "change.change_id is required" */
  message: string;
  /** stable code, e.g. "schema.required", "schema.type", "schema.unique" */
  code: string;
  /**
   * the type(s) the schema expected, when the problem is a type mismatch: ajv's names ("string", "number",
   * "integer", "boolean", "array", "object", "null"), comma-separated for a union ("string,number").
   * Lets the loader add hints such as "quote it".
   */
  expected?: string;
}

/** Kinds validated by schema; 'config' is .github/agent-gate.yml. eval_cases lines use validateEvalCaseLine. */
export type SchemaKind = Exclude<RecordKind, 'eval_cases'> | 'config' | 'promptfoo_results';

/** Issues listed per file; past this one final issue says how many more there were. */
export const MAX_ISSUES_PER_FILE = 50_000;

/** The CycloneDX versions an AgBOM may declare. */
export const CYCLONEDX_VERSIONS = ['1.5', '1.6', '1.7'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_VERSIONS)[number];
const SUPPORTED_VERSIONS = `${CYCLONEDX_VERSIONS.slice(0, -1).join(', ')} and ${CYCLONEDX_VERSIONS.at(-1)!}`;

export type OwnSchemaKind = Exclude<SchemaKind, 'agbom'>;

const VALIDATORS: Record<OwnSchemaKind, GeneratedValidator> = {
  change_review_record: generated.validate_change_review_record,
  rollout_gate_record: generated.validate_rollout_gate_record,
  change: generated.validate_change,
  rollout_policy: generated.validate_rollout_policy,
  rollout_assessment: generated.validate_rollout_assessment,
  eval: generated.validate_eval,
  deployment: generated.validate_deployment,
  eval_scores: generated.validate_eval_scores,
  replay_receipts: generated.validate_replay_receipts,
  config: generated.validate_config,
  promptfoo_results: generated.validate_promptfoo_results
};

/** How the document itself is named when it is not a mapping (seed 001 §8: "change config must be a mapping"). */
const DOCUMENT_NAMES: Record<SchemaKind | 'eval_case_line', string> = {
  change_review_record: 'A change_review_record',
  rollout_gate_record: 'A rollout_gate_record',
  change: 'change config',
  rollout_policy: 'Rollout policy config',
  rollout_assessment: 'A rollout_assessment',
  eval: 'An Eval',
  deployment: 'A Deployment',
  eval_scores: 'An eval_scores record',
  replay_receipts: 'A replay_receipts record',
  config: 'The agent-gate configuration',
  promptfoo_results: 'A promptfoo results file',
  agbom: 'An AgBOM',
  eval_case_line: 'Each line of a per-case results file'
};

export async function validateRecord(kind: SchemaKind, value: unknown): Promise<SchemaIssue[]> {
  if (kind === 'agbom') return validateAgbom(value);
  return validateOwnRecord(kind, value);
}

/** The same for the kinds whose schema is this project's own (every kind but the AgBOM), synchronously. */
export function validateOwnRecord(kind: OwnSchemaKind, value: unknown): SchemaIssue[] {
  const validate = VALIDATORS[kind];
  if (validate(value)) return [];
  return toIssues(validate.errors ?? [], value, { kind, graph: generated.keyGraphs[kind] ?? [] });
}

/**
 * Validate one line of a per-case results file (sync: called up to millions of times). `printable`: the caller
 * vouches that every string in the value (keys included) is made of the characters U+0020–U+007F only, as when
 * the line's text is ASCII without an escape; the ids then need no character-by-character check.
 */
export function validateEvalCaseLine(value: unknown, printable = false): SchemaIssue[] {
  if (isOrdinaryCaseLine(value, printable)) return [];
  const validate = generated.validate_eval_case_line;
  if (validate(value)) return [];
  return toIssues(validate.errors ?? [], value, {
    kind: 'eval_case_line',
    graph: generated.keyGraphs['eval_case_line'] ?? []
  });
}

/**
 * The common line of schemas/eval_case_line.schema.json, recognised without the generated validator: its five
 * pattern tests and generic checks cost more than parsing the line (a third of the read of a million cases).
 * Only a subset of what the schema accepts is recognised (ids of printable ASCII, numbers within 2^53); any other line
 * goes to the validator, which decides and words the errors. A property test holds the two together.
 */
export function isOrdinaryCaseLine(value: unknown, printable = false): boolean {
  return ordinaryCaseMembers(value, printable) >= 0;
}

// ---------------------------------------------------------------------------------------------------------------
// AgBOM: the official CycloneDX schema of the declared version, loaded only when an AgBOM of that version is read.

interface CycloneDxModule {
  validate: GeneratedValidator;
  keyGraph: KeyGraph;
}

function loadCycloneDx(version: CycloneDxVersion): Promise<CycloneDxModule> {
  // One literal import per version so the bundler emits each as its own chunk, loaded on demand.
  switch (version) {
    case '1.5':
      return import('./generated/cyclonedx-1.5.js');
    case '1.6':
      return import('./generated/cyclonedx-1.6.js');
    case '1.7':
      return import('./generated/cyclonedx-1.7.js');
  }
}

async function validateAgbom(value: unknown): Promise<SchemaIssue[]> {
  if (!isMapping(value)) {
    return [typeIssue('', 'object', value, 'An AgBOM (a CycloneDX JSON BOM)')];
  }
  const issues: SchemaIssue[] = [];
  const format = own(value, 'bomFormat');
  if (format !== 'CycloneDX') {
    issues.push({
      pointer: '/bomFormat',
      code: format === undefined ? 'schema.required' : 'schema.const',
      message:
        format === undefined
          ? "bomFormat is required: an AgBOM is a CycloneDX JSON BOM with bomFormat 'CycloneDX'"
          : `bomFormat must be 'CycloneDX'; got ${describeValue(format, true, 'bomFormat')}`
    });
  }
  const version = own(value, 'specVersion');
  if (version === undefined) {
    issues.push({
      pointer: '/specVersion',
      code: 'schema.required',
      message: `specVersion is required: the gate reads CycloneDX ${SUPPORTED_VERSIONS}`
    });
  } else if (typeof version !== 'string') {
    issues.push({
      pointer: '/specVersion',
      code: 'schema.type',
      expected: 'string',
      message: `specVersion must be a string such as "1.6"; got ${describeValue(version, true, 'specVersion')}`
    });
  } else if (!(CYCLONEDX_VERSIONS as readonly string[]).includes(version)) {
    issues.push({
      pointer: '/specVersion',
      code: 'agbom.unsupported-version',
      message:
        `CycloneDX specVersion ${quote(version, 'specVersion')} is not supported: the gate reads CycloneDX ` +
        `${SUPPORTED_VERSIONS}. Regenerate the AgBOM with a current CycloneDX tool`
    });
  }
  if (issues.length > 0) return issues;
  const mod = await loadCycloneDx(version as CycloneDxVersion);
  if (!mod.validate(value)) return toIssues(mod.validate.errors ?? [], value, { kind: 'agbom', graph: mod.keyGraph });
  return duplicateEntries(value, mod.keyGraph);
}

/**
 * The official schema's `uniqueItems` on lists of objects (components, services, dependencies, …), which the
 * generated validator leaves out because ajv would compare every pair. One walk over the document, guided by the
 * key graph and entering only values from which a marked list can be reached; each marked list's entries are
 * compared as data, object keys in any order (see repeatedEntries). The walk visits values in the order of the
 * stack it replaced (last child first), so that past MAX_ISSUES_PER_FILE the same issues are kept.
 */
function duplicateEntries(root: unknown, graph: KeyGraph): SchemaIssue[] {
  const walk = walkerOf(graph);
  const issues: SchemaIssue[] = [];
  // the data path of the value being visited; read only to name a list that has repeats
  const segments: string[] = [];
  const visit = (value: object, state: WalkState): void => {
    if (issues.length >= MAX_ISSUES_PER_FILE) return;
    if (Array.isArray(value)) {
      if (state.unique) {
        const repeats = repeatedEntries(value);
        if (repeats.length > 0) {
          const path = String(new FieldPath(root, segments, DOCUMENT_NAMES.agbom));
          for (const [first, repeat] of repeats) {
            issues.push({
              pointer: toPointer([...segments, String(repeat)]),
              code: 'schema.unique',
              message: `${path} entries must be unique: items ${first + 1} and ${repeat + 1} are the same`
            });
          }
        }
      }
      const items = walk.other(state);
      if (!items.relevant) return;
      for (let i = value.length - 1; i >= 0; i--) {
        const item: unknown = value[i];
        if (item === null || typeof item !== 'object') continue;
        segments.push(String(i));
        visit(item, items);
        segments.pop();
      }
      return;
    }
    const keys = Object.keys(value);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      const child: unknown = (value as Record<string, unknown>)[key];
      if (child === null || typeof child !== 'object') continue;
      const next = walk.next(state, key);
      if (!next.relevant) continue;
      segments.push(key);
      visit(child, next);
      segments.pop();
    }
  };
  // parsed records nest at most MAX_DEPTH (64) levels: the recursion stays shallow
  if (root !== null && typeof root === 'object' && walk.root.relevant) visit(root, walk.root);
  return issues.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

/**
 * A set of key-graph nodes describing one position of the document (closed under alternatives), with what the
 * walk needs to know about it, worked out once per graph rather than once per value.
 */
interface WalkState {
  nodes: readonly number[];
  /** a list marked unique can be reached from here: the walk enters the value */
  relevant: boolean;
  /** a list here must have unique entries */
  unique: boolean;
  /** the keys some node names as a property (any other key leads where an array item does) */
  named: ReadonlySet<string>;
  /** the state one named key further, filled in as keys are met */
  byKey: Map<string, WalkState>;
  /** the state of an array item or of a key no node names */
  other: WalkState | null;
}

interface Walker {
  root: WalkState;
  next(state: WalkState, key: string): WalkState;
  other(state: WalkState): WalkState;
}

const walkers = new WeakMap<KeyGraph, Walker>();

/** The key graph as an automaton over data-path segments, its states made on demand and shared. */
function walkerOf(graph: KeyGraph): Walker {
  const cached = walkers.get(graph);
  if (cached) return cached;
  const relevant = nodesLeadingToUnique(graph);
  const states = new Map<string, WalkState>();
  const stateOf = (start: readonly number[]): WalkState => {
    const nodes = closure(graph, start).sort((a, b) => a - b);
    const id = nodes.join(',');
    let state = states.get(id);
    if (state === undefined) {
      const named = new Set<string>();
      for (const n of nodes) for (const key of Object.keys(graph[n]?.p ?? {})) named.add(key);
      state = {
        nodes,
        relevant: nodes.some((n) => relevant.has(n)),
        unique: nodes.some((n) => graph[n]?.u === 1),
        named,
        byKey: new Map(),
        other: null
      };
      states.set(id, state);
    }
    return state;
  };
  const other = (state: WalkState): WalkState =>
    (state.other ??= stateOf(state.nodes.flatMap((n) => graph[n]?.a ?? [])));
  const walker: Walker = {
    root: stateOf([0]),
    other,
    next(state, key) {
      const known = state.byKey.get(key);
      if (known !== undefined) return known;
      if (!state.named.has(key)) return other(state);
      const next = stateOf(step(graph, state.nodes, key));
      state.byKey.set(key, next);
      return next;
    }
  };
  walkers.set(graph, walker);
  return walker;
}

const leadingToUnique = new WeakMap<KeyGraph, Set<number>>();

/** Graph nodes from which a list marked unique can be reached: the walk skips everything else. */
function nodesLeadingToUnique(graph: KeyGraph): Set<number> {
  const cached = leadingToUnique.get(graph);
  if (cached) return cached;
  const parents = new Map<number, number[]>();
  graph.forEach((node, n) => {
    for (const child of [...Object.values(node.p ?? {}), ...(node.a ?? []), ...(node.o ?? [])]) {
      const list = parents.get(child);
      if (list) list.push(n);
      else parents.set(child, [n]);
    }
  });
  const relevant = new Set<number>();
  const stack = graph.flatMap((node, n) => (node.u === 1 ? [n] : []));
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (relevant.has(n)) continue;
    relevant.add(n);
    stack.push(...(parents.get(n) ?? []));
  }
  leadingToUnique.set(graph, relevant);
  return relevant;
}

/** Lists up to this long are compared pair by pair: cheaper than hashing their entries. */
const PAIRWISE_UP_TO = 8;
/** Distinct entries kept per hash before that hash's entries are compared by canonical JSON instead. */
const MAX_BUCKET = 16;

/**
 * Every entry equal (as data) to an earlier one, as [index of its first occurrence, its index], in order.
 * Long lists are bucketed by an order-insensitive hash of each entry, and an entry is compared only with the
 * earlier distinct entries of its bucket. A bucket that fills up (a hostile list built to collide) switches to
 * canonical JSON, so the work stays linear in the list's size whatever the entries are. Exported for the
 * differential test against comparing canonical JSON texts.
 */
export function repeatedEntries(list: readonly unknown[]): [number, number][] {
  const repeats: [number, number][] = [];
  if (list.length <= PAIRWISE_UP_TO) {
    for (let i = 1; i < list.length; i++) {
      for (let j = 0; j < i; j++) {
        if (sameData(list[j], list[i])) {
          repeats.push([j, i]);
          break;
        }
      }
    }
    return repeats;
  }
  // hash → the first occurrences with that hash (one index, a list of them, or them by canonical JSON)
  const buckets = new Map<number, number | number[] | Map<string, number>>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const hash = dataHash(item);
    const bucket = buckets.get(hash);
    if (bucket === undefined) buckets.set(hash, i);
    else if (typeof bucket === 'number') {
      if (sameData(list[bucket], item)) repeats.push([bucket, i]);
      else buckets.set(hash, [bucket, i]);
    } else if (Array.isArray(bucket)) {
      const first = bucket.find((j) => sameData(list[j], item));
      if (first !== undefined) repeats.push([first, i]);
      else if (bucket.length < MAX_BUCKET) bucket.push(i);
      else {
        const byText = new Map(bucket.map((j) => [canonicalJson(list[j]), j]));
        byText.set(canonicalJson(item), i);
        buckets.set(hash, byText);
      }
    } else {
      const text = canonicalJson(item);
      const first = bucket.get(text);
      if (first !== undefined) repeats.push([first, i]);
      else bucket.set(text, i);
    }
  }
  return repeats;
}

const { hasOwn } = Object;

/** Whether two values are the same JSON data: canonicalJson(a) === canonicalJson(b), without building either. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return writtenAsNull(a) && writtenAsNull(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (!hasOwn(x, k)) continue;
    if (!hasOwn(y, k) || !sameData(x[k], y[k])) return false;
    keys++;
  }
  for (const k in y) if (hasOwn(y, k)) keys--;
  return keys === 0;
}

/** What canonicalJson writes as null: null itself, and what JSON has no text for (NaN, ±Infinity, undefined). */
function writtenAsNull(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'number' && !Number.isFinite(value)) ||
    typeof value === 'function' ||
    typeof value === 'symbol'
  );
}

const NULL_HASH = 0x2f6b1d3a;
const TRUE_HASH = 0x5bd1e995;
const FALSE_HASH = 0x1b873593;
const FNV_PRIME = 0x01000193;
const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

/** A 32-bit hash of a value as data: equal data (sameData) hashes equal; an object's keys may come in any order. */
function dataHash(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringHash(value);
    case 'number':
      if (!Number.isFinite(value)) return NULL_HASH;
      // -0 is 0 (both are written 0)
      if (Number.isInteger(value) && Math.abs(value) < 0x40000000) return Math.imul(value | 0, 0x9e3779b1) ^ 0x7f4a7c15;
      float[0] = value;
      return Math.imul(floatWords[0]! ^ Math.imul(floatWords[1]!, FNV_PRIME), 0x85ebca6b);
    case 'boolean':
      return value ? TRUE_HASH : FALSE_HASH;
    case 'object': {
      if (value === null) return NULL_HASH;
      if (Array.isArray(value)) {
        let hash = 0x3c6ef372 ^ value.length;
        for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ dataHash(value[i]), FNV_PRIME);
        return hash;
      }
      // members are summed, so the order of the keys does not matter
      let sum = 0;
      let members = 0;
      for (const k in value) {
        if (!hasOwn(value, k)) continue;
        sum = (sum + Math.imul(stringHash(k) ^ 0x27d4eb2f, 31) + dataHash((value as Record<string, unknown>)[k])) | 0;
        members++;
      }
      return Math.imul(sum ^ members, 0xcc9e2d51) ^ 0x165667b1;
    }
    default:
      return NULL_HASH;
  }
}

/** FNV-1a over UTF-16 code units. */
function stringHash(text: string): number {
  let hash = 0x811c9dc5 ^ text.length;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** JSON with object keys sorted, so entries equal as data compare equal as text. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

// ---------------------------------------------------------------------------------------------------------------
// ajv errors → issues

interface Context {
  kind: SchemaKind | 'eval_case_line';
  graph: KeyGraph;
}

/** An ajv error with the errors it stands for (the failed branches of an anyOf/oneOf, a bad property name). */
interface Node {
  error: GeneratedError;
  children: Node[];
}

/** Keywords whose failure is reported after the errors of the subschemas they applied (contiguous, just before). */
const GROUPING = new Set(['anyOf', 'oneOf', 'propertyNames', 'contains', 'not', 'if']);
/** What a property-name subschema reports (it validates the key as a string). */
const NAME_KEYWORDS = new Set(['type', 'minLength', 'maxLength', 'pattern', 'format', 'enum', 'const']);

function toIssues(errors: readonly GeneratedError[], root: unknown, ctx: Context): SchemaIssue[] {
  const nodes = groupErrors(errors);
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  const minLengthAt = new Set(errors.filter((e) => e.keyword === 'minLength').map((e) => e.instancePath));
  const push = (issue: SchemaIssue) => {
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(issue);
  };
  for (const node of nodes) {
    // an empty string also fails the "no surrounding whitespace" pattern: report it once, as empty
    if (node.error.keyword === 'pattern' && minLengthAt.has(node.error.instancePath)) continue;
    for (const issue of describeNode(node, root, ctx)) push(issue);
  }
  if (issues.length <= MAX_ISSUES_PER_FILE) return issues;
  const dropped = issues.length - MAX_ISSUES_PER_FILE;
  const kept = issues.slice(0, MAX_ISSUES_PER_FILE);
  kept.push({
    pointer: '',
    code: 'schema.too-many-errors',
    message: `${dropped} more schema errors in this file are not listed (at most ${MAX_ISSUES_PER_FILE} are); fix the ones above first`
  });
  return kept;
}

/** Attach each grouping error's subschema errors to it: they are the contiguous run just before it, under its path. */
function groupErrors(errors: readonly GeneratedError[]): Node[] {
  const out: Node[] = [];
  for (const error of errors) {
    const node: Node = { error, children: [] };
    if (GROUPING.has(error.keyword)) {
      const path = error.instancePath;
      const exact = error.keyword === 'propertyNames';
      let start = out.length;
      while (start > 0) {
        const prev = out[start - 1]!.error;
        const inside = exact
          ? prev.instancePath === path && NAME_KEYWORDS.has(prev.keyword)
          : prev.instancePath === path || prev.instancePath.startsWith(`${path}/`);
        if (!inside) break;
        start--;
      }
      node.children = out.splice(start);
    }
    out.push(node);
  }
  return out;
}

function describeNode(node: Node, root: unknown, ctx: Context): SchemaIssue[] {
  const { error } = node;
  const segments = parsePointer(error.instancePath);
  const value = valueAt(root, segments);
  const path = new FieldPath(root, segments, DOCUMENT_NAMES[ctx.kind]);
  const params = error.params as Record<string, unknown>;
  const pointer = error.instancePath;

  switch (error.keyword) {
    case 'type': {
      const expected = String(params['type']);
      // further rollout_mode keys may hold any scalar; the known ones (a number, a boolean) get the plain type message
      if (
        ctx.kind === 'rollout_policy' &&
        segments.length === 3 &&
        segments[1] === 'rollout_mode' &&
        Array.isArray(params['type'])
      ) {
        return [
          {
            pointer,
            code: 'schema.type',
            expected,
            message: `rollout.rollout_mode values must be scalar: ${maskSecrets(segments[2]!)} is ${describeValue(value, true, path.field)}; use a string, a number or true/false`
          }
        ];
      }
      if (ctx.kind === 'eval' && segments.length === 3 && segments[1] === 'thresholds') {
        return [
          {
            pointer,
            code: 'schema.type',
            expected,
            message: `${path} must be a number or a comparator string like "<0.40", "<=3000" or ">=0.85"; got ${describeValue(value, true, path.field)}`
          }
        ];
      }
      return [typeIssue(pointer, expected, value, segments.length === 0 ? DOCUMENT_NAMES[ctx.kind] : path)];
    }
    case 'required': {
      const missing = String(params['missingProperty']);
      return [
        {
          pointer: `${pointer}/${escapePointer(missing)}`,
          code: 'schema.required',
          message: `${path.child(missing)} is required`
        }
      ];
    }
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      return [unknownKeyIssue(pointer, segments, key, path, ctx)];
    }
    case 'unevaluatedProperties': {
      const key = String(params['unevaluatedProperty']);
      return [unknownKeyIssue(pointer, segments, key, path, ctx)];
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]) ?? [];
      return [
        {
          pointer,
          code: 'schema.enum',
          message: `${path} must be one of ${allowed.map((a) => quote(a)).join(', ')}; got ${describeValue(value, true, path.field)}${suggestion(value, allowed)}`
        }
      ];
    }
    case 'const': {
      const allowed = params['allowedValue'];
      return [
        {
          pointer,
          code: 'schema.const',
          message: `${path} must be ${quote(allowed)}; got ${describeValue(value, true, path.field)}${suggestion(value, [allowed])}`
        }
      ];
    }
    case 'minLength':
      return [
        path.isEntry
          ? {
              pointer,
              code: 'schema.empty',
              message: `${path.list} entries must not be empty; item ${path.item} is empty`
            }
          : { pointer, code: 'schema.empty', message: `${path} must not be empty` }
      ];
    case 'maxLength':
      return [
        {
          pointer,
          code: 'schema.too-long',
          message: `${path} is too long: ${typeof value === 'string' ? [...value].length : '?'} characters, at most ${String(params['limit'])}`
        }
      ];
    case 'pattern':
      return [patternIssue(pointer, String(params['pattern']), value, path)];
    case 'format':
      return [
        {
          pointer,
          code: 'schema.format',
          message: `${path} must be ${FORMAT_NAMES[String(params['format'])] ?? `in the ${String(params['format'])} format`}; got ${describeValue(value, true, path.field)}`
        }
      ];
    case 'uniqueItems':
      return duplicateIssues(pointer, value, params, path);
    case 'minItems': {
      const limit = Number(params['limit']);
      return [
        {
          pointer,
          code: 'schema.min-items',
          message:
            limit === 1
              ? `${path} must not be an empty list`
              : `${path} must have at least ${limit} entries; got ${Array.isArray(value) ? value.length : 0}`
        }
      ];
    }
    case 'maxItems':
      return [
        {
          pointer,
          code: 'schema.max-items',
          message: `${path} must have at most ${String(params['limit'])} entries; got ${Array.isArray(value) ? value.length : '?'}`
        }
      ];
    case 'minProperties':
    case 'maxProperties': {
      const limit = Number(params['limit']);
      const which = error.keyword === 'minProperties' ? 'at least' : 'at most';
      return [
        {
          pointer,
          code: 'schema.key-count',
          message: `${path} must have ${which} ${limit} ${limit === 1 ? 'key' : 'keys'}; got ${isMapping(value) ? Object.keys(value).length : 0}`
        }
      ];
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = {
        minimum: 'at least',
        maximum: 'at most',
        exclusiveMinimum: 'greater than',
        exclusiveMaximum: 'less than'
      };
      return [
        {
          pointer,
          code: 'schema.range',
          message: `${path} must be ${words[error.keyword]} ${String(params['limit'])}; got ${describeValue(value, true, path.field)}`
        }
      ];
    }
    case 'multipleOf':
      return [
        {
          pointer,
          code: 'schema.range',
          message: `${path} must be a multiple of ${String(params['multipleOf'])}; got ${describeValue(value, true, path.field)}`
        }
      ];
    case 'propertyNames':
      return [propertyNameIssue(node, path)];
    case 'anyOf':
    case 'oneOf':
      return alternativesIssues(node, root, ctx, path, value);
    case 'false schema':
      return [{ pointer, code: 'schema.not-allowed', message: `${path} is not allowed here` }];
    default:
      return [
        {
          pointer,
          code: `schema.${error.keyword}`,
          message: `${path} does not satisfy the schema's ${error.keyword} rule (${maskSecrets(JSON.stringify(params))})`
        }
      ];
  }
}

/** A type mismatch; `subject` is the field's path, or a name for the whole document. */
function typeIssue(pointer: string, expected: string, value: unknown, subject: FieldPath | string): SchemaIssue {
  const types = expected.split(',');
  const field = subject instanceof FieldPath ? subject.field : null;
  if (subject instanceof FieldPath && subject.isEntry && types.every((t) => t in PLURAL_TYPE_WORDS)) {
    return {
      pointer,
      code: 'schema.type',
      expected,
      message: `${subject.list} entries must be ${joinOr(types.map((t) => PLURAL_TYPE_WORDS[t]!))}; item ${subject.item} is ${describeValue(value, true, field)}`
    };
  }
  return {
    pointer,
    code: 'schema.type',
    expected,
    message: `${String(subject)} must be ${joinOr(types.map((t) => TYPE_WORDS[t] ?? t))}; got ${describeValue(value, true, field)}`
  };
}

function unknownKeyIssue(
  pointer: string,
  segments: readonly string[],
  key: string,
  path: FieldPath,
  ctx: Context
): SchemaIssue {
  const allowed = allowedKeysAt(ctx.graph, segments);
  const where = segments.length === 0 ? 'at the top level' : `in ${path}`;
  let message = `unknown key ${quote(key)} ${where}`;
  if (allowed && allowed.length > 0) {
    const near = nearest(key, allowed);
    message += near === undefined ? '; ' : `; did you mean ${quote(near)}? `;
    message += `${near === undefined ? 'allowed' : 'Allowed'} keys: ${allowed.join(', ')}`;
  }
  return { pointer: `${pointer}/${escapePointer(key)}`, code: 'schema.unknown-key', message };
}

/** What each of our patterns means, for the message (keyed by the pattern's source). */
const PATTERN_MEANINGS: Record<string, (path: FieldPath, value: unknown) => string> = {
  '^\\S(?:.*\\S)?$': (path, value) =>
    path.isEntry
      ? `${path.list} entries must not start or end with whitespace or contain line breaks; item ${path.item} is ${describeValue(value, true, path.field)}`
      : `${path} must not start or end with whitespace or contain line breaks; got ${describeValue(value, true, path.field)}`,
  '^(<=|>=|<|>|==)\\s*-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$': (path, value) => {
    const bare =
      typeof value === 'string' &&
      value.trim() !== '' &&
      Number.isFinite(Number(value)) &&
      maskSecrets(value, path.field) === value;
    return (
      `${path} must be a number or a comparator and a number, like "<0.40", "<=3000", ">=0.85" or "==0"; ` +
      `got ${describeValue(value, true, path.field)}` +
      (bare ? `: write the number without quotes, or with a comparator such as ">=${value.trim()}"` : '')
    );
  },
  '^[0-9a-f]{64}$': (path, value) =>
    `${path} must be a SHA-256 digest: 64 lower-case hex digits; got ${describeValue(value, true, path.field)}`,
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': (path, value) =>
    `${path} must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; got ${describeValue(value, true, path.field)}`,
  '^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\\[bot\\])?$': (path, value) =>
    `${path.isEntry ? `${path.list} entries` : path} must be GitHub logins without '@', like 'octocat'; ${path.isEntry ? `item ${path.item} is` : 'got'} ${describeValue(value, true, path.field)}`,
  '^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$': (path, value) =>
    `${path.isEntry ? `${path.list} entries` : path} must be GitHub teams as 'org/team-slug', without '@'; ${path.isEntry ? `item ${path.item} is` : 'got'} ${describeValue(value, true, path.field)}`,
  '^[a-z][a-z0-9_-]*\\.[a-z0-9][a-z0-9_.-]*$': (path, value) =>
    `${path} must be a rule id such as 'evals.threshold' (see docs/rules.md); got ${describeValue(value, true, path.field)}`,
  '^(?![/\\\\])(?![A-Za-z]:)[^\\\\\\u0000]*$': (path, value) =>
    `${path} must be a relative path with forward slashes (no leading '/', no drive letter, no backslash); got ${describeValue(value, true, path.field)}`
};

function patternIssue(pointer: string, pattern: string, value: unknown, path: FieldPath): SchemaIssue {
  const meaning = PATTERN_MEANINGS[pattern];
  const message = meaning
    ? meaning(path, value)
    : `${path} must match the pattern /${pattern}/; got ${describeValue(value, true, path.field)}`;
  return { pointer, code: 'schema.pattern', message };
}

function duplicateIssues(
  pointer: string,
  value: unknown,
  params: Record<string, unknown>,
  path: FieldPath
): SchemaIssue[] {
  const label = `${path} entries must be unique`;
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    // ajv stops at the first pair; a list of scalars is cheap to scan for every repeat
    const first = new Map<unknown, number>();
    const issues: SchemaIssue[] = [];
    value.forEach((item, i) => {
      const seen = first.get(item);
      if (seen === undefined) first.set(item, i);
      else {
        issues.push({
          pointer: `${pointer}/${i}`,
          code: 'schema.unique',
          message: `${label}: ${describeValue(item, false, path.field)} appears at items ${seen + 1} and ${i + 1}`
        });
      }
    });
    if (issues.length > 0) return issues;
  }
  const i = Number(params['i']);
  const j = Number(params['j']);
  const [a, b] = i < j ? [i, j] : [j, i];
  return [
    { pointer: `${pointer}/${b}`, code: 'schema.unique', message: `${label}: items ${a + 1} and ${b + 1} are the same` }
  ];
}

function propertyNameIssue(node: Node, path: FieldPath): SchemaIssue {
  const name = String((node.error.params as Record<string, unknown>)['propertyName']);
  const pointer = `${node.error.instancePath}/${escapePointer(name)}`;
  const reasons = node.children.map((c) => c.error.keyword);
  let why = 'is not a valid name';
  if (reasons.includes('minLength')) why = 'must not be empty';
  else if (reasons.includes('pattern')) {
    const pattern = String(
      (node.children.find((c) => c.error.keyword === 'pattern')!.error.params as Record<string, unknown>)['pattern']
    );
    why =
      pattern === '^\\S(?:.*\\S)?$'
        ? 'must not start or end with whitespace or contain line breaks'
        : pattern.startsWith('^[a-z][a-z0-9_-]*\\.')
          ? "must be a rule id such as 'evals.threshold'"
          : `must match /${pattern}/`;
  } else if (reasons.includes('maxLength')) why = 'is too long';
  return { pointer, code: 'schema.key', message: `${path}: key ${quote(name)} ${why}` };
}

function alternativesIssues(node: Node, root: unknown, ctx: Context, path: FieldPath, value: unknown): SchemaIssue[] {
  const { error } = node;
  const pointer = error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (ctx.kind === 'config' && path.segments.length === 2 && path.segments[0] === 'signals') {
    const keys = isMapping(value) ? Object.keys(value) : [];
    return [
      {
        pointer,
        code: 'schema.one-of',
        message:
          `${path} must name exactly one source: { eval: <Eval name> }, { approval: <role> } or { file: <path> }; ` +
          (isMapping(value)
            ? `got ${keys.length === 0 ? 'no keys' : `keys ${keys.map((k) => quote(k)).join(', ')}`}`
            : `got ${describeValue(value, true, path.field)}`)
      }
    ];
  }
  if (Array.isArray(params['passingSchemas'])) {
    return [
      {
        pointer,
        code: 'schema.one-of',
        message: `${path} matches more than one of the allowed forms; make it match exactly one`
      }
    ];
  }
  const wrongType = node.children.filter((c) => c.error.keyword === 'type' && c.error.instancePath === pointer);
  const others = node.children.filter((c) => !wrongType.includes(c));
  if (others.length === 0) {
    const expected = [
      ...new Set(wrongType.flatMap((c) => String((c.error.params as Record<string, unknown>)['type']).split(',')))
    ];
    return [
      typeIssue(pointer, expected.join(','), value, path.segments.length === 0 ? DOCUMENT_NAMES[ctx.kind] : path)
    ];
  }
  const inner = others.flatMap((c) => describeNode(c, root, ctx));
  if (inner.length === 1) return inner;
  const shown = inner.slice(0, 3).map((i) => i.message);
  return [
    {
      pointer,
      code: `schema.${error.keyword === 'oneOf' ? 'one-of' : 'any-of'}`,
      message: `${path} does not match any allowed form: ${shown.join('; or ')}${inner.length > 3 ? '; …' : ''}`
    }
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Paths and values

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'null'
};
const PLURAL_TYPE_WORDS: Record<string, string> = {
  string: 'strings',
  number: 'numbers',
  integer: 'whole numbers',
  boolean: 'true or false'
};
const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'a date and time like 2026-04-07T12:00:00Z',
  date: 'a date like 2026-04-07',
  uri: 'an absolute URI',
  'idn-email': 'an email address',
  email: 'an email address'
};

/** A dotted field path for messages: change.change_id, spec.metrics[2].type, roles["release manager"].users. */
class FieldPath {
  constructor(
    private readonly root: unknown,
    readonly segments: readonly string[],
    private readonly documentName: string
  ) {}

  /** true when the value is an entry of a list (for "{label} entries must …" messages) */
  get isEntry(): boolean {
    return this.segments.length > 0 && Array.isArray(valueAt(this.root, this.segments.slice(0, -1)));
  }
  /** the list's path, for entries */
  get list(): string {
    return render(this.root, this.segments.slice(0, -1)) || this.documentName;
  }
  /** 1-based item number, for entries */
  get item(): number {
    return Number(this.segments[this.segments.length - 1]) + 1;
  }
  child(key: string): string {
    return render(this.root, [...this.segments, key], true);
  }
  /**
   * The name the value sits under, for the name-based secret checks: its key (a list's entries sit under the
   * list's key), or for a CycloneDX property's `value`, the property's `name`, as src/gate/secrets.ts reads them.
   */
  get field(): string | null {
    return fieldNameOf(this.root, this.segments);
  }
  toString(): string {
    return render(this.root, this.segments) || 'the document';
  }
}

function render(root: unknown, segments: readonly string[], lastIsKey = false): string {
  let out = '';
  let current: unknown = root;
  segments.forEach((segment, i) => {
    const isIndex = Array.isArray(current) && !(lastIsKey && i === segments.length - 1);
    // a key is record text too: a pasted token as a key is masked like any value
    const key = isIndex ? segment : maskSecrets(segment);
    if (isIndex) out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
    current = valueAt(current, [segment]);
  });
  return out;
}

/** See FieldPath.field. */
export function fieldNameOf(root: unknown, segments: readonly string[]): string | null {
  let field: string | null = null;
  let current: unknown = root;
  for (const segment of segments) {
    if (isMapping(current)) {
      const name = own(current, 'name');
      field = segment === 'value' && typeof name === 'string' && hasOwn(current, 'value') ? name : segment;
    } else if (!Array.isArray(current)) return field;
    current = valueAt(current, [segment]);
  }
  return field;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toPointer(segments: readonly string[]): string {
  return segments.map((s) => `/${escapePointer(s)}`).join('');
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function own(value: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isMapping(current)) current = own(current, segment);
    else return undefined;
  }
  return current;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const MAX_SHOWN = 80;

/** A value for a message, quoted and clipped; a string with a secret in it masked first (see maskSecrets). */
function quote(value: unknown, fieldName: string | null = null): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  const chars = [...maskSecrets(value, fieldName)];
  const text = chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : chars.join('');
  // JSON escaping keeps line breaks and control characters visible and on one line
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/**
 * What was found, for "got …": "a number (12)", "a list", "an empty string", "null". A secret in it is masked;
 * `fieldName` (the key the value sits under) enables the name-based checks, so a password is masked even when it
 * is a number.
 */
export function describeValue(value: unknown, withType = true, fieldName: string | null = null): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    return withType ? `a string (${quote(value, fieldName)})` : quote(value, fieldName);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `a number that is not finite (${String(value)})`;
    const shown = maskSecrets(String(value), fieldName);
    return withType ? `a number (${shown})` : shown;
  }
  if (typeof value === 'bigint') {
    return `a number too large to hold exactly (${maskSecrets(String(value), fieldName).slice(0, MAX_SHOWN)})`;
  }
  if (typeof value === 'boolean') return withType ? `a boolean (${String(value)})` : String(value);
  if (Array.isArray(value)) {
    return value.length === 0
      ? 'an empty list'
      : `a list (${value.length} ${value.length === 1 ? 'entry' : 'entries'})`;
  }
  if (isMapping(value)) return 'a mapping';
  return `a value of type ${typeof value}`;
}

function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** "; did you mean 'x'?" when one allowed value is close to what was written. */
function suggestion(value: unknown, allowed: readonly unknown[]): string {
  if (typeof value !== 'string') return '';
  const near = nearest(
    value,
    allowed.filter((a): a is string => typeof a === 'string')
  );
  return near === undefined ? '' : `; did you mean ${quote(near)}?`;
}

/** The candidate closest to `name` — the same but for case or separators, or a small typo — or undefined. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  if (name === '') return undefined;
  const fold = (s: string) => s.toLowerCase().replace(/[-_ ]/g, '');
  const same = candidates.find((c) => c !== name && fold(c) === fold(name));
  if (same !== undefined) return same;
  const extended = name.length >= 3 ? candidates.filter((c) => c !== name && fold(c).startsWith(fold(name))) : [];
  if (extended.length === 1) return extended[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && bestDistance > 0 && bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance (a swap of two neighbours counts as one edit). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Graph nodes describing the same position: `start` and every alternative they lead to. */
function closure(graph: KeyGraph, start: readonly number[]): number[] {
  const seen = new Set<number>();
  const stack = [...start];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const o of graph[n]?.o ?? []) stack.push(o);
  }
  return [...seen];
}

/** The nodes one data-path segment further: a named property, or what any other key or index leads to. */
function step(graph: KeyGraph, nodes: readonly number[], segment: string): number[] {
  const next: number[] = [];
  for (const n of nodes) {
    const node = graph[n];
    if (!node) continue;
    const child = node.p && Object.prototype.hasOwnProperty.call(node.p, segment) ? node.p[segment] : undefined;
    if (child !== undefined) next.push(child);
    else next.push(...(node.a ?? []));
  }
  return next;
}

/** The keys a closed object allows at this data path (from the generated key graph), or undefined. */
function allowedKeysAt(graph: KeyGraph, segments: readonly string[]): string[] | undefined {
  if (graph.length === 0) return undefined;
  let current = closure(graph, [0]);
  for (const segment of segments) current = closure(graph, step(graph, current, segment));
  const keys = new Set<string>();
  for (const n of current) for (const k of graph[n]?.k ?? []) keys.add(k);
  return keys.size > 0 ? [...keys].sort() : undefined;
}
