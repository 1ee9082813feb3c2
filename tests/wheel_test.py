"""The wheel ships rules/ and scaffolds/ and works installed in a fresh virtual environment.

Builds the wheel (isolated build: hatchling comes from the package index), installs
it with its dependencies into a new venv, and runs the installed `pmlint` on a
copy of examples/. Takes about half a minute; runs in CI like every other test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lintkit import REPO

GOLDEN_TEXT = REPO / "tests" / "golden" / "text.txt"


def _run(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)])
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    [built] = out.glob("pmlint-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with the wheel installed."""
    venv = tmp_path_factory.mktemp("venv")
    assert _run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    bin_dir = venv / "bin"
    done = _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)])
    assert done.returncode == 0, done.stderr[-2000:]
    return bin_dir


def _shipped(folder: str) -> set[str]:
    return {p.relative_to(REPO).as_posix() for p in (REPO / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_wheel_holds_the_rule_data_and_scaffolds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = _shipped("rules") | _shipped("scaffolds")
    assert {"rules/sections.yaml", "rules/compiled.json", "scaffolds/post-mortem.md", "scaffolds/tracking.md"} <= data
    missing = {f"postmortem_lint/_data/{name}" for name in data} - names
    assert not missing, f"not in the wheel: {sorted(missing)}"
    assert "postmortem_lint/checks/pm50x_actions.py" in names
    assert not any(name.startswith(("tests/", "examples/", "benchmarks/")) for name in names)


def test_installed_pmlint_lists_and_explains_rules(installed: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    listed = _run([str(installed / "pmlint"), "rules"], env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0].split()[:2] == ["code", "name"]
    assert "PM502   action-owner" in listed.stdout
    explained = _run([str(installed / "pmlint"), "rule", "PM301"], env=env)
    assert explained.returncode == 0 and "## Use instead" in explained.stdout


def test_installed_pmlint_finds_its_data_outside_the_source_tree(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = "from postmortem_lint.io.resources import data_path as p; print(p('rules/sections.yaml')); print(p('scaffolds/post-mortem.md'))"
    done = _run([str(installed / "python"), "-c", code], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        assert "/site-packages/postmortem_lint/_data/" in line and Path(line).is_file()


def test_installed_pmlint_checks_the_demo(installed: Path, tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(REPO / "examples", demo)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    done = _run([str(installed / "pmlint"), "check", "--today", "2026-03-20"], cwd=demo, env=env)
    assert done.returncode == 1, done.stderr
    assert done.stdout == GOLDEN_TEXT.read_text(encoding="utf-8")
    clean = _run(
        [str(installed / "pmlint"), "check", "--today", "2026-03-20", "tasks/post-mortem-2026-03-14-checkout-latency.md"], cwd=demo, env=env
    )
    assert clean.returncode == 0 and clean.stdout.startswith("All clear"), clean.stdout + clean.stderr
