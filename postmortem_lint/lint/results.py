"""What the engine works on and produces: a `Target` to check, a file's raw `FileResult`, a run's `RunResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postmortem_lint.core.diagnostics import Diagnostic, Finding
from postmortem_lint.document.source import MAX_BYTES
from postmortem_lint.document.summary import Summary
from postmortem_lint.document.suppression import Suppression
from postmortem_lint.io import files


@dataclass(frozen=True)
class Target:
    """A file to check: where it is, how to show it, and optionally its content."""

    path: Path
    rel: str
    data: bytes | None = None

    def content(self) -> bytes | None:
        """The bytes to check: ``data`` when given, else the file read capped and non-blocking
        (a FIFO named like a post-mortem must not hang the run); None when it cannot be read."""
        if self.data is not None:
            return self.data
        found = files.read_capped(self.path, MAX_BYTES)
        return None if isinstance(found, files.Unreadable) else found


@dataclass
class FileResult:
    """Raw per-file outcome, before selection and suppression."""

    rel: str
    findings: list[Finding] = field(default_factory=list)
    summary: Summary | None = None
    suppressions: tuple[Suppression, ...] = ()


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    results: dict[str, FileResult] = field(default_factory=dict)


Linted = tuple[bytes, FileResult, tuple[Any, ...] | None]
"""A linted file: the sha256 of its bytes (b"" when not hashed), its result, and that result encoded when at hand."""
