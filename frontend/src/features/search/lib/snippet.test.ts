import { describe, expect, it } from 'vitest';
import { parseSnippet, unescapeHtml } from './snippet';

describe('parseSnippet', () => {
  it('splits the server’s HTML into plain and marked text', () => {
    expect(parseSnippet('…ask not what your <mark>country</mark> can do for <mark>you</mark>,…')).toEqual([
      { text: '…ask not what your ', marked: false },
      { text: 'country', marked: true },
      { text: ' can do for ', marked: false },
      { text: 'you', marked: true },
      { text: ',…', marked: false },
    ]);
  });

  it('unescapes what the server escaped, and keeps markup in the text as text', () => {
    expect(parseSnippet('Tom &amp; Jerry say &lt;b&gt;<mark>hi</mark>&lt;/b&gt; &quot;x&quot; &#x27;y&#x27;')).toEqual([
      { text: 'Tom & Jerry say <b>', marked: false },
      { text: 'hi', marked: true },
      { text: '</b> "x" \'y\'', marked: false },
    ]);
    // Whatever a transcript held, the parts are strings that React renders as text.
    const hostile = parseSnippet('&lt;img src=x onerror=alert(1)&gt; <mark>&lt;script&gt;</mark>');
    expect(hostile.map((p) => p.text).join('')).toBe('<img src=x onerror=alert(1)> <script>');
  });

  it('copes with unicode, empty and odd input', () => {
    expect(parseSnippet('<mark>Grüße</mark> aus Köln')).toEqual([
      { text: 'Grüße', marked: true },
      { text: ' aus Köln', marked: false },
    ]);
    expect(parseSnippet('')).toEqual([]);
    expect(parseSnippet('<mark></mark>')).toEqual([]);
    expect(unescapeHtml('&unknown; &#0; &#x110000; &#65;')).toBe('&unknown; &#0; &#x110000; A');
  });
});
