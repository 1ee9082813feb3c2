"""PM210's `_spelling` skips the values a vocabulary writes as they are (`_as_written`) and answers as the general
path, kept here as the reference, which looked for a respelling of every value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postmortem_lint.checks import fixers, pm210_header_form
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.packs.templates import presets
from postmortem_lint.packs.templates.runtime import Term, Vocabulary

TWINS = Vocabulary("twins", (Term("SEV-2"), Term("sev 2"), Term("Open"), Term("In Progress"), Term("in-progress")))
"""Values that share a spelling: one of each pair is a respelling of the other, so it is not `_as_written`."""
VOCABULARIES = (*(v for name in presets.names() for v in presets.preset(name).vocabularies), TWINS)


def _reference(line: int, column: int, text: str, vocabulary: Vocabulary, what: str) -> Finding | None:
    """`_spelling` before `_as_written`: every value is looked for."""
    if not text.strip():
        return None
    fix = fixers.spelling(line, column, text, vocabulary.values)
    if fix is None or vocabulary.canonical(text) is None:
        return None
    edit = fix.edits[0]
    old = text[edit.column - column : edit.end_column - column]
    message = f"{what} `{old}` is written `{edit.replacement}` in the template"
    return Finding(line, message, edit.column, line, edit.end_column, old, fix=fix)


def test_twins_are_not_all_as_written() -> None:
    assert pm210_header_form._as_written(TWINS) < set(TWINS.values)


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.name)
def test_every_value_and_its_variants_are_the_general_paths(vocabulary: Vocabulary) -> None:
    for value in vocabulary.values:
        for text in (value, value.lower(), value.upper(), f"**{value}**", f" {value} ", value.replace("-", " "), f"{value} ✅"):
            assert pm210_header_form._spelling(3, 5, text, vocabulary, "status") == _reference(3, 5, text, vocabulary, "status")


@given(st.sampled_from(VOCABULARIES), st.data())
def test_texts_near_the_values_are_the_general_paths(vocabulary: Vocabulary, data: st.DataObject) -> None:
    value = data.draw(st.sampled_from(vocabulary.values))
    noise = data.draw(st.text(alphabet=" -_*'’xX", max_size=3))
    text = data.draw(st.sampled_from([value + noise, noise + value, value.swapcase(), noise]))
    assert pm210_header_form._spelling(1, 1, text, vocabulary, "v") == _reference(1, 1, text, vocabulary, "v")
