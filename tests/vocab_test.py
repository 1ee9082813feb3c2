"""One definition of an open action item: the tracker, `pmlint actions`, `pmlint report` and PM507 agree on every spelling."""

from __future__ import annotations

import datetime as dt

import pytest
from lintkit import clean_text, lint, replace_line

from postmortem_lint.checks import registry
from postmortem_lint.checks.context import RepoIndex
from postmortem_lint.config.settings import Settings
from postmortem_lint.core import vocab
from postmortem_lint.document import tracking
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.features import actions, insights
from postmortem_lint.lint import providers

TODAY = dt.date(2026, 3, 20)
OVERDUE = "2020-01-31"

FINISHED_SPELLINGS = ["Done", "DONE", "done", "Closed", "closed ", "Won't Do", "won't do", "Won't  Do", "WON’T DO", "**Done**", "Won't\tDo"]
OPEN_SPELLINGS = ["Open", "open", "In Progress", "in  progress", "Blocked", "Wont Do", "WIP", "", "Done-ish", "[Status]"]


def _summary(status: str) -> Summary:
    item = ActionSummary("AI-001", "Add cache warm-up", "Dana Cho", "High", OVERDUE, status, 40, 20, 50)
    return Summary("tasks/post-mortem-2026-03-14-x.md", incident="INC-2026-03-14-001", actions=(item,))


def _views(status: str) -> dict[str, bool]:
    """Is the one item open, according to each reader of the Status column?"""
    summary = _summary(status)
    pm507 = list(registry.checks(["PM507"])["PM507"](summary, RepoIndex.of([summary]), providers.context(Settings(), TODAY)))
    return {
        "tracker": tracking.open_actions(summary) == 1,
        "tracker row": tracking.row_cells(summary, "")[-1] == "1/1",
        "actions": actions.collect([summary], TODAY)[0].open,
        "report": insights.action_stats([summary], TODAY).open == 1,
        "PM507": bool(pm507),
    }


@pytest.mark.parametrize("status", FINISHED_SPELLINGS)
def test_a_finished_item_is_finished_for_every_reader(status: str) -> None:
    assert vocab.action_status(status) in vocab.FINISHED
    assert _views(status) == dict.fromkeys(_views("Done"), False)


@pytest.mark.parametrize("status", OPEN_SPELLINGS)
def test_any_other_status_is_open_for_every_reader(status: str) -> None:
    assert vocab.action_status(status) not in vocab.FINISHED
    assert _views(status) == dict.fromkeys(_views("Open"), True)


@pytest.mark.parametrize("status", FINISHED_SPELLINGS + OPEN_SPELLINGS)
def test_actions_and_report_show_the_template_spelling_of_a_known_status(status: str) -> None:
    known = vocab.action_status(status)
    listed = actions.collect([_summary(status)], TODAY)[0]
    assert listed.status == (known or status)
    by_status = insights.action_stats([_summary(status)], TODAY).by_status
    assert by_status[known or status] == 1


def test_every_template_status_and_priority_reads_as_itself() -> None:
    assert all(vocab.action_status(s) == s for s in vocab.ACTION_STATUSES)
    assert all(vocab.document_status(s) == s for s in vocab.DOCUMENT_STATUSES)
    assert all(vocab.priority(p.upper()) == p for p in vocab.PRIORITIES)
    assert vocab.action_status("Wont Do") is None


@pytest.mark.parametrize("status", FINISHED_SPELLINGS + OPEN_SPELLINGS)
def test_pm506_accepts_exactly_the_statuses_the_readers_recognise(status: str) -> None:
    row = "| AI-001 | Batch tax quotes per cart in pricing-service | Elena Petrova | High | 2026-03-18 | Done |"
    text = replace_line(clean_text(), row, row.replace("| Done |", f"| {status} |"))
    flagged = [d for d in lint(text) if d.code == "PM506"]
    placeholder = status.startswith("[")
    assert bool(flagged) == (vocab.action_status(status) is None and not placeholder)
