"""PM601/PM602 through the engine: positions, suppressions, the clean examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from postmortem_lint.config.settings import Settings
from postmortem_lint.lint import engine, linter

ROOT = Path(__file__).resolve().parents[1]
CLEAN = (ROOT / "tests" / "fixtures" / "clean-final.md").read_text(encoding="utf-8")
REL = "tasks/post-mortem-2026-03-14-checkout-latency.md"
TODAY = dt.date(2026, 3, 20)


def _check(text: str, rel: str = REL) -> list[tuple[str, int, int]]:
    """Findings of one document alone (repository rules off: no other post-mortem is here)."""
    settings = Settings(root=ROOT, ignore=("PM7",))
    result = linter.lint_bytes(rel, text.encode(), None, settings, TODAY)
    diagnostics = engine.finish({rel: result}, None, settings, TODAY)
    return [(d.code, d.line, d.column) for d in diagnostics]


def _with_summary(sentence: str, before: str = "") -> tuple[str, int]:
    lines = CLEAN.split("\n")
    at = lines.index("## Executive Summary") + 2
    lines[at] = sentence
    if before:
        lines.insert(at, before)
        at += 1
    return "\n".join(lines), at + 1


def test_blame_phrase_and_blamed_person_point_at_the_phrase() -> None:
    text, line = _with_summary("Checkout slowed after human error in a cache change. Service is restored.")
    assert _check(text) == [("PM601", line, 23)]
    text, line = _with_summary("Checkout slowed because the on-call engineer forgot to warm the cache. It is restored.")
    assert _check(text) == [("PM602", line, 25)]


def test_inline_suppression_silences_a_blame_finding() -> None:
    text, _ = _with_summary(
        "Checkout slowed after human error in a cache change. Service is restored.",
        before="<!-- pmlint-disable-next-line PM601 -->",
    )
    assert _check(text) == []


def test_an_unused_blame_suppression_is_pm901() -> None:
    text, line = _with_summary(
        "Checkout slowed after a cache change that no check validated. Service is restored.",
        before="<!-- pmlint-disable-next-line PM601 -->",
    )
    assert _check(text) == [("PM901", line - 1, 1)]


def test_the_clean_examples_have_no_blame_findings() -> None:
    for path in sorted((ROOT / "examples" / "tasks").glob("post-mortem-*.md")):
        if "payment-webhook" in path.name:
            continue
        found = _check(path.read_text(encoding="utf-8"), f"tasks/{path.name}")
        assert not [f for f in found if f[0].startswith("PM6")], path.name
