"""Helpers the document rules share: content, ordered lists, a line prefilter (and the placeholders of `core.placeholders`)."""

from __future__ import annotations

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

    A speed-only prefilter for rules that then match each candidate line in full.
    """
    starts = sorted(at for literal in literals for at in _find_all(text, literal))
    numbers: list[int] = []
    line, position = 1, 0
    for at in starts:
        line += text.count("\n", position, at)
        position = at
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


def _find_all(text: str, literal: str) -> Iterator[int]:
    at = text.find(literal)
    while at >= 0:
        yield at
        at = text.find(literal, at + 1)
