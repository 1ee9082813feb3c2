"""The repository index: a small summary of every post-mortem.

Repository rules (PM7xx) and the tracker, `pmlint actions` and `pmlint report`
read summaries, not documents, so that they can be cached and built for
thousands of files without holding every model in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from postmortem_lint.facts import INCIDENT_REF, filename_date, parse_date, parse_duration, parse_incident

if TYPE_CHECKING:
    from postmortem_lint.model import PostMortem
    from postmortem_lint.source import Source


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


def summarize(doc: PostMortem) -> Summary:
    """The summary of one document (pure)."""
    from postmortem_lint.checks.pm50x_actions import action_items
    from postmortem_lint.measures import measures
    from postmortem_lint.text import strip_inline

    fields = {k: f.value for k, f in doc.fields.items()}
    inc = doc.fields.get("incident_number")
    date = doc.fields.get("date")
    title = doc.title.text.split(":", 1)[-1].strip() if doc.title else ""
    actions = tuple(
        ActionSummary(
            strip_inline(a.id.text),
            strip_inline(a.action.text),
            strip_inline(a.owner.text),
            strip_inline(a.priority.text),
            strip_inline(a.due.text),
            strip_inline(a.status.text),
            a.row.line,
            a.owner.column,
            a.due.column,
        )
        for a in action_items(doc)
    )
    return Summary(
        path=doc.path,
        title=title,
        title_line=doc.title.line if doc.title else 1,
        incident=inc.value if inc else "",
        incident_line=inc.line if inc else 1,
        incident_column=inc.column if inc else 1,
        date=fields.get("date", ""),
        status=doc.status,
        status_text=fields.get("status", ""),
        severity=fields.get("severity", ""),
        duration_minutes=parse_duration(fields.get("duration", "")),
        related=tuple(_related(doc)),
        actions=actions,
        fields=fields,
        date_line=date.line if date else 1,
        date_column=date.column if date else 1,
        **measures(doc),
    )


def header_summary(path: str, source: Source) -> Summary:
    """A summary from the header fields alone (`build.header_fields`), without parsing.

    Enough for the cross-file rules' view of a post-mortem that is not being
    reported on: its incident number and date. Never cached, never reported.
    """
    from postmortem_lint.build import header_fields

    fields = header_fields(source, ("incident", "date"))
    inc = fields.get("incident_number")
    date = fields.get("date")
    return Summary(
        path=path,
        incident=inc.value if inc else "",
        incident_line=inc.line if inc else 1,
        incident_column=inc.column if inc else 1,
        date=date.value if date else "",
        fields={k: f.value for k, f in fields.items()},
        date_line=date.line if date else 1,
        date_column=date.column if date else 1,
    )


def _related(doc: PostMortem) -> Iterator[tuple[str, int, int]]:
    """Incident references under Related Incidents: (number, line, column)."""
    section = doc.subsection("supporting data", "related incidents") or doc.section("related incidents")
    if section is None:
        return
    for number in range(section.line + 1, section.end_line + 1):
        for match in INCIDENT_REF.finditer(doc.source.line(number)):
            yield match.group(0), number, match.start() + 1


@dataclass
class RepoIndex:
    """Every post-mortem's summary, by path, plus those at ``--against REF``."""

    summaries: dict[str, Summary] = field(default_factory=dict)
    against: dict[str, Summary] = field(default_factory=dict)
    against_ref: str | None = None

    @classmethod
    def of(cls, summaries: Iterable[Summary]) -> RepoIndex:
        return cls({s.path: s for s in summaries})

    def by_incident(self) -> dict[str, list[Summary]]:
        found: dict[str, list[Summary]] = {}
        for summary in sorted(self.summaries.values(), key=lambda s: s.path):
            if parse_incident(summary.incident):
                found.setdefault(summary.incident, []).append(summary)
        return found
