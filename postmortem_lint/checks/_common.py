"""Helpers the document rules share: content, ordered lists, line prefilters (and the placeholders of `core.placeholders`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

from postmortem_lint.core.memo import keep_last
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Block, Heading, Html, ListBlock, ThematicBreak


def has_content(blocks: tuple[Block, ...]) -> bool:
    """True when any block is something other than a heading or an HTML comment."""
    for block in blocks:
        if isinstance(block, (Heading, ThematicBreak)):
            continue
        if isinstance(block, Html) and block.text.strip().startswith("<!--"):
            continue
        return True
    return False


def ordered_lists(blocks: tuple[Block, ...]) -> Iterator[ListBlock]:
    for block in flatten(blocks):
        if isinstance(block, ListBlock) and block.ordered:
            yield block


def lines_containing(text: str, literals: Iterable[str]) -> list[int]:
    """1-based numbers of the lines of ``text`` holding one of ``literals``, in order, once each.

    A speed-only prefilter for rules that then match each candidate line in full. Each literal is
    looked for once per line: after a hit its search goes on at the next line (a line full of ``[``
    costs one search, not one per bracket). One `str.find` scan per literal measured cheaper than one regex search
    per candidate line over an alternation of them, even for PM401's literals that open with characters rare in prose
    (`[`, `<`), and much cheaper for literals that open with common letters (PM408's `token`).
    """
    starts: set[int] = set()
    for literal in dict.fromkeys(literals):
        if not literal:
            return list(range(1, text.count("\n") + 2))
        at = _first(text, literal)
        while at >= 0:
            starts.add(at)
            end = text.find("\n", at)
            if end < 0:
                break
            at = text.find(literal, end + 1)
    numbers: list[int] = []
    line, position = 1, 0
    for at in sorted(starts):
        line += text.count("\n", position, at)
        position = at
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


def _first(text: str, literal: str) -> int:
    """``text.find(literal)``, sooner: at once when one of the literal's rarest characters is missing from ``text``.

    `str.find` looks for a character alone with ``memchr`` (a 10 KB text in ~0.2 µs) but for a literal of a few
    characters goes through the text at ~0.6 ns a character (~6 µs), and most literals of the rules' prefilters are
    in no line of a document. Where a character is first seen also bounds where the literal can start. A literal led
    by a character rarer than lower-case letters is then searched for as a regex led by that character, which the
    regex engine skips to about twice as fast as `str.find` goes (a property test compares the two).
    """
    checks, pattern, lead = _plan(literal)
    at = 0
    for char, index in checks:
        seen = text.find(char)
        if seen < 0:
            return -1
        at = max(at, seen - index)
    if pattern is None:
        return text.find(literal, at)
    found = pattern.search(text, at + lead)
    return found.start() - lead if found is not None else -1


@functools.lru_cache(maxsize=1024)
def _plan(literal: str) -> tuple[tuple[tuple[str, int], ...], re.Pattern[str] | None, int]:
    """How `_first` looks for ``literal``: its two characters least common in English prose (`_rarity`), each with where
    it first is in it (none for one character: `str.find` looks for it alone already); the literal as a regex led by the
    rarest, found at its place in the literal, when that one is not a lower-case letter (None otherwise); that place."""
    if len(literal) < 2:
        return (), None, 0
    chars = sorted(dict.fromkeys(literal), key=_rarity)[:2]
    checks = tuple((char, literal.index(char)) for char in chars)
    rarest, lead = checks[0]
    if _rarity(rarest) >= _LOWER_CASE:
        return checks, None, 0
    behind = f"(?<={re.escape(literal[: lead + 1])})" if lead else ""
    return checks, re.compile(re.escape(rarest) + behind + re.escape(literal[lead + 1 :])), lead


_LETTERS_BY_FREQUENCY = "etaoinshrdlcumwfgypbvkjxqz"
"""English letters, the most frequent first."""
_LOWER_CASE = 100
"""The `_rarity` of the rarest lower-case letter."""


def _rarity(char: str) -> int:
    """How common ``char`` is expected to be in a post-mortem's text, for `_plan` (higher: more common): blanks, then
    lower-case letters by their English frequency, then Markdown's punctuation and digits, then capitals, then the rest."""
    if char in " \n\t":
        return 200
    if char.isascii() and char.islower():
        return _LOWER_CASE + 26 - _LETTERS_BY_FREQUENCY.index(char)
    if char in "0123456789.,-:|*/()[]#'\"`":
        return 80
    if char.isascii() and char.isupper():
        return 50 + 26 - _LETTERS_BY_FREQUENCY.index(char.lower())
    return 0


def folded_lines_containing(text: str, literals: Iterable[str], fold: Callable[[str], str], to_ascii: str) -> list[int]:
    """``lines_containing(fold(text), literals)``, without folding a text that is not ASCII when the literals are.

    ``fold`` maps each character on its own (`str.lower`, `str.casefold`) and ``to_ascii`` holds every non-ASCII
    character it maps to something holding an ASCII one. When ``text`` holds none of them, the ASCII characters of
    ``fold(text)`` are those of ``text`` lowered, in the same runs, between the folds of its other characters, none
    ASCII; in ``text``'s UTF-8 bytes lowered (`bytes.lower` changes ASCII letters only) each of those other characters
    is bytes of 0x80 and up instead. So an ASCII literal is on the same lines of both (a test compares). Folding a text
    with non-ASCII characters costs ~55 instructions a character; encoding and lowering it ~18.
    """
    literals = tuple(literals)
    if text.isascii() or not all(literal.isascii() for literal in literals) or any(char in text for char in to_ascii):
        return lines_containing(fold(text), literals)
    return lines_containing(_lowered_bytes(text), literals)


@keep_last
def _lowered_bytes(text: str) -> str:
    """``text``'s UTF-8 bytes lowered, read as Latin-1 (one character a byte); kept: PM407 and PM408 ask of one
    document's text in turn."""
    return text.encode().lower().decode("latin-1")
