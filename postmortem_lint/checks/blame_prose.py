"""The prose of a post-mortem that the blame rules read, joined into one text.

Paragraphs, list items, table cells (not the header row), headings and the values of
YAML front matter (where some archives keep all of their prose: ``summary: ...``) are
read; code blocks never, and block quotes are left out as quotations (a customer's
email, a policy, a Slack message), like quoted text inside a sentence.

Blocks end with an empty line, so no sentence runs from one into the next. Only blocks
are recorded: the line a hit lands on is worked out when there is a hit (most documents
have none).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from postmortem_lint.document.model import Block, Cell, Heading, ListBlock, Paragraph, PostMortem, Table, new_paragraph


class Piece(NamedTuple):
    """A line of prose: where it starts in the joined text and in the source.

    ``column`` is 0 for a paragraph line, whose column is looked up in the source
    only when a hit lands on it (most lines have none).
    """

    offset: int
    line: int
    column: int
    text: str


Source = Paragraph | tuple[int, Cell]
"""Where a block of prose came from: a paragraph (or a heading or front-matter value read as
one), or a table cell or one-line front-matter value with the line it is on."""


class Prose(NamedTuple):
    """All prose of a document joined into one text, with where each block came from."""

    text: str
    texts: list[str]
    sources: list[Source]

    def starts(self) -> list[int]:
        """Where each block starts in ``text``."""
        return list(itertools.accumulate((len(text) + 2 for text in self.texts[:-1]), initial=0))

    def piece(self, starts: list[int], at: int) -> Piece:
        index = bisect.bisect_right(starts, at) - 1
        offset, source, text = starts[index], self.sources[index], self.texts[index]
        if not isinstance(source, Paragraph):
            return Piece(offset, source[0], source[1].column, text)
        begin = text.rfind("\n", 0, at - offset) + 1
        end = text.find("\n", begin)
        return Piece(offset + begin, source.line + text.count("\n", 0, begin), 0, text[begin : end if end >= 0 else None])


def prose(doc: PostMortem) -> Prose:
    """The document's prose: front-matter values first, then its blocks in order."""
    pairs = list(front_matter(doc.source.lines, doc.front_matter_lines))
    texts = [text for _, text in pairs]
    sources = [source for source, _ in pairs]
    _collect(doc.blocks, texts, sources)
    return Prose("\n\n".join(texts) + "\n" if texts else "", texts, sources)


def _collect(blocks: Iterable[Block], texts: list[str], sources: list[Source]) -> None:
    """Append the prose of ``blocks`` (text and where it came from) to ``texts`` and ``sources``.

    A loop that appends rather than a generator that yields: a document has hundreds of
    prose blocks, nested in lists, and each ``yield from`` level costs on every one.
    """
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
            sources.append(block)
        elif isinstance(block, Heading) and block.text.strip():
            texts.append(block.text)
            sources.append(new_paragraph(block.line, block.line, block.text))
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    texts.append(cell.text)
                    sources.append((row.line, cell))
        elif isinstance(block, ListBlock):
            for item in block.items:
                _collect(item.children, texts, sources)


# --- front matter -------------------------------------------------------------------------------

_KEY = re.compile(r"^(\s*)(?:-\s+)?[\w.-]+\s*:(?:\s+|$)")
_ITEM = re.compile(r"^(\s*)-\s+")
_BLOCK_SCALAR = re.compile(r"^[|>][+-]?\d*\s*(?:#.*)?$")


def front_matter(lines: tuple[str, ...], count: int) -> Iterator[tuple[Source, str]]:
    """Scalar values of YAML front matter (lines 2 to ``count - 1``), as prose.

    ``key: value`` gives the value at its column, and so does a list item of five words
    or more (shorter ones are tags and categories: ``- human error``); a block scalar
    (``key: |``) or a plain value continued on more-indented lines gives a paragraph of its
    lines. This reads text, it does not validate YAML.
    """
    number = 2
    while number < count:
        line = lines[number - 1]
        m = _KEY.match(line) or _ITEM.match(line)
        if m is None:
            number += 1
            continue
        indent = len(m.group(1))
        value = line[m.end() :]
        following = _continuation(lines, number + 1, count, indent)
        if _BLOCK_SCALAR.match(value.strip()) and following:
            yield _paragraph(lines, following)
        elif value.strip() and value.strip()[0] not in "[{&*!|>#" and (_KEY.match(line) or len(value.split()) >= 5):
            if following:
                yield _paragraph(lines, [number, *following], start=m.end())
            else:
                yield _value(number, value, m.end())
        number = (following[-1] if following else number) + 1


def _continuation(lines: tuple[str, ...], number: int, count: int, indent: int) -> list[int]:
    """Line numbers after a key that belong to its value: blank or more indented (not new keys or items)."""
    found: list[int] = []
    while number < count:
        line = lines[number - 1]
        if line.strip() and (len(line) - len(line.lstrip()) <= indent or (_ITEM.match(line) and not found)):
            break
        if line.strip():
            found.append(number)
        number += 1
    return found


def _value(number: int, value: str, column: int) -> tuple[Source, str]:
    """One-line value; quotes and a trailing comment stripped, its column kept."""
    text = value.rstrip()
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text, lead = text[1:-1], lead + 1
    return (number, Cell(text=text, column=column + lead + 1)), text


def _paragraph(lines: tuple[str, ...], numbers: list[int], start: int = 0) -> tuple[Source, str]:
    parts = [lines[numbers[0] - 1][start:].strip(), *(lines[n - 1].strip() for n in numbers[1:])]
    text = "\n".join(part for part in parts if part)
    return Paragraph(numbers[0], numbers[-1], text), text
