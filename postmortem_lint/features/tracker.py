"""`pmlint track`: bring `POST_MORTEM_TRACKING.md` in sync with the post-mortems, atomically and under a lock.

The table's format is `document.tracking`'s; this module reads the file, plans
the sync over the archive's summaries (`lint.archive`), writes it and keeps
concurrent `pmlint track` / `pmlint new` runs apart.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from postmortem_lint.config.settings import Settings
from postmortem_lint.document.summary import Summary
from postmortem_lint.document.tracking import expected_rows, synced_text
from postmortem_lint.io.discover import git_top
from postmortem_lint.io.fsutil import atomic_write, locked
from postmortem_lint.io.resources import data_path
from postmortem_lint.lint import archive
from postmortem_lint.lint.providers import read_tracker, tracker_path


@dataclass(frozen=True, slots=True)
class Plan:
    """What syncing would do: the tracker's current text (None: no file) and its synced text."""

    path: Path
    old: str | None
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def plan(settings: Settings, summaries: Iterable[Summary] | None = None) -> Plan | None:
    """The sync to perform; None when there is neither a tracker nor a post-mortem."""
    path = tracker_path(settings)
    current = read_tracker(path, settings.tracker)
    summaries = list(archive.summaries(archive.project_targets(settings), settings).summaries if summaries is None else summaries)
    if current is None and not summaries:
        return None
    rows = expected_rows(summaries, PurePosixPath(settings.tracker).as_posix())
    scaffold = data_path("scaffolds/tracking.md").read_text(encoding="utf-8")
    old = "".join(current.lines) if current is not None else None
    return Plan(path, old, synced_text(current, rows, scaffold))


def apply(found: Plan, root: Path) -> None:
    """Write the synced tracker atomically (refusing a path that leaves ``root``)."""
    atomic_write(found.path, found.new, root=root)


def sync(settings: Settings) -> Plan | None:
    """Bring the tracker in sync under the lock; the plan carried out (None: nothing to track)."""
    with lock(settings.root, tracker_path(settings)):
        found = plan(settings)
        if found is not None and found.changed:
            apply(found, settings.root)
    return found


@contextlib.contextmanager
def lock(root: Path, tracker: Path) -> Iterator[None]:
    """The lock against concurrent `pmlint track` / `pmlint new` runs (kept in .git when there is one)."""
    top = git_top(root.resolve())
    git_dir = top / ".git" if top else None
    with locked(git_dir / "pmlint-tracker" if git_dir and git_dir.is_dir() else tracker):
        yield
