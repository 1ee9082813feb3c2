"""pmlint positions <-> LSP positions.

pmlint: 1-based lines, 1-based columns in Unicode code points (0: no column),
the end exclusive, on the text without its BOM. LSP: 0-based lines, 0-based
columns in the negotiated encoding's code units (UTF-16 unless the client offers
another), lines ending at CRLF, CR or LF — the same lines pmlint counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEWLINE = re.compile(r"\r\n|\r|\n")
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

Point = tuple[int, int]
"""A 0-based line and a 0-based code-point column."""


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units of ``encoding`` ``text`` takes."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class Lines:
    """A document's lines as the editor holds it (BOM included, newlines removed)."""

    lines: tuple[str, ...]
    bom: bool

    @classmethod
    def of(cls, text: str) -> Lines:
        return cls(tuple(_NEWLINE.split(text)), text.startswith("\ufeff"))

    def line(self, number: int) -> str:
        """0-based line ``number`` ('' past the end)."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def point(self, line: int, column: int) -> Point:
        """pmlint's 1-based ``line`` and ``column`` (0 or past the end: the line's end) as a code-point `Point`."""
        if line > len(self.lines):
            return len(self.lines) - 1, len(self.lines[-1])
        row = max(1, line) - 1
        text = self.lines[row]
        shift = 1 if row == 0 and self.bom else 0
        if column <= 0:
            return row, len(text)
        return row, min(column - 1 + shift, len(text))

    def span(self, line: int, column: int, end_line: int, end_column: int) -> tuple[Point, Point]:
        """A finding's range: from its column to its end; the whole line without a column; to the line's end without an end."""
        if column <= 0:
            row = self.point(line, 0)[0]
            return (row, 1 if row == 0 and self.bom else 0), self.point(line, 0)
        start = self.point(line, column)
        if end_line > line or (end_line == line and end_column > column):
            return start, self.point(end_line, end_column)
        return start, self.point(line, 0)

    def to_client(self, point: Point, encoding: str = UTF16) -> Point:
        row, column = point
        return row, units(self.line(row)[:column], encoding)

    def from_client(self, row: int, character: int, encoding: str = UTF16) -> Point:
        """A client position as a code-point `Point` (inside a surrogate pair or past the end: the next whole character)."""
        text = self.line(row)
        if encoding == UTF32:
            return row, min(character, len(text))
        count = 0
        for index, ch in enumerate(text):
            if count >= character:
                return row, index
            count += units(ch, encoding)
        return row, len(text)
