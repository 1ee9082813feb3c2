"""The data packs the document rules read, and the compiled blame pack: loaded once per process, when a document is first linted.

`lint.providers` hands them to the rules through `Context.packs`; a run served by
the cache loads none of this (`core.lazy`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from pathlib import Path

from postmortem_lint.checks import blame_grammar
from postmortem_lint.checks.blame_engine import BlamePack
from postmortem_lint.core import regexes
from postmortem_lint.io.resources import data_path
from postmortem_lint.packs import blame, template_examples
from postmortem_lint.packs.phrases import extra_phrase
from postmortem_lint.packs.sections import SectionPack, sections
from postmortem_lint.packs.templates.loader import load_template
from postmortem_lint.packs.templates.runtime import TemplatePack


def sections_pack(path: str | None) -> SectionPack:
    """The required sections: the team's pack at ``path``, else the shipped one (`PackError` when it is bad)."""
    return sections(path)


@functools.lru_cache(maxsize=8)
def template_pack(value: str | None, root: Path) -> TemplatePack:
    """The template pack ``template:`` names (the `seed` preset when None); a team's file is compiled once and
    remembered in the project's cache folder (`TemplateError`, a `PackError`, when it is bad)."""
    return load_template(value, root, cache_root=root)


def example_phrases() -> tuple[tuple[str, str], ...]:
    return template_examples.phrases()


def blame_pack(extra_phrases: Sequence[str | tuple[str, str]] = (), allow: Sequence[str] = ()) -> BlamePack:
    """The shipped blame pack plus the team's ``blame.extra-phrases``, minus ``blame.allow`` (compiled once per process)."""
    if not extra_phrases and not allow:
        return _default_blame_pack()
    return _blame_pack(tuple(extra_phrases), tuple(allow))


@functools.lru_cache(maxsize=1)
def _default_blame_pack() -> BlamePack:
    shipped_regexes()
    return BlamePack(blame.shipped_phrases(), _shipped_grammar())


SHIPPED_REGEXES = f"rules/regexes-{sys.implementation.name}-{sys.version_info[0]}{sys.version_info[1]}.bin"
"""The shipped pack's compiled patterns for this Python (`core.regexes.table`), when pmlint ships them for it."""


@functools.lru_cache(maxsize=1)
def shipped_regexes() -> None:
    """Let `core.regexes` rebuild the shipped pack's patterns instead of compiling them (~100 ms for one document)."""
    try:
        data = data_path(SHIPPED_REGEXES).read_bytes()
    except OSError:  # FileNotFoundError from data_path too: no table for this Python, each pattern is compiled
        return
    regexes.load_shipped(data)


@functools.lru_cache(maxsize=1)
def _shipped_grammar() -> blame_grammar.Grammar:
    """The families and lexicon of the shipped pack, compiled (a team's extra phrases and allow list leave them as they are)."""
    return blame_grammar.build(blame.shipped())


@functools.lru_cache(maxsize=8)
def _blame_pack(extra_phrases: tuple[str | tuple[str, str], ...], allow: tuple[str, ...]) -> BlamePack:
    shipped_regexes()
    phrases = blame.shipped_phrases() + tuple(extra_phrase(i, s) for i, s in enumerate(extra_phrases))
    return BlamePack(phrases, _shipped_grammar(), allow)
