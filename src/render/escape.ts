/**
 * Inert text. Everything a record (or anyone who can open a pull request) wrote passes through here before
 * it reaches a comment, a job summary, a log line or a SARIF message. Our own markup never does.
 *
 * Markdown text (`mdText`) cannot: mention (@user, @org/team), reference (#1, GH-1, owner/repo#1), autolink
 * (https://…, www.…, a@b.c), open a link or image ([x](javascript:…)), inject HTML or an HTML comment
 * (so it cannot forge our marker), emphasise, strike, start a heading/list/quote, break a table row, or
 * render math. Code spans (`mdCode`) use a fence longer than any backtick run in the value.
 * Log text (`logText`) cannot start a workflow command (`::cmd::`, legacy `##[cmd]`) and carries no ANSI.
 */

/** Zero-width joiner: invisible, and breaks GitHub's mention/reference/autolink patterns. */
export const ZWJ = '\u200D';
/** Zero-width space: the runner's TrimStart() does not remove it, so `\u200B::x::` is no command. */
const ZWSP = '\u200B';
const REPLACEMENT = '\uFFFD';

/**
 * The runner's legacy command form, `##[command]data`, is recognised anywhere in a line (not only at its start),
 * so it is broken wherever record text may reach a log: terminal text, code spans (a job summary printed by
 * `agent-gate check --format markdown` is a log too) and SARIF messages.
 */
const LEGACY_COMMAND = /##\[/g;
const LEGACY_BROKEN = '#' + ZWSP + '#[';

/**
 * One pass over the raw text: ANSI escape sequences (CSI, OSC up to BEL or ST, two-character escapes) are
 * dropped; line breaks of every kind and tabs become spaces; bidi controls (Trojan Source), direction marks,
 * the remaining C0/C1 controls and lone surrogates (not encodable as UTF-8) become a visible U+FFFD.
 */
const RAW =
  /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]|(\r\n|[\n\r\t\u000B\u000C\u0085\u2028\u2029])|[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Longer inputs are cut before they are scanned (a record can hold megabytes in one string). */
const SCAN_FACTOR = 4;

/** The common first step for every output. The result is one line. */
export function plainLine(value: string, max = Number.MAX_SAFE_INTEGER): string {
  let text = value;
  if (text.length > max * SCAN_FACTOR + 64) {
    text = text.slice(0, max * SCAN_FACTOR + 64);
    if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  }
  return text.replace(RAW, replaceRaw);
}

function replaceRaw(match: string, lineBreak: string | undefined): string {
  if (lineBreak !== undefined) return ' ';
  // a whole escape sequence disappears; a lone ESC, a control, a bidi mark or a lone surrogate stays visible
  const code = match.charCodeAt(0);
  return match.length > 1 && (code === 0x1b || code === 0x9b) ? '' : REPLACEMENT;
}

/** Shorten to at most `max` code points (never splitting a surrogate pair), marking the cut with "…". */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const points = Array.from(value);
  if (points.length <= max) return value;
  return points.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** One line of record text, at most `max` code points. */
function line(value: string, max: number): string {
  return truncate(plainLine(value, max), max);
}

/**
 * GitHub's mention (@user, @org/team, a@b.c), reference (#1, owner/repo#1, GH-1) and autolink (scheme://,
 * mailto:, xmpp:, www.) patterns, each broken by an invisible joiner. No word boundaries: GFM autolinks
 * "www." after `_`, `*`, `~` or `(` too, so every occurrence is broken.
 */
const REFERENCES = /[@#]|(gh-)(?=\d)|:\/\/|(mailto|xmpp):|(www)\./gi;

function breakReference(match: string, gh?: string, scheme?: string, www?: string): string {
  if (gh) return gh + ZWJ;
  if (scheme) return scheme + ZWJ + ':';
  if (www) return www + ZWJ + '.';
  if (match === '://') return ':' + ZWJ + '//';
  return match + ZWJ;
}

/** HTML-significant characters as entities; markdown punctuation backslash-escaped (valid everywhere outside code). */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"'\\`*_[\]()|~${}!]/g;

/**
 * Record text as inert inline markdown, one line, at most `max` code points of the original.
 * Safe in paragraphs, list items, headings and table cells.
 */
export function mdText(value: string, max = 500): string {
  const out = line(value, max)
    .replace(REFERENCES, breakReference)
    .replace(SPECIAL, (c) => ESCAPES[c] ?? '\\' + c);
  // a leading block marker would open a list, an ordered list or a setext underline inside a list item
  return out
    .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(=+)(?=\s*$)/, '$1\\$2');
}

/** The longest run of backticks in `value`. */
function longestBacktickRun(value: string): number {
  let longest = 0;
  for (const run of value.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * Record text as a code span: literal, no mentions, no references, no HTML. The fence is one backtick longer
 * than the longest run inside, and the value is padded with a space on each side (CommonMark strips exactly
 * one), so it cannot close the span early. `<!--` is broken so the raw body never carries a forged marker, and
 * `##[` so the body is no legacy workflow command when it is printed to a log.
 * In a table a `|` would still split the cell (GFM splits rows before reading code spans), so a value with a
 * pipe is rendered as escaped text there instead.
 */
export function mdCode(value: string, max = 200, opts: { inTable?: boolean } = {}): string {
  const text = line(value, max);
  if (opts.inTable && text.includes('|')) return mdText(text, max);
  if (text.trim() === '') return '*(empty)*';
  const safe = text.replace(/<!--/g, '<' + ZWJ + '!--').replace(LEGACY_COMMAND, LEGACY_BROKEN);
  const fence = '`'.repeat(longestBacktickRun(safe) + 1);
  return `${fence} ${safe} ${fence}`;
}

/**
 * Text for a terminal or a CI log: one line, no ANSI, no bidi, and no workflow command. The runner treats a
 * line as a command when, after leading whitespace, it starts with `::` (or contains the legacy `##[`); every
 * `::` and `##[` gets a zero-width space, so no caller can place one at the start of a line by concatenation.
 * `%` is left as written: nothing here decodes it, and @actions/core escapes it in annotation data.
 */
export function logText(value: string, max = 2000): string {
  return line(value, max)
    .replace(/:(?=:)/g, ':' + ZWSP)
    .replace(LEGACY_COMMAND, LEGACY_BROKEN);
}

/**
 * Neutralise workflow commands in a line of console output (the exported form for the action and CLI):
 * one line, ANSI stripped, `::` and `##[` broken wherever they occur.
 */
export function safeLogLine(text: string): string {
  return logText(String(text), Number.MAX_SAFE_INTEGER);
}

/** Plain text for SARIF messages (JSON carries it; viewers show it as text): one line, no controls or bidi. */
export function sarifText(value: string, max = 4000): string {
  return line(value, max).replace(LEGACY_COMMAND, LEGACY_BROKEN);
}

/**
 * Text our engine wrote with `code` spans around record values (messages, fixes, titles): the spans become
 * real code spans (through mdCode), the rest inert text (through mdText). Whatever a record smuggled into
 * the message, every piece still passes one of the two inert renderers.
 */
export function mdRich(value: string, max = 500, opts: { inTable?: boolean } = {}): string {
  const text = line(value, max);
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/`([^`]+)`/g)) {
    if (match.index > last) parts.push(mdText(text.slice(last, match.index), max));
    parts.push(mdCode(match[1]!, max, opts));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(mdText(text.slice(last), max));
  return parts.join('');
}
