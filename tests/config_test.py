"""Configuration (`[tool.pmlint]`, `.pmlint.yaml`), selection, severities, per-file ignores, `since`, suppressions."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text, line_of, lint, settings

from postmortem_lint.cli import main
from postmortem_lint.config import files
from postmortem_lint.config import load as config
from postmortem_lint.config.schema import ConfigFile
from postmortem_lint.config.settings import DEFAULTS
from postmortem_lint.lint.policy import enabled

TODAY = ("--today", "2026-03-20")
OWNER = ("| Marcus Lee | Medium | 2026-04-10 |", "| TBD | Medium | 2026-04-10 |")
"""A one-line flaw: PM502 on the AI-004 row."""


def flawed() -> str:
    """The clean fixture with two flaws and without its one cross-file reference (a lone file has no INC-2026-01-09-002)."""
    text = clean_text().replace(*OWNER).replace("**Author:** Daniel Okafor", "**Author:** [Name]")
    return text.replace("- [INC-2026-01-09-002] - Search index outage", "- Search index outage in January")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with the flawed post-mortem (PM401 on the Author line, PM502 on AI-004), as cwd."""
    (tmp_path / ".git").mkdir()
    target = tmp_path / CLEAN_PATH
    target.parent.mkdir(parents=True)
    target.write_text(flawed(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str]]]:
    code = main(["check", "--format", "json", *TODAY, *args])
    out = capsys.readouterr().out
    return code, [(d["code"], d["severity"]) for d in json.loads(out)["diagnostics"]] if out else []


# --- Loading and validation. ---


def test_pyproject_table_loads(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.pmlint]\nselect = ["pm5"]\nignore = ["PM507"]\nincident-number-width = 4\n'
        'since = 2025-01-01\n\n[tool.pmlint.severity]\nPM502 = "warning"\n\n[tool.pmlint.per-file-ignores]\n"tasks/old-*.md" = ["PM4"]\n'
        '\n[tool.pmlint.blame]\nextra-phrases = ["dropped the ball"]\n',
        encoding="utf-8",
    )
    loaded = config.load(tmp_path, cwd=tmp_path)
    assert loaded.config_path == tmp_path / "pyproject.toml"
    assert (loaded.select, loaded.ignore, loaded.incident_number_width) == (("PM5",), ("PM507",), 4)
    assert loaded.severity == {"PM502": "warning"}
    assert loaded.per_file_ignores == {"tasks/old-*.md": ("PM4",)}
    assert loaded.since == dt.date(2025, 1, 1)
    assert loaded.blame_extra_phrases == ("dropped the ball",)


def test_pmlint_yaml_loads_and_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".pmlint.yaml").write_text(
        "include: ['incidents/post-mortem-*.md']\ntracker: docs/TRACKING.md\n"
        "severity:\n  pm405: off\nper-file-ignores:\n  'incidents/*.md': [PM901]\n",
        encoding="utf-8",
    )
    (tmp_path / "incidents").mkdir()
    loaded = config.load(tmp_path, cwd=tmp_path / "incidents")
    assert loaded.include == ("incidents/post-mortem-*.md",)
    assert loaded.folder == "incidents"
    assert loaded.tracker == "docs/TRACKING.md"
    assert loaded.severity == {"PM405": "off"}


def test_no_configuration_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    loaded = config.load(tmp_path, cwd=tmp_path)
    assert loaded.config_path is None and loaded.include == ("tasks/post-mortem-*.md",) and loaded.select == ()


BAD = (
    (".pmlint.yaml", "select: [PM5]\ncolour: always\n", ":2: colour: unknown key (the keys are include, exclude, folder"),
    (
        ".pmlint.yaml",
        "severity:\n  PM405: warning\n  PM502: fatal\n",
        ":3: severity.PM502: the text 'fatal' is not one of error, warning, info, off",
    ),
    (".pmlint.yaml", "select:\n  - PM5\n  - E501\n", ":3: select: unknown rule code E501; `pmlint rules` lists them"),
    (".pmlint.yaml", "blame:\n  allow: [x]\n  phrases: [y]\n", ":3: blame.phrases: unknown key (did you mean extra-phrases?)"),
    (".pmlint.yaml", "since: last tuesday\n", ":1: since: 'last tuesday' is not a date written YYYY-MM-DD"),
    (".pmlint.yaml", "since: 2025-13-01\n", ":1: since: 2025-13-01 is not a real date (there is no month 13)"),
    (".pmlint.yaml", "select: [PM5\nignore: []\n", ".pmlint.yaml:"),
    (".pmlint.yaml", "- just\n- a list\n", ":1: the configuration must be a mapping of keys, not a list"),
    (
        "pyproject.toml",
        '[tool.pmlint]\nselect = ["PM5"]\nincldue = ["x"]\n',
        "pyproject.toml:3: incldue: unknown key (did you mean include?)",
    ),
    (
        "pyproject.toml",
        '[tool.pmlint]\n\n[tool.pmlint.severity]\nPM502 = "loud"\n',
        "pyproject.toml:4: severity.PM502: the text 'loud' is not one of",
    ),
    (
        "pyproject.toml",
        "[tool.pmlint]\nincident-number-width = 0\n",
        "pyproject.toml:2: incident-number-width: the number 0 is too small: the least allowed is 1",
    ),
    (
        "pyproject.toml",
        "[tool.pmlint]\nsince = 2025-02-30\n",
        "pyproject.toml:2: since: 2025-02-30 is not a real date (February 2025 has 28 days)",
    ),
)
"""Bad files and the one line each gets (in plain words: pydantic's own wording never reaches the user)."""


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[2].split(": ")[0] + "-" + b[0] for b in BAD])
def test_bad_configuration_is_exit_2_with_file_line_and_key(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, message: str
) -> None:
    (project / name).write_text(content, encoding="utf-8")
    assert main(["check", *TODAY]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert len(err.splitlines()) == 1, err
    assert name in err and message in err, err
    assert "Traceback" not in err


def test_explicit_config_file_that_does_not_exist_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", "missing.yaml", *TODAY]) == 2
    assert "missing.yaml: configuration file not found" in capsys.readouterr().err


# --- Selection and severities. ---


@pytest.mark.parametrize(
    ("select", "ignore", "on", "off"),
    [
        ((), (), ("PM101", "PM502", "PM901"), ()),
        (("PM5",), (), ("PM501", "PM502"), ("PM401", "PM101")),
        (("PM5",), ("PM502",), ("PM501", "PM507"), ("PM502",)),
        (("PM502",), ("PM5",), ("PM502",), ("PM501",)),
        (("ALL",), ("PM4",), ("PM101", "PM502"), ("PM401", "PM408")),
        ((), ("ALL",), (), ("PM101", "PM502")),
    ],
)
def test_selection_most_specific_prefix_wins(
    select: tuple[str, ...], ignore: tuple[str, ...], on: tuple[str, ...], off: tuple[str, ...]
) -> None:
    chosen = settings(select=select, ignore=ignore)
    assert all(enabled(code, chosen) for code in on)
    assert not any(enabled(code, chosen) for code in off)


def test_config_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys) == (1, [("PM401", "error"), ("PM502", "error")])
    (project / ".pmlint.yaml").write_text("ignore: [PM4]\n", encoding="utf-8")
    assert run_json(capsys) == (1, [("PM502", "error")])
    (project / ".pmlint.yaml").write_text("select: [PM4]\n", encoding="utf-8")
    assert run_json(capsys) == (1, [("PM401", "error")])


def test_cli_select_replaces_and_cli_ignore_adds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".pmlint.yaml").write_text("select: [PM4]\n", encoding="utf-8")
    assert run_json(capsys, "--select", "PM502") == (1, [("PM502", "error")])
    assert run_json(capsys, "--select", "pm4,pm5", "--ignore", "PM401") == (1, [("PM502", "error")])
    assert run_json(capsys, "--ignore", "PM401") == (0, [])


def test_severity_overrides(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".pmlint.yaml").write_text("severity:\n  PM401: warning\n  PM502: 'off'\n", encoding="utf-8")
    assert run_json(capsys) == (0, [("PM401", "warning")])
    assert main(["check", "--strict", *TODAY]) == 1
    capsys.readouterr()
    (project / ".pmlint.yaml").write_text("severity:\n  PM401: info\n  PM502: error\n", encoding="utf-8")
    text = (project / CLEAN_PATH).read_text(encoding="utf-8").replace("**Status:** Final", "**Status:** Draft")
    (project / CLEAN_PATH).write_text(text, encoding="utf-8")
    assert run_json(capsys) == (1, [("PM401", "info"), ("PM502", "error")])


def test_per_file_ignores(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".pmlint.yaml").write_text(
        "per-file-ignores:\n  'tasks/post-mortem-2026-03-*.md': [PM4]\n  'other/*.md': [ALL]\n", encoding="utf-8"
    )
    assert run_json(capsys) == (1, [("PM502", "error")])
    (project / ".pmlint.yaml").write_text("per-file-ignores:\n  'tasks/*.md': [ALL]\n", encoding="utf-8")
    assert run_json(capsys) == (0, [])


def test_since_keeps_only_file_level_rules_for_older_post_mortems() -> None:
    text = flawed()
    older = settings(since=dt.date(2026, 3, 15))
    assert [d.code for d in lint(text, config=older)] == []
    assert [d.code for d in lint(text, rel="tasks/post-mortem-2026-03-14-Checkout.md", config=older)] == ["PM101"]
    newer = settings(since=dt.date(2026, 3, 14))
    assert [d.code for d in lint(text, config=newer)] == ["PM401", "PM502"]


# --- Inline suppressions and PM901. ---


def _codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in lint(text)]


def _insert_before(text: str, needle: str, line: str) -> str:
    return text.replace(needle, line + "\n" + needle, 1)


AUTHOR = "**Author:** [Name]"
ROW = "| AI-004 |"


def test_unsuppressed_baseline() -> None:
    text = flawed()
    assert _codes(text) == [("PM401", line_of(text, AUTHOR)), ("PM502", line_of(text, ROW))]


@pytest.mark.parametrize("codes", ["PM401", "", "PM4", "PM401,PM502", "ALL"])
def test_disable_next_line(codes: str) -> None:
    text = _insert_before(flawed(), AUTHOR, f"<!-- pmlint-disable-next-line {codes} -->")
    assert _codes(text) == [("PM502", line_of(text, ROW))]


def test_an_unknown_code_in_a_suppression_is_pm902_not_silence() -> None:
    """It used to be dropped without a word; the known codes beside it still suppress."""
    comment = "<!-- pmlint-disable-next-line pm401 pm999 -->"
    text = _insert_before(flawed(), AUTHOR, comment)
    assert _codes(text) == [("PM902", line_of(text, comment)), ("PM502", line_of(text, ROW))]
    alone = _insert_before(clean_text(), "## Timeline", "<!-- pmlint-disable-next-line PM40l -->\n")
    diagnostics = lint(alone)
    assert [(d.code, d.severity) for d in diagnostics] == [("PM902", "warning")], "PM902 instead of PM901, not both"
    assert diagnostics[0].message == (
        "`pmlint-disable-next-line` names unknown rule code PM40l (did you mean PM401?); it suppresses nothing for it"
    )


@pytest.mark.parametrize("codes", ["PM401", ""])
def test_disable_file(codes: str) -> None:
    text = flawed() + f"\n<!-- pmlint-disable-file {codes} -->\n"
    assert [c for c, _ in _codes(text)] == ([] if not codes else ["PM502"])


@pytest.mark.parametrize(("disable", "enable", "left"), [("PM502", "PM502", ["PM401"]), ("", "", ["PM401"]), ("PM502", "", ["PM401"])])
def test_disable_enable_range(disable: str, enable: str, left: list[str]) -> None:
    text = _insert_before(flawed(), "## Action Items", f"<!-- pmlint-disable {disable} -->")
    text = _insert_before(text, "## Prevention Measures", f"<!-- pmlint-enable {enable} -->")
    assert [c for c, _ in _codes(text)] == left


def test_range_ends_at_its_enable() -> None:
    text = _insert_before(flawed(), "**Incident Number:**", "<!-- pmlint-disable PM401,PM502 -->")
    text = _insert_before(text, "**Date:** 2026-03-14", "<!-- pmlint-enable PM401,PM502 -->")
    assert sorted(_codes(text)) == [
        ("PM401", line_of(text, AUTHOR)),
        ("PM502", line_of(text, ROW)),
        ("PM901", line_of(text, "pmlint-disable PM401,PM502")),
    ]


def test_unclosed_disable_runs_to_the_end_of_the_file() -> None:
    text = _insert_before(flawed(), "## Timeline", "<!-- pmlint-disable PM502 -->")
    assert [c for c, _ in _codes(text)] == ["PM401"]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- pmlint-disable-next-line PM402 -->", "`pmlint-disable-next-line` for PM402 suppresses nothing"),
        ("<!-- pmlint-disable-next-line -->", "`pmlint-disable-next-line` for all codes suppresses nothing"),
        ("<!-- pmlint-disable-file PM408 -->", "`pmlint-disable-file` for PM408 suppresses nothing"),
        ("<!-- pmlint-disable PM203 --> <!-- pmlint-enable PM203 -->", "`pmlint-disable` for PM203 suppresses nothing"),
    ],
)
def test_a_suppression_that_suppresses_nothing_is_pm901(comment: str, message: str) -> None:
    text = _insert_before(clean_text(), "## Timeline", comment + "\n")
    diagnostics = lint(text)
    assert [(d.code, d.line, d.column, d.severity) for d in diagnostics] == [("PM901", line_of(text, comment), 1, "warning")]
    assert diagnostics[0].message == message


def test_pm901_is_silent_when_it_or_the_suppressed_rule_is_not_selected() -> None:
    text = _insert_before(clean_text(), "## Timeline", "<!-- pmlint-disable-next-line PM402 -->\n")
    assert lint(text, config=settings(ignore=("PM7", "PM901"))) == []
    assert lint(text, config=settings(ignore=("PM7", "PM402"))) == []


def test_pm901_can_itself_be_suppressed_by_severity() -> None:
    text = _insert_before(clean_text(), "## Timeline", "<!-- pmlint-disable-next-line PM402 -->\n")
    assert lint(text, config=settings(severity={"PM901": "off"})) == []


def test_pm901_honours_per_file_ignores_and_since() -> None:
    text = _insert_before(clean_text(), "## Timeline", "<!-- pmlint-disable-next-line PM402 -->\n")
    assert lint(text, config=settings(per_file_ignores={"tasks/*.md": ("PM9",)})) == []
    assert lint(text, config=settings(since=dt.date(2026, 6, 1))) == []


def test_suppression_inside_code_is_not_a_suppression() -> None:
    text = _insert_before(flawed(), AUTHOR, "```\n<!-- pmlint-disable-file -->\n```\n")
    assert [c for c, _ in _codes(text)] == ["PM401", "PM502"]


def test_an_empty_configuration_file_gives_exactly_the_defaults(tmp_path: Path) -> None:
    """The schema takes its defaults from `settings.DEFAULTS`: the two cannot drift."""
    path = tmp_path / ".pmlint.yaml"
    assert files._to_settings(ConfigFile(), path, tmp_path, {}) == replace(DEFAULTS, root=tmp_path, config_path=path)
