"""PM412 timeline-gap: a long stretch of the impact window with no timeline event."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from postmortem_lint.checks import content_facts as facts
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document.model import PostMortem


@rule("PM412", "timeline-gap", "warning")
def timeline_gap(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Warns when the timeline has no event for longer than `timeline-gap`
    minutes (default 120) inside the impact window: from the first impact (the
    start of the `**Time:**` range, else the "first signs" row) to the restore
    row (else the end of the range). Rows are read through the template pack's
    timeline table; before the impact and after the restore, quiet hours are
    expected and not reported.

    ## Why is this bad?
    What the responders did during those hours is what the review needs most: a
    gap hides a stalled diagnosis, a handover or a wait nobody wrote down.

    ## Example
    ```markdown
    ## Timeline

    | Time | Event | Actor |
    |------|-------|-------|
    | 14:05 | First signs of issue: tax provider 429s begin | System |
    | 14:14 | Alert triggered: CheckoutLatencyP95High | Monitoring |
    | 17:40 | Root cause identified | Elena Petrova |
    | 17:55 | Service restored | System |
    ```

    ## Use instead
    ```markdown
    ## Timeline

    | Time | Event | Actor |
    |------|-------|-------|
    | 14:05 | First signs of issue: tax provider 429s begin | System |
    | 14:14 | Alert triggered: CheckoutLatencyP95High | Monitoring |
    | 15:30 | Handover to the pricing team; rollback prepared | Priya Raman |
    | 17:20 | Rollback of pricing-service started | Elena Petrova |
    | 17:40 | Root cause identified | Elena Petrova |
    | 17:55 | Service restored | System |
    ```
    """
    pack = ctx.packs.template()
    events = facts.timeline(doc, pack)
    if len(events) < 2:
        return
    found = facts.clock_range(doc, pack)
    started = facts.first(events, facts.STARTED)
    begin = started.minute if started else (found[1] + events[0].minute // 1440 * 1440 if found else None)
    if begin is None:
        return
    restored = facts.first(events, facts.RESTORED, begin)
    end = restored.minute if restored else (found[2] + events[0].minute // 1440 * 1440 if found else None)
    if end is None or end <= begin:
        return
    inside = [e for e in events if begin <= e.minute <= end]
    for before, after in itertools.pairwise(inside):
        gap = after.minute - before.minute
        if gap > ctx.settings.timeline_gap:
            yield Finding(
                after.line,
                f"no timeline event for {facts.span(gap)} inside the impact window, between {before.time} (line {before.line}) "
                f"and {after.time}: what happened in between?",
                0,
                after.line,
                0,
                after.time,
            )
