/** Argument parsing shared by the commands: node:util parseArgs, with our own clear errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SettingsError } from '../errors.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new SettingsError(error instanceof Error ? error.message : String(error));
  }
}

export function oneOf<T extends string>(value: string | boolean | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new SettingsError(`${flag} must be one of ${allowed.join(', ')} (got "${String(value)}")`);
}

export function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
