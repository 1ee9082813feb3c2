"""What a template pack says is wrong with a document, for the preset fixtures' inline expectations.

Not a linter: a small, independent statement of what each pack field means, so that the
clean and flawed fixtures of every preset pin the pack down before the rules read it.
A fixture states what should be found in comments: ``<!-- expect: missing-section:Trigger -->``,
``bad-value:severity``, ``missing-field:Status``, ``no-owner:<first four words of the item>``,
``placeholder:<token>``, ``empty-section:<name>``, ``no-table:<role>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from postmortem_lint.checks._common import has_content
from postmortem_lint.core.facts import parse_duration, parse_time_range
from postmortem_lint.document.build import build, code_lines
from postmortem_lint.document.model import PostMortem
from postmortem_lint.document.source import from_text
from postmortem_lint.packs.templates import reader, runtime
from postmortem_lint.packs.templates.runtime import FieldSpec, SectionSpec, TemplatePack

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
_EXPECT = re.compile(r"<!--\s*expect:\s*(.+?)\s*-->")


def load(path: Path) -> PostMortem:
    return build(path.name, from_text(path.read_text(encoding="utf-8")))


def expected(path: Path) -> set[str]:
    return {item.strip() for match in _EXPECT.finditer(path.read_text(encoding="utf-8")) for item in match[1].split(",")}


def problems(doc: PostMortem, pack: TemplatePack) -> set[str]:
    reading = reader.read(doc, pack)
    found = set(_sections(pack.sections, reading, True))
    found.update(_fields(doc, pack, reading))
    found.update(_actions(doc, pack))
    found.update(_tables(doc, pack, reading))
    found.update(f"placeholder:{token}" for token in _placeholders(doc, pack))
    return found


def _sections(specs: tuple[SectionSpec, ...], reading: reader.Reading, counted: bool) -> Iterator[str]:
    for spec in specs:
        hit = next((s for s in reading.all_sections() if s.spec is spec), None)
        if hit is None and spec.required and counted:
            yield f"missing-section:{spec.name}"
        elif hit is not None and spec.content != "none" and spec.required and not has_content(hit.blocks):
            yield f"empty-section:{spec.name}"
        yield from _sections(spec.subsections, reading, hit is not None)


def _fields(doc: PostMortem, pack: TemplatePack, reading: reader.Reading) -> Iterator[str]:
    for spec in pack.fields:
        found = reading.fields.get(spec.key)
        if found is None:
            if spec.required:
                yield f"missing-field:{spec.name}"
        elif not _is_placeholder(pack, found.raw) and not _valid(pack, spec, found.value):
            yield f"bad-value:{spec.key}"


def _valid(pack: TemplatePack, spec: FieldSpec, value: str) -> bool:
    if spec.type == "vocabulary":
        vocabulary = pack.vocabulary(spec.vocabulary)
        return vocabulary is not None and vocabulary.canonical(value) is not None
    if spec.type == "date":
        return runtime.parse_date(value, spec.date_formats) is not None
    if spec.type == "clock-range":
        return parse_time_range(value) is not None
    if spec.type == "duration":
        return parse_duration(value) is not None
    if spec.type == "incident-number":
        return runtime.regex(spec.pattern or "").fullmatch(value) is not None
    if spec.type == "people":
        return bool(runtime.people(value))
    return True


def _words(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split()[:4])


def _actions(doc: PostMortem, pack: TemplatePack) -> Iterator[str]:
    spec = pack.actions
    items = reader.find_actions(doc, pack)
    if spec is None:
        return
    owner_needed = reader.action_needs(items, spec.owner, "owner")
    for item in items:
        if owner_needed and runtime.fold_value(item.owner.text) in runtime.NO_PERSON:
            yield f"no-owner:{_words(item.action.text)}"


def _tables(doc: PostMortem, pack: TemplatePack, reading: reader.Reading) -> Iterator[str]:
    for table in pack.tables:
        section = pack.section(table.section)
        present = any(s.spec is section for s in reading.all_sections())
        if table.required and present and reader.find_table(doc, pack, table.role) is None:
            yield f"no-table:{table.role}"


def _placeholders(doc: PostMortem, pack: TemplatePack) -> Iterator[str]:
    pattern = pack.placeholder_regex
    if pattern is None:
        return
    skip = code_lines(doc.blocks)
    for number, line in enumerate(doc.source.lines, start=1):
        if number <= doc.front_matter_lines or number in skip:
            continue
        for match in pattern.finditer(_EXPECT.sub("", line)):
            if "://" not in match.group(0):
                yield match.group(0)


def _is_placeholder(pack: TemplatePack, text: str) -> bool:
    pattern = pack.placeholder_regex
    return bool(pattern and text.strip() and not pattern.sub("", text).strip(" *_`$"))
