"""Search queries parsed by us, never handed to a full-text engine as syntax.

A person's query becomes a list of terms: words, "quoted phrases" and prefixes (`word*`).
Each term is reduced to tokens of letters and digits, so no character of the input ever
reaches FTS5 or `to_tsquery` as an operator; the engines then get a query we wrote:

- FTS5: `"tok1 tok2" "tok"*` (phrases and prefix strings, implicitly ANDed);
- PostgreSQL: `'tok1' <-> 'tok2' & 'tok':*`.

Folding is ours too (`fold`, `search_words`): case, accents and other combining marks go the
same way on both backends. Each segment stores its folded words (`segments.search_text`,
written by `search_text()` whenever the text is set) and the engines index that; the query's
words are folded by the same function. So `muller` finds `Müller`, `STRASSE` finds `Straße`
and `ha noi` finds `Hà Nội` on SQLite and on PostgreSQL alike (docs/decisions/0071).

Highlighting is done here too, on the stored text, so both backends show the same snippet; it
marks the original (accented) words.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


# Letters that carry a stroke or are ligatures: NFKD does not split them, people type them
# without (Vietnamese đ, Polish ł, Danish ø, French œ). The same few that `unaccent` folds.
_NO_DECOMPOSITION = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "Ŧ": "T",
        "\u0131": "i",  # dotless i
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
    }
)


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).translate(_NO_DECOMPOSITION)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def fold(text: str) -> str:
    """The text as search compares it: compatibility forms split (NFKD), every combining mark
    dropped (accents, tone marks, Arabic and Hebrew vowel points, Indic vowel signs), a few
    stroked letters and ligatures spelled plainly, then case-folded (`ß` is `ss`).

    Character by character: `fold(a + b) == fold(a) + fold(b)`, which the highlighter uses to
    find the original word behind a folded one."""
    if text.isascii():
        return text.lower()
    folded = _without_marks(text).casefold()
    # Case folding can make new decomposable letters (`İ` is `i` + a dot above).
    return folded if folded.isascii() else _without_marks(folded)


def search_words(text: str) -> list[str]:
    """The words of `text` as both engines index and query them: runs of letters and digits of
    the folded text."""
    return _TOKEN.findall(fold(text))


def search_text(text: str) -> str:
    """What `segments.search_text` holds for a segment's text: its folded words, one space
    apart, so the engines' own tokenizers find exactly these words and nothing else."""
    return " ".join(search_words(text))


def parse_query(raw: str) -> SearchQuery:
    """Words, "phrases" and prefixes (`word*`); everything else is treated as a separator.
    Long queries are cut at `MAX_QUERY_CHARS` characters and `MAX_TERMS` terms."""
    raw = raw[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    seen: set[Term] = set()
    for match in _TERM.finditer(raw):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            tokens = search_words(quoted)
            prefix = False
        else:
            tokens = search_words(bare)
            prefix = bare.endswith("*") and bool(tokens) and bare.rstrip("*")[-1:].isalnum()
        if not tokens:
            continue
        term = Term(tuple(tokens), prefix)
        if term not in seen:
            seen.add(term)
            terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    return SearchQuery(tuple(terms))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of `text`, in the original text's positions: a
    word spans from its first letter to its last one, with the marks that follow it."""
    folded: list[str] = []
    origin: list[int] = []  # for each folded character, the index of its original character
    for i, char in enumerate(text):
        out = char.lower() if char.isascii() else _fold_char(char)
        folded.append(out)
        origin.extend([i] * len(out))
    flat = "".join(folded)
    spans = []
    for match in _TOKEN.finditer(flat):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        while end < len(text) and not folded[end]:  # a dropped mark belongs to its letter
            end += 1
        spans.append((start, end, match.group()))
    return spans


def highlight(text: str, query: SearchQuery, max_chars: int = SNIPPET_CHARS) -> str:
    """The text around the first match, HTML-escaped, with matching words in <mark>: the
    original words (`Müller`), found by their folded form (`muller`)."""
    text = unicodedata.normalize("NFC", text)
    exact: set[str] = set()
    prefixes: list[str] = []
    for term in query.terms:
        for i, token in enumerate(term.tokens):
            if term.prefix and i == len(term.tokens) - 1:
                prefixes.append(token)
            else:
                exact.add(token)
    spans: list[tuple[int, int]] = []
    for word_start, word_end, folded in _word_spans(text):
        if folded in exact or any(folded.startswith(p) for p in prefixes):
            if spans and spans[-1][1] > word_start:  # one original word, several folded ones
                spans[-1] = (spans[-1][0], max(spans[-1][1], word_end))
            else:
                spans.append((word_start, word_end))
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
