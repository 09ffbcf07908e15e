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
  let parsed: {
    values: Record<string, unknown>;
    positionals: string[];
    tokens: { kind: string; name?: string; rawName?: string; value?: string | undefined }[];
  };
  try {
    parsed = parseArgs({
      args: argv,
      options: options as NonNullable<ParseArgsConfig['options']>,
      allowPositionals,
      strict: true,
      tokens: true
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SettingsError(`${message} (--help lists the options)`);
  }
  // parseArgs keeps the last of a repeated option: `--base-dir a --base-dir b` must not silently judge b
  const given = new Map<string, string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || token.name === undefined || options[token.name]?.multiple) continue;
    const seen = given.get(token.name);
    const flag = token.rawName ?? `--${token.name}`;
    const shown = token.value === undefined ? flag : `${flag} ${JSON.stringify(token.value)}`;
    if (seen === undefined) given.set(token.name, shown);
    else {
      throw new SettingsError(
        `--${token.name} was given more than once (${seen}, then ${shown}); give it once (--help lists the options)`
      );
    }
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
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
