"""The result cache: each file's raw result, found again by the sha256 of its bytes.

A warm `pmlint check` over unchanged files reads and hashes them, finds their
results here and never parses a document (mistune is not even imported) nor
starts a worker pool. What is stored is exactly what `engine.lint_bytes`
returns — the findings of the document rules, the file's `Summary` for the
repository index and its suppressions — so the repository rules, severities,
selection and suppressions still run on every check, over the cached summaries.

Never stale: an entry is used only when the file's bytes hash to the stored
digest *and* the run key matches. The run key covers everything else a result
depends on: the cache format, the Python version (marshal's format), pmlint's
version and the size and mtime of its own source files, the settings
(`Settings.fingerprint`, which includes a `sections` file's content), the
shipped rule data (`resources.data_fingerprint`), the owners roster's content,
and the date of the run (PM507 judges due dates against it). One packed file
per run key, ``results-<key>.marshal``, holds every entry; it is read once at
the start and replaced atomically (`fsutil.atomic_write`) at the end when
anything changed. The file carries the sha256 of its payload: a missing,
unreadable, truncated or corrupt file is a miss, never an error; so is an
entry of the wrong shape.

Where: ``$PMLINT_CACHE_DIR/<hash of the project root>`` when that variable is
set, else ``$XDG_CACHE_HOME/pmlint/<hash of the project root>`` when that one
is, else ``<project root>/.pmlint_cache/``. The in-project folder gets its own
``.gitignore`` (``*``), so git ignores it without an edit to the user's
``.gitignore``. marshal of plain tuples is used instead of pickle: loading
1,000 results takes about a third of the time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import sys
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_lint import __version__, resources
from postmortem_lint.config import Settings
from postmortem_lint.diagnostics import Finding
from postmortem_lint.index import ActionSummary, Summary
from postmortem_lint.model import Suppression

if TYPE_CHECKING:
    from postmortem_lint.engine import FileResult

FORMAT = 1
"""Bump when the layout of an entry changes."""
MAGIC = b"pmlint-results-%d\n" % FORMAT
"""A result file is MAGIC, the sha256 of the payload, then the payload (marshal)."""
FOLDER = ".pmlint_cache"
KEEP = 6
"""Result files kept per cache folder: one per run key (`check`, `track` and `actions` use different
selections, and a new configuration makes a new key). The date is not part of the key:
the one date-dependent rule, PM507, reads the repository index after the cache."""

_FINDING = attrgetter(*(f.name for f in dataclasses.fields(Finding)))
_SUPPRESSION = attrgetter(*(f.name for f in dataclasses.fields(Suppression)))
_ACTION = attrgetter(*(f.name for f in dataclasses.fields(ActionSummary)))
_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(Summary))
_SUMMARY = attrgetter(*_SUMMARY_FIELDS)
_ACTIONS = _SUMMARY_FIELDS.index("actions")

Entry = tuple[bytes, tuple[Any, ...]]


def cache_dir(root: Path) -> Path:
    """The cache folder of the project at ``root`` (see the module docstring)."""
    explicit = os.environ.get("PMLINT_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(explicit) if explicit else Path(xdg) / "pmlint" if xdg else None
    if base is None:
        return root / FOLDER
    return base / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def run_key(settings: Settings) -> str | None:
    """The hash of everything besides a file's bytes that its result depends on (None: do not cache)."""
    try:
        parts = (
            f"{FORMAT}|{sys.hexversion}|{__version__}|{_code_fingerprint()}",
            settings.fingerprint(),
            resources.data_fingerprint(),
            _roster_fingerprint(settings),
        )
    except (OSError, ValueError):
        return None
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _code_fingerprint() -> str:
    """Size and mtime of pmlint's own modules: an edited rule invalidates even without a version bump."""
    package = Path(__file__).resolve().parent
    stamps = []
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        stamps.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]


def _roster_fingerprint(settings: Settings) -> str:
    """The owners roster's content (PM508 reads it); an unreadable roster disables the cache."""
    if not settings.owners:
        return ""
    from postmortem_lint import roster

    try:
        path = roster.roster_path(settings)
    except roster.RosterError as exc:
        raise ValueError(str(exc)) from None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path else ""


def digest_of(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class ResultCache:
    """The entries of one run key: ``get`` during the run, ``put`` the misses, ``save`` at the end."""

    def __init__(self, folder: Path, key: str, root: Path | None) -> None:
        self.folder = folder
        self.path = folder / f"results-{key}.marshal"
        self.root = root
        self.stored = _load(self.path)
        self.kept: dict[str, Entry] = {}
        self.changed = False

    @classmethod
    def open(cls, settings: Settings) -> ResultCache | None:
        """The cache of this run, or None when the run key cannot be computed."""
        key = run_key(settings)
        if key is None:
            return None
        folder = cache_dir(settings.root)
        inside = folder == settings.root / FOLDER
        return cls(folder, key, settings.root if inside else None)

    def get(self, rel: str, digest: bytes) -> FileResult | None:
        """The stored result of ``rel`` when its content hashes to ``digest``."""
        entry = self.stored.get(rel)
        try:
            result = decode(rel, entry[1]) if entry is not None and entry[0] == digest else None
        except (TypeError, ValueError, IndexError, KeyError):
            result = None
        if result is None:
            self.changed = True
        else:
            self.kept[rel] = entry  # type: ignore[assignment]
        return result

    def put(self, rel: str, digest: bytes, result: FileResult, plain: tuple[Any, ...] | None = None) -> None:
        """Store ``result`` (``plain``: the same already encoded, e.g. by a worker process)."""
        self.kept[rel] = (digest, plain if plain is not None else encode(result))
        self.changed = True

    def save(self) -> None:
        """Write the entries of this run (only when something changed); failures are ignored."""
        if not self.changed and len(self.kept) == len(self.stored):
            return
        from postmortem_lint.fsutil import UnsafePathError, atomic_write

        try:
            payload = marshal.dumps(self.kept)
            self._prepare()
            atomic_write(self.path, MAGIC + hashlib.sha256(payload).digest() + payload, root=self.root)
            self._prune()
        except (OSError, ValueError, UnsafePathError):
            return

    def _prepare(self) -> None:
        _prepare(self.folder, self.root)

    def _prune(self) -> None:
        """Keep the newest ``KEEP`` result files; older run keys are dead weight."""
        files = sorted(self.folder.glob("results-*.marshal"), key=_mtime, reverse=True)
        for old in files[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()


def _prepare(folder: Path, root: Path | None) -> None:
    """Create the cache folder; inside the project it ignores itself for git."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if root is not None and not ignore.exists():
        from postmortem_lint.fsutil import atomic_write

        atomic_write(ignore, "# Created by pmlint: the result cache is never committed.\n*\n", root=root)


def read_note(root: Path, name: str) -> bytes | None:
    """A small named file of the project's cache folder (None when absent or unreadable)."""
    try:
        return (cache_dir(root) / name).read_bytes()
    except OSError:
        return None


def write_note(root: Path, name: str, data: bytes) -> None:
    """Store a small named file in the project's cache folder; failures are ignored."""
    from postmortem_lint.fsutil import UnsafePathError, atomic_write

    folder = cache_dir(root)
    inside = folder == root / FOLDER
    try:
        _prepare(folder, root if inside else None)
        atomic_write(folder / name, data, root=root if inside else None)
    except (OSError, ValueError, UnsafePathError):
        return


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _load(path: Path) -> dict[str, Entry]:
    """The entries of a result file; a missing, truncated or corrupt file is an empty cache."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    start = len(MAGIC) + 32
    if not data.startswith(MAGIC) or hashlib.sha256(data[start:]).digest() != data[len(MAGIC) : start]:
        return {}
    try:
        entries = marshal.loads(data[start:])
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def encode(result: FileResult) -> tuple[Any, ...]:
    """A result as plain tuples (what marshal can store)."""
    summary = None
    if result.summary is not None:
        values = list(_SUMMARY(result.summary))
        values[_ACTIONS] = tuple(_ACTION(a) for a in result.summary.actions)
        summary = tuple(values)
    return (
        tuple(_FINDING(f) for f in result.findings),
        summary,
        tuple(_SUPPRESSION(s) for s in result.suppressions),
    )


def decode(rel: str, plain: tuple[Any, ...]) -> FileResult:
    """The inverse of `encode`."""
    from postmortem_lint.engine import FileResult

    findings, summary, suppressions = plain
    built = None
    if summary is not None:
        values = list(summary)
        values[_ACTIONS] = tuple(ActionSummary(*a) for a in values[_ACTIONS])
        built = Summary(*values)
    return FileResult(rel, [Finding(*f) for f in findings], built, tuple(Suppression(*s) for s in suppressions))
