/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, non-finite numbers as null.
 * The same decision always serialises to the same bytes, so its digest can be signed and compared.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? JSON.stringify(Object.is(value, -0) ? 0 : value) : 'null');
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = value as unknown as ArrayLike<unknown>;
    out.push('[');
    // an index loop, not forEach: a hole in a sparse array is null (as in JSON.stringify), not skipped
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out.push(',');
      write(items[i], out);
    }
    out.push(']');
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write(obj[k], out);
    });
    out.push('}');
  } else {
    // functions, symbols, bigints never belong in a decision
    throw new TypeError(`cannot serialise a ${typeof value} in a decision document`);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
