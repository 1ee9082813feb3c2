"""The result cache: hits on unchanged files, and never a stale result.

Each test counts the files actually linted (`linter.lint_bytes` calls): a hit
lints nothing, and every input a result depends on — the bytes, the settings,
the rule data, pmlint's version, the date, the owners roster — forces a lint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, TODAY, clean_text, replace_line
from repokit import git, init

from postmortem_lint.cli import main
from postmortem_lint.config.settings import Settings
from postmortem_lint.io import cachedir, resources
from postmortem_lint.lint import cache, engine, linter

FLAWED = "tasks/post-mortem-2026-03-14-flawed.md"


@pytest.fixture(autouse=True)
def _no_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PMLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)


def _project(root: Path) -> Path:
    (root / "tasks").mkdir(parents=True)
    (root / CLEAN_PATH).write_text(clean_text(), encoding="utf-8")
    flawed = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    flawed += "\n<!-- pmlint-disable-next-line PM402 -->\nNothing to suppress here.\n"
    (root / FLAWED).write_text(flawed, encoding="utf-8")
    return root


def _targets(root: Path) -> list[engine.Target]:
    return [engine.Target(root / rel, rel) for rel in (CLEAN_PATH, FLAWED)]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    linted: list[str] = []
    real = linter.lint_bytes

    def counted(rel: str, *args: object) -> engine.FileResult:
        linted.append(rel)
        return real(rel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(linter, "lint_bytes", counted)
    return linted


Run = Callable[..., engine.RunResult]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Run, list[str]]:
    """A checker over the temporary project that records which files it linted."""
    root = _project(tmp_path)
    linted = _counting(monkeypatch)

    def check(settings: Settings | None = None, today: dt.date = TODAY, use_cache: bool = True) -> engine.RunResult:
        linted.clear()
        return engine.check(_targets(root), settings or Settings(root=root), today, jobs=1, cache=use_cache)

    return check, linted


def test_an_unchanged_file_is_a_hit_with_the_same_diagnostics(run: tuple[Run, list[str]]) -> None:
    check, linted = run
    first = check()
    assert sorted(linted) == [CLEAN_PATH, FLAWED]
    second = check()
    assert linted == []
    assert second.diagnostics == first.diagnostics
    assert {d.code for d in second.diagnostics} >= {"PM204", "PM901"}
    assert second.results[FLAWED] == first.results[FLAWED]


def test_an_edit_relints_only_that_file_and_reports_the_new_content(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, linted = run
    check()
    flawed = tmp_path / FLAWED
    flawed.write_text(flawed.read_text(encoding="utf-8").replace("SEV-9", "SEV-2"), encoding="utf-8")
    after = check()
    assert linted == [FLAWED]
    assert "PM204" not in {d.code for d in after.diagnostics}


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, linted = run
    check()
    path = tmp_path / CLEAN_PATH
    before = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"SEV-2", b"SEV-3", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    check()
    assert linted == [CLEAN_PATH]


@pytest.mark.parametrize(
    "change",
    [
        {"ignore": ("PM204",)},
        {"incident_number_width": 4},
        {"blame_extra_phrases": ("dropped the ball",)},
        {"severity": {"PM204": "warning"}},
    ],
)
def test_a_configuration_change_relints_everything(run: tuple[Run, list[str]], tmp_path: Path, change: dict[str, object]) -> None:
    check, linted = run
    base = Settings(root=tmp_path)
    check(base)
    check(replace(base, **change))  # type: ignore[arg-type]
    assert sorted(linted) == [CLEAN_PATH, FLAWED]
    check(replace(base, **change))  # type: ignore[arg-type]
    assert linted == []


def test_a_selection_change_gives_the_selected_rules_findings(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, _ = run
    check(Settings(root=tmp_path, select=("PM9",)))
    found = check(Settings(root=tmp_path, select=("PM2",)))
    assert {d.code for d in found.diagnostics} == {"PM204"}


def test_a_rule_data_change_relints_everything(run: tuple[Run, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    check, linted = run
    check()
    monkeypatch.setattr(resources, "data_fingerprint", lambda: "edited-rules")
    check()
    assert sorted(linted) == [CLEAN_PATH, FLAWED]


def test_a_new_pmlint_version_relints_everything(run: tuple[Run, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    check, linted = run
    check()
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    check()
    assert sorted(linted) == [CLEAN_PATH, FLAWED]


def test_an_edited_pmlint_module_relints_everything(run: tuple[Run, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    check, linted = run
    check()
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "edited-code")
    check()
    assert sorted(linted) == [CLEAN_PATH, FLAWED]


def test_another_day_relints_nothing_and_still_judges_overdue_items_by_that_day(run: tuple[Run, list[str]]) -> None:
    check, linted = run
    early = check(today=dt.date(2000, 1, 1))
    late = check(today=dt.date(2100, 1, 1))
    assert linted == []
    assert not [d for d in early.diagnostics if d.code == "PM507"]
    assert [d for d in late.diagnostics if d.code == "PM507"]


def test_an_owners_roster_change_relints_everything(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, linted = run
    roster = tmp_path / "team.txt"
    roster.write_text("Elena Petrova\n", encoding="utf-8")
    settings = Settings(root=tmp_path, owners="team.txt")
    check(settings)
    check(settings)
    assert linted == []
    roster.write_text("Elena Petrova\nDaniel Okafor\n", encoding="utf-8")
    check(settings)
    assert sorted(linted) == [CLEAN_PATH, FLAWED]


def test_content_from_the_git_index_is_cached_by_its_bytes(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, linted = run
    check()
    staged = (tmp_path / FLAWED).read_bytes().replace(b"SEV-9", b"SEV-4")
    targets = [engine.Target(tmp_path / CLEAN_PATH, CLEAN_PATH), engine.Target(tmp_path / FLAWED, FLAWED, staged)]
    settings = Settings(root=tmp_path)
    for _ in range(2):
        linted.clear()
        found = engine.check(targets, settings, TODAY, jobs=1, cache=True)
        assert "PM204" not in {d.code for d in found.diagnostics}
    assert linted == []
    engine.check(targets, settings, TODAY, jobs=1, cache=True)
    assert linted == []


def test_without_the_cache_nothing_is_read_or_written(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, linted = run
    check(use_cache=False)
    assert not (tmp_path / cachedir.FOLDER).exists()
    check()
    check(use_cache=False)
    assert sorted(linted) == [CLEAN_PATH, FLAWED]


def test_no_cache_option_neither_reads_nor_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    linted = _counting(monkeypatch)
    assert main(["check", "--no-cache", "--today", "2026-03-20"]) == 1
    uncached = capsys.readouterr().out
    assert not (tmp_path / cachedir.FOLDER).exists()
    assert main(["check", "--today", "2026-03-20"]) == 1
    written = sorted((tmp_path / cachedir.FOLDER).glob("results-*.marshal"))
    assert len(written) == 1
    stamp = written[0].stat().st_mtime_ns
    linted.clear()
    assert main(["check", "--no-cache", "--today", "2026-03-20"]) == 1
    assert sorted(linted) == [CLEAN_PATH, FLAWED]
    assert written[0].stat().st_mtime_ns == stamp
    linted.clear()
    capsys.readouterr()
    assert main(["check", "--today", "2026-03-20"]) == 1
    assert linted == []
    assert capsys.readouterr().out == uncached


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not marshal at all \x00\xff",
        marshal.dumps(["a", "list"]),
        cache.MAGIC,
        cache.MAGIC + bytes(32) + marshal.dumps({}),
    ],
)
def test_a_corrupt_cache_file_is_a_miss_and_gets_rewritten(run: tuple[Run, list[str]], tmp_path: Path, garbage: bytes) -> None:
    check, linted = run
    expected = check(use_cache=False).diagnostics
    check()
    (result_file,) = (tmp_path / cachedir.FOLDER).glob("results-*.marshal")
    result_file.write_bytes(garbage)
    assert check().diagnostics == expected
    assert sorted(linted) == [CLEAN_PATH, FLAWED]
    check()
    assert linted == []


def test_a_tampered_payload_fails_its_checksum_and_is_a_miss(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, linted = run
    expected = check().diagnostics
    (result_file,) = (tmp_path / cachedir.FOLDER).glob("results-*.marshal")
    data = result_file.read_bytes()
    result_file.write_bytes(data[:-40] + bytes(b ^ 1 for b in data[-40:]))
    assert check().diagnostics == expected
    assert sorted(linted) == [CLEAN_PATH, FLAWED]


def test_an_entry_of_the_wrong_shape_is_a_miss(tmp_path: Path) -> None:
    store = cache.ResultCache(tmp_path, "key", None)
    store.stored = {CLEAN_PATH: (b"d", ((("not", "a", "finding"),), None)), FLAWED: "nonsense"}
    assert store.get(CLEAN_PATH, b"d") is None
    assert store.get(FLAWED, b"d") is None


def test_an_unwritable_cache_folder_is_not_an_error(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, _ = run
    (tmp_path / cachedir.FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    assert check().diagnostics == check(use_cache=False).diagnostics


def test_the_cache_folder_is_ignored_by_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = init(tmp_path / "repo")
    _project(repo)
    git(repo, "add", "tasks")
    git(repo, "commit", "-q", "-m", "post-mortems")
    monkeypatch.chdir(repo)
    assert main(["check", "--today", "2026-03-20"]) == 1
    assert list((repo / cachedir.FOLDER).glob("results-*.marshal"))
    assert git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored=no") == ""
    assert not (repo / ".gitignore").exists()


def test_xdg_cache_home_is_respected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path / "project")
    (project / ".git").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(project)
    assert main(["check", "--today", "2026-03-20"]) == 1
    assert not (project / cachedir.FOLDER).exists()
    folders = list((tmp_path / "xdg" / "pmlint").iterdir())
    assert len(folders) == 1 and list(folders[0].glob("results-*.marshal"))
    assert cachedir.cache_dir(project) == folders[0]


def test_pmlint_cache_dir_wins_and_projects_do_not_share_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PMLINT_CACHE_DIR", str(tmp_path / "mine"))
    one, two = cachedir.cache_dir(tmp_path / "one"), cachedir.cache_dir(tmp_path / "two")
    assert one.parent == two.parent == tmp_path / "mine"
    assert one != two


def test_only_the_newest_result_files_are_kept(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, _ = run
    for width in range(1, cache.KEEP + 4):
        check(settings=Settings(root=tmp_path, incident_number_width=width))
    assert len(list((tmp_path / cachedir.FOLDER).glob("results-*.marshal"))) == cache.KEEP


def test_encode_and_decode_round_trip_every_part_of_a_result(tmp_path: Path) -> None:
    _project(tmp_path)
    for rel in (CLEAN_PATH, FLAWED):
        result = linter.lint_bytes(rel, (tmp_path / rel).read_bytes(), None, Settings(root=tmp_path), TODAY)
        plain = cache.encode(result)
        assert marshal.loads(marshal.dumps(plain)) == plain
        assert cache.decode(rel, plain) == result
    flawed = linter.lint_bytes(FLAWED, (tmp_path / FLAWED).read_bytes(), None, Settings(root=tmp_path), TODAY)
    assert flawed.findings and flawed.suppressions and flawed.summary and flawed.summary.actions


def test_encode_covers_every_field_of_a_result() -> None:
    assert [f.name for f in dataclasses.fields(engine.FileResult)] == ["rel", "findings", "summary", "suppressions"]


def test_worker_processes_give_the_same_results_and_fill_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    for number in range(engine.PARALLEL_THRESHOLD):
        text = clean_text().replace("INC-2026-03-14-001", f"INC-2026-03-14-{number + 100:03d}")
        (root / f"tasks/post-mortem-2026-03-14-copy-{number}.md").write_text(text, encoding="utf-8")
    targets = [engine.Target(p, p.relative_to(root).as_posix()) for p in sorted((root / "tasks").glob("*.md"))]
    settings = Settings(root=root)
    serial = engine.check(targets, settings, TODAY, jobs=1)
    parallel = engine.check(targets, settings, TODAY, jobs=2, cache=True)
    assert parallel.diagnostics == serial.diagnostics
    assert parallel.results == serial.results
    linted = _counting(monkeypatch)
    assert engine.check(targets, settings, TODAY, jobs=2, cache=True).results == serial.results
    assert linted == []


def test_a_cache_folder_linked_outside_the_project_is_never_written(run: tuple[Run, list[str]], tmp_path: Path) -> None:
    check, _ = run
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / cachedir.FOLDER).symlink_to(outside)
    assert check().diagnostics == check(use_cache=False).diagnostics
    assert list(outside.iterdir()) == []
