"""`pmlint server` and `pmlint mcp` as commands: the extras they need, and what the one-file check never imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text
from repokit import clean_env, make_repo, write

HEAVY = ("pygls", "lsprotocol", "mcp", "postmortem_lint.servers")


def _run(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, check=False)


def test_the_one_file_check_imports_no_server_library(tmp_path: Path) -> None:
    make_repo(tmp_path)
    write(tmp_path, CLEAN_PATH, clean_text())
    code = (
        "import sys; from postmortem_lint.cli import main; code = main(sys.argv[1:]); "
        f"print(code, sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY[:3]!r} or m.startswith({HEAVY[3]!r})), file=sys.stderr)"
    )
    for args in ((CLEAN_PATH,), ("--no-cache", CLEAN_PATH), ("--format", "json", CLEAN_PATH)):
        done = _run(code, "check", *args, cwd=tmp_path)
        assert done.stderr.strip().splitlines()[-1] == "0 []", (args, done.stderr)


@pytest.mark.parametrize(
    ("command", "extra", "blocked"), [("server", "lsp", "pygls"), ("server", "lsp", "lsprotocol"), ("mcp", "mcp", "mcp")]
)
def test_a_missing_extra_is_a_one_line_hint(tmp_path: Path, command: str, extra: str, blocked: str) -> None:
    code = f"import sys; sys.modules[{blocked!r}] = None; from postmortem_lint.cli import main; sys.exit(main(sys.argv[1:]))"
    done = _run(code, command, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"pmlint: error: pmlint {command} needs the {extra} extra: pip install 'pmlint[{extra}]'\n"


@pytest.mark.parametrize("command", ["server", "mcp"])
def test_the_servers_are_listed_and_documented(command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "postmortem_lint", command, "--help"], env=clean_env(), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "stdio" in done.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "postmortem_lint", "--help"], env=clean_env(), capture_output=True, text=True, check=False
    )
    assert f"  {command} " in listed.stdout
