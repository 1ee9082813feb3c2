"""What rules produce (`Finding`) and what reporters print (`Diagnostic`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's finding at a 1-based line (and column, 0 when not meaningful).

    ``text`` is the offending text: it keys baselines, so that an edit elsewhere
    in the file does not resurrect an accepted finding.
    """

    line: int
    message: str
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    text: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding stamped by the engine with path, code, name and severity."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    message: str
    fixable: bool = False
    text: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "fixable": self.fixable,
        }


def counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """How many diagnostics of each severity (error, warning, info first, in that order)."""
    summary = {"error": 0, "warning": 0, "info": 0}
    for diagnostic in diagnostics:
        summary[diagnostic.severity] = summary.get(diagnostic.severity, 0) + 1
    return summary
