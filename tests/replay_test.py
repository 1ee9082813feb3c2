"""The replayed report (`lint.replay`): a warm `pmlint check` over unchanged inputs prints exactly what a fresh run prints.

Every case compares the real executable's stdout, stderr and exit code with a
``--no-cache`` run over the same files; a probe run through `cli.main` shows
that a replay imports no document model, parser, rule module, pydantic or click.
A change to anything the findings depend on must never be answered by the old
record. Inputs must be older than `replay.RACY_NS` before a run records them,
so the repository is left to settle (`_settle`) before the runs that should replay.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from repokit import PMLINT, clean_env, commit, git, make_repo, write

from postmortem_lint.io import cachedir, discover
from postmortem_lint.lint import replay

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("postmortem_lint.document.model", "postmortem_lint.document.parse", "mistune", "pydantic", "click", "postmortem_lint.lint.linter")
PROBE = (
    "import json, sys\n"
    "from postmortem_lint import cli\n"
    "code = cli.main(sys.argv[2:])\n"
    "heavy = sorted(m for m in sys.modules if m.startswith(('postmortem_lint.checks.pm', 'postmortem_lint.config.settings')) "
    f"or m in {HEAVY!r})\n"
    "open(sys.argv[1], 'w').write(json.dumps(heavy))\n"
    "sys.exit(code)\n"
)


def _settle() -> None:
    """Wait until every file written so far is older than the replay's racy window."""
    time.sleep(replay.RACY_NS / 1e9 + 0.2)


def _env(**extra: str) -> dict[str, str]:
    env = clean_env(**extra)
    for name in ("PMLINT_CACHE_DIR", "XDG_CACHE_HOME"):
        env.pop(name, None)
    return env


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = subprocess.run([*PMLINT, *args], cwd=root, env=env or _env(), capture_output=True, text=True, check=False)
    assert "Traceback" not in done.stderr
    return done.returncode, done.stdout, done.stderr


def _probe(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[tuple[int, str, str], list[str]]:
    """The outcome of ``args`` through `cli.main`, and which heavy modules the run imported."""
    seen = root.parent / f"modules-{os.getpid()}.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(seen), *args], cwd=root, env=env or _env(), capture_output=True, text=True, check=False
    )
    modules = json.loads(seen.read_text(encoding="utf-8"))
    seen.unlink()
    return (done.returncode, done.stdout, done.stderr), modules


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A committed repository of generated post-mortems (their flaws include overdue actions and blame), settled."""
    root = make_repo(tmp_path_factory.mktemp("replay") / "repo")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root), "--count", "12", "--seed", "3"], check=True)
    write(root, "POST_MORTEM_TRACKING.md", "# Post-mortem tracking\n")
    commit(root, "archive")
    _settle()
    yield root


CASES = [
    ["check"],
    ["check", "tasks"],
    ["check", "--format", "json"],
    ["check", "--format=sarif", "tasks"],
    ["check", "--statistics", "-q"],
    ["check", "--strict", "--select", "PM2,PM5"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(a[1:]) or "plain" for a in CASES])
def test_a_replay_is_the_fresh_output_byte_for_byte_without_the_heavy_imports(archive: Path, args: list[str]) -> None:
    fresh = _run(archive, *args, "--no-cache")
    assert fresh[0] in (0, 1) and fresh[1]
    first = _run(archive, *args)
    replayed, modules = _probe(archive, *args)
    assert first == fresh
    assert replayed == fresh
    assert modules == []


def test_one_named_file_is_replayed_and_matches_a_fresh_run(archive: Path) -> None:
    name = sorted((archive / "tasks").iterdir())[0].relative_to(archive).as_posix()
    fresh = _run(archive, "check", "--no-cache", name)
    _run(archive, "check", name)
    replayed, modules = _probe(archive, "check", name)
    assert (replayed, modules) == (fresh, [])


def test_a_different_environment_or_date_is_a_different_record() -> None:
    base = replay.key(["check"])
    assert replay.key(["check", "tasks"]) != base
    saved = os.environ.get("NO_COLOR")
    os.environ["NO_COLOR"] = "" if saved else "1"
    try:
        assert replay.key(["check"]) != base
    finally:
        if saved is None:
            del os.environ["NO_COLOR"]
        else:
            os.environ["NO_COLOR"] = saved

    class Later(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2099, 1, 1)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(replay.dt, "date", Later)
        assert replay.key(["check"]) != base


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-cache"],
        ["check", "--fix"],
        ["check", "--staged"],
        ["check", "--against", "main"],
        ["check", "--changed-since", "HEAD"],
        ["check", "--baseline", "b.json"],
        ["check", "--output", "out.txt"],
        ["check", "-", "--stdin-filename", "tasks/x.md"],
        ["check", "--format"],
        ["track"],
        [],
    ],
)
def test_lines_that_read_more_than_the_files_are_never_replayed(args: list[str]) -> None:
    assert not replay.replayable(args)


def test_the_replay_s_copies_of_constants_agree_with_their_owners() -> None:
    assert replay.FOLDER == cachedir.FOLDER
    assert replay.CONFIG_NAMES == discover.CONFIG_NAMES


@pytest.mark.parametrize("variable", [None, "PMLINT_CACHE_DIR", "XDG_CACHE_HOME"])
def test_the_replay_finds_the_cache_folder_where_the_cache_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str | None
) -> None:
    monkeypatch.delenv("PMLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    if variable:
        monkeypatch.setenv(variable, str(tmp_path / "elsewhere"))
    root = make_repo(tmp_path / "repo")
    write(root, "tasks/post-mortem-2026-01-01-x.md", "# x\n")
    monkeypatch.chdir(root / "tasks")
    assert replay.cache_folder(["check", "post-mortem-2026-01-01-x.md"]) == str(cachedir.cache_dir(discover.project_root(root / "tasks")))
    monkeypatch.chdir(tmp_path)
    assert replay.cache_folder(["check", "repo/tasks"]) == str(cachedir.cache_dir(root.resolve()))


def _edit_same_size(path: Path) -> None:
    """Change one letter, keeping the size and putting the old mtime back: only the ctime tells."""
    st = path.stat()
    data = path.read_bytes()
    at = data.index(b"## Impact")
    path.write_bytes(data[:at] + b"## Impakt" + data[at + 9 :])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root), "--count", "4", "--seed", "5"], check=True)
    commit(root, "archive")
    return root


def _changes(root: Path) -> Iterator[str]:
    """Each change to an input, one after the other (the caller checks every run after each)."""
    first = sorted((root / "tasks").iterdir())[0]
    _edit_same_size(first)
    yield "a post-mortem edited, same size and mtime"
    write(root, "tasks/post-mortem-2026-01-02-new-thing.md", first.read_text(encoding="utf-8"))
    yield "a new untracked post-mortem"
    write(root, ".gitignore", "tasks/post-mortem-2026-01-02-new-thing.md\n")
    yield "a .gitignore that hides it"
    write(root, ".pmlint.yaml", "ignore: [PM5]\n")
    yield "a configuration file"
    write(root, "POST_MORTEM_TRACKING.md", "# Post-mortem tracking\n\n| Post-mortem | Status |\n|---|---|\n")
    yield "a tracker"
    (root / ".pmlint.yaml").unlink()
    first.unlink()
    yield "a post-mortem deleted and the configuration gone"


def test_no_change_to_an_input_is_answered_by_an_old_record(project: Path) -> None:
    runs = (["check"], ["check", "--format", "json"])
    _settle()
    for args in runs:
        _run(project, *args)
        _run(project, *args)
    changes = _changes(project)
    for what in changes:
        for args in runs:
            assert _run(project, *args) == _run(project, *args, "--no-cache"), what
    _settle()
    for args in runs:
        fresh = _run(project, *args, "--no-cache")
        assert _run(project, *args) == fresh
        replayed, modules = _probe(project, *args)
        assert (replayed, modules) == (fresh, [])


def test_staging_a_file_changes_what_git_lists(project: Path) -> None:
    write(project, ".gitignore", "tasks/post-mortem-2026-01-03-forced.md\n")
    first = sorted((project / "tasks").glob("post-mortem-*.md"))[0]
    write(project, "tasks/post-mortem-2026-01-03-forced.md", first.read_text(encoding="utf-8"))
    _settle()
    before = _run(project, "check")
    assert _run(project, "check") == before
    git(project, "add", "-f", "tasks/post-mortem-2026-01-03-forced.md")
    after = _run(project, "check")
    assert after == _run(project, "check", "--no-cache")
    assert after != before


def test_a_corrupt_record_is_a_miss(project: Path) -> None:
    _settle()
    fresh = _run(project, "check", "--no-cache")
    _run(project, "check")
    records = list((project / ".pmlint_cache").glob("replay-*.marshal"))
    assert records
    for record in records:
        data = record.read_bytes()
        record.write_bytes(data[:-7] + b"garbage")
    assert _run(project, "check") == fresh
    for record in (project / ".pmlint_cache").glob("replay-*.marshal"):
        record.write_bytes(b"")
    assert _run(project, "check") == fresh


def test_a_run_over_files_written_just_before_it_records_nothing(project: Path) -> None:
    _run(project, "check")
    assert not list((project / ".pmlint_cache").glob("replay-*.marshal"))
