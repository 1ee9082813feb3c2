"""Compiled regular expressions that a later run can rebuild without compiling them again.

The blame grammar has ~750 patterns, each compiled on first use; compiling the ~200 that one
document needs costs ~100 ms, most of a pre-commit hook's run. Python's `re` compiles in two
steps: parsing the pattern and generating the regex engine's code (pure Python, the cost),
then building the pattern object from that code (`_sre.compile`, in C, ~7 µs). `compile`
does the same two steps and keeps each pattern's code; `export` gives it as bytes for the
project's cache and `load` takes it back, so that a run with the cache rebuilds a known
pattern from its code instead of compiling it.

The same codes ship with pmlint for the shipped blame pack (`table`, `load_shipped`: a file
`python -m postmortem_lint.generate` writes for the Python that runs it, like a `.pyc`), so that
even a run without the cache, a pre-commit hook or a one-file check does not compile them.

This leans on `re`'s private modules (`re._parser`, `re._compiler`, `_sre`), exactly as
`re._compiler.compile` uses them in CPython 3.11-3.13. The exported bytes name the Python
version, the regex engine's magic number and the byte order of the code words (kept as
bytes: `_stored`), and `load` ignores bytes made by another; the
engine validates every code it is given (an invalid one raises, and that pattern is then
compiled the usual way). Where the private modules differ, `compile` is `re.compile`.
"""

from __future__ import annotations

import array
import contextlib
import marshal
import re
import sys
import zlib
from collections.abc import Iterable
from typing import Any

try:  # CPython 3.11+: the two steps of re.compile
    import _sre
    from re import _compiler, _parser

    _HEADER: tuple[Any, ...] | None = (
        "pmlint-regexes",
        1,
        tuple(sys.version_info[:2]),
        sys.implementation.name,
        _sre.MAGIC,
        sys.byteorder,  # of the code words stored as bytes (`_stored`)
    )
except (ImportError, AttributeError):  # pragma: no cover - another implementation of re
    _HEADER = None

_Spec = tuple[str, int, list[int] | bytes, int, dict[str, int], tuple[Any, ...]]
"""What `_sre.compile` takes: the pattern, its final flags, its code, groups - 1, group index and index group; the code
as stored (`_stored`) until it is used: 32-bit words as bytes, which marshal reads ~30 times faster than a list of ints
(the shipped table's 1.2 MB of code, ~15 ms)."""

_WORD = "I"
"""The array type of the regex engine's code words (`_sre.CODESIZE`, 4 bytes)."""

_known: dict[tuple[str, int], _Spec] = {}
_used: set[tuple[str, int]] = set()
_shipped: set[tuple[str, int]] = set()
"""Keys of the codes `load_shipped` took: not exported to the project's cache, which would only copy them."""
_added = False
KEEP = 2000
"""At most this many codes are exported, those this process used first: the patterns of older packs
(an edited blame pack compiles other patterns) do not pile up in the cache."""


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, rebuilt from its kept code when a run before compiled it."""
    global _added
    if _HEADER is None:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    _used.add(key)
    spec = _known.get(key)
    if spec is not None:
        try:
            return _built(spec)
        except (RuntimeError, TypeError, ValueError, OverflowError):
            del _known[key]
    try:
        spec = _spec(pattern, int(flags))
        compiled = _sre.compile(*spec)
    except re.error:
        raise
    except Exception:
        return re.compile(pattern, flags)
    _known[key] = spec
    _added = True
    return compiled  # type: ignore[no-any-return]


def _spec(pattern: str, flags: int) -> _Spec:
    """`re._compiler.compile`'s steps up to `_sre.compile`."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return pattern, int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _built(spec: _Spec) -> re.Pattern[str]:
    """The pattern of ``spec``, its code read back from `_stored` bytes when it is so."""
    code = spec[2]
    if isinstance(code, bytes):
        code = array.array(_WORD, code).tolist()
    return _sre.compile(spec[0], spec[1], code, *spec[3:])  # type: ignore[no-any-return]


def _stored(spec: _Spec) -> _Spec:
    """``spec`` with its code as bytes (`_Spec`)."""
    code = spec[2]
    return spec if isinstance(code, bytes) else (spec[0], spec[1], array.array(_WORD, code).tobytes(), *spec[3:])


def added() -> bool:
    """Whether a pattern was compiled since the last `load` or `export` (then the kept codes are worth storing)."""
    return _added


def export() -> bytes:
    """Every kept code but the shipped ones, as bytes for `load` (in a later process of the same Python)."""
    global _added
    _added = False
    kept = sorted((item for item in _known.items() if item[0] not in _shipped), key=lambda item: item[0] not in _used)[:KEEP]
    return marshal.dumps((_HEADER, [(flags, _stored(spec)) for (_pattern, flags), spec in kept]))


def load(data: bytes) -> None:
    """Take the codes of `export`; bytes of another Python, another format or damaged are ignored."""
    global _added
    for key, spec in _entries(data):
        _known.setdefault(key, spec)
    _added = False


def table(patterns: Iterable[tuple[str, int]]) -> bytes:
    """The codes of ``patterns`` ((pattern, flags) pairs), compressed, for `load_shipped`: the same bytes for the
    same patterns on the same Python (sorted; marshal format 2 has no references that depend on the process)."""
    if _HEADER is None:
        return b""
    entries = [(flags, _stored(_spec(pattern, flags))) for pattern, flags in sorted({(p, int(f)) for p, f in patterns})]
    return zlib.compress(marshal.dumps((_HEADER, entries), 2), 9)


def load_shipped(data: bytes) -> None:
    """Take the codes of a `table` shipped with pmlint (ignored when made by another Python, or damaged)."""
    try:
        raw = zlib.decompress(data)
    except zlib.error:
        return
    for key, spec in _entries(raw):
        _known.setdefault(key, spec)
        _shipped.add(key)


def seed(data: bytes) -> None:
    """Put the patterns of a `table` (``python -m postmortem_lint.generate``'s record of what a cold run compiles with
    ``re.compile`` or ``re.match``: the modules' patterns at import, the parser's, the packs') in `re`'s own cache,
    built from their codes: each such call then finds its pattern there instead of compiling it (~300 patterns, most
    of them at import: an eighth of a one-file check).

    Only where `re` keeps a plain dict keyed ``(type, pattern, flags)`` (CPython 3.11), and never beyond its size:
    a pattern that is not there is compiled as before.
    """
    cache = getattr(re, "_cache", None)
    room = getattr(re, "_MAXCACHE", 0)
    if type(cache) is not dict or not isinstance(room, int):
        return
    try:
        raw = zlib.decompress(data)
    except zlib.error:
        return
    for (pattern, flags), spec in _entries(raw):
        key = (str, pattern, flags)
        if len(cache) >= room:
            return
        if key not in cache:
            with contextlib.suppress(RuntimeError, TypeError, ValueError, OverflowError):
                cache[key] = _built(spec)


def _entries(data: bytes) -> list[tuple[tuple[str, int], _Spec]]:
    """((pattern, flags), code) of the bytes of `export` or `table`; none from bytes of another Python or format."""
    if _HEADER is None:
        return []
    try:
        header, entries = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return []
    if header != _HEADER or not isinstance(entries, list) or array.array(_WORD).itemsize != _sre.CODESIZE:
        return []
    return [((entry[1][0], entry[0]), entry[1]) for entry in entries if _well_formed(entry)]


def _well_formed(entry: Any) -> bool:
    """(flags, spec) of the shape `export` writes (the regex engine validates the code itself)."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], int)):
        return False
    spec = entry[1]
    return isinstance(spec, tuple) and len(spec) == 6 and isinstance(spec[0], str) and isinstance(spec[2], (list, bytes))
