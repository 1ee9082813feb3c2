"""The edit behind "disable CODE for this line": a suppression comment that keeps the Markdown's structure.

A ``<!-- pmlint-disable-next-line CODE -->`` line goes above the finding, with the
line's own indentation and quote markers (and, above a list item that is not its
list's first, indented to the item's content, so the list stays one list). Inside
a paragraph (a five-whys answer under its question) the comment goes at the end of
the line above instead, so the paragraph stays whole — except in the header, whose
field values would take it in; there the comment has a line of its own. A comment
cannot sit between a table's rows or inside a code block, so a finding there gets
``pmlint-disable`` / ``pmlint-enable`` around the whole table or block. A
``disable-next-line`` comment already ending the line above gets the code added.
Positions are pmlint's (1-based, end exclusive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Block, Code, ListBlock, Paragraph, PostMortem, Table
from postmortem_lint.servers.fixes import Edit

_LEAD = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
_NEXT_LINE = re.compile(r"<!--\s*pmlint-disable-next-line\s+(?P<codes>[^>]*?)\s*-->\s*$")


@dataclass(frozen=True, slots=True)
class Suppress:
    title: str
    edits: tuple[Edit, ...]


def disable(doc: PostMortem, line: int, code: str) -> Suppress | None:
    """How to disable ``code`` at ``line`` (None inside front matter, where a comment would be YAML)."""
    if line <= doc.front_matter_lines or not 1 <= line <= len(doc.source.lines):
        return None
    block = _enclosing(doc, line)
    if block is not None:
        return _around(doc, block, code)
    merged = _merged(doc, line, code)
    if merged is not None:
        return merged
    if _continues_paragraph(doc, line) and not _in_header(doc, line):
        return _end_of_line_above(doc, line, code)
    return _above(doc, line, code)


def _enclosing(doc: PostMortem, line: int) -> Block | None:
    """The outermost table or code block holding ``line``."""
    return next((b for b in flatten(doc.blocks) if isinstance(b, (Table, Code)) and b.line <= line <= b.end_line), None)


def _around(doc: PostMortem, block: Block, code: str) -> Suppress:
    first = doc.source.line(block.line)
    lead = _LEAD.match(first)
    prefix = lead.group(0) if lead else ""
    last = doc.source.line(block.end_line)
    what = "table" if isinstance(block, Table) else "code block"
    edits = (
        Edit(block.line, 1, block.line, 1, f"{prefix}<!-- pmlint-disable {code} -->\n"),
        Edit(block.end_line, len(last) + 1, block.end_line, len(last) + 1, f"\n{prefix}<!-- pmlint-enable {code} -->"),
    )
    return Suppress(f"Disable {code} for this {what}", edits)


def _merged(doc: PostMortem, line: int, code: str) -> Suppress | None:
    """Add ``code`` to a ``disable-next-line`` comment right above."""
    if line < 2:
        return None
    above = doc.source.line(line - 1)
    match = _NEXT_LINE.search(above)
    if not match or not match["codes"]:
        return None
    end = match.end("codes") + 1
    return Suppress(f"Disable {code} for this line", (Edit(line - 1, end, line - 1, end, f", {code}"),))


def _above(doc: PostMortem, line: int, code: str) -> Suppress:
    text = doc.source.line(line)
    lead = _LEAD.match(text)
    prefix = lead.group(0) if lead else ""
    if _later_item(doc, line):
        marker = _MARKER.match(text, len(prefix))
        if marker:
            prefix += " " * (marker.end() - marker.start())
    comment = f"{prefix}<!-- pmlint-disable-next-line {code} -->\n"
    return Suppress(f"Disable {code} for this line", (Edit(line, 1, line, 1, comment),))


def _continues_paragraph(doc: PostMortem, line: int) -> bool:
    return any(isinstance(b, Paragraph) and b.line < line <= b.end_line for b in flatten(doc.blocks))


def _in_header(doc: PostMortem, line: int) -> bool:
    return not doc.sections or line < doc.sections[0].line


def _end_of_line_above(doc: PostMortem, line: int, code: str) -> Suppress:
    """The comment at the end of the paragraph's line above (before a hard break's trailing spaces or backslash)."""
    above = doc.source.line(line - 1)
    body = above.rstrip(" \t")
    at = len(body) - 1 if body.endswith("\\") else len(body)
    comment = f" <!-- pmlint-disable-next-line {code} -->"
    return Suppress(f"Disable {code} for this line", (Edit(line - 1, at + 1, line - 1, at + 1, comment),))


def _later_item(doc: PostMortem, line: int) -> bool:
    """Does a list item that is not the first of its list start at ``line``?"""
    lists = (b for b in flatten(doc.blocks) if isinstance(b, ListBlock))
    return any(item.line == line for block in lists for item in block.items[1:])
