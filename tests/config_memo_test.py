"""Validated configuration is remembered by content: same settings, no re-validation."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from postmortem_lint.config import files, memo
from postmortem_lint.config import load as config

RICH = """\
include: [tasks/post-mortem-*.md, archive/post-mortem-*.md]
tracker: docs/TRACKING.md
select: [PM2, PM5]
ignore: [PM405]
severity: {PM507: error, PM302: off}
per-file-ignores: {"archive/*": [PM4, PM801]}
incident-number-width: 4
blame:
  extra-phrases: ["dropped the ball"]
  allow: [human-error]
since: 2025-01-01
timezone: Europe/Paris
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PMLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    (tmp_path / ".pmlint.yaml").write_text(RICH, encoding="utf-8")
    return tmp_path


def test_remembered_settings_equal_the_validated_ones(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = config.load(project, cwd=project)
    monkeypatch.setattr(files, "_validate", lambda *a: pytest.fail("validated again"))
    again = config.load(project, cwd=project)
    assert again == first
    assert again.since == dt.date(2025, 1, 1)
    assert again.per_file_ignores == {"archive/*": ("PM4", "PM801")}
    assert again.include == ("tasks/post-mortem-*.md", "archive/post-mortem-*.md")


def test_an_edited_file_is_validated_again(project: Path) -> None:
    config.load(project, cwd=project)
    (project / ".pmlint.yaml").write_text(RICH + "bogus: 1\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match=r"\.pmlint\.yaml:13: bogus"):
        config.load(project, cwd=project)


def test_a_corrupt_memo_is_ignored(project: Path) -> None:
    first = config.load(project, cwd=project)
    note = project / ".pmlint_cache" / memo.SETTINGS_NOTE
    note.write_text('{"key": "x", "settings": ', encoding="utf-8")
    assert config.load(project, cwd=project) == first


def test_without_remember_nothing_is_written(project: Path) -> None:
    config.load(project, cwd=project, remember=False)
    assert not (project / ".pmlint_cache").exists()


def test_a_remembered_load_imports_neither_pydantic_nor_ruamel(project: Path) -> None:

    config.load(project, cwd=project)
    code = (
        "import sys; from pathlib import Path; from postmortem_lint.config import load as config; "
        f"config.load(Path({str(project)!r}), cwd=Path({str(project)!r})); "
        "print(sorted(m for m in ('pydantic', 'ruamel.yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
