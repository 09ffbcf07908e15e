/**
 * A CycloneDX BOM (1.5–1.7 JSON) read as an agent bill of materials: every component and service (top-level,
 * metadata.component, metadata.tools.components and .services), however deeply nested, becomes one AgentComponent
 * keyed by bom-ref, else purl, else type + group + name, with the agent facts (kind, pinning, side effect, approval, trust score) read from properties.
 * docs/agbom.md documents the property names, the aliases and the kind inference.
 */
import { nearest } from '../read/validate.js';
import { pointer as jsonPointer } from './context.js';

export const AGENT_KINDS = [
  'model',
  'mcp_server',
  'tool',
  'prompt',
  'policy',
  'dataset',
  'guardrail',
  'agent',
  'other'
] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** Ranked by reach: nothing, reading, writing outside the agent, irreversible or privileged. */
export const SIDE_EFFECTS = ['none', 'read', 'external_write', 'destructive'] as const;
export type SideEffect = (typeof SIDE_EFFECTS)[number];

/** A fact read from a property, with where it was written. */
export interface Fact<T> {
  value: T;
  /** the property name as written (`agentgate:trust_score`, `trustScore` …) */
  property: string;
  /** JSON pointer of the property's value */
  pointer: string;
}

export interface AgentComponent {
  key: string;
  key_source: 'bom-ref' | 'purl' | 'name';
  /** where it sits in the BOM */
  element: 'component' | 'service' | 'subject';
  /** the CycloneDX component type, or "service" */
  type: string;
  name: string;
  group: string | null;
  bom_ref: string | null;
  version: string | null;
  purl: string | null;
  /** algorithm as written → lower-case content */
  hashes: Record<string, string>;
  /** service endpoints plus `endpoint` properties, sorted, unique */
  endpoints: string[];
  /** property name → its values, sorted (CycloneDX allows a name more than once) */
  properties: Map<string, string[]>;
  kind: AgentKind;
  /** true when no kind property was given (or it was invalid) and the kind was inferred */
  kind_inferred: boolean;
  /** the kind the component's own fields suggest (its type, name, endpoints), whatever kind was written */
  inferred_kind: AgentKind;
  /** JSON pointer of the `agentgate:kind` value the kind was read from; null when the kind was inferred */
  kind_pointer: string | null;
  pinned: Fact<boolean> | null;
  /** the version a `pinnedVersion` property pins to */
  pinned_version: Fact<string> | null;
  /** `agentgate:digest`, e.g. "sha256:…" (services carry no hashes in CycloneDX) */
  digest: Fact<string> | null;
  side_effect: Fact<SideEffect> | null;
  requires_approval: Fact<boolean> | null;
  trust_score: Fact<number> | null;
  /** the model an agent or tool runs on, when named by a property rather than a model component */
  model_ref: Fact<string> | null;
  /** JSON pointer of the component or service */
  pointer: string;
}

export interface PropertyProblem {
  key: string;
  component: string;
  property: string;
  /** JSON pointer of the offending value (or of the property when it has none) */
  pointer: string;
  value: string | null;
  /** what a valid value looks like */
  expected: string;
}

export interface DuplicateKey {
  key: string;
  /** every place the key occurs, in document order; the first one is the one compared */
  pointers: string[];
  names: string[];
}

/** A component or service found in a BOM, keyed but not yet read. */
export interface BomEntry {
  key: string;
  key_source: AgentComponent['key_source'];
  element: AgentComponent['element'];
  /** JSON pointer of the component or service */
  pointer: string;
  raw: Record<string, unknown>;
}

export interface IndexedBom {
  /** first occurrence of each key, in document order */
  entries: BomEntries;
  duplicates: DuplicateKey[];
  /** metadata.component.name: the agent the BOM describes */
  subject: string | null;
}

export interface NormalisedBom extends IndexedBom {
  components: Map<string, AgentComponent>;
  problems: PropertyProblem[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false };

interface FactSource<T> {
  /** property names in precedence order: the first one present decides */
  names: string[];
  parse: (value: string) => Parsed<T>;
  expected: string;
  /** names whose unrecognised values are ignored rather than reported (loosely defined elsewhere) */
  lenient?: string[];
}

const norm = (v: string): string =>
  v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const BOOLEAN: FactSource<boolean>['parse'] = (v) => {
  const t = v.trim().toLowerCase();
  return t === 'true' ? { ok: true, value: true } : t === 'false' ? { ok: true, value: false } : { ok: false };
};

const KIND_ALIASES: Record<string, AgentKind> = { mcpserver: 'mcp_server', mcp: 'mcp_server' };

const SIDE_EFFECT_VALUES: Record<string, SideEffect> = {
  none: 'none',
  pure: 'none',
  read: 'read',
  read_only: 'read',
  readonly: 'read',
  local_read: 'read',
  network_read: 'read',
  // writes only the agent's own state (Joch): nothing outside the agent changes
  local_write: 'read',
  external_write: 'external_write',
  write: 'external_write',
  read_write: 'external_write',
  network_write: 'external_write',
  communication: 'external_write',
  financial: 'external_write',
  destructive: 'destructive',
  delete: 'destructive',
  irreversible: 'destructive',
  code_execution: 'destructive',
  privileged: 'destructive'
};

const TRUST_SCORE = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;

const KIND_SOURCE: FactSource<AgentKind> = {
  names: ['agentgate:kind'],
  parse: (v) => {
    const n = norm(v);
    const kind = (AGENT_KINDS as readonly string[]).includes(n) ? (n as AgentKind) : KIND_ALIASES[n];
    return kind ? { ok: true, value: kind } : { ok: false };
  },
  expected: AGENT_KINDS.join(' | ')
};
const PINNED_SOURCE: FactSource<boolean> = {
  names: ['agentgate:pinned', 'pinServerVersion'],
  parse: BOOLEAN,
  expected: 'true | false'
};
const PINNED_VERSION_SOURCE: FactSource<string> = {
  names: ['pinnedVersion'],
  parse: (v) => (v.trim() === '' ? { ok: false } : { ok: true, value: v.trim() }),
  expected: 'the exact version the component is pinned to'
};
const DIGEST_SOURCE: FactSource<string> = {
  names: ['agentgate:digest'],
  // the length that goes with the algorithm: `sha256:abc` pins nothing, and says so
  parse: (v) =>
    /^(?:sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/i.test(v.trim())
      ? { ok: true, value: v.trim() }
      : { ok: false },
  expected: 'sha256:<64 hex> | sha384:<96 hex> | sha512:<128 hex>'
};
const SIDE_EFFECT_SOURCE: FactSource<SideEffect> = {
  names: ['agentgate:side_effect', 'sideEffect', 'sideEffects.level', 'scope'],
  parse: (v) => {
    const effect = SIDE_EFFECT_VALUES[norm(v)];
    return effect ? { ok: true, value: effect } : { ok: false };
  },
  expected: SIDE_EFFECTS.join(' | '),
  // OWASP AOS `scope` also carries OAuth-style scopes ("repo", "tickets:write"): only read-only/read-write are meant
  lenient: ['scope']
};
const APPROVAL_SOURCE: FactSource<boolean> = {
  names: ['agentgate:requires_approval', 'requiresApproval', 'sideEffects.requiresApproval'],
  parse: BOOLEAN,
  expected: 'true | false'
};
const TRUST_SOURCE: FactSource<number> = {
  names: ['agentgate:trust_score', 'trustScore'],
  parse: (v) => (TRUST_SCORE.test(v.trim()) ? { ok: true, value: Number(v.trim()) } : { ok: false }),
  expected: 'a number from 0 to 1, e.g. 0.85'
};
const MODEL_SOURCE: FactSource<string> = {
  names: ['agentgate:model', 'model'],
  parse: (v) => (v.trim() === '' ? { ok: false } : { ok: true, value: v.trim() }),
  expected: 'the model name and version, e.g. gpt-4o-2024-08-06'
};
/** Every property name a fact is read from: only these can make a property problem. */
const FACT_PROPERTY_NAMES: ReadonlySet<string> = new Set(
  [
    KIND_SOURCE,
    PINNED_SOURCE,
    PINNED_VERSION_SOURCE,
    DIGEST_SOURCE,
    SIDE_EFFECT_SOURCE,
    APPROVAL_SOURCE,
    TRUST_SOURCE,
    MODEL_SOURCE
  ].flatMap((source) => source.names)
);

/**
 * Whether reading this entry could report a property problem: it names at least one fact property. Large BOMs are
 * mostly libraries whose properties are the generator's own (`cdx:…`, `syft:…`); they need no reading to be
 * known free of agent-property problems.
 */
export function namesAgentProperty(raw: Record<string, unknown>): boolean {
  const properties: unknown = raw.properties;
  if (!Array.isArray(properties)) return false;
  for (const p of properties as unknown[]) {
    const name = typeof p === 'object' && p !== null ? (p as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && (FACT_PROPERTY_NAMES.has(name) || unknownGateName(name))) return true;
  }
  return false;
}

/** OWASP AOS names a tool's endpoint in a property */
const ENDPOINT_PROPERTIES = ['agentgate:endpoint', 'endpoint'];

/** The gate's own property names: in its namespace, any other name is a misspelling, not someone else's property. */
const AGENTGATE_NAMES: readonly string[] = [...FACT_PROPERTY_NAMES, ...ENDPOINT_PROPERTIES]
  .filter((name) => name.startsWith('agentgate:'))
  .sort();

/** `agentgate:…` in any case: the gate's namespace (`AgentGate:Side_Effect` is no less meant for it). */
function inGateNamespace(name: string): boolean {
  // the first letter first: this runs on every property name of a large BOM
  return name.length > 10 && (name.charCodeAt(0) | 0x20) === 0x61 && name.slice(0, 10).toLowerCase() === 'agentgate:';
}

/** A property name in the gate's namespace that is not one of its names (a misspelt fact would be ignored). */
function unknownGateName(name: string): boolean {
  return inGateNamespace(name) && !AGENTGATE_NAMES.includes(name);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

interface PropertyEntry {
  value: string | null;
  /** position in the component's `properties` array */
  index: number;
  hasValue: boolean;
}

/** What readFact needs to place a fact or a problem; made once per component that has properties. */
interface FactScope {
  byName: Map<string, PropertyEntry[]>;
  /** the component's JSON pointer */
  at: string;
  key: string;
  component: string;
  problems: PropertyProblem[];
}

function entryPointer(scope: FactScope, entry: PropertyEntry): string {
  return `${scope.at}/properties/${entry.index}${entry.hasValue ? '/value' : ''}`;
}

/** Read one fact: the first name in precedence order that is present decides; several differing values are ambiguous. */
function readFact<T>(source: FactSource<T>, scope: FactScope): Fact<T> | null {
  const problem = (property: string, entry: PropertyEntry, value: string | null, expected: string) =>
    scope.problems.push({
      key: scope.key,
      component: scope.component,
      property,
      pointer: entryPointer(scope, entry),
      value,
      expected
    });
  for (const name of source.names) {
    const entries = scope.byName.get(name);
    if (!entries) continue;
    const lenient = source.lenient?.includes(name) ?? false;
    const parsed: { value: T; entry: PropertyEntry }[] = [];
    for (const entry of entries) {
      const result = entry.value === null ? ({ ok: false } as const) : source.parse(entry.value);
      if (result.ok) parsed.push({ value: result.value, entry });
      else if (!lenient) problem(name, entry, entry.value, source.expected);
    }
    if (parsed.length === 0) {
      if (lenient) continue;
      return null;
    }
    const first = parsed[0]!;
    if (parsed.some((p) => p.value !== first.value)) {
      const values = parsed.map((p) => p.entry.value).join(' / ');
      problem(
        name,
        parsed[1]!.entry,
        values,
        `one value (the property is given ${parsed.length} times with different values)`
      );
      return null;
    }
    return { value: first.value, property: name, pointer: entryPointer(scope, first.entry) };
  }
  return null;
}

/**
 * "mcp" anywhere in a word counts (`jira-mcp`, `GitHubMCPServer`, `mcpserver.example`): no other word holds those
 * letters, and a name that merely runs them together must not pass for a plain tool (no pinning rule).
 */
const MCP_WORD = /mcp|modelcontextprotocol/i;

function mentionsMcp(texts: (string | null)[]): boolean {
  for (const t of texts) if (t !== null && MCP_WORD.test(ASCII_ONLY.test(t) ? t : latinLookalikes(t))) return true;
  return false;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
/**
 * Cyrillic and Greek letters drawn like the Latin ones of "mcp" and "modelcontextprotocol" (`github-mсp-server` with a
 * Cyrillic с reads as an MCP server, and must be judged as one). Fullwidth and other compatibility forms are folded
 * by NFKC first; invisible format characters (a zero-width space inside the word) are dropped.
 */
const LOOKALIKES: Record<string, string> = {
  '\u0430': 'a',
  '\u0410': 'a',
  '\u03b1': 'a',
  '\u0391': 'a',
  '\u0441': 'c',
  '\u0421': 'c',
  '\u03f2': 'c',
  '\u03f9': 'c',
  '\u0501': 'd',
  '\u0435': 'e',
  '\u0415': 'e',
  '\u0395': 'e',
  '\u0456': 'i',
  '\u0406': 'i',
  '\u0399': 'i',
  '\u04cf': 'l',
  '\u041c': 'm',
  '\u043c': 'm',
  '\u039c': 'm',
  '\u043e': 'o',
  '\u041e': 'o',
  '\u03bf': 'o',
  '\u039f': 'o',
  '\u0440': 'p',
  '\u0420': 'p',
  '\u03c1': 'p',
  '\u03a1': 'p',
  '\u0422': 't',
  '\u03a4': 't',
  '\u0445': 'x',
  '\u0425': 'x',
  '\u03a7': 'x',
  '\u03c7': 'x'
};
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

function latinLookalikes(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(LOOKALIKE, (ch) => LOOKALIKES[ch]!);
}

/** data/file components named by path: prompts/…, policies/…, guardrails/…, *.rego */
function kindFromPath(name: string): AgentKind | null {
  const lower = name.toLowerCase();
  const dirs = lower.split(/[/\\]/).slice(0, -1);
  const base = lower.split(/[/\\]/).pop() ?? '';
  if (dirs.some((d) => d === 'prompts' || d === 'prompt') || /\.prompt(?:\.[a-z]+)?$/.test(base)) return 'prompt';
  if (dirs.some((d) => d === 'policies' || d === 'policy') || /\.(?:rego|cedar)$/.test(base)) return 'policy';
  if (dirs.some((d) => d === 'guardrails' || d === 'guardrail')) return 'guardrail';
  return null;
}

const SERVER_TYPES = new Set(['application', 'container', 'platform']);

function inferKind(
  element: AgentComponent['element'],
  type: string,
  name: string,
  group: string | null,
  purl: string | null,
  endpoints: string[]
): AgentKind {
  if (element === 'subject') return 'agent';
  if (type === 'machine-learning-model') return 'model';
  if (element === 'service') return mentionsMcp([name, group, ...endpoints]) ? 'mcp_server' : 'tool';
  if (SERVER_TYPES.has(type) && mentionsMcp([name, group, purl])) return 'mcp_server';
  if (type === 'data' || type === 'file') {
    const byPath = kindFromPath(group ? `${group}/${name}` : name);
    if (byPath) return byPath;
    return type === 'data' ? 'dataset' : 'other';
  }
  return 'other';
}

function typeOf(raw: Record<string, unknown>, element: AgentComponent['element']): string {
  return element === 'service' ? 'service' : (str(raw.type) ?? '');
}

/** bom-ref, else purl, else type + group + name */
function keyOf(raw: Record<string, unknown>, element: AgentComponent['element']): string {
  const bomRef = raw['bom-ref'];
  if (typeof bomRef === 'string' && bomRef !== '') return bomRef;
  const purl = element === 'service' ? null : str(raw.purl);
  if (purl !== null && purl !== '') return purl;
  const group = str(raw.group);
  return `${typeOf(raw, element)}:${group ? `${group}/` : ''}${str(raw.name) ?? ''}`;
}

/** Which field keyOf took the key from (asked only of the entries read, not of every entry indexed). */
function keySourceOf(raw: Record<string, unknown>, element: AgentComponent['element']): AgentComponent['key_source'] {
  const bomRef = raw['bom-ref'];
  if (typeof bomRef === 'string' && bomRef !== '') return 'bom-ref';
  const purl = element === 'service' ? null : str(raw.purl);
  return purl !== null && purl !== '' ? 'purl' : 'name';
}

/**
 * The components and services of one BOM by key: the first occurrence of each, in document order. A large BOM is
 * mostly libraries the diff finds unchanged and never reads, so an entry is kept as a slot (its value, element and
 * place in parallel lists) and made into a BomEntry only when asked for: indexing 50,000 components then
 * allocates no object and no pointer per component (on a VM where fresh memory is costly, that halved indexing).
 */
export class BomEntries {
  private readonly slots = new Map<string, number>();
  /** the key of each slot: slots are numbered in document order, as the map holds them */
  private readonly keyList: string[] = [];
  private readonly raws: Record<string, unknown>[] = [];
  private readonly elements: AgentComponent['element'][] = [];
  /** the pointer of the list each entry is in (the entry's own pointer when `positions` holds -1) */
  private readonly lists: string[] = [];
  private readonly positions: number[] = [];

  get size(): number {
    return this.slots.size;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  get(key: string): BomEntry | undefined {
    const n = this.slots.get(key);
    return n === undefined ? undefined : this.entry(key, n);
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  *[Symbol.iterator](): IterableIterator<[string, BomEntry]> {
    for (const [key, n] of this.slots) yield [key, this.entry(key, n)];
  }

  /** Each key with its slot, in document order (no entry is made). */
  forEachSlot(fn: (key: string, slot: number) => void): void {
    const keys = this.keyList;
    for (let slot = 0; slot < keys.length; slot++) fn(keys[slot]!, slot);
  }

  slotOf(key: string): number {
    return this.slots.get(key) ?? -1;
  }

  keyAt(slot: number): string {
    return this.keyList[slot]!;
  }

  raw(slot: number): Record<string, unknown> {
    return this.raws[slot]!;
  }

  /**
   * Whether an entry here and one of `other` are written identically, nested components and services aside
   * (they are entries of their own). Cheap and allocation-free: it lets the diff skip reading the unchanged bulk.
   */
  sameAs(slot: number, other: BomEntries, otherSlot: number): boolean {
    return this.elements[slot] === other.elements[otherSlot] && sameEntry(this.raws[slot]!, other.raws[otherSlot]!);
  }

  /** Adds an entry; the entry already kept under its key when the key is taken. */
  add(
    raw: Record<string, unknown>,
    element: AgentComponent['element'],
    list: string,
    position: number
  ): BomEntry | null {
    const key = keyOf(raw, element);
    const seen = this.slots.get(key);
    if (seen !== undefined) return this.entry(key, seen);
    this.slots.set(key, this.raws.length);
    this.keyList.push(key);
    this.raws.push(raw);
    this.elements.push(element);
    this.lists.push(list);
    this.positions.push(position);
    return null;
  }

  private entry(key: string, n: number): BomEntry {
    const position = this.positions[n]!;
    const pointer = position < 0 ? this.lists[n]! : `${this.lists[n]!}/${position}`;
    const raw = this.raws[n]!;
    const element = this.elements[n]!;
    return { key, key_source: keySourceOf(raw, element), element, pointer, raw };
  }
}

/** Shared empty values: most components of a large BOM (libraries) have no properties or endpoints. */
const NO_PROPERTIES: ReadonlyMap<string, string[]> = new Map();
const NO_ENDPOINTS: string[] = [];
const NO_LIST: readonly unknown[] = [];
const NO_ENTRIES = new Map<string, PropertyEntry[]>();
const NO_HASHES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

/** algorithm → lower-case content. Null-prototype, so even an algorithm named "__proto__" stays plain data. */
function readHashes(list: unknown[]): Record<string, string> {
  const hashes: Record<string, string> = Object.create(null);
  for (const h of list) {
    const alg = str((h as { alg?: unknown } | null)?.alg);
    const content = str((h as { content?: unknown } | null)?.content);
    if (alg === null || content === null) continue;
    const lower = content.toLowerCase();
    const seen = hashes[alg];
    // two different digests under one algorithm are kept joined: they then pin nothing
    hashes[alg] = seen === undefined || seen === lower ? lower : sortedUnique([...seen.split(','), lower]).join(',');
  }
  return hashes;
}

function sortedUnique(values: string[]): string[] {
  return values.length < 2 ? values : [...new Set(values)].sort();
}

const NO_FACTS = {
  pinned: null,
  pinned_version: null,
  digest: null,
  side_effect: null,
  requires_approval: null,
  trust_score: null,
  model_ref: null,
  kind: null
} as const;

/** Read a component's agent facts; invalid property values are added to `problems`. */
export function readComponent(entry: BomEntry, problems: PropertyProblem[]): AgentComponent {
  const { raw, element, key, key_source, pointer: at } = entry;
  const name = str(raw.name) ?? '';
  const group = str(raw.group);
  const type = typeOf(raw, element);
  const purl = element === 'service' ? null : str(raw.purl);
  const hashes = Array.isArray(raw.hashes) ? readHashes(raw.hashes) : NO_HASHES;

  const rawProperties: readonly unknown[] = Array.isArray(raw.properties) ? raw.properties : NO_LIST;
  const byName = rawProperties.length > 0 ? new Map<string, PropertyEntry[]>() : NO_ENTRIES;
  for (let i = 0; i < rawProperties.length; i++) {
    const p = rawProperties[i];
    const propName = str((p as { name?: unknown } | null)?.name);
    if (propName === null) continue;
    const hasValue = typeof p === 'object' && p !== null && 'value' in p;
    const property = { value: hasValue ? str((p as { value?: unknown }).value) : null, index: i, hasValue };
    if (unknownGateName(propName)) {
      const near = nearest(propName, AGENTGATE_NAMES);
      problems.push({
        key,
        component: name,
        property: propName,
        pointer: `${at}/properties/${i}/name`,
        value: property.value,
        expected: `a property name the gate reads${near ? ` (did you mean ${near}?)` : ''}: ${AGENTGATE_NAMES.join(', ')}; a misspelt name is not read`
      });
    }
    const list = byName.get(propName);
    if (list) list.push(property);
    else byName.set(propName, [property]);
  }

  let endpoints = NO_ENDPOINTS;
  if (Array.isArray(raw.endpoints) || byName.size > 0) {
    const list: string[] = [];
    if (Array.isArray(raw.endpoints))
      for (const e of raw.endpoints as unknown[]) if (typeof e === 'string') list.push(e);
    for (const propName of ENDPOINT_PROPERTIES)
      for (const e of byName.get(propName) ?? []) if (e.value) list.push(e.value);
    if (list.length > 0) endpoints = sortedUnique(list);
  }

  let properties = NO_PROPERTIES as Map<string, string[]>;
  let facts: Pick<
    AgentComponent,
    'pinned' | 'pinned_version' | 'digest' | 'side_effect' | 'requires_approval' | 'trust_score' | 'model_ref'
  > & { kind: Fact<AgentKind> | null } = NO_FACTS;
  if (byName.size > 0) {
    properties = new Map();
    for (const [propName, entries] of byName) properties.set(propName, sortedUnique(entries.map((e) => e.value ?? '')));
    const scope: FactScope = { byName, at, key, component: name, problems };
    facts = {
      pinned: readFact(PINNED_SOURCE, scope),
      pinned_version: readFact(PINNED_VERSION_SOURCE, scope),
      digest: readFact(DIGEST_SOURCE, scope),
      side_effect: readFact(SIDE_EFFECT_SOURCE, scope),
      requires_approval: readFact(APPROVAL_SOURCE, scope),
      trust_score: readFact(TRUST_SOURCE, scope),
      model_ref: readFact(MODEL_SOURCE, scope),
      kind: readFact(KIND_SOURCE, scope)
    };
  }
  const inferred = inferKind(element, type, name, group, purl, endpoints);
  return {
    key,
    key_source,
    element,
    type,
    name,
    group,
    bom_ref: str(raw['bom-ref']),
    version: str(raw.version),
    purl,
    hashes,
    endpoints,
    properties,
    kind: facts.kind?.value ?? inferred,
    kind_inferred: facts.kind === null,
    inferred_kind: inferred,
    kind_pointer: facts.kind?.pointer ?? null,
    pinned: facts.pinned,
    pinned_version: facts.pinned_version,
    digest: facts.digest,
    side_effect: facts.side_effect,
    requires_approval: facts.requires_approval,
    trust_score: facts.trust_score,
    model_ref: facts.model_ref,
    pointer: at
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Every component and service of a BOM, nested ones included, keyed, in document order. Never throws:
 * values of the wrong type are skipped (the schema check reports them). Components are read later, and
 * only those the diff needs: most of a large BOM is unchanged.
 */
export function indexBom(bom: unknown): IndexedBom {
  const entries = new BomEntries();
  const duplicateIndex = new Map<string, DuplicateKey>();
  const doc = isObject(bom) ? bom : {};
  const metadata = isObject(doc.metadata) ? doc.metadata : null;
  const subject = metadata && isObject(metadata.component) ? metadata.component : null;
  // CycloneDX 1.5+ `metadata.tools` object form holds full components and services. The deprecated array form
  // (1.4-style `{ vendor, name, version, hashes }`) has no type, bom-ref or properties: nothing an agent fact could
  // be read from, so it is not read (docs/agbom.md).
  const tools = metadata && isObject(metadata.tools) ? metadata.tools : null;

  // Depth-first in document order without recursion (a hostile BOM may nest deeper than the call stack):
  // a stack of cursors, one per list being walked, so that a flat BOM costs no bookkeeping per component.
  type Cursor = { list: unknown[]; element: AgentComponent['element']; at: string; next: number };
  const cursors: Cursor[] = [];
  const enter = (list: unknown, element: AgentComponent['element'], at: string) => {
    if (Array.isArray(list) && list.length > 0) cursors.push({ list, element, at, next: 0 });
  };
  const visit = (raw: unknown, element: AgentComponent['element'], list: string, position: number) => {
    if (!isObject(raw)) return;
    const seen = entries.add(raw, element, list, position);
    // the entry's pointer is made only for a repeat or a nested list: most components are neither
    if (seen) {
      const at = position < 0 ? list : `${list}/${position}`;
      const dup = duplicateIndex.get(seen.key) ?? {
        key: seen.key,
        pointers: [seen.pointer],
        names: [str(seen.raw.name) ?? '']
      };
      dup.pointers.push(at);
      dup.names.push(str(raw.name) ?? '');
      duplicateIndex.set(seen.key, dup);
    }
    const children = element === 'service' ? raw.services : raw.components;
    if (Array.isArray(children) && children.length > 0) {
      const at = position < 0 ? list : `${list}/${position}`;
      if (element === 'service') enter(children, 'service', `${at}/services`);
      else enter(children, 'component', `${at}/components`);
    }
  };
  // a stack: pushed last is walked first, so the order is metadata.component, metadata.tools.components,
  // metadata.tools.services, components, services (metadata first, as it is written)
  enter(doc.services, 'service', '/services');
  enter(doc.components, 'component', '/components');
  if (tools) {
    enter(tools.services, 'service', jsonPointer('metadata', 'tools', 'services'));
    enter(tools.components, 'component', jsonPointer('metadata', 'tools', 'components'));
  }
  if (subject) visit(subject, 'subject', jsonPointer('metadata', 'component'), -1);
  while (cursors.length > 0) {
    const top = cursors[cursors.length - 1]!;
    if (top.next >= top.list.length) {
      cursors.pop();
      continue;
    }
    const i = top.next++;
    visit(top.list[i], top.element, top.at, i);
  }
  return { entries, duplicates: [...duplicateIndex.values()], subject: subject ? str(subject.name) : null };
}

/** Every component of a BOM read, with the problems of their properties. */
export function normaliseBom(bom: unknown): NormalisedBom {
  const index = indexBom(bom);
  const problems: PropertyProblem[] = [];
  const components = new Map<string, AgentComponent>();
  for (const [key, entry] of index.entries) components.set(key, readComponent(entry, problems));
  return { ...index, components, problems };
}

const { hasOwn } = Object;
/** Deeper than any record the loader accepts; deeper values are judged different and read in full. */
const MAX_COMPARE_DEPTH = 64;

/**
 * Two entries written identically, their nested components and services aside (entries of their own). It runs
 * once per unchanged component of a large BOM, mostly in code not yet optimised: values are read once, equal ones
 * skip the recursion, and the own-key check runs only before recursing (an inherited value, such as a missing
 * `__proto__` key's, must not stand in for an object); primitives that differ fail without it.
 */
function sameEntry(x: Record<string, unknown>, y: Record<string, unknown>): boolean {
  let keys = 0;
  for (const k in x) {
    if (k === 'components' || k === 'services') continue;
    keys++;
    if (!sameMember(x[k], y, k, 1)) return false;
  }
  for (const k in y) if (k !== 'components' && k !== 'services') keys--;
  return keys === 0;
}

function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > MAX_COMPARE_DEPTH)
    return false;
  const list = Array.isArray(a);
  if (list !== Array.isArray(b)) return false;
  if (list) {
    const x = a as unknown[];
    const y = b as unknown[];
    const n = x.length;
    if (n !== y.length) return false;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v !== y[i] && !sameJson(v, y[i], depth + 1)) return false;
    }
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    keys++;
    if (!sameMember(x[k], y, k, depth + 1)) return false;
  }
  for (const _ in y) keys--;
  return keys === 0;
}

/** Whether `y` has its own `k` equal to `v`. */
function sameMember(v: unknown, y: Record<string, unknown>, k: string, depth: number): boolean {
  const w = y[k];
  if (v === w) return v !== undefined || hasOwn(y, k);
  return typeof v === 'object' && v !== null && hasOwn(y, k) && sameJson(v, w, depth);
}
