"""What a fresh `pmlint new` draft prints: warnings about the scaffold's own text are gone or grouped.

Through the real `pmlint` in temporary git repositories. Before this change a fresh
draft printed one PM401 warning per token (110 of them), a PM405 warning about the
summary the scaffolder wrote and a PM406 warning quoting a broken placeholder. On a
Draft PM401 now reports one warning per section; from Under Review on every
placeholder is its own error again, and nothing is lost between the two.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from repokit import make_repo, pmlint

from postmortem_lint.features import scaffold

GROUPED = re.compile(r"^placeholder `.+` and (\d+) more left in (.+) \(lines? [\d–]+\)$")


def draft(tmp_path: Path, *answers: str) -> tuple[Path, Path]:
    repo = make_repo(tmp_path / "repo")
    done = pmlint(repo, "new", "DB pool exhaustion", "--no-input", "--date", "2026-03-14", *answers)
    assert done.returncode == 0, done.stderr
    return repo, repo / done.stdout.strip()


def findings(repo: Path, *args: str) -> list[dict[str, object]]:
    done = pmlint(repo, "check", "--format", "json", "--today", "2026-03-20", "--ignore", "PM703", *args)
    assert done.returncode in (0, 1), done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)["diagnostics"]
    return found


def placeholders_in(found: list[dict[str, object]]) -> int:
    """How many placeholders PM401's findings stand for (a grouped one counts its section's)."""
    total = 0
    for d in found:
        if d["code"] == "PM401":
            grouped = GROUPED.match(str(d["message"]))
            total += 1 + int(grouped.group(1)) if grouped else 1
    return total


@pytest.mark.parametrize("impact", [c.value for c in scaffold.BY_KEY["impact"].choices])
def test_fresh_draft_has_no_warning_about_the_scaffolds_own_summary_or_impact(tmp_path: Path, impact: str) -> None:
    repo, _ = draft(tmp_path, "--impact", impact)
    codes = Counter(d["code"] for d in findings(repo))
    assert codes["PM405"] == 0 and codes["PM406"] == 0
    assert all(d["severity"] == "warning" for d in findings(repo))


def test_fresh_draft_gets_one_placeholder_warning_per_section(tmp_path: Path) -> None:
    repo, path = draft(tmp_path)
    found = findings(repo)
    lines = path.read_text(encoding="utf-8").split("\n")
    pm401 = [d for d in found if d["code"] == "PM401"]
    sections = [_section_at(lines, int(str(d["line"]))) for d in pm401]
    assert len(sections) == len(set(sections)), "at most one warning per section"
    for d, section in zip(pm401, sections, strict=True):
        grouped = GROUPED.match(str(d["message"]))
        assert grouped is None or grouped.group(2) == section
    assert len(found) < 25, [d["message"] for d in found]


def _section_at(lines: list[str], number: int) -> str:
    above = [line[3:].strip() for line in lines[:number] if line.startswith("## ")]
    return above[-1] if above else "the header"


def test_under_review_every_placeholder_is_an_error_and_none_is_lost(tmp_path: Path) -> None:
    repo, path = draft(tmp_path)
    grouped = placeholders_in(findings(repo))
    path.write_text(path.read_text(encoding="utf-8").replace("**Status:** Draft", "**Status:** Under Review"), encoding="utf-8")
    each = [d for d in findings(repo) if d["code"] == "PM401"]
    assert all(d["severity"] == "error" and str(d["message"]).endswith("` left in") for d in each)
    assert len(each) == grouped > 100


def test_a_suppressed_placeholder_of_a_draft_is_still_suppressed_and_the_comment_used(tmp_path: Path) -> None:
    repo, path = draft(tmp_path)
    before = placeholders_in(findings(repo))
    text = path.read_text(encoding="utf-8")
    suppressed = "<!-- pmlint-disable-next-line PM401 -->\n- **Affected Users:**"
    path.write_text(text.replace("- **Affected Users:**", suppressed), encoding="utf-8")
    found = findings(repo)
    assert [d for d in found if d["code"] == "PM901"] == []
    assert placeholders_in(found) == before - 1


def test_real_summaries_and_impacts_are_still_judged(tmp_path: Path) -> None:
    repo, path = draft(tmp_path)
    text = path.read_text(encoding="utf-8")
    summary = next(line for line in text.split("\n") if line.endswith("What happened, impact, and current status.]"))
    text = text.replace(summary, "Checkout was slow. [2-3 sentence summary]").replace("[Number or percentage]", "many customers")
    path.write_text(text, encoding="utf-8")
    messages = {d["code"]: d["message"] for d in findings(repo)}
    assert messages["PM405"] == "executive summary has 1 sentence; write 2–3"
    assert messages["PM406"] == "affected users `many customers` has no number or percentage"
