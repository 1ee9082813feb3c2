"""`--format full`: each finding as `text` prints it, then its source line with carets under the offending text.

The layout follows ruff's default output::

    tasks/post-mortem-2026-04-02-payment-webhook-failures.md:6:15: PM208 [error] duration is 1h 15m but …
      |
    6 | **Duration:** 1h 15m
      |               ^^^^^^^^^^^^^^^^^ PM208
      |

``source(path)`` gives the lines of a file as it was checked (None: not
available, then only the first line is printed). Carets span ``column`` to
``end_column`` (exclusive) on one line, to the end of the line when the finding
spans several, one caret when the end is unknown, none when the column is not
meaningful (0). Tabs are expanded, control and format characters (terminal
escapes, bidirectional overrides) are shown as `�`, wide characters count two
columns, and a long line is cut to a window around the finding.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.reporters.check.text import headline, painter, summary_line, use_colour
from postmortem_lint.reporters.subjects import CheckReport

Source = Callable[[str], Sequence[str] | None]
TAB = 4
WIDTH = 160
"""Display columns of a source line shown at most; a longer one is cut around the finding."""
LEAD = 60
"""Display columns kept before the finding when a long line is cut."""
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
ELLIPSIS = "…"


def render(report: CheckReport, out: TextIO) -> None:
    paint = painter(use_colour(out, report.colour))
    lines_of = _last_file(report.source)
    for d in report.diagnostics:
        out.write(headline(d, paint) + "\n")
        out.write("".join(snippet(d, lines_of(d.path), paint)) + "\n")
    if not report.quiet:
        out.write(summary_line(report.diagnostics, report.files_checked) + "\n")


def _last_file(source: Source | None) -> Source:
    """``source``, remembering only the file asked for last (diagnostics come sorted by path)."""
    remembered: dict[str, Sequence[str] | None] = {}

    def lines(path: str) -> Sequence[str] | None:
        if path not in remembered:
            remembered.clear()
            remembered[path] = source(path) if source else None
        return remembered[path]

    return lines


def snippet(d: Diagnostic, lines: Sequence[str] | None, paint: Any) -> list[str]:
    """The gutter-framed source line of ``d`` with its carets (no lines when the source line is unknown)."""
    if not lines or not 1 <= d.line <= len(lines):
        return []
    number = str(d.line)
    bar = paint(" " * len(number) + " |", "dim")
    shown, offset, width = excerpt(lines[d.line - 1], *_span(d, len(lines[d.line - 1])))
    rows = [bar + "\n", f"{paint(number + ' |', 'dim')} {shown}".rstrip() + "\n"]
    if width:
        rows.append(f"{bar} {' ' * offset}{paint('^' * width, d.severity)} {d.code}\n")
    return [*rows, bar + "\n"]


def _span(d: Diagnostic, length: int) -> tuple[int, int]:
    """The 0-based character range [first, last) to underline on the finding's first line ((0, 0) for none)."""
    if d.column <= 0:
        return 0, 0
    first = min(d.column - 1, length)
    if d.end_line > d.line:
        last = length
    elif d.end_line == d.line and d.end_column > d.column:
        last = min(d.end_column - 1, length)
    else:
        last = first + 1
    return first, max(last, first + 1)


def excerpt(line: str, first: int, last: int) -> tuple[str, int, int]:
    """``line`` as printed, and the display offset and width of characters [first, last) in it (width 0: no carets)."""
    cells = _cells(line)
    start, end = _window([w for _, w in cells], first)
    text = "".join(c for c, _ in cells[start:end])
    lead = ELLIPSIS if start else ""
    tail = ELLIPSIS if end < len(cells) else ""
    if last <= first:
        return lead + text + tail, 0, 0
    offset = len(lead) + sum(w for _, w in cells[start:first])
    width = sum(w for _, w in cells[first : min(last, end)])
    return lead + text + tail, offset, max(width, 1)


def _cells(line: str) -> list[tuple[str, int]]:
    """Each character as printed (tabs expanded, control and format characters replaced) and its display width."""
    cells: list[tuple[str, int]] = []
    column = 0
    for char in line:
        if char == "\t":
            shown = " " * (TAB - column % TAB)
            cell = (shown, len(shown))
        elif unicodedata.category(char) in ("Cc", "Cf"):
            cell = (REPLACEMENT, 1)
        elif unicodedata.combining(char):
            cell = (char, 0)
        else:
            cell = (char, 2 if unicodedata.east_asian_width(char) in "WF" else 1)
        cells.append(cell)
        column += cell[1]
    return cells


def _window(widths: list[int], first: int) -> tuple[int, int]:
    """The characters [start, end) to print: all of a short line, else at most `WIDTH` columns from `LEAD` before ``first``."""
    if sum(widths) <= WIDTH:
        return 0, len(widths)
    start, lead = min(first, len(widths)), 0
    while start > 0 and lead + widths[start - 1] <= LEAD:
        start -= 1
        lead += widths[start]
    end, used = start, 0
    while end < len(widths) and used + widths[end] <= WIDTH:
        used += widths[end]
        end += 1
    return start, end
