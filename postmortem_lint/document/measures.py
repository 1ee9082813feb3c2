"""What `pmlint report` needs from one post-mortem, beyond its header fields.

Time to detect and to mitigate as the document states them (the `### Detection`
and `### Response` bullets) and as its timeline shows them (the first alert or
report row, the first "restored" row, counted from the header's start time); the
primary root cause; the systems affected. Pure functions over the model; the
index stores the results as plain values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from postmortem_lint.core.facts import parse_date, parse_duration, parse_stamp, parse_time_range
from postmortem_lint.core.placeholders import is_placeholder
from postmortem_lint.core.text import heading_key, strip_inline
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Paragraph, PostMortem, Section
from postmortem_lint.document.tables import column_index, first_table

_LABELLED = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_\n]{1,60}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<value>.*)$")
DETECTED = re.compile(r"\b(?:alert(?:ed|s)?|paged?|detected|declared|reports?|reported|noticed|escalat\w*)\b", re.I)
MITIGATED = re.compile(r"\b(?:restored|recovered|mitigated|mitigation (?:was )?successful|back to (?:normal|baseline))\b", re.I)
STARTED = re.compile(r"\bfirst signs?\b", re.I)
_SPLIT = re.compile(r"(?<!\s)\s*(?:,|;|\band\b)\s*")
ROOT_CAUSE_CHARS = 300
DETECT_LABELS = ("time to detect", "ttd", "detection time")
MITIGATE_LABELS = ("time to mitigate", "ttm", "mitigation time")
"""Bullet labels (normalised: no parenthesised suffix) that state TTD and TTM."""


def measures(doc: PostMortem) -> dict[str, Any]:
    """The report's per-document facts, as `index.Summary` keyword arguments."""
    response = labelled(doc.section("detection and response"))
    detect, mitigate = timeline_times(doc)
    return {
        "ttd_minutes": _minutes(response, DETECT_LABELS),
        "ttm_minutes": _minutes(response, MITIGATE_LABELS),
        "timeline_ttd": detect,
        "timeline_ttm": mitigate,
        "root_cause": root_cause(doc),
        "systems": systems(doc),
        "root_cause_category": root_cause_category(doc),
    }


def _minutes(fields: dict[str, str], labels: tuple[str, ...]) -> int | None:
    return next((parse_duration(fields[k]) for k in labels if k in fields), None)


def labelled(section: Section | None) -> dict[str, str]:
    """``**Label:** value`` lines anywhere in a section: normalised label -> plain value (first wins)."""
    found: dict[str, str] = {}
    for block in flatten(section.all_blocks() if section else ()):
        if isinstance(block, Paragraph):
            for line in block.text.split("\n"):
                match = _LABELLED.match(line)
                if match:
                    found.setdefault(heading_key(match["label"]), strip_inline(match["value"]))
    return found


def root_cause(doc: PostMortem) -> str:
    """The primary cause as written (``**Primary Cause:**``), else the text of the root-cause section."""
    section = doc.subsection("root cause analysis", "root cause") or doc.section("root cause") or _named_root_cause(doc)
    if section is None:
        return ""
    primary = labelled(section).get("primary cause")
    if primary:
        return _capped(primary)
    paragraphs = [b.text for b in flatten(section.blocks) if isinstance(b, Paragraph)]
    return _capped(strip_inline(" ".join(paragraphs)))


CATEGORY_LABELS = ("category", "root cause category")
"""Labels of the stated root-cause category: `**Category:**` in `### Root Cause` (what `pmlint new`
writes), or `**Root Cause Category:**` there or in the header."""


def root_cause_category(doc: PostMortem) -> str:
    """The root-cause category as the document states it ('' when it does not, or only as a placeholder)."""
    section = doc.subsection("root cause analysis", "root cause") or doc.section("root cause") or _named_root_cause(doc)
    stated = labelled(section) if section is not None else {}
    header = doc.fields.get("root_cause_category")
    value = next((stated[k] for k in CATEGORY_LABELS if k in stated), header.value if header else "")
    value = " ".join(value.split())
    return "" if not value or is_placeholder(value) else value[:ROOT_CAUSE_CHARS]


def _named_root_cause(doc: PostMortem) -> Section | None:
    """A section or subsection headed like `Root cause and fix` or `Causes`, as teams name it."""
    for section in doc.sections:
        for candidate in (*section.subsections, section):
            if candidate.key.startswith("root cause") or candidate.key in ("cause", "causes"):
                return candidate
    return None


def _capped(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ROOT_CAUSE_CHARS else text[: ROOT_CAUSE_CHARS - 1].rstrip() + "…"


def systems(doc: PostMortem) -> tuple[str, ...]:
    """The names under ``**Systems Affected:**`` (placeholders and "None" dropped)."""
    value = labelled(doc.section("impact")).get("systems affected", "")
    names = (re.sub(r"(?<!\s)\s*\([^()]*\)", "", part).strip(" .") for part in _SPLIT.split(value))
    return tuple(n for n in names if n and "[" not in n and n.casefold() not in {"none", "n/a", "-"})


def timeline_times(doc: PostMortem) -> tuple[int | None, int | None]:
    """Minutes from the incident start to the first detection row and the first recovery row."""
    table = first_table(doc, "timeline")
    time_at, event_at = (column_index(table, "time"), column_index(table, "event")) if table else (None, None)
    if table is None or time_at is None or event_at is None:
        return None, None
    rows = [(parse_stamp(r.cell(time_at).text), strip_inline(r.cell(event_at).text)) for r in table.rows]
    dated = [stamp[0] for stamp, _ in rows if stamp is not None and stamp[0] is not None]
    field = doc.fields.get("date")
    day = (parse_date(field.value) if field else None) or (dated[0] if dated else None)
    stamped = [(_minute_of(stamp, day), event) for stamp, event in rows if stamp is not None]
    start = _start(doc, stamped)
    if start is None:
        return None, None
    return _offset(stamped, start, DETECTED), _offset(stamped, start, MITIGATED)


def _minute_of(stamp: tuple[dt.date | None, int], day: dt.date | None) -> int:
    """A row's minute counted from midnight of the incident's day (dated rows on later days run past 1440)."""
    date, minute = stamp
    return minute + ((date - day).days * 24 * 60 if date is not None and day is not None else 0)


def _start(doc: PostMortem, rows: list[tuple[int, str]]) -> int | None:
    field = doc.fields.get("time")
    span = parse_time_range(field.value) if field else None
    if span is not None:
        return span.start
    return next((minute for minute, event in rows if STARTED.search(event)), None)


def _offset(rows: list[tuple[int, str]], start: int, pattern: re.Pattern[str]) -> int | None:
    """Minutes from ``start`` to the first row whose event matches (a wrap past midnight allowed)."""
    for minute, event in rows:
        if pattern.search(event):
            offset = minute - start
            if offset < -12 * 60:
                offset += 24 * 60
            return offset if offset >= 0 else None
    return None
