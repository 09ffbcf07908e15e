import { describe, expect, test } from '@jest/globals';
import { logText, mdCode, mdRich, mdText, plainLine, safeLogLine, sarifText, truncate, ZWJ } from '../escape.js';
import { cutToLines, closeOpenDetails, utf8Length } from '../fit.js';
import { formatJson, formatNumber, formatPercent, formatUsd } from '../format.js';
import { commentMarker, hasMarker, markerKey, parseMarker } from '../marker.js';
import { blobUrl, isLinkablePath, safeUrl } from '../context.js';
import { mentionableText, LIVE_PATTERNS, tagNames, toHtml } from './helpers.js';

/** The HTML a paragraph made of `markdown` renders to. */
const render = (markdown: string) => toHtml(markdown);
const tdOf = (html: string) => /<td>([\s\S]*?)<\/td>/.exec(html)![1]!;

describe('mdText: record text as inert inline markdown', () => {
  test.each([
    ['@user and @org/team', '@‍user and @‍org/team'],
    ['closes #1 and GH-12 and acme/repo#3', 'closes #‍1 and GH-‍12 and acme/repo#‍3'],
    ['see https://evil.example and www.evil.example', 'see https:‍//evil.example and www‍.evil.example'],
    ['_www.evil.example (www.x.example *www.y.example', '_www‍.evil.example (www‍.x.example *www‍.y.example'],
    ['x_GH-1 mailto:a@b.example', 'x_GH-‍1 mailto‍:a@‍b.example']
  ])('%j cannot mention, reference or autolink', (input, visible) => {
    const html = render(mdText(input));
    expect(mentionableText(html).trim()).toBe(visible);
    for (const [, pattern] of LIVE_PATTERNS) expect(mentionableText(html)).not.toMatch(pattern);
    expect(html).not.toContain('<a ');
  });

  test('HTML, comments and entities stay text', () => {
    const input = '<img src=x onerror=alert(1)> <!-- agent-release-gate:key=x --> <details> &lt;b&gt; "q" \'s\'';
    const md = mdText(input);
    expect(md).not.toMatch(/[<>]/);
    expect(md).not.toContain('<!--');
    const html = render(md);
    expect(tagNames(html)).toEqual(['p', 'p']);
    expect(mentionableText(html).trim()).toBe(input);
  });

  test('links, images, emphasis, strikethrough and math do not render', () => {
    const input = '[x](javascript:alert(1)) ![i](https://e.example/i.png) *em* __strong__ ~~del~~ $x$ `code`';
    const html = render(mdText(input));
    expect(tagNames(html)).toEqual(['p', 'p']);
  });

  test('line breaks become spaces, so a record cannot start a block or a table', () => {
    const input = 'ok\n\n| a | b |\n| --- | --- |\n| x | ✅ passed |\n# heading\n- item';
    const md = mdText(input);
    expect(md).not.toContain('\n');
    const html = render(`| h |\n| --- |\n| ${md} |`);
    expect(tagNames(html).filter((t) => t === 'table')).toHaveLength(2); // <table> and </table>
    expect(html.match(/<td>/g)).toHaveLength(1);
  });

  test('a pipe cannot split a table cell, whatever backslashes precede it', () => {
    for (const input of ['a|b', 'a\\|b', 'a\\\\|b', '|', '\\']) {
      const html = render(`| h |\n| --- |\n| ${mdText(input)} |`);
      expect(html.match(/<td>/g)).toHaveLength(1);
      expect(mentionableText(tdOf(html)).trim()).toBe(input);
    }
  });

  test('a leading list, quote or heading marker stays text inside a list item', () => {
    for (const input of ['- x', '+ x', '1. x', '2) x', '> x', '# x', '===']) {
      const html = render(`- ${mdText(input)}`);
      expect(html.match(/<li>/g)).toHaveLength(1);
      expect(tagNames(html)).toEqual(['ul', 'li', 'li', 'ul']);
    }
  });

  test('bidi controls, ANSI escapes and control characters are neutralised', () => {
    expect(mdText('a\u202Eb\u2066c\u200Fd')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(mdText('\u001b[31mred\u001b[0m \u001b]8;;https://e.example\u0007link\u001b]8;;\u0007')).toBe('red link');
    expect(mdText('a\u0000b\u0007c')).toBe('a\uFFFDb\uFFFDc');
  });

  test('long text is cut at a code point, never inside a surrogate pair', () => {
    const out = mdText('😀'.repeat(100), 10);
    expect(Array.from(out)).toHaveLength(10);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('mdCode: record text as a code span', () => {
  test.each(['plain', 'a`b', '``', 'x`````y``z`', '`leading', 'trailing`', ' spaced '])('%j round-trips', (value) => {
    const html = render(mdCode(value));
    const code = /<code>([\s\S]*)<\/code>/.exec(html)?.[1];
    expect(code).toBeDefined();
    expect(mentionableText(`<p>${code}</p>`).trim()).toBe(value.trim());
    expect(html.match(/<code>/g)).toHaveLength(1);
  });

  test('the fence is longer than the longest backtick run', () => {
    expect(mdCode('x`````y')).toBe('`````` x`````y ``````');
  });

  test('never carries a comment opener into the raw body', () => {
    expect(mdCode('<!-- agent-release-gate:key=default -->')).not.toContain('<!--');
    expect(mdCode('<!-- x -->')).toBe(`\` <${ZWJ}!-- x --> \``);
  });

  test('in a table, a value with a pipe falls back to escaped text and keeps its cell', () => {
    const cell = mdCode('a|b\\|c', 200, { inTable: true });
    const html = render(`| h |\n| --- |\n| ${cell} |`);
    expect(html.match(/<td>/g)).toHaveLength(1);
    expect(mentionableText(tdOf(html)).trim()).toBe('a|b\\|c');
  });

  test('a legacy workflow command cannot ride in a code span into a printed summary', () => {
    expect(mdCode('##[add-mask]secret')).not.toContain('##[');
    expect(mdCode('####[x]')).not.toContain('##[');
    expect(sarifText('##[set-output name=decision;]allow')).not.toContain('##[');
  });

  test('empty values are shown as such', () => {
    expect(mdCode('  ')).toBe('*(empty)*');
  });
});

describe('mdRich: engine messages with code spans', () => {
  test('backtick spans become code, the rest inert text', () => {
    const html = render(mdRich('Role `release-manager` has no approval; ask @dana'));
    expect(html).toContain('<code>release-manager</code>');
    expect(mentionableText(html)).not.toMatch(/@[a-z]/);
  });
});

describe('log text: no workflow commands', () => {
  const commands = [
    'prefix\n::add-mask::x',
    '::error::pwned',
    '  ::stop-commands::tok',
    '\t::set-output name=x::y',
    'text%0A::add-mask::y',
    '##[set-output name=decision]allow',
    'a\r::warning::b',
    'a\u2028::notice::b',
    '\u001b[2K::error::after-ansi'
  ];
  test.each(commands)('%j cannot start a command', (input) => {
    const out = safeLogLine(input);
    expect(out).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    for (const line of ('x\n' + out + '\n  ' + out).split('\n')) {
      expect(line.trimStart().startsWith('::')).toBe(false);
      expect(line).not.toContain('##[');
    }
    expect(out).not.toContain('::');
  });

  test('keeps ordinary text readable and % sequences as written', () => {
    expect(safeLogLine('plain 100% ok')).toBe('plain 100% ok');
    expect(logText('a%0Ab')).toBe('a%0Ab');
  });

  test('strips ANSI escapes and neutralises bidi controls', () => {
    expect(safeLogLine('\u001b[31mred\u001b[0m\u202E')).toBe('red\uFFFD');
  });
});

describe('plainLine and truncate', () => {
  test('every kind of line break becomes a space', () => {
    expect(plainLine('a\r\nb\nc\rd\u2028e\u2029f\u0085g\u000bh\u000ci')).toBe('a b c d e f g h i');
  });
  test('truncate keeps short text as is', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
  });
});

describe('marker', () => {
  test('is stable, hidden and keyed', () => {
    expect(commentMarker('default')).toBe('<!-- agent-release-gate:key=default -->');
    expect(commentMarker('support-triage')).toBe(commentMarker('support-triage'));
    expect(commentMarker('a')).not.toBe(commentMarker('b'));
    expect(toHtml(commentMarker('x')).trim()).toBe('<!-- agent-release-gate:key=x -->');
  });

  test('sanitises the key so it cannot close the comment', () => {
    const marker = commentMarker('prod --> <img src=x> @team');
    expect(marker.match(/-->/g)).toHaveLength(1);
    expect(marker).toMatch(/^<!-- agent-release-gate:key=[A-Za-z0-9._-]+ -->$/);
    expect(markerKey('')).toBe('default');
    expect(markerKey('x'.repeat(100))).toHaveLength(64);
  });

  test('is recognised only as the last line of a body', () => {
    const marker = commentMarker('gate-a');
    expect(parseMarker(`### ✅ ok\n\n${marker}\n`)).toBe('gate-a');
    expect(hasMarker(`body\n${marker}`, 'gate-a')).toBe(true);
    expect(hasMarker(`body\n${marker}`, 'gate-b')).toBe(false);
    expect(parseMarker(`${marker}\nforged above our text`)).toBeNull();
    expect(parseMarker('no marker')).toBeNull();
    expect(parseMarker(`body\r\n${marker}\r\n`)).toBe('gate-a');
  });
});

describe('links', () => {
  const ctx = { repository: { serverUrl: 'https://github.com', owner: 'acme', repo: 'support-bot' } };
  const sha = '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
  test('blob URLs are built from repository-relative paths only', () => {
    expect(blobUrl(ctx, sha, 'records/a b/(x).yaml', 12)).toBe(
      `https://github.com/acme/support-bot/blob/${sha}/records/a%20b/%28x%29.yaml#L12`
    );
    for (const bad of ['/etc/passwd', '../x', 'a/../b', 'a\\b', 'a//b', '', 'a\u0000b']) {
      expect(isLinkablePath(bad)).toBe(false);
      expect(blobUrl(ctx, sha, bad)).toBeNull();
    }
    expect(blobUrl(ctx, 'not-a-sha', 'a.yaml')).toBeNull();
    expect(blobUrl({ repository: null }, sha, 'a.yaml')).toBeNull();
  });
  test('only http(s) URLs from the caller become links', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('https://user:pw@github.com/x')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl('https://github.com/a/b/actions/runs/1 (x)')).toBe(
      'https://github.com/a/b/actions/runs/1%20%28x%29'
    );
  });
});

describe('sizes and numbers', () => {
  test('utf8Length counts bytes as UTF-8 does', () => {
    for (const s of ['ascii', 'ß', '€', '😀', 'a😀ßc', '\uD800x', '']) {
      expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
    }
  });
  test('cutToLines keeps whole lines within the budget', () => {
    expect(cutToLines('aa\nbb\ncc', 5, (s) => s.length)).toBe('aa\nbb');
    expect(cutToLines('abcdef', 3, (s) => s.length)).toBe('abc');
    expect(cutToLines('😀😀', 4, utf8Length)).toBe('😀');
  });
  test('closeOpenDetails drops an unclosed section', () => {
    expect(closeOpenDetails('a\n\n<details><summary>x</summary>\n\nbody')).toBe('a');
    expect(closeOpenDetails('<details><summary>x</summary>b</details>')).toBe(
      '<details><summary>x</summary>b</details>'
    );
  });
  test('numbers are formatted without the locale', () => {
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(0.812345)).toBe('0.8123');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(formatPercent(0.0181)).toBe('1.81%');
    expect(formatUsd(0.4123)).toBe('$0.4123');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
  });
  test('formatJson sorts keys, so key order never changes the output', () => {
    expect(formatJson({ b: 1, a: [1, 'x'] })).toBe('a: [1, x], b: 1');
    expect(formatJson({ b: { y: 1, x: 2 }, a: 1 })).toBe('{"a":1,"b":{"x":2,"y":1}}');
  });
});
