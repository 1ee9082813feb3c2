"""The blame pack's records and pattern dialect: `Phrase`, how a pattern becomes a regex, a user's extra phrase.

Shared by the pack's schema (a pattern must compile) and the blame engine
(`checks.blame_engine` compiles every pattern), so that both read the dialect
the same way: word-bounded, a space matches any run of white space (`` ?``: none
or some), an apostrophe matches both ' and ’.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from postmortem_lint.packs.loader import PackError

PACK_FILE = "rules/blame.yaml"
CATEGORIES = ("blame-word", "character-judgement", "counterfactual", "fault-attribution", "custom")
WORD = re.compile(r"[a-z]+")
"""A keyword of the pack, and a word of the text that keywords are looked up by."""


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


def checked_regex(pattern: str) -> str:
    """``pattern`` itself when it compiles in the dialect; ValueError otherwise."""
    try:
        re.compile(bounded(pattern), re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"pattern does not compile: {exc}") from None
    return pattern


def extra_phrase(index: int, spec: str) -> Phrase:
    """A ``blame.extra-phrases`` item: a plain phrase, or a regex after ``re:``."""
    regex = spec[3:] if spec.startswith("re:") else re.escape(spec.strip()).replace(r"\ ", " ")
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
        message="listed in blame.extra-phrases",
        suggestion="describe the conditions and the system rather than the person",
    )


@functools.cache
def _dialect() -> re.Pattern[str]:
    return re.compile(r"\\.|\[(?:\\.|[^\[\]\\])*\]| \?| |'")


_DIALECT_SUBS = {" ?": r"\s*", " ": r"\s+", "'": "['\u2019]"}


def bounded(pattern: str) -> str:
    """Pack dialect to Python regex: word-bounded, flexible spaces, both apostrophes."""
    return rf"(?<!\w)(?:{_dialect().sub(_dialect_token, pattern)})(?!\w)"


def _dialect_token(m: re.Match[str]) -> str:
    token = m.group()
    if token.startswith("["):
        return token.replace("'", "'\u2019").replace(" ", r"\s")
    return _DIALECT_SUBS.get(token, token)
