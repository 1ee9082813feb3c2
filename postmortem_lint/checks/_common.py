"""Helpers the checks share: placeholders, content, ordered lists, a line prefilter, a memo.

The document model is imported by the helpers that walk blocks, not with this
module: the repository rules use `is_placeholder` over cached results, where
no document is built.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from postmortem_lint.document.model import Block, ListBlock

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
    from postmortem_lint.document.model import Heading, Html, ThematicBreak

    for block in blocks:
        if isinstance(block, (Heading, ThematicBreak)):
            continue
        if isinstance(block, Html) and block.text.strip().startswith("<!--"):
            continue
        return True
    return False


def ordered_lists(blocks: tuple[Block, ...]) -> Iterator[ListBlock]:
    from postmortem_lint.document.build import flatten
    from postmortem_lint.document.model import ListBlock

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


_P = ParamSpec("_P")
_R = TypeVar("_R")


def keep_last(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Keep ``function``'s last answer, for the same arguments (compared by identity).

    For what several rules ask of one document in turn: documents and contexts are
    immutable, and the engine runs every rule on one document before the next.
    """
    last: list[Any] = []

    @functools.wraps(function)
    def kept(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if last and not kwargs and len(last[0]) == len(args) and all(a is b for a, b in zip(last[0], args, strict=True)):
            return last[1]  # type: ignore[no-any-return]
        answer = function(*args, **kwargs)
        last[:] = [args, answer]
        return answer

    return kept
