/**
 * Path globs for surfaces and gate integrity: picomatch with dot files included (a glob must see
 * `.github/workflows/**`), POSIX separators whatever the platform, patterns anchored at the
 * repository root (a leading double-star segment matches at any depth). And, built on them, whether
 * a pull request is an agent change at all.
 */
import picomatch from 'picomatch';
import { RECORD_KINDS, type ChangedFile } from '../model/input.js';
import { cmp, type GateContext } from './context.js';

type PathMatcher = (path: string) => boolean;

const compiled = new Map<string, PathMatcher>();

/** A repository-relative path in one spelling: forward slashes, no leading "./" or "/". */
export function normalizePath(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p.replace(/^\/+/, '');
}

function compile(glob: string): PathMatcher {
  let m = compiled.get(glob);
  if (!m) {
    // an empty pattern would make picomatch throw; it matches nothing (the settings schema rejects it anyway)
    m = glob === '' ? () => false : picomatch(normalizePath(glob), { dot: true, windows: false });
    compiled.set(glob, m);
  }
  return m;
}

/** True when the path matches any of the globs. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  const p = normalizePath(path);
  return globs.some((g) => compile(g)(p));
}

/**
 * Every path a changed file touches: its path and, for a rename or copy, the path it came from
 * (moving a prompt out of `prompts/` still changes the prompts surface). Removed files count.
 */
export function touchedPaths(file: ChangedFile): string[] {
  if (file.status === 'unchanged') return [];
  const paths = [normalizePath(file.path)];
  if (file.previous_path !== undefined && file.previous_path !== '') {
    const prev = normalizePath(file.previous_path);
    if (prev !== paths[0]) paths.push(prev);
  }
  return paths;
}

/** The sorted, distinct paths among the changed files that match any glob. */
export function changedPathsMatching(files: readonly ChangedFile[], globs: readonly string[]): string[] {
  const hits = new Set<string>();
  for (const f of files) for (const p of touchedPaths(f)) if (matchesAny(p, globs)) hits.add(p);
  return [...hits].sort(cmp);
}

/**
 * True when the pull request is an agent change: it adds or changes a gate record (review, rollout,
 * change, assessment, Eval, Deployment, results, AgBOM, receipts …) or touches a configured surface.
 * Standing requirements (the rollout policy, a Deployment's approvals, approvals.required_roles) apply
 * to agent changes only; a documentation-only pull request owes them nothing.
 */
export function isAgentChange(ctx: GateContext): boolean {
  if (RECORD_KINDS.some((kind) => ctx.active(kind).length > 0)) return true;
  const globs = Object.values(ctx.config.surfaces ?? {}).flatMap((g) => (Array.isArray(g) ? g : []));
  return (ctx.input.changed_files ?? []).some((f) => touchedPaths(f).some((p) => matchesAny(p, globs)));
}
