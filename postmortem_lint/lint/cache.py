"""The result cache: each file's raw result, found again by the sha256 of its bytes.

A warm `pmlint check` over unchanged files reads and hashes them, finds their
results here and never parses a document (mistune is not even imported) nor
starts a worker pool. What is stored is exactly what `linter.lint_bytes`
returns — the findings of the document rules, the file's `Summary` for the
repository index and its suppressions — so the repository rules, severities,
selection and suppressions still run on every check, over the cached summaries.

Never stale: an entry is used only when the file's bytes hash to the stored
digest *and* the run key matches. The run key covers everything else a result
depends on: the cache format, the Python version (marshal's format), pmlint's
version and the size and mtime of its own source files, the settings
(`Settings.fingerprint`) and a `sections` pack's content, the
shipped rule data (`resources.data_fingerprint`) and the owners roster's
content. One packed file per run key, ``results-<key>.marshal``, holds every
entry; it is read once at the start and replaced atomically
(`fsutil.atomic_write`) at the end when anything changed. The file carries the
sha256 of its payload: a missing, unreadable, truncated or corrupt file is a
miss, never an error; so is an entry of the wrong shape. The payload is an
index (path -> digest and place) followed by each entry marshalled on its own,
so that a run that reports on one file unmarshals one entry, not a thousand;
the entries of the files it does not report on are kept as they are.

`HeaderCache` holds what those other files contribute instead: their header
summaries (`document.summarize.header_summary`), found again by the file's stat (size,
mtime, ctime, inode, device) rather than by reading it. As git does against
"racy" entries, an entry is trusted only when the file's mtime and ctime are
older, by `RACY_NS`, than the moment the file was read: a later write, even one
that keeps the size and forges the old mtime, changes the ctime.

Where: the project's cache folder (`io.cachedir`). marshal of plain tuples is used instead of pickle: loading
1,000 results takes about a third of the time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import marshal
import os
import sys
import time
from collections.abc import Iterator, Mapping
from operator import attrgetter
from pathlib import Path
from typing import Any

from postmortem_lint import __version__
from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Finding, Fix
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.document.suppression import Suppression
from postmortem_lint.io import cachedir, resources
from postmortem_lint.lint.results import FileResult
from postmortem_lint.packs import roster

FORMAT = 3
"""Bump when the layout of a file or an entry changes."""
MAGIC = b"pmlint-results-%d\n" % FORMAT
"""A result file is MAGIC, the sha256 of the payload, then the payload."""
HEADERS = "headers.marshal"
HEADERS_MAGIC = b"pmlint-headers-%d\n" % FORMAT
RACY_NS = 2_000_000_000
"""How much older than its reading a file's mtime and ctime must be for its header entry to be trusted:
more than a coarse clock's tick and the 1-2 s timestamp granularity of some file systems."""
KEEP = 6
"""Result files kept per cache folder: one per run key (`check`, `track` and `actions` use different
selections, and a new configuration makes a new key). The date is not part of the key:
the one date-dependent rule, PM507, reads the repository index after the cache."""

_FINDING = attrgetter(*(f.name for f in dataclasses.fields(Finding) if f.name != "fix"))
_ACTION = attrgetter(*(f.name for f in dataclasses.fields(ActionSummary)))
_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(Summary))
_SUMMARY = attrgetter(*_SUMMARY_FIELDS)
_ACTIONS = _SUMMARY_FIELDS.index("actions")
_SUPPRESSION = attrgetter(*Suppression._fields)

Entry = tuple[bytes, tuple[Any, ...]]
"""A stored result: the sha256 of the file's bytes and the result as plain tuples (`encode`)."""
Packed = tuple[bytes, bytes]
"""A stored result as written: the digest and the marshalled plain tuples."""
Stamp = tuple[int, int, int, int, int]
"""What a file's stat says of its version: size, mtime, ctime (ns), inode and device."""


def run_key(settings: Settings) -> str | None:
    """The hash of everything besides a file's bytes that its result depends on (None: do not cache)."""
    try:
        parts = (
            _code_key(),
            settings.fingerprint(),
            _sections_fingerprint(settings),
            resources.data_fingerprint(),
            _roster_fingerprint(settings),
            _template_fingerprint(settings),
        )
    except (OSError, ValueError):
        return None
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _code_key() -> str:
    """The cache format, Python's version (marshal's format), pmlint's version and source files."""
    return f"{FORMAT}|{sys.hexversion}|{__version__}|{_code_fingerprint()}"


def _code_fingerprint() -> str:
    """Size and mtime of pmlint's own modules: an edited rule invalidates even without a version bump."""
    return _package_fingerprint(str(Path(__file__).resolve().parent.parent))


@functools.lru_cache(maxsize=1)
def _package_fingerprint(package: str) -> str:
    """Worked out once per process: it is the code this process runs."""
    stamps = []
    for path in sorted(_modules(package, "")):
        stat = os.stat(os.path.join(package, path))
        stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]


def _modules(folder: str, prefix: str) -> Iterator[str]:
    """The ``*.py`` files under ``folder``, relative to it with '/' separators."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                yield prefix + entry.name
            elif entry.is_dir() and entry.name != "__pycache__":
                yield from _modules(entry.path, f"{prefix}{entry.name}/")


def _sections_fingerprint(settings: Settings) -> str:
    """The content of a team's sections pack (PM301-PM304 read it)."""
    path = Path(settings.sections) if settings.sections else None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path is not None and path.is_file() else ""


def _template_fingerprint(settings: Settings) -> str:
    """The template pack's source: the shipped presets' YAML, plus a team's template file's bytes (every rule reads it)."""
    shipped = resources.templates_fingerprint()
    path = Path(settings.template) if settings.template and Path(settings.template).is_absolute() else None
    own = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path is not None and path.is_file() else ""
    return f"{shipped}:{own}"


def _roster_fingerprint(settings: Settings) -> str:
    """The owners roster's content (PM508 reads it); an unreadable roster disables the cache."""
    if not settings.owners:
        return ""
    try:
        path = roster.roster_path(settings)
    except roster.RosterError as exc:
        raise ValueError(str(exc)) from None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path else ""


def digest_of(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class ResultCache:
    """The entries of one run key: ``get`` during the run, ``put`` the misses, ``save`` at the end.

    ``retain`` keeps, unread, the entry of a file that is part of the project but
    not checked this run, so that a one-file run does not drop the others.
    """

    def __init__(self, folder: Path, key: str, root: Path | None) -> None:
        self.folder = folder
        self.path = folder / f"results-{key}.marshal"
        self.root = root
        self.stored: Mapping[str, Entry] = _load(self.path)
        self.kept: dict[str, Packed] = {}
        self.changed = False

    @classmethod
    def open(cls, settings: Settings) -> ResultCache | None:
        """The cache of this run, or None when the run key cannot be computed."""
        key = run_key(settings)
        if key is None:
            return None
        folder, root = cachedir.inside(settings.root)
        return cls(folder, key, root)

    def get(self, rel: str, digest: bytes) -> FileResult | None:
        """The stored result of ``rel`` when its content hashes to ``digest``."""
        try:
            entry = self.stored.get(rel)
            result = decode(rel, entry[1]) if entry is not None and entry[0] == digest else None
        except (TypeError, ValueError, IndexError, KeyError, EOFError):
            result = None
        if result is None:
            self.changed = True
        else:
            self.kept[rel] = _packed(self.stored, rel)
        return result

    def retain(self, rel: str) -> None:
        """Keep the stored entry of ``rel`` (if any) as it is: its file is not checked this run."""
        with contextlib.suppress(TypeError, ValueError, IndexError, KeyError):
            self.kept[rel] = _packed(self.stored, rel)

    def put(self, rel: str, digest: bytes, result: FileResult, plain: tuple[Any, ...] | None = None) -> None:
        """Store ``result`` (``plain``: the same already encoded, e.g. by a worker process)."""
        self.kept[rel] = (digest, marshal.dumps(plain if plain is not None else encode(result)))
        self.changed = True

    def save(self) -> None:
        """Write the entries of this run (only when something changed); failures are ignored."""
        if not self.changed and len(self.kept) == len(self.stored):
            return
        with contextlib.suppress(OSError, ValueError):
            _write(self.folder, self.path, MAGIC, _pack(self.kept), self.root)
            self._prune()

    def _prune(self) -> None:
        """Keep the newest ``KEEP`` result files; older run keys are dead weight."""
        files = sorted(self.folder.glob("results-*.marshal"), key=_mtime, reverse=True)
        for old in files[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()


class _Packed(Mapping[str, Entry]):
    """The entries of a result file, each unmarshalled only when it is asked for."""

    def __init__(self, index: dict[str, tuple[bytes, int, int]], blobs: memoryview) -> None:
        self.index = index
        self.blobs = blobs

    def __getitem__(self, rel: str) -> Entry:
        digest, blob = self.raw(rel)
        return digest, marshal.loads(blob)

    def raw(self, rel: str) -> Packed:
        digest, start, size = self.index[rel]
        if not isinstance(digest, bytes) or start < 0 or size < 0 or start + size > len(self.blobs):
            raise ValueError(f"cache entry of {rel} is out of bounds")
        return digest, bytes(self.blobs[start : start + size])

    def __contains__(self, rel: object) -> bool:
        return rel in self.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


def _packed(stored: Mapping[str, Entry], rel: str) -> Packed:
    """The entry of ``rel`` as it is written (KeyError when there is none)."""
    if isinstance(stored, _Packed):
        return stored.raw(rel)
    digest, plain = stored[rel]
    return digest, marshal.dumps(plain)


def _pack(kept: dict[str, Packed]) -> bytes:
    """The payload of a result file: the length of the index, the index, then each entry."""
    index: dict[str, tuple[bytes, int, int]] = {}
    blobs: list[bytes] = []
    start = 0
    for rel in sorted(kept):
        digest, blob = kept[rel]
        index[rel] = (digest, start, len(blob))
        blobs.append(blob)
        start += len(blob)
    head = marshal.dumps(index)
    return len(head).to_bytes(8, "little") + head + b"".join(blobs)


def _load(path: Path) -> Mapping[str, Entry]:
    """The entries of a result file; a missing, truncated or corrupt file is an empty cache."""
    payload = _read(path, MAGIC)
    if payload is None or len(payload) < 8:
        return {}
    size = int.from_bytes(payload[:8], "little")
    try:
        index = marshal.loads(payload[8 : 8 + size])
    except (EOFError, ValueError, TypeError):
        return {}
    return _Packed(index, payload[8 + size :]) if isinstance(index, dict) else {}


class HeaderCache:
    """Header summaries of the post-mortems a run does not report on, found again by their stat.

    ``stamp`` a file before reading it, ``get`` its summary, ``put`` a miss once
    read; ``retain`` keeps the entry of a file the run reports on; ``save`` at the end.
    """

    def __init__(self, folder: Path, key: str, root: Path | None) -> None:
        self.folder = folder
        self.path = folder / HEADERS
        self.key = key
        self.root = root
        self.now = _now()
        """Taken before any file is stamped or read: the moment an entry put in this run was read."""
        self.stored = _load_headers(self.path, key)
        self.kept: dict[str, tuple[Any, ...]] = {}
        self.changed = False

    @classmethod
    def open(cls, root: Path, template: str | None = None) -> HeaderCache | None:
        """The header cache of the project at ``root`` for the run's ``template:`` (None when pmlint's own files cannot be
        fingerprinted); a pack that writes the header elsewhere summarizes whole files, so the template is part of the key."""
        try:
            own = Path(template) if template and Path(template).is_absolute() and Path(template).is_file() else None
            mark = f"{template}:{hashlib.sha256(own.read_bytes()).hexdigest()[:16]}" if own else template or ""
            key = hashlib.sha256(f"{_code_key()}|{mark}".encode()).hexdigest()[:20]
        except OSError:
            return None
        folder, inside = cachedir.inside(root)
        return cls(folder, key, inside)

    @staticmethod
    def stamp(path: Path) -> Stamp | None:
        """The stat of ``path`` that an entry must match (None when it cannot be had)."""
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev

    def get(self, rel: str, stamp: Stamp) -> Summary | None:
        """The stored summary of ``rel`` when its stat is ``stamp`` and the entry is not racy."""
        entry = self.stored.get(rel)
        try:
            if entry is None or tuple(entry[:5]) != stamp or not _settled(stamp, entry[5]):
                return None
            summary = _summary_of(entry[6])
        except (TypeError, ValueError, IndexError, KeyError):
            return None
        self.kept[rel] = entry
        return summary

    def put(self, rel: str, stamp: Stamp, summary: Summary) -> None:
        """Store the summary of ``rel``, read after it was stamped; not when it may still change unseen."""
        if _settled(stamp, self.now):
            self.kept[rel] = (*stamp, self.now, _plain_summary(summary))
            self.changed = True

    def retain(self, rel: str) -> None:
        if rel in self.stored:
            self.kept[rel] = self.stored[rel]

    def save(self) -> None:
        """Write the entries of this run when something changed; failures are ignored."""
        if not self.changed and len(self.kept) == len(self.stored):
            return
        with contextlib.suppress(OSError, ValueError):
            _write(self.folder, self.path, HEADERS_MAGIC, marshal.dumps((self.key, self.kept)), self.root)


def _now() -> int:
    return time.time_ns()


def _settled(stamp: Stamp, read_ns: int) -> bool:
    """Were the file's mtime and ctime older than its reading by `RACY_NS`? Then a later write changes the stat."""
    return max(stamp[1], stamp[2]) < read_ns - RACY_NS


def _load_headers(path: Path, key: str) -> dict[str, tuple[Any, ...]]:
    payload = _read(path, HEADERS_MAGIC)
    if payload is None:
        return {}
    try:
        stored_key, entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if stored_key == key and isinstance(entries, dict) else {}


def _read(path: Path, magic: bytes) -> memoryview | None:
    """The payload of a cache file whose checksum holds (None when missing, unreadable or corrupt)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(magic) + 32
    payload = memoryview(data)[start:]
    if not data.startswith(magic) or hashlib.sha256(payload).digest() != data[len(magic) : start]:
        return None
    return payload


def _write(folder: Path, path: Path, magic: bytes, payload: bytes, root: Path | None) -> None:
    """Replace the cache file ``path`` (magic, checksum, payload); `ValueError` when it would leave ``root``."""
    cachedir.store(folder, path, magic + hashlib.sha256(payload).digest() + payload, root)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _plain_summary(summary: Summary) -> tuple[Any, ...]:
    values = list(_SUMMARY(summary))
    values[_ACTIONS] = tuple(_ACTION(a) for a in summary.actions)
    return tuple(values)


def _summary_of(plain: tuple[Any, ...]) -> Summary:
    if not plain[_ACTIONS]:
        return Summary(*plain)
    values = list(plain)
    values[_ACTIONS] = tuple(ActionSummary(*a) for a in values[_ACTIONS])
    return Summary(*values)


def encode(result: FileResult) -> tuple[Any, ...]:
    """A result as plain tuples (what marshal can store)."""
    summary = _plain_summary(result.summary) if result.summary is not None else None
    suppressions = tuple(_SUPPRESSION(s) for s in result.suppressions) if result.suppressions else ()
    return (tuple((*_FINDING(f), f.fix.plain() if f.fix is not None else None) for f in result.findings), summary, suppressions)


def decode(rel: str, plain: tuple[Any, ...]) -> FileResult:
    """The inverse of `encode`."""
    findings, summary, suppressions = plain
    built = _summary_of(summary) if summary is not None else None
    kept = tuple(Suppression(*s) for s in suppressions) if suppressions else ()
    return FileResult(rel, [_finding(f) for f in findings], built, kept)


def _finding(plain: tuple[Any, ...]) -> Finding:
    """A finding from its plain tuple: its fields in order, the fix last (None or `Fix.plain`)."""
    *values, fix = plain
    found = Finding(*values)
    return found if fix is None else dataclasses.replace(found, fix=Fix.of_plain(fix))
