"""The template reader's scans that stop early give what the general scans, kept here as the reference, gave: the
header area read only up to its end, labelled lines matched only when they hold a colon."""

from __future__ import annotations

import pytest
import samekit
from corpus_archives import CORPUS
from hypothesis import given
from hypothesis import strategies as st

from postmortem_lint.core.text import heading_key
from postmortem_lint.document.build import clean_value, flatten
from postmortem_lint.document.model import Block, Heading, Paragraph, PostMortem, Table
from postmortem_lint.packs.templates import presets, reader
from postmortem_lint.packs.templates.reader import FoundField, FoundSection
from postmortem_lint.packs.templates.runtime import TemplatePack

PACKS = tuple(presets.preset(name) for name in presets.names())


DOCS = samekit.sample(CORPUS, 5)


def _general_header(doc: PostMortem, pack: TemplatePack, sections: tuple[FoundSection, ...]) -> tuple[Block, ...]:
    """`header_blocks` as it was: every block of the document looked at."""
    if pack.header_area == "preamble":
        stop = next((b.line for b in doc.blocks if isinstance(b, Heading) and b.level == 2), None)
    else:
        stop = sections[0].line if sections else None
    return tuple(
        b
        for b in doc.blocks
        if (stop is None or b.line < stop) and not (isinstance(b, Heading) and (b.level == 1 or pack.header_area == "preamble"))
    )


def _general_labelled(doc: PostMortem, blocks: tuple[Block, ...], labels: set[str], key: str) -> FoundField | None:
    """`_labelled` as it was: every line of a paragraph matched."""
    for block in flatten(blocks):
        if isinstance(block, Paragraph):
            for number in range(block.line, block.end_line + 1):
                match = reader._LABELLED.match(doc.source.line(number))
                label = match and (match["bold"] or match["plain"])
                if match and label and heading_key(label) in labels:
                    raw = match["value"].rstrip()
                    return FoundField(key, label.strip(), clean_value(raw), raw, number, match.start("value") + 1, "label")
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                if len(row.cells) >= 2 and heading_key(row.cells[0].text) in labels:
                    cell = row.cells[1]
                    return FoundField(key, row.cells[0].text, clean_value(cell.text), cell.text, row.line, cell.column, "table")
    return None


def test_the_sample_is_not_empty() -> None:
    assert len(DOCS) > 40


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_the_header_read_up_to_its_end_is_the_general_scan(pack: TemplatePack) -> None:
    for doc in DOCS:
        sections, _unmatched = reader.find_sections(doc, pack)
        assert reader.header_blocks(doc, pack, sections) == _general_header(doc, pack, sections), doc.path


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_labelled_lines_matched_when_they_hold_a_colon_are_the_general_scan(pack: TemplatePack) -> None:
    for doc in DOCS:
        for spec in pack.measures:
            labels = {heading_key(label) for label in spec.labels}
            for section in reader.read(doc, pack).all_sections():
                got = reader._labelled(doc, section.blocks, labels, spec.name)
                assert got == _general_labelled(doc, section.blocks, labels, spec.name), doc.path
            assert reader._labelled(doc, doc.blocks, labels, spec.name) == _general_labelled(doc, doc.blocks, labels, spec.name)


_LINE = st.lists(st.sampled_from([*"ab :*_-()/Tt", "Time to Detect", "**", "TTD", "- "]), max_size=12).map("".join)


@given(_LINE)
def test_a_line_without_a_colon_never_matches_a_label(line: str) -> None:
    for text in (line, line.replace(":", "")):
        assert reader._LABELLED.match(text) is None or ":" in text
