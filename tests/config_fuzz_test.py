"""No input to any command is an internal error: random configuration files and random command lines.

Hypothesis writes a `.pmlint.yaml` or a `[tool.pmlint]` table with random values
for every key (good ones, wrong types, dates that are no day, zone names,
paths that leave the project, unknown codes) and runs a random command line,
built from every command's real options and values plus junk, through
`postmortem_lint.cli.main` in a real git repository. Whatever it draws, the
exit code is 0, 1 or 2 and stderr never says "internal error" or "Traceback".
A few drawn cases also run through the real `pmlint` executable.

Budget: ``PMLINT_FUZZ_EXAMPLES`` (default 150 here) examples per property, no
deadline; nothing a command writes can leave the temporary repository (paths
in the vocabulary are relative and junk holds no path separator).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lintkit import CLEAN, CLEAN_PATH
from repokit import clean_env, make_repo, pmlint

from postmortem_lint import cli
from postmortem_lint.commands import group as commands
from postmortem_lint.config.schema import keys

EXAMPLES = int(os.environ.get("PMLINT_FUZZ_EXAMPLES", "150"))
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

RAW = "raw:"
"""A value written unquoted into the file as it is (YAML/TOML dates and oddities)."""

NASTY_TEXT = [
    "", " ", ".", "..", "../../etc/passwd", "/tmp/outside.md", "/etc", "C:\\x", "tasks", "tasks/", "docs/TRACKING.md",
    "POST_MORTEM_TRACKING.md", "nowhere.yaml", ".pmlint.yaml", "pyproject.toml", ".git", ".git/config", "CODEOWNERS",
    "roster.txt", "link-out", "tasks/post-mortem-*.md", "**/*.md", "*", "[", "Mars/Olympus", "Europe/Paris", "UTC", "../UTC",
    "\x00", "PM5", "PM999", "PM60l", "ALL", "all", "E501", "re:(", "re:(a+)+", "re:(?i)x", "re:", "human-error", "human error",
    "2025-13-01", "2025-02-30", "2025-01-01", "last tuesday", "error", "warning", "off", "loud", "é", "\u202e", "x" * 300,
]  # fmt: skip
RAW_SCALARS = [
    f"{RAW}{s}" for s in ("2025-13-01", "2025-02-30", "2025-01-01", "2025-01-01T10:00:00", "10:00:00", "0000-01-01", "9999-12-31")
]
SCALARS = st.one_of(
    st.sampled_from(NASTY_TEXT + RAW_SCALARS),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates().map(dt.date.isoformat),
)
SEVERITIES = st.sampled_from(["error", "warning", "info", "off"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(NASTY_TEXT) | st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
GOOD = {
    "include": st.lists(st.sampled_from(["tasks/post-mortem-*.md", "tasks/*.md", "**/*.md", "other/*.md"]), min_size=1, max_size=2),
    "exclude": st.lists(st.sampled_from(["tasks/PRD-*.md", "tasks/notes.md", "**/draft-*.md"]), max_size=2),
    "folder": st.sampled_from(["tasks", "other", "."]),
    "tracker": st.sampled_from(["POST_MORTEM_TRACKING.md", "docs/TRACKING.md", "tasks/TRACK.md"]),
    "select": st.lists(st.sampled_from(["PM1", "PM5", "PM502", "ALL", "pm9"]), max_size=3),
    "ignore": st.lists(st.sampled_from(["PM4", "PM405", "PM7", "ALL"]), max_size=3),
    "fixable": st.lists(st.sampled_from(["PM2", "PM504", "ALL", "pm9"]), max_size=3),
    "unfixable": st.lists(st.sampled_from(["PM4", "PM408", "PM7", "ALL"]), max_size=3),
    "severity": st.dictionaries(
        st.sampled_from(["PM405", "PM5", "ALL", "PM901"]), st.sampled_from(["error", "warning", "info", "off"]), max_size=2
    ),
    "per-file-ignores": st.dictionaries(
        st.sampled_from(["tasks/*.md", "*"]), st.lists(st.sampled_from(["PM4", "ALL"]), max_size=2), max_size=2
    ),
    "incident-number-width": st.integers(min_value=1, max_value=6),
    "numbers-tolerance": st.integers(min_value=0, max_value=1440),
    "timeline-gap": st.integers(min_value=1, max_value=10080),
    "owners": st.sampled_from(["roster.txt", "CODEOWNERS"]),
    "since": st.sampled_from([f"{RAW}2025-01-01", "2026-03-15", f"{RAW}2030-01-01"]),
    "sections": st.sampled_from(["pack.yaml"]),
    "template": st.sampled_from(["seed", "google-sre", "dfds"]),
    "timezone": st.sampled_from(["UTC", "Europe/Paris", "America/New_York"]),
    "blame.extra-phrases": st.lists(
        st.sampled_from(["dropped the ball", "re:\\bsloppy\\b", {"phrase": "yolo deploy", "replace": "unreviewed deploy"}]), max_size=2
    ),
    "blame.allow": st.lists(st.sampled_from(["human-error", "human factors"]), max_size=2),
}
"""Valid values per key (`keys()` is the list of every key: a new key without an entry here fails the test below)."""


@st.composite
def configuration(draw: st.DrawFn) -> dict[str, Any]:
    """A mapping of (dotted) keys to values, each good or anything, plus sometimes an unknown key."""
    chosen = draw(st.lists(st.sampled_from([k for k in keys() if k != "blame"]), unique=True, max_size=6))
    found = {key: draw(GOOD[key] if draw(st.booleans()) else VALUES) for key in chosen}
    if draw(st.integers(0, 9)) == 0:
        found[draw(st.sampled_from(["blame", "colour", "severty", "tool"]))] = draw(VALUES)
    return found


@st.composite
def good_configuration(draw: st.DrawFn) -> dict[str, Any]:
    """A valid configuration (mostly): the command lines then reach the commands' own work."""
    chosen = draw(st.lists(st.sampled_from(sorted(GOOD)), unique=True, max_size=4))
    return {key: draw(GOOD[key]) for key in chosen}


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        if key.startswith("blame.") and not isinstance(nested.get("blame", {}), dict):
            continue
        if key.startswith("blame."):
            nested.setdefault("blame", {})[key.removeprefix("blame.")] = value
        elif key == "blame" and "blame" in nested:
            continue
        else:
            nested[key] = value
    return nested


def yaml_value(value: Any) -> str:
    if isinstance(value, str) and value.startswith(RAW):
        return value.removeprefix(RAW)
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {yaml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def to_yaml(data: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(key)}: {yaml_value(value)}\n" for key, value in data.items())


def toml_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.startswith(RAW):
        return value.removeprefix(RAW)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value == float("inf") else "-inf" if value == float("-inf") else repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(v for v in map(toml_value, value) if v is not None) + "]"
    if isinstance(value, dict):
        parts = (f"{json.dumps(str(k))} = {v}" for k, v in ((k, toml_value(v)) for k, v in value.items()) if v is not None)
        return "{" + ", ".join(parts) + "}"
    return json.dumps(value)


def to_toml(data: dict[str, Any]) -> str:
    lines = ['[project]\nname = "demo"\n\n[tool.pmlint]']
    for key, value in data.items():
        written = toml_value(value)
        if written is not None:
            lines.append(f"{json.dumps(key)} = {written}")
    return "\n".join(lines) + "\n"


JUNK = st.text(alphabet=st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)), max_size=10)
"""Junk arguments: no path separator, so nothing a command writes can leave the repository."""
PATHS = ["tasks", CLEAN_PATH, "tasks/post-mortem-2026-01-01-gone.md", "missing.md", "out.json", ".pmlint.yaml", "msg.txt", "."]
VALUES_BY_KIND = {
    "date": ["2026-03-20", "2026-13-01", "2026-02-30", "20260320", "today"],
    "int": ["0", "1", "2", "-1", "999999", "x"],
    "codes": ["PM5", "PM60l", "PM999", "ALL", "pm4,pm5", "", ",", "PM502,E501"],
    "ref": ["HEAD", "main", "nope", "HEAD~5", "--all"],
}


def _values_for(param: click.Parameter) -> list[str]:
    if isinstance(param.type, click.Choice):
        return [str(c) for c in param.type.choices] + ["xml"]
    name = param.name or ""
    if name in ("select", "ignore"):
        return VALUES_BY_KIND["codes"]
    if name in ("today", "date"):
        return VALUES_BY_KIND["date"]
    if isinstance(param.type, (click.IntRange, click.types.IntParamType)):
        return VALUES_BY_KIND["int"]
    if name in ("changed_since", "against"):
        return VALUES_BY_KIND["ref"]
    return [*PATHS, "SEV-1", "a", "lt-5m", "config", "Dana Cho"]


def _vocabulary() -> dict[str, list[tuple[str, list[str] | None]]]:
    """Each command's options: (flag, values) with None for an on/off flag."""
    group = cli.group()
    ctx = click.Context(group)
    vocabulary: dict[str, list[tuple[str, list[str] | None]]] = {}
    for name in commands.COMMANDS:
        command = group.get_command(ctx, name)
        assert command is not None
        options: list[tuple[str, list[str] | None]] = []
        for param in command.params:
            if isinstance(param, click.Option):
                values = None if param.is_flag else _values_for(param)
                options.extend((flag, values) for flag in (*param.opts, *param.secondary_opts) if flag not in ("--help", "-h"))
        vocabulary[name] = options
    return vocabulary


VOCABULARY = _vocabulary()


@st.composite
def argv(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from([*sorted(VOCABULARY), "bogus", "--version", "-V"]))
    args = [command]
    for _ in range(draw(st.integers(0, 5))):
        pick = draw(st.integers(0, 9))
        options = VOCABULARY.get(command, [])
        if pick < 6 and options:
            flag, values = draw(st.sampled_from(options))
            args.append(flag)
            if values is not None and draw(st.integers(0, 9)):
                args.append(draw(st.sampled_from(values) | JUNK))
        elif pick < 8:
            args.append(draw(st.sampled_from([*PATHS, "PM502", "PM5", "title with spaces"])))
        else:
            args.append(draw(JUNK | st.sampled_from(["--", "-", "--bogus", "-x", "--format=json", "--select=PM99"])))
    return args


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with a clean post-mortem, a roster, a pack and a symlink out of the repository."""
    root = make_repo(tmp_path_factory.mktemp("fuzz") / "repo")
    (root / "tasks").mkdir()
    shutil.copy(CLEAN, root / CLEAN_PATH)
    (root / "roster.txt").write_text("Dana Cho\nDaniel Okafor\n", encoding="utf-8")
    (root / "pack.yaml").write_text("sections:\n  - name: Executive Summary\n", encoding="utf-8")
    (root / "msg.txt").write_text("\n", encoding="utf-8")
    (root / "link-out").symlink_to(tmp_path_factory.getbasetemp())
    return root


@contextlib.contextmanager
def _inside(root: Path) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
    finally:
        sys.stdin = stdin


def run_in_process(root: Path, args: list[str]) -> tuple[int, str]:
    with _inside(root) as (_out, err):
        try:
            code = cli.main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, err.getvalue()


def _reset(root: Path) -> None:
    for name in (".pmlint.yaml", "pyproject.toml"):
        (root / name).unlink(missing_ok=True)


def _assert_no_internal_error(args: list[str], config_text: str, code: int, err: str) -> None:
    shown = f"pmlint {' '.join(args)!r} with\n{config_text}\nstderr: {err}"
    assert code in (0, 1, 2), shown
    assert "internal error" not in err and "Traceback" not in err, shown


def test_every_key_has_good_values_to_draw() -> None:
    assert sorted(GOOD) == sorted(k for k in keys() if k != "blame")


@BUDGET
@given(flat=configuration(), as_toml=st.booleans())
@example(flat={"since": f"{RAW}2025-13-01"}, as_toml=False)
@example(flat={"since": f"{RAW}2025-13-01"}, as_toml=True)
@example(flat={"tracker": "/tmp/outside.md"}, as_toml=False)
@example(flat={"tracker": "../../etc/passwd"}, as_toml=True)
@example(flat={"timezone": "Mars/Olympus"}, as_toml=True)
@example(flat={"blame.extra-phrases": ["re:(a+)+", "re:(?i)sloppy"]}, as_toml=False)
@example(flat={"owners": "link-out"}, as_toml=False)
@example(flat={"template": "*"}, as_toml=False)
@example(flat={"template": "missing.yaml"}, as_toml=True)
def test_any_configuration_is_clean_exit_for_check(repo: Path, flat: dict[str, Any], as_toml: bool) -> None:
    _reset(repo)
    text = to_toml(nest(flat)) if as_toml else to_yaml(nest(flat))
    (repo / ("pyproject.toml" if as_toml else ".pmlint.yaml")).write_text(text, encoding="utf-8", errors="surrogatepass")
    for args in (["check", "--today", "2026-03-20"], ["track", "--check"], ["config"]):
        code, err = run_in_process(repo, args)
        _assert_no_internal_error(args, text, code, err)
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and err.startswith("pmlint: error: "), err
            assert "Input should be" not in err and "instance of" not in err and "Extra inputs" not in err, err
    _reset(repo)


@BUDGET
@given(flat=good_configuration() | good_configuration() | configuration(), as_toml=st.booleans(), args=argv())
@example(flat={}, as_toml=False, args=["check", "--select", "PM60l"])
@example(flat={"tracker": "../../etc/passwd"}, as_toml=False, args=["track", "--check"])
@example(flat={}, as_toml=False, args=["config", "--schema"])
def test_any_command_line_is_clean_exit(repo: Path, flat: dict[str, Any], as_toml: bool, args: list[str]) -> None:
    _reset(repo)
    text = to_toml(nest(flat)) if as_toml else to_yaml(nest(flat))
    (repo / ("pyproject.toml" if as_toml else ".pmlint.yaml")).write_text(text, encoding="utf-8", errors="surrogatepass")
    code, err = run_in_process(repo, args)
    _assert_no_internal_error(args, text, code, err)
    _reset(repo)


REAL = [
    ({"since": f"{RAW}2025-13-01"}, ["check"]),
    ({"tracker": "../../etc/passwd"}, ["track", "--check"]),
    ({"select": ["PM999"], "timezone": "Mars/Olympus"}, ["new", "x", "--no-input"]),
    ({"blame": [1, 2]}, ["actions"]),
    ({}, ["check", "--select", "PM60l", "--jobs", "x"]),
]


@pytest.mark.parametrize(("flat", "args"), REAL, ids=[" ".join(a) for _, a in REAL])
def test_the_real_executable_exits_cleanly_too(repo: Path, flat: dict[str, Any], args: list[str]) -> None:
    _reset(repo)
    (repo / ".pmlint.yaml").write_text(to_yaml(nest(flat)), encoding="utf-8")
    done = pmlint(repo, *args, env=clean_env())
    _reset(repo)
    _assert_no_internal_error(args, str(flat), done.returncode, done.stderr)
    assert done.returncode == 2 and done.stderr.startswith("pmlint: error: ") and len(done.stderr.splitlines()) == 1, done.stderr
