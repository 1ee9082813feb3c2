"""What rules produce (`Finding`) and what reporters print (`Diagnostic`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SAFE = "safe"
UNSAFE = "unsafe"
EDIT_KEYS = ("line", "column", "end_line", "end_column", "replacement")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from (``line``, ``column``) up to, not including, (``end_line``, ``end_column``).

    Lines and columns are 1-based, columns in code points, on the text as the
    linter sees it (no BOM); an insertion has its end equal to its start.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in EDIT_KEYS}


@dataclass(frozen=True, slots=True)
class Fix:
    """One finding's fix: its edits, applied together or not at all.

    ``safety`` is ``safe`` (meaning kept: `--fix` applies it) or ``unsafe`` (it
    may change what the document says: only `--unsafe-fixes`). A fix without
    edits acts outside the document (PM703's brings the tracker in sync).
    """

    safety: str
    message: str
    edits: tuple[Edit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"safety": self.safety, "message": self.message, "edits": [e.to_dict() for e in self.edits]}

    def plain(self) -> tuple[Any, ...]:
        """The fix as plain tuples (what the result cache stores)."""
        return (self.safety, self.message, tuple((e.line, e.column, e.end_line, e.end_column, e.replacement) for e in self.edits))

    @classmethod
    def of_plain(cls, plain: tuple[Any, ...]) -> Fix:
        safety, message, edits = plain
        return cls(safety, message, tuple(Edit(*e) for e in edits))


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
    fix: Fix | None = None


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
    text: str = ""
    fix: Fix | None = None

    @property
    def fixable(self) -> bool:
        """Does the diagnostic carry a fix (of either safety)?"""
        return self.fix is not None

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
            "fix": self.fix.to_dict() if self.fix is not None else None,
        }


def counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """How many diagnostics of each severity (error, warning, info first, in that order)."""
    summary = {"error": 0, "warning": 0, "info": 0}
    for diagnostic in diagnostics:
        summary[diagnostic.severity] = summary.get(diagnostic.severity, 0) + 1
    return summary
