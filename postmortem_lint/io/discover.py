"""Find the project root and the post-mortems to check (filesystem only).

Git-aware listing (tracked plus untracked-not-ignored files, the index, refs)
lives in `gitrepo`; this module needs no git and imports nothing heavy.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath

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


def find_config(start: Path, root: Path) -> Path | None:
    """The nearest config file walking up from ``start`` to ``root``."""
    here = start.resolve()
    top = root.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = here / name
            if _is_config(candidate):
                return candidate
        if here == top or here.parent == here:
            return None
        here = here.parent


def _is_config(path: Path) -> bool:
    return path.is_file() and (path.name != "pyproject.toml" or _has_pmlint_table(path))


def _has_pmlint_table(path: Path) -> bool:
    try:
        return "[tool.pmlint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


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


def glob_project(root: Path, patterns: Sequence[str]) -> list[Path]:
    """Every file under ``root`` matching the include globs (filesystem walk)."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if not (set(p.relative_to(root).parts) & SKIP_DIRS))
    return sorted(found)


def expand(paths: Iterable[Path], patterns: Sequence[str]) -> Iterator[Path]:
    """Files named on the command line; folders give their post-mortems (by file-name glob)."""
    names = [PurePosixPath(p).name for p in patterns]
    for path in paths:
        if path.is_dir():
            yield from sorted(_walk(path, names))
        elif path.exists() or path.is_symlink():
            yield path
        else:
            raise PathError(f"{path}: no such file or directory")


def _walk(folder: Path, names: list[str]) -> Iterator[Path]:
    for child in folder.rglob("*"):
        if set(child.relative_to(folder).parts) & SKIP_DIRS:
            continue
        if any(fnmatch.fnmatch(child.name, n) for n in names):
            yield child


def project_files(root: Path, patterns: Sequence[str], need_git: bool = False) -> list[str]:
    """The project's post-mortems, root-relative: git's tracked and untracked-not-ignored
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
