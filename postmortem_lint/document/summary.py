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
    """Report facts (`measures.py`): stated and timeline TTD/TTM, primary cause, systems affected, stated category."""

    @property
    def incident_date(self) -> dt.date | None:
        return parse_date(self.date) or filename_date(PurePosixPath(self.path).name)
