"""The template's illustrative example text (PM407), from `rules/template-examples.yaml`."""

from __future__ import annotations

import functools

from postmortem_lint.packs import loader


@functools.lru_cache(maxsize=1)
def phrases() -> tuple[tuple[str, str], ...]:
    """(phrase case-folded, its group) for every phrase of the pack."""
    data = loader.load("template-examples")["phrases"]
    return tuple((phrase.casefold(), group) for group, items in data.items() for phrase in items)
