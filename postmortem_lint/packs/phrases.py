"""The blame pack's records: `Phrase`, and a team's ``blame.extra-phrases`` item as one (the dialect is `core.dialect`)."""

from __future__ import annotations

from typing import NamedTuple

from postmortem_lint.core.dialect import WORD, checked_regex, checked_replacement, extra_regex, wording
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
    replace: tuple[tuple[str, str], ...] = ()
    """The literal rewording of a match (PM601's unsafe fix), by the match's `wording`; the key ``""`` stands for
    every match (a pack's ``replace:`` written as one text). Empty: the phrase has no fix."""

    def replacement(self, matched: str) -> str | None:
        """What stands in for ``matched`` (a match of this phrase); None: no fix. A capitalised match (a sentence's first
        word: ``Fat-fingered``, not an acronym such as ``YOLO``) gets a capitalised replacement."""
        table = dict(self.replace)
        new = table.get(wording(matched), table.get(""))
        if new is None or not matched:
            return None
        return new[:1].upper() + new[1:] if matched[:1].isupper() and not matched[1:2].isupper() else new


def replacements(value: object) -> tuple[tuple[str, str], ...]:
    """A pack's ``replace:`` (absent, one text, or a table from a matched wording to its replacement) as `Phrase.replace`."""
    if isinstance(value, str):
        return (("", value),)
    if isinstance(value, dict):
        return tuple(sorted((str(k), str(v)) for k, v in value.items()))
    return ()


def phrase_of(entry: dict[str, object]) -> Phrase:
    """A pack entry (validated) as a `Phrase`."""
    return Phrase(**{**entry, "keywords": tuple(entry["keywords"]), "replace": replacements(entry.get("replace"))})  # type: ignore[arg-type]


def extra_phrase(index: int, item: str | tuple[str, str]) -> Phrase:
    """A ``blame.extra-phrases`` item: a plain phrase, or a regex after ``re:``; with its ``replace`` when it is a
    ``(phrase, replace)`` pair (the item written as a table)."""
    spec, replace = item if isinstance(item, tuple) else (item, None)
    regex = extra_regex(spec)
    try:
        checked_regex(regex)
        if replace is not None:
            checked_replacement(replace)
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
        replace=replacements(replace),
    )
