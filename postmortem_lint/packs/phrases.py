"""The blame pack's records: `Phrase`, and a team's ``blame.extra-phrases`` item as one (the dialect is `core.dialect`)."""

from __future__ import annotations

from typing import NamedTuple

from postmortem_lint.core.dialect import WORD, checked_regex, extra_regex
from postmortem_lint.packs.loader import PackError

PACK_FILE = "rules/blame.yaml"
CATEGORIES = ("blame-word", "character-judgement", "counterfactual", "fault-attribution", "custom")


class Phrase(NamedTuple):
    """One validated entry of the phrase pack."""

    id: str
    pattern: str
    category: str
    keywords: tuple[str, ...]
    message: str
    suggestion: str


def phrase_of(entry: dict[str, object]) -> Phrase:
    """A pack entry (validated) as a `Phrase`."""
    return Phrase(**{**entry, "keywords": tuple(entry["keywords"])})  # type: ignore[arg-type]


def extra_phrase(index: int, spec: str) -> Phrase:
    """A ``blame.extra-phrases`` item: a plain phrase, or a regex after ``re:``."""
    regex = extra_regex(spec)
    try:
        checked_regex(regex)
    except ValueError as exc:
        raise PackError(f"blame.extra-phrases[{index}] {spec!r}: {exc}") from None
    keywords = () if spec.startswith("re:") else tuple(WORD.findall(spec.lower()))
    return Phrase(
        id=f"extra-{index + 1}",
        pattern=regex,
        category="custom",
        keywords=keywords,
        message="is listed in blame.extra-phrases",
        suggestion="describe the conditions and the system rather than the person",
    )
