"""`--format grouped`: each path once, then its findings as indented `line:col CODE [severity] message` rows.

As ruff's grouped output: a blank line between files and before the summary;
the `line:col` column is padded to the widest in the file so the codes line up.
"""

from __future__ import annotations

from typing import Any, TextIO

from postmortem_lint.diagnostics import Diagnostic
from postmortem_lint.reporters.text import painter, summary_line, use_colour


def render(
    diagnostics: list[Diagnostic], files_checked: int, out: TextIO, colour: bool | None = None, quiet: bool = False, **_: Any
) -> None:
    paint = painter(use_colour(out, colour))
    for index, (path, found) in enumerate(by_path(diagnostics).items()):
        out.write(("\n" if index else "") + paint(path + ":", "path") + "\n")
        places = [f"{d.line}:{d.column}" if d.column else str(d.line) for d in found]
        pad = max(map(len, places))
        for place, d in zip(places, found, strict=True):
            out.write(f"  {place:<{pad}} {d.code} {paint('[' + d.severity + ']', d.severity)} {d.message}\n")
    if not quiet:
        out.write(("\n" if diagnostics else "") + summary_line(diagnostics, files_checked) + "\n")


def by_path(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """The diagnostics of each path, paths in order of first appearance."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(d.path, []).append(d)
    return groups
