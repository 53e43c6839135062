"""A small text normaliser for word error rates (Whisper's EnglishTextNormalizer is not
installed): case, punctuation, apostrophes, hyphens, fillers, titles and numbers."""

from __future__ import annotations

import re
import unicodedata

import jiwer

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_FILLERS = {"um", "umm", "uh", "uhm", "er", "erm", "ah", "hmm", "mm", "mmm", "mhm", "huh"}
_SPELLINGS = {
    "mr": "mister",
    "mrs": "missus",
    "dr": "doctor",
    "yknow": "you know",
    "alright": "all right",
    "ok": "okay",
}


def number_words(n: int) -> str:
    """English words for 0 <= n < 1,000,000; years 1100-1999 read as pairs ("eighteen thirteen")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    if 1100 <= n < 2000 and n % 100 != 0:
        hi, lo = divmod(n, 100)
        return number_words(hi) + " " + (("oh " + _ONES[lo]) if lo < 10 else number_words(lo))
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    thousands, rest = divmod(n, 1000)
    return number_words(thousands) + " thousand" + ("" if rest == 0 else " " + number_words(rest))


def ordinal_words(n: int) -> str:
    words = number_words(n).split()
    last = words[-1]
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*words[:-1], last])


def _numbers(text: str) -> str:
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(
        r"\b(\d+)(st|nd|rd|th)\b", lambda m: " " + ordinal_words(int(m.group(1))) + " ", text
    )
    return re.sub(r"\d+", lambda m: " " + number_words(int(m.group(0))) + " ", text)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2018\u2019'`]", "", text)  # lion's -> lions, i'm -> im (both sides)
    text = _numbers(text)
    text = re.sub(r"[^\w\s]|_", " ", text)  # punctuation, hyphens and dashes become spaces
    words = []
    for word in text.split():
        if word in _FILLERS:
            continue
        words.append(_SPELLINGS.get(word, word))
    return " ".join(words)


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return float(jiwer.wer(ref, hyp))
