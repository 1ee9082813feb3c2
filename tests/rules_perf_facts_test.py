"""The content facts kept for the next rule are the ones worked out afresh."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lintkit import CLEAN_PATH, clean_text, replace_line

from postmortem_lint.checks import content_facts as facts
from postmortem_lint.checks import pm410_numbers_disagree as pm410
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import presets


def _doc(text: str) -> PostMortem:
    decoded = source.decode(text.encode())
    assert isinstance(decoded, source.Source)
    return build(CLEAN_PATH, decoded)


def test_the_timeline_is_worked_out_once_per_document_and_pack() -> None:
    pack = presets.preset("seed")
    doc, other = _doc(clean_text()), _doc(replace_line(clean_text(), "| 14:05 |", "| 14:06 |"))
    events = facts.timeline(doc, pack)
    assert events and isinstance(events, tuple)
    assert facts.timeline(doc, pack) is events
    changed = facts.timeline(other, pack)
    assert changed and changed != events
    assert facts.timeline(_doc(clean_text()), pack) == events
    assert facts.timeline(other, pack) == changed


EVENTS = st.lists(
    st.tuples(st.integers(0, 3000), st.sampled_from(["Alert fired", "Service restored", "resolved", "paged", "noise", ""])),
    max_size=12,
).map(lambda rows: tuple(facts.Event(n, minute, "00:00", text) for n, (minute, text) in enumerate(rows, start=1)))


@settings(max_examples=500, deadline=None)
@given(EVENTS, st.sampled_from([pattern for _name, _what, pattern in pm410.MEASURES]), st.integers(0, 3000))
def test_pm410_rows_from_begin_are_the_first_and_the_others(events: tuple[facts.Event, ...], pattern: re.Pattern[str], begin: int) -> None:
    rows = pm410._rows_from(events, pattern, begin)
    assert (rows[0] if rows else None) == facts.first(events, pattern, begin)
    assert [e.minute - begin for e in rows] == [e.minute - begin for e in events if pattern.search(e.text) and e.minute >= begin]
