"""PM801 through the real `pmlint`: a box claiming finished work, unticked while action items are open,
names them and says that `Under Review` is the honest status until they are done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text
from repokit import init, pmlint, write

CLAIM = "- [x] Prevention measures are implemented"
UNTICKED = "- [ ] Prevention measures are implemented"
OPEN = ("AI-002", "AI-003", "AI-004", "AI-005")
"""The clean fixture's items that are Open or In Progress."""


def pm801(tmp_path: Path, text: str) -> list[str]:
    repo = init(tmp_path / "repo")
    write(repo, CLEAN_PATH, text)
    done = pmlint(repo, "check", "--select", "PM801", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return [str(d["message"]) for d in json.loads(done.stdout)["diagnostics"]]


def test_unticked_claim_names_the_open_items_and_the_honest_status(tmp_path: Path) -> None:
    (message,) = pm801(tmp_path, clean_text().replace(CLAIM, UNTICKED))
    assert message == (
        "unticked box in Success Criteria on a Final post-mortem: `Prevention measures are implemented`, "
        f"and action items {', '.join(OPEN)} are still open: keep the status `Under Review` until they are done"
    )


def test_with_every_item_done_the_box_is_simply_unticked(tmp_path: Path) -> None:
    text = clean_text().replace(CLAIM, UNTICKED)
    for status in ("| In Progress |", "| Open |"):
        text = text.replace(status, "| Done |")
    (message,) = pm801(tmp_path, text)
    assert message == "unticked box in Success Criteria on a Final post-mortem: `Prevention measures are implemented`"


def test_a_box_that_claims_no_finished_work_does_not_mention_the_items(tmp_path: Path) -> None:
    text = clean_text().replace("- [x] Root cause is fully understood", "- [ ] Root cause is fully understood")
    (message,) = pm801(tmp_path, text)
    assert "still open" not in message and message.endswith("`Root cause is fully understood`")


@pytest.mark.parametrize("status", ["Under Review", "Draft"])
def test_under_review_is_the_status_that_passes(tmp_path: Path, status: str) -> None:
    text = clean_text().replace(CLAIM, UNTICKED).replace("**Status:** Final", f"**Status:** {status}")
    assert pm801(tmp_path, text) == []
