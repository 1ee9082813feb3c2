"""`--format grouped`: each path once, then its findings as indented `line:col CODE [severity] message` rows.

As ruff's grouped output: a blank line between files and before the summary;
the `line:col` column is padded to the widest in the file so the codes line up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.reporters.check.text import mark, painter, summary_line, use_colour
from postmortem_lint.reporters.subjects import CheckReport


def render(report: CheckReport, out: TextIO) -> None:
    diagnostics, files_checked = report.diagnostics, report.files_checked
    paint = painter(use_colour(out, report.colour))
    for index, (path, found) in enumerate(by_path(diagnostics).items()):
        out.write(("\n" if index else "") + paint(path + ":", "path") + "\n")
        places = [f"{d.line}:{d.column}" if d.column else str(d.line) for d in found]
        pad = max(map(len, places))
        for place, d in zip(places, found, strict=True):
            out.write(f"  {place:<{pad}} {d.code} {paint('[' + d.severity + ']', d.severity)} {mark(d)}{d.message}\n")
    if not report.quiet:
        out.write(("\n" if diagnostics else "") + summary_line(diagnostics, files_checked) + "\n")


def by_path(diagnostics: Sequence[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """The diagnostics of each path, paths in order of first appearance."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(d.path, []).append(d)
    return groups
