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
    costs one search, not one per bracket). Most literals are in no line of a document, so what counts is the cost of
    going through the whole text: `str.find` takes ~6 µs for a literal of a few characters over 10 KB (~0.6 ns a
    character), whatever the literal; the regex engine skips to a literal's first character about twice as fast when
    that character is rare, and goes slower when it is a common letter. So the literals holding a character rarer than
    lower-case letters are found together, by one regex of them each led by its rarest character (`_searches`), the
    others by `str.find` (a property test compares the two ways).
    """
    together, alone = _searches(tuple(literals))
    if "" in alone:
        return list(range(1, text.count("\n") + 2))
    starts: set[int] = set()
    for literal in alone:
        at = text.find(literal)
        while at >= 0:
            starts.add(at)
            end = text.find("\n", at)
            if end < 0:
                break
            at = text.find(literal, end + 1)
    if together is not None:
        # a match is at a literal's rarest character, on the line where that literal starts (none holds a newline)
        found = together.search(text)
        while found is not None:
            at = found.start()
            starts.add(at)
            end = text.find("\n", at)
            if end < 0:
                break
            found = together.search(text, end + 1)
    numbers: list[int] = []
    line, position = 1, 0
    for at in sorted(starts):
        line += text.count("\n", position, at)
        position = at
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


@functools.lru_cache(maxsize=64)
def _searches(literals: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """How `lines_containing` looks for ``literals``: one regex for those of two characters or more, without a newline,
    that hold a character rarer than lower-case letters (`_rarity`), each written as that character, what comes before
    it in the literal as a look-behind and what comes after (``K(?<=AK)IA``), so that every alternative starts with
    a rare character, which the regex engine skips to; and the others, each searched for alone (an empty literal,
    found in every line, is among them)."""
    together: list[str] = []
    alone: list[str] = []
    for literal in dict.fromkeys(literals):
        lead = min(range(len(literal)), key=lambda i: _rarity(literal[i]), default=0)
        if len(literal) < 2 or "\n" in literal or _rarity(literal[lead]) >= _LOWER_CASE:
            alone.append(literal)
            continue
        behind = f"(?<={re.escape(literal[: lead + 1])})" if lead else ""
        together.append(re.escape(literal[lead]) + behind + re.escape(literal[lead + 1 :]))
    return (re.compile("|".join(together)) if together else None), tuple(alone)


_LETTERS_BY_FREQUENCY = "etaoinshrdlcumwfgypbvkjxqz"
"""English letters, the most frequent first."""
_LOWER_CASE = 100
"""The `_rarity` from which a character is common (every lower-case letter's is above it)."""


def _rarity(char: str) -> int:
    """How common ``char`` is expected to be in a post-mortem's text, for `_searches` (higher: more common): blanks,
    then digits and the punctuation of Markdown's lists, tables, fields and sentences (timelines are full of digits),
    then lower-case letters by their English frequency, then capitals, then brackets, quotes and slashes, then the rest."""
    if char in " \n\t":
        return 200
    if char in "0123456789-|*:.,#":
        return 150
    if char.isascii() and char.islower():
        return _LOWER_CASE + 26 - _LETTERS_BY_FREQUENCY.index(char)
    if char.isascii() and char.isupper():
        return 50 + 26 - _LETTERS_BY_FREQUENCY.index(char.lower())
    if char in "()[]'\"`/":
        return 40
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
