"""What each reporter is given: one record per subject (`CheckReport`, `ActionList`, `ReportPage`; config: `Effective`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from postmortem_lint.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from postmortem_lint.features.actions import Action
    from postmortem_lint.features.insights import Report


class CheckReport(NamedTuple):
    """A check's diagnostics and how to show them."""

    diagnostics: Sequence[Diagnostic]
    files_checked: int
    colour: bool | None = None
    """Colour on or off (None: on a TTY unless NO_COLOR)."""
    quiet: bool = False
    path_prefix: str = ""
    """The project root relative to the repository top ('' or 'sub/'): CI formats want repository paths."""
    source: Callable[[str], tuple[str, ...] | None] | None = None
    """The lines of a checked file as it was checked (`--format full` quotes them), by path."""


class ReportPage(NamedTuple):
    """The report and where the page is written: links to post-mortems start with ``root_href`` ('' in the project root)."""

    report: Report
    root_href: str = ""


class ActionList(NamedTuple):
    """The action items `pmlint actions` lists, and the date they were judged on."""

    actions: Sequence[Action]
    today: dt.date
