"""What `lint` hands the rules: the data packs (`Context.packs`) and the tracker (`Context.tracker`).

Rules read no file; everything they need besides the document is loaded here:
each pack once per process, from `lint.packdata` when a rule first asks (worker
processes load theirs then; a run served by the cache loads none), the tracker
once per run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import TYPE_CHECKING

from postmortem_lint.checks.context import Context
from postmortem_lint.config.settings import Settings
from postmortem_lint.core import lazy
from postmortem_lint.core.errors import Problem
from postmortem_lint.document.tracking import Tracker, TrackerError, decode
from postmortem_lint.packs import roster
from postmortem_lint.packs.loader import PackError

if TYPE_CHECKING:
    from postmortem_lint.checks.blame_engine import BlamePack
    from postmortem_lint.packs.sections import SectionPack
    from postmortem_lint.packs.templates.runtime import TemplatePack


class RunPacks:
    """`checks.context.Packs` for the settings of a run: each pack from `lint.packdata`, loaded when first asked for."""

    __slots__ = ("settings",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def sections(self) -> SectionPack:
        found: SectionPack = packdata().sections_pack(self.settings.sections)
        return found

    def template_examples(self) -> tuple[tuple[str, str], ...]:
        found: tuple[tuple[str, str], ...] = packdata().example_phrases()
        return found

    def blame(self) -> BlamePack:
        found: BlamePack = packdata().blame_pack(self.settings.blame_extra_phrases, self.settings.blame_allow)
        return found

    def roster(self) -> frozenset[str] | None:
        return roster.roster(self.settings)

    def template(self) -> TemplatePack:
        found: TemplatePack = packdata().template_pack(self.settings.template, self.settings.root)
        return found


def check_template(settings: Settings) -> None:
    """The template pack is read up front by every command: a bad `template:` is a configuration error (exit 2)
    naming the key's line (the pack's own file and line when the pack is the problem), not a crash mid-run."""
    if settings.template is None:
        return
    try:
        packdata().template_pack(settings.template, settings.root)
    except PackError as exc:
        message = str(exc)
        raise Problem(f"{settings.origin('template')}: {message}" if message.startswith("template `") else message) from None


def packdata() -> ModuleType:
    """`lint.packdata`: the packs the document rules read, loaded when a document is first linted."""
    return lazy.load("postmortem_lint.lint.packdata")


def context(settings: Settings, today: dt.date, tracker: Tracker | str | None = None) -> Context:
    """The context of the rules of a run."""
    return Context(settings, today, RunPacks(settings), tracker)


def tracker_of(settings: Settings) -> Tracker | str | None:
    """The project's tracker for PM703: parsed, the reason it cannot be parsed, or None when there is none."""
    name = PurePosixPath(settings.tracker).as_posix()
    try:
        return read_tracker(tracker_path(settings), name)
    except TrackerError as exc:
        return f"tracker cannot be parsed ({exc}); fix it by hand"


def tracker_path(settings: Settings) -> Path:
    return settings.root / settings.tracker


def read_tracker(path: Path, label: str | None = None) -> Tracker | None:
    """The parsed tracker at ``path`` (named ``label`` in messages); None when there is no such file.

    `TrackerError` when it cannot be read or parsed.
    """
    label = label or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TrackerError(f"{label}: cannot be read: {exc.strerror or exc}") from None
    return decode(path, data, label)
