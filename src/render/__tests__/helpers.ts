/** Shared by the renderer tests: the fixture decisions, a render context, and a real GFM parser. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import type { DecisionDocument } from '../../model/decision.js';
import type { Json, RuleSpec } from '../../model/finding.js';
import type { RenderContext } from '../context.js';
import { commentMarker } from '../marker.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const SCENARIOS = ['allow', 'follow_up', 'deny', 'invalid_input', 'internal_error', 'hostile'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function loadDecision(name: Scenario): DecisionDocument {
  return JSON.parse(readFileSync(join(FIXTURES, 'decisions', `${name}.json`), 'utf8')) as DecisionDocument;
}

export function loadRules(): RuleSpec[] {
  return JSON.parse(readFileSync(join(FIXTURES, 'rules.json'), 'utf8')) as RuleSpec[];
}

export function context(decision: DecisionDocument, overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    repository: { serverUrl: 'https://github.com', owner: 'acme', repo: 'support-bot' },
    headSha: decision.commits.head,
    runUrl: 'https://github.com/acme/support-bot/actions/runs/11873452001',
    decisionDigest: '5d41402abc4b2a76b9719d911017c592ae3f1c5b8f6e2d7a9c0b1e4f3a2d6c8e',
    marker: commentMarker(decision.gate_key),
    fullReportHint: 'https://github.com/acme/support-bot/actions/runs/11873452001#summary-33210987',
    ...overrides
  };
}

/** GitHub-flavoured markdown → HTML, with raw HTML passed through so anything that survived escaping shows. */
export function toHtml(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** The tables of an HTML document: rows of cells (th or td), as inner HTML. */
export function htmlTables(html: string): string[][][] {
  const tables: string[][][] = [];
  for (const t of html.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
    const rows: string[][] = [];
    for (const r of t[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
      rows.push([...r[1]!.matchAll(/<t[hd](?: align="[a-z]+")?>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!));
    }
    tables.push(rows);
  }
  return tables;
}

/** Every tag name in the HTML. */
export function tagNames(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Visible text where GitHub would look for mentions and references: outside code and links, entities decoded. */
export function mentionableText(html: string): string {
  return html
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<a [^>]*>[\s\S]*?<\/a>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** GitHub's mention, issue-reference and autolink patterns in visible text. */
export const LIVE_PATTERNS: [string, RegExp][] = [
  ['@mention', /(^|[^\w`])@[A-Za-z0-9]/],
  ['#reference', /(^|[^\w&])#\d/],
  ['GH- reference', /\bGH-\d/i],
  ['URL autolink', /\b(?:https?|ftp|javascript):\/\//i],
  ['www autolink', /\bwww\./i]
];

/** Split a table row the way GFM does: a backslash escapes the next character, every other pipe delimits. */
export function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  const body = line.trim();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      current += c + body[i + 1]!;
      i++;
    } else if (c === '|') {
      cells.push(current);
      current = '';
    } else current += c;
  }
  cells.push(current);
  // a leading and a trailing pipe open and close the row
  if (body.startsWith('|')) cells.shift();
  if (body.endsWith('|') && !body.endsWith('\\|')) cells.pop();
  return cells.map((c) => c.trim());
}

/** The tables of a markdown source (runs of lines starting with "|"), as rows of cells. */
export function sourceTables(markdown: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      if (!current) tables.push((current = []));
      current.push(splitRow(line));
    } else current = null;
  }
  return tables;
}

/** Tags our markdown may produce: markdown's own, plus the <details>/<summary> we build. */
export const ALLOWED_TAGS = new Set([
  'h3',
  'h4',
  'h5',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'code',
  'a',
  'strong',
  'em',
  'ul',
  'li',
  'hr',
  'blockquote',
  'details',
  'summary'
]);

/**
 * The invariants every rendered comment or summary keeps, whatever the records say: only our tags, only our
 * links, every table row intact, the marker (comments) exactly once as the last line, nothing live.
 * Returns the HTML, so a test parses a large body once.
 */
export function assertInertMarkdown(markdown: string, opts: { marker: string | null; linkPrefixes: string[] }): string {
  const html = toHtml(markdown);
  const tags = tagNames(html);
  const unexpected = tags.filter((t) => !ALLOWED_TAGS.has(t));
  if (unexpected.length > 0) throw new Error(`unexpected tags: ${[...new Set(unexpected)].join(', ')}`);
  if (/<[^>]*\s(on[a-z]+|style|src)\s*=/i.test(html))
    throw new Error('an event handler, style or src attribute survived');
  // every <details> is one we opened on its own line
  const ourDetails = markdown.split('\n').filter((l) => l.startsWith('<details><summary>')).length;
  if ((html.match(/<details>/g) ?? []).length !== ourDetails) throw new Error('a <details> from record text survived');
  for (const href of html.matchAll(/<a href="([^"]*)"/g)) {
    if (!opts.linkPrefixes.some((p) => href[1]!.startsWith(p))) throw new Error(`unexpected link ${href[1]}`);
  }
  const comments = markdown.split('<!--').length - 1;
  if (opts.marker === null) {
    if (comments !== 0) throw new Error('an HTML comment in a body that has no marker');
  } else {
    if (comments !== 1) throw new Error(`${comments} comment openers, expected exactly the marker`);
    const lines = markdown.replace(/\n+$/, '').split('\n');
    if (lines[lines.length - 1] !== opts.marker) throw new Error('the marker is not the last line');
  }
  const text = mentionableText(html);
  for (const [name, pattern] of LIVE_PATTERNS) {
    const m = pattern.exec(text);
    if (m) throw new Error(`live ${name}: …${text.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
  }
  // tables: every source row has its header's cell count, and the parser sees the same tables and rows
  const source = sourceTables(markdown);
  const parsed = htmlTables(html);
  if (source.length !== parsed.length) throw new Error(`${source.length} tables written, ${parsed.length} parsed`);
  source.forEach((rows, i) => {
    const width = rows[0]!.length;
    rows.forEach((row, r) => {
      if (row.length !== width) throw new Error(`table ${i} row ${r} has ${row.length} cells, header ${width}`);
    });
    if (parsed[i]!.length !== rows.length - 1)
      throw new Error(`table ${i}: ${rows.length - 1} rows written, ${parsed[i]!.length} parsed`);
  });
  return html;
}

/**
 * The SARIF 2.1.0 JSON schema (rtm.5, as shipped in the MIT-licensed npm package @microsoft/jest-sarif).
 * It is draft-04 ("id"); Ajv reads it once the id is renamed, as it uses no draft-04-only keyword.
 */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'sarif-schema-2.1.0-rtm.5.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const { id, $schema: _draft, ...rest } = schema;
  // unicodeRegExp off: the schema's "language" pattern is not a valid /u regular expression
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (a: Ajv) => void;
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id as string });
}

/** Lines of terminal output that the Actions runner would read as a workflow command. */
export function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trimStart().startsWith('::') || line.includes('##['));
}

/** A small evaluated decision with `texts` in every field that comes from records. */
export function decisionWithTexts(texts: string[]): DecisionDocument {
  let i = 0;
  const t = () => texts[i++ % texts.length]!;
  const d = structuredClone(loadDecision('deny'));
  d.gate_key = t();
  d.findings = d.findings.slice(0, 3).map((f) => ({
    ...f,
    rule: `${f.family}.${t()}`,
    title: t(),
    message: `${t()} \`${t()}\` ${t()}`,
    subject: t(),
    fix: t(),
    observed: { [t()]: t() } as Json,
    required: [t(), t()],
    location: { file: `records/${t()}.yaml`, side: 'head', line: 3, column: 1, pointer: `/${t()}` }
  }));
  d.errors = [{ code: t(), message: t(), file: t(), side: 'base', line: 1, pointer: t(), hint: t() }];
  const e = d.evidence;
  e.evals = [
    {
      ...e.evals[0]!,
      eval: t(),
      required_by: [t()],
      metrics: [{ ...e.evals[0]!.metrics[0]!, metric: t(), aggregate: t() }]
    }
  ];
  const component = e.agbom!.components[0]!;
  e.agbom = {
    ...e.agbom!,
    base_file: t(),
    components: [
      {
        ...component,
        key: t(),
        name: t(),
        agent_kind: t(),
        head: { version: t(), hashes: {} },
        risks: [t()],
        differences: [{ field: t(), base: t(), head: t() }]
      }
    ]
  };
  const run = e.drift[1]!;
  e.drift = [
    {
      ...run,
      run_id: t(),
      file: t(),
      verdict_mismatches: [{ step_id: t(), live: t(), replay: t() }],
      missing_capability_tokens: [t()],
      manifest_mismatches: [{ step_id: t(), path: t(), expected: t(), actual: t() }]
    }
  ];
  e.approvals = [
    {
      role: t(),
      required_by: [t()],
      approved_by: [t()],
      eligible: [t(), t()],
      unresolved_teams: [t()],
      satisfied: false
    }
  ];
  e.chain = [{ change_id: t(), review_id: t(), bundle_id: t(), rollout_wave: t(), gate_id: null, decision: t() }];
  e.rollout = {
    ...e.rollout!,
    missing_required: [t()],
    blocking_signals: [t()],
    required_checks: [{ check: t(), evidenced: false, source: t() }],
    rollout_mode: { [t()]: t() }
  };
  e.review.surfaces = [{ surface: t(), files: [t(), t()], covered_by: [t()] }];
  e.signals = [{ name: t(), value: null, source: t() }];
  return d;
}
