"""The project's cache folder: where it is, and how files are stored in it.

``$PMLINT_CACHE_DIR/<hash of the project root>`` when that variable is set, else
``$XDG_CACHE_HOME/pmlint/<hash of the project root>`` when that one is, else
``<project root>/.pmlint_cache/``. The in-project folder gets its own
``.gitignore`` (``*``), so git ignores it without an edit to the user's
``.gitignore``. Holds the result cache (`lint.cache`) and small notes such as the
validated settings (`config.memo`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from postmortem_lint.io.fsutil import UnsafePathError, atomic_write

FOLDER = ".pmlint_cache"


def cache_dir(root: Path) -> Path:
    """The cache folder of the project at ``root`` (see the module docstring)."""
    explicit = os.environ.get("PMLINT_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(explicit) if explicit else Path(xdg) / "pmlint" if xdg else None
    if base is None:
        return root / FOLDER
    return base / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def inside(root: Path) -> tuple[Path, Path | None]:
    """The cache folder of ``root``, and ``root`` when that folder lies inside it (writes must stay there)."""
    folder = cache_dir(root)
    return folder, root if folder == root / FOLDER else None


def store(folder: Path, path: Path, data: bytes, root: Path | None) -> None:
    """Replace ``path`` in the cache folder atomically; `ValueError` when it would leave ``root``."""
    try:
        _prepare(folder, root)
        atomic_write(path, data, root=root)
    except UnsafePathError as exc:
        raise ValueError(str(exc)) from None


def _prepare(folder: Path, root: Path | None) -> None:
    """Create the cache folder; inside the project it ignores itself for git."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if root is not None and not ignore.exists():
        atomic_write(ignore, "# Created by pmlint: the result cache is never committed.\n*\n", root=root)


def read_note(root: Path, name: str) -> bytes | None:
    """A small named file of the project's cache folder (None when absent or unreadable)."""
    try:
        return (cache_dir(root) / name).read_bytes()
    except OSError:
        return None


def write_note(root: Path, name: str, data: bytes) -> None:
    """Store a small named file in the project's cache folder; failures are ignored."""
    folder, within = inside(root)
    with contextlib.suppress(OSError, ValueError):
        store(folder, folder / name, data, within)
