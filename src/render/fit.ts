/**
 * Size limits: measure text the way each destination counts it, and cut at a line boundary as the last
 * resort (the staged renderers normally fit long before this is needed).
 */

/** UTF-8 byte length of a string, without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The longest prefix of `text`, ending at a line break, whose size (by `measure`) is at most `budget`.
 * Falls back to cutting inside the first line (at a code point boundary) when even that line is too long.
 */
export function cutToLines(text: string, budget: number, measure: (s: string) => number): string {
  if (measure(text) <= budget) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = measure(line) + (kept.length > 0 ? 1 : 0);
    if (used + size > budget) break;
    kept.push(line);
    used += size;
  }
  if (kept.length > 0) return kept.join('\n');
  let out = '';
  for (const point of lines[0] ?? '') {
    if (measure(out + point) > budget) break;
    out += point;
  }
  return out;
}

/** Remove an unclosed <details> block left by a cut, so the rest of the page is not swallowed by it. */
export function closeOpenDetails(text: string): string {
  const open = text.lastIndexOf('<details>');
  return open > text.lastIndexOf('</details>') ? text.slice(0, open).replace(/\s+$/, '') : text;
}
