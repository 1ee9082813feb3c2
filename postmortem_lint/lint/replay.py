"""The replayed report: a `pmlint check` over inputs that have not changed prints what it printed last time.

A warm run that finds every file's result in the result cache (`lint.cache`)
still imports the repository rules, reads and hashes every file and runs the
cross-file rules. When nothing a check reads has changed, its output cannot
have changed either, so it is stored — stdout, stderr and the exit code — with
the stat of everything the run read, and the next identical run writes it out
again without importing the settings, the document model, any rule or pydantic.

The record is found by the run's *key*: the command line, the current folder,
today's date (PM507 and PM209 judge dates against it), whether stdout and
stderr are terminals (colour, progress), the environment variables that change
output or what git lists (`ENV_NAMES`, every ``GIT_*`` and ``PMLINT_*``), and
the interpreter. It is used only when every input it lists still has the stat
it had (size, mtime, ctime in ns, inode; a missing file is None): every target
file, the folders whose listing says which files there are, every place a
configuration file could be, the tracker, the owners roster, a team's sections
and template packs, git's index and ignore files, and pmlint's own files (its
code and shipped data: an upgrade or an edited preset is a new stat). The list
is made by the run that wrote the record (`signature.inputs`), which knows the
settings; the replay only compares stats.

As git does against "racy" entries, a record is written only when every input's
mtime and ctime are older, by `RACY_NS`, than the start of the run it records: a
file written during the run, or so soon after it that a coarse clock cannot tell,
makes the next run a normal one (which records again).

Only plain reporting lines are replayed (`replayable`): no ``--fix``, no
``--no-cache``, no baseline, no git scope (``--staged``, ``--changed-since``,
``--against`` read the git index or another ref), no stdin, no ``--output``.
A record that cannot be read, or is of another format, is a miss, never an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO

FORMAT = 1
MAGIC = b"pmlint-replay-%d\n" % FORMAT
RACY_NS = 2_000_000_000
"""As `lint.cache.RACY_NS`: inputs must be this much older than the run that recorded them."""
KEEP = 24
"""Records kept per cache folder (one per command line, folder, date and environment)."""
FOLDER = ".pmlint_cache"
"""As `io.cachedir.FOLDER`: `cache_folder` is `io.cachedir.cache_dir` without pathlib (kept equal by a test)."""

ENV_NAMES = (
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "TERM",
    "COLUMNS",
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "PRE_COMMIT",
    "HOME",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "TZ",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "PATH",
)
"""Environment variables that may change a check's output (colour, CI formats, encodings, where git and the cache are)."""
ENV_PREFIXES = ("GIT_", "PMLINT_")

FLAGS = frozenset({"--strict", "--exit-zero", "--statistics", "--quiet", "-q", "--force-exclude", "--color", "--no-color"})
"""On/off options that only change how the same findings are reported."""
VALUED = frozenset({"--format", "-f", "--select", "--ignore", "--today", "--config", "--jobs", "-j"})
"""Options with a value that the key (the command line) covers; a ``--config`` file is among the inputs."""

Writer = Callable[[str, str, bytes, int], None]
"""Writes a record: the cache folder, the record's path, its bytes, how many records to keep."""
Stamp = tuple[int, int, int, int] | None
"""size, mtime_ns, ctime_ns, inode; None: no such file."""


def replayable(args: Sequence[str]) -> bool:
    """A `pmlint check` line whose output depends only on the key and the inputs' stats."""
    if not args or args[0] != "check":
        return False
    expect_value = False
    for arg in args[1:]:
        if expect_value:
            expect_value = False
            if not arg:
                return False
        elif arg in FLAGS:
            continue
        elif arg in VALUED:
            expect_value = True
        elif arg.startswith("--") and "=" in arg:
            if arg.split("=", 1)[0] not in VALUED:
                return False
        elif not arg or arg.startswith("-"):
            return False
    return not expect_value


def key(args: Sequence[str]) -> str:
    """Everything besides the inputs' stats that a check's output depends on."""
    env = sorted((k, v) for k, v in os.environ.items() if k in ENV_NAMES or k.startswith(ENV_PREFIXES))
    parts = (
        FORMAT,
        tuple(args),
        os.getcwd(),
        dt.date.today().isoformat(),
        _isatty(sys.stdout),
        _isatty(sys.stderr),
        tuple(env),
        sys.executable,
        sys.hexversion,
        __file__,
    )
    return repr(parts)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def stamp(path: str) -> Stamp:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def settled(found: Stamp, started_ns: int) -> bool:
    """True when the input was last changed long enough before the run started that a later change shows in its stat."""
    return found is None or (found[1] < started_ns - RACY_NS and found[2] < started_ns - RACY_NS)


def record_path(folder: str, run_key: str) -> str:
    return os.path.join(folder, f"replay-{zlib.crc32(run_key.encode('utf-8', 'surrogateescape')):08x}.marshal")


def cache_folder(args: Sequence[str]) -> str | None:
    """The project's cache folder, found as `features.check` finds the project (the first PATH, else the current folder)."""
    paths = [a for a in _paths(args)]
    start = os.path.abspath(paths[0]) if paths else os.getcwd()
    if not os.path.exists(start):
        start = os.getcwd()
    root = _project_root(os.path.realpath(start))
    explicit = os.environ.get("PMLINT_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = explicit or (os.path.join(xdg, "pmlint") if xdg else None)
    if base is None:
        return os.path.join(root, FOLDER)
    return os.path.join(base, hashlib.sha256(os.path.realpath(root).encode()).hexdigest()[:16])


def _paths(args: Sequence[str]) -> Iterator[str]:
    """The PATH arguments of a `replayable` line."""
    skip = False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg in VALUED:
            skip = True
        elif not arg.startswith("-"):
            yield arg


CONFIG_NAMES = (".pmlint.yaml", ".pmlint.yml", "pyproject.toml")
"""As `io.discover.CONFIG_NAMES` (kept equal by a test)."""


def _project_root(start: str) -> str:
    """`io.discover.project_root` without pathlib: the folder of the nearest config file below the git top, else the git top."""
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    top = _git_top(start)
    folder = start
    while True:
        if any(_is_config(os.path.join(folder, name)) for name in CONFIG_NAMES):
            return folder
        if folder == top:
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return os.path.realpath(os.getcwd())
        folder = parent


def _git_top(start: str) -> str | None:
    folder = start
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _is_config(path: str) -> bool:
    if not os.path.isfile(path):
        return False
    if os.path.basename(path) != "pyproject.toml":
        return True
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "[tool.pmlint" in handle.read()
    except OSError:
        return False


def replay(args: Sequence[str], run_key: str) -> int | None:
    """Write the stored output of this run and return its exit code; None when there is no valid record."""
    folder = cache_folder(args)
    found = _load(record_path(folder, run_key), run_key) if folder else None
    if found is None:
        return None
    inputs, out, err, code = found
    for path, was in inputs:
        if stamp(path) != was:
            return None
    if out:
        sys.stdout.write(out)
        sys.stdout.flush()
    if err:
        sys.stderr.write(err)
        sys.stderr.flush()
    return code


def _load(path: str, run_key: str) -> tuple[list[tuple[str, Stamp]], str, str, int] | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    head = len(MAGIC)
    if not data.startswith(MAGIC) or len(data) < head + 4:
        return None
    payload = data[head + 4 :]
    if int.from_bytes(data[head : head + 4], "little") != zlib.crc32(payload):
        return None
    try:
        stored_key, inputs, out, err, code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if stored_key != run_key or not isinstance(out, str) or not isinstance(err, str) or code not in (0, 1):
        return None
    if not isinstance(inputs, list):
        return None
    return inputs, out, err, code


class Tee:
    """A text stream that also keeps what is written to it (``buffer`` use makes it unfit to replay)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.parts: list[str] = []
        self.unfit = False

    def write(self, text: str) -> int:
        self.parts.append(text)
        try:
            return self._stream.write(text)
        except BaseException:
            self.unfit = True
            raise

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    @property
    def buffer(self) -> Any:
        self.unfit = True
        return self._stream.buffer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class Recorder:
    """Tees stdout and stderr for one run; the engine hands it the run's inputs (`note`); `finish` writes the record."""

    def __init__(self, args: Sequence[str], run_key: str) -> None:
        self.args = list(args)
        self.key = run_key
        self.started = time.time_ns()
        self.inputs: list[str] | None = None
        self.writer: Writer | None = None
        self.runs = 0
        self.out = Tee(sys.stdout)
        self.err = Tee(sys.stderr)
        self._saved = (sys.stdout, sys.stderr)

    def __enter__(self) -> Recorder:
        global _active
        sys.stdout, sys.stderr = self.out, self.err  # type: ignore[assignment]
        _active = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        sys.stdout, sys.stderr = self._saved
        _active = None

    def finish(self, code: int) -> None:
        """Store the run's output when it can be replayed: a normal end, one check, every input settled."""
        writer = self.writer
        if code not in (0, 1) or self.runs != 1 or self.inputs is None or writer is None or self.out.unfit or self.err.unfit:
            return
        folder = cache_folder(self.args)
        if folder is None:
            return
        stamps = [(path, stamp(path)) for path in dict.fromkeys(self.inputs)]
        if not all(settled(found, self.started) for _, found in stamps):
            return
        payload = marshal.dumps((self.key, stamps, "".join(self.out.parts), "".join(self.err.parts), code))
        writer(folder, record_path(folder, self.key), MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload, KEEP)


_active: Recorder | None = None


def recording() -> bool:
    """Is a run being recorded (`note` wants the inputs)?"""
    return _active is not None


def paths() -> list[str]:
    """The PATH arguments of the run being recorded."""
    return list(_paths(_active.args)) if _active is not None else []


def note(inputs: list[str], writer: Writer) -> None:
    """The inputs of the check being recorded (`signature.inputs`) and how to write a record (`signature.store`:
    the replay itself imports no writer); a second check in the same run spoils the record."""
    if _active is not None:
        _active.runs += 1
        _active.inputs = inputs
        _active.writer = writer
