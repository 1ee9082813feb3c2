"""Blocks -> `PostMortem`: sections, header fields, suppressions, people (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from postmortem_lint.core import lazy
from postmortem_lint.core.memo import keep_last
from postmortem_lint.core.text import heading_key, strip_inline
from postmortem_lint.core.vocab import document_status
from postmortem_lint.document.model import (
    Block,
    Code,
    Field,
    Heading,
    Html,
    ListBlock,
    Paragraph,
    PostMortem,
    Quote,
    Section,
    new_section,
)
from postmortem_lint.document.source import Source
from postmortem_lint.document.suppression import Suppression
from postmortem_lint.document.tables import column_index, first_table

FIELD_ALIASES = {
    "incident number": "incident_number",
    "incident id": "incident_number",
    "incident no": "incident_number",
    "incident": "incident_number",
    "date": "date",
    "incident date": "date",
    "time": "time",
    "duration": "duration",
    "severity": "severity",
    "author": "author",
    "authors": "author",
    "status": "status",
}
"""Header labels as teams write them -> the template's fields."""


_FIELD = re.compile(r"^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_:\n]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<value>.*)$")
_PLAIN_FIELD = re.compile(r"^\s{0,3}(?:[-*+]\s+)?(?P<label>[A-Za-z][A-Za-z ]{1,30}?):\s+(?P<value>\S.*)$")
_SUPPRESS = re.compile(r"<!--\s*pmlint-(disable-next-line|disable-file|disable|enable)\b\s*([^>]*?)\s*-->")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)\s*$")
_NAME_SPLIT = re.compile(r"(?<!\s)\s*(?:,|;|&|/|\band\b)\s*")


def build(path: str, source: Source) -> PostMortem:
    """Build the document model of ``source`` (already decoded) at ``path``."""
    front = _front_matter_lines(source.lines)
    text, lines = source.text, source.lines
    if front:
        rest = source.lines[front:] or ("",)
        text, lines = "\n" * front + "\n".join(rest), ("",) * front + rest
    blocks: tuple[Block, ...] = lazy.load("postmortem_lint.document.parse").parse(text, lines=lines)
    h1s = tuple(b for b in blocks if isinstance(b, Heading) and b.level == 1)
    first = next((b for b in blocks if isinstance(b, Heading)), None)
    title = first if first is not None and first.level == 1 else None
    preamble, sections = _sections(blocks)
    fields = _fields(preamble, source)
    doc = PostMortem(
        path=path,
        source=source,
        blocks=blocks,
        title=title,
        h1s=h1s,
        preamble=preamble,
        sections=sections,
        fields=fields,
        suppressions=tuple(_suppressions(source, blocks)),
        front_matter_lines=front,
        status=_status(fields),
    )
    return _with_people(doc)


def _front_matter_lines(lines: tuple[str, ...]) -> int:
    """How many leading lines are YAML front matter (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, min(len(lines), 500)):
        if _FRONT_MATTER_END.match(lines[index]):
            return index + 1
    return 0


def _sections(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """Split top-level blocks into the preamble and a ``##``/``###``/... section tree, in one pass.

    ``path`` holds the open section of each level from ``##`` down. A heading one level below an
    open section starts a subsection of it; a deeper heading or any other block goes to the
    innermost open section (or the preamble before the first ``##``); a ``#`` heading goes to the
    open ``##`` section's own blocks and never to the preamble.
    """
    preamble: list[Block] = []
    top: list[_Open] = []
    path: list[_Open] = []
    for block in blocks:
        if not isinstance(block, Heading):
            (path[-1].own if path else preamble).append(block)
        elif block.level == 2:
            path = [_Open(block)]
            top.append(path[0])
        elif not path:
            if block.level != 1:
                preamble.append(block)
        elif block.level == 1:
            path[0].own.append(block)
        elif block.level - 3 < len(path):
            opened = _Open(block)
            path[block.level - 3].subs.append(opened)
            del path[block.level - 2 :]
            path.append(opened)
        else:
            path[-1].own.append(block)
    return tuple(preamble), _close(top, blocks[-1].end_line if blocks else 0)


class _Open:
    """A section while `_sections` is still reading its blocks."""

    __slots__ = ("heading", "own", "subs")

    def __init__(self, heading: Heading) -> None:
        self.heading = heading
        self.own: list[Block] = []
        self.subs: list[_Open] = []


def _close(opened: list[_Open], end: int) -> tuple[Section, ...]:
    """Sibling sections: each ends the line before the next one's heading, the last at ``end``."""
    sections = []
    for index, section in enumerate(opened):
        stop = opened[index + 1].heading.line - 1 if index + 1 < len(opened) else end
        heading = section.heading
        subsections = _close(section.subs, stop) if section.subs else ()
        sections.append(new_section(heading, heading_key(heading.text), tuple(section.own), subsections, stop))
    return tuple(sections)


def _fields(preamble: tuple[Block, ...], source: Source) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for block in _flatten(preamble):
        if isinstance(block, Paragraph):
            for number in range(block.line, block.end_line + 1):
                found = _field(source.line(number), number)
                if found and found.key not in fields:
                    fields[found.key] = found
    return fields


def _field(line: str, number: int) -> Field | None:
    match = _FIELD.match(line)
    if match is None:
        match = _PLAIN_FIELD.match(line)
        if match is None or match["label"].strip().casefold() not in FIELD_ALIASES:
            return None
    label = match["label"].strip()
    key = FIELD_ALIASES.get(heading_key(label), heading_key(label).replace(" ", "_"))
    raw = match["value"].rstrip()
    return Field(key, label, clean_value(raw), raw, number, match.start("value") + 1)


def clean_value(raw: str) -> str:
    """A header value without emphasis, emoji, trailing hard breaks or backslashes."""
    return " ".join(strip_inline(raw.rstrip("\\ ")).split())


def _status(fields: dict[str, Field]) -> str | None:
    field = fields.get("status")
    if field is None:
        return None
    return document_status(field.value)


def _flatten(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block, depth first, including those inside lists and quotes.

    An iterator over a list made at once: cheaper than a generator that recurses, and the blocks never change.
    """
    found: list[Block] = []
    _collect(blocks, found)
    return iter(found)


def _collect(blocks: Iterable[Block], found: list[Block]) -> None:
    for block in blocks:
        found.append(block)
        if isinstance(block, ListBlock):
            for item in block.items:
                _collect(item.children, found)
        elif isinstance(block, Quote):
            _collect(block.children, found)


def flatten(blocks: Iterable[Block]) -> Iterator[Block]:
    """Public alias: every block including nested ones, in document order."""
    return _flatten(blocks)


@keep_last
def code_lines(blocks: tuple[Block, ...]) -> frozenset[int]:
    """Lines inside code blocks, where nothing is prose (the last answer is kept: several rules ask in turn)."""
    lines: set[int] = set()
    for block in _flatten(blocks):
        if isinstance(block, Code):
            lines.update(range(block.line, block.end_line + 1))
    return frozenset(lines)


@dataclass(frozen=True, slots=True)
class SuppressionComment:
    """One ``<!-- pmlint-… -->`` comment as written: its kind, codes (upper case) and where each code is."""

    kind: str
    codes: tuple[str, ...]
    line: int
    column: int
    code_columns: tuple[int, ...]
    removal: tuple[int, int, int, int] = (0, 0, 0, 0)
    """The span deleting the comment removes: the whole line when nothing else is on it."""


def suppression_comments(source: Source, blocks: tuple[Block, ...]) -> Iterator[SuppressionComment]:
    """Every pmlint-disable/-enable comment outside code, in document order."""
    if "pmlint-" not in source.text:
        return
    for block in _flatten(blocks):
        if not isinstance(block, (Html, Paragraph)):
            continue
        for number in range(block.line, block.end_line + 1):
            for match in _SUPPRESS.finditer(source.line(number)):
                words = [(m.group().upper(), match.start(2) + m.start() + 1) for m in re.finditer(r"[^\s,]+", match[2])]
                codes = tuple(word for word, _ in words)
                removal = _removal(source, number, match.start(), match.end())
                yield SuppressionComment(match[1], codes, number, match.start() + 1, tuple(col for _, col in words), removal)


def _removal(source: Source, number: int, start: int, end: int) -> tuple[int, int, int, int]:
    """What deleting the comment at ``start:end`` of line ``number`` removes: the line when nothing else is on it,
    else the comment and the spaces after it (before it, at the end of a line)."""
    text = source.line(number)
    before, after = text[:start], text[end:]
    if not before.strip() and not after.strip():
        return (number, 1, number + 1, 1)
    if after.strip():
        end += len(after) - len(after.lstrip(" "))
    else:
        start = len(before.rstrip(" "))
    return (number, start + 1, number, end + 1)


def _suppressions(source: Source, blocks: tuple[Block, ...]) -> Iterator[Suppression]:
    open_ranges: list[SuppressionComment] = []
    for comment in suppression_comments(source, blocks):
        kind, codes, number, column, removal = comment.kind, comment.codes, comment.line, comment.column, comment.removal
        if kind == "disable-file":
            yield Suppression("file", codes, number, len(source.lines), column, removal)
        elif kind == "disable-next-line":
            yield Suppression("next-line", codes, number, _next_content_line(source, number), column, removal)
        elif kind == "disable":
            open_ranges.append(comment)
        else:
            yield from _close_ranges(open_ranges, codes, number)
    for opened in open_ranges:
        yield Suppression("range", opened.codes, opened.line, len(source.lines), opened.column, opened.removal)


def _close_ranges(open_ranges: list[SuppressionComment], codes: tuple[str, ...], line: int) -> Iterator[Suppression]:
    """An enable closes the open disables it names (all of them when it names none)."""
    for opened in list(open_ranges):
        if not codes or set(opened.codes) & set(codes) or not opened.codes:
            open_ranges.remove(opened)
            yield Suppression("range", opened.codes, opened.line, line, opened.column, opened.removal)


def _next_content_line(source: Source, line: int) -> int:
    for number in range(line + 1, len(source.lines) + 1):
        if source.line(number).strip():
            return number
    return line + 1


def _with_people(doc: PostMortem) -> PostMortem:
    return replace(doc, people=frozenset(_people(doc)))


_NOT_PEOPLE = {"system", "monitoring", "automated", "automation", "alerting", "n/a", "tbd", "tba", "team", "all", "-", "?"}


def _people(doc: PostMortem) -> Iterator[str]:
    """The names of the author field, of the people columns of three tables and of the follow-up's attendees.

    Each distinct text is split into names once: a timeline names the same few actors row after row.
    """
    texts: list[str] = []
    author = doc.fields.get("author")
    if author:
        texts.append(author.value)
    for key, column in (("timeline", "actor"), ("action items", "owner"), ("sign off", "name")):
        table = first_table(doc, key)
        if table is None:
            continue
        index = column_index(table, column)
        if index is not None:
            texts.extend(row.cell(index).text for row in table.rows)
    follow = doc.section("follow up")
    for block in flatten(follow.all_blocks() if follow else ()):
        if isinstance(block, Paragraph):
            match = _ATTENDEES.search(block.text) if "Attendees" in block.text else None
            if match:
                texts.append(match.group(1))
    for text in dict.fromkeys(texts):
        yield from _names(text)


_ATTENDEES = re.compile(r"Attendees:?\**:?\s*(.+)")
"""The attendees of a follow-up meeting (searched only in a paragraph that holds the word)."""
_ASIDE = re.compile(r"(?<!\s)\s*\([^()]*\)")
"""A parenthesised aside after a name: "Dana (on call)"."""


def _names(value: str) -> Iterator[str]:
    for part in _NAME_SPLIT.split(strip_inline(value)):
        name = (_ASIDE.sub("", part) if "(" in part else part).strip(" .")
        if name and "[" not in name and "]" not in name and name.casefold() not in _NOT_PEOPLE and len(name) < 60:
            yield name


def header_fields(source: Source, words: tuple[str, ...] = ()) -> dict[str, Field]:
    """The header fields read line by line, without parsing the document.

    For post-mortems that are not being reported on, whose summary only feeds the
    cross-file rules (incident numbers): the lines before the first ``##`` heading,
    outside front matter and fenced code, read as `build` reads the preamble.
    With ``words``, only the lines holding one of them (lowercased) are read.
    """
    fields: dict[str, Field] = {}
    fence = ""
    for number in range(_front_matter_lines(source.lines) + 1, len(source.lines) + 1):
        line = source.line(number)
        stripped = line.lstrip()
        if fence or stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
            continue
        if stripped.startswith("## "):
            break
        if words and not any(word in line.lower() for word in words):
            continue
        found = _field(line, number)
        if found and found.key not in fields:
            fields[found.key] = found
    return fields
