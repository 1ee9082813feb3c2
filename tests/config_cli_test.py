"""A new user's configuration, through the real `pmlint` executable in real git repositories.

Unknown codes anywhere, values pmlint cannot use, paths that leave the project,
two configuration files at once, `pmlint config` and its schema: each is exit 2
with one plain line naming where the problem is, or says which file is used.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from lintkit import CLEAN, CLEAN_PATH, REPO
from repokit import commit, make_repo, pmlint, write

from postmortem_lint import cli
from postmortem_lint.checks.registry import catalog
from postmortem_lint.config.schema import ConfigFile, keys
from postmortem_lint.core import codes
from postmortem_lint.features.configuration import schema_text
from postmortem_lint.io.yamlio import parse_yaml

SCHEMA = REPO / "docs" / "pmlint.schema.json"
CONFIG_DOC = REPO / "docs" / "configuration.md"
TODAY = "--today=2026-03-20"
READS_CONFIG = [
    ["check", TODAY],
    ["track"],
    ["track", "--check"],
    ["new", "Broken config", "--no-input", "--date", "2026-03-20"],
    ["actions"],
    ["report"],
    ["commit-msg", "MSG"],
    ["config"],
]
"""Every command that reads the configuration (`rules`/`rule` do not)."""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "incidents")
    write(root, CLEAN_PATH, CLEAN.read_text(encoding="utf-8"))
    write(root, "MSG", "\n")
    assert pmlint(root, "track").returncode == 1
    commit(root, "post-mortem")
    return root


def one_error(done: object, *needles: str) -> str:
    """The single stderr line of an exit-2 run (no stdout), holding every needle."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)  # type: ignore[attr-defined]
    assert done.stdout == "", done.stdout  # type: ignore[attr-defined]
    lines = done.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("pmlint: error: "), lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert "Input should be" not in lines[0] and "instance of" not in lines[0]
    return str(lines[0])


# --- Unknown rule codes and prefixes. ---


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "PM60l"], "pmlint: error: --select: unknown rule code PM60l (did you mean PM601?)"),
        (["--ignore", "PM4,pm5O1"], "pmlint: error: --ignore: unknown rule code pm5O1 (did you mean PM501?)"),
        (["--select", "PM5", "--ignore", "E501"], "pmlint: error: --ignore: unknown rule code E501; `pmlint rules` lists them"),
    ],
)
def test_an_unknown_code_on_the_command_line_is_exit_2_with_a_suggestion(repo: Path, args: list[str], message: str) -> None:
    assert one_error(pmlint(repo, "check", TODAY, *args)) == message


@pytest.mark.parametrize("args", [["--select", "PM5"], ["--select", "all", "--ignore", "pm4,PM7"], ["--ignore", "PM901"]])
def test_codes_prefixes_and_all_are_accepted(repo: Path, args: list[str]) -> None:
    assert pmlint(repo, "check", TODAY, *args).returncode == 0


YAML_CODES = [
    (
        "include: [tasks/post-mortem-*.md]\ntracker: POST_MORTEM_TRACKING.md\nselect: [PM999]\n",
        ".pmlint.yaml:3: select: unknown rule code PM999",
    ),
    ("select:\n  - PM5\n  - PM60l\n", ".pmlint.yaml:3: select: unknown rule code PM60l (did you mean PM601?)"),
    ("ignore: [PM1O1]\n", ".pmlint.yaml:1: ignore: unknown rule code PM1O1 (did you mean PM101?)"),
    ("severity:\n  PM405: warning\n  PM4O5: off\n", ".pmlint.yaml:3: severity.PM4O5: unknown rule code PM4O5 (did you mean PM405?)"),
    ("per-file-ignores:\n  'tasks/*.md': [PM4, XYZ]\n", ".pmlint.yaml:2: per-file-ignores.tasks/*.md: unknown rule code XYZ"),
]


@pytest.mark.parametrize(("content", "message"), YAML_CODES, ids=[m.split(": ")[0] for _, m in YAML_CODES])
def test_an_unknown_code_in_the_yaml_file_names_file_line_and_key(repo: Path, content: str, message: str) -> None:
    write(repo, ".pmlint.yaml", content)
    one_error(pmlint(repo, "check", TODAY), message)


def test_an_unknown_code_in_pyproject_names_file_line_and_key(repo: Path) -> None:
    write(repo, "pyproject.toml", '[project]\nname = "x"\n\n[tool.pmlint]\nignore = ["PM4"]\n\n[tool.pmlint.severity]\nPM52 = "off"\n')
    one_error(pmlint(repo, "check", TODAY), "pyproject.toml:8: severity.PM52: unknown rule code PM52 (did you mean PM502?)")


def test_a_severity_prefix_applies_to_every_code_it_starts_and_the_most_specific_wins(repo: Path) -> None:
    target = repo / CLEAN_PATH
    target.write_text(target.read_text(encoding="utf-8").replace("**Author:** Daniel Okafor", "**Author:** [Name]"), encoding="utf-8")
    write(repo, ".pmlint.yaml", "ignore: [PM7]\nseverity: {PM4: warning, ALL: info}\n")
    done = pmlint(repo, "check", TODAY, "--format", "json")
    assert {(d["code"], d["severity"]) for d in json.loads(done.stdout)["diagnostics"]} == {("PM401", "warning")}
    write(repo, ".pmlint.yaml", "ignore: [PM7]\nseverity: {PM4: warning, PM401: 'off'}\n")
    assert json.loads(pmlint(repo, "check", TODAY, "--format", "json").stdout)["diagnostics"] == []


def test_an_unknown_code_in_an_inline_suppression_is_pm902(repo: Path) -> None:
    target = repo / CLEAN_PATH
    text = target.read_text(encoding="utf-8").replace("## Timeline", "<!-- pmlint-disable-next-line PM60l -->\n## Timeline", 1)
    target.write_text(text, encoding="utf-8")
    done = pmlint(repo, "check", TODAY)
    assert done.returncode == 0, done.stdout
    [line] = [line for line in done.stdout.splitlines() if "PM90" in line]
    assert "PM902 [warning] `pmlint-disable-next-line` names unknown rule code PM60l (did you mean PM601?)" in line
    assert pmlint(repo, "check", TODAY, "--strict").returncode == 1


def test_rule_explains_one_code_and_suggests_for_a_typo(repo: Path) -> None:
    assert one_error(pmlint(repo, "rule", "PM60l")) == "pmlint: error: unknown rule code PM60l (did you mean PM601?)"
    assert pmlint(repo, "rule", "PM902").stdout.startswith("PM902 unknown-suppression-code\n")


# --- Values in plain words. ---

VALUES = [
    ("since: 2025-13-01\n", ".pmlint.yaml:1: since: 2025-13-01 is not a real date (there is no month 13)"),
    ("ignore: [PM4]\nsince: 2025-02-29\n", ".pmlint.yaml:2: since: 2025-02-29 is not a real date (February 2025 has 28 days)"),
    ("since: yesterday\n", ".pmlint.yaml:1: since: 'yesterday' is not a date written YYYY-MM-DD"),
    ("timezone: Mars/Olympus\n", ".pmlint.yaml:1: timezone: 'Mars/Olympus' is not a time zone name"),
    ("blame: [x]\n", ".pmlint.yaml:1: blame: expected a mapping of keys, found a list"),
    ("blame:\n  extra-phrases: ['']\n", ".pmlint.yaml:2: blame.extra-phrases: an empty phrase would match everywhere"),
    (
        "blame:\n  extra-phrases: ['re:(?i)sloppy']\n",
        ".pmlint.yaml:2: blame.extra-phrases: `re:(?i)sloppy` does not compile: global flags not at the start of the expression",
    ),
    ("incident-number-width: 7\n", ".pmlint.yaml:1: incident-number-width: the number 7 is too large: the most allowed is 6"),
    ("severity: {PM405: loud}\n", ".pmlint.yaml:1: severity.PM405: the text 'loud' is not one of error, warning, info, off"),
    ("selct: [PM5]\n", ".pmlint.yaml:1: selct: unknown key (did you mean select?)"),
    ("per_file_ignores: {}\n", ".pmlint.yaml:1: per_file_ignores: unknown key (did you mean per-file-ignores?)"),
    ("tracker: ''\n", ".pmlint.yaml:1: tracker: an empty path names no file"),
]


@pytest.mark.parametrize(("content", "message"), VALUES, ids=[m.split(": ")[1] + "-" + str(i) for i, (_, m) in enumerate(VALUES)])
def test_a_bad_value_is_one_plain_line(repo: Path, content: str, message: str) -> None:
    write(repo, ".pmlint.yaml", content)
    one_error(pmlint(repo, "check", TODAY), message)


def test_the_same_words_for_pyproject(repo: Path) -> None:
    write(repo, "pyproject.toml", '[tool.pmlint]\nselect = ["PM5"]\nsince = 2025-13-01\n')
    one_error(pmlint(repo, "check", TODAY), "pyproject.toml:3: since: 2025-13-01 is not a real date (there is no month 13)")
    write(repo, "pyproject.toml", '[tool.pmlint]\ntimezone = "Mars/Olympus"\n')
    one_error(pmlint(repo, "new", "x", "--no-input"), "pyproject.toml:2: timezone: 'Mars/Olympus' is not a time zone name")
    assert not list((repo / "tasks").glob("*-x.md"))


# --- Paths inside the project root, for every command. ---

OUTSIDE = [
    ("tracker: /tmp/outside.md\n", "tracker: /tmp/outside.md is an absolute path"),
    ("tracker: ../../etc/passwd\n", "tracker: ../../etc/passwd leads outside the project root"),
    ("tracker: escape/passwd\n", "tracker: escape/passwd leads through a symlink outside the project root"),
    ("tracker: .git/config\n", "tracker: .git/config is inside .git"),
    ("tracker: tasks\n", "tracker: tasks is a folder, not a file"),
    ("folder: ../elsewhere\n", "folder: ../elsewhere leads outside the project root"),
    ("owners: ../roster.txt\n", "owners: ../roster.txt leads outside the project root"),
    ("owners: roster.txt\n", "owners: roster.txt does not exist"),
    ("sections: /etc/hosts\n", "sections: /etc/hosts is an absolute path"),
    ("sections: escape/hosts\n", "sections: escape/hosts leads through a symlink outside the project root"),
]


def _unchanged(repo: Path, before: bytes) -> None:
    assert (repo / "POST_MORTEM_TRACKING.md").read_bytes() == before
    assert sorted(p.name for p in (repo / "tasks").iterdir()) == [Path(CLEAN_PATH).name]


@pytest.mark.parametrize("command", READS_CONFIG, ids=lambda c: " ".join(c[:2]))
def test_a_path_outside_the_project_is_refused_by_every_command(
    repo: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every case in process (fast), two of them through the real executable."""
    (repo / "escape").symlink_to("/etc")
    before = (repo / "POST_MORTEM_TRACKING.md").read_bytes()
    monkeypatch.chdir(repo)
    for content, message in OUTSIDE:
        write(repo, ".pmlint.yaml", "ignore: [PM405]\n" + content)
        code = cli.main(command)
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), (content, out, err)
        assert err.startswith(f"pmlint: error: .pmlint.yaml:2: {message}"), (content, err)
        assert len(err.splitlines()) == 1, err
        _unchanged(repo, before)
    for content, message in OUTSIDE[:2]:
        write(repo, ".pmlint.yaml", "ignore: [PM405]\n" + content)
        one_error(pmlint(repo, *command), f".pmlint.yaml:2: {message}")
        _unchanged(repo, before)


def test_track_check_prints_no_diff_of_a_file_outside_the_repository(repo: Path) -> None:
    write(repo, ".pmlint.yaml", "tracker: ../../../../../../etc/passwd\n")
    done = pmlint(repo, "track", "--check")
    one_error(done, ".pmlint.yaml:1: tracker: ../../../../../../etc/passwd leads outside the project root")
    assert "root:" not in done.stdout + done.stderr


def test_a_path_checked_on_every_run_even_when_the_settings_are_remembered(repo: Path) -> None:
    write(repo, ".pmlint.yaml", "tracker: docs/TRACKING.md\n")
    (repo / "docs").mkdir()
    first = pmlint(repo, "check", TODAY)
    assert first.returncode != 2 and first.stderr == ""
    (repo / "docs").rmdir()
    (repo / "docs").symlink_to("/tmp")
    one_error(pmlint(repo, "check", TODAY), ".pmlint.yaml:1: tracker: docs/TRACKING.md leads through a symlink outside")


# --- Two configuration files. ---


def test_both_files_in_one_folder_the_yaml_wins_and_a_note_says_so(repo: Path) -> None:
    write(repo, ".pmlint.yaml", "select: [PM2]\n")
    write(repo, "pyproject.toml", '[tool.pmlint]\nselect = ["PM9"]\n')
    done = pmlint(repo, "check", TODAY, "--format", "json")
    assert done.stderr == (
        "pmlint: note: using .pmlint.yaml; ignoring pyproject.toml [tool.pmlint] (the configuration file closest to the "
        "current folder wins; in one folder .pmlint.yaml comes before pyproject.toml)\n"
    )
    assert json.loads(done.stdout)["diagnostics"] == []
    shown = pmlint(repo, "config").stdout
    assert '\nselect: ["PM2"]' in shown and "# ignored: pyproject.toml" in shown


def test_the_closest_file_wins_across_folders(repo: Path) -> None:
    write(repo, "pyproject.toml", '[tool.pmlint]\nselect = ["PM9"]\n')
    write(repo, "sub/.pmlint.yaml", "include: [x/*.md]\n")
    done = pmlint(repo / "sub", "config", "--format", "json")
    assert "pmlint: note: using .pmlint.yaml; ignoring ../pyproject.toml [tool.pmlint]" in done.stderr
    payload = json.loads(done.stdout)
    assert payload["config_file"] == ".pmlint.yaml" and payload["ignored_files"] == ["../pyproject.toml"]
    assert payload["settings"]["include"] == {"value": ["x/*.md"], "source": ".pmlint.yaml:1"}
    assert pmlint(repo, "check", TODAY).stderr == "", "at the top only pyproject.toml is found"


def test_no_note_for_one_file_or_a_pyproject_without_the_table(repo: Path) -> None:
    write(repo, ".pmlint.yaml", "select: [PM2]\n")
    write(repo, "pyproject.toml", '[project]\nname = "x"\n')
    assert pmlint(repo, "check", TODAY).stderr == ""
    (repo / ".pmlint.yaml").unlink()
    write(repo, "pyproject.toml", '[tool.pmlint]\nselect = ["PM2"]\n')
    assert pmlint(repo, "check", TODAY).stderr == ""


def test_an_explicit_config_file_is_used_without_a_note(repo: Path) -> None:
    write(repo, ".pmlint.yaml", "select: [PM2]\n")
    write(repo, "pyproject.toml", '[tool.pmlint]\nselect = ["PM9"]\n')
    write(repo, "ci/pmlint.yaml", "select: [PM5]\n")
    done = pmlint(repo, "config", "--config", "ci/pmlint.yaml", "--format", "json")
    assert done.stderr == ""
    assert json.loads(done.stdout)["settings"]["select"] == {"value": ["PM5"], "source": "ci/pmlint.yaml:1"}


# --- pmlint config. ---


def test_config_shows_each_setting_with_its_source(repo: Path) -> None:
    write(repo, ".pmlint.yaml", "tracker: POST_MORTEM_TRACKING.md\nselect: [pm5]\nblame:\n  allow: [human-error]\nsince: 2025-01-01\n")
    done = pmlint(repo, "config", "--ignore", "PM507")
    assert done.returncode == 0 and done.stderr == ""
    rows = {line.split(":", 1)[0].strip(): line for line in done.stdout.splitlines() if not line.startswith("#")}
    assert rows["tracker"].endswith("# .pmlint.yaml:1")
    assert rows["select"].startswith('select: ["PM5"]') and rows["select"].endswith("# .pmlint.yaml:2")
    assert rows["ignore"].startswith('ignore: ["PM507"]') and rows["ignore"].endswith("# --ignore")
    assert rows["allow"].startswith('  allow: ["human-error"]') and rows["allow"].endswith("# .pmlint.yaml:4")
    assert rows["since"].startswith('since: "2025-01-01"') and rows["since"].endswith("# .pmlint.yaml:5")
    assert rows["timezone"].endswith("# default")
    assert set(rows) >= {key.rsplit(".", 1)[-1] for key in keys()}


def test_config_output_is_a_valid_configuration_file_giving_the_same_settings(repo: Path) -> None:
    write(repo, "pyproject.toml", '[tool.pmlint]\nignore = ["PM4"]\nsince = 2025-01-01\n[tool.pmlint.severity]\nPM507 = "error"\n')
    first = json.loads(pmlint(repo, "config", "--format", "json").stdout)["settings"]
    assert first["severity"] == {"value": {"PM507": "error"}, "source": "pyproject.toml:4"}
    shown = pmlint(repo, "config").stdout
    (repo / "pyproject.toml").unlink()
    write(repo, ".pmlint.yaml", shown)
    again = json.loads(pmlint(repo, "config", "--format", "json").stdout)["settings"]
    assert {k: v["value"] for k, v in again.items()} == {k: v["value"] for k, v in first.items()}


def test_config_refuses_what_check_refuses(repo: Path) -> None:
    one_error(pmlint(repo, "config", "--select", "PM60l"), "--select: unknown rule code PM60l (did you mean PM601?)")
    write(repo, ".pmlint.yaml", "since: 2025-13-01\n")
    one_error(pmlint(repo, "config"), ".pmlint.yaml:1: since: 2025-13-01 is not a real date")


def test_the_shipped_schema_is_what_config_schema_prints(repo: Path) -> None:
    done = pmlint(repo, "config", "--schema")
    assert done.returncode == 0
    assert done.stdout == schema_text()
    assert SCHEMA.read_text(encoding="utf-8") == done.stdout, (
        "docs/pmlint.schema.json is stale: run `pmlint config --schema > docs/pmlint.schema.json`"
    )


def test_the_schema_describes_every_key_and_checks_shapes() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    blame = schema["$defs"]["BlameConfig"]["properties"]
    for key in keys():
        node = blame[key.removeprefix("blame.")] if key.startswith("blame.") else schema["properties"][key]
        assert node.get("description"), f"{key} has no description in the schema"
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"select": ["PM5", "all"], "severity": {"PM502": "warning"}, "since": "2025-01-01"}))
    bad = {"selct": [], "severity": {"E501": "warning", "PM5": "loud"}, "incident-number-width": 9, "blame": {"phrases": []}}
    assert len(list(validator.iter_errors(bad))) == 5


def _yaml_blocks(text: str) -> list[str]:
    return [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]


def test_every_yaml_example_in_the_docs_and_readme_is_valid(repo: Path) -> None:
    """The examples a user copies both pass the schema and load in pmlint."""

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    blocks = [b for doc in (CONFIG_DOC, REPO / "README.md") for b in _yaml_blocks(doc.read_text(encoding="utf-8")) if "$schema=" in b]
    assert len(blocks) >= 3
    for block in blocks:
        data = parse_yaml(block, "example")
        if data is None:
            continue
        data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
        assert not list(validator.iter_errors(data)), block
        write(repo, ".pmlint.yaml", block)
        assert pmlint(repo, "config").returncode == 0, block


def test_configuration_md_documents_every_key() -> None:
    text = CONFIG_DOC.read_text(encoding="utf-8")
    missing = [key for key in keys() if f"### `{key}`" not in text]
    assert not missing, f"docs/configuration.md has no section for {missing}"
    assert set(keys()) >= {info.alias or name for name, info in ConfigFile.model_fields.items()}


# --- One convention for error lines. ---


@pytest.mark.parametrize(
    "args",
    [["check", "--bogus"], ["check", "--format", "xml"], ["check", "--today", "2026-13-01"], ["bogus"], ["rule"], ["check", "nowhere.md"]],
)
def test_usage_errors_are_one_pmlint_error_line(repo: Path, args: list[str]) -> None:
    one_error(pmlint(repo, *args))


# --- Unit tests for the suggestions. ---


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("PM60l", "PM601"), ("PM5O1", "PM501"), ("pm7o3", "PM703"), ("PM6011", "PM601"), ("PM52", "PM502"), ("al", "ALL"), ("PM5x", "PM5")],
)
def test_the_closest_code_is_suggested(typo: str, suggestion: str) -> None:
    assert not codes.is_known(typo)
    assert codes.closest(typo) == suggestion
    assert codes.problem(typo) == f"unknown rule code {typo} (did you mean {suggestion}?)"


def test_known_codes_are_the_catalog_and_its_prefixes() -> None:

    assert codes.known_codes() == tuple(catalog())
    assert all(codes.is_known(c) for c in ("PM", "pm5", "PM50", "PM502", "ALL", "all", "PM902"))
    assert not any(codes.is_known(c) for c in ("", "Q", "PM5020", "PM99", "PM-502", "502", "ALLX"))
    assert codes.problem("\n") == "unknown rule code '\\n'; `pmlint rules` lists them"
