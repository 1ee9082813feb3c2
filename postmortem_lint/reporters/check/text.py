"""`path:line:col: CODE [severity] message`, a summary line; colour only on a TTY."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, TextIO

from postmortem_lint.core.diagnostics import SAFE, Diagnostic, counts
from postmortem_lint.reporters.subjects import CheckReport

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "path": "\033[1m", "dim": "\033[2m"}
_RESET = "\033[0m"


def use_colour(out: TextIO, requested: bool | None = None) -> bool:
    if requested is not None:
        return requested
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(out, "isatty", lambda: False)())


def render(report: CheckReport, out: TextIO) -> None:
    paint = painter(use_colour(out, report.colour))
    for d in report.diagnostics:
        out.write(headline(d, paint) + "\n")
    if not report.quiet:
        out.write(summary_line(report.diagnostics, report.files_checked) + "\n")


def headline(d: Diagnostic, paint: Any) -> str:
    """`path:line:col: CODE [severity] message` (no column when it is not meaningful); `[*]` before the message of a
    finding `--fix` fixes, `[-]` of one only `--unsafe-fixes` does."""
    where = f"{d.path}:{d.line}:{d.column}:" if d.column else f"{d.path}:{d.line}:"
    return f"{paint(where, 'path')} {d.code} {paint('[' + d.severity + ']', d.severity)} {mark(d)}{d.message}"


def mark(d: Diagnostic) -> str:
    """`[*] ` for a safe fix, `[-] ` for an unsafe one, nothing without a fix."""
    if d.fix is None:
        return ""
    return "[*] " if d.fix.safety == SAFE else "[-] "


def summary_line(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    c = counts(diagnostics)
    files = f"{files_checked} file{'s' * (files_checked != 1)}"
    if not diagnostics:
        return f"All clear: no findings in {files}."
    parts = [f"{c[s]} {s}{'s' * (c[s] != 1)}" for s in ("error", "warning", "info") if c[s]]
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.safety == SAFE)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.safety != SAFE)
    tail = f" ([*] {safe} fixable with `pmlint check --fix`)" if safe else ""
    tail += f" ([-] {unsafe} more with `--unsafe-fixes`)" if unsafe else ""
    return f"Found {', '.join(parts)} in {files}.{tail}"


def painter(enabled: bool) -> Any:
    """``paint(text, style)``: ANSI colour around ``text`` when enabled, else ``text``."""

    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if enabled else text

    return paint
