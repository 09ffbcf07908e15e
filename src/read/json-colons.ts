/**
 * Counting what JSON.parse merges: every ':' of a JSON text outside strings separates one member, so a text with as
 * many ':' as its parsed value has members merged no duplicate key. Kept apart from parse.ts (and the YAML parser)
 * because the thread that reads large results files in parallel loads this alone.
 */

/**
 * plainJson's answer for a text without a backslash whose parsed value the caller has walked itself, finding
 * `members` members (nothing inherited counted), no number beyond 2^53 and a nesting well within MAX_DEPTH:
 * whether JSON.parse merged no duplicate key (and no string holds a ':', which only plainJson can tell apart).
 */
export function unescapedPlain(text: string, members: number): boolean {
  return !inheritsEnumerable() && colonCount(text) === members;
}

/** Whether Object.prototype has an enumerable property (someone's bug), which for-in would count. */
export function inheritsEnumerable(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/** The ':' in a text. */
export function colonCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n++;
  return n;
}
