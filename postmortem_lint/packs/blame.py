"""The shipped blame phrase pack (`rules/blame.yaml`) as `Phrase` records."""

from __future__ import annotations

import functools
from typing import Any

from postmortem_lint.packs import loader
from postmortem_lint.packs.phrases import PACK_FILE, Phrase, phrase_of


@functools.lru_cache(maxsize=1)
def shipped_phrases() -> tuple[Phrase, ...]:
    """The shipped pack; validated unless it comes from the fresh compiled JSON."""
    return phrases_of(loader.load("blame"))


def parse_pack(raw: Any, source: str = PACK_FILE) -> tuple[Phrase, ...]:
    """Validate loaded YAML as a blame pack (`PackError` names the offending entry) and return its phrases."""
    loader.validate("blame", raw, source)
    return phrases_of(raw)


def phrases_of(data: Any) -> tuple[Phrase, ...]:
    return tuple(phrase_of(entry) for entry in data["phrases"])
