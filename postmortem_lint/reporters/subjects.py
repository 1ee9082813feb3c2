"""What each reporter is given: one record per subject (`CheckReport`, `ActionList`; `pmlint report` prints an `insights.Report`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from postmortem_lint.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from postmortem_lint.features.actions import Action


class CheckReport(NamedTuple):
    """A check's diagnostics and how to show them."""

    diagnostics: Sequence[Diagnostic]
    files_checked: int
    colour: bool | None = None
    """Colour on or off (None: on a TTY unless NO_COLOR)."""
    quiet: bool = False
    path_prefix: str = ""
    """The project root relative to the repository top ('' or 'sub/'): CI formats want repository paths."""


class ActionList(NamedTuple):
    """The action items `pmlint actions` lists, and the date they were judged on."""

    actions: Sequence[Action]
    today: dt.date
