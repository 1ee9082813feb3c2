"""The shipped blame pack (`rules/blame.yaml`): its phrases as `Phrase` records, and the whole pack (families, lexicon) as data."""

from __future__ import annotations

import functools
from typing import Any

from postmortem_lint.packs import loader
from postmortem_lint.packs.phrases import PACK_FILE, Phrase, phrase_of


@functools.lru_cache(maxsize=1)
def shipped() -> Any:
    """The shipped pack as loaded: phrases, lexicon and families; validated unless it comes from the fresh compiled JSON."""
    return loader.load("blame")


@functools.lru_cache(maxsize=1)
def shipped_phrases() -> tuple[Phrase, ...]:
    """The shipped pack's phrases."""
    return phrases_of(shipped())


def parse_pack(raw: Any, source: str = PACK_FILE) -> tuple[Phrase, ...]:
    """Validate loaded YAML as a blame pack (`PackError` names the offending entry) and return its phrases."""
    loader.validate("blame", raw, source)
    return phrases_of(raw)


def phrases_of(data: Any) -> tuple[Phrase, ...]:
    return tuple(phrase_of(entry) for entry in data["phrases"])
