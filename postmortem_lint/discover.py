"""Find the project root and the post-mortems to check (filesystem only).

Git-aware listing (tracked plus untracked-not-ignored files, the index, refs)
lives in `gitrepo`; this module needs no git and imports nothing heavy.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from postmortem_lint.config import CONFIG_NAMES, Settings, _has_pmlint_table

SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".pmlint_cache"}


class PathError(Exception):
    """A PATH argument that does not exist."""


def git_top(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git``."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def project_root(start: Path) -> Path:
    """The folder of the nearest config file below the git top, else the git top.

    Outside git: the cwd (SPEC: "git top-level, else cwd"), so `pmlint check tasks/x.md`
    sees the project, not just ``tasks/``, and nothing (a cache) is ever written into the
    folder of a file named from elsewhere.
    """
    start = start.resolve()
    if not start.is_dir():
        start = start.parent
    top = git_top(start)
    for folder in (start, *start.parents):
        if any(_is_config(folder / name) for name in CONFIG_NAMES):
            return folder
        if folder == top:
            return folder
    return Path.cwd().resolve()


def _is_config(path: Path) -> bool:
    return path.is_file() and (path.name != "pyproject.toml" or _has_pmlint_table(path))


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with '/' separators (absolute when outside)."""
    resolved = path.absolute()
    try:
        return resolved.relative_to(root.absolute()).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()


def matches(rel: str, patterns: Sequence[str]) -> bool:
    """Does the root-relative path match one of the include globs?"""
    return any(fnmatch.fnmatch(rel, p) or PurePosixPath(rel).match(p) for p in patterns)


def glob_project(root: Path, patterns: Sequence[str]) -> list[Path]:
    """Every file under ``root`` matching the include globs (filesystem walk)."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if not (set(p.relative_to(root).parts) & SKIP_DIRS))
    return sorted(found)


# ---------------------------------------------------------------- which files are post-mortems

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


def archive_files(settings: Settings) -> list[str]:
    """The archive's post-mortems, root-relative: files matching `include`, less the excluded ones.

    A misnamed file of the post-mortem folder is not among them: `pmlint check`
    reports it (PM101), and it joins the tracker, `actions` and `report` once renamed.
    """
    return [rel for rel in project_files(settings.root, settings.include) if not excluded(rel, settings)]


def checked_files(settings: Settings, need_git: bool = False) -> list[str]:
    """What `pmlint check` checks with no PATH: the archive and every other Markdown file of the
    post-mortem folder (so that PM101 finds `tasks/postmortem-2026-05-11.md`), less the excluded ones."""
    return [rel for rel in project_files(settings.root, checked_globs(settings), need_git) if not excluded(rel, settings)]


def wanted(rel: str, settings: Settings) -> bool:
    """A file `pmlint check` would check when found under a named folder (or passed by pre-commit
    with ``--force-exclude``): one it checks by default, or one named like a post-mortem anywhere."""
    if excluded(rel, settings):
        return False
    name = PurePosixPath(rel).name
    return in_folder(rel, settings) or any(fnmatch.fnmatch(name, PurePosixPath(p).name) for p in settings.include)


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
            found = sorted(p for p in _walk(path) if wanted(relative(p, settings.root), settings))
            files.extend(found)
            if not found:
                empty.append(path)
        elif path.exists() or path.is_symlink():
            if not force_exclude or wanted(relative(path, settings.root), settings):
                files.append(path)
        else:
            raise PathError(f"{path}: no such file or directory")
    return Named(files, empty)


def _walk(folder: Path) -> Iterator[Path]:
    for child in folder.rglob("*"):
        if not set(child.relative_to(folder).parts) & SKIP_DIRS:
            yield child


def project_files(root: Path, patterns: Sequence[str], need_git: bool = False) -> list[str]:
    """The project's post-mortems, root-relative: git's tracked and untracked-not-ignored
    files in a repository, else a filesystem glob.

    With ``need_git`` a git problem, or no repository at all, raises `gitrepo.GitError`
    instead of falling back to the filesystem.
    """
    from postmortem_lint import gitrepo

    if git_top(root) is not None:
        try:
            return gitrepo.list_files(root, patterns)
        except gitrepo.GitError:
            if need_git:
                raise
    elif need_git:
        raise gitrepo.GitError(f"{root}: not a git repository (--staged, --changed-since and --against need one)")
    return [relative(p, root) for p in glob_project(root, patterns)]
