/**
 * Deterministic formatting of numbers and values (no toLocaleString: the output must not depend on the
 * machine's locale). Returns plain strings; callers escape them for their medium.
 */
import type { ComponentEvidence } from '../model/evidence.js';
import type { Json } from '../model/finding.js';
import { cmp } from '../gate/context.js';

function group(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 12345.6 → "12,346"; 2.5 → "2.5"; 0.812345 → "0.8123"; 1e-7 → "0.0000001"; NaN → "n/a". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'n/a' : n > 0 ? '∞' : '-∞';
  if (Object.is(n, -0)) n = 0;
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs >= 1e21) return sign + abs.toExponential(3);
  if (abs >= 1000) return sign + group(Math.round(abs).toString());
  if (abs >= 1) return sign + trimZeros(abs.toFixed(3));
  if (abs === 0) return '0';
  // small values: four significant digits, never exponent notation
  const decimals = Math.min(20, Math.max(4, 3 - Math.floor(Math.log10(abs))));
  return sign + trimZeros(abs.toFixed(decimals));
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** A delta with its sign: "+0.03", "-120", "0". */
export function formatDelta(n: number | null): string {
  if (n === null) return '—';
  const text = formatNumber(n);
  return n > 0 ? '+' + text : text;
}

/** A ratio as a percentage: 0.0123 → "1.23%". */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const pct = ratio * 100;
  const text = Math.abs(pct) >= 100 ? Math.round(pct).toString() : trimZeros(pct.toFixed(2));
  return (text === '-0' ? '0' : text) + '%';
}

/** US dollars with enough precision for per-run costs: 0.0123 → "$0.0123", 12.5 → "$12.50". */
export function formatUsd(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  if (abs < 1) return `${sign}$${formatNumber(abs)}`;
  const [whole, cents] = abs.toFixed(2).split('.');
  return `${sign}$${group(whole!)}.${cents!}`;
}

/** JSON with object keys in code-unit order, so the output does not depend on the order keys were written in. */
export function stableJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  return `{${Object.keys(value)
    .sort(cmp)
    .map((k) => `${JSON.stringify(k)}:${stableJson(value[k]!)}`)
    .join(',')}}`;
}

/** A JSON value in one line: numbers formatted, strings as written, flat objects as "key: value, …" (keys sorted). */
export function formatJson(value: Json | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  const scalar = (v: Json): boolean => v === null || typeof v !== 'object';
  if (Array.isArray(value)) return value.every(scalar) ? value.map((v) => formatJson(v)).join(', ') : stableJson(value);
  const keys = Object.keys(value).sort(cmp);
  const flat = keys.every((k) => scalar(value[k]!) || (Array.isArray(value[k]) && (value[k] as Json[]).every(scalar)));
  if (!flat) return stableJson(value);
  return keys
    .map((k) => `${k}: ${Array.isArray(value[k]) ? `[${formatJson(value[k])}]` : formatJson(value[k])}`)
    .join(', ');
}

/** A short commit id for display. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{40,64}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/** "1 finding", "3 findings". */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${group(String(n))} ${n === 1 ? one : many}`;
}

/** Integer with thousands separators. */
export function formatCount(n: number): string {
  return group(String(n));
}

const CHANGE_ORDER: Record<ComponentEvidence['change'], number> = { added: 0, changed: 1, removed: 2 };

/** AgBOM components as reviewers read them: high-risk first, then added, changed, removed; then by key. */
export function componentOrder(a: ComponentEvidence, b: ComponentEvidence): number {
  return (
    Number(b.risks.length > 0) - Number(a.risks.length > 0) ||
    CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] ||
    cmp(a.key, b.key)
  );
}
