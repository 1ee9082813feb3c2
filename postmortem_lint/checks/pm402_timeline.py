"""PM402 timeline-table and PM403 timeline-order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace

from postmortem_lint.checks import fixers
from postmortem_lint.checks._template import fields_of, is_slot, reading
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.facts import parse_stamp, parse_time_range
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundTable
from postmortem_lint.packs.templates.runtime import TemplatePack


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
    pack = ctx.packs.template()
    spec = pack.table("timeline")
    section = reader.find_section(doc, pack, spec.section) if spec else None
    if spec is None or section is None:
        return
    found = reader.find_table(doc, pack, "timeline")
    if found is None:
        if spec.required:
            heading = f"{'#' * section.level} {section.spec.name}" if section.level else section.spec.name
            yield Finding(section.line, f"`{heading}` has no table `| {spec.shape} |`", 1, text="timeline")
        return
    table = found.table
    if not spec.header_ok(table.columns):
        yield Finding(
            table.line,
            f"timeline header is `{' | '.join(table.columns)}`, expected `{spec.shape}`",
            1,
            text="|".join(table.columns),
        )
        return
    yield from _row_problems(found, pack)


def _row_problems(found: FoundTable, pack: TemplatePack) -> Iterator[Finding]:
    stamps = [c.role for c in found.spec.columns if c.type in ("timestamp", "when") and c.role in found.layout]
    loose = {c.role for c in found.spec.columns if c.type == "when"}
    filled_ = [c for c in found.spec.columns if c.filled and c.role in found.layout]
    for row in found.table.rows:
        time = found.cell(row, stamps[0]) if stamps else None
        for role in stamps:
            cell = found.cell(row, role)
            if not is_slot(pack, cell.text) and parse_stamp(cell.text) is None and not (role in loose and _when(cell.text)):
                yield Finding(
                    row.line, f"timeline time `{cell.text or '(empty)'}` is not `HH:MM` or `YYYY-MM-DD HH:MM`", cell.column, text=cell.text
                )
        for column in filled_:
            cell = found.cell(row, column.role)
            if not cell.text.strip(" -"):
                yield Finding(
                    row.line, f"timeline row has an empty {column.name}", cell.column, text=f"{column.name}:{time.text if time else ''}"
                )


_APPROXIMATE = re.compile(r"^(?:~|ca\.?\s|approx\.?\s)?(?P<text>.*?)~?$", re.I)
_MONTH_DAY = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
_DAY = re.compile(rf"^(?:\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH_DAY})$", re.I)
_RANGE = re.compile(r"^(?P<start>.+?\d{1,2}:\d{2})\s*[-–]\s*\d{1,2}:\d{2}$")


def _when(text: str) -> bool:
    """A `when` cell: a timestamp, a day alone (`2021-12-10`, `Dec 16`), or a timestamp range, approximate (`~`) or not."""
    plain = _APPROXIMATE.match(text.strip())
    value = plain["text"].strip() if plain else text
    ranged = _RANGE.match(value)
    if ranged and parse_stamp(ranged["start"]) is not None:
        return True
    return parse_stamp(value) is not None or _DAY.match(value) is not None


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
    pack = ctx.packs.template()
    found = reader.find_table(doc, pack, "timeline")
    if found is None or "time" not in found.layout:
        return
    clock = next(fields_of(pack, "clock-range"), None)
    field = reading(doc, ctx).fields.get(clock.key) if clock else None
    span = parse_time_range(field.value) if field else None
    may_wrap = bool(span and span.crosses_midnight)
    findings = list(_order(found, may_wrap))
    if findings:  # the sorted table is worked out only for a timeline out of order
        fix = fixers.sort_timeline(doc, found.table, found.layout["time"], may_wrap)
        yield from (replace(f, fix=fix) for f in findings)


def _order(found: FoundTable, may_wrap: bool) -> Iterator[Finding]:
    previous: tuple[dt.date | None, int] | None = None
    day_offset = 0
    current_date: dt.date | None = None
    for row in found.table.rows:
        cell = found.cell(row, "time")
        stamp = parse_stamp(cell.text)
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
                    f"timeline row at {cell.text} comes after a later one ({_show(previous)})",
                    cell.column,
                    text=cell.text,
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
