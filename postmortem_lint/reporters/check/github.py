"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

GitHub turns them into annotations on the pull request's diff. Escaping follows
the runner: in the message ``%``, CR and LF; in property values also ``:`` and ``,``.
"""

from __future__ import annotations

from typing import TextIO

from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.reporters.subjects import CheckReport

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: CheckReport, out: TextIO) -> None:
    diagnostics, path_prefix = report.diagnostics, report.path_prefix
    for d in diagnostics:
        out.write(annotation(d, path_prefix) + "\n")


def annotation(d: Diagnostic, prefix: str = "") -> str:
    props = [("file", prefix + d.path), ("line", str(d.line)), ("endLine", str(max(d.line, d.end_line)))]
    if d.column > 0:
        props.append(("col", str(d.column)))
    if d.end_column > 0 and d.end_line <= d.line:
        props.append(("endColumn", str(d.end_column)))
    props.append(("title", f"{d.code} {d.name}"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS.get(d.severity, 'warning')} {joined}::{escape_data(d.message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
