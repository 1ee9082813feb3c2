"""Applying fixes: edits to a text, the lint-apply loop until nothing more applies, and writing the fixed files.

Edit positions are pmlint's (`core.diagnostics.Edit`): 1-based lines, 1-based
columns in code points, the end exclusive, on the text as the linter sees it
(no BOM, any newline). They are applied to the text as written, so its newlines
and BOM are kept (a replacement's newlines become the file's). A fix is applied
whole or not at all: one whose edits overlap an edit already taken this pass
waits for the next (the text is linted again and what is still offered applied),
at most `MAX_PASSES` times, as ruff does.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from postmortem_lint.core.diagnostics import SAFE, Diagnostic, Fix
from postmortem_lint.io.fsutil import atomic_write

MAX_PASSES = 100
"""Lint-and-apply rounds per file at most (ruff's bound): fixes that keep enabling each other stop here."""
_NEWLINE = re.compile(r"\r\n|\r|\n")
Span = tuple[int, int, str]


def applies(fix: Fix | None, unsafe: bool) -> bool:
    """Is ``fix`` applied to the document: it has edits and is safe, or unsafe ones are allowed?"""
    return fix is not None and bool(fix.edits) and (fix.safety == SAFE or unsafe)


def apply_fixes(text: str, fixes: Iterable[tuple[str, Fix | None]], unsafe: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """``text`` with every applicable, non-overlapping fix applied; what was applied (code, message, safety)."""
    listed = list(fixes)
    after, taken = _apply(text, [fix for _, fix in listed], unsafe)
    return after, [_described(listed[i][0], listed[i][1]) for i in taken]


def _described(code: str, fix: Fix | None) -> dict[str, Any]:
    assert fix is not None
    return {"code": code, "message": fix.message, "safety": fix.safety}


def _apply(text: str, fixes: Sequence[Fix | None], unsafe: bool) -> tuple[str, list[int]]:
    """``text`` with the applicable, non-overlapping ones of ``fixes`` applied, and the indices of those."""
    starts = line_starts(text)
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    spans_taken: list[Span] = []
    taken: list[int] = []
    for index, fix in enumerate(fixes):
        if fix is None or not applies(fix, unsafe):
            continue
        spans = [
            (offset(text, starts, e.line, e.column), offset(text, starts, e.end_line, e.end_column), e.replacement.replace("\n", newline))
            for e in fix.edits
        ]
        if any(end < start for start, end, _ in spans) or any(
            _overlap(a, b) for i, a in enumerate(spans) for b in [*spans_taken, *spans[:i]]
        ):
            continue
        spans_taken.extend(spans)
        taken.append(index)
    for start, end, replacement in sorted(spans_taken, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, taken


def _overlap(a: Span, b: Span) -> bool:
    """Two edits overlap when their spans share a character, or both insert at one place, or one inserts inside the other."""
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] == b[0] or (a[0] < b[0] < a[1]) or (b[0] < a[0] < b[1])
    return a[0] < b[1] and b[0] < a[1]


def line_starts(text: str) -> list[int]:
    """The offset in ``text`` where each line starts (lines end at CRLF, CR or LF, as pmlint splits them)."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def offset(text: str, starts: list[int], line: int, column: int) -> int:
    """The offset of 1-based ``line`` and ``column`` (past the line's end: its end; past the last line: the end of the text)."""
    if line > len(starts):
        return len(text)
    start = starts[max(1, line) - 1]
    end = starts[line] if line < len(starts) else len(text)
    content = _NEWLINE.sub("", text[start:end])
    bom = 1 if line == 1 and text.startswith("\ufeff") else 0
    return start + bom + min(max(1, column) - 1, len(content) - bom)


class Fixed(NamedTuple):
    """What the loop did to one text: the text afterwards, each fix applied (code, message, safety), what remains."""

    text: str
    applied: tuple[dict[str, Any], ...]
    remaining: tuple[Diagnostic, ...]


def fix_text(text: str, lint: Callable[[str], list[Diagnostic]], unsafe: bool = False) -> Fixed:
    """Lint ``text``, apply what applies, lint again, until nothing applies or `MAX_PASSES` rounds.

    A fix that does not do its job (its finding is still there as often as before:
    say, a heading inserted where an HTML block swallows it) is undone and not
    offered again, so that a second run changes nothing either.
    """
    applied: list[dict[str, Any]] = []
    found = lint(text)
    blocked: set[tuple[str, str]] = set()
    for _ in range(MAX_PASSES):
        offered = [d for d in found if _key(d) not in blocked]
        after, taken = _apply(text, [d.fix for d in offered], unsafe)
        if not taken or after == text:
            break
        relinted = lint(after)
        failed = _ineffective([offered[i] for i in taken], found, relinted)
        if failed:
            blocked |= failed
            continue
        text, found = after, relinted
        applied.extend(_described(offered[i].code, offered[i].fix) for i in taken)
    return Fixed(text, tuple(applied), tuple(found))


def _key(d: Diagnostic) -> tuple[str, str]:
    return (d.code, d.text or d.message)


def _ineffective(taken: list[Diagnostic], before: list[Diagnostic], after: list[Diagnostic]) -> set[tuple[str, str]]:
    """The keys of the fixes taken whose findings did not become fewer."""
    was, now = Counter(map(_key, before)), Counter(map(_key, after))
    return {key for key in map(_key, taken) if now[key] >= was[key]}


class FileFix(NamedTuple):
    """One file fixed in memory: its text before and after, the fixes applied, the diagnostics of the text after."""

    rel: str
    before: str
    after: str
    applied: tuple[dict[str, Any], ...]
    remaining: tuple[Diagnostic, ...] = ()


def diff(change: FileFix) -> str:
    """A unified diff of one file's fixes (``a/`` and ``b/`` paths, as git shows them)."""
    lines = difflib.unified_diff(
        change.before.splitlines(keepends=True), change.after.splitlines(keepends=True), f"a/{change.rel}", f"b/{change.rel}"
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def write(path: Path, original: bytes, change: FileFix, root: Path) -> bool:
    """Write the fixed text, unless the file changed on disk since ``original`` was read (False then)."""
    try:
        if path.read_bytes() != original:
            return False
    except OSError:
        return False
    atomic_write(path, change.after.encode("utf-8"), root=root)
    return True
