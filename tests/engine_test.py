"""The engine's split between reported files (fully linted) and the rest (header only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from postmortem_lint.config.settings import Settings
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.summarize import header_summary
from postmortem_lint.lint import engine, linter
from postmortem_lint.packs.templates.presets import preset
from postmortem_lint.packs.templates.summarize import summarize

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "tasks").glob("post-mortem-*.md"))
TODAY = dt.date(2026, 3, 20)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_header_summary_agrees_with_the_full_summary_on_what_cross_file_rules_read(path: Path) -> None:
    decoded = source.decode(path.read_bytes())
    assert isinstance(decoded, source.Source)
    rel = f"tasks/{path.name}"
    full, light = summarize(build(rel, decoded), preset("seed")), header_summary(rel, decoded)
    assert (light.incident, light.incident_line, light.incident_column) == (full.incident, full.incident_line, full.incident_column)
    assert light.incident_date == full.incident_date


def test_header_summary_skips_front_matter_and_fenced_code() -> None:
    text = "\n".join(
        [
            "---",
            "Incident Number: INC-2000-01-01-001",
            "---",
            "# Post-Mortem: X",
            "",
            "```",
            "**Incident Number:** INC-2001-01-01-001",
            "```",
            "",
            "**Incident Number:** INC-2026-03-14-004",
            "",
            "## Executive Summary",
            "**Incident Number:** INC-2002-01-01-001",
        ]
    )
    light = header_summary("tasks/post-mortem-2026-03-14-x.md", source.from_text(text))
    assert (light.incident, light.incident_line) == ("INC-2026-03-14-004", 10)


def test_checking_one_file_parses_only_that_file_yet_sees_every_incident_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    clean = (ROOT / "tests" / "fixtures" / "clean-final.md").read_bytes()
    mine = tasks / "post-mortem-2026-03-14-checkout-latency.md"
    other = tasks / "post-mortem-2026-03-14-other.md"
    mine.write_bytes(clean)
    other.write_bytes(clean.replace(b"# Post-Mortem: ", b"# Post-Mortem: Other "))
    linted: list[str] = []
    real = linter.lint_bytes
    monkeypatch.setattr(linter, "lint_bytes", lambda rel, *args: linted.append(rel) or real(rel, *args))
    targets = [engine.Target(p, f"tasks/{p.name}") for p in (mine, other)]
    result = engine.check(targets, Settings(root=tmp_path), TODAY, report={f"tasks/{mine.name}"}, jobs=1)
    assert linted == [f"tasks/{mine.name}"]
    assert [(d.code, d.path) for d in result.diagnostics if d.code == "PM701"] == [("PM701", f"tasks/{mine.name}")]
    assert result.files_checked == 1
