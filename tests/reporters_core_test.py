"""The `text` and `json` reporters on the examples/ demo (golden files), colour rules and exit codes.

The demo is copied into a temporary folder and checked with `--today 2026-03-20`.
After an intended change of rules or output, regenerate the golden files with
``PMLINT_UPDATE_GOLDEN=1 pytest tests/reporters_core_test.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from lintkit import CLEAN_PATH, REPO, clean_text

from postmortem_lint.cli import main
from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.reporters import registry
from postmortem_lint.reporters.subjects import CheckReport


def render(name: str, diagnostics: list[Diagnostic], files_checked: int, out: Any, **options: Any) -> None:
    """A check reporter's output for ``diagnostics`` (options as `CheckReport` takes them)."""
    registry.render("check", name, CheckReport(diagnostics, files_checked, **options), out)


GOLDEN = REPO / "tests" / "golden"
TODAY = ("--today", "2026-03-20")
SPEC_KEYS = ["path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message", "fixable", "fix"]
ESC = "\033["


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(REPO / "examples", folder)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *TODAY, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def compare_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PMLINT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with PMLINT_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def test_text_report_of_the_demo_matches_golden(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert (code, err) == (1, "")
    compare_golden("text.txt", out)


def test_json_report_of_the_demo_matches_golden(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--format", "json")
    assert (code, err) == (1, "")
    compare_golden("json.json", out)


def test_json_report_has_exactly_the_spec_shape(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(capsys, "--format", "json", str(demo / "tasks"))
    payload = json.loads(out)
    assert list(payload) == ["version", "files_checked", "summary", "diagnostics"]
    assert payload["version"] == 1 and payload["files_checked"] == 3
    assert list(payload["summary"]) == ["error", "warning", "info"]
    diagnostics = payload["diagnostics"]
    assert diagnostics, "the demo has findings"
    for severity in ("error", "warning", "info"):
        assert payload["summary"][severity] == sum(d["severity"] == severity for d in diagnostics)
    for diagnostic in diagnostics:
        assert list(diagnostic) == SPEC_KEYS
        assert diagnostic["path"].startswith("tasks/post-mortem-") and "\\" not in diagnostic["path"]
        assert diagnostic["line"] >= 1 and diagnostic["end_line"] >= diagnostic["line"]
        assert isinstance(diagnostic["fixable"], bool)
    keys = [(d["path"], d["line"], d["column"], d["code"]) for d in diagnostics]
    assert keys == sorted(keys)


def test_paths_are_relative_to_the_project_root_from_a_subfolder(
    demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (demo / ".pmlint.yaml").write_text("select: [PM2]\n", encoding="utf-8")
    monkeypatch.chdir(demo / "tasks")
    _code, out, _err = run(capsys, "--format", "json", "post-mortem-2026-04-02-payment-webhook-failures.md")
    assert [d["path"] for d in json.loads(out)["diagnostics"]] == ["tasks/post-mortem-2026-04-02-payment-webhook-failures.md"]


def test_json_for_a_clean_run(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--format", "json", "tasks/post-mortem-2026-03-14-checkout-latency.md")
    assert code == 0
    assert json.loads(out) == {"version": 1, "files_checked": 1, "summary": {"error": 0, "warning": 0, "info": 0}, "diagnostics": []}


# --- Text format and colour. ---

ONE = [
    Diagnostic("tasks/a.md", 12, 5, 12, 9, "PM502", "action-owner", "error", "action item AI-001 has no owner (`TBD`)"),
    Diagnostic("tasks/a.md", 13, 0, 13, 0, "PM405", "executive-summary-length", "warning", "executive summary has 1 sentence; write 2–3"),
]


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_lines_and_summary() -> None:
    out = io.StringIO()
    render("text", ONE, 2, out)
    assert out.getvalue() == (
        "tasks/a.md:12:5: PM502 [error] action item AI-001 has no owner (`TBD`)\n"
        "tasks/a.md:13: PM405 [warning] executive summary has 1 sentence; write 2–3\n"
        "Found 1 error, 1 warning in 2 files.\n"
    )
    quiet = io.StringIO()
    render("text", ONE, 2, quiet, quiet=True)
    assert "Found" not in quiet.getvalue()
    clean = io.StringIO()
    render("text", [], 1, clean)
    assert clean.getvalue() == "All clear: no findings in 1 file.\n"


def test_colour_on_a_tty_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    tty, pipe = FakeTTY(), io.StringIO()
    render("text", ONE, 1, tty)
    render("text", ONE, 1, pipe)
    assert ESC + "31m[error]" in tty.getvalue() and ESC + "33m[warning]" in tty.getvalue()
    assert ESC not in pipe.getvalue()


def test_no_color_turns_colour_off_on_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    tty = FakeTTY()
    render("text", ONE, 1, tty)
    assert ESC not in tty.getvalue()


def test_colour_flags(demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """--color forces colour into a pipe (an explicit flag beats NO_COLOR, as no-color.org asks); --no-color never colours."""
    assert ESC not in run(capsys)[1]
    assert ESC in run(capsys, "--color")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in run(capsys)[1]
    assert ESC not in run(capsys, "--no-color")[1]
    assert ESC not in run(capsys, "--format", "json", "--color")[1]


# --- Exit codes. ---


def _write(demo: Path, text: str) -> None:
    for old in (demo / "tasks").glob("*.md"):
        old.unlink()
    (demo / CLEAN_PATH).write_text(text, encoding="utf-8")
    (demo / ".pmlint.yaml").write_text("ignore: [PM7]\n", encoding="utf-8")


def test_exit_0_when_clean(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(demo, clean_text())
    assert run(capsys)[0] == 0
    assert run(capsys, "--strict")[0] == 0


def test_exit_0_with_warnings_only_and_1_with_strict(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(demo, clean_text().replace("and all follow-up actions have owners.", "and all follow-up actions have owners. Done. Really."))
    code, out, _err = run(capsys)
    assert code == 0 and "PM405 [warning]" in out and "Found 1 warning in 1 file." in out
    assert run(capsys, "--strict")[0] == 1


def test_exit_1_with_errors(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(demo, clean_text().replace("**Severity:** SEV-2", "**Severity:** P1"))
    code, out, _err = run(capsys)
    assert code == 1 and "PM204 [error] [-] severity `P1` is not one of SEV-1..SEV-4 (for `P1` write `SEV-1`?)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xml"), "Invalid value for '--format'"),
        (("--today", "2026-02-30"), "2026-02-30 is not a real date (February 2026 has 28 days)"),
        (("--no-such-option",), "No such option"),
        (("tasks/missing.md",), "no such file or directory"),
        (("--jobs", "-1"), "Invalid value for '--jobs'"),
    ],
)
def test_exit_2_for_usage_problems(demo: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
