"""`lint.prelude`: a cold run's settings and files are worked out in a forked child while the parent loads the rules.

The child's answer is the answer; when the child fails in any way the parent works it out
itself, so that errors are raised (and printed) exactly as without the child. End to end,
`pmlint check --no-cache` prints the same with and without the child (``PMLINT_NO_PRELUDE``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from repokit import clean_env, commit, make_repo, pmlint

from postmortem_lint.lint import prelude

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not prelude.available(), reason="the prelude forks only on Linux")


def test_the_child_computes_while_the_parent_warms_up() -> None:
    warmed: list[int] = []
    answer = prelude.overlapped(lambda: ("settings", os.getpid()), lambda: warmed.append(os.getpid()))
    assert answer[0] == "settings"
    assert answer[1] != os.getpid(), "computed in the child"
    assert warmed == [os.getpid()], "warmed up here, in the parent"


def test_what_the_child_prints_is_printed_by_the_parent(capsys: pytest.CaptureFixture[str]) -> None:
    def compute() -> int:
        print("to stdout")
        sys.stderr.write("to stderr\n")
        return 7

    assert prelude.overlapped(compute, lambda: None) == 7
    out, err = capsys.readouterr()
    assert (out, err) == ("to stdout\n", "to stderr\n")


class _Bad(Exception):
    pass


def _raise() -> object:
    raise _Bad("the configuration is wrong")


@pytest.mark.parametrize(
    "failing",
    [
        pytest.param(_raise, id="raises"),
        pytest.param(lambda: lambda: None, id="does-not-pickle"),
        pytest.param(lambda: os.kill(os.getpid(), signal.SIGKILL), id="killed"),
        pytest.param(lambda: os._exit(3), id="exits"),
    ],
)
def test_a_failing_child_is_worked_out_again_here(failing: object, capsys: pytest.CaptureFixture[str]) -> None:
    here: list[int] = []

    def again() -> str:
        here.append(os.getpid())
        return "again"

    assert prelude.overlapped(failing, lambda: None, again) == "again"  # type: ignore[arg-type]
    assert here == [os.getpid()]
    assert capsys.readouterr() == ("", ""), "a failed child prints nothing"


def test_an_error_is_raised_here_as_without_the_child() -> None:
    with pytest.raises(_Bad, match="the configuration is wrong"):
        prelude.overlapped(_raise, lambda: None)


def test_a_failing_warm_up_is_ignored() -> None:
    def warm() -> None:
        raise RuntimeError("no packs")

    assert prelude.overlapped(lambda: 5, warm) == 5


def test_no_prelude_when_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMLINT_NO_PRELUDE", "1")
    assert not prelude.available()


# --- end to end --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("prelude") / "repo")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root), "--count", "20", "--seed", "3"], check=True)
    (root / "notes").mkdir()
    (root / "notes" / "README.md").write_text("# Notes\n", encoding="utf-8")
    commit(root, "archive")
    return root


def _both(root: Path, *args: str, cwd: Path | None = None, cached: bool = False) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """The outcome of a cold run with and without the prelude (``cached``: a first run, which makes the cache)."""
    outcomes = []
    for extra in ({}, {"PMLINT_NO_PRELUDE": "1"}):
        shutil.rmtree(root / ".pmlint_cache", ignore_errors=True)
        done = pmlint(cwd or root, "check", *(() if cached else ("--no-cache",)), *args, env={**clean_env(), **extra})
        outcomes.append((done.returncode, done.stdout, done.stderr))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("args", [("--format", "json"), ("--jobs", "1"), ("tasks", "notes"), ("--statistics",)], ids=repr)
def test_a_cold_run_prints_the_same_with_and_without_the_prelude(archive: Path, args: tuple[str, ...]) -> None:
    with_child, without = _both(archive, *args)
    assert with_child == without
    assert with_child[0] == 1 and with_child[1]
    if "notes" in args:
        assert "notes is a folder without post-mortems" in with_child[1] + with_child[2]


def test_a_first_run_without_a_cache_folder_prints_the_same_and_makes_the_cache(archive: Path) -> None:
    with_child, without = _both(archive, "--format", "json", cached=True)
    assert with_child == without
    assert (archive / ".pmlint_cache").is_dir()
    again = pmlint(archive, "check", "--format", "json", env=clean_env())
    assert (again.returncode, again.stdout, again.stderr) == with_child, "the cache the first run made answers the same"


def test_a_bad_configuration_fails_the_same_with_and_without_the_prelude(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    (root / "tasks").mkdir()
    (root / ".pmlint.yaml").write_text("include: [tasks/*.md]\nseverity: {PM999: error}\n", encoding="utf-8")
    with_child, without = _both(root)
    assert with_child == without
    assert with_child[0] == 2 and ".pmlint.yaml" in with_child[2]


def test_the_note_about_ignored_configuration_files_is_printed_once(archive: Path) -> None:
    sub = archive / "tasks"
    (sub / ".pmlint.yaml").write_text("include: ['*.md']\n", encoding="utf-8")
    (sub / "pyproject.toml").write_text("[tool.pmlint]\ninclude = ['*.md']\n", encoding="utf-8")
    try:
        with_child, without = _both(archive, ".", cwd=sub)
    finally:
        (sub / ".pmlint.yaml").unlink()
        (sub / "pyproject.toml").unlink()
    assert with_child == without
    assert with_child[2].count("pmlint: note: using") == 1
