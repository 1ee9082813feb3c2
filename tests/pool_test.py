"""The worker pool (`lint.pool`) gives exactly what one process gives, at any size an explicit ``--jobs`` asks for.

A run over a folder forks the pool while its settings are worked out (`pool.start`, after
linting the scaffold); otherwise the first file is linted in the parent before the fork and
the others in the workers. A run whose cache has no entry for a file does not read it
before linting it.
"""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from repokit import clean_env, commit, make_repo, pmlint

from postmortem_lint.config.settings import Settings
from postmortem_lint.lint import engine, pool
from postmortem_lint.lint.results import Target

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("pool") / "repo")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root), "--count", "9", "--seed", "7"], check=True)
    commit(root, "archive")
    return root


def _outcome(root: Path, *args: str) -> tuple[int, str, str]:
    done = pmlint(root, "check", *args, env=clean_env())
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("form", ["text", "json"])
def test_a_pool_asked_for_on_a_few_files_gives_what_one_process_gives(archive: Path, form: str) -> None:
    assert engine.PARALLEL_THRESHOLD > 9
    serial = _outcome(archive, "--no-cache", "--jobs", "1", "--format", form)
    assert serial[0] == 1 and serial[1]
    assert _outcome(archive, "--no-cache", "--jobs", "2", "--format", form) == serial
    assert _outcome(archive, "--no-cache", "--jobs", "3", "--format", form) == serial


def test_results_linted_by_the_pool_are_cached_and_found_again(archive: Path) -> None:
    fresh = _outcome(archive, "--no-cache")
    assert _outcome(archive, "--jobs", "2") == fresh
    assert _outcome(archive, "--jobs", "1") == fresh
    assert _outcome(archive, "--jobs", "2") == fresh


@given(st.integers(0, 3000), st.integers(1, 8))
def test_chunks_hold_every_file_once_in_order_and_shrink_to_single_files(count: int, workers: int) -> None:
    work = list(range(count))
    found = pool.chunks(work, workers)  # type: ignore[arg-type]
    assert [item for chunk in found for item in chunk] == work
    sizes = [len(chunk) for chunk in found]
    assert all(1 <= size <= 16 for size in sizes)
    assert sizes == sorted(sizes, reverse=True), "large chunks first, small ones last"
    assert not sizes or sizes[-1] == 1


def _results(root: Path, count: int, jobs: int) -> list[tuple[str, list[object], object]]:
    settings = Settings(root=root)
    found = sorted((root / "tasks").glob("*.md"))[:count]
    targets = [Target(path, f"tasks/{path.name}") for path in found]
    run = engine.check(targets, settings, dt.date(2026, 12, 1), jobs=jobs)
    return [(rel, r.findings, r.summary) for rel, r in sorted(run.results.items())]


@pytest.mark.parametrize("count", [3, 9])
def test_a_pool_started_ahead_is_used_or_let_go_and_gives_what_one_process_gives(archive: Path, count: int) -> None:
    serial = _results(archive, count, jobs=1)
    pool.start(2)
    try:
        assert list(pool._started) == [2]
        # 3 files: too few for a pool (let go); 9 files asked for with --jobs 2: the started pool lints them
        assert _results(archive, count, jobs=0 if count == 3 else 2) == serial
        assert not pool._started, "the started pool is used or let go, never left for a later run"
    finally:
        pool.discard()


def test_a_pool_of_another_size_is_let_go_for_one_of_the_size_asked_for(archive: Path) -> None:
    serial = _results(archive, 9, jobs=1)
    pool.start(3)
    try:
        assert _results(archive, 9, jobs=2) == serial
        assert not pool._started
    finally:
        pool.discard()


def test_a_pool_started_ahead_is_let_go_when_there_is_nothing_to_lint() -> None:
    pool.start(2)
    try:
        assert list(pool.parallel([], 2)) == []
        assert not pool._started
    finally:
        pool.discard()


def _probe() -> str | None:
    return getattr(pool, "_probe", None)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks on Linux only")
def test_workers_are_forked_so_they_inherit_what_this_process_set_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker started by spawn or forkserver (Python 3.14's default on Linux) would import the module afresh."""
    monkeypatch.setattr(pool, "_probe", "set up in this process", raising=False)
    executor = pool._forked(1)
    try:
        assert executor.submit(_probe).result(timeout=60) == "set up in this process"
    finally:
        executor.shutdown()
        gc.unfreeze()
    method = pool.start_method()
    assert method is not None and method.get_start_method() == "fork"
