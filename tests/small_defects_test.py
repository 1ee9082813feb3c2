"""Small defects from the first-hour audit (FINDINGS.md), each through the real `pmlint` in a temporary git repository."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, REPO, clean_text
from repokit import init, make_repo, pmlint, write

EXAMPLES = REPO / "examples"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init(tmp_path / "repo")
    write(root, CLEAN_PATH, clean_text())
    return root


# `pmlint actions`: every output ends with a newline; an owner that owns nothing is named.


@pytest.mark.parametrize("format_", ["text", "markdown", "json", "csv"])
@pytest.mark.parametrize("owner", [(), ("--owner", "Marcus Lee"), ("--owner", "Nobody")])
def test_actions_output_ends_with_a_newline(repo: Path, format_: str, owner: tuple[str, ...]) -> None:
    done = pmlint(repo, "actions", "--format", format_, "--today", "2026-12-01", *owner)
    assert done.returncode == 0 and done.stdout.endswith("\n"), repr(done.stdout[-80:])
    target = repo / f"out.{format_}"
    assert pmlint(repo, "actions", "--format", format_, "-o", str(target), *owner).returncode == 0
    assert target.read_text(encoding="utf-8").endswith("\n")


def test_actions_says_when_no_item_has_that_owner(repo: Path) -> None:
    done = pmlint(repo, "actions", "--owner", "Nobody", "--today", "2026-03-20")
    assert done.returncode == 0 and done.stdout == "0 action items: 0 open, 0 overdue on 2026-03-20\n"
    assert done.stderr == "pmlint: warning: no action item in the archive is owned by `Nobody`\n"
    typo = pmlint(repo, "actions", "--owner", "Marcus Le", "--today", "2026-03-20")
    assert typo.stderr == "pmlint: warning: no action item in the archive is owned by `Marcus Le` (did you mean `Marcus Lee`?)\n"
    done_only = pmlint(repo, "actions", "--owner", "Elena Petrova", "--open", "--today", "2026-03-20")
    assert done_only.stderr == "", "an owner whose items are all done exists: the filter, not the name, leaves nothing"


# `pmlint new --date` in the future, and PM209.


def test_new_warns_about_a_future_date_and_pm209_flags_it(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    later = dt.date.today() + dt.timedelta(days=400)
    done = pmlint(repo, "new", "Outage", "--no-input", "--date", later.isoformat())
    assert done.returncode == 0 and (repo / done.stdout.strip()).is_file(), "the draft is still written"
    assert f"pmlint: warning: --date {later.isoformat()} is in the future (today is " in done.stderr
    check = pmlint(repo, "check", "--format", "json", "--select", "PM209")
    (finding,) = json.loads(check.stdout)["diagnostics"]
    assert finding["severity"] == "warning" and finding["line"] == 4
    assert finding["message"].startswith(f"the post-mortem is dated {later.isoformat()}, after today (")
    yesterday = pmlint(repo, "new", "Earlier", "--no-input", "--date", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    assert "warning" not in yesterday.stderr


def test_pm209_does_not_put_real_post_mortems_in_the_future_when_today_is_pinned(repo: Path) -> None:
    done = pmlint(EXAMPLES, "check", "--format", "json", "--select", "PM209", "--today", "2026-01-01")
    assert done.returncode == 0 and json.loads(done.stdout)["diagnostics"] == []
    later = pmlint(repo, "check", "--format", "json", "--select", "PM209", "--today", "2026-03-13")
    assert json.loads(later.stdout)["diagnostics"] == [], "a pinned --today earlier than the real date does not count"


# PM703 never suggests copying an invalid value into the tracker.


def test_stale_row_does_not_suggest_an_invalid_value(repo: Path) -> None:
    assert pmlint(repo, "track").returncode == 1
    path = repo / CLEAN_PATH
    path.write_text(clean_text().replace("**Severity:** SEV-2", "**Severity:** SEV-9"), encoding="utf-8")
    found = json.loads(pmlint(repo, "check", "--format", "json", "--select", "PM703").stdout)["diagnostics"]
    assert [d["message"] for d in found] == [
        "POST_MORTEM_TRACKING.md row differs from the post-mortem: the post-mortem's Severity `SEV-9` is not valid "
        "(PM204; the row says `SEV-2`): fix the post-mortem, then run `pmlint track`"
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("**Status:** Final", "**Status:** Resolved"), encoding="utf-8")
    (message,) = (d["message"] for d in json.loads(pmlint(repo, "check", "--format", "json", "--select", "PM703").stdout)["diagnostics"])
    assert "should be `SEV-9`" not in message and "should be `Resolved`" not in message
    assert "Status `Resolved` is not valid (PM205; the row says `Final`)" in message
    path.write_text(clean_text().replace("**Status:** Final", "**Status:** Closed"), encoding="utf-8")
    (message,) = (d["message"] for d in json.loads(pmlint(repo, "check", "--format", "json", "--select", "PM703").stdout)["diagnostics"])
    assert message == "POST_MORTEM_TRACKING.md row is stale (Status `Final` should be `Closed`); run `pmlint track`"


# The report says that human error and process failure share one bucket.


def test_report_says_which_answers_share_a_category(repo: Path) -> None:
    page = pmlint(repo, "report", "--today", "2026-03-20").stdout
    section = page.split("## Incidents by root-cause category", 1)[1].split("\n## ", 1)[0]
    assert '"Human or process" counts the template\'s answers "Human error" and "Process failure" together' in section
