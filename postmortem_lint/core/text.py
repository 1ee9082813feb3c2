"""Small text helpers shared by the builder and the rules."""

from __future__ import annotations

import functools
import re
import unicodedata

LOWER_TO_ASCII = "\u0130\u212a"
"""The non-ASCII characters whose `str.lower` holds an ASCII one (`İ` -> `i̇`, the Kelvin sign -> `k`)."""
CASEFOLD_TO_ASCII = "\u00df\u0130\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
"""The non-ASCII characters whose `str.casefold` holds an ASCII one (`ß` -> `ss`, `ſ` -> `s`, `ﬁ` -> `fi` …)."""


_PAREN_SUFFIX = re.compile(r"(?<!\s)\s*\([^()]*\)\s*$")
_NON_WORD = re.compile(r"[^\w]+")
_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_EMPHASIS = re.compile(r"[*_](?:(?<=\*)\*|(?<=_)_|(?<!\w.)(?!\s)|(?<!\s.)(?!\w))")
"""An emphasis mark: `**`, `__`, or a `*` or `_` that opens (no word before it, no space after) or closes (no space
before, no word after). The mark comes first, so that the regex engine skips to one (with the look-behinds first it
tried every position); each look-behind takes the mark in with `.` (a property test compares)."""
LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_BARE_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")
"""LINK less its image's `!`: the regex engine skips straight to each `[` (LINK's optional `!` makes it try every position)."""
_CODE = re.compile(r"`+([^`\n]*)`+")
SYMBOLS = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Emoji, and invisible zero-width and bidi-control characters (pasted artefacts, never content)."""


_ASCII_BYTES = bytes(range(128))


def non_ascii(text: str) -> str:
    """The characters of ``text`` that are not ASCII, in order: its UTF-8 bytes less the ASCII ones, which no
    multi-byte sequence holds (~17 µs for a 10 KB document with a few dashes and quotes, where a regex search for them takes
    ~130 µs: a negated class gives the regex engine nothing to skip to)."""
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


@functools.lru_cache(maxsize=4096)
def heading_key(text: str) -> str:
    """Normalise a heading for matching: 'Why It Happened (5 Whys)' -> 'why it happened'.

    Cached: rules ask for the same table headers and section titles many times per file.
    """
    text = strip_inline(text)
    text = _PAREN_SUFFIX.sub("", text)
    text = _LEADING_NUMBER.sub("", text.strip())
    return " ".join(_NON_WORD.sub(" ", text.casefold()).replace("_", " ").split())


def strip_inline(text: str) -> str:
    """Inline Markdown to plain text: drop emphasis, code ticks, link targets, emoji."""
    if "[" in text:
        text = unlinked(text)
    if "`" in text:
        text = _CODE.sub(r"\1", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    return text.strip() if text.isascii() else SYMBOLS.sub("", text).strip()


def unlinked(text: str) -> str:
    """``LINK.sub(r"\\1", text)``: each link (and image) as its text, found faster.

    LINK's optional `!` makes the regex engine try it at every position of the text (about 150 instructions a
    character); `_BARE_LINK`, LINK less the `!`, is tried only at each `[`. LINK matches exactly where `_BARE_LINK`
    does, from one character earlier when a `!` comes just before (that `!` is never in the previous match, which
    ends with `)`), so those are the spans replaced (a property test compares the two).
    """
    pieces: list[str] = []
    at = 0
    for match in _BARE_LINK.finditer(text):
        start = match.start()
        if start > 0 and text[start - 1] == "!":
            start -= 1
        pieces += (text[at:start], match.group(1))
        at = match.end()
    pieces.append(text[at:])
    return "".join(pieces)


def fold(text: str) -> str:
    """ASCII-fold and lowercase: 'Zoë Ødegård' -> 'zoe odegard'."""
    normal = unicodedata.normalize("NFKD", text)
    return normal.encode("ascii", "ignore").decode("ascii").casefold()


def printable(text: str) -> str:
    """``text`` as it is when it prints on one line, else with Python's escapes (a newline or control character)."""
    return text if text.isprintable() else repr(text)[1:-1]


def fill_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with each span ``(start, end, fill)`` overwritten by its fill character; an earlier span wins an overlap."""
    pieces: list[str] = []
    at = 0
    for start, end, fill in sorted(spans):
        if end > at:
            pieces += (text[at : max(at, start)], fill * (end - max(at, start)))
            at = end
    pieces.append(text[at:])
    return "".join(pieces)
