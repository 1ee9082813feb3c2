"""The quick constructors of `model` (`quick_init`) build what the dataclasses' own __init__ builds."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postmortem_lint.document import model
from postmortem_lint.packs.templates import reader

_QUICK = [
    (model.new_heading, model.Heading),
    (model.new_paragraph, model.Paragraph),
    (model.new_list_item, model.ListItem),
    (model.new_cell, model.Cell),
    (model.new_row, model.Row),
    (model.new_section, model.Section),
    (model.new_list_block, model.ListBlock),
    (reader.new_found_section, reader.FoundSection),
    (reader.new_found_field, reader.FoundField),
]


def _same(made: object, expected: object) -> None:
    assert type(made) is type(expected)
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert dataclasses.astuple(made) == dataclasses.astuple(expected)  # type: ignore[call-overload]


@pytest.mark.parametrize(("quick", "cls"), _QUICK)
@given(data=st.data())
def test_quick_constructor_equals_the_dataclass_init(quick, cls, data) -> None:  # type: ignore[no-untyped-def]
    values = [data.draw(st.one_of(st.integers(), st.text(max_size=5), st.none(), st.just(()))) for _ in dataclasses.fields(cls)]
    _same(quick(*values), cls(*values))


@pytest.mark.parametrize(("quick", "cls"), _QUICK)
def test_quick_instances_stay_frozen(quick, cls) -> None:  # type: ignore[no-untyped-def]
    values = range(len(dataclasses.fields(cls)))
    made, expected = quick(*values), cls(*values)
    name = dataclasses.fields(cls)[0].name
    errors = []
    for instance in (made, expected):
        with pytest.raises((dataclasses.FrozenInstanceError, TypeError)) as raised:
            setattr(instance, name, 5)
        errors.append(raised.type)
    assert errors[0] is errors[1]
    assert getattr(made, name) == 0
    assert not hasattr(made, "__dict__")


def test_quick_constructor_takes_every_field() -> None:
    with pytest.raises(TypeError):
        model.new_heading(1, 1, 1, "Title")  # no default for setext: every field is given
