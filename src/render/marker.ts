/**
 * The hidden marker that identifies this gate's sticky comment. It is the last line of every comment we
 * render and nowhere else: record text can never produce `<!--` (see text.ts), so a marker found anywhere
 * but the last line was not written by us.
 */

const PREFIX = '<!-- agent-release-gate:key=';
const SUFFIX = ' -->';
const MARKER_LINE = /^<!-- agent-release-gate:key=([A-Za-z0-9._-]{1,64}) -->$/;

/** The gate key as it appears in the marker: letters, digits, `.`, `_`, `-`; anything else becomes `-`. */
export function markerKey(gateKey: string): string {
  const key = gateKey
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return key === '' ? 'default' : key;
}

/** `<!-- agent-release-gate:key=<key> -->` — stable for a key, distinct between two gates in one repository. */
export function commentMarker(gateKey: string): string {
  return PREFIX + markerKey(gateKey) + SUFFIX;
}

/** The gate key of a comment body rendered by renderComment (its last non-empty line is the marker), or null. */
export function parseMarker(body: string): string | null {
  const lines = body.replace(/\s+$/, '').split('\n');
  const last = (lines[lines.length - 1] ?? '').replace(/\r$/, '');
  const match = MARKER_LINE.exec(last);
  return match ? match[1]! : null;
}

/** Whether `body` is a comment of the gate with this key (compare the author separately: anyone can type a marker). */
export function hasMarker(body: string, gateKey: string): boolean {
  return parseMarker(body) === markerKey(gateKey);
}
