"""The generated catalog (`checks.catalog`) names each rule's module, and runs import only the rule modules they run.

A one-file run over cached results imports only the repository rules' modules
(the reported findings' names and severities come from the catalog), and not
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

from postmortem_lint.checks import registry
from postmortem_lint.checks.registry import catalog

FLAWED = "tasks/post-mortem-2026-03-15-flawed.md"
MODEL = ("postmortem_lint.document.model", "postmortem_lint.document.build", "postmortem_lint.document.parse")
LOADED = (
    f"import sys; MODEL = {MODEL!r}; from postmortem_lint.cli import main; code = main(sys.argv[1:]); "
    "wanted = [m for m in sys.modules if m.startswith('postmortem_lint.checks.pm') or m in MODEL]; "
    "print(sorted(m.rsplit('.', 1)[1] for m in wanted), file=sys.stderr); "
    "sys.exit(code)"
)


MODULES = len({info.module for info in catalog().values()})
RUN = len({info.module for info in catalog().values() if info.scope != "engine"})
"""Rule modules in all, and those a run imports (the two engine rules' modules only declare them)."""


def test_each_rule_is_registered_by_the_module_the_catalog_names_with_the_catalog_s_metadata() -> None:
    registry.load()
    for code, info in catalog().items():
        registered = registry.RULES[code]
        assert (registered.info.module, registered.info.scope, registered.info.name, registered.info.severity) == (
            info.module,
            info.scope,
            info.name,
            info.severity,
        )
        assert (registered.check is None) == (info.scope == "engine"), code


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
    assert len(uncached[2]) == RUN + len(MODEL)
    _run(project, "check", FLAWED)
    code, out, loaded = _run(project, "check", FLAWED)
    assert (code, out) == uncached[:2]
    assert "PM204" in out and "PM901" in out
    repository_only = ["pm209_future_date", "pm507_action_overdue", "pm703_tracker", "pm7xx_repo"]
    assert [m for m in loaded if m.startswith("pm")] == repository_only
    (project / FLAWED).unlink()
    _run(project, "check", CLEAN_PATH)
    assert _run(project, "check", CLEAN_PATH)[2] == repository_only, "no model, no parser"


@pytest.mark.parametrize(("codes", "modules"), [(["PM701"], 1), (["PM701", "PM208"], 2), (["PM701", "PM999"], MODULES), (None, MODULES)])
def test_load_imports_the_modules_of_the_codes_or_every_module_for_an_unknown_one(codes: list[str] | None, modules: int) -> None:
    code = (
        "import sys; from postmortem_lint.checks import registry; "
        f"registry.load({codes!r}); print(sum(m.startswith('postmortem_lint.checks.pm') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stdout) == modules
