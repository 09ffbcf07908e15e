/**
 * SARIF 2.1.0 for code scanning: one result per finding (plus one per record error, so a malformed record is
 * shown inline too), rule metadata from the rule catalog, stable fingerprints, and a category per gate key so
 * two gates in one repository do not replace each other's alerts.
 */
import { createHash } from 'node:crypto';
import type { DecisionDocument } from '../model/decision.js';
import type { Finding, RuleSpec, Severity } from '../model/finding.js';
import type { RecordIssue } from '../model/issue.js';
import type { Location } from '../model/location.js';
import { cmp } from '../gate/context.js';
import { isLinkablePath, repositoryUrl, type RenderContext } from './context.js';
import { markerKey } from './marker.js';
import { sarifText } from './escape.js';

// --- the subset of SARIF 2.1.0 we emit (names and shapes as in the OASIS schema) -------------------------

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  defaultConfiguration?: { level: SarifLevel };
  properties?: { tags?: string[]; [key: string]: unknown };
}

export interface SarifRegion {
  startLine?: number;
  startColumn?: number;
}

export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region?: SarifRegion;
}

export interface SarifLocation {
  physicalLocation?: SarifPhysicalLocation;
  logicalLocations?: { fullyQualifiedName?: string; kind?: string }[];
  message?: SarifMessage;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  kind?: 'fail' | 'review' | 'informational' | 'notApplicable' | 'pass' | 'open';
  message: SarifMessage;
  locations?: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  properties?: { [key: string]: unknown };
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications?: SarifNotification[];
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      version?: string;
      semanticVersion?: string;
      informationUri?: string;
      rules?: SarifReportingDescriptor[];
    };
  };
  automationDetails?: { id: string };
  versionControlProvenance?: { repositoryUri: string; revisionId?: string }[];
  originalUriBaseIds?: Record<string, { uri?: string; description?: SarifMessage }>;
  invocations?: SarifInvocation[];
  results: SarifResult[];
  properties?: { [key: string]: unknown };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, SarifLevel> = { deny: 'error', follow_up: 'warning', warning: 'note' };

/** The rule for record and configuration errors (they are not findings, but code scanning should show them). */
export const INPUT_RULE: RuleSpec = {
  id: 'input.invalid',
  family: 'integrity',
  severity: 'deny',
  title: 'Record or configuration file is malformed',
  description:
    'A record or the gate configuration could not be read: a parse error, a schema violation, or an unsafe file. ' +
    'The gate cannot judge a change whose records it cannot read, so it fails closed until the file is fixed.',
  fix: 'Correct the file at the given line and field; the message and hint say what was expected.'
};

const FINGERPRINT_KEY = 'agentReleaseGate/v1';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** "evals.threshold" → "EvalsThreshold": the rule name code scanning shows next to the id. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((s) => s !== '')
    .map((s) => s[0]!.toUpperCase() + s.slice(1))
    .join('');
}

/** A rule id as SARIF carries it, the same in the descriptor and in every result. */
function ruleId(id: string): string {
  return sarifText(id, 200);
}

function descriptor(spec: RuleSpec): SarifReportingDescriptor {
  return {
    id: ruleId(spec.id),
    name: ruleName(spec.id),
    shortDescription: { text: sarifText(spec.title, 1000) },
    fullDescription: { text: sarifText(spec.description, 4000) },
    help: { text: sarifText(spec.fix, 4000) },
    defaultConfiguration: { level: LEVEL[spec.severity] },
    properties: { tags: ['agent-release-gate', spec.family] }
  };
}

/** A rule seen in a finding but missing from the catalog: described from the finding itself. */
function descriptorFromFinding(f: Finding): SarifReportingDescriptor {
  return descriptor({
    id: f.rule,
    family: f.family,
    severity: f.severity,
    title: f.title,
    description: f.title,
    fix: f.fix
  });
}

function physicalLocation(location: { file: string; line?: number; column?: number }): SarifLocation | null {
  // code scanning only places repository-relative paths
  if (!isLinkablePath(location.file)) return null;
  const physical: SarifPhysicalLocation = {
    artifactLocation: { uri: location.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
  };
  if (location.line !== undefined && Number.isInteger(location.line) && location.line >= 1) {
    physical.region = { startLine: location.line };
    if (location.column !== undefined && Number.isInteger(location.column) && location.column >= 1) {
      physical.region.startColumn = location.column;
    }
  }
  return { physicalLocation: physical };
}

/**
 * Where a result is shown. Code scanning needs a file: a finding without one (a missing approval, say) is
 * placed on the gate configuration, where the requirement is written, when there is one.
 */
function resultLocations(location: Location | undefined, d: DecisionDocument): SarifLocation[] | undefined {
  const placed = location ? physicalLocation(location) : null;
  if (placed) return [placed];
  const fallback = d.config.file ? physicalLocation({ file: d.config.file }) : null;
  return fallback ? [fallback] : undefined;
}

/** Stable across runs and line shifts: the rule, what it is about and where (file and JSON pointer), not the line. */
function fingerprintSource(parts: (string | undefined)[]): string {
  return parts.map((p) => p ?? '').join('\u0000');
}

export function renderSarif(decision: DecisionDocument, ctx: RenderContext & { rules: RuleSpec[] }): SarifLog {
  const d = decision;
  const specs = new Map<string, RuleSpec>();
  for (const spec of ctx.rules) specs.set(spec.id, spec);
  const descriptors = new Map<string, SarifReportingDescriptor>();
  for (const spec of specs.values()) descriptors.set(ruleId(spec.id), descriptor(spec));
  for (const f of d.findings)
    if (!descriptors.has(ruleId(f.rule))) descriptors.set(ruleId(f.rule), descriptorFromFinding(f));
  if (d.errors.length > 0 && !descriptors.has(INPUT_RULE.id)) descriptors.set(INPUT_RULE.id, descriptor(INPUT_RULE));
  const ordered = [...descriptors.keys()].sort(cmp);
  const rules = ordered.map((id) => descriptors.get(id)!);
  const ruleIndex = new Map(ordered.map((id, i) => [id, i]));

  const seen = new Map<string, number>();
  const fingerprint = (source: string): Record<string, string> => {
    const base = sha256(source);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { [FINGERPRINT_KEY]: n === 1 ? base : `${base}:${n}` };
  };

  const results: SarifResult[] = [];
  for (const f of d.findings) {
    const result: SarifResult = {
      ruleId: ruleId(f.rule),
      ruleIndex: ruleIndex.get(ruleId(f.rule))!,
      level: LEVEL[f.severity],
      message: { text: sarifText(`${f.title}: ${f.message} Fix: ${f.fix}`, 8000) },
      partialFingerprints: fingerprint(
        fingerprintSource([f.rule, f.subject, f.location?.file, f.location?.pointer, f.location?.side])
      )
    };
    const locations = resultLocations(f.location, d);
    if (locations) result.locations = locations;
    const properties: Record<string, unknown> = { severity: f.severity, family: f.family };
    if (f.subject !== undefined) properties.subject = sarifText(f.subject, 500);
    if (f.location?.pointer !== undefined) properties.pointer = sarifText(f.location.pointer, 1000);
    if (f.location?.side !== undefined) properties.side = f.location.side;
    result.properties = properties;
    results.push(result);
  }
  for (const e of d.errors) results.push(errorResult(e, d, ruleIndex.get(INPUT_RULE.id)!, fingerprint));

  const run: SarifRun = {
    tool: {
      driver: {
        name: d.tool.name,
        version: sarifText(d.tool.version, 100),
        ...(/^\d+\.\d+\.\d+/.test(d.tool.version) ? { semanticVersion: d.tool.version } : {}),
        rules
      }
    },
    // code scanning's category is everything before the last "/": one category per gate key
    automationDetails: { id: `agent-release-gate/${markerKey(d.gate_key)}/` },
    originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
    invocations: [invocation(d)],
    results,
    properties: {
      decision: d.decision,
      outcome: d.outcome,
      gateKey: sarifText(d.gate_key, 200),
      counts: { ...d.counts }
    }
  };
  const head = ctx.headSha ?? d.commits.head;
  const repositoryUri = repositoryUrl(ctx);
  if (repositoryUri) {
    run.versionControlProvenance = [head ? { repositoryUri, revisionId: sarifText(head, 100) } : { repositoryUri }];
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

function errorResult(
  e: RecordIssue,
  d: DecisionDocument,
  index: number,
  fingerprint: (source: string) => Record<string, string>
): SarifResult {
  const result: SarifResult = {
    ruleId: INPUT_RULE.id,
    ruleIndex: index,
    level: 'error',
    message: { text: sarifText(`${e.message}${e.hint ? ` Hint: ${e.hint}` : ''}`, 8000) },
    partialFingerprints: fingerprint(fingerprintSource([INPUT_RULE.id, e.code, e.file, e.pointer, e.side]))
  };
  const loc: Location = { file: e.file };
  if (e.line !== undefined) loc.line = e.line;
  if (e.column !== undefined) loc.column = e.column;
  const locations = resultLocations(loc, d);
  if (locations) result.locations = locations;
  const properties: Record<string, unknown> = { code: sarifText(e.code, 200) };
  if (e.pointer !== undefined) properties.pointer = sarifText(e.pointer, 1000);
  if (e.side !== undefined) properties.side = e.side;
  result.properties = properties;
  return result;
}

function invocation(d: DecisionDocument): SarifInvocation {
  if (d.outcome !== 'internal_error') return { executionSuccessful: true };
  return {
    executionSuccessful: false,
    toolExecutionNotifications: [
      {
        level: 'error',
        message: { text: sarifText(`The gate failed: ${d.failure ?? 'no details were recorded'}`, 4000) }
      }
    ]
  };
}
