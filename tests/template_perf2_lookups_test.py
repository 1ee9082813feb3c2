"""Lookups the template rules now make once (per pack, per table, per document) give what the searches they replaced,
kept here as the reference, gave: section paths, column layouts, table action items, the first found section of each
spec, and the values PM210 need not look at."""

from __future__ import annotations

import pytest
import samekit
from corpus_archives import CORPUS

from postmortem_lint.checks import _template, pm3xx_sections, pm210_header_form
from postmortem_lint.core.text import heading_key
from postmortem_lint.document.build import build, flatten
from postmortem_lint.document.model import PostMortem, Table
from postmortem_lint.document.source import Source, decode
from postmortem_lint.packs.sections import sections
from postmortem_lint.packs.templates import presets, reader
from postmortem_lint.packs.templates.reader import FoundAction, FoundTable
from postmortem_lint.packs.templates.runtime import SectionSpec, TableSpec, TemplatePack

PACKS = tuple(presets.preset(name) for name in presets.names())
TEAM = _template._with_sections(presets.preset("seed"), sections(None))


DOCS = samekit.sample(CORPUS, 5)


def _general_path(specs: tuple[SectionSpec, ...], target: SectionSpec) -> list[SectionSpec]:
    """`path_to` as it was: searched depth first."""
    for spec in specs:
        if spec is target:
            return [spec]
        below = _general_path(spec.subsections, target)
        if below:
            return [spec, *below]
    return []


@pytest.mark.parametrize("pack", (*PACKS, TEAM), ids=lambda p: p.name)
def test_paths_worked_out_per_pack_are_the_search(pack: TemplatePack) -> None:
    stranger = SectionSpec("x", "X")
    for spec in (*pack.all_sections(), stranger):
        assert _template.path_to(pack.sections, spec) == _general_path(pack.sections, spec)
        for top in pack.sections:
            assert _template.path_to(top.subsections, spec) == _general_path(top.subsections, spec)


def _general_layout(spec: TableSpec, header: tuple[str, ...]) -> dict[str, int]:
    keys = [heading_key(cell) for cell in header]
    found: dict[str, int] = {}
    for column in spec.columns:
        index = next((i for i, key in enumerate(keys) if key in column.labels), None)
        if index is not None:
            found[column.role] = index
    return found


def _tables(doc: PostMortem) -> list[Table]:
    return [b for b in flatten(doc.blocks) if isinstance(b, Table)]


def _general_table_actions(found: FoundTable) -> list[FoundAction]:
    cell = found.cell
    roles = ("action", "id", "owner", "priority", "due", "status")
    return [FoundAction(row.line, "table", *(cell(row, r) for r in roles), row=row) for row in found.table.rows]  # type: ignore[misc]


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_layouts_table_actions_and_first_sections_are_the_searches(pack: TemplatePack) -> None:
    for doc in DOCS:
        for table in _tables(doc):
            for spec in pack.tables:
                assert spec.layout(table.columns) == _general_layout(spec, table.columns)
        found = reader.find_table.__wrapped__(doc, pack, "actions")  # type: ignore[attr-defined]
        if found is not None and found.spec.complete(found.layout):
            assert list(reader._table_actions(doc, pack)) == _general_table_actions(found), doc.path
        top = reader.read(doc, pack).sections
        first = pm3xx_sections._first_of(top)
        for spec in pack.sections:
            assert first.get(id(spec)) is next((f for f in top if f.spec is spec), None)


@pytest.mark.parametrize("header", ["| ID | Action | Owner | Priority | Due Date | Status |", "| Action | Owner | Due Date |"])
def test_short_rows_and_missing_columns_give_empty_cells_as_the_search(header: str) -> None:
    rule = "|" + "---|" * (header.count("|") - 1)
    text = f"# Post-Mortem: x\n\n## Action Items\n\n{header}\n{rule}\n| AI-001 | Fix it |\n| A | B | C | D | E | F | G |\n"
    decoded = decode(text.encode())
    assert isinstance(decoded, Source)
    for pack in PACKS:
        doc = build("x.md", decoded)
        found = reader.find_table.__wrapped__(doc, pack, "actions")  # type: ignore[attr-defined]
        if found is not None and found.spec.complete(found.layout):
            assert list(reader._table_actions(doc, pack)) == _general_table_actions(found)


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_values_not_looked_at_would_have_no_respelling(pack: TemplatePack) -> None:
    for vocabulary in pack.vocabularies:
        for value in vocabulary.values:
            for text in (value, value.lower(), f"**{value}**"):
                if not pm210_header_form._respellable(pack, text, vocabulary):
                    assert pm210_header_form._spelling(1, 1, text, vocabulary, "v") is None
