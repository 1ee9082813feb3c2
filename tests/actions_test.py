"""`pmlint actions` on a generated archive with known answers, and on examples/."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import archivekit
import pytest
from archivekit import TODAY, Spec
from lintkit import REPO

from postmortem_lint.cli import main
from postmortem_lint.features import actions

COUNT = 40


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Spec]]:
    incidents = archivekit.specs(COUNT)
    return archivekit.write(tmp_path_factory.mktemp("archive"), incidents), incidents


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(root, *args)``: `pmlint actions --today TODAY *args` in ``root`` -> (exit code, stdout)."""

    def call(root: Path, *args: str) -> tuple[int, str]:
        monkeypatch.chdir(root)
        code = main(["actions", "--today", TODAY.isoformat(), *args])
        return code, capsys.readouterr().out

    return call


def _json(run: Run, root: Path, *args: str) -> Any:
    code, out = run(root, "--format", "json", *args)
    assert code == 0
    return json.loads(out)


def test_every_item_with_its_state(archive: tuple[Path, list[Spec]], run: Run) -> None:
    root, incidents = archive
    items = [item for spec in incidents for item in spec.items]
    data = _json(run, root)
    assert data["summary"] == {
        "total": len(items),
        "open": sum(i.open for i in items),
        "overdue": sum(i.overdue for i in items),
    }
    first = next(a for a in data["actions"] if a["path"] == incidents[0].path)
    assert first == {
        "id": "AI-001",
        "action": f"Action 1 of {incidents[0].number}",
        "owner": incidents[0].items[0].owner,
        "priority": incidents[0].items[0].priority,
        "due": incidents[0].items[0].due.isoformat(),
        "status": incidents[0].items[0].status,
        "open": incidents[0].items[0].open,
        "overdue": incidents[0].items[0].overdue,
        "days_overdue": max(0, (TODAY - incidents[0].items[0].due).days) if incidents[0].items[0].open else 0,
        "incident": incidents[0].number,
        "title": f"Incident of {incidents[0].date.isoformat()}",
        "path": incidents[0].path,
        "line": first["line"],
    }
    assert (root / first["path"]).read_text().split("\n")[first["line"] - 1].startswith("| AI-001 |")


def test_items_are_listed_soonest_due_first(archive: tuple[Path, list[Spec]], run: Run) -> None:
    dues = [a["due"] for a in _json(run, archive[0])["actions"]]
    assert dues == sorted(dues)


@pytest.mark.parametrize(
    ("args", "keep"),
    [
        (("--open",), lambda item: item.open),
        (("--overdue",), lambda item: item.overdue),
        (("--priority", "high"), lambda item: item.priority == "High"),
        (("--owner", "DANA CHO"), lambda item: item.owner == "Dana Cho"),
        (("--owner", "sre-oncall"), lambda item: item.owner == "@sre-oncall"),
        (("--owner", "Sam Lee,@sre-oncall"), lambda item: item.owner in ("Sam Lee", "@sre-oncall")),
        (("--open", "--priority", "Low", "--priority", "Medium"), lambda item: item.open and item.priority != "High"),
    ],
)
def test_filters_keep_exactly_the_matching_items(
    archive: tuple[Path, list[Spec]], run: Run, args: tuple[str, ...], keep: Callable[[archivekit.Item], bool]
) -> None:
    root, incidents = archive
    expected = sum(1 for spec in incidents for item in spec.items if keep(item))
    assert expected > 0
    assert _json(run, root, *args)["summary"]["total"] == expected


def test_overdue_fail_exits_1_only_when_something_is_overdue(archive: tuple[Path, list[Spec]], run: Run) -> None:
    root, _ = archive
    assert run(root, "--overdue", "--fail")[0] == 1
    assert run(root, "--overdue", "--fail", "--today", "2020-01-01") == (0, "0 action items: 0 open, 0 overdue on 2020-01-01\n")


def test_csv_has_one_row_per_item_with_the_json_columns(archive: tuple[Path, list[Spec]], run: Run) -> None:
    root, incidents = archive
    code, out = run(root, "--format", "csv", "--overdue")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0]) == list(actions.COLUMNS)
    assert len(rows) == sum(item.overdue for spec in incidents for item in spec.items)
    assert {r["overdue"] for r in rows} == {"true"}


def test_markdown_links_each_item_to_its_post_mortem_line(archive: tuple[Path, list[Spec]], run: Run) -> None:
    root, incidents = archive
    _, out = run(root, "--format", "markdown", "--owner", "Dana Cho")
    lines = out.split("\n")
    assert lines[0] == "| ID | Action | Owner | Priority | Due Date | Status | Overdue | Post-Mortem |"
    spec = next(s for s in incidents if s.items[0].owner == "Dana Cho")
    row = next(line for line in lines if f"Action 1 of {spec.number}" in line)
    assert f"[{spec.number}]({spec.path}#L" in row


def test_text_table_and_output_file(archive: tuple[Path, list[Spec]], run: Run) -> None:
    root, incidents = archive
    items = [item for spec in incidents for item in spec.items]
    code, out = run(root, "-o", "actions.txt")
    assert code == 0 and out == ""
    text = (root / "actions.txt").read_text()
    assert text.split("\n")[0].split() == ["ID", "Action", "Owner", "Priority", "Due", "Status", "Late", "Post-mortem"]
    opened, overdue = sum(i.open for i in items), sum(i.overdue for i in items)
    assert text.endswith(f"{len(items)} action items: {opened} open, {overdue} overdue on {TODAY}\n")


def test_examples(run: Run) -> None:
    assert _json(run, REPO / "examples")["summary"] == {"total": 15, "open": 7, "overdue": 0}
    assert _json(run, REPO / "examples", "--owner", "Marcus Lee")["summary"]["total"] == 2
    assert _json(run, REPO / "examples", "--overdue", "--today", "2026-04-01")["summary"]["total"] == 2


def test_a_bad_date_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO / "examples")
    assert main(["actions", "--today", "2026-02-30"]) == 2
    assert "2026-02-30 is not a real date (February 2026 has 28 days)" in capsys.readouterr().err


def test_a_missing_path_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["actions", "nowhere"]) == 2
    assert "nowhere: no such file or directory" in capsys.readouterr().err


def test_the_cache_serves_unchanged_files_and_rereads_a_changed_one(tmp_path: Path, run: Run) -> None:
    incidents = archivekit.specs(3)
    archivekit.write(tmp_path, incidents)
    assert run(tmp_path, "--no-cache")[0] == 0 and not (tmp_path / ".pmlint_cache").exists()
    before = _json(run, tmp_path)["summary"]
    assert (tmp_path / ".pmlint_cache").is_dir()
    assert _json(run, tmp_path)["summary"] == before
    path = tmp_path / incidents[0].path
    path.write_text(path.read_text().replace(f"| {incidents[0].items[0].status} |", "| Done |"), encoding="utf-8")
    changed = [a for a in _json(run, tmp_path)["actions"] if a["path"] == incidents[0].path]
    assert [a["status"] for a in changed] == ["Done"]


def test_owner_filter_accepts_any_alias_on_the_roster(tmp_path: Path, run: Run) -> None:
    incidents = archivekit.specs(6)
    archivekit.write(tmp_path, incidents)
    (tmp_path / ".pmlint.yaml").write_text("owners: team.txt\n")
    (tmp_path / "team.txt").write_text("Dana Cho @dcho dana@example.com\nSam Lee\n")
    by_name = _json(run, tmp_path, "--owner", "Dana Cho")["actions"]
    assert by_name and {a["owner"] for a in by_name} == {"Dana Cho"}
    assert _json(run, tmp_path, "--owner", "@dcho")["actions"] == by_name
    assert _json(run, tmp_path, "--owner", "dana@example.com")["actions"] == by_name


def test_owner_filter_with_an_unreadable_roster_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    archivekit.write(tmp_path, archivekit.specs(2))
    (tmp_path / ".pmlint.yaml").write_text("owners: missing.txt\n")
    monkeypatch.chdir(tmp_path)
    assert main(["actions", "--owner", "Dana Cho"]) == 2
    assert capsys.readouterr().err == "pmlint: error: .pmlint.yaml:1: owners: missing.txt does not exist\n"


def test_the_docs_example_is_the_commands_output(run: Run) -> None:
    """docs/actions-and-report.md shows `pmlint actions --open --owner "Marcus Lee"` on examples/ verbatim."""
    docs = (REPO / "docs" / "actions-and-report.md").read_text(encoding="utf-8")
    shown = docs.split('$ pmlint actions --open --owner "Marcus Lee" --today 2026-03-20\n', 1)[1].split("```", 1)[0]
    assert run(REPO / "examples", "--open", "--owner", "Marcus Lee") == (0, shown)
