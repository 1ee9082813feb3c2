"""The typed, immutable document model every rule reads.

Plain frozen dataclasses with slots: building them is on the hot path (one model
per file, ten thousand files in a large archive) and, unlike pydantic models, they
cost nothing to import (see NOTES.md). Pydantic guards what users write instead:
configuration and rule packs. All line numbers are 1-based.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TypeVar

from postmortem_lint.document.source import Source
from postmortem_lint.document.suppression import Suppression

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Block:
    """A block of the Markdown source spanning ``line``..``end_line``."""

    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Heading(Block):
    level: int
    text: str
    setext: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph(Block):
    text: str


@dataclass(frozen=True, slots=True)
class Code(Block):
    info: str
    text: str


@dataclass(frozen=True, slots=True)
class Html(Block):
    text: str


@dataclass(frozen=True, slots=True)
class ThematicBreak(Block):
    pass


@dataclass(frozen=True, slots=True)
class ListItem(Block):
    """One list item; ``checked`` is None unless it is a task item (``- [ ]``)."""

    text: str
    checked: bool | None
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock(Block):
    ordered: bool
    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class Quote(Block):
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its stripped text and the 1-based column where it starts."""

    text: str
    column: int


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    cells: tuple[Cell, ...]

    def cell(self, index: int) -> Cell:
        """The cell at ``index``, or an empty one past the end of a short row."""
        if index < len(self.cells):
            return self.cells[index]
        return Cell("", 1)


@dataclass(frozen=True, slots=True)
class Table(Block):
    header: Row
    rows: tuple[Row, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(cell.text for cell in self.header.cells)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what follows it up to the next heading of its level or higher.

    ``blocks`` is the section's own content (before its first subsection).
    ``key`` is the normalised heading used to match the template's names.
    """

    heading: Heading
    key: str
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...]
    end_line: int

    @property
    def line(self) -> int:
        return self.heading.line

    def subsection(self, key: str) -> Section | None:
        return next((sub for sub in self.subsections if sub.key == key), None)

    def all_blocks(self) -> tuple[Block, ...]:
        """Own blocks followed by every subsection's, in document order."""
        blocks = list(self.blocks)
        for sub in self.subsections:
            blocks.append(sub.heading)
            blocks.extend(sub.all_blocks())
        return tuple(blocks)


@dataclass(frozen=True, slots=True)
class Field:
    """A header field such as ``**Severity:** SEV-2``.

    ``key`` is canonical (``severity``); ``label`` is as written (``Severity``);
    ``value`` is cleaned of emphasis, emoji and trailing spaces; ``raw`` is as written.
    """

    key: str
    label: str
    value: str
    raw: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ActionItem:
    row: Row
    id: Cell
    action: Cell
    owner: Cell
    priority: Cell
    due: Cell
    status: Cell


@dataclass(frozen=True, slots=True)
class PostMortem:
    """One post-mortem: its source, blocks, sections and the parts rules ask about."""

    path: str
    source: Source
    blocks: tuple[Block, ...]
    title: Heading | None
    h1s: tuple[Heading, ...]
    preamble: tuple[Block, ...]
    sections: tuple[Section, ...]
    fields: dict[str, Field]
    suppressions: tuple[Suppression, ...]
    front_matter_lines: int = 0
    status: str | None = None
    people: frozenset[str] = field(default_factory=frozenset)

    def section(self, key: str) -> Section | None:
        """The first ``##`` section whose normalised heading is ``key``."""
        return next((s for s in self.sections if s.key == key), None)

    def subsection(self, section: str, sub: str) -> Section | None:
        parent = self.section(section)
        return parent.subsection(sub) if parent else None

    @property
    def strict(self) -> bool:
        """Completeness rules are errors unless the document is a Draft."""
        return self.status != "Draft"


def quick_init(cls: type[_T]) -> Callable[..., _T]:
    """A constructor for the frozen slotted dataclass ``cls`` that stores each field straight into its slot.

    A frozen dataclass's ``__init__`` must go through ``object.__setattr__`` once per field; `parse`
    builds a few hundred blocks, items and cells per file, and this way costs about half as much
    (measured: 270 ns instead of 490 for a `Cell`). It takes every field, positionally, in order;
    tests/doc_perf_model_init_test.py checks that it builds what ``cls(...)`` builds (for the template reader's
    classes too).
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, object] = {"_new": object.__new__, "_cls": cls}
    namespace.update({f"_set_{name}": getattr(cls, name).__set__ for name in names})
    body = "".join(f"    _set_{name}(obj, {name})\n" for name in names)
    exec(f"def make({', '.join(names)}):\n    obj = _new(_cls)\n{body}    return obj\n", namespace)
    make = namespace["make"]
    assert callable(make)
    return make


new_heading = quick_init(Heading)
new_paragraph = quick_init(Paragraph)
new_list_item = quick_init(ListItem)
new_cell = quick_init(Cell)
new_row = quick_init(Row)
new_section = quick_init(Section)
new_list_block = quick_init(ListBlock)
"""Quick constructors (`quick_init`) of the classes `parse` makes most of."""
