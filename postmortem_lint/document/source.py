"""A post-mortem's text from its bytes: decode, strip the BOM, normalise newlines.

Nothing here raises for bad content: undecodable or oversized input becomes a
`SourceError` that the engine reports as PM000. Reading the bytes is
`io.files.read_capped`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

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
