"""check(targets, settings) -> diagnostics: the one pipeline every command uses.

file -> decode -> parse/build -> document rules -> (all files) repository rules ->
severity, selection, suppressions -> sorted diagnostics. Per-file work
(`lint.linter`) is pure and runs in worker processes for large runs
(`lint.pool`); files whose bytes are unchanged come from the result cache
(`lint.cache`) without either being loaded. The repository rules run once in
the parent over small summaries; `lint.policy` turns findings into diagnostics.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from postmortem_lint.checks import registry
from postmortem_lint.checks.context import Context, RepoIndex
from postmortem_lint.config.settings import Settings
from postmortem_lint.core import lazy, regexes
from postmortem_lint.core.diagnostics import Diagnostic, Finding
from postmortem_lint.document.summary import Summary
from postmortem_lint.io import cachedir
from postmortem_lint.lint import cache as cache_mod
from postmortem_lint.lint import policy, providers, replay, signature
from postmortem_lint.lint.results import FileResult, Linted, RunResult, Target

PARALLEL_THRESHOLD = 16
"""From this many files to lint a run forks its worker pool (unless --jobs says): where the pool starts to win
(`benchmarks/crossover.py` on an idle 2-core machine, 2026-12-02: 0.98x one process at 16 files, 0.91x at 24, 0.79x at 48)."""
TRACKER_RULE = "PM703"
"""The repository rule that reads the tracker (`Context.tracker`)."""


def linter() -> ModuleType:
    """`lint.linter`, loaded for the first file the cache does not answer for."""
    return lazy.load("postmortem_lint.lint.linter")


def warm_up(jobs: int = 0, many: bool = False) -> None:
    """Load what linting a document needs before the settings are known (`lint.prelude`): the parser, the
    rules, the shipped packs; and, where there is more than one core, the worker pool's module (concurrent.futures
    and multiprocessing, ~20 ms), which a run over many files would otherwise import once the files are known.
    With ``many`` (the run names a folder, or nothing: it will likely lint many files), the pool is forked too
    (`pool.start`), with ``jobs`` workers (0: one per core)."""
    linter().warm_up()
    workers = jobs or _cores()
    if workers > 1:
        pool = lazy.load("postmortem_lint.lint.pool")
        if many:
            pool.start(workers)


def lint_all(
    targets: Sequence[Target],
    settings: Settings,
    today: dt.date,
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
    light: frozenset[str] = frozenset(),
) -> Iterator[FileResult]:
    """Per-file results, in parallel when there are many files.

    With ``cache``, files whose bytes are unchanged since a run with the same
    run key come from the result cache (`lint.cache`), without parsing; only the
    others are linted (in parallel when there are many), then stored. Files in
    ``light`` get only a header summary (`document.summarize.header_summary`): they are not
    reported on and feed only the cross-file rules. With ``cache`` those come
    from the header cache when the file's stat is unchanged, and their result
    cache entries are kept for the runs that check them.
    """
    store = cache_mod.ResultCache.open(settings) if cache else None
    headers = cache_mod.HeaderCache.open(settings.root, settings.template) if cache and light else None
    pending: list[Target] = []
    done = 0
    for target in targets:
        if target.rel in light:
            hit: FileResult | None = _header_only(target, settings, headers)
            if store is not None:
                store.retain(target.rel)
        else:
            if headers is not None:
                headers.retain(target.rel)
            hit = _lookup(store, target) if store is not None else None
        if hit is None:
            pending.append(target)
            continue
        done += 1
        if progress:
            progress(done, len(targets))
        yield hit
    if store is not None and pending:
        compiled_patterns(settings.root)
    for digest, result, plain in _lint_many(pending, settings, today, jobs, store is not None):
        if store is not None and digest:
            store.put(result.rel, digest, result, plain)
        done += 1
        if progress:
            progress(done, len(targets))
        yield result
    if store is not None:
        store.save()
        if regexes.added():
            cachedir.write_note(settings.root, REGEX_NOTE, regexes.export())
    if headers is not None:
        headers.save()


REGEX_NOTE = f"regexes-{sys.version_info[0]}.{sys.version_info[1]}.marshal"
"""The cache note of compiled patterns (`core.regexes`): the blame grammar's, which a document needs ~200 of."""


def compiled_patterns(root: Path) -> None:
    """Let `core.regexes` rebuild the patterns an earlier run of this project compiled (before any worker forks)."""
    data = cachedir.read_note(root, REGEX_NOTE)
    if data is not None:
        regexes.load(data)


def _header_only(target: Target, settings: Settings, headers: cache_mod.HeaderCache | None = None) -> FileResult:
    """A result holding only the summary the cross-file rules need (no parse, no rules).

    Only the bytes before the first ``## `` heading are decoded: the header block.
    With ``headers``, a file whose stat is unchanged is not read at all; the stat
    is taken before the read, so that what is stored is never older than it.
    """
    stamp = headers.stamp(target.path) if headers is not None and target.data is None else None
    cached = headers.get(target.rel, stamp) if headers is not None and stamp is not None else None
    if cached is not None:
        return FileResult(target.rel, summary=cached)
    summary: Summary | None = linter().header_of(target.rel, target.content(), settings)
    if summary is None:
        return FileResult(target.rel)
    if headers is not None and stamp is not None:
        headers.put(target.rel, stamp, summary)
    return FileResult(target.rel, summary=summary)


def _lookup(store: cache_mod.ResultCache, target: Target) -> FileResult | None:
    """The cached result of ``target``; a file without an entry is not read here (its linting reads and hashes it)."""
    if target.rel not in store.stored:
        store.changed = True
        return None
    data = target.content()
    return store.get(target.rel, cache_mod.digest_of(data)) if data is not None else None


def _lint_many(targets: list[Target], settings: Settings, today: dt.date, jobs: int, hashed: bool) -> Iterator[Linted]:
    """(digest, result, result as plain tuples or None) of each target, in parallel when there are many."""
    workers = jobs or _cores()
    work = [(t, settings, today, hashed) for t in targets]
    if workers <= 1 or (not jobs and len(work) < PARALLEL_THRESHOLD):
        _discard_pool()
        if not work:
            return iter(())
        lint_target = linter().lint_target
        return _collecting_less((digest, result, None) for digest, result in map(lint_target, work))
    parallel: Iterator[Linted] = lazy.load("postmortem_lint.lint.pool").parallel(work, workers)
    return parallel


def _discard_pool() -> None:
    """Let go of a pool `warm_up` forked for a run that turned out to have few files (`pool.discard`)."""
    pool = sys.modules.get("postmortem_lint.lint.pool")
    if pool is not None:
        pool.discard()


def _collecting_less(results: Iterator[Linted]) -> Iterator[Linted]:
    before = linter().collect_less()
    try:
        yield from results
    finally:
        gc.set_threshold(*before)


def _cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def finish(
    results: dict[str, FileResult],
    report: set[str] | None,
    settings: Settings,
    today: dt.date,
    index: RepoIndex | None = None,
) -> list[Diagnostic]:
    """Repository rules, severities, selection and suppressions -> sorted diagnostics."""
    index = index or RepoIndex.of(r.summary for r in results.values() if r.summary)
    rules = registry.catalog()
    repo_rules = registry.checks(code for code, info in rules.items() if info.scope == "repo" and policy.enabled(code, settings))
    tracker = providers.tracker_of(settings) if TRACKER_RULE in repo_rules else None
    ctx = providers.context(settings, today, tracker)
    out: list[Diagnostic] = []
    for rel, result in results.items():
        if report is not None and rel not in report:
            continue
        findings = list(result.findings)
        if result.summary is not None:
            findings.extend(_repo_findings(result.summary, index, ctx, repo_rules))
        out.extend(policy.diagnostics(result, findings, rules, settings))
    return sorted(out, key=lambda d: d.sort_key)


def _repo_findings(
    summary: Summary, index: RepoIndex, ctx: Context, repo_rules: dict[str, Callable[..., Iterator[Finding]]]
) -> Iterator[Finding]:
    for code, check in repo_rules.items():
        yield from (replace(f, code=code) for f in check(summary, index, ctx))


def check(
    targets: Sequence[Target],
    settings: Settings,
    today: dt.date,
    report: set[str] | None = None,
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
    against: dict[str, Summary] | None = None,
    against_ref: str | None = None,
    cache: bool = False,
) -> RunResult:
    """Check ``targets``; report only those in ``report`` (None: all of them).

    ``against`` holds the summaries of post-mortems at ``against_ref`` (``--against``).
    ``cache`` reads and writes the result cache (`lint.cache`).
    """
    light = frozenset(t.rel for t in targets) - report if report is not None else frozenset()
    results = {r.rel: r for r in lint_all(targets, settings, today, jobs, progress, cache, light)}
    if replay.recording():
        replay.note(signature.inputs(settings, targets, replay.paths()), signature.store)
    index = RepoIndex.of((r.summary for r in results.values() if r.summary), against, against_ref)
    diagnostics = finish(results, report, settings, today, index)
    checked = len(results) if report is None else len(report & results.keys())
    return RunResult(diagnostics, checked, results)
