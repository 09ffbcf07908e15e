/**
 * Identify a parsed file's record kind from its content. STUB — the Foundation work fills it in.
 * JSON Lines files are always per-case eval results and never reach this function.
 */
import type { RecordKind } from '../model/input.js';

export type ClassifiedKind = Exclude<RecordKind, 'eval_cases'> | 'promptfoo_results';

export function classify(_value: unknown): ClassifiedKind | null {
  return null;
}
