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
    pay for it), and its result is a real one. Chunks of at most 16 files (~0.1 s
    of work): few enough round trips, and a short tail when one worker finishes its
    last chunk alone.
    """
    if not work:
        return
    document_rules(work[0][1].select, work[0][1].ignore)
    digest, first = lint_target(work[0])
    yield digest, first, None
    rest = work[1:]
    gc.freeze()
    chunk = max(1, min(16, len(rest) // (workers * 8)))
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=collect_less) as pool:
            for digest, rel, plain in pool.map(lint_encoded, rest, chunksize=chunk):
                yield digest, cache.decode(rel, plain), plain
    finally:
        gc.unfreeze()
