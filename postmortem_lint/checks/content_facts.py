"""What the content rules (PM410–PM413, PM802) read through the template pack: fields by type, the timeline's
rows as minutes, its milestones, the document's canonical status. Pure; no rule of its own."""

from __future__ import annotations

import re
from typing import NamedTuple

from postmortem_lint.core.facts import parse_stamp, parse_time_range
from postmortem_lint.core.memo import keep_last
from postmortem_lint.core.text import strip_inline
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundField
from postmortem_lint.packs.templates.runtime import TemplatePack

STARTED = re.compile(
    r"\b(?:first signs?|impact (?:began|begins|started|starts)|(?:incident|outage|issue|problem|errors?) (?:began|begins|started|starts)"
    r"|started failing|began failing|customer impact (?:began|begins|starts|started))\b",
    re.I,
)
DETECTED = re.compile(r"\b(?:alert(?:ed|s)?(?: (?:fired|triggered))?|paged?|detected|noticed|reported)\b", re.I)
RESTORED = re.compile(r"\b(?:restored|recovered|mitigated|mitigation (?:was )?successful|back to (?:normal|baseline))\b", re.I)
RESOLVED = re.compile(r"\b(?:resolved|incident closed|closed the incident|all clear)\b", re.I)
"""Timeline milestones by the words of their event: first signs, alert, restored, resolved."""
_ZONE = re.compile(r"\s{0,3}(?:\(?\b(?:UTC|GMT|Z|[A-Z]{2,4}T|[+-]\d{2}:?\d{2})\)?)$")


class Event(NamedTuple):
    """One timeline row: its line, its minute (counted from midnight of the incident's day), time and event text."""

    line: int
    minute: int
    time: str
    text: str


def field_of_type(doc: PostMortem, pack: TemplatePack, kind: str) -> FoundField | None:
    """The first field of the pack of type ``kind`` that the document fills."""
    fields = reader.read(doc, pack).fields
    return next((fields[s.key] for s in pack.fields if s.type == kind and s.key in fields and fields[s.key].value), None)


def clock_range(doc: PostMortem, pack: TemplatePack) -> tuple[FoundField, int, int] | None:
    """The clock-range field with its start and end minute (the end past midnight when it wraps)."""
    found = field_of_type(doc, pack, "clock-range")
    span = parse_time_range(found.value) if found else None
    if found is None or span is None:
        return None
    return found, span.start, span.end if span.end >= span.start else span.end + 24 * 60


@keep_last
def timeline(doc: PostMortem, pack: TemplatePack) -> tuple[Event, ...]:
    """The timeline table's rows that carry a time, in document order (later days past 1440, midnight wraps followed).

    The last answer is kept: PM410 and PM412 ask in turn."""
    table = reader.find_table(doc, pack, "timeline")
    if table is None or "time" not in table.layout or "event" not in table.layout:
        return ()
    day = reader.incident_date(doc, pack)
    events: list[Event] = []
    for row in table.table.rows:
        time = strip_inline(table.cell(row, "time").text).strip()
        stamp = parse_stamp(_ZONE.sub("", time)) if len(time) <= 40 else None
        if stamp is None:
            continue
        date, minute = stamp
        if date is not None:
            day = day or date
            minute += (date - day).days * 24 * 60
        elif events and minute < events[-1].minute - 12 * 60 and events[-1].minute < 24 * 60 * 2:
            minute += 24 * 60 * ((events[-1].minute - minute) // (24 * 60) + 1)
        events.append(Event(row.line, minute, time, strip_inline(table.cell(row, "event").text)))
    return tuple(events)


def first(events: tuple[Event, ...], pattern: re.Pattern[str], after: int | None = None) -> Event | None:
    return next((e for e in events if pattern.search(e.text) and (after is None or e.minute >= after)), None)


def status_kind(doc: PostMortem, pack: TemplatePack) -> str | None:
    """``final`` or ``draft`` by the pack's status vocabulary; None when neither or there is no status."""
    vocabulary = pack.vocabulary("status")
    spec = next((s for s in pack.fields if s.vocabulary == "status" or s.key == "status"), None)
    fields = reader.read(doc, pack).fields
    value = fields[spec.key].value if spec is not None and spec.key in fields else None
    canonical = vocabulary.canonical(value) if vocabulary is not None and value else None
    if canonical is None:
        return None
    if canonical in vocabulary.final:
        return "final"
    return "draft" if canonical in vocabulary.drafts else None


def clock(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def span(minutes: int) -> str:
    """``90`` -> ``1 hour 30 minutes``."""
    hours, rest = divmod(abs(minutes), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not parts:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
