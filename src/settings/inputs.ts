/**
 * The one place the action's inputs are read. Each input is read once through @actions/core, validated, and
 * returned in one typed Settings object; an invalid value is a SettingsError that names the input and the
 * values it accepts. Defaults come from INPUT_DEFAULTS (action.yml repeats them as documentation).
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SettingsError } from '../errors.js';
import { checkRevisionInput } from '../github/event.js';
import { maskSecrets } from '../read/text.js';
import { INPUT_DEFAULTS, type CommentMode, type FailOn, type TrustConfigFrom } from './defaults.js';

export interface Settings {
  /** '' when no token is available: nothing that needs the API is attempted */
  token: string;
  /** repository-relative path of the gate configuration */
  configPath: string;
  /** whether `config` names another file than the default (the runner fills in the default): a missing file is then an error */
  configExplicit: boolean;
  comment: CommentMode;
  failOn: FailOn;
  warnOnly: boolean;
  baseRef: string | null;
  headRef: string | null;
  trustConfigFrom: TrustConfigFrom;
  /** absolute path the decision file is written to */
  decisionFile: string;
  /** absolute path of the SARIF file, or null for none */
  sarifFile: string | null;
  /** absolute directory the repository (records, configuration) is read from */
  workingDirectory: string;
}

/** Reads one input ('' when unset); @actions/core.getInput in the action, a map in tests. */
export type InputReader = (name: string) => string;

const COMMENT_MODES: readonly CommentMode[] = ['always', 'on-failure', 'never'];
const FAIL_ON: readonly FailOn[] = ['deny', 'follow_up'];
const TRUST_FROM: readonly TrustConfigFrom[] = ['base', 'head'];

/** YAML 1.2 core schema booleans, as the runner documents for action inputs. */
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

function choice<T extends string>(name: string, value: string, allowed: readonly T[], fallback: T): T {
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new SettingsError(`input ${name}: "${printable(value)}" is not allowed; use one of: ${allowed.join(', ')}`);
}

function bool(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new SettingsError(`input ${name}: "${printable(value)}" is not a boolean; use true or false`);
}

/** An input as a message quotes it: secrets masked (a token pasted into the wrong input), then cut and made printable. */
function printable(input: string): string {
  const value = maskSecrets(input);
  const cut = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return cut.replace(/[\u0000-\u001F\u007F]/g, '?');
}

function noControlCharacters(name: string, value: string): string {
  if (/[\u0000-\u001F\u007F]/.test(value))
    throw new SettingsError(`input ${name}: control characters are not allowed in a path`);
  return value;
}

/** A path inside the repository, written with forward slashes: no absolute path, no "..", no backslash. */
function repositoryPath(name: string, value: string): string {
  noControlCharacters(name, value);
  const path = value.replace(/^\.\/+/, '');
  const segments = path.split('/');
  if (path === '' || isAbsolute(value) || value.includes('\\') || segments.some((s) => s === '..' || s === '')) {
    throw new SettingsError(
      `input ${name}: "${printable(value)}" must be a path inside the repository, like .github/agent-gate.yml`
    );
  }
  return segments.filter((s) => s !== '.').join('/');
}

/** Where output files may go besides the workspace: the runner's temporary directory (RUNNER_TEMP). */
export interface OutputRoots {
  tempDir?: string | null;
}

function within(root: string, path: string): boolean {
  const rel = relative(landing(resolve(root)), landing(path));
  // `..foo` is a file inside; `..` and `../x` are outside
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Where a write to `path` lands: its deepest existing ancestor with symbolic links resolved, then the rest. A
 * folder inside the workspace that links outside it must not carry the decision file out.
 */
function landing(path: string): string {
  const rest: string[] = [];
  for (let dir = path; ;) {
    try {
      return join(realpathSync(dir), ...rest.reverse());
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return path;
      rest.push(basename(dir));
      dir = parent;
    }
  }
}

/**
 * An output file: relative to the workspace (or absolute), and inside the workspace or RUNNER_TEMP — never an
 * escape like ../../x or a device such as /proc/version, never an existing directory.
 */
function outputPath(name: string, value: string, workspace: string, roots: OutputRoots = {}): string {
  noControlCharacters(name, value);
  const path = resolve(workspace, value);
  const allowed = [workspace, ...(roots.tempDir ? [roots.tempDir] : [])];
  if (path === resolve(workspace) || !allowed.some((root) => within(root, path))) {
    throw new SettingsError(
      `input ${name}: "${printable(value)}" is outside the workspace (${workspace})` +
        `${roots.tempDir ? ` and the runner's temporary directory (${roots.tempDir})` : ''}; name a file inside it, like ${INPUT_DEFAULTS.decisionFile}`
    );
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // absent (the usual case) or unreadable: the write reports it, naming the input
  }
  if (isDirectory) throw new SettingsError(`input ${name}: "${printable(value)}" is a directory; name a file`);
  return path;
}

/** The decision file alone, for runs whose other inputs are invalid: it is written on every path. */
export function readDecisionFile(getInput: InputReader, workspace: string, roots: OutputRoots = {}): string {
  try {
    return outputPath(
      'decision-file',
      getInput('decision-file').trim() || INPUT_DEFAULTS.decisionFile,
      workspace,
      roots
    );
  } catch {
    return resolve(workspace, INPUT_DEFAULTS.decisionFile);
  }
}

export function readSettings(getInput: InputReader, workspace: string, roots: OutputRoots = {}): Settings {
  const input = (name: string): string => getInput(name).trim();

  const workingDirectoryInput = input('working-directory') || INPUT_DEFAULTS.workingDirectory;
  noControlCharacters('working-directory', workingDirectoryInput);
  const workingDirectory = resolve(workspace, workingDirectoryInput);
  const inside = relative(resolve(workspace), workingDirectory);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new SettingsError(
      `input working-directory: "${printable(workingDirectoryInput)}" is outside the workspace (${workspace}); use a directory of the checked-out repository`
    );
  }

  const baseRef = input('base-ref');
  const headRef = input('head-ref');
  const sarif = input('sarif-file');
  const configPath = repositoryPath('config', input('config') || INPUT_DEFAULTS.config);
  const decisionFile = outputPath(
    'decision-file',
    input('decision-file') || INPUT_DEFAULTS.decisionFile,
    workspace,
    roots
  );
  const sarifFile = sarif === '' ? null : outputPath('sarif-file', sarif, workspace, roots);
  if (sarifFile === decisionFile)
    throw new SettingsError('input sarif-file: names the same file as decision-file; use another file');

  return {
    token: input('github-token'),
    configPath,
    configExplicit: configPath !== INPUT_DEFAULTS.config,
    comment: choice('comment', input('comment'), COMMENT_MODES, INPUT_DEFAULTS.comment),
    failOn: choice('fail-on', input('fail-on'), FAIL_ON, INPUT_DEFAULTS.failOn),
    warnOnly: bool('warn-only', input('warn-only'), INPUT_DEFAULTS.warnOnly),
    baseRef: baseRef === '' ? null : checkRevisionInput('base-ref', baseRef),
    headRef: headRef === '' ? null : checkRevisionInput('head-ref', headRef),
    trustConfigFrom: choice(
      'trust-config-from',
      input('trust-config-from'),
      TRUST_FROM,
      INPUT_DEFAULTS.trustConfigFrom
    ),
    decisionFile,
    sarifFile,
    workingDirectory
  };
}
