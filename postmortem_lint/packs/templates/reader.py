"""Read a built document through a template pack: its fields, sections, tables, action items, measures and date.

This is what the rules will ask instead of hard-coded seed names (docs/templates.md,
"How the rules read the pack"). Pure functions over `model.PostMortem`; no pydantic,
no YAML. `read(doc, pack)` answers the questions every rule asks (fields, sections)
once per document.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import NamedTuple

from postmortem_lint.core.facts import parse_stamp
from postmortem_lint.core.memo import by_identity, keep_last, keep_last_each
from postmortem_lint.core.text import heading_key
from postmortem_lint.document.build import clean_value, flatten
from postmortem_lint.document.model import Block, Cell, Field, Heading, ListBlock, ListItem, Paragraph, PostMortem, Row, Table, quick_init
from postmortem_lint.packs.templates.runtime import FieldSpec, SectionSpec, TableSpec, TemplatePack, parse_date, regex

ALL_DATE_FORMATS = ("iso-in-text", "month-name", "day.month.year", "month/day/year")

_BOLD_FIELD = re.compile(
    r"^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_:\n]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<value>.*)$"
)
"""`**Key:** value` and `**Key**: value` (as build.py reads them)."""
_KEY_LINE = re.compile(r"^\s{0,3}(?:[-*+]\s+)?(?P<label>[A-Za-z][A-Za-z ]{1,30}?):\s+(?P<value>\S.*)$")
"""`Key: value` on its own line (as build.py reads them)."""
_LABELLED = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:(?:\*\*|__)(?P<bold>[^*_\n]{1,60}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)"
    r"|(?P<plain>[A-Za-z][\w ()/-]{0,60}?)\s*:)\s*(?P<value>.*)$"
)
"""A labelled line in a section, bold or plain, for measures and section-scoped fields."""
_BOLD_LABEL = re.compile(r"^\s{0,3}(?:\*\*|__)(?P<label>[^*_\n]{1,60}?)\s*:?\s*(?:\*\*|__)\s*:?(?P<rest>.*)$")
"""A bold label opening a paragraph (`**Impact**: …`, `**What went well**`): a section written as a field."""
_HEADING_FIELD = re.compile(r"^(?P<label>[^:]{1,40}?)\s*:\s*(?P<value>\S.*)$")
_FRONT_KEY = re.compile(r"^(?P<label>[A-Za-z_][\w -]{0,40}?)\s*:\s*(?P<value>.*)$")
_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")


@dataclass(frozen=True, slots=True)
class FoundField(Field):
    """A header field as written (a `model.Field`), and the ``form`` it was written in (``bold-line``, ``heading`` …)."""

    form: str = ""


@dataclass(frozen=True, slots=True)
class FoundSection:
    """A section of the pack found in the document.

    ``level`` is the heading level (0 for a section written as a bold paragraph);
    ``blocks`` is everything after the heading up to ``end_line``, nested headings and
    subsections included.
    """

    spec: SectionSpec
    label: str
    line: int
    end_line: int
    level: int
    heading: Heading | None
    blocks: tuple[Block, ...]
    subsections: tuple[FoundSection, ...] = ()

    @property
    def own_blocks(self) -> tuple[Block, ...]:
        """The blocks before the first heading inside the section."""
        own: list[Block] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                break
            own.append(block)
        return tuple(own)

    def subsection(self, ref: str) -> FoundSection | None:
        return next((s for s in self.subsections if s.spec.id == ref or s.spec.role == ref), None)

    def walk(self) -> Iterator[FoundSection]:
        yield self
        for sub in self.subsections:
            yield from sub.walk()


new_found_section = quick_init(FoundSection)
new_found_field = quick_init(FoundField)
"""Quick constructors (`model.quick_init`) of what `read` finds in every document: every field given, in order."""


@dataclass(frozen=True, slots=True)
class FoundTable:
    """The first table of a section, with its columns by role (``layout``)."""

    spec: TableSpec
    section: FoundSection
    table: Table
    layout: dict[str, int]

    def cell(self, row: Row, role: str) -> Cell:
        index = self.layout.get(role)
        return row.cell(index) if index is not None else Cell("", 1)


@dataclass(frozen=True, slots=True)
class FoundAction:
    """One action item, from a table row, a bullet or a task-list item (``form``).

    A missing part is an empty `Cell` whose column is where it would go (the end of a
    list item's line). ``checked`` is the task box (None for rows and bullets).
    """

    line: int
    form: str
    action: Cell
    id: Cell
    owner: Cell
    priority: Cell
    due: Cell
    status: Cell
    checked: bool | None = None
    row: Row | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """What a pack finds in one document."""

    fields: dict[str, FoundField]
    sections: tuple[FoundSection, ...]
    unmatched: tuple[Heading, ...]
    header: tuple[Block, ...] = field(default=())
    walked: tuple[FoundSection, ...] | None = field(default=None, repr=False, compare=False)
    """Every section and subsection, depth first (worked out by `read`: the rules ask for it hundreds of times)."""

    def section(self, ref: str) -> FoundSection | None:
        """The first found section or subsection with this role or id."""
        return next((s for s in self.all_sections() if s.spec.role == ref or s.spec.id == ref), None)

    def all_sections(self) -> Iterable[FoundSection]:
        if self.walked is not None:
            return self.walked
        return (s for top in self.sections for s in top.walk())


@keep_last
def read(doc: PostMortem, pack: TemplatePack) -> Reading:
    """Fields and sections of ``doc`` as ``pack`` defines them (the last answer is kept: every rule asks in turn)."""
    sections, unmatched = find_sections(doc, pack)
    header = header_blocks(doc, pack, sections)
    fields = find_fields(doc, pack, sections, header)
    return Reading(fields, sections, unmatched, header, tuple(s for top in sections for s in top.walk()))


@keep_last
def actions(doc: PostMortem, pack: TemplatePack) -> tuple[FoundAction, ...]:
    """`find_actions`, kept for the rules that ask in turn (PM401, PM502–PM506, PM508, PM802, the summary)."""
    return find_actions(doc, pack)


# -- sections ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    """A section whose end is not known yet; ``parent`` is None for a top-level section."""

    spec: SectionSpec
    heading: Heading
    parent: _Open | None
    children: list[FoundSection] = field(default_factory=list)


def _headings(doc: PostMortem) -> list[Heading]:
    return [b for b in doc.blocks if isinstance(b, Heading) and b is not doc.title]


def find_sections(doc: PostMortem, pack: TemplatePack) -> tuple[tuple[FoundSection, ...], tuple[Heading, ...]]:
    """The pack's sections in document order, and the headings that are none of them.

    A heading is first tried as a subsection of the open sections (innermost first), then
    as a top-level section, which closes every open one. A section ends before the next
    heading of its level or higher, or the next top-level section. An H1 that is no
    section of the pack (a stray second title) ends nothing, as in build.py.
    """
    last = doc.blocks[-1].end_line if doc.blocks else 0
    starts = [b.line for b in doc.blocks]
    found: list[FoundSection] = []
    stack: list[_Open] = []
    unmatched: list[Heading] = []

    def close(end: int) -> None:
        entry = stack.pop()
        (entry.parent.children if entry.parent else found).append(_freeze(entry, end, doc, starts))

    for heading in _headings(doc):
        key = section_key(heading.text, heading.level, pack)
        if heading.level == 1 and first_match(pack.sections, key, 1) is None:
            unmatched.append(heading)
            continue
        while stack and stack[-1].heading.level >= heading.level:
            close(heading.line - 1)
        child = _open_child(stack, key, heading)
        if child is not None:
            stack.append(child)
            continue
        spec = first_match(pack.sections, key, heading.level)
        if spec is None:
            unmatched.append(heading)
            continue
        while stack:
            close(heading.line - 1)
        stack.append(_Open(spec, heading, None))
    while stack:
        close(last)
    found = _with_inline(found, pack.sections, lambda: _outside(doc.blocks, found), doc, last)
    return tuple(sorted(found, key=lambda s: s.line)), tuple(unmatched)


_AFTER_TITLE = re.compile(r"(?:\(|\[\[|\[\^).*$")
"""What may follow a section's name in a heading: `Timeline (all times PST) 01/16/2024 - 02/28/2024`, a footnote
link `Timeline [[167]](…)` or `Timeline [^1]`."""


def section_key(text: str, level: int, pack: TemplatePack) -> str:
    """The heading's normalised text, or the part before a parenthesis or footnote link when only that names a section."""
    key = heading_key(text)
    if "(" not in text and "[" not in text:  # nothing `_AFTER_TITLE` could cut (most headings)
        return key
    short = _AFTER_TITLE.sub("", text, count=1).rstrip()
    if short == text or not short.strip():
        return key
    if first_match(pack.all_sections(), key, level) is not None:
        return key
    cut = heading_key(short)
    return cut if first_match(pack.all_sections(), cut, level) is not None else key


@by_identity(50_000)
def first_match(specs: tuple[SectionSpec, ...], key: str, level: int) -> SectionSpec | None:
    """The first of ``specs`` that a heading ``key`` at ``level`` is, worked out once per pack and heading text."""
    return next((s for s in specs if s.matches(key, level)), None)


def _open_child(stack: list[_Open], key: str, heading: Heading) -> _Open | None:
    for parent in reversed(stack):
        spec = first_match(parent.spec.subsections, key, heading.level)
        if spec is not None:
            return _Open(spec, heading, parent)
    return None


def _freeze(entry: _Open, end: int, doc: PostMortem, starts: list[int]) -> FoundSection:
    """The section ``entry`` as found, closed at ``end`` during the scan (its subsections, above it on the stack, are
    closed already). ``starts``: the first line of each of ``doc.blocks`` (in order), to slice its blocks by line."""
    start = entry.heading.line
    blocks = doc.blocks[bisect.bisect_right(starts, start) : bisect.bisect_right(starts, end)]
    subs: tuple[FoundSection, ...] = ()
    if entry.spec.subsections:  # most sections have none to look for: skip the search for bold-paragraph ones
        found = _with_inline(entry.children, entry.spec.subsections, lambda: _outside(blocks, entry.children), doc, end)
        subs = tuple(sorted(found, key=lambda s: s.line))
    return new_found_section(entry.spec, entry.heading.text, start, end, entry.heading.level, entry.heading, blocks, subs)


def _outside(blocks: Iterable[Block], found: list[FoundSection]) -> list[Block]:
    """Blocks not inside a found section (where sections written as bold paragraphs may be)."""
    spans = [(s.line, s.end_line) for s in found]
    return [b for b in blocks if not any(start <= b.line <= end for start, end in spans)]


def _with_inline(
    found: list[FoundSection], specs: tuple[SectionSpec, ...], outside: Callable[[], list[Block]], doc: PostMortem, end: int
) -> list[FoundSection]:
    """Add the `as-field` sections that no heading matched, found as bold paragraphs in the blocks ``outside()`` gives."""
    wanted = [s for s in specs if s.as_field and all(f.spec is not s for f in found)]
    if not wanted:
        return found
    candidates = list(_bold_labels(outside(), doc))
    stops = sorted({line for line, _label in candidates if any(s.matches(heading_key(_label)) for s in specs)})
    stops += [b.line for b in doc.blocks if isinstance(b, Heading)]
    added = list(found)
    for spec in wanted:
        hit = next(((line, label) for line, label in candidates if spec.matches(heading_key(label))), None)
        if hit is None:
            continue
        line, label = hit
        stop = min([s - 1 for s in stops if s > line] + [end, doc.blocks[-1].end_line if doc.blocks else line])
        inner = tuple(b for b in doc.blocks if line <= b.line <= stop)
        added.append(FoundSection(spec, label, line, stop, 0, None, inner))
    return added


def _bold_labels(blocks: list[Block], doc: PostMortem) -> Iterator[tuple[int, str]]:
    for block in blocks:
        if isinstance(block, Paragraph):
            match = _BOLD_LABEL.match(doc.source.line(block.line))
            if match:
                yield block.line, match["label"].strip()


# -- fields ----------------------------------------------------------------------------------------


def header_blocks(doc: PostMortem, pack: TemplatePack, sections: tuple[FoundSection, ...]) -> tuple[Block, ...]:
    """The header area: before the first ``##`` (``preamble``) or before the first section of the pack."""
    if pack.header_area == "preamble":
        stop = next((b.line for b in doc.blocks if isinstance(b, Heading) and b.level == 2), None)
    else:
        stop = sections[0].line if sections else None
    preamble = pack.header_area == "preamble"
    kept: list[Block] = []
    for b in doc.blocks:  # in line order: nothing after ``stop`` is looked at
        if stop is not None and b.line >= stop:
            break
        if not (isinstance(b, Heading) and (b.level == 1 or preamble)):
            kept.append(b)
    return tuple(kept)


def find_fields(
    doc: PostMortem, pack: TemplatePack, sections: tuple[FoundSection, ...], header: tuple[Block, ...]
) -> dict[str, FoundField]:
    """Each field of the pack at the first place in the document it is written (in a form its ``where`` allows)."""
    found: dict[str, FoundField] = {}
    lines: dict[int, list[_FieldLine]] = {}
    for spec in pack.fields:
        area = _area(spec, sections, header)
        if id(area) not in lines:
            lines[id(area)] = _field_lines(doc, area)
        candidates = list(_candidates(doc, spec, area, lines[id(area)]))
        if candidates:
            found[spec.key] = min(candidates, key=lambda f: (f.line, f.column))
    return found


def find_field_anywhere(doc: PostMortem, spec: FieldSpec) -> FoundField | None:
    """The field written as a bold or key line anywhere in the document (where PM202 looks once the header has none)."""
    if "bold-line" not in spec.where and "key-line" not in spec.where:
        return None
    found = list(_line_fields(spec, set(spec.labels), _field_lines(doc, doc.blocks)))
    return min(found, key=lambda f: (f.line, f.column)) if found else None


def _area(spec: FieldSpec, sections: tuple[FoundSection, ...], header: tuple[Block, ...]) -> tuple[Block, ...]:
    if spec.section is None:
        return header
    ref = spec.section
    found = next((s for top in sections for s in top.walk() if s.spec.role == ref or heading_key(ref) in s.spec.labels), None)
    return found.blocks if found else ()


def _candidates(doc: PostMortem, spec: FieldSpec, area: tuple[Block, ...], lines: list[_FieldLine]) -> Iterator[FoundField]:
    """``lines``: `_field_lines` of ``area``."""
    labels = set(spec.labels)
    if "bold-line" in spec.where or "key-line" in spec.where:
        yield from _line_fields(spec, labels, lines)
    if "heading" in spec.where:
        yield from _heading_fields(doc, spec, labels)
    if "section" in spec.where:
        yield from _section_fields(doc, spec, labels)
    if "front-matter" in spec.where:
        yield from _front_matter_fields(doc, spec, labels)
    if "summary-table" in spec.where:
        yield from _table_fields(doc, spec, labels)


class _FieldLine(NamedTuple):
    """A line of a paragraph matched against both line forms of a field, with each match's label normalised."""

    number: int
    bold: re.Match[str] | None
    bold_key: str
    key: re.Match[str] | None
    key_key: str


def _field_lines(doc: PostMortem, area: tuple[Block, ...]) -> list[_FieldLine]:
    """The paragraph lines of ``area``, each matched once: every field of the pack looks through the same header."""
    lines: list[_FieldLine] = []
    for block in flatten(area):
        if not isinstance(block, Paragraph):
            continue
        for number in range(block.line, block.end_line + 1):
            line = doc.source.line(number)
            bold, key = _BOLD_FIELD.match(line), _KEY_LINE.match(line)
            bold_key = heading_key(bold["label"]) if bold else ""
            lines.append(_FieldLine(number, bold, bold_key, key, heading_key(key["label"]) if key else ""))
    return lines


def _line_fields(spec: FieldSpec, labels: set[str], lines: list[_FieldLine]) -> Iterator[FoundField]:
    bold_form, key_form = "bold-line" in spec.where, "key-line" in spec.where
    for line in lines:
        match, label, form = (line.bold, line.bold_key, "bold-line") if bold_form else (None, "", "bold-line")
        if match is None and key_form:
            match, label, form = line.key, line.key_key, "key-line"
        if match is not None and label in labels:
            yield _found(spec, match["label"].strip(), match["value"], line.number, match.start("value") + 1, form)


def _found(spec: FieldSpec, label: str, raw: str, line: int, column: int, form: str) -> FoundField:
    raw = raw.rstrip()
    return new_found_field(spec.key, label, clean_value(raw), raw, line, column, form)


def _heading_fields(doc: PostMortem, spec: FieldSpec, labels: set[str]) -> Iterator[FoundField]:
    for heading in _headings(doc):
        match = _HEADING_FIELD.match(heading.text)
        if match and heading_key(match["label"]) in labels:
            source = doc.source.line(heading.line)
            at = source.find(match["value"])
            yield _found(spec, match["label"].strip(), match["value"], heading.line, at + 1 if at >= 0 else 1, "heading")


def _section_fields(doc: PostMortem, spec: FieldSpec, labels: set[str]) -> Iterator[FoundField]:
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        if not (isinstance(block, Heading) and block is not doc.title and heading_key(block.text) in labels):
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is None or isinstance(following, Heading):
            continue
        line = doc.source.line(following.line)
        marker = _MARKER.match(line)
        start = marker.end() if marker else len(line) - len(line.lstrip())
        if line[start:].strip():
            yield _found(spec, block.text, line[start:], following.line, start + 1, "section")


def _front_matter_fields(doc: PostMortem, spec: FieldSpec, labels: set[str]) -> Iterator[FoundField]:
    for number in range(2, doc.front_matter_lines):
        match = _FRONT_KEY.match(doc.source.line(number))
        if match and heading_key(match["label"]) in labels:
            raw = match["value"].strip()
            if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
                raw = raw[1:-1]
            yield _found(spec, match["label"], raw, number, match.start("value") + 1, "front-matter")


def _table_fields(doc: PostMortem, spec: FieldSpec, labels: set[str]) -> Iterator[FoundField]:
    for block in flatten(doc.blocks):
        if isinstance(block, Table):
            for row in (block.header, *block.rows):
                for index in range(0, len(row.cells) - 1, 2):
                    key, value = row.cells[index], row.cells[index + 1]
                    if heading_key(key.text) in labels and value.text.strip():
                        yield _found(spec, key.text, value.text, row.line, value.column, "summary-table")


# -- tables and action items -----------------------------------------------------------------


@keep_last_each
def find_table(doc: PostMortem, pack: TemplatePack, role: str) -> FoundTable | None:
    """The first table in the section that holds the ``role`` table (None when either is absent).

    Each role is looked for once per document: the timeline, action, sign-off and people rules and the summary ask in turn."""
    spec = pack.table(role)
    section = find_section(doc, pack, spec.section) if spec else None
    if spec is None or section is None:
        return None
    table = next((b for b in section.blocks if isinstance(b, Table)), None)
    return FoundTable(spec, section, table, spec.layout(table.columns)) if table is not None else None


def find_section(doc: PostMortem, pack: TemplatePack, ref: str) -> FoundSection | None:
    """The first found section the pack's section ``ref`` (a role, an id or a name) is."""
    spec = pack.section(ref)
    if spec is None:
        return None
    return next((s for s in read(doc, pack).all_sections() if s.spec is spec), None)


def find_actions(doc: PostMortem, pack: TemplatePack) -> tuple[FoundAction, ...]:
    """Every action item in the document, in order: table rows, bullets and task items, as the pack allows."""
    spec = pack.actions
    section = find_section(doc, pack, spec.section) if spec and spec.section else None
    if spec is None or section is None:
        return ()
    items: list[FoundAction] = []
    if "table" in spec.forms:
        items.extend(_table_actions(doc, pack))
    if "bullets" in spec.forms or "tasks" in spec.forms:
        items.extend(_list_actions(doc, pack, section))
    return tuple(sorted(items, key=lambda a: a.line))


def _table_actions(doc: PostMortem, pack: TemplatePack) -> Iterator[FoundAction]:
    found = find_table(doc, pack, "actions")
    if found is None or not found.spec.complete(found.layout):
        return
    columns = [found.layout.get(role) for role in ("action", "id", "owner", "priority", "due", "status")]
    for row in found.table.rows:  # `found.cell` of each part, with the columns looked up once per table
        cells = row.cells
        action, ident, owner, priority, due, status = (
            (cells[i] if i < len(cells) else Cell("", 1)) if i is not None else Cell("", 1) for i in columns
        )
        yield FoundAction(row.line, "table", action, ident, owner, priority, due, status, row=row)


def _list_actions(doc: PostMortem, pack: TemplatePack, section: FoundSection) -> Iterator[FoundAction]:
    spec = pack.actions
    assert spec is not None
    for block in section.blocks:
        if not isinstance(block, ListBlock):
            continue
        for item in block.items:
            form = "bullets" if item.checked is None else "tasks"
            if form in spec.forms:
                yield _list_action(doc, pack, item)


def _list_action(doc: PostMortem, pack: TemplatePack, item: ListItem) -> FoundAction:
    spec = pack.actions
    assert spec is not None
    line = doc.source.line(item.line)
    marker = _MARKER.match(line)
    start = marker.end() if marker else 0
    text = without_comments(line[start:]).rstrip()
    owner = _owner(text, spec.owner_forms)
    due = _due(text, spec.due_forms)
    ident = regex(spec.id_pattern).match(text) if spec.id_pattern else None
    end = len(line.rstrip()) + 1
    status = spec.done_status if item.checked else spec.open_status
    return FoundAction(
        item.line,
        "tasks" if item.checked is not None else "bullets",
        Cell(text, start + 1),
        Cell(ident.group(0), start + 1) if ident else Cell("", start + 1),
        Cell(owner[0], start + owner[1] + 1) if owner else Cell("", end),
        Cell("", end),
        Cell(due[0], start + due[1] + 1) if due else Cell("", end),
        Cell(status, start + 1),
        item.checked,
    )


_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DUE_VALUE = rf"(?P<due>\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
_OWNER_PATTERNS = {
    "bracket": re.compile(r"(?<!\])\[(?P<owner>(?![xX ]\])(?!INC-)[^\[\]\n:/]{1,60})\]\s*\.?\s*$"),
    "mention": re.compile(r"(?<![\w.@/])@(?P<owner>[A-Za-z0-9](?:[\w.-]*\w)?(?:/[\w.-]*\w)?)"),
    "owner-label": re.compile(
        r"(?:^|(?<=[\s(—–,;-]))(?:\*\*|__)?(?:owners?|assignee|assigned to)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*"
        r"(?P<owner>[^,;()\n*_]+?)\s*(?:\*\*|__)?\s*(?=$|[,;)]|\s[—–-]\s|\s+due\b)",
        re.I,
    ),
}
_PARENTHESIS = re.compile(r"\((?P<body>[^()\n]{1,120})\)\s*\.?\s*$")
_DUE_LABEL = re.compile(rf"\b(?:due(?:\s+date)?|by|deadline)\s*:?\s*{_DUE_VALUE}", re.I)


def _owner(text: str, forms: tuple[str, ...]) -> tuple[str, int] | None:
    """The owner a list item names and its offset in ``text``, trying the pack's forms in order."""
    for form in forms:
        if form == "parenthesis":
            found = _in_parenthesis(text)
            if found and found[0]:
                return found[0]
            continue
        match = _OWNER_PATTERNS[form].search(text)
        if match:
            offset = match.start("owner") - (1 if form == "mention" else 0)
            value = ("@" if form == "mention" else "") + match["owner"].strip()
            return value, offset
    return None


def _due(text: str, forms: tuple[str, ...]) -> tuple[str, int] | None:
    for form in forms:
        if form == "parenthesis":
            found = _in_parenthesis(text)
            if found and found[1]:
                return found[1]
            continue
        match = _DUE_LABEL.search(text)
        if match:
            return match["due"], match.start("due")
    return None


def _in_parenthesis(text: str) -> tuple[tuple[str, int] | None, tuple[str, int] | None] | None:
    """``(@dana, due 2026-04-01)`` at the end of an item: (owner, due), each with its offset; None when it is an aside."""
    match = _PARENTHESIS.search(text)
    if match is None:
        return None
    owner: tuple[str, int] | None = None
    due: tuple[str, int] | None = None
    offset = match.start("body")
    for part in re.split(r"([,;])", match["body"]):
        stripped = part.strip()
        at = offset + (len(part) - len(part.lstrip()))
        offset += len(part)
        if not stripped or stripped in ",;":
            continue
        when = re.fullmatch(rf"(?:due(?:\s+date)?|by|deadline)\s*:?\s*{_DUE_VALUE}", stripped, re.I)
        if when:
            due = due or (when["due"], at + when.start("due"))
        elif owner is None:
            label = re.match(r"(?:owners?|assignee)\s*:\s*", stripped, re.I)
            owner = (stripped[label.end() :] if label else stripped, at + (label.end() if label else 0))
    if due is None and not (owner and (owner[0].startswith("@") or re.match(r"(?:owners?|assignee)\s*:", match["body"].strip(), re.I))):
        return None
    return owner, due


def without_comments(text: str) -> str:
    """``text`` without its closed HTML comments and the spaces before each, in linear time (a regex such as
    ``\\s*<!--.*?-->`` is quadratic on a long run of spaces or of unclosed ``<!--``)."""
    if "<!--" not in text:
        return text
    kept: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) >= 0 and (closing := text.find("-->", opening + 4)) >= 0:
        kept.append(text[start:opening].rstrip())
        start = closing + 3
    kept.append(text[start:])
    return "".join(kept)


def action_needs(actions: tuple[FoundAction, ...], need: str, part: str) -> bool:
    """Whether each item needs ``part`` (owner or due) under the pack's ``required``/``if-any``/``optional``."""
    if need == "required":
        return True
    if need == "if-any":
        return any(getattr(a, part).text.strip() for a in actions)
    return False


# -- measures and the incident date -------------------------------------------------------------


@keep_last_each
def find_measure(doc: PostMortem, pack: TemplatePack, name: str) -> FoundField | None:
    """Where the document states a measure such as time to detect: a labelled line or a key/value table row.

    Each measure is looked for once per document: PM410 and the summary both ask."""
    spec = pack.measure(name)
    if spec is None:
        return None
    labels = {heading_key(label) for label in spec.labels}
    if spec.sections:
        wanted = _measure_sections(pack, name)
        areas = [s.blocks for s in read(doc, pack).all_sections() if id(s.spec) in wanted]
    else:
        areas = [doc.blocks]
    for blocks in areas:
        hit = _labelled(doc, blocks, labels, name)
        if hit is not None:
            return hit
    return None


@by_identity(256)
def _measure_sections(pack: TemplatePack, name: str) -> frozenset[int]:
    """The identities of the pack's sections the measure ``name`` is looked for in (by role or name), worked out once
    per pack instead of for every section of every document; the pack, kept by `by_identity`, keeps them alive."""
    spec = pack.measure(name)
    refs = spec.sections if spec else ()
    return frozenset(id(s) for s in pack.all_sections() if any(ref == s.role or heading_key(ref) in s.labels for ref in refs))


def _labelled(doc: PostMortem, blocks: tuple[Block, ...], labels: set[str], key: str) -> FoundField | None:
    for block in flatten(blocks):
        if isinstance(block, Paragraph):
            for number in range(block.line, block.end_line + 1):
                line = doc.source.line(number)
                match = _LABELLED.match(line) if ":" in line else None  # both of its forms need a colon; most prose has none
                label = match and (match["bold"] or match["plain"])
                if match and label and heading_key(label) in labels:
                    raw = match["value"].rstrip()
                    return FoundField(key, label.strip(), clean_value(raw), raw, number, match.start("value") + 1, "label")
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                if len(row.cells) >= 2 and heading_key(row.cells[0].text) in labels:
                    cell = row.cells[1]
                    return FoundField(key, row.cells[0].text, clean_value(cell.text), cell.text, row.line, cell.column, "table")
    return None


@keep_last
def incident_date(doc: PostMortem, pack: TemplatePack) -> dt.date | None:
    """The incident date from the first of the pack's ``incident-date`` sources that gives one (kept: PM2xx and the summary ask in turn)."""
    fields = read(doc, pack).fields
    for source in pack.dates:
        found = _date_from(doc, pack, fields, source.kind, source.value)
        if found is not None:
            return found
    return None


def _date_from(doc: PostMortem, pack: TemplatePack, fields: dict[str, FoundField], kind: str, value: str) -> dt.date | None:
    if kind == "field":
        spec, written = pack.field(value), fields.get(value)
        return parse_date(written.value, spec.date_formats) if spec and written else None
    if kind == "front-matter":
        key = heading_key(value)
        for number in range(2, doc.front_matter_lines):
            match = _FRONT_KEY.match(doc.source.line(number))
            if match and heading_key(match["label"]) == key:
                return parse_date(match["value"].strip(" '\""), ("iso-in-text", *ALL_DATE_FORMATS[1:]))
        return None
    if kind == "timeline":
        return _timeline_date(doc, pack)
    match = regex(value).search(PurePosixPath(doc.path).name)
    if match is None:
        return None
    text = match.groupdict().get("date") or match.group(0)
    return parse_date(text, ALL_DATE_FORMATS)


def _timeline_date(doc: PostMortem, pack: TemplatePack) -> dt.date | None:
    found = find_table(doc, pack, "timeline")
    if found is None or "time" not in found.layout:
        return None
    for row in found.table.rows:
        stamp = parse_stamp(" ".join(found.cell(row, "time").text.split()))
        if stamp is not None and stamp[0] is not None:
            return stamp[0]
    return None
