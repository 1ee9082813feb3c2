"""The header cache: the files a one-file run does not report on are read once, then found by their stat.

Never stale: an edit is seen however it is made, including one that keeps the
size and puts the old mtime back (the ctime still moves), and an entry whose
file changed too shortly before it was read ("racy", as git calls it) is not
trusted. Each test counts the header blocks actually read (`linter.header_summary`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, TODAY, clean_text

from postmortem_lint.config.settings import Settings
from postmortem_lint.document.summary import Summary
from postmortem_lint.io import cachedir
from postmortem_lint.lint import cache, engine, linter

OTHER = "tasks/post-mortem-2026-03-15-other.md"
THIRD = "tasks/post-mortem-2026-03-16-third.md"
LATER = 10 * cache.RACY_NS


@pytest.fixture(autouse=True)
def _no_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PMLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)


def _write(root: Path, rel: str, number: str) -> None:
    text = clean_text().replace("INC-2026-03-14-001", number).replace("# Post-Mortem: ", f"# Post-Mortem: {number} ")
    (root / rel).write_text(text, encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "tasks").mkdir()
    _write(tmp_path, CLEAN_PATH, "INC-2026-03-14-001")
    _write(tmp_path, OTHER, "INC-2026-03-15-001")
    _write(tmp_path, THIRD, "INC-2026-03-16-001")
    return tmp_path


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose header block was read, in order."""
    seen: list[str] = []
    real = linter.header_summary

    def counted(rel: str, *args: object) -> Summary:
        seen.append(rel)
        return real(rel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(linter, "header_summary", counted)
    return seen


def _later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs from now on read the files long after they were written: their entries are settled."""
    monkeypatch.setattr(cache, "_now", lambda: time.time_ns() + LATER)


Check = Callable[..., engine.RunResult]


@pytest.fixture
def check(root: Path, read: list[str]) -> Check:
    """Check CLEAN_PATH only, with the caches on; the other two files feed the cross-file rules."""

    def run(use_cache: bool = True) -> engine.RunResult:
        read.clear()
        targets = [engine.Target(root / rel, rel) for rel in sorted((CLEAN_PATH, OTHER, THIRD)) if (root / rel).exists()]
        return engine.check(targets, Settings(root=root), TODAY, report={CLEAN_PATH}, jobs=1, cache=use_cache)

    return run


def _pm701(result: engine.RunResult) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == "PM701"]


def _changed_ctime(path: Path, edit: Callable[[], None]) -> None:
    """Make ``edit`` to ``path`` at a later clock tick than its last change (as any real later edit is)."""
    before = path.stat().st_ctime_ns
    time.sleep(0.05)
    edit()
    assert path.stat().st_ctime_ns != before


def test_unreported_files_are_read_once_then_found_by_their_stat(check: Check, read: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _later(monkeypatch)
    first = check()
    assert read == [OTHER, THIRD]
    second = check()
    assert read == []
    assert second.diagnostics == first.diagnostics == check(use_cache=False).diagnostics
    assert second.results == first.results


def test_an_edit_of_an_unreported_file_is_seen(check: Check, read: list[str], root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _later(monkeypatch)
    assert _pm701(check()) == []
    _changed_ctime(root / OTHER, lambda: _write(root, OTHER, "INC-2026-03-14-001"))
    assert len(_pm701(check())) == 1
    assert read == [OTHER]


def test_a_same_size_edit_with_the_old_mtime_put_back_is_seen(
    check: Check, read: list[str], root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _later(monkeypatch)
    assert _pm701(check()) == []
    path = root / OTHER
    before = path.stat()
    data = path.read_bytes()
    edited = data.replace(b"INC-2026-03-15-001", b"INC-2026-03-14-001")
    assert len(edited) == len(data)

    def forge() -> None:
        path.write_bytes(edited)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    _changed_ctime(path, forge)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert len(_pm701(check())) == 1
    assert read == [OTHER]


def test_files_changed_just_before_they_were_read_are_read_again(check: Check, read: list[str], root: Path) -> None:
    """Racy entries: just written, the files could change again within their timestamp's tick, unseen by stat."""
    check()
    check()
    assert read == [OTHER, THIRD]
    assert not (root / cachedir.FOLDER / cache.HEADERS).exists()


def test_an_entry_is_trusted_only_when_its_file_was_settled_when_read(root: Path) -> None:
    path = root / OTHER
    stamp = cache.HeaderCache.stamp(path)
    assert stamp is not None
    summary = Summary(path=OTHER, incident="INC-2026-03-15-001")
    changed = max(stamp[1], stamp[2])
    store = cache.HeaderCache(root / cachedir.FOLDER, "key", root)
    for read_ns, trusted in ((changed + cache.RACY_NS // 2, False), (changed + cache.RACY_NS, False), (changed + cache.RACY_NS + 1, True)):
        store.stored = {OTHER: (*stamp, read_ns, cache._plain_summary(summary))}
        assert (store.get(OTHER, stamp) == summary) is trusted
    moved = (stamp[0], stamp[1], stamp[2] + 1, stamp[3], stamp[4])
    assert store.get(OTHER, moved) is None


def test_a_file_replaced_by_another_with_the_same_stat_times_is_seen(
    check: Check, read: list[str], root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _later(monkeypatch)
    check()
    path = root / OTHER
    before = path.stat()
    fresh = root / "fresh.md"
    fresh.write_bytes(path.read_bytes().replace(b"INC-2026-03-15-001", b"INC-2026-03-14-001"))
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(fresh, path)
    assert len(_pm701(check())) == 1
    assert read == [OTHER]


def test_a_deleted_file_leaves_the_header_cache(check: Check, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _later(monkeypatch)
    check()
    (root / THIRD).unlink()
    check()
    store = cache.HeaderCache.open(root)
    assert store is not None
    assert set(store.stored) == {OTHER}


def test_an_edited_pmlint_module_reads_the_headers_again(check: Check, read: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _later(monkeypatch)
    check()
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "edited-code")
    check()
    assert read == [OTHER, THIRD]


@pytest.mark.parametrize("garbage", [b"", b"junk", cache.HEADERS_MAGIC + bytes(32) + b"\x00"])
def test_a_corrupt_header_cache_is_a_miss(
    check: Check, read: list[str], root: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    _later(monkeypatch)
    expected = check().diagnostics
    (root / cachedir.FOLDER / cache.HEADERS).write_bytes(garbage)
    assert check().diagnostics == expected
    assert read == [OTHER, THIRD]
    check()
    assert read == []


def test_without_the_cache_the_headers_are_always_read(check: Check, read: list[str], root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _later(monkeypatch)
    check(use_cache=False)
    assert not (root / cachedir.FOLDER).exists()
    check()
    check(use_cache=False)
    assert read == [OTHER, THIRD]


def test_a_one_file_run_keeps_the_other_files_results(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a full run, checking one file neither unmarshals nor drops the others' cached results."""
    settings = Settings(root=root)
    targets = [engine.Target(root / rel, rel) for rel in sorted((CLEAN_PATH, OTHER, THIRD))]
    full = engine.check(targets, settings, TODAY, jobs=1, cache=True)
    decoded: list[str] = []
    real = cache.decode
    monkeypatch.setattr(cache, "decode", lambda rel, plain: decoded.append(rel) or real(rel, plain))
    engine.check(targets, settings, TODAY, report={OTHER}, jobs=1, cache=True)
    assert decoded == [OTHER]
    linted: list[str] = []
    lint = linter.lint_bytes
    monkeypatch.setattr(linter, "lint_bytes", lambda rel, *args: linted.append(rel) or lint(rel, *args))
    again = engine.check(targets, settings, TODAY, jobs=1, cache=True)
    assert linted == []
    assert again.diagnostics == full.diagnostics
