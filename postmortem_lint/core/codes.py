"""Which rule codes and prefixes exist, and the closest one to a typo.

The codes come from the generated catalog (`core.catalog`), not from the rule
modules: checking a ``--select`` or a configuration file imports no rule.
A prefix such as ``PM5`` is known when some code starts with it; ``ALL`` is
every code.
"""

from __future__ import annotations

import difflib
import functools

from postmortem_lint.core.catalog import CATALOG

ALL = "ALL"


@functools.cache
def known_codes() -> tuple[str, ...]:
    """Every rule code, sorted."""
    return tuple(sorted(CATALOG))


@functools.cache
def _prefixes() -> frozenset[str]:
    return frozenset(code[:size] for code in known_codes() for size in range(1, len(code) + 1))


def is_known(code: str) -> bool:
    """``code`` (any case) is ALL, a rule code, or the prefix of one."""
    upper = code.upper()
    return upper == ALL or upper in _prefixes()


def closest(code: str) -> str | None:
    """The known code (or ALL) most like ``code``, when one is close enough.

    Look-alike characters after ``PM`` are read as the digits they resemble
    (``PM60l`` -> ``PM601``, ``PM5O1`` -> ``PM501``); otherwise difflib's
    closest full code wins (on a tie the one sharing the longest start,
    then the lowest), then, for what is shorter than a code, the closest prefix.
    """
    upper = code.upper()
    if upper.startswith("PM"):
        read = "PM" + upper[2:].translate(_LOOKALIKE)
        if read != upper and is_known(read):
            return read
    found = _best(upper, [*known_codes(), ALL])
    if found is None and len(upper) < len(known_codes()[0]):
        found = _best(upper, sorted(_prefixes()))
    return found


_LOOKALIKE = str.maketrans({"O": "0", "Q": "0", "D": "0", "L": "1", "I": "1", "S": "5", "B": "8", "Z": "2"})


def _best(word: str, candidates: list[str], cutoff: float = 0.75) -> str | None:
    """The candidate with difflib's highest ratio to ``word``; on a tie the longest common start, then the first."""
    matcher = difflib.SequenceMatcher(b=word)
    best: tuple[float, int, str] | None = None
    for candidate in candidates:
        matcher.set_seq1(candidate)
        score = (matcher.ratio(), _common_start(word, candidate))
        if score[0] >= cutoff and (best is None or score > best[:2]):
            best = (*score, candidate)
    return best[2] if best else None


def problem(code: str) -> str:
    """``unknown rule code PM60l (did you mean PM601?)``: what to say about an unknown code."""
    shown = code if code.strip() and code.isprintable() else repr(code)
    suggestion = closest(code)
    hint = f" (did you mean {suggestion}?)" if suggestion else "; `pmlint rules` lists them"
    return f"unknown rule code {shown}{hint}"


def unknown(codes: tuple[str, ...] | list[str]) -> list[str]:
    """The codes of ``codes`` that are not known, in order."""
    return [code for code in codes if not is_known(code)]


def _common_start(a: str, b: str) -> int:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return size
