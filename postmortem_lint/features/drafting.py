"""`pmlint new` for a template pack other than the seed: a draft generated from the pack.

The H1 from `title.example`; each field in its first `where` form, with the answer that
fits its type (date, severity, status, incident number, author, duration) or its `hint`;
each required section (and the required subsections of those written) as a heading at its
first level, with a line to replace, or the header row of the table the pack puts there;
the severity question's choices from the pack's `severity` vocabulary. The seed keeps its
own scaffold (`scaffold.render`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from postmortem_lint.packs.templates.runtime import FieldSpec, SectionSpec, TableSpec, TemplatePack

TO_WRITE = "To be written."
"""The line under each generated heading: content, so that an empty section is not what the draft is judged on."""
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def severity_values(pack: TemplatePack) -> tuple[str, ...]:
    """The severity choices `new` offers (empty when the pack has no severity vocabulary)."""
    words = pack.vocabulary("severity")
    return words.values if words is not None else ()


def render(pack: TemplatePack, values: dict[str, str], date: dt.date) -> str:
    """The draft's text. ``values``: title, incident_number, severity, author, duration (the answers' words)."""
    lines = [_title(pack, values["title"], date), ""]
    fields = [f for f in pack.fields if f.required or _answer(pack, f, values, date)]
    front = [f for f in fields if f.where and f.where[0] == "front-matter" and not f.section]
    if front:
        lines = ["---", *(f"{f.key}: {_value(pack, f, values, date)}" for f in front), "---", *lines]
    header = [f for f in fields if f not in front and not f.section]
    lines += list(_header(pack, header, values, date))
    for spec in pack.sections:
        if spec.required:
            lines += list(_section(pack, spec, _level(spec, 1), fields, values, date))
    return "\n".join(_squeezed(lines)).rstrip("\n") + "\n"


def _title(pack: TemplatePack, title: str, date: dt.date) -> str:
    """The H1 as the pack's example writes it, its `<title>` and `<date>` slots filled (`# <title>: <date>`)."""
    example = pack.title.example or "# <title>"
    if "<title>" in example:
        return example.replace("<title>", title).replace("<date>", date.isoformat())
    return f"# {title}"


def _level(spec: SectionSpec, parent: int) -> int:
    return spec.levels[0] if spec.levels else min(parent + 1, 6)


def _header(pack: TemplatePack, fields: list[FieldSpec], values: dict[str, str], date: dt.date) -> Iterator[str]:
    table = [f for f in fields if f.where and f.where[0] == "summary-table"]
    for spec in fields:
        if spec in table:
            continue
        yield from _field(pack, spec, values, date)
    if table:
        first, *rest = table
        yield f"| {first.name} | {_value(pack, first, values, date)} |"
        yield "| --- | --- |"
        yield from (f"| {f.name} | {_value(pack, f, values, date)} |" for f in rest)
        yield ""


def _field(pack: TemplatePack, spec: FieldSpec, values: dict[str, str], date: dt.date) -> Iterator[str]:
    value = _value(pack, spec, values, date)
    form = spec.where[0] if spec.where else "bold-line"
    if form == "heading":
        yield from (f"## {spec.name}: {value}", "")
    elif form == "section":
        yield from (f"## {spec.name}", "", value, "")
    elif form == "key-line":
        yield from (f"{spec.name}: {value}", "")
    else:
        yield from (f"**{spec.name}:** {value}", "")


def _value(pack: TemplatePack, spec: FieldSpec, values: dict[str, str], date: dt.date) -> str:
    return _answer(pack, spec, values, date) or spec.hint or TO_WRITE


def _answer(pack: TemplatePack, spec: FieldSpec, values: dict[str, str], date: dt.date) -> str:
    """The answer that fills ``spec``, or '' when none does (the hint is used then)."""
    if spec.type == "date":
        return _date(date, spec.date_formats)
    if spec.type == "incident-number" and values.get("incident_number"):
        return values["incident_number"]
    if spec.type == "people" and values.get("author"):
        return values["author"]
    if spec.type == "duration" or spec.key == "duration":
        return values.get("duration", "")
    if spec.vocabulary == "severity" or spec.key == "severity":
        return values.get("severity", "")
    if spec.vocabulary == "status" or spec.key == "status":
        words = pack.vocabulary(spec.vocabulary or "status")
        if words is not None and words.values:
            return (words.drafts or words.values)[0]
    return ""


def _date(date: dt.date, formats: tuple[str, ...]) -> str:
    form = formats[0] if formats else "iso"
    if form == "month-name":
        return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"
    if form == "day.month.year":
        return f"{date.day:02d}.{date.month:02d}.{date.year}"
    if form == "month/day/year":
        return f"{date.month:02d}/{date.day:02d}/{date.year}"
    return date.isoformat()


def _section(
    pack: TemplatePack, spec: SectionSpec, level: int, fields: list[FieldSpec], values: dict[str, str], date: dt.date
) -> Iterator[str]:
    yield from (f"{'#' * level} {spec.name}", "")
    inside = [f for f in fields if f.section and (f.section == spec.role or f.section == spec.name)]
    for found in inside:
        yield from _field(pack, found, values, date)
    table = next((t for t in pack.tables if t.section in (spec.role, spec.name, spec.id) and t.required), None)
    if table is not None:
        yield from _table(table)
    elif not inside and spec.content != "none":
        yield from (f"- {TO_WRITE}" if spec.content == "list" else TO_WRITE, "")
    for sub in spec.subsections:
        if sub.required:
            yield from _section(pack, sub, _level(sub, level), fields, values, date)


def _table(table: TableSpec) -> Iterator[str]:
    names = [c.name for c in table.columns if c.required or table.header == "exact"]
    yield "| " + " | ".join(names) + " |"
    yield "| " + " | ".join("---" for _ in names) + " |"
    yield ""


def _squeezed(lines: list[str]) -> Iterator[str]:
    """No two blank lines in a row."""
    blank = False
    for line in lines:
        if line == "" and blank:
            continue
        blank = line == ""
        yield line
