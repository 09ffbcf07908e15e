/**
 * The ordinary per-case line (schemas/eval_case_line.schema.json), recognised by a direct walk of its parsed value.
 * Kept apart from validate.ts (and its generated validators) because the thread that reads large results files in
 * parallel loads this alone.
 */

/**
 * The members of an ordinary case line (its fields plus its metrics, what plainJson counts), or -1 when the line
 * is not ordinary. Ordinary numbers are also within 2^53, as plain JSON's are: the reader's fast path walks each
 * line once, for both questions.
 */
export function ordinaryCaseMembers(value: unknown, printable = false): number {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return -1;
  const line = value as Record<string, unknown>;
  let required = 0;
  let members = 0;
  for (const key in line) {
    const v = line[key];
    members++;
    switch (key) {
      case 'eval':
      case 'case_id':
        if (!isAsciiId(v, printable)) return -1;
        required++;
        break;
      case 'metrics': {
        const metrics = ordinaryMetrics(v, printable);
        if (metrics < 0) return -1;
        members += metrics;
        required++;
        break;
      }
      case 'cost_usd':
      case 'latency_ms':
        if (typeof v !== 'number' || !(v >= 0) || v > Number.MAX_SAFE_INTEGER) return -1;
        break;
      default:
        return -1;
    }
  }
  return required === 3 && Object.getPrototypeOf(line) === Object.prototype ? members : -1;
}

function ordinaryMetrics(value: unknown, printable: boolean): number {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return -1;
  let members = 0;
  for (const name in value) {
    if (!isAsciiId(name, printable)) return -1;
    const v = (value as Record<string, unknown>)[name];
    if (typeof v === 'number' ? !(Math.abs(v) <= Number.MAX_SAFE_INTEGER) : typeof v !== 'boolean') return -1;
    members++;
  }
  return members;
}

/**
 * 1–256 printable ASCII characters, the first and last not a space: what the schema's `id` accepts, in ASCII.
 * Of U+0020–U+007F only the space is whitespace and none is a line break, so for a `printable` string the ends
 * are all there is to check.
 */
function isAsciiId(value: unknown, printable: boolean): boolean {
  if (typeof value !== 'string') return false;
  const n = value.length;
  if (n === 0 || n > 256 || value.charCodeAt(0) === 0x20 || value.charCodeAt(n - 1) === 0x20) return false;
  if (printable) return true;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
