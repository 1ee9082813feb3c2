"""config.scope's string shortcuts for a path's name, parent and suffix against `PurePosixPath`, kept here as the reference."""

from __future__ import annotations

import fnmatch
import posixpath
from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.config import scope
from postmortem_lint.config.settings import Settings
from postmortem_lint.core.paths import matches

SEGMENT = st.sampled_from(
    ["a", "tasks", ".", "..", "", "x.md", "y.markdown", "README.md", "a.", ".md", "t.md.bak", "POST_MORTEM_TRACKING.md"]
)
REL = st.builds(lambda lead, parts: lead + "/".join(parts), st.sampled_from(["", "/", "./", "//"]), st.lists(SEGMENT, max_size=4))
FOLDER = st.sampled_from(["tasks", "tasks/", "/tasks", ".", "", "a/tasks", "./tasks"])
INCLUDE = st.lists(st.sampled_from(["tasks/post-mortem-*.md", "*.md", "a/x.md", "tasks/", "docs/**/*.markdown"]), min_size=1, max_size=3)


def reference_excluded(rel: str, settings: Settings) -> bool:
    name = PurePosixPath(rel).name
    tracker = posixpath.normpath(settings.tracker)
    if name.split(".", 1)[0].casefold() == "readme" or rel == tracker or name == posixpath.basename(tracker):
        return True
    return matches(rel, settings.exclude)


def reference_in_folder(rel: str, settings: Settings) -> bool:
    path = PurePosixPath(rel)
    folder = posixpath.normpath(settings.folder.strip("/") or ".")
    return folder != "." and path.parent.as_posix() == folder and path.suffix in scope.MARKDOWN


def reference_wanted(rel: str, settings: Settings) -> bool:
    if reference_excluded(rel, settings):
        return False
    name = PurePosixPath(rel).name
    return reference_in_folder(rel, settings) or any(fnmatch.fnmatch(name, PurePosixPath(p).name) for p in settings.include)


@settings(max_examples=1000, deadline=None)
@given(REL, FOLDER, INCLUDE)
def test_the_shortcuts_agree_with_purepath(rel: str, folder: str, include: list[str]) -> None:
    settings = Settings(folder=folder, include=tuple(include))
    assert scope.excluded(rel, settings) == reference_excluded(rel, settings)
    assert scope.in_folder(rel, settings) == reference_in_folder(rel, settings)
    assert scope.wanted(rel, settings) == reference_wanted(rel, settings)
    assert scope._name(rel) == PurePosixPath(rel).name
