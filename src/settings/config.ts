/**
 * The gate configuration file (.github/agent-gate.yml): schema-checked (schemas/config.schema.json), merged over
 * DEFAULT_CONFIG, and checked for what a schema cannot say — rule ids that do not exist, roles used but never
 * defined, globs that reach outside the repository. A bad value is always an issue, never replaced by a default.
 * Messages quote names and values of the file masked (maskSecrets), like every record issue: a token pasted as a
 * role name or a glob is not repeated (docs/security.md, "Secrets in errors"). Pointers are left as they are: they
 * locate the value, and the loader masks them with the issue (maskIssue).
 */
import type { GateConfig, RoleConfig } from '../model/config.js';
import { maskSecrets } from '../read/text.js';
import { nearest, validateOwnRecord, type SchemaIssue } from '../read/validate.js';
import { DEFAULT_CONFIG } from './defaults.js';

/** The file as written: every key optional (the defaults fill the rest); map entries are replaced whole. */
export interface ConfigFile {
  $schema?: string;
  version?: GateConfig['version'];
  key?: string;
  records?: Partial<GateConfig['records']>;
  surfaces?: GateConfig['surfaces'];
  roles?: Record<string, Partial<RoleConfig>>;
  approvals?: Partial<GateConfig['approvals']>;
  evals?: Partial<GateConfig['evals']>;
  drift?: Partial<GateConfig['drift']>;
  agbom?: Partial<GateConfig['agbom']>;
  signals?: GateConfig['signals'];
  integrity?: Partial<GateConfig['integrity']>;
  rules?: GateConfig['rules'];
}

export interface ResolvedConfig {
  config: GateConfig;
  /** problems with the file; any issue means the configuration must not be used to pass a change */
  issues: SchemaIssue[];
}

/**
 * Resolve the parsed configuration file. `value` undefined means there is no file (the defaults, no issues);
 * an empty file (null) is an issue, never a silent fallback. With schema issues the defaults are returned alongside them, and the
 * caller must fail on the issues; `knownRuleIds` enables the check of `rules:` keys.
 */
export function resolveConfig(value: unknown, knownRuleIds?: readonly string[]): ResolvedConfig {
  if (value === undefined) return { config: structuredClone(DEFAULT_CONFIG), issues: [] };
  if (value === null) {
    // a truncated or emptied file must not silently become "the defaults": say what to write instead
    const message =
      'the configuration file is empty: write `version: 1` (and any settings) to use the defaults, or delete the file';
    return { config: structuredClone(DEFAULT_CONFIG), issues: [{ pointer: '', code: 'config.empty', message }] };
  }
  const schemaIssues = validateOwnRecord('config', value);
  if (schemaIssues.length > 0) return { config: structuredClone(DEFAULT_CONFIG), issues: schemaIssues };
  const file = value as ConfigFile;
  const config = mergeOverDefaults(file);
  return { config, issues: [...ruleIssues(file, knownRuleIds), ...roleIssues(file, config), ...pathIssues(file)] };
}

/** Objects merge key by key, lists replace, and `surfaces`/`roles`/`signals`/`rules` replace whole entries. */
function mergeOverDefaults(file: ConfigFile): GateConfig {
  const d = structuredClone(DEFAULT_CONFIG);
  // Spreads create own data properties, so keys such as "__proto__" stay plain data.
  const roles: Record<string, RoleConfig> = { ...d.roles };
  for (const [name, role] of Object.entries(file.roles ?? {})) {
    Object.defineProperty(roles, name, {
      value: { users: [...(role.users ?? [])], teams: [...(role.teams ?? [])] },
      enumerable: true,
      writable: true,
      configurable: true
    });
  }
  return {
    version: file.version ?? d.version,
    key: file.key ?? d.key,
    records: { ...d.records, ...file.records },
    surfaces: { ...d.surfaces, ...file.surfaces },
    roles,
    approvals: { ...d.approvals, ...file.approvals },
    evals: { ...d.evals, ...file.evals },
    drift: { ...d.drift, ...file.drift },
    agbom: { ...d.agbom, ...file.agbom },
    signals: { ...d.signals, ...file.signals },
    integrity: { ...d.integrity, ...file.integrity },
    rules: { ...d.rules, ...file.rules }
  };
}

function ruleIssues(file: ConfigFile, knownRuleIds: readonly string[] | undefined): SchemaIssue[] {
  if (!knownRuleIds || !file.rules) return [];
  const known = new Set(knownRuleIds);
  return Object.keys(file.rules)
    .filter((id) => !known.has(id))
    .map((id) => {
      const near = nearest(id, knownRuleIds);
      return {
        pointer: `/rules/${escapePointer(id)}`,
        code: 'config.unknown-rule',
        message:
          `rules: ${quoteMasked(id, 'rules')} is not a rule of this gate` +
          (near
            ? `; did you mean ${quoteMasked(near, 'rules')}?`
            : '; `agent-gate explain` and docs/rules.md list the rule ids')
      };
    });
}

/**
 * Every role the configuration relies on must be defined in `roles`, or nobody can ever satisfy it. A
 * reference written in the file is always checked; one that comes from the defaults (integrity.owner_role) is
 * checked once the file defines roles at all, since a file without roles leaves approvals unconfigured.
 */
function roleIssues(file: ConfigFile, config: GateConfig): SchemaIssue[] {
  const defined = Object.keys(config.roles);
  // `field`: the name the role sits under, for the name-based secret checks of its message
  const references: { pointer: string; role: string; fromFile: boolean; what: string; field: string }[] = [];
  references.push({
    pointer: '/integrity/owner_role',
    role: config.integrity.owner_role,
    fromFile: file.integrity?.owner_role !== undefined,
    what: file.integrity?.owner_role !== undefined ? 'integrity.owner_role' : 'integrity.owner_role (the default)',
    field: 'owner_role'
  });
  config.approvals.required_roles.forEach((role, i) =>
    references.push({
      pointer: `/approvals/required_roles/${i}`,
      role,
      fromFile: true,
      what: 'approvals.required_roles',
      field: 'required_roles'
    })
  );
  for (const [name, source] of Object.entries(config.signals)) {
    if ('approval' in source) {
      references.push({
        pointer: `/signals/${escapePointer(name)}/approval`,
        role: source.approval,
        fromFile: true,
        what: `signals.${maskSecrets(name)}.approval`,
        field: 'approval'
      });
    }
  }
  return references
    .filter((r) => !Object.prototype.hasOwnProperty.call(config.roles, r.role))
    .filter((r) => r.fromFile || defined.length > 0)
    .map((r) => {
      const near = nearest(r.role, defined);
      return {
        pointer: r.pointer,
        code: 'config.undefined-role',
        message:
          `${r.what} names the role ${quoteMasked(r.role, r.field)}, which roles does not define, so nobody can give that approval` +
          (near
            ? `; did you mean ${quoteMasked(near, 'roles')}?`
            : defined.length > 0
              ? `; defined roles: ${defined.map((role) => maskSecrets(role, 'roles')).join(', ')}`
              : '; add it under roles with its users or teams')
      };
    });
}

/** Globs and paths are repository-relative: no absolute paths, no `..`, no NUL, no backslashes, no leading `./`. */
function pathIssues(file: ConfigFile): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  // `field`: the list or field the value sits under, for the name-based secret checks; not a surface's own name,
  // which may well be `secrets` (the code that handles them) without its globs being secrets
  const check = (
    pointer: string,
    what: string,
    field: string,
    value: string,
    code: 'config.bad-glob' | 'config.bad-path'
  ) => {
    const problem = pathProblem(value, field);
    if (problem) issues.push({ pointer, code, message: `${what} ${quoteMasked(value, field)} ${problem}` });
  };
  const globs = (pointer: string, what: string, field: string, list: readonly string[] | undefined) =>
    list?.forEach((g, i) => check(`${pointer}/${i}`, what, field, g, 'config.bad-glob'));
  // only what the file wrote: the defaults are known to be good
  globs('/records/include', 'records.include glob', 'include', file.records?.include);
  globs('/records/exclude', 'records.exclude glob', 'exclude', file.records?.exclude);
  for (const [name, list] of Object.entries(file.surfaces ?? {})) {
    globs(`/surfaces/${escapePointer(name)}`, `surfaces.${maskSecrets(name)} glob`, 'surfaces', list);
  }
  globs('/integrity/paths', 'integrity.paths glob', 'paths', file.integrity?.paths);
  file.evals?.promptfoo?.forEach((entry, i) =>
    check(`/evals/promptfoo/${i}/path`, 'evals.promptfoo path', 'path', entry.path, 'config.bad-path')
  );
  for (const [name, source] of Object.entries(file.signals ?? {})) {
    if ('file' in source) {
      const what = `signals.${maskSecrets(name)}.file`;
      check(`/signals/${escapePointer(name)}/file`, what, 'file', source.file, 'config.bad-path');
    }
  }
  return issues;
}

/** What is wrong with a repository-relative glob or path; a value it quotes is masked (`field` as in check). */
function pathProblem(value: string, field: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (value.includes('\\')) return "contains a backslash; use forward slashes ('/')";
  // each brace or extglob alternative is a path of its own (`{..,records}/**`, `@(/etc|records)/**`), so its start
  // counts too
  if (/(?:^|[{,(|])(?:\/|[A-Za-z]:|~)/.test(value)) {
    return 'is absolute; write it relative to the repository root';
  }
  if (value.split(/[/{},()|]/).includes('..')) return "contains '..'; it must stay inside the repository";
  if (value.startsWith('./')) return `starts with './'; write ${quoteMasked(value.replace(/^(\.\/)+/, ''), field)}`;
  return undefined;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A name or value of the file as a message quotes it: secrets masked first (`field`: the name it sits under). */
function quoteMasked(value: string, field: string | null = null): string {
  return quote(maskSecrets(value, field));
}

function quote(value: string): string {
  return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}
