"""PM402 timeline-table and PM403 timeline-order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from postmortem_lint.checks import fixers
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.facts import parse_stamp, parse_time_range
from postmortem_lint.core.placeholders import is_placeholder
from postmortem_lint.core.text import heading_key
from postmortem_lint.document.model import PostMortem, Row, Table
from postmortem_lint.document.tables import column_index, first_table

COLUMNS = ("time", "event", "actor")


@rule("PM402", "timeline-table", "error")
def timeline_table(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that `## Timeline` has a table with the header `Time | Event | Actor`,
    that every Time cell is `HH:MM` or `YYYY-MM-DD HH:MM`, and that no Event or
    Actor cell is empty.

    ## Why is this bad?
    The timeline is where time to detect and time to mitigate come from; prose
    or free-form times cannot be checked, sorted or measured.

    ## Example
    ```markdown
    ## Timeline

    | Time | Event | Actor |
    |------|-------|-------|
    | 2:05pm | Alert fired | Monitoring |
    ```

    ## Use instead
    ```markdown
    ## Timeline

    | Time | Event | Actor |
    |------|-------|-------|
    | 14:05 | Alert fired | Monitoring |
    ```
    """
    section = doc.section("timeline")
    if section is None:
        return
    table = first_table(doc, "timeline")
    if table is None:
        yield Finding(section.line, "`## Timeline` has no table `| Time | Event | Actor |`", 1, text="timeline")
        return
    header = tuple(heading_key(c) for c in table.columns)
    if header[:3] != COLUMNS:
        yield Finding(
            table.line,
            f"timeline header is `{' | '.join(table.columns)}`, expected `Time | Event | Actor`",
            1,
            text="|".join(table.columns),
        )
        return
    for row in table.rows:
        yield from _row_problems(row)


def _row_problems(row: Row) -> Iterator[Finding]:
    time, event, actor = row.cell(0), row.cell(1), row.cell(2)
    if not is_placeholder(time.text) and parse_stamp(time.text) is None:
        yield Finding(
            row.line, f"timeline time `{time.text or '(empty)'}` is not `HH:MM` or `YYYY-MM-DD HH:MM`", time.column, text=time.text
        )
    for name, cell in (("Event", event), ("Actor", actor)):
        if not cell.text.strip(" -"):
            yield Finding(row.line, f"timeline row has an empty {name}", cell.column, text=f"{name}:{time.text}")


@rule("PM403", "timeline-order", "error")
def timeline_order(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that timeline rows are in chronological order. Without dates in the
    Time column, one wrap past midnight is allowed, and only when the header
    `**Time:**` range crosses midnight.

    ## Why is this bad?
    An out-of-order row is usually a typo in a time, and every duration computed
    from the timeline is then wrong.

    ## Example
    ```markdown
    ## Timeline

    | Time | Event | Actor |
    |------|-------|-------|
    | 14:05 | Alert fired | Monitoring |
    | 13:50 | Incident declared | Dana Cho |
    ```

    ## Use instead
    ```markdown
    ## Timeline

    | Time | Event | Actor |
    |------|-------|-------|
    | 14:05 | Alert fired | Monitoring |
    | 14:10 | Incident declared | Dana Cho |
    ```
    """
    table = first_table(doc, "timeline")
    if table is None or column_index(table, "time") != 0:
        return
    field = doc.fields.get("time")
    span = parse_time_range(field.value) if field else None
    may_wrap = bool(span and span.crosses_midnight)
    fix = fixers.sort_timeline(doc, table, may_wrap)
    yield from (replace(f, fix=fix) for f in _order(table, may_wrap))


def _order(table: Table, may_wrap: bool) -> Iterator[Finding]:
    previous: tuple[dt.date | None, int] | None = None
    day_offset = 0
    current_date: dt.date | None = None
    for row in table.rows:
        stamp = parse_stamp(row.cell(0).text)
        if stamp is None:
            continue
        date, minute = stamp
        if date is not None:
            current_date, day_offset = date, 0
        key = (current_date, minute + day_offset)
        if previous is not None and _before(key, previous):
            if date is None and may_wrap and day_offset == 0 and previous[0] == current_date:
                day_offset = 1440
                key = (current_date, minute + day_offset)
            else:
                yield Finding(
                    row.line,
                    f"timeline row at {row.cell(0).text} comes after a later one ({_show(previous)})",
                    row.cell(0).column,
                    text=row.cell(0).text,
                )
                continue
        previous = key


def _before(a: tuple[dt.date | None, int], b: tuple[dt.date | None, int]) -> bool:
    if a[0] is not None and b[0] is not None and a[0] != b[0]:
        return a[0] < b[0]
    return a[1] < b[1]


def _show(stamp: tuple[dt.date | None, int]) -> str:
    minute = stamp[1] % 1440
    clock = f"{minute // 60:02d}:{minute % 60:02d}"
    return f"{stamp[0]} {clock}" if stamp[0] else clock
