"""One renderer per output format: ``render(diagnostics, files_checked, out, **opts)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TextIO

from postmortem_lint.diagnostics import Diagnostic

FORMATS = {
    "text": "text",
    "full": "full",
    "grouped": "grouped",
    "json": "json_",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
}

Renderer = Callable[..., None]


def renderer(name: str) -> Renderer:
    module = importlib.import_module(f"postmortem_lint.reporters.{FORMATS[name]}")
    return module.render  # type: ignore[no-any-return]


def render(name: str, diagnostics: list[Diagnostic], files_checked: int, out: TextIO, **options: Any) -> None:
    renderer(name)(diagnostics, files_checked, out, **options)


def counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    summary = {"error": 0, "warning": 0, "info": 0}
    for diagnostic in diagnostics:
        summary[diagnostic.severity] = summary.get(diagnostic.severity, 0) + 1
    return summary
