"""The root-cause category answered at `pmlint new` survives editing and is what `pmlint report` counts.

Through the real `pmlint` in temporary git repositories: scaffold with `--root-cause`,
rewrite every line of prose (headings, header fields and the `**Category:**` line
kept), and the report still counts the answered category; the keyword classifier
only answers for documents that state none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from repokit import make_repo, pmlint

from postmortem_lint.features import scaffold

KEPT = re.compile(r"^(?:#|\*\*(?:Incident Number|Date|Time|Duration|Severity|Author|Status|Category):\*\*|\s*$|\|[-| ]+\|$)")
PROSE = "The node pool of the database cluster ran out of disk after a host failure."
"""Words that the keyword classifier reads as an infrastructure failure, so that only the stated field can say otherwise."""


def rewritten(text: str) -> str:
    """Every line but headings, header fields, the Category line, blank lines and table delimiters, replaced by `PROSE`."""
    lines = []
    for line in text.split("\n"):
        if KEPT.match(line):
            lines.append(line)
        elif line.startswith("|"):
            cells = line.strip("|").split("|")
            lines.append("| " + " | ".join("disk" for _ in cells) + " |")
        else:
            lines.append(PROSE)
    return "\n".join(lines)


def new(repo: Path, title: str, *args: str) -> Path:
    done = pmlint(repo, "new", title, "--no-input", "--date", "2026-03-14", *args)
    assert done.returncode == 0, done.stderr
    return repo / done.stdout.strip()


def categories(repo: Path) -> dict[str, int]:
    done = pmlint(repo, "report", "--format", "json", "--today", "2026-03-20")
    assert done.returncode == 0, done.stderr
    counts: dict[str, int] = json.loads(done.stdout)["by_category"]
    return {name: n for name, n in counts.items() if n}


@pytest.mark.parametrize(("answer", "category"), [("config", "config"), ("code", "code"), ("human", "human/process")])
def test_the_answered_category_survives_rewriting_every_line(tmp_path: Path, answer: str, category: str) -> None:
    repo = make_repo(tmp_path / "repo")
    path = new(repo, "Checkout outage", "--root-cause", answer)
    draft = path.read_text(encoding="utf-8")
    assert f"**Category:** {scaffold.CATEGORY_FIELD[answer]}\n" in draft
    path.write_text(rewritten(draft), encoding="utf-8")
    assert "initial category" not in path.read_text(encoding="utf-8"), "the prose really is gone"
    assert categories(repo) == {category: 1}
    markdown = pmlint(repo, "report", "--today", "2026-03-20").stdout
    assert "(`**Category:**` under Root Cause): 1; classified from the words of the primary cause: 0." in markdown


def test_without_the_field_the_words_decide_and_an_unknown_field_defers_to_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    path = new(repo, "Checkout outage", "--root-cause", "config")
    text = rewritten(path.read_text(encoding="utf-8"))
    path.write_text(text.replace("**Category:** Configuration error\n", ""), encoding="utf-8")
    assert categories(repo) == {"infrastructure": 1}
    path.write_text(text.replace("Configuration error", "Unknown (under investigation)"), encoding="utf-8")
    assert categories(repo) == {"infrastructure": 1}


def test_the_field_raises_no_finding_and_keeps_the_tracker_in_sync(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    path = new(repo, "Checkout outage", "--root-cause", "config")
    done = pmlint(repo, "check", "--format", "json", "--today", "2026-03-20")
    found = json.loads(done.stdout)["diagnostics"]
    category_line = path.read_text(encoding="utf-8").split("\n").index("**Category:** Configuration error") + 1
    assert done.returncode == 0 and [d for d in found if d["line"] == category_line] == []
    assert pmlint(repo, "track", "--check").returncode == 0
