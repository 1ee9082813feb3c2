"""Output conventions through the real `pmlint` executable: --exit-zero, --format full/grouped, -V, shell completion.

Runs on a copy of examples/ (three post-mortems, one flawed) and, for `--staged`,
in a real git repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from e2e_git_test import pmlint_command
from lintkit import REPO
from repokit import clean_env, git, make_repo

from postmortem_lint import __version__

TODAY = ("--today", "2026-03-20")
FLAWED = "tasks/post-mortem-2026-04-02-payment-webhook-failures.md"


def pmlint(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*pmlint_command(), *args], cwd=cwd, env=env or clean_env(), capture_output=True, text=True, check=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(REPO / "examples", folder)
    return folder


def _diagnostics(demo: Path, *args: str) -> list[dict[str, object]]:
    done = pmlint(demo, "check", *TODAY, "--format", "json", *args)
    diagnostics: list[dict[str, object]] = json.loads(done.stdout)["diagnostics"]
    assert diagnostics, "the demo has findings"
    return diagnostics


# --- --exit-zero ---


@pytest.mark.parametrize("extra", [(), TODAY, ("--format", "grouped")], ids=["plain", "click", "grouped"])
def test_exit_zero_reports_the_findings_and_exits_0(demo: Path, extra: tuple[str, ...]) -> None:
    failing = pmlint(demo, "check", *extra, FLAWED)
    passing = pmlint(demo, "check", "--exit-zero", *extra, FLAWED)
    assert (failing.returncode, passing.returncode) == (1, 0)
    assert passing.stdout == failing.stdout and "[error]" in passing.stdout
    assert passing.stderr == failing.stderr == ""


def test_exit_zero_overrides_strict_but_not_a_usage_or_configuration_error(demo: Path) -> None:
    assert pmlint(demo, "check", "--strict", "--exit-zero").returncode == 0
    usage = pmlint(demo, "check", "--exit-zero", "--today", "2026-13-01")
    assert usage.returncode == 2 and "2026-13-01" in usage.stderr
    (demo / ".pmlint.yaml").write_text("severty: {}\n", encoding="utf-8")
    for args in (("check", "--exit-zero"), ("check", "--exit-zero", *TODAY)):
        config = pmlint(demo, *args)
        assert (config.returncode, config.stdout) == (2, "") and "severty" in config.stderr
        assert "Traceback" not in config.stderr


# --- --format full ---


def test_full_puts_carets_under_every_finding_of_the_demo(demo: Path) -> None:
    diagnostics = _diagnostics(demo)
    done = pmlint(demo, "check", *TODAY, "--format", "full")
    assert done.returncode == 1
    rows = done.stdout.splitlines()
    headers = [i for i, row in enumerate(rows) if row.startswith("tasks/") and ": PM" in row]
    assert len(headers) == len(diagnostics)
    for at, d in zip(headers, diagnostics, strict=True):
        assert rows[at].startswith(f"{d['path']}:{d['line']}:")
        source = (demo / str(d["path"])).read_text(encoding="utf-8").split("\n")[int(str(d["line"])) - 1]
        number, shown = rows[at + 2].split(" | ", 1)
        assert number.strip() == str(d["line"])
        cut = shown.startswith("…")
        assert shown.strip("…") in source and (cut or source.startswith(shown.rstrip("…")))
        if not d["column"]:
            assert "^" not in rows[at + 3]
            continue
        marks = rows[at + 3].split(" | ", 1)[1]
        start, width = marks.index("^"), marks.count("^")
        column = int(str(d["column"])) - 1
        first_shown = source.index(shown.strip("…")) - cut
        assert start == column - first_shown
        assert shown[start : start + width] == source[column : column + width]
        assert marks.endswith(f" {d['code']}")


def test_full_shows_the_staged_content_with_staged(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    shutil.copytree(REPO / "examples" / "tasks", repo / "tasks")
    shutil.copy(REPO / "examples" / "POST_MORTEM_TRACKING.md", repo)
    git(repo, "add", ".", env=clean_env())
    path = repo / FLAWED
    staged = path.read_text(encoding="utf-8")
    path.write_text(staged.replace("Human error during", "A typo in the worktree only during"), encoding="utf-8")
    done = pmlint(repo, "check", *TODAY, "--staged", "--format", "full", "--select", "PM601")
    assert done.returncode == 1, done.stderr
    assert "| **Primary Cause:** Human error during the quarterly secret rotation." in done.stdout
    assert "worktree only" not in done.stdout


# --- --format grouped ---


def test_grouped_names_each_file_once_and_lists_every_finding(demo: Path) -> None:
    diagnostics = _diagnostics(demo, "tasks")
    done = pmlint(demo, "check", *TODAY, "--format", "grouped", "tasks")
    assert done.returncode == 1
    blocks = done.stdout.rstrip("\n").split("\n\n")
    paths = list(dict.fromkeys(str(d["path"]) for d in diagnostics))
    assert [b.splitlines()[0] for b in blocks[:-1]] == [f"{p}:" for p in paths]
    rows = [row.split() for b in blocks[:-1] for row in b.splitlines()[1:]]
    assert [(r[0], r[1]) for r in rows] == [
        (f"{d['line']}:{d['column']}" if d["column"] else str(d["line"]), str(d["code"])) for d in diagnostics
    ]
    assert blocks[-1].startswith("Found ")


def test_check_help_lists_the_new_formats_and_exit_zero(demo: Path) -> None:
    done = pmlint(demo, "check", "--help")
    assert done.returncode == 0
    assert "--exit-zero" in done.stdout and "full" in done.stdout and "grouped" in done.stdout


# --- -V and shell completion ---


def test_dash_v_is_version(demo: Path) -> None:
    short, long = pmlint(demo, "-V"), pmlint(demo, "--version")
    assert (short.returncode, long.returncode) == (0, 0)
    assert short.stdout == long.stdout == f"pmlint, version {__version__}\n"


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _pmlint_completion pmlint"),
        ("zsh", "#compdef pmlint"),
        ("fish", "complete --no-files --command pmlint"),
    ],
)
def test_completion_script_is_printed_for_each_shell(demo: Path, shell: str, marker: str) -> None:
    done = pmlint(demo, env=clean_env(_PMLINT_COMPLETE=f"{shell}_source"))
    assert done.returncode == 0 and done.stderr == ""
    assert marker in done.stdout
    if shell == "bash":
        syntax = subprocess.run(["bash", "-n"], input=done.stdout, capture_output=True, text=True, check=False)
        assert syntax.returncode == 0, syntax.stderr


def test_bash_completion_offers_options_and_formats(demo: Path) -> None:
    def complete(words: str, index: int) -> list[str]:
        env = clean_env(_PMLINT_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=str(index))
        done = pmlint(demo, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    assert "plain,--exit-zero" in complete("pmlint check --exit", 2)
    assert {"plain,full", "plain,grouped", "plain,text"} <= set(complete("pmlint check --format ", 3))
    assert "plain,check" in complete("pmlint ch", 1)


def test_completion_through_an_installed_script_in_bash(demo: Path, tmp_path: Path) -> None:
    """What the README says to put in ~/.bashrc, then a real completion in an interactive-less bash."""
    executable = shutil.which(pmlint_command()[0]) if len(pmlint_command()) == 1 else None
    if executable is None:
        pytest.skip("no `pmlint` script next to the interpreter")
    script = (
        f'export PATH="{Path(executable).parent}:$PATH"\n'
        'eval "$(_PMLINT_COMPLETE=bash_source pmlint)"\n'
        "COMP_WORDS=(pmlint check --format g); COMP_CWORD=3\n"
        "_pmlint_completion pmlint\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {k: v for k, v in clean_env().items() if k != "_PMLINT_COMPLETE"}
    done = subprocess.run(["bash", "-c", script], cwd=demo, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.split()) == ["github", "gitlab", "grouped"]
