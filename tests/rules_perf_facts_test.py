"""The content facts kept for the next rule are the ones worked out afresh."""

from __future__ import annotations

from lintkit import CLEAN_PATH, clean_text, replace_line

from postmortem_lint.checks import content_facts as facts
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
