"""A document's summary (`document.summary.Summary`): from the built model, or from the header lines alone."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.core.facts import INCIDENT_REF, parse_duration
from postmortem_lint.core.text import strip_inline
from postmortem_lint.document.build import header_fields
from postmortem_lint.document.measures import measures
from postmortem_lint.document.model import PostMortem
from postmortem_lint.document.source import Source
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.document.tables import action_items


def summarize(doc: PostMortem) -> Summary:
    """The summary of one document (pure)."""

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
