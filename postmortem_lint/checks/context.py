"""What a rule receives besides the document: the run's `Context`, and for repository rules the `RepoIndex`.

Both are built by `lint` and immutable. A rule reads no file and keeps no state:
the packs it needs come through `Context.packs` (loaded by `lint.providers`, once
per process), the tracker through `Context.tracker` (read once per run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple, Protocol

from postmortem_lint.config.settings import Settings
from postmortem_lint.core.facts import parse_incident
from postmortem_lint.document.summary import Summary
from postmortem_lint.document.tracking import Tracker

if TYPE_CHECKING:
    from postmortem_lint.checks.blame_engine import BlamePack
    from postmortem_lint.packs.sections import SectionPack
    from postmortem_lint.packs.templates.runtime import TemplatePack


class Packs(Protocol):
    """The data packs of a run, each loaded when a rule first asks for it."""

    def sections(self) -> SectionPack:
        """The required sections (PM301–PM304): the team's `sections` pack, else the shipped one."""
        ...

    def template_examples(self) -> tuple[tuple[str, str], ...]:
        """The template's example phrases, case-folded, with their group (PM407)."""
        ...

    def blame(self) -> BlamePack:
        """The compiled blame phrases with the team's `blame.extra-phrases`, less `blame.allow` (PM601/PM602)."""
        ...

    def roster(self) -> frozenset[str] | None:
        """The folded aliases of everyone on the `owners` roster; None when `owners` is not set (PM508)."""
        ...

    def template(self) -> TemplatePack:
        """The run's template pack (`template:`; the `seed` preset by default): fields, sections, tables, vocabularies."""
        ...


class Context(NamedTuple):
    """What a rule may know besides the document: the settings, the date of the run and what `lint` provides."""

    settings: Settings
    today: dt.date
    packs: Packs
    tracker: Tracker | str | None = None
    """For PM703: the parsed tracker, why it could not be read or parsed (a message), or None when there is none."""


class RepoIndex(NamedTuple):
    """Every post-mortem's summary, by path, plus those at ``--against REF``."""

    summaries: dict[str, Summary]
    against: dict[str, Summary]
    against_ref: str | None = None

    @classmethod
    def of(cls, summaries: Iterable[Summary], against: dict[str, Summary] | None = None, against_ref: str | None = None) -> RepoIndex:
        return cls({s.path: s for s in summaries}, against or {}, against_ref)

    def by_incident(self) -> dict[str, list[Summary]]:
        found: dict[str, list[Summary]] = {}
        for summary in sorted(self.summaries.values(), key=lambda s: s.path):
            if parse_incident(summary.incident):
                found.setdefault(summary.incident, []).append(summary)
        return found
