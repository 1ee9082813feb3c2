"""Read a post-mortem from disk or bytes: decode, strip the BOM, normalise newlines.

Nothing here raises for bad content: undecodable or oversized input becomes a
`SourceError` that the engine reports as PM000.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 1_000_000
"""Files above this size are not parsed (mistune's table parsing is super-linear)."""


@dataclass(frozen=True, slots=True)
class Source:
    """The decoded text of one file, with LF newlines and 1-based line access."""

    text: str
    lines: tuple[str, ...]
    digest: str = ""

    def line(self, number: int) -> str:
        """The text of 1-based line ``number`` ('' when out of range)."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""


@dataclass(frozen=True, slots=True)
class SourceError:
    """Why a file could not be read: reported as PM000 at ``line``."""

    message: str
    line: int = 1


def decode(data: bytes) -> Source | SourceError:
    """Decode UTF-8 bytes into a `Source`, or say why that is impossible."""
    if len(data) > MAX_BYTES:
        return SourceError(f"file is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit; not parsed")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return SourceError("file contains NUL bytes: binary, or UTF-16 text; save it as UTF-8", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return SourceError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8", line)
    return from_text(text)


def from_text(text: str) -> Source:
    """Normalise already-decoded text: drop a BOM, turn CRLF and CR into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(text=text, lines=tuple(text.split("\n")))


def read(path: Path) -> Source | SourceError:
    """Read and decode ``path``; I/O problems become a `SourceError`."""
    data = read_bytes(path)
    return data if isinstance(data, SourceError) else decode(data)


def read_bytes(path: Path) -> bytes | SourceError:
    """The bytes of ``path``, or why they cannot be read (never an exception).

    Reads at most ``MAX_BYTES + 1`` bytes, and never blocks on a FIFO or device
    named like a post-mortem (opened non-blocking, then checked to be a regular file).
    """
    try:
        return _read_capped(path)
    except IsADirectoryError:
        return SourceError("is a directory, not a file")
    except FileNotFoundError:
        if path.is_symlink():
            return SourceError(f"is a dangling symbolic link (to `{os.readlink(path)}`)")
        return SourceError("cannot be read: no such file")
    except OSError as exc:
        return SourceError(f"cannot be read: {exc.strerror or exc}")


def _read_capped(path: Path) -> bytes | SourceError:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return SourceError("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            return SourceError("is not a regular file (a FIFO, socket or device)")
        if info.st_size > MAX_BYTES:
            return SourceError(f"file is {info.st_size:,} bytes, over the {MAX_BYTES:,}-byte limit; not parsed")
        return _read_to_end(fd, info.st_size)
    finally:
        os.close(fd)


def _read_to_end(fd: int, expected: int) -> bytes:
    """Up to ``MAX_BYTES + 1`` bytes, to end of file; ``expected`` (the size fstat gave) sizes the first read.

    Plain `os.read` calls: half the cost of a buffered file object, which counts
    when a warm run reads and hashes every file.
    """
    limit = MAX_BYTES + 1
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(limit - total, max(expected + 1 - total, 8192)))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
