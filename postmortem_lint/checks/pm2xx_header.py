"""PM201–PM208: the title and the header block of fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from postmortem_lint.checks import fixers
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding, Fix
from postmortem_lint.core.facts import SEVERITY, filename_date, parse_date, parse_duration, parse_incident, parse_time_range
from postmortem_lint.core.placeholders import is_placeholder
from postmortem_lint.core.vocab import DOCUMENT_STATUSES
from postmortem_lint.document.model import Field, Heading, PostMortem

REQUIRED_FIELDS = {
    "incident_number": "Incident Number",
    "date": "Date",
    "time": "Time",
    "duration": "Duration",
    "severity": "Severity",
    "author": "Author",
    "status": "Status",
}
_TITLE = re.compile(r"^post[- ]?mortem\s*:\s*(.*)$", re.I)
_SEVERITY_HINT = re.compile(r"^(?:P|S|SEV|Sev|Severity)\s*-?\s*([0-4])\b")


def _at(field: Field, message: str, fix: Fix | None = None) -> Finding:
    return Finding(field.line, message, field.column, field.line, field.column + len(field.raw), field.raw, fix=fix)


def _filled(doc: PostMortem, key: str) -> Field | None:
    """The field when present and not a placeholder (placeholders are PM401's)."""
    field = doc.fields.get(key)
    if field is None or not field.value or is_placeholder(field.raw):
        return None
    return field


@rule("PM201", "title", "error")
def title(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the first heading is an H1 `# Post-Mortem: <title>` with a
    non-empty title, and that it is the only H1.

    ## Why is this bad?
    The title is what the tracker, the commit message and search results show;
    a second H1 splits the document in two for every renderer's outline.

    ## Example
    ```markdown
    # Incident
    ```

    ## Use instead
    ```markdown
    # Post-Mortem: Checkout latency after cache eviction storm
    ```
    """
    first = next((b for b in doc.blocks if isinstance(b, Heading)), None)
    if first is None:
        yield Finding(1, "no heading: start the document with `# Post-Mortem: <title>`")
        return
    if first.level != 1:
        yield Finding(first.line, f"first heading is H{first.level}; start with `# Post-Mortem: <title>`", 1, text=first.text)
    else:
        yield from _title_text(first)
    for extra in doc.h1s:
        if extra is not first:
            yield Finding(extra.line, f"second H1 `{extra.text}`: a post-mortem has one H1; use `##` for sections", 1, text=extra.text)


def _title_text(heading: Heading) -> Iterator[Finding]:
    match = _TITLE.match(heading.text)
    if match is None:
        yield Finding(heading.line, f"title `{heading.text}` does not start with `Post-Mortem:`", 1, text=heading.text)
    elif not match.group(1).strip():
        yield Finding(heading.line, "title is empty after `Post-Mortem:`", 1, text=heading.text)


@rule("PM202", "metadata-missing", "error")
def metadata_missing(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the header block has every field of the template: Incident Number,
    Date, Time, Duration, Severity, Author and Status, written `**Field:** value`
    (`**Field**: value` and `Incident ID` are accepted).

    ## Why is this bad?
    The tracker, reports and reviewers read these fields; a post-mortem without a
    severity or status cannot be triaged or tracked.

    ## Example
    ```markdown
    **Incident Number:** INC-2026-03-14-001
    **Date:** 2026-03-14
    ```

    ## Use instead
    ```markdown
    **Incident Number:** INC-2026-03-14-001
    **Date:** 2026-03-14
    **Time:** 14:05 - 15:35 UTC
    **Duration:** 1 hour 30 minutes
    **Severity:** SEV-2
    **Author:** Priya Raman
    **Status:** Final
    ```
    """
    for key, label in REQUIRED_FIELDS.items():
        if key not in doc.fields:
            yield Finding(_header_anchor(doc, key), f"header field `**{label}:**` is missing", text=label)


def _header_anchor(doc: PostMortem, key: str) -> int:
    """Where a missing field belongs: at the next template field present, else after the last field, else the title."""
    order = list(REQUIRED_FIELDS)
    later = [doc.fields[k].line for k in order[order.index(key) + 1 :] if k in doc.fields]
    if later:
        return min(later)
    if doc.fields:
        return max(f.line for f in doc.fields.values())
    return doc.title.line if doc.title else 1


@rule("PM203", "incident-number-format", "error")
def incident_number_format(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the incident number reads `INC-YYYY-MM-DD-NNN`, NNN being digits
    of the configured width (3 by default) and the date a real one.

    ## Why is this bad?
    Incident numbers are how incidents are cited in chat, tickets and other
    post-mortems; a number in another shape is not found by those who search.

    ## Example
    ```markdown
    **Incident Number:** INC-42
    ```

    ## Use instead
    ```markdown
    **Incident Number:** INC-2026-03-14-001
    ```
    """
    field = _filled(doc, "incident_number")
    if field is None:
        return
    width = ctx.settings.incident_number_width
    incident = parse_incident(field.value)
    if incident is None or len(field.value.rsplit("-", 1)[-1]) != width:
        yield _at(
            field,
            f"incident number `{field.value}` is not `INC-YYYY-MM-DD-{'N' * width}`",
            fixers.renumbered_incident(doc, field, incident, width),
        )
    elif incident.date is None:
        yield _at(field, f"incident number `{field.value}` has an impossible date")


@rule("PM204", "severity-value", "error")
def severity_value(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the severity is one of `SEV-1`..`SEV-4` (a description may follow,
    as in `SEV-2 (Major - significant degradation)`).

    ## Why is this bad?
    Reports count incidents by severity and escalation policies key on it; `P1`,
    `High` or `🔴 Critical` each mean something different to each reader.

    ## Example
    ```markdown
    **Severity:** P1
    ```

    ## Use instead
    ```markdown
    **Severity:** SEV-1
    ```
    """
    field = _filled(doc, "severity")
    if field is None or SEVERITY.match(field.value):
        return
    hint = _SEVERITY_HINT.match(field.value)
    advice = f" (for `{field.value}` write `SEV-{max(1, int(hint.group(1)))}`?)" if hint else ""
    yield _at(field, f"severity `{field.value}` is not one of SEV-1..SEV-4{advice}", fixers.severity(field.line, field.column, field.raw))


@rule("PM205", "status-value", "error")
def status_value(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the status is one of `Draft`, `Under Review`, `Final`, `Closed`.

    ## Why is this bad?
    The status decides how strictly pmlint checks completeness and what the
    tracker shows; `RESOLVED` describes the incident, not the document.

    ## Example
    ```markdown
    **Status:** ✅ RESOLVED
    ```

    ## Use instead
    ```markdown
    **Status:** Final
    ```
    """
    field = doc.fields.get("status")
    if field is None or doc.status is not None:
        return
    if "|" in field.value:
        yield _at(field, f"status `{field.value}`: choose one of {', '.join(DOCUMENT_STATUSES)}")
    else:
        fix = fixers.vocabulary(field.line, field.column, field.raw, DOCUMENT_STATUSES, fixers.STATUS_ALIASES)
        yield _at(field, f"status `{field.value or '(empty)'}` is not one of {', '.join(DOCUMENT_STATUSES)}", fix)


@rule("PM206", "date-consistency", "error")
def date_consistency(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the date in the file name, the `**Date:**` field and the date in
    the incident number agree.

    ## Why is this bad?
    Three dates that disagree leave readers and reports guessing when the
    incident happened; usually one was copied from another post-mortem.

    ## Example
    ```markdown
    **Incident Number:** INC-2026-03-14-001
    **Date:** 2026-03-15
    ```

    ## Use instead
    ```markdown
    **Incident Number:** INC-2026-03-14-001
    **Date:** 2026-03-14
    ```
    """
    from_name = filename_date(PurePosixPath(doc.path).name)
    date_field = _filled(doc, "date")
    stated = parse_date(date_field.value) if date_field else None
    if date_field is not None and stated is None:
        yield _at(date_field, f"date `{date_field.value}` is not a real `YYYY-MM-DD` date")
    if date_field is not None and stated and from_name and stated != from_name:
        yield _at(date_field, f"date {stated} differs from the file name's date {from_name}")
    inc_field = _filled(doc, "incident_number")
    incident = parse_incident(inc_field.value) if inc_field else None
    reference = stated or from_name
    if inc_field is not None and incident and incident.date and reference and incident.date != reference:
        fix = fixers.redated_incident(inc_field, reference)
        yield _at(inc_field, f"incident number's date {incident.date} differs from the incident date {reference}", fix)


@rule("PM207", "time-format", "error")
def time_format(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that `**Time:**` reads `HH:MM - HH:MM <TZ>`: 24-hour clock times that
    exist, and a timezone word.

    ## Why is this bad?
    Without a timezone, a distributed team reads three different incidents;
    `2pm` and `25:10` cannot be compared with the timeline.

    ## Example
    ```markdown
    **Time:** 2pm - 3:30pm
    ```

    ## Use instead
    ```markdown
    **Time:** 14:00 - 15:30 UTC
    ```
    """
    field = _filled(doc, "time")
    if field is not None and parse_time_range(field.value) is None:
        yield _at(field, f"time `{field.value}` is not `HH:MM - HH:MM <timezone>` with valid 24-hour times")


@rule("PM208", "duration-consistency", "error")
def duration_consistency(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that `**Duration:**` (`2 hours 30 minutes`, `2h 30m`, `150 minutes`,
    `45 min`, `1 hour`) equals the `**Time:**` range, or differs by whole days.

    ## Why is this bad?
    Time to mitigate is the number reports average; a duration copied from
    another incident, or mis-added, skews every trend built on it.

    ## Example
    ```markdown
    **Time:** 14:05 - 15:35 UTC
    **Duration:** 2 hours
    ```

    ## Use instead
    ```markdown
    **Time:** 14:05 - 15:35 UTC
    **Duration:** 1 hour 30 minutes
    ```
    """
    field = _filled(doc, "duration")
    if field is None:
        return
    minutes = parse_duration(field.value)
    if minutes is None:
        yield _at(field, f"duration `{field.value}` is not a recognised form (e.g. `2 hours 30 minutes`, `2h 30m`, `45 min`)")
        return
    time_field = _filled(doc, "time")
    span = parse_time_range(time_field.value) if time_field else None
    if span is not None and (minutes - span.minutes) % 1440:
        yield _at(
            field,
            f"duration is {_fmt(minutes)} but the time range {time_field.value if time_field else ''} spans {_fmt(span.minutes)}",
            fixers.duration(field.line, field.column, field.raw, span.minutes),
        )


def _fmt(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h {rest:02d}m" if hours else f"{rest} min"
