"""Usage, configuration and I/O problems: exit 2 with one line naming the file (and line), never a traceback.

A bad post-mortem is not one of them: it is a PM000 finding (exit 1) and the run goes on.
An internal error prints a short message saying how to report it, and exits 2.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lintkit import CLEAN, CLEAN_PATH
from repokit import clean_env

from postmortem_lint import cli
from postmortem_lint.checks import registry
from postmortem_lint.commands import group
from postmortem_lint.lint import linter

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"

BAD_YAML = {
    "unknown-key": (
        "include:\n  - tasks/post-mortem-*.md\nseverty:\n  PM502: warning\n",
        ":3: severty: unknown key (did you mean severity?)",
    ),
    "syntax": ("include: [\n", ".pmlint.yaml:2: "),
    "python-tag": (
        'include: !!python/object/apply:os.system ["echo PWNED"]\n',
        ":1: YAML tag `tag:yaml.org,2002:python/object/apply:os.system`",
    ),
    "custom-tag": ("include:\n  - !include other.yaml\n", ":2: YAML tag `!include` is not allowed"),
    "alias-bomb": (ALIAS_BOMB, ".pmlint.yaml: YAML anchors and aliases are not allowed"),
    "oversized": ("ignore:\n" + "  - PM101\n" * 30_000, "over the 256,000-byte limit"),
    "deep-nesting": ("include: " + "[" * 20_000 + "]" * 20_000 + "\n", ".pmlint.yaml: nested too deeply"),
    "bad-value": ("severity:\n  PM502: loud\n", ":2: severity.PM502: the text 'loud' is not one of error, warning, info, off"),
    "bad-type": ('incident-number-width: "three"\n', ":1: incident-number-width: expected a whole number, found the text 'three'"),
    "bad-code": ("select: [PM5, BOGUS]\n", ":1: select: unknown rule code BOGUS"),
    "not-a-mapping": ("- a\n- b\n", ":1: the configuration must be a mapping of keys"),
    "duplicate-key": ("include: [a]\ninclude: [b]\n", ':2: found duplicate key "include"'),
    "bad-regex": ('blame:\n  extra-phrases: ["re:(unclosed"]\n', ":2: blame.extra-phrases: `re:(unclosed` does not compile"),
    "absolute-include": ('include: ["/etc/*"]\n', ":1: include: `/etc/*` must be a glob relative to the project root"),
    "missing-sections-pack": ("sections: nowhere.yaml\n", ".pmlint.yaml:1: sections: nowhere.yaml does not exist"),
    "bad-sections-pack": ("sections: .pmlint.yaml\n", ".pmlint.yaml: sections: expected a list, found the text '.pmlint.yaml'"),
}
"""`.pmlint.yaml` content -> what the one-line message must say."""

BAD_TOML = {
    "unknown-key": ("[tool.pmlint]\nseverty = 1\n", "pyproject.toml:2: severty: unknown key (did you mean severity?)"),
    "syntax": ('[tool.pmlint]\nselect = ["PM1"]\nx = = 2\n', "pyproject.toml:3: x: Invalid value"),
    "unclosed": ("[tool.pmlint]\nselect = [\n", "pyproject.toml:2: "),
    "bad-value": ('[tool.pmlint]\n[tool.pmlint.severity]\nPM502 = "loud"\n', "pyproject.toml:3: severity.PM502"),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "tasks").mkdir()
    shutil.copy(CLEAN, tmp_path / CLEAN_PATH)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str, *needles: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("pmlint: error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_yaml_configuration_is_one_line_with_file_and_line(case: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, expected = BAD_YAML[case]
    (project / ".pmlint.yaml").write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "check", "--today", "2026-03-20")
    assert code == 2 and out == ""
    _one_line_error(err, expected)


@pytest.mark.parametrize("case", sorted(BAD_TOML))
def test_bad_pyproject_table_is_one_line_with_file_and_line(case: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, expected = BAD_TOML[case]
    (project / "pyproject.toml").write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "check")
    assert code == 2 and out == ""
    _one_line_error(err, expected)


@pytest.mark.parametrize("command", [["check"], ["track", "--check"], ["actions"], ["new", "x", "--no-input", "--date", "2026-03-20"]])
def test_every_command_reports_a_bad_configuration_the_same_way(
    command: list[str], project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not (Path(cli.__file__).parent / "commands" / f"{group.COMMANDS[command[0]][0]}.py").exists():
        pytest.skip(f"no `pmlint {command[0]}`")
    (project / ".pmlint.yaml").write_text("include: !!python/object/apply:os.system [touch pwned]\n", encoding="utf-8")
    code, _out, err = _run(capsys, *command)
    assert code == 2 and not (project / "pwned").exists()
    _one_line_error(err, ".pmlint.yaml:1: YAML tag")


def test_a_configuration_file_named_explicitly_must_exist(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, "check", "--config", "nowhere.yaml")
    assert code == 2
    _one_line_error(err, "nowhere.yaml: configuration file not found")


def test_missing_path_names_the_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "check", CLEAN_PATH, "tasks/post-mortem-2026-01-01-gone.md")
    assert code == 2 and out == ""
    _one_line_error(err, "tasks/post-mortem-2026-01-01-gone.md: no such file or directory")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--bogus"], "No such option '--bogus'"),
        (["check", "--format", "xml"], "Invalid value for '--format'"),
        (["check", "--today", "2026-13-01"], "2026-13-01 is not a real date (there is no month 13)"),
        (["check", "--jobs", "-1"], "Invalid value for '--jobs'"),
        (["bogus"], "No such command 'bogus'"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], needle: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, *args)
    assert code == 2 and out == "" and "Traceback" not in err
    assert needle in err and err.count("pmlint: error: ") == 1 and len(err.splitlines()) == 1


def test_unwritable_report_file_is_an_io_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, "check", "-o", "no/such/folder/report.json")
    assert code == 2
    _one_line_error(err, "no/such/folder/report.json: cannot write the report")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file anyway; see the directory and symlink cases")
def test_unreadable_file_is_pm000_and_the_run_goes_on(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = project / "tasks" / "post-mortem-2026-01-01-locked.md"
    locked.write_text("# Post-Mortem: Locked\n")
    locked.chmod(0o000)
    try:
        code, out, _err = _run(capsys, "check", "--today", "2026-03-20", "--select", "PM000")
    finally:
        locked.chmod(0o644)
    assert code == 1 and "post-mortem-2026-01-01-locked.md:1: PM000" in out and "Permission denied" in out


@pytest.mark.parametrize("kind", ["directory", "dangling-symlink"])
def test_unreadable_entry_is_pm000_and_the_run_goes_on(kind: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = project / "tasks" / "post-mortem-2026-01-01-odd.md"
    if kind == "directory":
        entry.mkdir()
    else:
        entry.symlink_to(project / "gone.md")
    code, out, err = _run(capsys, "check", "--today", "2026-03-20", "--format", "json", "tasks")
    assert code == 1 and "Traceback" not in err
    assert '"code": "PM000"' in out and "post-mortem-2026-01-01-odd.md" in out
    assert CLEAN_PATH in out, "the other files are still checked"


def _boom(*_args: object) -> object:
    raise RuntimeError("boom")


def test_internal_error_is_two_short_lines_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.load(["PM204"])
    monkeypatch.setitem(registry.RULES, "PM204", registry.RULES["PM204"]._replace(check=_boom))
    linter.document_rules.cache_clear()
    try:
        code, _out, err = _run(capsys, "check", "--no-cache", "--today", "2026-03-20")
    finally:
        monkeypatch.undo()
        linter.document_rules.cache_clear()
    lines = err.strip().splitlines()
    assert code == 2 and "Traceback" not in err
    assert len(lines) == 2
    assert lines[0].startswith("pmlint: internal error: RuntimeError: boom at errors_test.py:")
    assert "this is a bug; please report it" in lines[1] and group.BUG_URL in lines[1]


def test_internal_error_in_a_real_process_has_no_traceback(project: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from postmortem_lint import cli
        from postmortem_lint.checks import registry
        from postmortem_lint.lint import engine

        def boom(*args):
            raise KeyError("surprise")

        registry.load(["PM301"])
        registry.RULES["PM301"] = registry.RULES["PM301"]._replace(check=boom)
        sys.exit(cli.main(sys.argv[1:]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache"], cwd=project, env=clean_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("pmlint: internal error: KeyError: 'surprise'") and len(done.stderr.splitlines()) == 2
