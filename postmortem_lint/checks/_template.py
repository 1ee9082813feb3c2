"""What the document rules ask of the run's template pack: a document read through it, its slots, its people, how it
writes a field or a vocabulary in a message."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from postmortem_lint.checks.context import Context
from postmortem_lint.core.memo import by_identity, keep_last
from postmortem_lint.core.text import heading_key
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Paragraph, PostMortem
from postmortem_lint.packs.templates import reader, runtime
from postmortem_lint.packs.templates.reader import FoundField, FoundSection, Reading
from postmortem_lint.packs.templates.runtime import FieldSpec, SectionSpec, TemplatePack, Vocabulary

if TYPE_CHECKING:
    from postmortem_lint.packs.sections import SectionPack

_FORMS = {
    "bold-line": "**{name}:**",
    "key-line": "{name}:",
    "heading": "## {name}: …",
    "section": "## {name}",
    "front-matter": "{name}: (front matter)",
    "summary-table": "| {name} | … |",
}
_NUMBERED_HINT = re.compile(r"^(?:P|S|SEV|Sev|Severity)\s*-?\s*([0-4])\b")
_NUMBERED_VALUE = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


@keep_last
def template(ctx: Context) -> TemplatePack:
    """The run's pack (kept for the context, made once per document: its rules ask about 40 times, and each
    `Context.packs.template` goes through the lazy import and the packs' cache)."""
    return ctx.packs.template()


@keep_last
def reading(doc: PostMortem, ctx: Context) -> Reading:
    """``doc`` read through the run's pack (kept: every rule asks in turn)."""
    return reader.read(doc, template(ctx))


def is_slot(pack: TemplatePack, text: str) -> bool:
    """True when ``text`` is nothing but the pack's placeholders (`[Name]`, `HH:MM` for the seed)."""
    if pack.placeholder_regex is None or not text.strip():
        return False
    return not without_slots(pack, text, "").strip(" *_`$")


def without_slots(pack: TemplatePack, text: str, by: str) -> str:
    """``text`` with each of the pack's placeholders replaced ``by``; a text holding none of the pack's prefilter
    literals, one of which is in every placeholder, is not searched (the pattern opens with a look-behind, which
    makes the regex engine try every position)."""
    pattern = pack.placeholder_regex
    if pattern is None or (pack.placeholder_prefilter and not any(literal in text for literal in pack.placeholder_prefilter)):
        return text
    return pattern.sub(by, text)


def filled(doc: PostMortem, ctx: Context, key: str) -> FoundField | None:
    """The field ``key`` when present and not a placeholder (placeholders are PM401's)."""
    found = reading(doc, ctx).fields.get(key)
    if found is None or not found.value or is_slot(template(ctx), found.raw):
        return None
    return found


def fields_of(pack: TemplatePack, type_: str) -> Iterator[FieldSpec]:
    return (f for f in pack.fields if f.type == type_)


def written(spec: FieldSpec) -> str:
    """The field as the template writes it, for messages: `**Date:**`, `## Date: …`."""
    return _FORMS[spec.where[0] if spec.where else "bold-line"].format(name=spec.name)


def choices(vocabulary: Vocabulary) -> str:
    """The values for a message: `SEV-1..SEV-4` for a numbered run, else `Draft, Under Review, Final, Closed`."""
    values = vocabulary.values
    numbered = [_NUMBERED_VALUE.match(v) for v in values]
    if len(values) > 2 and all(numbered):
        prefixes = {m["prefix"] for m in numbered if m}
        numbers = [int(m["number"]) for m in numbered if m]
        if len(prefixes) == 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return f"{values[0]}..{values[-1]}"
    return ", ".join(values)


def suggestion(vocabulary: Vocabulary, value: str) -> str | None:
    """The value a near miss means: `P1` → `SEV-1` in a numbered vocabulary, else the closest term or alias."""
    values = vocabulary.values
    numbered = [_NUMBERED_VALUE.match(v) for v in values]
    if values and all(numbered):
        hint = _NUMBERED_HINT.match(value)
        first = numbered[0]
        if hint is None or first is None:
            return None
        return f"{first['prefix']}{max(int(first['number']), int(hint.group(1)))}"
    names = {heading_key(n): t.value for t in vocabulary.terms for n in (t.value, *t.aliases)}
    close = difflib.get_close_matches(heading_key(value), list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


_NOT_PEOPLE = {"system", "monitoring", "automated", "automation", "alerting", "team", "all"}


def people(doc: PostMortem, ctx: Context) -> frozenset[str]:
    """The document's people as the pack says where they are written (fields and columns of type people, the
    attendees section, action owners), with those `build` found: the blame rules leave them alone."""
    pack = template(ctx)
    if pack.name == "seed":
        return doc.people
    found = set(doc.people)
    read = reading(doc, ctx)
    for spec in fields_of(pack, "people"):
        field = read.fields.get(spec.key)
        if field is not None:
            found.update(_names(field.value))
    for table_spec in pack.tables:
        table = reader.find_table(doc, pack, table_spec.role)
        if table is None:
            continue
        for column in table_spec.columns:
            if column.type == "people" and column.role in table.layout:
                for row in table.table.rows:
                    found.update(_names(table.cell(row, column.role).text))
    for item in reader.actions(doc, pack):
        found.update(_names(item.owner.text))
    attendees = read.section("attendees")
    for block in flatten(attendees.blocks if attendees else ()):
        if isinstance(block, Paragraph):
            found.update(_names(block.text))
    return frozenset(found)


def _names(value: str) -> Iterator[str]:
    for name in runtime.people(value):
        plain = re.sub(r"(?<!\s)\s*\([^()]*\)", "", name).strip(" .@")
        if plain and plain.casefold() not in _NOT_PEOPLE:
            yield plain


def sections_pack(ctx: Context) -> TemplatePack:
    """The run's pack, with the team's `sections:` pack (when set) in place of its sections (PM301–PM304)."""
    pack = template(ctx)
    if ctx.settings.sections is None:
        return pack
    return _with_sections(pack, ctx.packs.sections())


@functools.lru_cache(maxsize=8)
def _with_sections(pack: TemplatePack, team: SectionPack) -> TemplatePack:
    """``pack`` whose sections are the team's: each at `##`, its subsections at `###`, every one required and ordered;
    a section the pack also has keeps its role (so the timeline and action tables are still found)."""
    known = {label: spec for spec in pack.all_sections() for label in spec.labels}

    def spec(name: str, key: str, level: int, subsections: tuple[SectionSpec, ...] = ()) -> SectionSpec:
        base = known.get(key)
        return SectionSpec(key, name, levels=(level,), role=base.role if base else None, subsections=subsections)

    sections = tuple(spec(s.name, s.key, 2, tuple(spec(name, key, 3) for name, key in s.subsections)) for s in team.sections)
    return replace(pack, sections=sections)


def first_found(read: Reading, pack: TemplatePack, spec: SectionSpec) -> FoundSection | None:
    """Where the section ``spec`` is: in the first found section of its parent (as `doc.subsection` looked), at any depth."""
    path = path_to(pack.sections, spec)
    found: tuple[FoundSection, ...] = read.sections
    current: FoundSection | None = None
    for step in path:
        current = next((f for f in found if f.spec is step), None)
        if current is None:
            return None
        found = current.subsections
    return current


def path_to(specs: tuple[SectionSpec, ...], target: SectionSpec) -> list[SectionSpec]:
    """The sections from one of ``specs`` down to ``target`` (empty when it is none of them)."""
    return list(_paths(specs).get(id(target), ()))


@by_identity(64)
def _paths(specs: tuple[SectionSpec, ...]) -> dict[int, tuple[SectionSpec, ...]]:
    """Each section's path from ``specs``, by the section's identity, worked out once per pack instead of searched for
    by every rule on every document; depth first, a section met twice keeps its first path (as the search found it).
    The pack's tuple, kept by `by_identity`, keeps the sections alive."""
    found: dict[int, tuple[SectionSpec, ...]] = {}

    def walk(level: tuple[SectionSpec, ...], above: tuple[SectionSpec, ...]) -> None:
        for spec in level:
            path = (*above, spec)
            found.setdefault(id(spec), path)
            walk(spec.subsections, path)

    walk(specs, ())
    return found
