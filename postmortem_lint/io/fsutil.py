"""Safe writes of user files: atomic replace, mode kept, never through a symlink out of the root.

Every write of a user file (tracker, new post-mortem, baseline, cache) goes
through `atomic_write`: a temporary file in the same folder, fsync, then rename,
so a reader (or a crash) sees the old content or the new, never a mix.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

TEMP_ATTEMPTS = 100


class UnsafePathError(Exception):
    """A write that would leave the project root (through '..' or a symlink)."""


def ensure_inside(path: Path, root: Path) -> Path:
    """``path`` resolved, or `UnsafePathError` when it resolves outside ``root``."""
    resolved = path.resolve()
    top = root.resolve()
    if resolved != top and top not in resolved.parents:
        raise UnsafePathError(f"{path}: refusing to write outside {root}")
    return resolved


def atomic_write(path: Path, data: bytes | str, *, exclusive: bool = False, root: Path | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its mode.

    ``exclusive`` fails with FileExistsError when ``path`` already exists (never
    overwrite). ``root`` refuses a path that resolves outside it.
    """
    if root is not None:
        ensure_inside(path, root)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    mode = _mode_of(path)
    fd, temp = _temporary(folder, path.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if exclusive:
            os.link(temp, path)
            os.unlink(temp)
        else:
            os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new file ``.<name>.<random>.tmp`` in ``folder``, created exclusively with mode 0o600, as `tempfile.mkstemp` does.

    Written out rather than imported: tempfile costs ~8 ms of imports, which a one-file run that writes its cache would pay.
    """
    for _ in range(TEMP_ATTEMPTS):
        temp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no free temporary name for {name}")


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path``.lock for the duration of the block."""
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
