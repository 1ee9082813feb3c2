"""Helpers the document rules share: placeholders, content, ordered lists, a line prefilter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Block, Heading, Html, ListBlock, ThematicBreak

PLACEHOLDER = re.compile(
    r"(?<!\])\$?\[(?!\s?\]|[xX]\]|INC-|\^|!|\d+\])([^\[\]\n]{1,80})\](?![(\[:])"
    r"|\b(?:HH:MM|YYYY-MM-DD)\b"
    r"|\b(?:Yes/No|None/Partial/Complete|Excellent/Good/Adequate/Poor)\b"
    r"|Draft \| Under Review \| Final \| Closed"
)
"""The scaffold's fill-in tokens. Links (inline and `[text][ref]`), task boxes, footnotes and [INC-…] references are not."""
PLACEHOLDER_LITERALS = (
    *("[", "HH:MM", "YYYY-MM-DD", "Yes/No"),
    *("None/Partial/Complete", "Excellent/Good/Adequate/Poor", "Draft | Under Review"),
)
"""One of these is in every PLACEHOLDER match (a speed-only prefilter)."""

_INLINE_CODE = re.compile(r"`[^`\n]*`")


def placeholders(text: str) -> Iterator[re.Match[str]]:
    """Placeholder tokens in ``text``, skipping inline code spans and URLs."""
    if "[" not in text and "HH" not in text and "YYYY" not in text and "/" not in text and "|" not in text:
        return
    masked = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in PLACEHOLDER.finditer(masked):
        if "://" not in match.group(0):
            yield match


def is_placeholder(text: str) -> bool:
    """True when ``text`` is nothing but placeholders (``[Name]``, ``HH:MM``)."""
    stripped = PLACEHOLDER.sub("", text).strip(" *_`$")
    return bool(text.strip()) and not stripped


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
