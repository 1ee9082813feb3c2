"""The post-mortems on disk: what `pmlint check` lists, what the archive holds, what a named folder gives.

Which root-relative paths count is `config.scope`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from postmortem_lint.config.scope import checked_globs, excluded, wanted
from postmortem_lint.config.settings import Settings
from postmortem_lint.io import discover


def archive_files(settings: Settings) -> list[str]:
    """The archive's post-mortems, root-relative: files matching `include`, less the excluded ones.

    A misnamed file of the post-mortem folder is not among them: `pmlint check`
    reports it (PM101), and it joins the tracker, `actions` and `report` once renamed.
    """
    return [rel for rel in discover.project_files(settings.root, settings.include) if not excluded(rel, settings)]


def checked_files(settings: Settings, need_git: bool = False) -> list[str]:
    """What `pmlint check` checks with no PATH: the archive and every other Markdown file of the
    post-mortem folder (so that PM101 finds `tasks/postmortem-2026-05-11.md`), less the excluded ones."""
    return [rel for rel in discover.project_files(settings.root, checked_globs(settings), need_git) if not excluded(rel, settings)]


@dataclass(frozen=True)
class Named:
    """What PATH arguments gave: the files, and the folders that held no post-mortem."""

    files: list[Path]
    empty_folders: list[Path]


def expand(paths: Iterable[Path], settings: Settings, force_exclude: bool = False) -> Named:
    """Files named on the command line; a folder gives the files under it that `wanted` keeps.

    A named file is checked whatever its name, as ruff does, unless ``force_exclude``
    (pre-commit passes every staged file its `files:` pattern matches). A PATH
    that does not exist raises `PathError`.
    """
    files: list[Path] = []
    empty: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in discover.walk(path) if wanted(discover.relative(p, settings.root), settings))
            files.extend(found)
            if not found:
                empty.append(path)
        elif path.exists() or path.is_symlink():
            if not force_exclude or wanted(discover.relative(path, settings.root), settings):
                files.append(path)
        else:
            raise discover.PathError(f"{path}: no such file or directory")
    return Named(files, empty)
