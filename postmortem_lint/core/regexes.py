"""Compiled regular expressions that a later run can rebuild without compiling them again.

The blame grammar has ~750 patterns, each compiled on first use; compiling the ~200 that one
document needs costs ~100 ms, most of a pre-commit hook's run. Python's `re` compiles in two
steps: parsing the pattern and generating the regex engine's code (pure Python, the cost),
then building the pattern object from that code (`_sre.compile`, in C, ~7 µs). `compile`
does the same two steps and keeps each pattern's code; `export` gives it as bytes for the
project's cache and `load` takes it back, so that a run with the cache rebuilds a known
pattern from its code instead of compiling it.

This leans on `re`'s private modules (`re._parser`, `re._compiler`, `_sre`), exactly as
`re._compiler.compile` uses them in CPython 3.11-3.13. The exported bytes name the Python
version and the regex engine's magic number, and `load` ignores bytes made by another; the
engine validates every code it is given (an invalid one raises, and that pattern is then
compiled the usual way). Where the private modules differ, `compile` is `re.compile`.
"""

from __future__ import annotations

import marshal
import re
import sys
from typing import Any

try:  # CPython 3.11+: the two steps of re.compile
    import _sre
    from re import _compiler, _parser

    _HEADER: tuple[Any, ...] | None = ("pmlint-regexes", 1, tuple(sys.version_info[:2]), sys.implementation.name, _sre.MAGIC)
except (ImportError, AttributeError):  # pragma: no cover - another implementation of re
    _HEADER = None

_Spec = tuple[str, int, list[int], int, dict[str, int], tuple[Any, ...]]
"""What `_sre.compile` takes: the pattern, its final flags, its code, groups - 1, group index and index group."""

_known: dict[tuple[str, int], _Spec] = {}
_used: set[tuple[str, int]] = set()
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
            return _sre.compile(*spec)  # type: ignore[no-any-return]
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


def added() -> bool:
    """Whether a pattern was compiled since the last `load` or `export` (then the kept codes are worth storing)."""
    return _added


def export() -> bytes:
    """Every kept code, as bytes for `load` (in a later process of the same Python)."""
    global _added
    _added = False
    kept = sorted(_known.items(), key=lambda item: item[0] not in _used)[:KEEP]
    return marshal.dumps((_HEADER, [(flags, spec) for (_pattern, flags), spec in kept]))


def load(data: bytes) -> None:
    """Take the codes of `export`; bytes of another Python, another format or damaged are ignored."""
    global _added
    if _HEADER is None:
        return
    try:
        header, entries = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return
    if header != _HEADER or not isinstance(entries, list):
        return
    for entry in entries:
        if _well_formed(entry):
            flags, spec = entry
            _known.setdefault((spec[0], flags), spec)
    _added = False


def _well_formed(entry: Any) -> bool:
    """(flags, spec) of the shape `export` writes (the regex engine validates the code itself)."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], int)):
        return False
    spec = entry[1]
    return isinstance(spec, tuple) and len(spec) == 6 and isinstance(spec[0], str) and isinstance(spec[2], list)
