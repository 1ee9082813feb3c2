"""`action.yml`, the composite GitHub Action: valid metadata, and its steps run as a runner would run them.

The metadata is checked against the GitHub Actions schema that check-jsonschema
vendors (offline). The steps are run here with bash as GitHub runs a `shell: bash`
step (`bash --noprofile --norc -eo pipefail`), with the step's `env` and
`working-directory` evaluated from the inputs: the install step once, into a fresh
virtual environment from this checkout (as `github.action_path`), then the check
step with different inputs in real git repositories.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from e2e_git_test import _branches
from lintkit import REPO
from repokit import ENV, commit, init
from ruamel.yaml import YAML

from postmortem_lint import __version__

ACTION = REPO / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
FLAWED = "tasks/post-mortem-2026-04-02-payment-webhook-failures.md"


def metadata() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    return loaded


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)], capture_output=True, text=True, check=False
    )


def test_action_metadata_validates_against_the_github_actions_schema() -> None:
    done = check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_a_composite_step_without_shell(tmp_path: Path) -> None:
    """The check above can fail: without `shell:` (which composite steps require) the same file is rejected."""
    broken = tmp_path / "action.yml"
    broken.write_text(ACTION.read_text(encoding="utf-8").replace("      shell: bash\n", "", 1), encoding="utf-8")
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1


def test_action_has_the_inputs_and_runs_every_step_with_a_shell() -> None:
    action = metadata()
    assert {"args", "format", "against", "sarif"} <= set(action["inputs"])
    assert action["runs"]["using"] == "composite"
    assert all(step.get("shell") == "bash" for step in action["runs"]["steps"] if "run" in step)
    assert action["inputs"]["format"]["default"] == "github"


def test_inputs_reach_the_scripts_only_through_the_environment() -> None:
    """No `${{ }}` inside a `run:` script (an input could inject shell code); every expression is one `evaluate` knows."""
    for step in metadata()["runs"]["steps"]:
        assert not EXPRESSION.search(step.get("run", "")), step["name"]
        for value in [*step.get("env", {}).values(), step.get("working-directory", "")]:
            for expression in EXPRESSION.findall(value):
                evaluate(expression, {}, Path("/"))


# --- Running the steps. ---


def evaluate(expression: str, inputs: dict[str, str], action_path: Path) -> str:
    """The value of one of the few expressions action.yml uses; anything else fails the test."""
    if expression == "github.action_path":
        return str(action_path)
    name = expression.removeprefix("inputs.")
    defaults = {k: str(v.get("default", "")) for k, v in metadata()["inputs"].items()}
    assert name != expression and name in defaults, f"unknown expression {expression!r}"
    return inputs.get(name, defaults[name])


Ran = tuple[subprocess.CompletedProcess[str], str]


def run_step(step: dict[str, Any], inputs: dict[str, str], workspace: Path, runner_temp: Path) -> Ran:
    """One `shell: bash` step as the runner runs it; the result and what the step wrote to `$GITHUB_OUTPUT`."""
    assert step["shell"] == "bash"

    def substitute(value: str) -> str:
        return EXPRESSION.sub(lambda m: evaluate(m.group(1), inputs, REPO), value)

    outputs = runner_temp / f"output-{os.getpid()}-{id(inputs)}"
    outputs.write_text("", encoding="utf-8")
    env = {k: v for k, v in ENV.items() if k != "PYTHONPATH"}
    env.update(RUNNER_TEMP=str(runner_temp), GITHUB_OUTPUT=str(outputs), NO_COLOR="1")
    env.update({k: substitute(v) for k, v in step.get("env", {}).items()})
    script = runner_temp / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    cwd = workspace / substitute(step.get("working-directory", "."))
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    return done, outputs.read_text(encoding="utf-8")


def step(name: str) -> dict[str, Any]:
    [found] = [s for s in metadata()["runs"]["steps"] if s["name"] == name]
    return found


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`$RUNNER_TEMP` after the install step ran: pmlint installed from this checkout into a fresh venv."""
    temp = tmp_path_factory.mktemp("runner-temp")
    done, _ = run_step(step("Install pmlint"), {}, temp, temp)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (temp / "pmlint-venv" / "bin" / "pmlint").is_file()
    return temp


def check(workspace: Path, runner_temp: Path, **inputs: str) -> Ran:
    return run_step(step("pmlint check"), inputs, workspace, runner_temp)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The examples/ demo as a git repository: one flawed post-mortem among three."""
    repo = init(tmp_path / "repo")
    shutil.copytree(REPO / "examples", repo, dirs_exist_ok=True)
    commit(repo, "demo")
    return repo


def test_installed_pmlint_is_this_checkout(runner_temp: Path) -> None:

    done = subprocess.run([str(runner_temp / "pmlint-venv" / "bin" / "pmlint"), "-V"], capture_output=True, text=True, check=False)
    assert done.stdout == f"pmlint, version {__version__}\n"


def test_default_inputs_annotate_and_fail_on_findings(demo: Path, runner_temp: Path) -> None:
    done, outputs = check(demo, runner_temp, args="--today 2026-03-20")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert f"file={FLAWED}," in lines[0]
    assert outputs == ""


def test_format_and_args_are_passed_on_word_by_word(demo: Path, runner_temp: Path) -> None:
    done, _ = check(demo, runner_temp, format="grouped", args=" --today 2026-03-20\n  --select PM2  tasks ")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == f"{FLAWED}:"
    codes = {row.split()[1] for row in done.stdout.splitlines() if row.startswith("  ")}
    assert codes and all(code.startswith("PM2") for code in codes)
    assert check(demo, runner_temp, args="--exit-zero --today 2026-03-20")[0].returncode == 0


def test_args_are_not_evaluated_by_the_shell(demo: Path, runner_temp: Path) -> None:
    done, _ = check(demo, runner_temp, args="*.md $(touch pwned) `touch pwned2`")
    assert not (demo / "pwned").exists() and not (demo / "pwned2").exists()
    assert done.returncode == 2 and "*.md: no such file" in done.stderr


def test_sarif_is_written_even_when_findings_fail_the_step(demo: Path, runner_temp: Path) -> None:
    done, outputs = check(demo, runner_temp, sarif="pmlint.sarif", args="--today 2026-03-20")
    assert done.returncode == 1, done.stderr
    log = json.loads((demo / "pmlint.sarif").read_text(encoding="utf-8"))
    results = log["runs"][0]["results"]
    assert len(results) == sum(1 for line in done.stdout.splitlines() if line.startswith("::"))
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {FLAWED}
    assert outputs == f"sarif={demo / 'pmlint.sarif'}\n"


def test_a_usage_error_fails_the_step_before_any_sarif(demo: Path, runner_temp: Path) -> None:
    done, outputs = check(demo, runner_temp, sarif="pmlint.sarif", args="--today 2026-13-01")
    assert done.returncode == 2 and "2026-13-01" in done.stderr
    assert outputs == "" and not (demo / "pmlint.sarif").exists()


def test_against_catches_a_number_the_base_branch_took(tmp_path: Path, runner_temp: Path) -> None:
    repo = init(tmp_path / "repo")
    _branches(repo)
    assert check(repo, runner_temp, args="--select PM701")[0].returncode == 0
    done, _ = check(repo, runner_temp, against="main", args="--select PM701")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("::error file=tasks/post-mortem-2026-03-14-db-failover.md,line=3,")
    unknown, _ = check(repo, runner_temp, against="origin/nope")
    assert unknown.returncode == 2 and "origin/nope" in unknown.stderr


def test_working_directory_is_where_pmlint_runs(tmp_path: Path, runner_temp: Path) -> None:
    repo = init(tmp_path / "repo")
    shutil.copytree(REPO / "examples", repo / "docs" / "incidents")
    (repo / "docs" / "incidents" / ".pmlint.yaml").write_text("select: [PM2]\n", encoding="utf-8")
    commit(repo, "demo in a sub-folder")
    done, _ = check(repo, runner_temp, **{"working-directory": "docs/incidents", "args": "--today 2026-03-20"})
    assert done.returncode == 1, done.stderr
    assert f"file=docs/incidents/{FLAWED}," in done.stdout and "PM2" in done.stdout
