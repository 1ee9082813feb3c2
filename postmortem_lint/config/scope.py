"""Which root-relative paths are post-mortems, by the settings alone (pure): the archive, the folder, the excluded.

`include` names the post-mortems; the post-mortem folder's other Markdown files
are checked too (so PM101 sees a misnamed one) but are not part of the archive
until renamed; a README, the tracker and what `exclude` names never are.
Listing the files on disk is `lint.files`'s.
"""

from __future__ import annotations

import fnmatch
import posixpath
from pathlib import PurePosixPath

from postmortem_lint.config.settings import Settings
from postmortem_lint.core.paths import matches

MARKDOWN = (".md", ".markdown")


def folder_globs(settings: Settings) -> tuple[str, ...]:
    """Every Markdown file directly in the post-mortem folder (none when that folder is the project root)."""
    folder = posixpath.normpath(settings.folder.strip("/") or ".")
    if folder == ".":
        return ()
    return tuple(f"{folder}/*{suffix}" for suffix in MARKDOWN)


def checked_globs(settings: Settings) -> tuple[str, ...]:
    """What `pmlint check` lists: the include globs and the post-mortem folder's Markdown files."""
    return (*settings.include, *folder_globs(settings))


def excluded(rel: str, settings: Settings) -> bool:
    """Never a post-mortem: a README, the tracker (or a file named like it) and what `exclude` names."""
    name = PurePosixPath(rel).name
    tracker = posixpath.normpath(settings.tracker)
    if name.split(".", 1)[0].casefold() == "readme" or rel == tracker or name == posixpath.basename(tracker):
        return True
    return matches(rel, settings.exclude)


def in_folder(rel: str, settings: Settings) -> bool:
    """A Markdown file directly in the post-mortem folder."""
    path = PurePosixPath(rel)
    folder = posixpath.normpath(settings.folder.strip("/") or ".")
    return folder != "." and path.parent.as_posix() == folder and path.suffix in MARKDOWN


def is_post_mortem(rel: str, settings: Settings) -> bool:
    """A post-mortem of the archive, as `track`, `actions` and `report` list them: matches `include`, not excluded."""
    return matches(rel, settings.include) and not excluded(rel, settings)


def wanted(rel: str, settings: Settings) -> bool:
    """A file `pmlint check` would check when found under a named folder (or passed by pre-commit
    with ``--force-exclude``): one it checks by default, or one named like a post-mortem anywhere."""
    if excluded(rel, settings):
        return False
    name = PurePosixPath(rel).name
    return in_folder(rel, settings) or any(fnmatch.fnmatch(name, PurePosixPath(p).name) for p in settings.include)
