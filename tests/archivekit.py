"""A generated archive with known answers, for `pmlint actions` and `pmlint report` tests.

`specs(n)` describes n incidents by formula (severity, date, stated and timeline
TTD/TTM, primary cause, systems, related incidents, action items); `write(root,
specs)` writes them as post-mortems under `root/tasks/`. Tests compute the
expected numbers from the specs, never from pmlint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

TODAY = dt.date(2026, 3, 20)
CAUSES = (
    ("A deploy shipped an unbounded retry loop in the job scheduler", "code"),
    ("A configuration change lowered the connection limit", "config"),
    ("An expired TLS certificate on the internal load balancer", "infrastructure"),
    ("The payment provider made an unannounced API change", "third-party"),
    ("A runbook step skipped the drain of the old nodes", "human/process"),
    ("Still under investigation", "unknown"),
)
STATUSES = ("Open", "In Progress", "Done", "Closed", "Blocked", "Won't Do")
OWNERS = ("Dana Cho", "Sam Lee", "@sre-oncall")
PRIORITIES = ("High", "Medium", "Low")


@dataclass(frozen=True)
class Item:
    owner: str
    priority: str
    due: dt.date
    status: str

    @property
    def open(self) -> bool:
        return self.status not in ("Done", "Closed", "Won't Do")

    @property
    def overdue(self) -> bool:
        return self.open and self.due < TODAY


@dataclass(frozen=True)
class Spec:
    date: dt.date
    severity: int
    ttd: int | None
    ttm: int | None
    timeline_ttd: int
    timeline_ttm: int
    cause: str
    category: str
    systems: tuple[str, ...]
    items: tuple[Item, ...]
    related: tuple[str, ...] = field(default=())

    @property
    def number(self) -> str:
        return f"INC-{self.date.isoformat()}-001"

    @property
    def path(self) -> str:
        return f"tasks/post-mortem-{self.date.isoformat()}-incident-{self.date.strftime('%m%d')}.md"


def specs(count: int) -> list[Spec]:
    """``count`` incidents, one every five days from 2025-01-03, varied by formula."""
    out: list[Spec] = []
    for i in range(count):
        date = dt.date(2025, 1, 3) + dt.timedelta(days=5 * i)
        cause, category = CAUSES[i % len(CAUSES)]
        items = tuple(_item(i, j) for j in range(1 + i % 3))
        related = (out[i - 1].number,) if i % 4 == 1 else ()
        if i % 10 == 3:
            related += ("INC-2001-01-01-001",)
        out.append(
            Spec(
                date=date,
                severity=1 + (i * 3) % 4,
                ttd=None if i % 5 == 4 else 5 + i % 7,
                ttm=None if i % 6 == 5 else 30 + 10 * (i % 4),
                timeline_ttd=5 + i % 7 if i % 9 else 30 + i % 7,
                timeline_ttm=30 + 10 * (i % 4),
                cause=cause,
                category=category,
                systems=("checkout-api", f"worker-{i % 3}") if i % 2 else ("Checkout-API",),
                items=items,
                related=related,
            )
        )
    if count > 8:
        out[8] = _with_related(out[8], out[9].number)
        out[9] = _with_related(out[9], out[8].number)
    return out


def _item(i: int, j: int) -> Item:
    """Item j of incident i: due between 30 days before and 29 days after TODAY."""
    due = TODAY + dt.timedelta(days=(i * 7 + j * 11) % 60 - 30)
    return Item(OWNERS[(i + j) % 3], PRIORITIES[(i + 2 * j) % 3], due, STATUSES[(i + j) % 6])


def _with_related(spec: Spec, number: str) -> Spec:

    return replace(spec, related=(*spec.related, number))


def render(spec: Spec) -> str:
    start = 10 * 60
    rows = [
        (start - 20, "Normal system operation", "System"),
        (start, "First signs of errors", "System"),
        (start + spec.timeline_ttd, "Alert triggered: HighErrorRate", "Monitoring"),
        (start + spec.timeline_ttm, "Service restored", "System"),
    ]
    timeline = "\n".join(f"| {m // 60:02d}:{m % 60:02d} | {event} | {actor} |" for m, event, actor in rows)
    items = "\n".join(
        f"| AI-{n:03d} | Action {n} of {spec.number} | {it.owner} | {it.priority} | {it.due.isoformat()} | {it.status} |"
        for n, it in enumerate(spec.items, start=1)
    )
    related = "\n".join(f"- [{r}] - an earlier incident" for r in spec.related) or "- None"
    ttd = f"{spec.ttd} minutes" if spec.ttd is not None else "[X minutes]"
    ttm = f"{spec.ttm} minutes" if spec.ttm is not None else "[X minutes]"
    return f"""# Post-Mortem: Incident of {spec.date.isoformat()}

**Incident Number:** {spec.number}
**Date:** {spec.date.isoformat()}
**Time:** 10:00 - 11:30 UTC
**Duration:** 1 hour 30 minutes
**Severity:** SEV-{spec.severity}
**Author:** Dana Cho
**Status:** Final

## Impact

### Technical Impact
- **Systems Affected:** {", ".join(spec.systems)}

## Timeline

| Time | Event | Actor |
|------|-------|-------|
{timeline}

## Root Cause Analysis

### Root Cause
**Primary Cause:** {spec.cause}.

## Detection and Response

### Detection
- **Time to Detect (TTD):** {ttd}

### Response
- **Time to Mitigate (TTM):** {ttm}

## Action Items

| ID | Action | Owner | Priority | Due Date | Status |
|----|--------|-------|----------|----------|--------|
{items}

## Supporting Data

### Related Incidents
{related}
"""


def write(root: Path, incidents: list[Spec]) -> Path:
    """The archive as a project folder (run pmlint with ``root`` as the working directory)."""
    (root / "tasks").mkdir(parents=True, exist_ok=True)
    for spec in incidents:
        (root / spec.path).write_text(render(spec), encoding="utf-8")
    return root
