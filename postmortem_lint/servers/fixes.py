"""Fixes as SPEC §7 gives them (``safety``, ``message``, ``edits``), and applying them to a text.

Edit positions are pmlint's: 1-based lines, 1-based columns in Unicode code points,
the end exclusive, on the text as the linter sees it (no BOM, any newline). They
are applied to the text as written, so its newlines and BOM are kept. Fixes are
applied whole or not at all: one whose edits overlap an edit already taken waits
for the next pass (the caller lints again and applies what is still offered).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_NEWLINE = re.compile(r"\r\n|\r|\n")
EDIT_KEYS = ("line", "column", "end_line", "end_column", "replacement")


@dataclass(frozen=True, slots=True)
class Edit:
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in EDIT_KEYS}


@dataclass(frozen=True, slots=True)
class Fix:
    safety: str
    message: str
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"safety": self.safety, "message": self.message, "edits": [e.to_dict() for e in self.edits]}

    @classmethod
    def parse(cls, raw: Any) -> Fix:
        """A fix from an object with these attributes or from a mapping (the JSON shape)."""
        edits = tuple(_edit(e) for e in _get(raw, "edits") or ())
        return cls(str(_get(raw, "safety") or "safe"), str(_get(raw, "message") or ""), edits)


def _edit(raw: Any) -> Edit:
    line, column, end_line, end_column = (int(_get(raw, key)) for key in EDIT_KEYS[:4])
    return Edit(line, column, end_line, end_column, str(_get(raw, "replacement") or ""))


def _get(raw: Any, key: str) -> Any:
    return raw.get(key) if isinstance(raw, Mapping) else getattr(raw, key, None)


def apply_fixes(text: str, fixes: Iterable[tuple[str, Fix | None]], unsafe: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """``text`` with every applicable, non-overlapping fix applied; what was applied (code, message, safety).

    A fix is applicable when it has edits and is safe (or ``unsafe`` is allowed).
    """
    starts = line_starts(text)
    taken: list[tuple[int, int, str]] = []
    applied: list[dict[str, Any]] = []
    for code, fix in fixes:
        if fix is None or not fix.edits or (fix.safety != "safe" and not unsafe):
            continue
        spans = [(offset(text, starts, e.line, e.column), offset(text, starts, e.end_line, e.end_column), e.replacement) for e in fix.edits]
        if any(end < start for start, end, _ in spans) or any(_overlap(span, other) for span in spans for other in taken):
            continue
        taken.extend(spans)
        applied.append({"code": code, "message": fix.message, "safety": fix.safety})
    for start, end, replacement in sorted(taken, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, applied


def _overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two edits overlap when their spans share a character, or both insert at one place."""
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] == b[0] or (a[0] < b[0] < a[1]) or (b[0] < a[0] < b[1])
    return a[0] < b[1] and b[0] < a[1]


def line_starts(text: str) -> list[int]:
    """The offset in ``text`` where each line starts (lines end at CRLF, CR or LF, as pmlint splits them)."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def offset(text: str, starts: list[int], line: int, column: int) -> int:
    """The offset of 1-based ``line`` and ``column`` (code points; past the line's end: its end; past the last line: the end)."""
    if line > len(starts):
        return len(text)
    start = starts[max(1, line) - 1]
    end = starts[line] if line < len(starts) else len(text)
    content = _NEWLINE.sub("", text[start:end])
    bom = 1 if line == 1 and text.startswith("\ufeff") else 0
    return start + bom + min(max(1, column) - 1, len(content) - bom)
