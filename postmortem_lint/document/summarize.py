"""A summary (`document.summary.Summary`) from the header lines alone, without parsing.

The full summary reads the document through the run's template pack:
`packs.templates.summarize`.
"""

from __future__ import annotations

from postmortem_lint.document.build import header_fields
from postmortem_lint.document.source import Source
from postmortem_lint.document.summary import Summary


def header_summary(path: str, source: Source) -> Summary:
    """A summary from the header fields alone (`build.header_fields`), without parsing.

    Enough for the cross-file rules' view of a post-mortem that is not being
    reported on: its incident number and date. Never cached, never reported.
    Only for packs whose incident number and date are header lines (`header_readable`).
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
