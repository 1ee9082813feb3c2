"""Completion candidates at a cursor: what the template still wants written there.

* after ``## `` / ``### ``: the required sections (subsections of the section the cursor is in) not yet written;
* after ``**`` in the header: the header fields not yet written;
* after ``**Severity:** ``, ``**Status:** ``, ``**Incident Number:** ``, ``**Date:** ``, ``**Author:** ``: their values
  (the vocabulary, the next free incident number, the document's date and today, the people);
* in the Owner cell of an Action Items row: the owners roster and the people the document names.

Pure: the caller gives the text before the cursor, the built document and what the project knows (`Known`).
Columns are 0-based code points on the cursor's line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from postmortem_lint.core.text import heading_key
from postmortem_lint.document.model import PostMortem, Section
from postmortem_lint.packs.sections import RequiredSection

_HEADING = re.compile(r"^(?P<marks>#{2,3})[ \t]+(?P<partial>[^#]*)$")
_FIELD_NAME = re.compile(r"^\s{0,3}(?:[-*+]\s+)?\*\*(?P<partial>[A-Za-z][A-Za-z ]*|)$")
_FIELD_VALUE = re.compile(r"^\s{0,3}(?:[-*+]\s+)?\*\*(?P<label>[^*:\n]{1,40}?)\s*(?::\*\*|\*\*:)[ \t]*(?P<partial>.*)$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER_CELL = re.compile(r":?-+:?")


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    insert: str
    detail: str
    start: int
    """Where the text it replaces starts on the cursor's line (it ends at the cursor)."""
    kind: str
    """section, field, value, person or incident."""
    order: int = 0


@dataclass(frozen=True)
class Known:
    """What the project knows, for completion."""

    sections: tuple[RequiredSection, ...]
    fields: dict[str, str]
    values: dict[str, tuple[tuple[str, str], ...]]
    owners: Sequence[str]
    next_incident: Callable[[dt.date], str]
    date: dt.date | None
    today: dt.date


def candidates(before: str, line: int, doc: PostMortem, known: Known) -> list[Candidate]:
    """What may be written at the cursor, ``before`` being its line's text up to the cursor (1-based ``line``)."""
    for finder in (_headings, _field_values, _field_names, _owners):
        found = list(finder(before, line, doc, known))
        if found:
            return found
    return []


def _headings(before: str, line: int, doc: PostMortem, known: Known) -> Iterator[Candidate]:
    match = _HEADING.match(before)
    if not match:
        return
    start = match.start("partial")
    if len(match["marks"]) == 2:
        present = {s.key for s in doc.sections if s.line != line}
        for order, section in enumerate(known.sections):
            if section.key not in present:
                yield Candidate(section.name, section.name, "required section", start, "section", order)
        return
    parent = _section_at(doc, line)
    required = next((s for s in known.sections if parent is not None and s.key == parent.key), None)
    if parent is None or required is None:
        return
    written = {sub.key for sub in parent.subsections if sub.line != line}
    for order, (name, key) in enumerate(required.subsections):
        if key not in written:
            yield Candidate(name, name, f"required subsection of {required.name}", start, "section", order)


def _section_at(doc: PostMortem, line: int) -> Section | None:
    return next((s for s in reversed(doc.sections) if s.line < line), None)


def _in_header(doc: PostMortem, line: int) -> bool:
    return not doc.sections or line < doc.sections[0].line


def _field_names(before: str, line: int, doc: PostMortem, known: Known) -> Iterator[Candidate]:
    match = _FIELD_NAME.match(before)
    if not match or not _in_header(doc, line):
        return
    written = {key for key, field in doc.fields.items() if field.line != line}
    for order, (key, label) in enumerate(known.fields.items()):
        if key not in written:
            yield Candidate(label, f"{label}:** ", "header field", match.start("partial"), "field", order)


def _field_values(before: str, line: int, doc: PostMortem, known: Known) -> Iterator[Candidate]:
    match = _FIELD_VALUE.match(before)
    if not match or not _in_header(doc, line):
        return
    by_label = {heading_key(label): key for key, label in known.fields.items()}
    key = by_label.get(heading_key(match["label"]))
    start = match.start("partial")
    if key in known.values:
        for order, (value, detail) in enumerate(known.values[key]):
            yield Candidate(value, value, detail, start, "value", order)
    elif key == "incident_number":
        number = known.next_incident(known.date or known.today)
        yield Candidate(number, number, "next free incident number", start, "incident")
    elif key == "date":
        days = dict.fromkeys(d for d in (known.date, known.today) if d is not None)
        for order, day in enumerate(days):
            detail = "today" if day == known.today else "the date in the file name"
            yield Candidate(day.isoformat(), day.isoformat(), detail, start, "value", order)
    elif key == "author":
        yield from _people(known, doc, start)


def _owners(before: str, line: int, doc: PostMortem, known: Known) -> Iterator[Candidate]:
    section = doc.section("action items")
    if section is None or not before.lstrip().startswith("|") or not section.line < line <= section.end_line:
        return
    header = _header_above(doc, section.line + 1, line)
    if header is None:
        return
    owner, header_line = header
    pipes = list(_UNESCAPED_PIPE.finditer(before))
    if len(pipes) - 1 != owner or line <= header_line + 1:
        return
    start = pipes[-1].end()
    while start < len(before) and before[start] in " \t":
        start += 1
    yield from _people(known, doc, start)


def _header_above(doc: PostMortem, first: int, line: int) -> tuple[int, int] | None:
    """The Owner column's index and the header's line, of the table being written above ``line``.

    Read from the lines, not the parsed table: a row being typed has too few cells,
    and the Markdown parser then sees no table at all.
    """
    for number in range(first, line):
        if _is_delimiter(doc.source.line(number + 1)) and doc.source.line(number).lstrip().startswith("|"):
            cells = [heading_key(c) for c in _UNESCAPED_PIPE.split(doc.source.line(number).strip().strip("|"))]
            return (cells.index("owner"), number) if "owner" in cells else None
    return None


def _is_delimiter(line: str) -> bool:
    """A table's delimiter row (``|---|:--:|``), cell by cell (one pattern over the whole row would backtrack)."""
    cells = line.strip().strip("|").split("|")
    return "-" in line and all(_DELIMITER_CELL.fullmatch(cell.strip()) for cell in cells)


def _people(known: Known, doc: PostMortem, start: int) -> Iterator[Candidate]:
    roster = {name.casefold() for name in known.owners}
    seen: set[str] = set()
    for order, name in enumerate([*known.owners, *sorted(doc.people, key=str.casefold)]):
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        detail = "on the owners roster" if name.casefold() in roster else "named in this post-mortem"
        yield Candidate(name, name, detail, start, "person", order)
