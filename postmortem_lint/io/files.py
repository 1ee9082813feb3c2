"""Reading files without surprises: capped, never blocking, never raising for what is on disk.

A post-mortem is read with `read_capped` (at most ``limit + 1`` bytes; a FIFO,
socket or device named like a post-mortem is refused instead of read), and what
goes wrong comes back as an `Unreadable` that the engine reports as PM000.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple


class Unreadable(NamedTuple):
    """Why a file could not be read (the message does not repeat the file's name)."""

    message: str


def read_capped(path: Path, limit: int) -> bytes | Unreadable:
    """The bytes of ``path``, or why they cannot be read (never an exception).

    Reads at most ``limit + 1`` bytes, and never blocks on a FIFO or device
    named like a post-mortem (opened non-blocking, then checked to be a regular file).
    """
    try:
        return _read_capped(path, limit)
    except IsADirectoryError:
        return Unreadable("is a directory, not a file")
    except FileNotFoundError:
        if path.is_symlink():
            return Unreadable(f"is a dangling symbolic link (to `{os.readlink(path)}`)")
        return Unreadable("cannot be read: no such file")
    except OSError as exc:
        return Unreadable(f"cannot be read: {exc.strerror or exc}")


def _read_capped(path: Path, limit: int) -> bytes | Unreadable:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return Unreadable("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            return Unreadable("is not a regular file (a FIFO, socket or device)")
        if info.st_size > limit:
            return Unreadable(f"file is {info.st_size:,} bytes, over the {limit:,}-byte limit; not parsed")
        return _read_to_end(fd, info.st_size, limit + 1)
    finally:
        os.close(fd)


def _read_to_end(fd: int, expected: int, limit: int) -> bytes:
    """Up to ``limit`` bytes, to end of file; ``expected`` (the size fstat gave) sizes the first read.

    Plain `os.read` calls: half the cost of a buffered file object, which counts
    when a warm run reads and hashes every file.
    """
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(limit - total, max(expected + 1 - total, 8192)))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
