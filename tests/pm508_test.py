"""PM508 action-owner-unknown: the roster file, CODEOWNERS, and `pmlint check` with `owners` set.

The rule's fail/pass fixtures are in tests/checks/PM508/; this suite covers the roster
formats, their errors (exit 2 naming the file) and re-reading a changed roster.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lintkit import CLEAN, CLEAN_PATH, clean_text, line_of, lint, settings

from postmortem_lint.cli import main
from postmortem_lint.packs import roster


def _roster(tmp_path: Path, name: str, text: str) -> frozenset[str] | None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return roster.roster(settings(root=tmp_path, owners=str(path)))


def test_a_roster_line_gives_the_name_and_each_handle_or_email(tmp_path: Path) -> None:
    found = _roster(tmp_path, "owners.txt", "# team\nElena Petrova @epetrova elena@example.com  # lead\n\n@sre-oncall\n")
    assert found == {"elena petrova", "epetrova", "elena@example.com", "sre-oncall"}


def test_a_yaml_roster_is_a_list_of_the_same_entries(tmp_path: Path) -> None:
    assert _roster(tmp_path, "owners.yaml", "- Dana Cho @dcho\n- Sam Lee\n") == {"dana cho", "dcho", "sam lee"}


def test_a_yaml_roster_that_is_not_a_list_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(roster.RosterError, match=r"owners\.yaml: an owners roster in YAML is a list"):
        _roster(tmp_path, "owners.yaml", "lead: Dana Cho\n")


def test_codeowners_gives_handles_teams_and_emails_from_githubs_first_file(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text("# owners\n* @acme/sre\ntasks/ @Dana-Cho ops@example.com # on call\n")
    (tmp_path / "CODEOWNERS").write_text("* @ignored-because-github-reads-dot-github-first\n")
    assert roster.roster(settings(root=tmp_path, owners="CODEOWNERS")) == {"acme/sre", "dana-cho", "ops@example.com"}


def test_codeowners_missing_everywhere_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(roster.RosterError, match=r"no \.github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS"):
        roster.roster(settings(root=tmp_path, owners="CODEOWNERS"))


def test_no_owners_setting_means_no_roster() -> None:
    assert roster.roster(settings()) is None


def test_a_changed_roster_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "owners.txt"
    path.write_text("Dana Cho\n")
    config = settings(root=tmp_path, owners=str(path))
    assert roster.roster(config) == {"dana cho"}
    path.write_text("Sam Lee\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert roster.roster(config) == {"sam lee"}


@pytest.mark.parametrize(
    ("cell", "owners"),
    [
        ("Dana Cho", ["Dana Cho"]),
        ("Dana Cho, @acme/sre", ["Dana Cho", "@acme/sre"]),
        ("Sam Lee (Payments) and Ana Ruiz", ["Sam Lee", "Ana Ruiz"]),
        ("Dana Cho / Sam Lee; ops@example.com", ["Dana Cho", "Sam Lee", "ops@example.com"]),
    ],
)
def test_owner_cells_name_one_or_more_owners(cell: str, owners: list[str]) -> None:
    assert roster.owners_in(cell) == owners


def test_the_clean_fixture_flags_exactly_the_owners_missing_from_the_roster(tmp_path: Path) -> None:
    (tmp_path / "owners.txt").write_text("Elena Petrova\nDaniel Okafor\nPriya Raman\n")
    text = clean_text()
    found = lint(text, config=settings(root=tmp_path, owners=str(tmp_path / "owners.txt"), select=("PM508",), ignore=()))
    assert [(d.line, d.column) for d in found] == [
        (line_of(text, "| AI-004 |"), text.split("\n")[line_of(text, "| AI-004 |") - 1].index("Marcus Lee") + 1),
        (line_of(text, "| AI-005 |"), text.split("\n")[line_of(text, "| AI-005 |") - 1].index("Marcus Lee") + 1),
    ]
    assert found[0].message == "action item AI-004 owner `Marcus Lee` is not on the owners roster"


def _project(tmp_path: Path, owners: str) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".pmlint.yaml").write_text(f"owners: {owners}\n")
    (tmp_path / "tasks").mkdir()
    (tmp_path / CLEAN_PATH).write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_check_reports_unknown_owners_from_the_configured_roster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_project(tmp_path, "team.txt"))
    (tmp_path / "team.txt").write_text("Elena Petrova\nDaniel Okafor\nPriya Raman\nMarcus Lee\n")
    assert main(["check", "--select", "PM508", "--today", "2026-03-20"]) == 0
    (tmp_path / "team.txt").write_text("Elena Petrova\nDaniel Okafor\nMarcus Lee\n")
    os.utime(tmp_path / "team.txt", ns=(1, 10**18))
    assert main(["check", "--select", "PM508", "--today", "2026-03-20"]) == 1
    assert "AI-006 owner `Priya Raman` is not on the owners roster" in capsys.readouterr().out


def test_check_with_a_missing_roster_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_project(tmp_path, "nobody.txt"))
    assert main(["check", "--today", "2026-03-20"]) == 2
    err = capsys.readouterr().err
    assert ".pmlint.yaml:1: owners: nobody.txt does not exist" in err
    assert len(err.strip().splitlines()) == 1


def test_the_roster_knows_who_is_who(tmp_path: Path) -> None:
    (tmp_path / "owners.txt").write_text("Elena Petrova @epetrova\nMarcus Lee @mlee\n")
    found = roster.load(settings(root=tmp_path, owners=str(tmp_path / "owners.txt")))
    assert found is not None
    assert found.aliases_of("@EPetrova") == {"elena petrova", "epetrova"}
    assert found.aliases_of("Someone Else") == {"someone else"}
