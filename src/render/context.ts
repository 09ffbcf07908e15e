/**
 * What the renderers know about where they run, and the only links they build: blob URLs of the repository's
 * own files at a known commit, and the URLs the caller passes in (workflow run, full report). Record text
 * never becomes a link target.
 */
import type { Location } from '../model/location.js';

export { commentMarker, hasMarker, parseMarker } from './marker.js';

export interface RenderContext {
  /** e.g. { serverUrl: 'https://github.com', owner: 'acme', repo: 'support-bot' }; links are omitted when absent */
  repository: { serverUrl: string; owner: string; repo: string } | null;
  /** commit that file links point at (head) */
  headSha: string | null;
  /** link to the workflow run, when known */
  runUrl: string | null;
  /** sha256 of the decision file's canonical bytes */
  decisionDigest: string | null;
  /** the hidden marker line identifying this gate's comment, e.g. '<!-- agent-release-gate:key=default -->' — produced by commentMarker(key) */
  marker: string;
  /** where the full report lives when the comment had to be shortened (job summary URL or text) */
  fullReportHint: string | null;
  /**
   * What was compared, in words, when the commits alone do not say it (the CLI: "directory examples/base",
   * "a1b2c3d (merge base with main)", "working tree"); shown instead of the bare commits. Optional.
   */
  compared?: { base: string; head: string };
  /**
   * Where the whole decision can be read, as the end of "… and 12 more …": "in the decision file" when absent
   * (the action writes one on every run); the CLI names its --output file, or how to get the JSON.
   */
  decisionWhere?: string;
}

/** An http(s) URL passed in by the caller, normalised, or null when it is not one. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username || parsed.password) return null;
  // URL serialisation percent-encodes spaces and controls; parentheses and angle brackets would end a markdown link
  return parsed.href.replace(/[()<>[\]\s]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

const SHA = /^[0-9a-f]{7,64}$/i;

/** A repository-relative path we are willing to link to: no absolute paths, no `..`, no backslashes, controls or lone surrogates. */
export function isLinkablePath(path: string): boolean {
  if (path === '' || path.length > 4096) return false;
  if (path.startsWith('/') || path.includes('\\') || /[\u0000-\u001F\u007F]/.test(path)) return false;
  // a lone surrogate cannot be percent-encoded
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** `https://github.com/acme/support-bot`, or null when the repository is unknown or its server URL is not http(s). */
export function repositoryUrl(ctx: Pick<RenderContext, 'repository'>): string | null {
  if (!ctx.repository) return null;
  const server = safeUrl(ctx.repository.serverUrl);
  if (!server) return null;
  return `${server.replace(/\/+$/, '')}/${encodeSegment(ctx.repository.owner)}/${encodeSegment(ctx.repository.repo)}`;
}

/** `…/commit/<sha>`, or null. */
export function commitUrl(ctx: Pick<RenderContext, 'repository'>, sha: string | null): string | null {
  const repo = repositoryUrl(ctx);
  return repo && sha && SHA.test(sha) ? `${repo}/commit/${sha}` : null;
}

/**
 * `https://github.com/acme/support-bot/blob/<sha>/records/x.yaml#L12` — or null when the repository, the commit
 * or the path is unknown or unsafe.
 */
export function blobUrl(
  ctx: Pick<RenderContext, 'repository'>,
  sha: string | null,
  path: string,
  line?: number
): string | null {
  const repo = repositoryUrl(ctx);
  if (!repo || !sha || !SHA.test(sha) || !isLinkablePath(path)) return null;
  const file = path.split('/').map(encodeSegment).join('/');
  const anchor = line !== undefined && Number.isInteger(line) && line > 0 ? `#L${line}` : '';
  return `${repo}/blob/${sha}/${file}${anchor}`;
}

/** The commit a location's link points at: the head commit, or the base commit for base-side files. */
export function commitFor(
  location: Location,
  commits: { base: string | null; head: string | null },
  ctx: RenderContext
): string | null {
  return location.side === 'base' ? commits.base : (ctx.headSha ?? commits.head);
}
