"""`keep_last`: remember a function's last answer, for what several readers ask of one object in turn;
`keep_last_each`: the same for a function asked about several things of one object in turn;
`by_identity`: remember answers about long-lived objects (a template pack's tuples), by their identity."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def keep_last(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Keep ``function``'s last answer, for the same arguments (compared by identity).

    For what several rules ask of one document in turn: documents and contexts are
    immutable, and the engine runs every rule on one document before the next.
    """
    last: list[Any] = [None, None]
    """The last arguments (None before the first call) and the answer. The rules ask about 90 times per document, of
    functions of one or two arguments: those are compared one by one (`map(operator.is_, …)` costs twice as much)."""

    @functools.wraps(function)
    def kept(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        previous = last[0]
        if previous is not None and not kwargs and len(previous) == len(args):
            if len(args) == 1:
                if previous[0] is args[0]:
                    return last[1]  # type: ignore[no-any-return]
            elif len(args) == 2:
                if previous[0] is args[0] and previous[1] is args[1]:
                    return last[1]  # type: ignore[no-any-return]
            elif all(map(operator.is_, previous, args)):
                return last[1]  # type: ignore[no-any-return]
        answer = function(*args, **kwargs)
        last[:] = [args, answer]
        return answer

    return kept


def keep_last_each(function: Callable[..., _R]) -> Callable[..., _R]:
    """`keep_last` for a function asked about several things in turn (a document's tables by role):
    its answers for the last leading arguments (compared by identity) are kept, by the last argument."""
    last: list[Any] = []

    @functools.wraps(function)
    def kept(*args: Any) -> _R:
        leading, key = args[:-1], args[-1]
        if not last or len(last[0]) != len(leading) or not all(map(operator.is_, last[0], leading)):
            last[:] = [leading, {}]
        answers: dict[Any, _R] = last[1]
        if key not in answers:
            answers[key] = function(*args)
        return answers[key]

    return kept


def by_identity(limit: int) -> Callable[[Callable[..., _R]], Callable[..., _R]]:
    """Remember a function's answers by the identity of its first argument and the value of the others.

    For what is asked again and again of objects that live as long as the process, such as a
    template pack's tuples, which are costly to hash. The first argument is kept with its answer,
    so that a new object at a reused id is not taken for the old one; past ``limit`` answers all are
    forgotten.
    """

    def decorate(function: Callable[..., _R]) -> Callable[..., _R]:
        kept: dict[object, tuple[Any, _R]] = {}

        @functools.wraps(function)
        def remembered(owner: Any, *rest: Any) -> _R:
            key = (id(owner), *rest) if rest else id(owner)  # an int for one argument: no tuple to build and hash
            hit = kept.get(key)
            if hit is not None and hit[0] is owner:
                return hit[1]
            answer = function(owner, *rest)
            if len(kept) >= limit:
                kept.clear()
            kept[key] = (owner, answer)
            return answer

        return remembered

    return decorate
