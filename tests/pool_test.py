"""The worker pool (`lint.pool`) gives exactly what one process gives, at any size an explicit ``--jobs`` asks for.

The first file is linted in the parent before the fork; the others in the workers. A
run whose cache has no entry for a file does not read it before linting it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from repokit import clean_env, commit, make_repo, pmlint

from postmortem_lint.lint import engine, pool

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
