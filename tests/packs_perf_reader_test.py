"""The template reader's shortcuts give what the general path gives: fields from header lines matched once per
document, vocabulary values kept by the vocabulary's identity, field labels kept by name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import samekit
from corpus_archives import CORPUS

from postmortem_lint.core.text import heading_key
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Block, Paragraph, PostMortem
from postmortem_lint.packs.templates import presets, reader, runtime
from postmortem_lint.packs.templates.reader import FoundField
from postmortem_lint.packs.templates.runtime import FieldSpec, TemplatePack

PACKS = tuple(presets.preset(name) for name in presets.names())


DOCS = samekit.sample(CORPUS, 7)


def _general_line_fields(doc: PostMortem, spec: FieldSpec, labels: set[str], area: tuple[Block, ...]) -> Iterator[FoundField]:
    """Each field's own scan of its area, as the reader did before it matched the lines once per document."""
    for block in flatten(area):
        if not isinstance(block, Paragraph):
            continue
        for number in range(block.line, block.end_line + 1):
            line = doc.source.line(number)
            match = reader._BOLD_FIELD.match(line) if "bold-line" in spec.where else None
            form = "bold-line"
            if match is None and "key-line" in spec.where:
                match, form = reader._KEY_LINE.match(line), "key-line"
            if match is not None and heading_key(match["label"]) in labels:
                yield reader._found(spec, match["label"].strip(), match["value"], number, match.start("value") + 1, form)


def _general_fields(doc: PostMortem, pack: TemplatePack) -> dict[str, FoundField]:
    sections, _unmatched = reader.find_sections(doc, pack)
    header = reader.header_blocks(doc, pack, sections)
    found: dict[str, FoundField] = {}
    for spec in pack.fields:
        area = reader._area(spec, sections, header)
        labels = set(spec.labels)
        candidates = list(_general_line_fields(doc, spec, labels, area)) if {"bold-line", "key-line"} & set(spec.where) else []
        candidates += [f for f in reader._candidates(doc, spec, area, []) if f.form not in ("bold-line", "key-line")]
        if candidates:
            found[spec.key] = min(candidates, key=lambda f: (f.line, f.column))
    return found


def test_the_corpus_sample_is_not_empty() -> None:
    assert len(DOCS) > 20


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_fields_from_lines_matched_once_are_each_fields_own_scan(pack: TemplatePack) -> None:
    for doc in DOCS:
        sections, _unmatched = reader.find_sections(doc, pack)
        assert reader.find_fields(doc, pack, sections, reader.header_blocks(doc, pack, sections)) == _general_fields(doc, pack), doc.path


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_field_anywhere_is_each_fields_own_scan(pack: TemplatePack) -> None:
    for doc in DOCS:
        for spec in pack.fields:
            if {"bold-line", "key-line"} & set(spec.where):
                general = list(_general_line_fields(doc, spec, set(spec.labels), doc.blocks))
                expected = min(general, key=lambda f: (f.line, f.column)) if general else None
                assert reader.find_field_anywhere(doc, spec) == expected


def test_field_labels_are_the_names_normalised() -> None:
    for pack in PACKS:
        for spec in pack.fields:
            assert spec.labels == tuple(dict.fromkeys(heading_key(label) for label in (spec.name, *spec.aliases)))


WRITTEN = ("SEV-2", "sev 2 (major)", "**Resolved**", "done ✅", "In progress", "P1", "", "  ", "Closed - final", "unknown")


def test_canonical_kept_by_identity_is_the_uncached_answer() -> None:
    uncached = runtime._canonical.__wrapped__  # type: ignore[attr-defined]
    for pack in PACKS:
        for vocabulary in pack.vocabularies:
            for text in WRITTEN + vocabulary.values:
                assert vocabulary.canonical(text) == uncached(vocabulary, text)


def test_canonical_tells_apart_equal_looking_vocabularies() -> None:
    first = runtime.Vocabulary("status", (runtime.Term("Open"),))
    second = runtime.Vocabulary("status", (runtime.Term("Closed", ("open",)),))
    assert (first.canonical("open"), second.canonical("open")) == ("Open", "Closed")


def _general_measure(doc: PostMortem, pack: TemplatePack, name: str) -> FoundField | None:
    """`reader.find_measure` as it was: each found section's names compared with the measure's for every document."""
    spec = pack.measure(name)
    if spec is None:
        return None
    labels = {heading_key(label) for label in spec.labels}
    areas = [doc.blocks]
    if spec.sections:
        found = reader.read(doc, pack).all_sections()
        areas = [s.blocks for s in found if any(ref == s.spec.role or heading_key(ref) in s.spec.labels for ref in spec.sections)]
    return next((hit for blocks in areas if (hit := reader._labelled(doc, blocks, labels, name)) is not None), None)


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_measures_in_sections_worked_out_per_pack_are_the_general_search(pack: TemplatePack) -> None:
    for doc in DOCS:
        for measure in (*pack.measures, runtime.MeasureSpec("absent", ("x",))):
            assert reader.find_measure.__wrapped__(doc, pack, measure.name) == _general_measure(doc, pack, measure.name), doc.path


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_tables_kept_per_document_are_each_askings_own(pack: TemplatePack) -> None:
    roles = (*(t.role for t in pack.tables), "absent")
    for doc in DOCS:
        first = [reader.find_table(doc, pack, role) for role in roles]
        assert first == [reader.find_table.__wrapped__(doc, pack, role) for role in roles], doc.path
        assert all(reader.find_table(doc, pack, role) is kept for role, kept in zip(roles, first, strict=True))


def _general_section_key(text: str, level: int, pack: TemplatePack) -> str:
    """`reader.section_key` without the shortcut for headings with nothing to cut."""
    key = heading_key(text)
    short = reader._AFTER_TITLE.sub("", text, count=1).rstrip()
    if short == text or not short.strip():
        return key
    if reader.first_match(pack.all_sections(), key, level) is not None:
        return key
    cut = heading_key(short)
    return cut if reader.first_match(pack.all_sections(), cut, level) is not None else key


HEADINGS = ("Timeline (all times UTC)", "Timeline [^1]", "Timeline [[3]](x)", "Impact", "(x)", "[Root cause]", "Lessons [draft]")


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_section_keys_with_the_shortcut_are_the_general_ones(pack: TemplatePack) -> None:
    texts = [(h.text, h.level) for doc in DOCS for h in reader._headings(doc)]
    texts += [(text, level) for text in HEADINGS + tuple(s.name for s in pack.all_sections()) for level in (1, 2, 3)]
    for text, level in texts:
        assert reader.section_key(text, level, pack) == _general_section_key(text, level, pack), text


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_incident_date_kept_is_the_fresh_answer(pack: TemplatePack) -> None:
    for doc in DOCS:
        assert reader.incident_date(doc, pack) == reader.incident_date.__wrapped__(doc, pack) == reader.incident_date(doc, pack)  # type: ignore[attr-defined]
