"""PM201–PM208: the title and the header block of fields."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from postmortem_lint.checks import fixers
from postmortem_lint.checks._template import choices, fields_of, filled, reading, suggestion, template, written
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding, Fix
from postmortem_lint.core.facts import parse_duration, parse_incident, parse_time_range
from postmortem_lint.document.model import Field, Heading, PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import ALL_DATE_FORMATS
from postmortem_lint.packs.templates.runtime import FieldSpec, TemplatePack, Vocabulary, parse_date, regex

REQUIRED_FIELDS = {
    "incident_number": "Incident Number",
    "date": "Date",
    "time": "Time",
    "duration": "Duration",
    "severity": "Severity",
    "author": "Author",
    "status": "Status",
}
"""The seed preset's required fields, key -> label, for the editor servers' completions (the rules read the pack;
tests/templates_presets_test.py keeps this equal to the seed preset)."""


def _at(field: Field, message: str, fix: Fix | None = None) -> Finding:
    return Finding(field.line, message, field.column, field.line, field.column + len(field.raw), field.raw, fix=fix)


def _spec(pack: TemplatePack, type_: str) -> FieldSpec | None:
    return next(fields_of(pack, type_), None)


def _title_words(pack: TemplatePack) -> str:
    """What a title starts with, from the pack's example: `Post-Mortem:` for `# Post-Mortem: <title>`."""
    return pack.title.example.lstrip("#").strip().split("<", 1)[0].strip()


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
    pack = template(ctx)
    example = pack.title.example
    first = next((b for b in doc.blocks if isinstance(b, Heading)), None)
    if first is None:
        if pack.title.required:
            yield Finding(1, f"no heading: start the document with `{example}`")
        return
    if first.level != 1:
        if pack.title.required:
            yield Finding(first.line, f"first heading is H{first.level}; start with `{example}`", 1, text=first.text)
    else:
        yield from _title_text(first, pack)
    if not pack.title.single:
        return
    sections = {s.heading for s in reading(doc, ctx).all_sections() if s.heading is not None and s.heading.level == 1}
    for extra in doc.h1s:
        if extra is not first and extra not in sections:
            yield Finding(extra.line, f"second H1 `{extra.text}`: a post-mortem has one H1; use `##` for sections", 1, text=extra.text)


def _title_text(heading: Heading, pack: TemplatePack) -> Iterator[Finding]:
    match = regex(pack.title.pattern, True).match(heading.text)
    words = _title_words(pack)
    if match is None:
        expected = f"start with `{words}`" if words else f"read `{pack.title.example}`"
        yield Finding(heading.line, f"title `{heading.text}` does not {expected}", 1, text=heading.text)
    elif not (match.groupdict().get("title") if "title" in match.re.groupindex else match.group(0)).strip():
        yield Finding(heading.line, f"title is empty after `{words}`" if words else "title is empty", 1, text=heading.text)


@rule("PM202", "metadata-missing", "error")
def metadata_missing(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the header block has every field of the template: Incident Number,
    Date, Time, Duration, Severity, Author and Status, written `**Field:** value`
    (`**Field**: value` and `Incident ID` are accepted; PM210 asks for the template's form).

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
    pack = template(ctx)
    fields = reading(doc, ctx).fields
    order = [spec.key for spec in pack.required_fields]
    for spec in pack.required_fields:
        if spec.key in fields:
            continue
        anchor = _header_anchor(doc, fields, order, spec.key)
        elsewhere = reader.find_field_anywhere(doc, spec)
        if elsewhere is None:
            yield Finding(anchor, f"header field `{written(spec)}` is missing", text=spec.name)
        else:
            message = f"header field `{written(spec)}` is misplaced: it is at line {elsewhere.line}, outside the header (line {anchor})"
            yield Finding(elsewhere.line, message, 1, text=spec.name)


def _header_anchor(doc: PostMortem, fields: dict[str, Field], order: list[str], key: str) -> int:
    """Where a missing field belongs: at the next template field present, else at the last labelled line of the header
    (a field of the pack or any `Key: value` line `build` read), else the title."""
    later = [fields[k].line for k in order[order.index(key) + 1 :] if k in fields]
    if later:
        return min(later)
    present = [f.line for f in (*fields.values(), *doc.fields.values())]
    if present:
        return max(present)
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
    width = ctx.settings.incident_number_width
    for spec in fields_of(template(ctx), "incident-number"):
        field = filled(doc, ctx, spec.key)
        if field is None or not spec.pattern:
            continue
        match = regex(spec.pattern).fullmatch(field.value.strip())
        groups = match.groupdict() if match else {}
        seq = groups.get("seq")
        if match is None or (seq is not None and len(seq) != width):
            shape = re.sub(r"N+$", "N" * width, spec.hint) if spec.hint else spec.pattern
            fix = fixers.renumbered_incident(doc, field, parse_incident(field.value), width) if _inc_numbers(spec) else None
            yield _at(field, f"incident number `{field.value}` is not `{shape}`", fix)
        elif groups.get("date") is not None and parse_date(groups["date"]) is None:
            yield _at(field, f"incident number `{field.value}` has an impossible date")


def _inc_numbers(spec: FieldSpec) -> bool:
    """The field is written as the seed's `INC-YYYY-MM-DD-NNN` (the numbers the incident-number fixes rebuild)."""
    return (spec.hint or spec.pattern or "").startswith("INC-")


def _severity_fix(field: Field, vocabulary: Vocabulary) -> Fix | None:
    """The seed's SEV scale gets its own fix (`Sev 2`, `P1`, `High` -> a SEV level); another scale its spellings."""
    if tuple(vocabulary.values) == fixers.SEV_LEVELS:
        return fixers.severity(field.line, field.column, field.raw)
    return fixers.vocabulary(field.line, field.column, field.raw, vocabulary.values, {})


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
    pack = template(ctx)
    for spec in fields_of(pack, "vocabulary"):
        vocabulary = pack.vocabulary(spec.vocabulary)
        if vocabulary is None or vocabulary.name != "severity":
            continue
        field = filled(doc, ctx, spec.key)
        if field is None or vocabulary.canonical(field.value) is not None:
            continue
        hint = suggestion(vocabulary, field.value)
        advice = f" (for `{field.value}` write `{hint}`?)" if hint else ""
        yield _at(
            field, f"{spec.name.lower()} `{field.value}` is not one of {choices(vocabulary)}{advice}", _severity_fix(field, vocabulary)
        )


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
    pack = template(ctx)
    for spec in fields_of(pack, "vocabulary"):
        vocabulary = pack.vocabulary(spec.vocabulary)
        if vocabulary is None or vocabulary.name != "status":
            continue
        field = reading(doc, ctx).fields.get(spec.key)
        if field is None or vocabulary.canonical(field.value) is not None:
            continue
        name = spec.name.lower()
        if "|" in field.value:
            yield _at(field, f"{name} `{field.value}`: choose one of {', '.join(vocabulary.values)}")
        else:
            aliases = {k: v for k, v in fixers.STATUS_ALIASES.items() if v in vocabulary.values}
            fix = fixers.vocabulary(field.line, field.column, field.raw, vocabulary.values, aliases)
            yield _at(field, f"{name} `{field.value or '(empty)'}` is not one of {', '.join(vocabulary.values)}", fix)


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
    pack = template(ctx)
    from_name = _name_date(doc, pack)
    date_spec = _spec(pack, "date")
    date_field = filled(doc, ctx, date_spec.key) if date_spec else None
    stated = parse_date(date_field.value, date_spec.date_formats) if date_field and date_spec else None
    if date_field is not None and date_spec is not None and stated is None:
        shape = f"`{date_spec.hint}` " if date_spec.hint else ""
        yield _at(date_field, f"date `{date_field.value}` is not a real {shape}date")
    if date_field is not None and stated and from_name and stated != from_name:
        yield _at(date_field, f"date {stated} differs from the file name's date {from_name}")
    reference = stated or from_name
    for spec in fields_of(pack, "incident-number"):
        inc_field = filled(doc, ctx, spec.key)
        match = regex(spec.pattern).fullmatch(inc_field.value.strip()) if inc_field and spec.pattern else None
        inc_date = parse_date(match.groupdict().get("date") or "") if match else None
        if inc_field is not None and inc_date and reference and inc_date != reference:
            fix = fixers.redated_incident(inc_field, reference) if _inc_numbers(spec) else None
            yield _at(inc_field, f"incident number's date {inc_date} differs from the incident date {reference}", fix)


def _name_date(doc: PostMortem, pack: TemplatePack) -> dt.date | None:
    """The date in the file name, as the pack's `incident-date` reads it there."""
    name = PurePosixPath(doc.path).name
    for source in pack.dates:
        if source.kind == "file-name":
            match = regex(source.value).search(name)
            text = (match.groupdict().get("date") or match.group(0)) if match else ""
            found = parse_date(text, ALL_DATE_FORMATS) if text else None
            if found is not None:
                return found
    return None


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
    for spec in fields_of(template(ctx), "clock-range"):
        field = filled(doc, ctx, spec.key)
        if field is not None and parse_time_range(field.value) is None:
            shape = spec.hint or "HH:MM - HH:MM <timezone>"
            yield _at(field, f"{spec.name.lower()} `{field.value}` is not `{shape}` with valid 24-hour times")


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
    pack = template(ctx)
    duration, clock = _spec(pack, "duration"), _spec(pack, "clock-range")
    field = filled(doc, ctx, duration.key) if duration else None
    if field is None:
        return
    minutes = parse_duration(field.value)
    if minutes is None:
        yield _at(field, f"duration `{field.value}` is not a recognised form (e.g. `2 hours 30 minutes`, `2h 30m`, `45 min`)")
        return
    time_field = filled(doc, ctx, clock.key) if clock else None
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
