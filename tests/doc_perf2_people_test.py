"""`build._people`'s attendees search, tried only in paragraphs that hold the word, finds what a search of every paragraph finds."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import build

_PIECES = st.sampled_from(("Attendees", "attendees", "Attendee", ":", "**", " ", "\n", "Dana", ", ", "x"))


@settings(max_examples=1000, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=10))
@example(pieces=["**", "Attendees", ":", "**", " ", "Dana"])
def test_gated_search_matches_search(pieces: list[str]) -> None:
    text = "".join(pieces)
    gated = build._ATTENDEES.search(text) if "Attendees" in text else None
    full = re.search(r"Attendees:?\**:?\s*(.+)", text)
    assert (gated and gated.group(1)) == (full and full.group(1))
