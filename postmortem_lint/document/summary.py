"""A small summary of one post-mortem: what the repository rules, the tracker, `actions` and `report` read.

They read summaries, not documents, so that summaries can be cached and built for
thousands of files without holding every model in memory; `document.summarize`
makes them. This module imports no document model: a run served by the cache
decodes summaries without it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from postmortem_lint.core import vocab
from postmortem_lint.core.facts import filename_date, parse_date


@dataclass(frozen=True, slots=True)
class ActionSummary:
    id: str
    action: str
    owner: str
    priority: str
    due: str
    status: str
    line: int
    owner_column: int = 1
    due_column: int = 1
    unfinished: bool | None = None
    """Not finished under the pack's `action-status` vocabulary (None: by the seed's statuses, `vocab.is_open`)."""
    form: str = "table"
    """Where the item was written: a table row, a bullet or a task-list item (`reader.find_actions`)."""

    @property
    def open(self) -> bool:
        """Not finished (an unknown status counts as open)."""
        return vocab.is_open(self.status) if self.unfinished is None else self.unfinished


@dataclass(frozen=True, slots=True)
class Summary:
    """What the repository needs to know about one post-mortem."""

    path: str
    title: str = ""
    title_line: int = 1
    incident: str = ""
    incident_line: int = 1
    incident_column: int = 1
    date: str = ""
    status: str | None = None
    status_text: str = ""
    severity: str = ""
    duration_minutes: int | None = None
    related: tuple[tuple[str, int, int], ...] = ()
    actions: tuple[ActionSummary, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    ttd_minutes: int | None = None
    ttm_minutes: int | None = None
    timeline_ttd: int | None = None
    timeline_ttm: int | None = None
    root_cause: str = ""
    systems: tuple[str, ...] = ()
    root_cause_category: str = ""
    date_line: int = 1
    date_column: int = 1
    draft: bool = False
    """The status is one of the pack's draft statuses (completeness rules warn instead of failing)."""
    incident_day: str = ""
    known: tuple[str, ...] = ()
    """The vocabulary fields (``severity``, ``status``) whose value is one of the pack's."""
    """The incident date as the pack finds it (`reader.incident_date`), ISO; '' when it finds none."""
    """Report facts (`measures.py`): stated and timeline TTD/TTM, primary cause, systems affected, stated category."""

    @property
    def incident_date(self) -> dt.date | None:
        if self.incident_day:
            return dt.date.fromisoformat(self.incident_day)
        return parse_date(self.date) or filename_date(PurePosixPath(self.path).name)
