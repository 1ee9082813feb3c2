"""The catalog table (`checks.CATALOG`) names every rule module and the codes it registers.

A one-file run over cached results imports only the rule modules it needs (the
repository rules' and those of the reported findings), and for a clean file not
even the document model, and reports exactly what a run with every rule module
loaded reports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lintkit import CLEAN, CLEAN_PATH, replace_line

from postmortem_lint import checks
from postmortem_lint.registry import catalog

FLAWED = "tasks/post-mortem-2026-03-15-flawed.md"
MODEL = ("postmortem_lint.model", "postmortem_lint.build", "postmortem_lint.parse")
LOADED = (
    f"import sys; MODEL = {MODEL!r}; from postmortem_lint.cli import main; code = main(sys.argv[1:]); "
    "wanted = [m for m in sys.modules if m.startswith('postmortem_lint.checks.pm') or m in MODEL]; "
    "print(sorted(m.rsplit('.', 1)[1] for m in wanted), file=sys.stderr); "
    "sys.exit(code)"
)


def test_the_table_names_each_module_with_the_codes_it_registers() -> None:
    registered: dict[str, list[str]] = {}
    for code, rule in catalog().items():
        registered.setdefault(rule.check.__module__.rsplit(".", 1)[1], []).append(code)
    assert {module: tuple(codes) for module, codes in registered.items()} == checks.CATALOG


def test_the_repository_rules_are_those_of_repository_scope() -> None:
    assert tuple(code for code, rule in catalog().items() if rule.scope == "repo") == checks.REPOSITORY


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PMLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    (tmp_path / ".git").mkdir()
    (tmp_path / "tasks").mkdir()
    shutil.copy(CLEAN, tmp_path / CLEAN_PATH)
    flawed = replace_line(CLEAN.read_text(encoding="utf-8"), "**Severity:** SEV-2", "**Severity:** SEV-9")
    flawed = flawed.replace("INC-2026-03-14-001", "INC-2026-03-15-001") + "\n<!-- pmlint-disable-next-line PM402 -->\nNothing here.\n"
    (tmp_path / FLAWED).write_text(flawed, encoding="utf-8")
    return tmp_path


def _run(project: Path, *args: str) -> tuple[int, str, list[str]]:
    done = subprocess.run([sys.executable, "-c", LOADED, *args], cwd=project, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, json.loads(done.stderr.strip().splitlines()[-1].replace("'", '"'))


def test_a_cached_one_file_run_loads_only_the_rule_modules_it_needs(project: Path) -> None:
    uncached = _run(project, "check", "--no-cache", FLAWED)
    assert len(uncached[2]) == len(checks.CATALOG) + len(MODEL)
    _run(project, "check", FLAWED)
    code, out, loaded = _run(project, "check", FLAWED)
    assert (code, out) == uncached[:2]
    assert "PM204" in out and "PM901" in out
    assert [m for m in loaded if m.startswith("pm")] == [
        "pm209_future_date",
        "pm2xx_header",
        "pm50x_actions",
        "pm703_tracker",
        "pm7xx_repo",
        "pm901_unused_suppression",
    ]
    (project / FLAWED).unlink()
    _run(project, "check", CLEAN_PATH)
    repository_only = ["pm209_future_date", "pm50x_actions", "pm703_tracker", "pm7xx_repo"]
    assert _run(project, "check", CLEAN_PATH)[2] == repository_only, "no model, no parser"


@pytest.mark.parametrize(
    ("codes", "modules"), [(["PM701"], 1), (["PM701", "PM208"], 2), (["PM701", "PM999"], len(checks.CATALOG)), (None, len(checks.CATALOG))]
)
def test_load_imports_the_modules_of_the_codes_or_every_module_for_an_unknown_one(codes: list[str] | None, modules: int) -> None:
    code = (
        "import sys; from postmortem_lint import checks; "
        f"checks.load({codes!r}); print(sum(m.startswith('postmortem_lint.checks.pm') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stdout) == modules
