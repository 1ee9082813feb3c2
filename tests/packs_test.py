"""Shipped rule data: the compiled JSON matches the YAML, and packs validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postmortem_lint.io.resources import data_fingerprint, data_path
from postmortem_lint.io.yamlio import load_yaml
from postmortem_lint.packs import loader as packs
from postmortem_lint.packs.sections import sections


def test_compiled_json_holds_the_shipped_yaml() -> None:
    """Its freshness is tests/generated_test.py's (`python -m postmortem_lint.generate` rewrites it)."""
    compiled = json.loads(data_path(packs.COMPILED).read_text(encoding="utf-8"))
    assert compiled["fingerprint"] == data_fingerprint()
    for path in sorted(data_path("rules").glob("*.yaml")):
        assert compiled["files"][path.name] == load_yaml(path), path.name


def test_a_team_sections_pack_replaces_the_default(tmp_path: Path) -> None:
    pack = tmp_path / "sections.yaml"
    pack.write_text("name: lean\nsections:\n  - name: Summary\n  - name: Action Items\n", encoding="utf-8")
    loaded = sections(str(pack))
    assert loaded.name == "lean"
    assert [s.key for s in loaded.sections] == ["summary", "action items"]


def test_a_bad_sections_pack_names_the_file_and_entry(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text("sections:\n  - title: Summary\n", encoding="utf-8")
    with pytest.raises(packs.PackError, match=r"bad\.yaml: sections\.0\.name"):
        sections(str(pack))
