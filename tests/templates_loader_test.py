"""The `template:` value: a preset, a YAML pack or a Markdown template, with file:line errors and a cached compiled form."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from templatekit import FIXTURES

from postmortem_lint.packs.templates import presets
from postmortem_lint.packs.templates.loader import load_template
from postmortem_lint.packs.templates.runtime import TemplateError

PACK = "name: lean\nsections:\n  - Summary\n  - {name: Action Items, role: actions}\nactions: {section: actions, forms: [bullets]}\n"


def test_no_value_is_the_seed_preset(tmp_path: Path) -> None:
    assert load_template(None, tmp_path) is presets.preset("seed")
    assert load_template("  ", tmp_path) is presets.preset("seed")


def test_a_preset_by_name(tmp_path: Path) -> None:
    assert load_template("dfds", tmp_path).name == "dfds"


def test_a_yaml_pack_relative_to_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "lean.yaml").write_text(PACK, encoding="utf-8")
    pack = load_template("packs/lean.yaml", tmp_path)
    assert (pack.name, [s.id for s in pack.sections]) == ("lean", ["summary", "action items"])
    assert load_template(str(tmp_path / "packs" / "lean.yaml"), Path("/nonexistent")).name == "lean"


def test_a_markdown_template_is_derived(tmp_path: Path) -> None:
    (tmp_path / "our-template.md").write_text("# Incident: [Title]\n\n**Owner:** [Name]\n\n## Summary\n\n## Actions\n", encoding="utf-8")
    pack = load_template("our-template.md", tmp_path)
    assert pack.name == "our-template"
    assert [f.key for f in pack.fields] == ["owner"] and [s.name for s in pack.sections] == ["Summary", "Actions"]


@pytest.mark.parametrize(
    ("value", "content", "message"),
    [
        ("sre", None, r"^template `sre`: no such preset \(the presets are seed, "),
        ("packs/missing.yaml", None, r"^template `packs/missing.yaml`: no such file"),
        (
            "bad.yaml",
            "name: t\nsections:\n  - name: A\n    levle: 2\n",
            r"^bad\.yaml:4: sections\.0\.levle: unknown key; did you mean `level`\?",
        ),
        ("broken.yaml", "name: [unclosed\n", r"^broken\.yaml:2: "),
        ("tags.yaml", "name: !!python/object:os.system x\n", r"^tags\.yaml:1: YAML tag"),
        ("empty.yaml", "", r"^empty\.yaml:1: the template pack must be a mapping"),
        ("notes.md", "# Notes\n\nNothing here.\n", r"^notes\.md:1: no template found"),
        ("binary.md", b"# T\n\x00\x01", r"^binary\.md:2: file contains NUL bytes"),
        ("latin.md", "# T\n\n## Caf\xe9\n".encode("latin-1"), r"^latin\.md:3: not valid UTF-8"),
    ],
)
def test_bad_values_are_one_line_errors_naming_the_file(tmp_path: Path, value: str, content: str | bytes | None, message: str) -> None:
    if content is not None:
        target = tmp_path / value
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(TemplateError, match=message) as caught:
        load_template(value, tmp_path)
    assert "\n" not in str(caught.value)


def test_a_directory_is_not_a_template(tmp_path: Path) -> None:
    (tmp_path / "tpl.md").mkdir()
    with pytest.raises(TemplateError, match="no such file"):
        load_template("tpl.md", tmp_path)


def test_a_team_pack_is_validated_once_then_read_without_pydantic(tmp_path: Path) -> None:
    """The second run finds the compiled pack in the cache folder and imports neither pydantic nor ruamel."""
    (tmp_path / "lean.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "team.md").write_text((FIXTURES / "dfds" / "clean.md").read_text(encoding="utf-8"), encoding="utf-8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from postmortem_lint.packs.templates.loader import load_template\n"
        "root = Path(sys.argv[1])\n"
        "names = [load_template(v, root, cache_root=root).name for v in ('lean.yaml', 'team.md')]\n"
        "print(*names, 'pydantic' in sys.modules, 'ruamel' in sys.modules)\n"
    )
    env = {**os.environ, "PMLINT_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True, env=env)
    assert first.stdout.split() == ["lean", "team", "True", "True"]
    second = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True, env=env)
    assert second.stdout.split() == ["lean", "team", "False", "False"]
    (tmp_path / "lean.yaml").write_text(PACK.replace("lean", "leaner"), encoding="utf-8")
    third = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True, env=env)
    assert third.stdout.split()[0] == "leaner", "an edited pack is validated again"


def test_one_cached_file_does_not_serve_another(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(PACK.replace("lean", "other"), encoding="utf-8")
    os.environ["PMLINT_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        assert load_template("a.yaml", tmp_path, cache_root=tmp_path).name == "lean"
        assert load_template("b.yaml", tmp_path, cache_root=tmp_path).name == "other"
        assert load_template("a.yaml", tmp_path, cache_root=tmp_path).name == "lean"
    finally:
        del os.environ["PMLINT_CACHE_DIR"]
