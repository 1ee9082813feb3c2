"""`keep_last`: remember a function's last answer, for what several readers ask of one object in turn."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def keep_last(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Keep ``function``'s last answer, for the same arguments (compared by identity).

    For what several rules ask of one document in turn: documents and contexts are
    immutable, and the engine runs every rule on one document before the next.
    """
    last: list[Any] = []

    @functools.wraps(function)
    def kept(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if last and not kwargs and len(last[0]) == len(args) and all(a is b for a, b in zip(last[0], args, strict=True)):
            return last[1]  # type: ignore[no-any-return]
        answer = function(*args, **kwargs)
        last[:] = [args, answer]
        return answer

    return kept
