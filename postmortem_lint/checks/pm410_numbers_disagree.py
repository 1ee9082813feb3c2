"""PM410 numbers-disagree: a stated duration or time-to-X that the document's own timeline contradicts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks import content_facts as facts
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.facts import parse_duration
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundField
from postmortem_lint.packs.templates.runtime import TemplatePack

MEASURES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("time-to-detect", "the first alert", facts.DETECTED),
    ("time-to-mitigate", "the restore", facts.RESTORED),
    ("time-to-resolve", "the resolution", facts.RESOLVED),
)
"""Each measure of the pack, what the timeline row that ends it is called, and the words of that row."""


@rule("PM410", "numbers-disagree", COMPLETENESS)
def numbers_disagree(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Compares the durations a post-mortem states with the ones its own timeline
    gives, and names both lines when they differ by more than
    `numbers-tolerance` minutes (default 5):

    - the stated duration (the pack's `duration` field, `**Duration:**` in the
      seed) against the timeline from the first impact row (the start of the
      `**Time:**` range, else the "first signs" row) to the restore row, or to
      the resolution row; it is reported only when it matches neither;
    - the stated time to detect, to mitigate and to resolve (the pack's
      `measures`: `**Time to Detect (TTD):**`, `Time to recovery`, …) against
      the minutes from the first impact to the alert, restore or resolution
      rows of the timeline (reported when no such row matches; the message
      names the first).

    When the timeline marks no first impact, the two are still compared with
    each other: time to mitigate less time to detect against the first alert
    to the restore row. A figure the document does not state, or a milestone
    the timeline does not show, is not compared. The Duration against the `**Time:**` range is
    PM208's (a Duration that disagrees with the range is left to it). Warning on a Draft.

    ## Why is this bad?
    Reports average these numbers; when the summary says two hours and the
    timeline shows ninety minutes, one of them is wrong, and readers cannot tell which.

    ## Example
    ```markdown
    - **Time to Detect (TTD):** 25 minutes

    | 14:05 | First signs of issue: tax provider 429s begin |
    | 14:14 | Alert triggered: CheckoutLatencyP95High |
    ```

    ## Use instead
    ```markdown
    - **Time to Detect (TTD):** 9 minutes
    ```
    """
    pack = ctx.packs.template()
    tolerance = ctx.settings.numbers_tolerance
    events = facts.timeline(doc, pack)
    if not events:
        return
    start = _start(doc, pack, events)
    if start is None:
        yield from _without_start(doc, pack, events, tolerance)
        return
    begin, begin_line, begin_name = start
    duration = facts.field_of_type(doc, pack, "duration")
    stated = parse_duration(duration.value) if duration else None
    ranged = facts.clock_range(doc, pack)
    if ranged is not None and stated is not None and abs(ranged[2] - ranged[1] - stated) % (24 * 60) > tolerance:
        stated = None  # the Duration against the range is PM208's
    if duration is not None and stated is not None:
        ends = [e for e in (facts.first(events, facts.RESTORED, begin), facts.first(events, facts.RESOLVED, begin)) if e]
        if ends and all(abs(e.minute - begin - stated) > tolerance for e in ends):
            end = ends[0]
            yield _finding(
                duration,
                f"Duration says {facts.span(stated)}, but the timeline runs {facts.span(end.minute - begin)} from {begin_name} "
                f"at {facts.clock(begin)} (line {begin_line}) to the restore at {end.time} (line {end.line})",
            )
    for name, what, pattern in MEASURES:
        found = reader.find_measure(doc, pack, name)
        minutes = parse_duration(found.value) if found else None
        if found is None or minutes is None:
            continue
        ends = _rows_from(events, pattern, begin)
        if not ends:
            continue
        end = ends[0]
        computed = end.minute - begin
        if all(abs(e.minute - begin - minutes) > tolerance for e in ends):
            yield _finding(
                found,
                f"{found.label} says {facts.span(minutes)}, but the timeline gives {facts.span(computed)} from {begin_name} "
                f"at {facts.clock(begin)} (line {begin_line}) to {what} at {end.time} (line {end.line})",
            )


def _rows_from(events: tuple[facts.Event, ...], pattern: re.Pattern[str], begin: int) -> list[facts.Event]:
    """The rows of ``pattern`` from ``begin`` on: the first is ``facts.first(events, pattern, begin)``, and the timeline
    is searched once for it and for the others a stated measure may match."""
    return [e for e in events if e.minute >= begin and pattern.search(e.text)]


def _without_start(doc: PostMortem, pack: TemplatePack, events: tuple[facts.Event, ...], tolerance: int) -> Iterator[Finding]:
    """With no first-impact row, TTD and TTM still count from the same moment: TTM − TTD is the alert-to-restore time."""
    detect, mitigate = reader.find_measure(doc, pack, "time-to-detect"), reader.find_measure(doc, pack, "time-to-mitigate")
    ttd = parse_duration(detect.value) if detect else None
    ttm = parse_duration(mitigate.value) if mitigate else None
    alert = facts.first(events, facts.DETECTED)
    restored = facts.first(events, facts.RESTORED, alert.minute) if alert else None
    if mitigate is None or detect is None or ttd is None or ttm is None or alert is None or restored is None:
        return
    alerts = [e for e in events if facts.DETECTED.search(e.text) and e.minute <= restored.minute]
    if any(abs(ttm - ttd - (restored.minute - a.minute)) <= tolerance for a in alerts):
        return
    between = restored.minute - alert.minute
    yield _finding(
        mitigate,
        f"{mitigate.label} ({facts.span(ttm)}) less {detect.label} ({facts.span(ttd)}, line {detect.line}) is "
        f"{facts.span(ttm - ttd)}, but the timeline gives {facts.span(between)} from the first alert at {alert.time} "
        f"(line {alert.line}) to the restore at {restored.time} (line {restored.line})",
    )


def _start(doc: PostMortem, pack: TemplatePack, events: tuple[facts.Event, ...]) -> tuple[int, int, str] | None:
    """The first impact: the start of the clock range, else the timeline's "first signs" row (minute, line, name)."""
    found = facts.clock_range(doc, pack)
    if found is not None:
        field, begin, _ = found
        day_shift = events[0].minute // (24 * 60) * 24 * 60 if events else 0
        return begin + day_shift, field.line, "the start of the time range"
    row = facts.first(events, facts.STARTED)
    return (row.minute, row.line, "the first impact") if row else None


def _finding(field: FoundField, message: str) -> Finding:
    return Finding(field.line, message, field.column, field.line, field.column + len(field.raw), field.raw)
