/**
 * AgBOM diff: the CycloneDX agent bill of materials on the base branch against the head, component by
 * component, and the high-risk rules on what the change adds or alters (seed 000: "the AgBOM diff shows
 * no high-risk components"). docs/agbom.md is the user's side of this module.
 */
import type { EvalEvidence, AgbomEvidence, ComponentEvidence } from '../model/evidence.js';
import type { Json } from '../model/finding.js';
import type { Rec } from '../model/input.js';
import type { EvalRecord } from '../model/records.js';
import { revealInvisible } from '../read/text.js';
import { cmp, locationOf, type FamilyResult, type GateContext } from './context.js';
import { defineRules, FindingList } from './rules.js';
import {
  indexBom,
  namesAgentProperty,
  readComponent,
  type AgentComponent,
  type AgentKind,
  type IndexedBom,
  type PropertyProblem
} from './agbom-components.js';
import { Redactor } from './secrets.js';

export const RULES = defineRules('agbom', {
  'agbom.mcp-unpinned': {
    severity: 'deny',
    title: 'MCP server is not pinned to an exact version and digest',
    description:
      'An MCP server that is added or changed (or a component that was an MCP server on the base branch and was retyped in this change) must name an exact version (not a range such as ^1.2, ~1, *, 1.x or a tag such as latest) and a digest (a SHA-256/384/512 hash, a purl or version containing @sha256:, or an `agentgate:digest` property). An unpinned server can change what the agent is able to do without any change in this repository.',
    fix: 'Pin the server: set `version` to the exact release and add a `hashes` entry (or `agentgate:digest` for a service, or a purl with @sha256:…) for the artifact you reviewed.'
  },
  'agbom.low-trust': {
    severity: 'deny',
    title: 'Component trust score is below the minimum',
    description:
      'A component that is added or changed declares a trust score (`agentgate:trust_score` or `trustScore`) below `agbom.min_trust_score` in the gate configuration (default 0.7).',
    fix: 'Replace the component with a trusted one, or have it reassessed and record the new score. Lowering `agbom.min_trust_score` changes the gate for every component.'
  },
  'agbom.unapproved-side-effect': {
    severity: 'deny',
    title: 'Tool with external or destructive side effects does not require approval',
    description:
      'A tool or MCP server that is added or changed (or a component that was one on the base branch and was retyped in this change, or that plainly is one whatever kind it was written as, or any component that declares a writing side effect) declares an external_write or destructive side effect but no `agentgate:requires_approval: true`: the agent could write to other systems, or destroy data, without a person confirming.',
    fix: 'Require approval for the tool (`agentgate:requires_approval` = "true") in the runtime and the AgBOM, or narrow its side effect.'
  },
  'agbom.undeclared-side-effect': {
    severity: 'warning',
    title: 'New or changed tool does not declare its side effect',
    description:
      'A tool or MCP server that is added or changed (or a component that was one on the base branch and was retyped in this change) has no side-effect property, so the gate cannot tell whether it writes to other systems.',
    fix: 'Add `agentgate:side_effect` (none, read, external_write or destructive) to the component.'
  },
  'agbom.policy-removed': {
    severity: 'deny',
    title: 'Policy component removed or no longer a policy',
    description:
      'A component of kind policy that is in the base branch AgBOM is a policy in no head AgBOM: it was removed, or it is still there with another kind (its `agentgate:kind` changed, or a change to its type or name changed the inferred kind). Either way the agent loses a guard, and a later change could remove the component without this rule noticing. (A policy that moves to another AgBOM file of the same agent — the same `metadata.component.name` — is not removed; one moved into the AgBOM of another agent no longer guards this one.)',
    fix: 'Restore the policy (with kind policy), or replace it with one that covers the same risks and list it in the AgBOM.'
  },
  'agbom.kind-changed': {
    severity: 'follow_up',
    title: 'Component changed to a kind fewer rules watch',
    description:
      'A component in both AgBOMs has another agent kind in the head (its `agentgate:kind` changed, or a change to its type, name or endpoints changed the inferred kind), and its base kind is judged by a rule its head kind is not: an MCP server that became a tool or `other` is no longer checked for pinning, a tool that became `other` no longer for its side effect, a model that became something else no longer needs an eval. In this change the component is judged by the rules of both kinds; from the next change on only its new kind applies, so a person confirms the new kind. (A policy retyped is agbom.policy-removed; a kind change that only adds rules, such as `other` to `tool`, is not reported.)',
    fix: 'Restore the kind the component had (`agentgate:kind`), or have a reviewer confirm that the new kind is what the component is.'
  },
  'agbom.secret': {
    severity: 'deny',
    title: 'AgBOM contains something that looks like a secret',
    description:
      'A string in the head AgBOM looks like a credential: a known token shape (AWS, GitHub, GitLab, Slack, Stripe, OpenAI-style, Hugging Face, npm, Google, JWT, private key, a Bearer or Basic credential of an authorization header), credentials or a token in a URL, a password, or a long random value in a field named like a secret. An AgBOM is published with the release; it must name secrets, never hold them.',
    fix: 'Remove the value, rotate the credential (it is in the git history now), and refer to the secret by name (e.g. a secret store reference) instead.'
  },
  'agbom.model-changed': {
    severity: 'follow_up',
    title: 'Model changed without a passing required eval covering it',
    description:
      "A model component (or a component that was a model on the base branch) is added or its version or digest changed (or an agent's `model` property changed), and no required eval that covers it passes. An eval covers a model when its `spec.covers` lists the model's bom-ref or name, or, without `covers`, when its target is the agent the AgBOM describes.",
    fix: "Run an eval that covers the model and make it required (a change review record's required_evals or a Deployment's requiresEval), or list the model in an eval's `spec.covers`."
  },
  'agbom.model-change-covered': {
    severity: 'warning',
    title: 'Model changed; covered by a passing required eval',
    description:
      'A model change that a passing required eval covers. Shown so the reviewer sees which evidence let the model change through.',
    fix: 'Nothing to fix. Turn the rule "off" in the configuration to hide these notes.'
  },
  'agbom.coverage-widened': {
    severity: 'follow_up',
    title: 'Model change covered only by eval coverage this change widened',
    description:
      "A model change that passing required evals cover, but each of them covers it only in the head: compared with the base branch's version of the same Eval (by metadata.name), the base version covers the model under none of its names (base or head) nor by target: this change added the model to `spec.covers`, removed `covers` so that the target rule applies, or changed the target. An Eval added in this change, in a file the base branch does not have, brings its own results and vouches like any eval; one with no base version although its file is on the base branch (unreadable there, or renamed) counts as widened. An eval that never measured the model would otherwise vouch for it. Without a base branch nothing is compared. When another passing required eval covered the model on the base branch too, the change stays agbom.model-change-covered.",
    fix: 'Have a reviewer confirm that the eval measures the new model (its dataset and metrics exercise it), or cover the model with an eval that already covered it on the base branch.'
  },
  'agbom.duplicate-key': {
    severity: 'deny',
    title: 'Two AgBOM components share a key',
    description:
      'Components are compared by bom-ref, else purl, else type + group + name. Two components with the same key in one BOM make the diff ambiguous (CycloneDX also requires bom-refs to be unique).',
    fix: 'Give each component a unique `bom-ref`.'
  },
  'agbom.invalid-property': {
    severity: 'deny',
    title: 'AgBOM property has an invalid value',
    description:
      'An agent property (`agentgate:kind`, `agentgate:pinned`, `agentgate:side_effect`, `agentgate:requires_approval`, `agentgate:trust_score`, `agentgate:digest`, or an alias such as `trustScore`) has a value the gate cannot read, or is given twice with different values; or a property in the `agentgate:` namespace has a name the gate does not know (a misspelt fact, such as `agentgate:side-effect`, would go unread). The gate does not guess: an unreadable fact fails closed.',
    fix: 'Use one of the names and values listed in docs/agbom.md.'
  }
});

type Bom = Rec<'agbom'>;

/** Text from a BOM as shown to people: secrets masked. `fieldName` (a property's name) enables the name-based checks. */
type Show = (text: string, fieldName?: string | null) => string;

/** One AgBOM file, its components read into agent components on first use. */
class BomFile {
  readonly index: IndexedBom;
  /** invalid agent properties of the components read so far */
  readonly problems: PropertyProblem[] = [];
  private readonly components = new Map<string, AgentComponent>();

  constructor(readonly rec: Bom) {
    this.index = indexBom(rec.data);
  }

  component(key: string): AgentComponent | undefined {
    let c = this.components.get(key);
    if (c === undefined) {
      const entry = this.index.entries.get(key);
      if (entry === undefined) return undefined;
      c = readComponent(entry, this.problems);
      this.components.set(key, c);
    }
    return c;
  }

  /** Read every component that names an agent property, so that no invalid agent property goes unreported. */
  readAllProperties(): void {
    const { entries } = this.index;
    entries.forEachSlot((key, slot) => {
      if (namesAgentProperty(entries.raw(slot))) this.component(key);
    });
  }
}

interface Pair {
  base: BomFile | null;
  head: BomFile | null;
}

/** A component as compared: one side or both, under its evidence key. */
interface Compared {
  key: string;
  pair: Pair;
  base: AgentComponent | null;
  head: AgentComponent | null;
  change: ComponentEvidence['change'];
  differences: ComponentEvidence['differences'];
}

export function evaluateAgbom(ctx: GateContext, evals: EvalEvidence[]): FamilyResult<AgbomEvidence | null> {
  const heads = ctx.head.of('agbom');
  const bases = ctx.base?.of('agbom') ?? [];
  if (heads.length === 0 && bases.length === 0) return { findings: [], evidence: null };

  const findings = new FindingList(ctx.config);
  // the head is scanned whole (a secret anywhere is a finding); base values are masked as they are shown
  const redactor = new Redactor();
  const headStates = heads.map((rec) => new BomFile(rec));
  const baseStates = bases.map((rec) => new BomFile(rec));
  for (const state of headStates) reportSecrets(state.rec, redactor.scan(state.rec.data), findings);
  const show: Show = (text, fieldName = null) => redactor.text(text, fieldName);

  for (const state of headStates) {
    state.readAllProperties();
    reportBomProblems(state, findings, show);
  }

  const pairs = pairBoms(headStates, baseStates);
  const prefixed = pairs.length > 1;
  const counts = { base: 0, head: 0, added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const s of baseStates) counts.base += s.index.entries.size;
  for (const s of headStates) counts.head += s.index.entries.size;
  const changes: Compared[] = [];
  for (const pair of pairs) counts.unchanged += diffPair(pair, prefixed, changes);
  changes.sort((a, b) => cmp(a.key, b.key));

  const coverage = evalCoverage(ctx, evals);
  // a policy that moved to another AgBOM file is not removed
  // a policy that moved to another AgBOM of the same agent is not removed; one moved into an unrelated agent's
  // AgBOM no longer guards this one
  const inHeadAsPolicy = (key: string, from: BomFile) =>
    headStates.some(
      (s) =>
        (s.rec.source.path === from.rec.source.path ||
          (from.index.subject !== null && s.index.subject === from.index.subject)) &&
        s.component(key)?.kind === 'policy'
    );
  const components: ComponentEvidence[] = [];
  for (const item of changes) {
    counts[item.change]++;
    const risks = judgeComponent(ctx, item, coverage, inHeadAsPolicy, findings, show);
    components.push(componentEvidence(item, risks, show));
  }

  const files = (side: 'base' | 'head') => {
    const paths = (side === 'base' ? baseStates : headStates).map((s) => s.rec.source.path);
    return paths.length === 0 ? null : paths.join(', ');
  };
  return {
    findings: sortFindings(findings),
    evidence: { base_file: files('base'), head_file: files('head'), counts, components }
  };
}

function sortFindings(list: FindingList) {
  return [...list.items].sort(
    (a, b) =>
      cmp(a.location?.file ?? '', b.location?.file ?? '') ||
      cmp(a.subject ?? '', b.subject ?? '') ||
      cmp(a.rule, b.rule) ||
      cmp(a.location?.pointer ?? '', b.location?.pointer ?? '')
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Pairing and diffing

/** Base ↔ head by file path; then by the agent the BOM describes (metadata.component.name); the rest stand alone. */
function pairBoms(heads: BomFile[], bases: BomFile[]): Pair[] {
  const pairs: Pair[] = [];
  const baseByPath = new Map(bases.map((b) => [b.rec.source.path, b]));
  const unpairedHeads: BomFile[] = [];
  const pairedBases = new Set<BomFile>();
  for (const head of heads) {
    const base = baseByPath.get(head.rec.source.path);
    if (base) {
      pairs.push({ base, head });
      pairedBases.add(base);
    } else unpairedHeads.push(head);
  }
  const basesBySubject = new Map<string, BomFile[]>();
  for (const base of bases) {
    if (pairedBases.has(base) || base.index.subject === null) continue;
    const list = basesBySubject.get(base.index.subject) ?? [];
    list.push(base);
    basesBySubject.set(base.index.subject, list);
  }
  for (const head of unpairedHeads) {
    const base = head.index.subject === null ? undefined : basesBySubject.get(head.index.subject)?.shift();
    if (base) pairedBases.add(base);
    pairs.push({ base: base ?? null, head });
  }
  for (const base of bases) if (!pairedBases.has(base)) pairs.push({ base, head: null });
  return pairs.sort((a, b) => cmp(pairFile(a), pairFile(b)));
}

function pairFile(p: Pair): string {
  return (p.head ?? p.base)!.rec.source.path;
}

/** Adds the pair's added, removed and changed components to `out`; returns how many are unchanged. */
function diffPair(pair: Pair, prefixed: boolean, out: Compared[]): number {
  const prefix = prefixed ? `${pairFile(pair)}#` : '';
  const { base, head } = pair;
  let unchanged = 0;
  const bases = base?.index.entries;
  // the base entries the head has, by slot: what is left unmarked was removed
  const baseCount = bases?.size ?? 0;
  const kept = new Uint8Array(baseCount);
  if (head) {
    const heads = head.index.entries;
    // BOMs mostly keep their order from one version to the next: the base entry after the last one matched is
    // tried first, and the key looked up only when it is not the one (it saves most lookups of a large BOM)
    let next = 0;
    heads.forEachSlot((key, slot) => {
      let baseSlot = -1;
      if (bases) {
        baseSlot = next < baseCount && bases.keyAt(next) === key ? next : bases.slotOf(key);
        if (baseSlot >= 0) {
          kept[baseSlot] = 1;
          next = baseSlot + 1;
        }
      }
      if (baseSlot < 0) {
        out.push({ key: prefix + key, pair, base: null, head: head.component(key)!, change: 'added', differences: [] });
        return;
      }
      // written identically: no need to read either side
      if (heads.sameAs(slot, bases!, baseSlot)) {
        unchanged++;
        return;
      }
      const b = base!.component(key)!;
      const h = head.component(key)!;
      const differences = diffComponent(b, h);
      if (differences.length === 0) unchanged++;
      else out.push({ key: prefix + key, pair, base: b, head: h, change: 'changed', differences });
    });
  }
  if (base && bases) {
    bases.forEachSlot((key, slot) => {
      if (kept[slot] === 1) return;
      out.push({ key: prefix + key, pair, base: base.component(key)!, head: null, change: 'removed', differences: [] });
    });
  }
  return unchanged;
}

type Diff = ComponentEvidence['differences'][number];

/** Field-level differences, sorted by field. */
function diffComponent(base: AgentComponent, head: AgentComponent): Diff[] {
  const out: Diff[] = [];
  for (const field of ['type', 'name', 'group', 'version', 'purl'] as const) {
    if (base[field] !== head[field]) out.push({ field, base: base[field], head: head[field] });
  }
  for (const alg in base.hashes) {
    const h = head.hashes[alg] ?? null;
    if (base.hashes[alg] !== h) out.push({ field: `hashes.${alg}`, base: base.hashes[alg]!, head: h });
  }
  for (const alg in head.hashes)
    if (!(alg in base.hashes)) out.push({ field: `hashes.${alg}`, base: null, head: head.hashes[alg]! });
  if (!sameList(base.endpoints, head.endpoints))
    out.push({ field: 'endpoints', base: base.endpoints, head: head.endpoints });
  // the kind as read or inferred: it decides which rules apply, and can change with nothing else than the element
  if (base.kind !== head.kind) out.push({ field: 'agent_kind', base: base.kind, head: head.kind });
  for (const [name, b] of base.properties) {
    const h = head.properties.get(name);
    if (h === undefined || !sameList(b, h))
      out.push({ field: `properties.${name}`, base: propertyJson(b), head: propertyJson(h) });
  }
  for (const [name, h] of head.properties) {
    if (!base.properties.has(name)) out.push({ field: `properties.${name}`, base: null, head: propertyJson(h) });
  }
  return out.length > 1 ? out.sort((a, b) => cmp(a.field, b.field)) : out;
}

function sameList(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function propertyJson(values: string[] | undefined): Json {
  if (values === undefined) return null;
  return values.length === 1 ? values[0]! : values;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

/** What an Eval covers: its `spec.covers` list (null when absent) and the agent it targets. */
interface EvalScope {
  covers: string[] | null;
  target: string | null;
}

/** A required eval, what it covers on the head, and what its base branch version covered. */
interface CoveringEval extends EvalScope {
  name: string;
  verdict: EvalEvidence['verdict'];
  /** the head Eval record that defines it (the first by path) */
  rec: Rec<'eval'> | null;
  /**
   * The base branch's Eval of the same name: its scope and file; null when the base branch has none (the Eval is
   * new in this change, or its base file could not be read); undefined without a base branch (nothing to compare).
   */
  base: (EvalScope & { file: string }) | null | undefined;
  /** new in this change: no base version, and its file is not on the base branch (so not one it failed to read) */
  added: boolean;
}
type Coverage = CoveringEval[];

function scopeOf(data: EvalRecord): EvalScope {
  const spec = (data as Partial<EvalRecord>).spec;
  const covers = Array.isArray(spec?.covers) ? spec.covers.filter((x): x is string => typeof x === 'string') : null;
  const target = spec?.target?.name;
  return { covers, target: typeof target === 'string' ? target : null };
}

/** Eval records by metadata.name, the first by path (as the evals family reads them). */
function evalsByName(records: Rec<'eval'>[]): Map<string, Rec<'eval'>> {
  const byName = new Map<string, Rec<'eval'>>();
  for (const r of records) {
    const name = (r.data as Partial<EvalRecord>).metadata?.name;
    if (typeof name === 'string' && !byName.has(name)) byName.set(name, r);
  }
  return byName;
}

function evalCoverage(ctx: GateContext, evals: EvalEvidence[]): Coverage {
  const heads = evalsByName(ctx.head.of('eval'));
  const bases = ctx.base ? evalsByName(ctx.base.of('eval')) : null;
  const baseSet = ctx.base?.set ?? null;
  const basePaths = baseSet ? new Set([...baseSet.files.map((f) => f.path), ...(baseSet.paths ?? [])]) : null;
  return evals
    .filter((e) => e.required)
    .map((e) => {
      const rec = heads.get(e.eval) ?? null;
      const baseRec = bases?.get(e.eval);
      return {
        name: e.eval,
        verdict: e.verdict,
        ...(rec ? scopeOf(rec.data) : { covers: null, target: null }),
        rec,
        base: bases === null ? undefined : baseRec ? { ...scopeOf(baseRec.data), file: baseRec.source.path } : null,
        added: basePaths !== null && !baseRec && rec !== null && !basePaths.has(rec.source.path)
      };
    })
    .sort((a, b) => cmp(a.name, b.name));
}

/** The names an eval may list in `spec.covers` to cover a component. */
function coverNames(c: AgentComponent): Set<string> {
  return new Set([c.key, c.name, ...(c.bom_ref ? [c.bom_ref] : []), ...(c.model_ref ? [c.model_ref.value] : [])]);
}

function scopeCovers(scope: EvalScope, names: Set<string>, subject: string | null): boolean {
  return scope.covers !== null ? scope.covers.some((x) => names.has(x)) : subject !== null && scope.target === subject;
}

function coveringEvals(coverage: Coverage, c: AgentComponent, subject: string | null) {
  const names = coverNames(c);
  return coverage.filter((e) => scopeCovers(e, names, subject));
}

/**
 * Whether an eval that covers the component on the head covers it only thanks to this change: there is no base
 * version of the Eval although its file is on the base branch (unreadable, or the Eval renamed), or the base version covers it under none of its names, base or head (bom-ref, key, name,
 * `model` property), nor by target as the agent either AgBOM describes.
 */
function coverageWidened(e: CoveringEval, item: Compared): boolean {
  // an Eval added with the change brings its own results: it vouches like any eval (a base version it
  // was read from could not be widened); an existing Eval that starts covering a model without a new run is
  // the loophole this rule closes
  if (e.base === undefined || e.added) return false;
  if (e.base === null) return true;
  const names = coverNames(item.head!);
  if (item.base !== null) for (const n of coverNames(item.base)) names.add(n);
  const base = e.base;
  const subjects = [item.pair.head!.index.subject, item.pair.base?.index.subject ?? null];
  return !subjects.some((subject) => scopeCovers(base, names, subject));
}

/** Version strings that float: ranges, wildcards, dist-tags, partial versions. */
const FLOATING_TAGS = new Set([
  'latest',
  'stable',
  'main',
  'master',
  'head',
  'next',
  'edge',
  'nightly',
  'canary',
  'dev',
  'current',
  'release',
  'beta',
  'alpha'
]);

/** Why a version is not exact, or null when it is. A trailing @sha256:… digest is not part of the version. */
export function notExactVersion(version: string | null): string | null {
  if (version === null || version.trim() === '') return 'no version';
  const v = version.trim().replace(/@sha(?:256|384|512):[0-9a-f]+$/i, '');
  if (v === '') return 'only a digest, no version';
  // an invisible character makes a tag look like an exact version (`latest\u200b`)
  if (/[\p{Cc}\p{Cf}]/u.test(v)) return `a version with invisible characters ("${revealInvisible(v)}")`;
  if (/[\^~*<>=|,[\]()]|\s/.test(v)) return `a version range ("${v}")`;
  if (v.includes('@')) return `a version with a tag or another version after '@' ("${v}")`;
  if (/-snapshot$/i.test(v)) return `a snapshot version ("${v}"), rebuilt under the same name`;
  if (/(?:^|[.-])[xX](?:$|[.-])/.test(v)) return `a wildcard version ("${v}")`;
  if (FLOATING_TAGS.has(v.toLowerCase())) return `a floating tag ("${v}")`;
  if (/^v?\d+(?:\.\d+)?$/.test(v)) return `a partial version ("${v}") that matches later releases`;
  return null;
}

const DIGEST_LENGTHS: Record<string, number> = {
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
  'SHA3-256': 64,
  'SHA3-384': 96,
  'SHA3-512': 128
};
const ALG_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
/** `@sha256:<hex>` in a version or purl (the purl may percent-encode the colon) */
const INLINE_DIGEST = /sha(256|384|512)(?::|%3a)([0-9a-f]+)/i;

/** The digest that pins a component, or null. */
export function pinningDigest(c: AgentComponent): string | null {
  for (const alg of Object.keys(c.hashes).sort()) {
    const content = c.hashes[alg]!;
    if (DIGEST_LENGTHS[alg] === content.length && /^[0-9a-f]+$/.test(content)) return `${alg}:${content}`;
  }
  for (const text of [c.version, c.purl, c.digest?.value ?? null]) {
    const m = text === null ? null : INLINE_DIGEST.exec(text);
    if (m && ALG_LENGTHS[`sha${m[1]}`] === m[2]!.length) return `sha${m[1]}:${m[2]!.toLowerCase()}`;
  }
  return null;
}

/** What every rule check sees for one added, changed or removed component. */
interface Judging {
  ctx: GateContext;
  item: Compared;
  findings: FindingList;
  show: Show;
  /** the finding subject: the component's evidence key */
  subject: string;
}

/** Apply the high-risk rules to one component; returns the reasons it is high-risk (for its evidence). */
function judgeComponent(
  ctx: GateContext,
  item: Compared,
  coverage: Coverage,
  inHeadAsPolicy: (key: string, from: BomFile) => boolean,
  findings: FindingList,
  show: Show
): string[] {
  const j: Judging = { ctx, item, findings, show, subject: show(item.key) };
  const reasons = [
    checkPolicyRemoved(j, inHeadAsPolicy),
    checkKindChanged(j),
    checkPinned(j),
    checkTrust(j),
    checkSideEffect(j),
    checkModelChange(j, coverage)
  ];
  return reasons.filter((r): r is string => r !== null);
}

function label(c: AgentComponent, show: Show): string {
  return `${kindLabel(c.kind)} "${show(c.name)}"`;
}

/**
 * The rules an agent kind is judged by, beyond those every component is. A component whose kind changed between
 * base and head is judged by the rules of both kinds (judgedKind), so that retyping it escapes none.
 */
const KIND_RULES: Partial<Record<AgentKind, readonly string[]>> = {
  mcp_server: ['agbom.mcp-unpinned', 'agbom.unapproved-side-effect', 'agbom.undeclared-side-effect'],
  tool: ['agbom.unapproved-side-effect', 'agbom.undeclared-side-effect'],
  model: ['agbom.model-changed'],
  policy: ['agbom.policy-removed']
};

/**
 * The kind under which a kind-specific rule judges an added or changed component: its head kind when that is one
 * of `kinds`, else its base kind when that is (a component retyped in this change); null when neither is.
 */
/** Kinds inferred from signs strong enough to judge a component by, whatever kind it was written as. */
const PLAIN_KINDS: ReadonlySet<AgentKind> = new Set(['mcp_server', 'model']);

function judgedKind(item: Compared, kinds: ReadonlySet<AgentKind>): AgentKind | null {
  const head = item.head!;
  if (kinds.has(head.kind)) return head.kind;
  // a written kind these rules do not watch, on a component that plainly is one they do (a service or server whose
  // name or endpoint says MCP, a machine-learning model): judged as what it is too, so that writing
  // `agentgate:kind: agent` on an MCP server does not unpin it. (A service is otherwise inferred to be a tool, too
  // weak a sign to override a written kind; one that declares a writing side effect is judged by checkSideEffect.)
  if (PLAIN_KINDS.has(head.inferred_kind) && kinds.has(head.inferred_kind)) return head.inferred_kind;
  return item.base !== null && kinds.has(item.base.kind) ? item.base.kind : null;
}

/** The component as a rule judging it as `kind` names it: "MCP server "x" (now kind other)" when it was retyped. */
function judgedLabel(j: Judging, kind: AgentKind): string {
  const head = j.item.head!;
  const note =
    kind === head.kind
      ? ''
      : kind === j.item.base?.kind
        ? ` (now kind ${head.kind})`
        : ` (written as kind ${head.kind}, judged as what it looks like)`;
  return `${kindLabel(kind)} "${j.show(head.name)}"${note}`;
}

/** Where a component's kind came from, for messages: the agentgate:kind value, or inference. */
function kindSource(c: AgentComponent): string {
  return c.kind_pointer === null ? `inferred for ${c.pointer}` : `agentgate:kind at ${c.kind_pointer}`;
}

function listText(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/**
 * A component whose kind changed to one that fewer rules watch. It is judged by both kinds here (judgedKind); the
 * finding makes a person confirm the new kind, which alone applies from the next change on. A base policy is
 * agbom.policy-removed's: it denies when no head AgBOM keeps the policy.
 */
function checkKindChanged(j: Judging): string | null {
  const { item, show } = j;
  const { base, head } = item;
  if (base === null || head === null || base.kind === head.kind || base.kind === 'policy') return null;
  const headRules = KIND_RULES[head.kind] ?? [];
  const dropped = (KIND_RULES[base.kind] ?? []).filter((rule) => !headRules.includes(rule));
  if (dropped.length === 0) return null;
  const baseRec = item.pair.base!.rec;
  const headRec = item.pair.head!.rec;
  j.findings.add(RULES['agbom.kind-changed'], {
    message: `${label(base, show)} (${show(base.key)}) changed kind ${base.kind} → ${head.kind}: ${base.kind} in the base AgBOM ${baseRec.source.path} (${kindSource(base)}), ${head.kind} in the head AgBOM ${headRec.source.path} (${kindSource(head)}); ${listText(dropped)} no longer ${dropped.length === 1 ? 'applies' : 'apply'} to it (this change is judged by the rules of both kinds); required: a reviewer's confirmation of kind ${head.kind}, or kind ${base.kind} restored.`,
    observed: head.kind,
    required: base.kind,
    location: locationOf(headRec, head.kind_pointer ?? head.pointer),
    evidence: {
      base_kind: base.kind,
      base_kind_pointer: base.kind_pointer,
      base_file: baseRec.source.path,
      base_pointer: base.pointer,
      head_kind: head.kind,
      head_kind_pointer: head.kind_pointer,
      rules_no_longer_applied: dropped
    },
    subject: j.subject
  });
  return `kind changed ${base.kind} → ${head.kind}`;
}

function versionText(version: string | null, show: Show): string {
  return version === null ? '(none)' : show(version);
}

/** The head component of an added or changed item, with what the messages say about it. */
function headSide(j: Judging) {
  const head = j.item.head!;
  return { head, rec: j.item.pair.head!.rec, verb: j.item.change === 'added' ? 'added' : 'changed' };
}

function checkPolicyRemoved(j: Judging, inHeadAsPolicy: (key: string, from: BomFile) => boolean): string | null {
  const { item, show } = j;
  const base = item.base;
  if (base === null || base.kind !== 'policy' || item.change === 'added') return null;
  // a changed component that stays a policy is judged by the other rules; one that is no longer a policy, and a
  // policy in no other head AgBOM, is a policy lost as surely as a removed one
  if (item.head?.kind === 'policy' || inHeadAsPolicy(base.key, item.pair.base!)) return null;
  const baseRec = item.pair.base!.rec;
  if (item.head !== null) return policyKindChanged(j, base, item.head, baseRec);
  const headRec = item.pair.head?.rec ?? null;
  // point at the head AgBOM, where the policy is missing; the base location goes into the evidence
  const location = headRec
    ? locationOf(headRec, base.element === 'service' ? '/services' : '/components')
    : locationOf(baseRec, base.pointer);
  j.findings.add(RULES['agbom.policy-removed'], {
    message: `${label(base, show)} (${show(base.key)}) is in the base AgBOM ${baseRec.source.path} at ${base.pointer} and in no head AgBOM of the same agent; required: policies stay in the AgBOM.`,
    observed: null,
    required: show(base.key),
    location,
    evidence: {
      base_file: baseRec.source.path,
      base_pointer: base.pointer,
      version: base.version === null ? null : show(base.version)
    },
    subject: j.subject
  });
  return 'policy removed';
}

/** A base policy still in the head under its key, with another kind. */
function policyKindChanged(j: Judging, base: AgentComponent, head: AgentComponent, baseRec: Bom): string {
  const { show } = j;
  const headRec = j.item.pair.head!.rec;
  const how = head.kind_pointer === null ? 'inferred' : 'agentgate:kind';
  j.findings.add(RULES['agbom.policy-removed'], {
    message: `${label(base, show)} (${show(base.key)}) is a policy in the base AgBOM ${baseRec.source.path} at ${base.pointer} but has kind ${head.kind} (${how}) in the head AgBOM ${headRec.source.path} at ${head.pointer}, and is a policy in no head AgBOM; required: policies stay in the AgBOM, as policies.`,
    observed: head.kind,
    required: 'policy',
    location: locationOf(headRec, head.kind_pointer ?? head.pointer),
    evidence: {
      base_file: baseRec.source.path,
      base_pointer: base.pointer,
      version: base.version === null ? null : show(base.version),
      head_kind: head.kind,
      head_kind_inferred: head.kind_pointer === null
    },
    subject: j.subject
  });
  return `policy is no longer a policy (kind ${head.kind})`;
}

const MCP_KINDS: ReadonlySet<AgentKind> = new Set(['mcp_server']);

function checkPinned(j: Judging): string | null {
  if (j.item.head === null) return null;
  const kind = judgedKind(j.item, MCP_KINDS);
  if (kind === null) return null;
  const { head, rec, verb } = headSide(j);
  const version = head.version ?? head.pinned_version?.value ?? null;
  const versionProblem = notExactVersion(version);
  const digest = pinningDigest(head);
  const problems = [
    ...(versionProblem ? [versionProblem] : []),
    ...(digest === null ? ['no digest'] : []),
    ...(head.pinned?.value === false ? [`${head.pinned.property} is "false"`] : [])
  ];
  if (problems.length === 0) return null;
  const shownVersion = version === null ? null : j.show(version);
  j.findings.add(RULES['agbom.mcp-unpinned'], {
    message: `${judgedLabel(j, kind)} was ${verb} with ${problems.join(', ')}; required: an exact version and a SHA-256/384/512 digest.`,
    observed: { version: shownVersion, digest },
    required: 'exact version + digest',
    location: locationOf(rec, head.version !== null ? `${head.pointer}/version` : head.pointer),
    evidence: { version: shownVersion, digest, pinned: head.pinned?.value ?? null },
    subject: j.subject
  });
  return `MCP server not pinned (${problems.join(', ')})`;
}

function checkTrust(j: Judging): string | null {
  if (j.item.head === null) return null;
  const { head, rec, verb } = headSide(j);
  const min = j.ctx.config.agbom.min_trust_score;
  const trust = head.trust_score;
  if (trust === null || trust.value >= min) return null;
  j.findings.add(RULES['agbom.low-trust'], {
    message: `${label(head, j.show)} was ${verb} with trust score ${trust.value} (${trust.property}); required: at least ${min}.`,
    observed: trust.value,
    required: min,
    location: locationOf(rec, trust.pointer),
    evidence: { trust_score: trust.value, base_trust_score: j.item.base?.trust_score?.value ?? null },
    subject: j.subject
  });
  return `trust score ${trust.value} below ${min}`;
}

/** Tools and MCP servers are what act on the world. */
const ACTING_KINDS: ReadonlySet<AgentKind> = new Set(['tool', 'mcp_server']);

function checkSideEffect(j: Judging): string | null {
  if (j.item.head === null) return null;
  // a component of any kind that declares it writes acts as a tool does, and needs the same approval
  const declared = j.item.head.side_effect?.value;
  const writes = declared === 'external_write' || declared === 'destructive';
  const kind = judgedKind(j.item, ACTING_KINDS) ?? (writes ? j.item.head.kind : null);
  if (kind === null) return null;
  const { head, rec, verb } = headSide(j);
  const effect = head.side_effect;
  if (effect === null) {
    j.findings.add(RULES['agbom.undeclared-side-effect'], {
      message: `${judgedLabel(j, kind)} was ${verb} without a side-effect property; required: agentgate:side_effect (none | read | external_write | destructive).`,
      observed: null,
      required: 'agentgate:side_effect',
      location: locationOf(rec, head.pointer),
      subject: j.subject
    });
    return null;
  }
  const approval = head.requires_approval;
  if ((effect.value !== 'external_write' && effect.value !== 'destructive') || approval?.value === true) return null;
  j.findings.add(RULES['agbom.unapproved-side-effect'], {
    message: `${judgedLabel(j, kind)} was ${verb} with side effect ${effect.value} (${effect.property}) and ${approval ? `${approval.property} "false"` : 'no requires_approval property'}; required: agentgate:requires_approval "true".`,
    observed: { side_effect: effect.value, requires_approval: approval?.value ?? null },
    required: { requires_approval: true },
    location: locationOf(rec, approval?.pointer ?? effect.pointer),
    subject: j.subject
  });
  return `${effect.value} side effect without approval`;
}

const MODEL_KINDS: ReadonlySet<AgentKind> = new Set(['model']);

function checkModelChange(j: Judging, coverage: Coverage): string | null {
  if (j.item.head === null) return null;
  const modelKind = judgedKind(j.item, MODEL_KINDS);
  const change = describeModelChange(j.item, modelKind !== null, j.show);
  if (change === null) return null;
  const { head, rec } = headSide(j);
  const name = modelKind === null ? label(head, j.show) : judgedLabel(j, modelKind);
  const covering = coveringEvals(coverage, head, j.item.pair.head!.index.subject);
  const passing = covering.filter((e) => e.verdict === 'pass');
  const location = locationOf(rec, change.pointer);
  const widened = passing.filter((e) => coverageWidened(e, j.item));
  const widenedSet = new Set(widened);
  const vouching = passing.filter((e) => !widenedSet.has(e)).map((e) => e.name);
  if (vouching.length > 0) {
    const alsoWidened =
      widened.length === 0
        ? ''
        : ` (also covered by ${widened.map((e) => e.name).join(', ')} through coverage this change widened)`;
    j.findings.add(RULES['agbom.model-change-covered'], {
      message: `${name} ${change.text}; covered by passing required eval ${vouching.join(', ')}${alsoWidened}.`,
      location,
      evidence: {
        covered_by: vouching,
        ...(widened.length > 0 ? { widened_coverage: widened.map((e) => e.name) } : {}),
        ...change.evidence
      },
      subject: j.subject
    });
    return null;
  }
  if (widened.length > 0) return coverageWidenedFinding(j, name, change, widened, location);
  const others = covering.map((e) => `${e.name} (${e.verdict})`);
  j.findings.add(RULES['agbom.model-changed'], {
    message: `${name} ${change.text}; required: a passing required eval that covers it (${
      others.length > 0 ? `covering required evals: ${others.join(', ')}` : 'no required eval covers it'
    }).`,
    observed: others,
    required: 'a passing required eval covering the model',
    location,
    evidence: { covering_evals: others, ...change.evidence },
    subject: j.subject
  });
  return 'model changed without a passing covering eval';
}

/** An Eval's scope as written, for messages. */
function scopeText(scope: EvalScope, show: Show): string {
  if (scope.covers !== null) return `spec.covers [${scope.covers.map((x) => show(x)).join(', ')}]`;
  return `no spec.covers, target ${scope.target === null ? '(none)' : show(scope.target)}`;
}

/** How this change widened one eval's coverage. */
function wideningText(e: CoveringEval, show: Show): string {
  const at = e.rec ? ` (${e.rec.source.path})` : '';
  if (!e.base) return `${e.name}${at} is new in this change: no Eval ${e.name} on the base branch`;
  return `${e.name}${at}: ${scopeText(e.base, show)} on the base branch → ${scopeText(e, show)}`;
}

/** A model change that passing required evals cover, each only thanks to this change. */
function coverageWidenedFinding(
  j: Judging,
  name: string,
  change: { text: string; pointer: string; evidence: { [k: string]: Json } },
  widened: CoveringEval[],
  modelLocation: ReturnType<typeof locationOf>
): string {
  const { show } = j;
  const how = widened.map((e) => wideningText(e, show));
  const first = widened[0]!;
  // point at the eval whose coverage changed; the model's place goes into the evidence
  const location = first.rec
    ? locationOf(first.rec, first.covers !== null ? '/spec/covers' : first.target !== null ? '/spec/target' : '')
    : modelLocation;
  j.findings.add(RULES['agbom.coverage-widened'], {
    message: `${name} ${change.text}; covered only by passing required eval ${widened.map((e) => e.name).join(', ')}, whose coverage of it this change widened (${how.join('; ')}); required: a passing required eval that covered the model on the base branch too, or a reviewer who confirms that the eval measures it.`,
    observed: widened.map((e) => e.name),
    required: 'a passing required eval whose base branch version covered the model',
    location,
    evidence: {
      widened: widened.map((e) => ({
        eval: e.name,
        file: e.rec?.source.path ?? null,
        base_file: e.base?.file ?? null,
        base_covers: e.base ? (e.base.covers?.map((x) => show(x)) ?? null) : null,
        base_target: e.base && e.base.target !== null ? show(e.base.target) : null,
        head_covers: e.covers?.map((x) => show(x)) ?? null,
        head_target: e.target === null ? null : show(e.target)
      })),
      model_file: modelLocation.file,
      model_pointer: modelLocation.pointer ?? null,
      ...change.evidence
    },
    subject: j.subject
  });
  return 'model change covered only by eval coverage this change widened';
}

/**
 * How a model changed: a model component (`isModel`: of kind model on the head, or on the base when retyped) added,
 * or its version or digest changed; or an agent's `model` property.
 */
function describeModelChange(
  item: Compared,
  isModel: boolean,
  show: Show
): { text: string; pointer: string; evidence: { [k: string]: Json } } | null {
  const h = item.head!;
  const b = item.base;
  const shownVersion = (v: string | null | undefined) => (v === null || v === undefined ? null : show(v));
  const shown = { base_version: shownVersion(b?.version), head_version: shownVersion(h.version) };
  if (isModel) {
    if (b === null)
      return { text: `was added at version ${versionText(h.version, show)}`, pointer: h.pointer, evidence: shown };
    if (b.version !== h.version) {
      const text = `changed version ${versionText(b.version, show)} → ${versionText(h.version, show)}`;
      return { text, pointer: `${h.pointer}/version`, evidence: shown };
    }
    if (item.differences.some((d) => d.field.startsWith('hashes.'))) {
      const text = `changed digest at version ${versionText(h.version, show)}`;
      return { text, pointer: `${h.pointer}/hashes`, evidence: shown };
    }
    // the same key and version, another model: a name, group or purl that changed names what runs
    const renamed = item.differences.find((d) => d.field === 'name' || d.field === 'group' || d.field === 'purl');
    if (renamed) {
      const ident = (c: typeof h) => [c.group, c.name].filter((x) => x).join('/');
      // a purl that alone changed is what names the other model
      const byPurl = ident(h) === ident(b);
      const named = (c: typeof h) => show(byPurl ? (c.purl ?? '(no purl)') : ident(c) || (c.purl ?? ''));
      const text = `now names another model, ${named(h)} (was ${named(b)}), at version ${versionText(h.version, show)}`;
      return {
        text,
        pointer: `${h.pointer}/${renamed.field}`,
        evidence: { ...shown, base_name: named(b), head_name: named(h) }
      };
    }
  }
  const now = h.model_ref;
  const was = b?.model_ref ?? null;
  if (now === null || now.value === was?.value) return null;
  return {
    text: `now runs on model ${show(now.value)}${was ? ` (was ${show(was.value)})` : ''}`,
    pointer: now.pointer,
    evidence: { base_model: was ? show(was.value) : null, head_model: show(now.value) }
  };
}

const KIND_LABELS: Record<string, string> = {
  model: 'Model',
  mcp_server: 'MCP server',
  tool: 'Tool',
  prompt: 'Prompt',
  policy: 'Policy',
  dataset: 'Dataset',
  guardrail: 'Guardrail',
  agent: 'Agent',
  other: 'Component'
};

function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? 'Component';
}

// ---------------------------------------------------------------------------------------------------------------
// BOM-level problems

function reportSecrets(rec: Bom, hits: ReturnType<Redactor['scan']>, findings: FindingList): void {
  for (const hit of hits) {
    const masked = hit.masked.length > 120 ? `${hit.masked.slice(0, 117)}…` : hit.masked;
    findings.add(RULES['agbom.secret'], {
      message: `${rec.source.path} at ${hit.pointer || '/'} holds what looks like a ${hit.kinds.join(' and ')} (masked: ${masked}); required: no secrets in the AgBOM.`,
      observed: hit.kinds,
      required: 'no secrets',
      location: locationOf(rec, hit.pointer),
      evidence: { kinds: hit.kinds, masked },
      subject: hit.pointer
    });
  }
}

function reportBomProblems(state: BomFile, findings: FindingList, show: Show): void {
  const { rec, index, problems } = state;
  for (const dup of index.duplicates) {
    findings.add(RULES['agbom.duplicate-key'], {
      message: `Key "${show(dup.key)}" is used by ${dup.pointers.length} components (${dup.pointers.join(', ')}); required: one component per key. The first one is compared.`,
      observed: dup.pointers,
      required: 'unique bom-ref / purl / type+group+name',
      location: locationOf(rec, dup.pointers[1]!),
      evidence: { key: show(dup.key), pointers: dup.pointers, names: dup.names.map((n) => show(n)) },
      subject: show(dup.key)
    });
  }
  for (const p of problems) {
    findings.add(RULES['agbom.invalid-property'], {
      message: `Property ${show(p.property)} of "${show(p.component)}" is ${p.value === null ? 'missing its value' : `"${show(p.value, p.property)}"`}; required: ${p.expected}.`,
      observed: p.value === null ? null : show(p.value, p.property),
      required: p.expected,
      location: locationOf(rec, p.pointer),
      evidence: { component: show(p.key), property: show(p.property) },
      subject: show(p.key)
    });
  }
}

function componentEvidence(item: Compared, risks: string[], show: Show): ComponentEvidence {
  const c = (item.head ?? item.base)!;
  const side = (x: AgentComponent | null): ComponentEvidence['base'] => {
    if (x === null) return null;
    const hashes = Object.fromEntries(Object.entries(x.hashes).map(([alg, content]) => [alg, show(content)]));
    return { version: x.version === null ? null : show(x.version), hashes };
  };
  return {
    key: show(item.key),
    name: show(c.name),
    agent_kind: c.kind,
    change: item.change,
    base: side(item.base),
    head: side(item.head),
    differences: item.differences.map((d) => ({
      field: show(d.field),
      base: showJson(d.base, show, propertyOf(d.field)),
      head: showJson(d.head, show, propertyOf(d.field))
    })),
    risks
  };
}

/** The property a difference is about ("properties.db_password" → db_password): its name tells what a value holds. */
function propertyOf(field: string): string | null {
  return field.startsWith('properties.') ? field.slice('properties.'.length) : null;
}

function showJson(value: Json, show: Show, fieldName: string | null): Json {
  if (typeof value === 'string') return show(value, fieldName);
  if (Array.isArray(value)) return value.map((v) => showJson(v, show, fieldName));
  return value;
}
