/** Argument parsing shared by the commands: node:util parseArgs, with our own clear errors. */
import { stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SettingsError } from '../errors.js';
import type { FileSource } from '../read/source.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SettingsError(`${message} (--help lists the options)`);
  }
}

export function oneOf<T extends string>(
  value: string | boolean | undefined,
  allowed: readonly T[],
  flag: string,
  fallback: T
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new SettingsError(`${flag} must be one of ${allowed.join(', ')} (got "${String(value)}")`);
}

export function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `path` when it is a directory; a SettingsError naming the flag otherwise. */
export async function existingDirectory(path: string, flag: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) throw new SettingsError(`${flag} ${path}: not a directory`);
  return path;
}

/**
 * A --config the user typed must exist on one of the sides: a typo must not silently judge with the defaults.
 * A path the sources refuse (outside the repository, a symlink) is left to the loader, which reports it located.
 */
export async function requireConfig(path: string | undefined, sources: (FileSource | null)[]): Promise<void> {
  if (path === undefined) return;
  const present = sources.filter((s): s is FileSource => s !== null);
  for (const source of present) {
    try {
      if (await source.stat(path)) return;
    } catch {
      return;
    }
  }
  throw new SettingsError(
    `--config ${path}: no such file in the ${present.map((s) => s.description).join(' or the ')}`
  );
}
