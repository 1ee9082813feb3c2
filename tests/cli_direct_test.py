"""`pmlint check PATH...` (with at most on/off options) runs without click, and does exactly what the click group does.

Each case runs the same command line both ways, through `cli.main` (the direct
path) and through the click group, and compares exit code, stdout and stderr.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from lintkit import CLEAN, CLEAN_PATH, replace_line

from postmortem_lint import cli
from postmortem_lint.commands import check

FLAWED = "tasks/post-mortem-2026-03-15-flawed.md"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PMLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv(cli.COMPLETE_VAR, raising=False)
    (tmp_path / ".git").mkdir()
    (tmp_path / "tasks").mkdir()
    shutil.copy(CLEAN, tmp_path / CLEAN_PATH)
    flawed = replace_line(CLEAN.read_text(encoding="utf-8"), "**Severity:** SEV-2", "**Severity:** SEV-9")
    (tmp_path / FLAWED).write_text(flawed.replace("INC-2026-03-14-001", "INC-2026-03-15-001"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _both_ways(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple[int, str, str]:
    """The outcome of ``args`` through `cli.main`, after asserting that the click group gives the same."""
    direct = cli.main(args), *capsys.readouterr()
    with monkeypatch.context() as patched:
        patched.setattr(cli, "_plain_check", lambda args: None)
        through_click = cli.main(args), *capsys.readouterr()
    assert direct == through_click
    return direct


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", CLEAN_PATH], 0),
        (["check", FLAWED], 1),
        (["check", CLEAN_PATH, FLAWED], 1),
        (["check", "tasks"], 1),
        (["check"], 1),
        (["check", "tasks/post-mortem-2026-03-16-missing.md"], 2),
        (["check", "--no-cache", FLAWED], 1),
        (["check", FLAWED, "-q", "--no-cache"], 1),
        (["check", "--strict", "--quiet", "--quiet", CLEAN_PATH], 1),
        (["check", "--statistics", FLAWED, CLEAN_PATH], 1),
        (["check", "--staged", FLAWED], 2),
        (["check", "--exit-zero", FLAWED], 0),
        (["check", FLAWED, "--strict", "--exit-zero", "-q"], 0),
    ],
)
def test_a_plain_check_does_what_the_click_group_does(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], code: int
) -> None:
    assert cli._plain_check(args) is not None
    assert _both_ways(capsys, monkeypatch, args)[0] == code


def test_a_configuration_error_is_the_same_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".pmlint.yaml").write_text("severty: {}\n", encoding="utf-8")
    code, out, err = _both_ways(capsys, monkeypatch, ["check", CLEAN_PATH])
    assert (code, out) == (2, "")
    assert err.startswith("pmlint: error: ") and "severty" in err


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--version"],
        ["-V"],
        ["check", "--format", "full", CLEAN_PATH],
        ["check", "--format", "json", CLEAN_PATH],
        ["check", CLEAN_PATH, "-qq"],
        ["check", "--no-cach", CLEAN_PATH],
        ["check", "--today=2026-03-20", CLEAN_PATH],
        ["check", "--", CLEAN_PATH],
        ["check", ""],
        ["rules"],
        ["new", "check"],
    ],
)
def test_anything_else_goes_through_click(args: list[str]) -> None:
    assert cli._plain_check(args) is None


def test_shell_completion_goes_through_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cli.COMPLETE_VAR, "bash_complete")
    assert cli._plain_check(["check", CLEAN_PATH]) is None


def test_an_unreadable_path_is_left_to_click_s_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.os, "access", lambda path, mode: False)
    assert cli._plain_check(["check", CLEAN_PATH]) is None
    assert cli._plain_check(["check", "tasks/post-mortem-2026-03-16-missing.md"]) is not None


def test_an_interrupt_is_reported_as_click_reports_it(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:

    def interrupted(options: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(check, "run_check", interrupted)
    assert _both_ways(capsys, monkeypatch, ["check", CLEAN_PATH]) == (2, "", "\npmlint: aborted\n")


def test_a_plain_check_imports_no_click(project: Path) -> None:
    code = "import sys; from postmortem_lint.cli import main; main(sys.argv[1:]); print('click' in sys.modules, file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", code, "check", CLEAN_PATH], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stderr.strip().splitlines()[-1] == "False"
    done = subprocess.run([sys.executable, "-c", code, "check", "-o", "out.txt", CLEAN_PATH], capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "True"


def test_output_to_a_closed_pipe_exits_1_quietly(project: Path) -> None:
    script = f"{sys.executable} -m postmortem_lint check tasks | head -c 0"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr == ""


def test_the_fast_path_s_flags_are_the_click_command_s_on_off_options() -> None:
    """Both come from `commands.check_options.OPTIONS`: a flag added there is on the fast path too."""
    command = check.check_command
    flags = {opt: p.name for p in command.params if isinstance(p, click.Option) and p.is_flag and not p.secondary_opts for opt in p.opts}
    assert flags == cli.FLAGS
    assert {"--no-cache", "--strict", "--staged", "--statistics", "--quiet", "-q", "--fix"} <= set(cli.FLAGS)


def test_every_option_of_the_click_command_reaches_check_options() -> None:
    renamed = {"format_": "format"}
    given = {renamed.get(p.name, p.name) for p in check.check_command.params if p.name}
    assert given == set(check.CheckOptions._fields)
