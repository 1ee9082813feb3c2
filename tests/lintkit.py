"""Helpers the core test suites share: lint text in memory, mutate the clean fixture."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.lint import engine, linter

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CLEAN = TESTS / "fixtures" / "clean-final.md"
CLEAN_PATH = "tasks/post-mortem-2026-03-14-checkout-latency.md"
TODAY = dt.date(2026, 3, 20)
REPO_RULES = ("PM7",)
"""Repository rules (tracker, duplicate numbers) need a whole repository; their own suites test them."""


def settings(**changes: object) -> Settings:
    """Default settings rooted in the test folder, without the repository rules."""
    base = Settings(root=TESTS, ignore=REPO_RULES)
    return replace(base, **changes)  # type: ignore[arg-type]


def lint(text: str | bytes, rel: str = CLEAN_PATH, config: Settings | None = None, today: dt.date = TODAY) -> list[Diagnostic]:
    """Every diagnostic for one in-memory file, after severities and suppressions."""
    config = config or settings()
    data = text.encode("utf-8") if isinstance(text, str) else text
    result = linter.lint_bytes(rel, data, None, config, today)
    return engine.finish({rel: result}, None, config, today)


def clean_text() -> str:
    return CLEAN.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line holding ``needle``, which must occur on exactly one line."""
    hits = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}, expected exactly one"
    return hits[0]


def replace_line(text: str, needle: str, new: str | None) -> str:
    """Replace the one line holding ``needle``: by ``new`` with ``needle`` swapped in, or delete it (None)."""
    lines = text.split("\n")
    number = line_of(text, needle)
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = lines[number - 1].replace(needle, new)
    return "\n".join(lines)
