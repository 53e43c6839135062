/**
 * The search API's `snippet` is HTML: the text escaped, matching words in `<mark>`. It is
 * turned into text pieces here and rendered as React nodes, never as HTML, so nothing in a
 * transcript can ever become markup on the page.
 */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return safeChar(parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeChar(parseInt(name.slice(1), 10), whole);
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeChar(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

export function parseSnippet(html: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const pattern = /<mark>([\s\S]*?)<\/mark>/g;
  let cursor = 0;
  for (const match of html.matchAll(pattern)) {
    if (match.index > cursor) parts.push({ text: unescapeHtml(html.slice(cursor, match.index)), marked: false });
    parts.push({ text: unescapeHtml(match[1] ?? ''), marked: true });
    cursor = match.index + match[0].length;
  }
  if (cursor < html.length) parts.push({ text: unescapeHtml(html.slice(cursor)), marked: false });
  return parts.filter((part) => part.text !== '');
}
