"""Linting many files in worker processes (imports concurrent.futures: loaded only for runs over many files)."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any

import postmortem_lint.document.parse  # noqa: F401  (loaded before the fork, so that no worker imports mistune again)
from postmortem_lint.config.settings import DEFAULTS
from postmortem_lint.io.resources import data_path
from postmortem_lint.lint import cache
from postmortem_lint.lint.linter import Work, collect_less, document_rules, lint_bytes, lint_target
from postmortem_lint.lint.results import Linted

_started: dict[int, ProcessPoolExecutor] = {}
"""The pool `start` forked ahead of the run, by its number of workers (at most one)."""

SAMPLE = "scaffolds/post-mortem.md"
"""What `start` lints before it forks: the scaffold of `pmlint new`, a document every rule reads something of."""


def lint_encoded(work: Work) -> tuple[bytes, str, tuple[Any, ...]]:
    """`linter.lint_target` in a worker: the result as plain tuples, much cheaper to send back than pickled objects."""
    digest, result = lint_target(work)
    return digest, result.rel, cache.encode(result)


def start(workers: int) -> None:
    """Fork the pool now, for a run that will likely lint many files, while its settings and files are still being
    worked out (`lint.prelude`): `parallel` then finds its workers running and warm.

    The scaffold is linted first, here, so that the packs the rules read are loaded and what they compile
    on first use is compiled before the fork (each worker would otherwise pay for it). A run that ends up
    with few files, or another number of workers, lets the pool go (`discard`).
    """
    if _started:
        return
    lint_bytes("tasks/post-mortem-2026-01-01-sample.md", data_path(SAMPLE).read_bytes(), None, DEFAULTS, dt.date(2026, 1, 1))
    pool = _forked(workers)
    pool.submit(os.getpid)  # forks every worker (the fork start method starts them all at the first task)
    _started[workers] = pool


def _forked(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers``, with what is loaded frozen first (the collector never walks it, so workers do not
    copy its pages); whoever lets the pool go unfreezes (`discard`, `parallel`)."""
    gc.freeze()
    return ProcessPoolExecutor(max_workers=workers, mp_context=start_method(), initializer=collect_less)


def start_method() -> BaseContext | None:
    """Fork on Linux, said outright: the workers inherit what this process loaded and compiled, which is what
    `start` and `parallel` warm up for. Python 3.14 makes forkserver Linux's default, whose workers would import
    everything again for each pool. Elsewhere the platform's default (spawn on macOS and Windows)."""
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def discard() -> None:
    """Let a pool `start` forked go, unused (its workers exit once they see the queue closed)."""
    for pool in _started.values():
        pool.shutdown(wait=False)
        gc.unfreeze()
    _started.clear()


def parallel(work: list[Work], workers: int) -> Iterator[Linted]:
    """Lint in worker processes, forked once the parser, the rules and the packs are loaded so none loads them again.

    The pool `start` forked is used when it has ``workers`` workers. Otherwise the first file is
    linted here, before the fork, for the reason `start` lints the scaffold, and its result is a
    real one. The others go out in `chunks`.
    """
    if not work:
        discard()
        return
    pool = _started.pop(workers, None)
    discard()
    if pool is None:
        document_rules(work[0][1].select, work[0][1].ignore)
        digest, first = lint_target(work[0])
        yield digest, first, None
        work = work[1:]
        pool = _forked(workers)
    try:
        with pool:
            for done in pool.map(lint_chunk, chunks(work, workers)):
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
