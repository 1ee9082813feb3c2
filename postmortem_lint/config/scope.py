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
    name = _name(rel)
    tracker = posixpath.normpath(settings.tracker)
    if name.split(".", 1)[0].casefold() == "readme" or rel == tracker or name == posixpath.basename(tracker):
        return True
    return matches(rel, settings.exclude)


def in_folder(rel: str, settings: Settings) -> bool:
    """A Markdown file directly in the post-mortem folder."""
    folder = posixpath.normpath(settings.folder.strip("/") or ".")
    if folder == ".":
        return False
    if not _plain(rel):
        path = PurePosixPath(rel)
        return path.parent.as_posix() == folder and path.suffix in MARKDOWN
    parent, _, name = rel.rpartition("/")
    dot = name.rfind(".")
    return (parent or ("/" if rel.startswith("/") else ".")) == folder and 0 < dot < len(name) - 1 and name[dot:] in MARKDOWN


def is_post_mortem(rel: str, settings: Settings) -> bool:
    """A post-mortem of the archive, as `track`, `actions` and `report` list them: matches `include`, not excluded."""
    return matches(rel, settings.include) and not excluded(rel, settings)


def wanted(rel: str, settings: Settings) -> bool:
    """A file `pmlint check` would check when found under a named folder (or passed by pre-commit
    with ``--force-exclude``): one it checks by default, or one named like a post-mortem anywhere."""
    if excluded(rel, settings):
        return False
    name = _name(rel)
    return in_folder(rel, settings) or any(fnmatch.fnmatch(name, _name(p)) for p in settings.include)


def _plain(rel: str) -> bool:
    """A path that `PurePosixPath` would give back as it is (no empty or ``.`` part to drop): its last part is its
    name and what comes before it its parent, on the string, without parsing it (twice per file of a check)."""
    return rel not in ("", ".") and "//" not in rel and "/./" not in rel and not rel.startswith("./") and not rel.endswith(("/", "/."))


def _name(rel: str) -> str:
    """``PurePosixPath(rel).name``."""
    return rel.rpartition("/")[2] if _plain(rel) else PurePosixPath(rel).name
