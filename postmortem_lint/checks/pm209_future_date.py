"""PM209 date-in-future: the post-mortem is dated after today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from postmortem_lint.checks.context import Context, RepoIndex
from postmortem_lint.checks.registry import repo_rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document.summary import Summary

SLACK = dt.timedelta(days=1)
"""A day of slack: the incident's date is written in its own time zone, which may be ahead of the runner's."""


@repo_rule("PM209", "date-in-future", "warning")
def date_in_future(summary: Summary, index: RepoIndex, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Flags a post-mortem whose date (`**Date:**`, else the date in the file
    name) is more than a day after today. Today is the later of the real date
    and `--today`, so that pinning `--today` to a past day for reproducible
    runs does not put real post-mortems in the future.

    It reads the repository index rather than the document, so that cached
    per-file results do not depend on the date of the run.

    ## Why is this bad?
    An incident cannot be written up before it happens: the date is a typo (a
    wrong year or month), and the tracker, the report's months and the incident
    number all inherit it.

    ## Example
    ```markdown
    **Incident Number:** INC-2099-03-14-001
    **Date:** 2099-03-14
    ```

    ## Use instead
    ```markdown
    **Incident Number:** INC-2026-03-14-001
    **Date:** 2026-03-14
    ```
    """
    date = summary.incident_date
    today = max(ctx.today, dt.date.today())
    if date is not None and date > today + SLACK:
        message = f"the post-mortem is dated {date.isoformat()}, after today ({today.isoformat()}): check the year and month"
        end = summary.date_column + len(summary.date)
        yield Finding(summary.date_line, message, summary.date_column, summary.date_line, end, text=date.isoformat())
