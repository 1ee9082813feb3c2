"""Parse the values post-mortems state (dates, times, durations, incident numbers).

Shared by the rules, the repository index, the tracker and the report, so that a
value means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

FILENAME = re.compile(r"^post-mortem-(\d{4})-(\d{2})-(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FILENAME_DATE = re.compile(r"post-mortem-(\d{4})-(\d{1,2})-(\d{1,2})")
INCIDENT = re.compile(r"^INC-(\d{4})-(\d{2})-(\d{2})-(\d+)$")
INCIDENT_REF = re.compile(r"INC-\d{4}-\d{2}-\d{2}(?:-\d+)?")
SEVERITY = re.compile(r"^SEV-([1-4])(?:\s*(?:\(.*\)|[-–:].*))?$", re.I)
TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s+([A-Za-z][\w+\-/:]*)$")
STAMP = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})[ T]+)?(\d{1,2}):(\d{2})(?::\d{2})?$")
_DURATION_PART = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?)\b", re.I)
_DURATION_FORM = re.compile(r"^(?:\d+(?:\.\d+)?\s*(?:d|days?|h|hrs?|hours?|m|mins?|minutes?)\b[\s,]*(?:and\s+)?)+$", re.I)
_UNIT_MINUTES = {"d": 1440, "h": 60, "m": 1}


def parse_date(text: str) -> dt.date | None:
    """A real calendar date from ``YYYY-MM-DD`` (None when malformed or impossible)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if not match:
        return None
    return _date(*match.groups())


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def filename_date(name: str) -> dt.date | None:
    match = FILENAME.match(name)
    return _date(*match.groups()[:3]) if match else None


@dataclass(frozen=True, slots=True)
class Incident:
    number: str
    date: dt.date | None
    sequence: int


def parse_incident(text: str) -> Incident | None:
    """``INC-2026-03-14-001`` -> Incident (date None when the date is impossible)."""
    match = INCIDENT.match(text.strip())
    if not match:
        return None
    return Incident(match.group(0), _date(*match.groups()[:3]), int(match.group(4)))


@dataclass(frozen=True, slots=True)
class TimeRange:
    start: int
    end: int
    zone: str

    @property
    def minutes(self) -> int:
        """Length in minutes; an end before the start crosses midnight."""
        return (self.end - self.start) % 1440

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start


@functools.lru_cache(maxsize=1024)
def parse_time_range(text: str) -> TimeRange | None:
    """``HH:MM-HH:MM ZONE`` -> a `TimeRange` (cached, like `parse_stamp`: the header's time range is read by several rules)."""
    match = TIME_RANGE.match(text.strip())
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups()[:4])
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None
    return TimeRange(h1 * 60 + m1, h2 * 60 + m2, match.group(5))


def _drop_aside(text: str) -> str:
    """'2 hours (approx.)' -> '2 hours': a trailing parenthesised aside, from its first '('."""
    if text.endswith(")") and "(" in text:
        return text[: text.index("(")].rstrip()
    return text


@functools.lru_cache(maxsize=1024)
def parse_duration(text: str) -> int | None:
    """Minutes in '2 hours 30 minutes', '2h 30m', '150 minutes', '45 min', '1 hour' (cached, like `parse_stamp`: the
    header's durations are read by several rules)."""
    cleaned = _drop_aside(text.strip()).strip(" ~≈")
    if not cleaned or not _DURATION_FORM.match(cleaned):
        return None
    total = 0.0
    for amount, unit in _DURATION_PART.findall(cleaned):
        total += float(amount) * _UNIT_MINUTES[unit[0].lower()]
    return round(total)


@functools.lru_cache(maxsize=4096)
def parse_stamp(text: str) -> tuple[dt.date | None, int] | None:
    """A timeline cell ``HH:MM`` or ``YYYY-MM-DD HH:MM`` -> (date or None, minute of day).

    Cached: four readers of a timeline (its rule, its facts, the measures, the fixes) parse each cell in turn (three
    asks in four are repeats within a document, on the generated archives and on the public ones)."""
    match = STAMP.match(text.strip())
    if not match:
        return None
    day = parse_date(match.group(1)) if match.group(1) else None
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59 or (match.group(1) and day is None):
        return None
    return day, hour * 60 + minute
