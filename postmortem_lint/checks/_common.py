"""Helpers the document rules share: content, ordered lists, a line prefilter (and the placeholders of `core.placeholders`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

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
    costs one search, not one per bracket).
    """
    starts: set[int] = set()
    for literal in dict.fromkeys(literals):
        if not literal:
            return list(range(1, text.count("\n") + 2))
        at = text.find(literal)
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


@functools.lru_cache(maxsize=64)
def literal_pattern(literals: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern that matches each of ``literals`` and nothing else (for `lines_matching`; compiled once per tuple)."""
    return re.compile("|".join(re.escape(literal) for literal in literals) if literals else "(?!)")


def lines_matching(text: str, pattern: re.Pattern[str]) -> list[int]:
    """1-based numbers of the lines of ``text`` where a match of ``pattern`` starts, in order, once each.

    With ``literal_pattern(literals)`` these are the lines of ``lines_containing(text, literals)``: a search from a
    line's start finds the first literal at or after it, and after a hit the next search starts at the next line (a
    property test compares the two). One search per such line instead of one scan of the text per literal is faster
    when the literals start with characters rare in prose, which the regex engine skips to (PM401's `[`, `<`, `TBD`,
    `HH:MM`), and slower when they start with common letters (PM408's `token`, PM407's phrases).
    """
    numbers: list[int] = []
    line, counted, at = 1, 0, 0
    while (found := pattern.search(text, at)) is not None:
        start = found.start()
        line += text.count("\n", counted, start)
        counted = start
        numbers.append(line)
        at = text.find("\n", start) + 1
        if not at:
            break
    return numbers
