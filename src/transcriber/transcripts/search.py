"""Search queries parsed by us, never handed to a full-text engine as syntax.

A person's query becomes a list of terms: words, "quoted phrases" and prefixes (`word*`).
Each term is reduced to tokens of letters and digits, so no character of the input ever
reaches FTS5 or `to_tsquery` as an operator; the engines then get a query we wrote:

- FTS5: `"tok1 tok2" "tok"*` (phrases and prefix strings, implicitly ANDed);
- PostgreSQL: `'tok1' <-> 'tok2' & 'tok':*`.

Highlighting is done here too, on the stored text, so both backends show the same snippet.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_TERMS = 20
SNIPPET_CHARS = 240

_TOKEN = re.compile(r"[^\W_]+")
_TERM = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        parts = []
        for term in self.terms:
            phrase = '"' + " ".join(term.tokens) + '"'
            parts.append(phrase + "*" if term.prefix else phrase)
        return " ".join(parts)

    def tsquery(self) -> str:
        parts = []
        for term in self.terms:
            lexemes = [f"'{token}'" for token in term.tokens]
            if term.prefix:
                lexemes[-1] += ":*"
            parts.append("(" + " <-> ".join(lexemes) + ")")
        return " & ".join(parts)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text))


def parse_query(raw: str) -> SearchQuery:
    """Words, "phrases" and prefixes (`word*`); everything else is treated as a separator.
    Long queries are cut at `MAX_QUERY_CHARS` characters and `MAX_TERMS` terms."""
    raw = raw[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    seen: set[Term] = set()
    for match in _TERM.finditer(raw):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            tokens = _tokens(quoted)
            prefix = False
        else:
            tokens = _tokens(bare)
            prefix = bare.endswith("*") and bool(tokens) and bare.rstrip("*")[-1:].isalnum()
        if not tokens:
            continue
        term = Term(tuple(t.lower() for t in tokens), prefix)
        if term not in seen:
            seen.add(term)
            terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    return SearchQuery(tuple(terms))


def _fold(token: str) -> str:
    """Case and diacritics folded, close to FTS5's `remove_diacritics 2`."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def highlight(text: str, query: SearchQuery, max_chars: int = SNIPPET_CHARS) -> str:
    """The text around the first match, HTML-escaped, with matching words in <mark>."""
    text = unicodedata.normalize("NFC", text)
    exact: set[str] = set()
    prefixes: list[str] = []
    for term in query.terms:
        for i, token in enumerate(term.tokens):
            if term.prefix and i == len(term.tokens) - 1:
                prefixes.append(_fold(token))
            else:
                exact.add(_fold(token))
    spans = []
    for match in _TOKEN.finditer(text):
        folded = _fold(match.group())
        if folded in exact or any(folded.startswith(p) for p in prefixes):
            spans.append((match.start(), match.end()))
    start, end = 0, len(text)
    if len(text) > max_chars:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - max_chars // 3, len(text) - max_chars))
        end = start + max_chars
    out = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        out.append(html.escape(text[cursor:span_start]))
        out.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    out.append(html.escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
