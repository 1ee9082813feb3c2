"""Find the project root, its configuration file and its files (filesystem and plain git listing).

Which of those files are post-mortems depends on the settings and is
`lint.files`'s; git-aware listing (tracked plus untracked-not-ignored files)
is `gitrepo`'s. This module imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from postmortem_lint.io import gitrepo

CONFIG_NAMES = (".pmlint.yaml", ".pmlint.yml", "pyproject.toml")
"""Where a configuration may live, in the order they are looked for in each folder."""
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


def find_configs(start: Path, root: Path) -> list[Path]:
    """Every configuration file from ``start`` up to the repository top, closest first.

    The rule is ruff's: the closest file wins, and there is no merging. In one
    folder `.pmlint.yaml` comes before `.pmlint.yml`, and both before a
    pyproject.toml with a ``[tool.pmlint]`` table. Above ``root`` the walk goes
    on to the git top (or stops at ``root`` outside git), so that a file the run
    ignores can be named.
    """
    here = start.resolve()
    top = _walk_top(root.resolve())
    found: list[Path] = []
    while True:
        for name in CONFIG_NAMES:
            candidate = here / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_pmlint_table(candidate)):
                found.append(candidate)
        if here == top or here.parent == here:
            return found
        here = here.parent


def _walk_top(root: Path) -> Path:
    """The git top at or above ``root``, else ``root``."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def _has_pmlint_table(path: Path) -> bool:
    try:
        return "[tool.pmlint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with '/' separators (absolute when outside).

    A path under ``root`` is worked out on the strings (`_inside`): pathlib's ``absolute``
    and ``relative_to`` parse each path again, and a check of a folder of 1,000
    post-mortems asks twice per file, on the way to its first file linted.
    """
    inside = _inside(_absolute(path), _absolute(root))
    if inside is not None:
        return inside
    resolved = path.absolute()
    try:
        return resolved.relative_to(root.absolute()).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()


def _absolute(path: Path) -> str | None:
    """``str(path.absolute())`` (cwd joined to a relative path, nothing resolved); None for a path pathlib
    would parse differently once joined (POSIX's ``//`` root)."""
    text = str(path)
    if text.startswith("//"):
        return None
    if text.startswith("/"):
        return text
    cwd = os.getcwd()
    if not cwd.startswith("/") or cwd.startswith("//"):
        return None
    return cwd if text == "." else f"{cwd.rstrip('/')}/{text}"


def _inside(path: str | None, root: str | None) -> str | None:
    """``PurePosixPath(path).relative_to(root).as_posix()`` of two `_absolute` paths; None when ``path`` is not under ``root``."""
    if path is None or root is None:
        return None
    if path == root:
        return "."
    prefix = root if root.endswith("/") else root + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def glob_project(root: Path, patterns: Sequence[str]) -> list[Path]:
    """Every file under ``root`` matching the include globs (filesystem walk)."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if not (set(p.relative_to(root).parts) & SKIP_DIRS))
    return sorted(found)


def walk(folder: Path) -> Iterator[Path]:
    """Every file and folder under ``folder``, but those in `SKIP_DIRS`."""
    depth = len(folder.parts)
    for child in folder.rglob("*"):
        if SKIP_DIRS.isdisjoint(child.parts[depth:]):  # rglob's paths start with ``folder``'s parts
            yield child


def project_files(root: Path, patterns: Sequence[str], need_git: bool = False) -> list[str]:
    """The project's files matching ``patterns``, root-relative: git's tracked and untracked-not-ignored
    files in a repository, else a filesystem glob.

    With ``need_git`` a git problem, or no repository at all, raises `gitrepo.GitError`
    instead of falling back to the filesystem.
    """
    if git_top(root) is not None:
        try:
            return gitrepo.list_files(root, patterns)
        except gitrepo.GitError:
            if need_git:
                raise
    elif need_git:
        raise gitrepo.GitError(f"{root}: not a git repository (--staged, --changed-since and --against need one)")
    return [relative(p, root) for p in glob_project(root, patterns)]
