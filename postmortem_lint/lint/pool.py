"""Linting many files in worker processes (imports concurrent.futures: loaded only for runs over many files)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import postmortem_lint.document.parse  # noqa: F401  (loaded before the fork, so that no worker imports mistune again)
from postmortem_lint.lint import cache
from postmortem_lint.lint.linter import Work, collect_less, document_rules, lint_target
from postmortem_lint.lint.results import Linted


def lint_encoded(work: Work) -> tuple[bytes, str, tuple[Any, ...]]:
    """`linter.lint_target` in a worker: the result as plain tuples, much cheaper to send back than pickled objects."""
    digest, result = lint_target(work)
    return digest, result.rel, cache.encode(result)


def parallel(work: list[Work], workers: int) -> Iterator[Linted]:
    """Lint in worker processes, forked once the parser, the rules and the packs are loaded so none loads them again.

    The first file is linted here, before the fork: that loads the packs the rules
    read and compiles what they compile on first use (each worker would otherwise
    pay for it), and its result is a real one. The others go out in `chunks`.
    """
    if not work:
        return
    document_rules(work[0][1].select, work[0][1].ignore)
    digest, first = lint_target(work[0])
    yield digest, first, None
    rest = work[1:]
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=collect_less) as pool:
            for done in pool.map(lint_chunk, chunks(rest, workers)):
                for digest, rel, plain in done:
                    yield digest, cache.decode(rel, plain), plain
    finally:
        gc.unfreeze()


def lint_chunk(work: list[Work]) -> list[tuple[bytes, str, tuple[Any, ...]]]:
    """`lint_encoded` over one chunk, in a worker."""
    return [lint_encoded(item) for item in work]


def chunks(work: list[Work], workers: int, largest: int = 16) -> list[list[Work]]:
    """``work`` in chunks that shrink towards the end ("guided" scheduling), in order.

    Each chunk is an eighth of what is left per worker, at most ``largest`` files (~0.1 s
    of work: few round trips) and at least one: the first chunks are large, and the last
    ones are single files, so that no worker finishes long before the others.
    """
    out: list[list[Work]] = []
    at = 0
    while at < len(work):
        size = max(1, min(largest, (len(work) - at) // (workers * 8)))
        out.append(work[at : at + size])
        at += size
    return out
