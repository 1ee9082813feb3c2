"""The `template:` configuration key: a preset, a pack file or a Markdown template, checked up front with file:line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from repokit import init, pmlint, write

from postmortem_lint.config.load import load as load_settings
from postmortem_lint.lint.providers import context

DOC = "# Post-Mortem: Cache outage\n"


def _repo(tmp_path: Path, config: str) -> Path:
    repo = init(tmp_path / "repo")
    write(repo, ".pmlint.yaml", config)
    write(repo, "tasks/post-mortem-2026-01-02-cache.md", DOC)
    return repo


def test_an_unknown_preset_is_a_usage_error_at_the_key_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "since: 2020-01-01\ntemplate: sre\n")
    done = pmlint(repo, "check")
    assert done.returncode == 2
    assert done.stderr.startswith("pmlint: error: .pmlint.yaml:2: template `sre`: no such preset (the presets are seed,")
    assert "Traceback" not in done.stderr


def test_a_missing_template_file_names_the_key_line(tmp_path: Path) -> None:
    done = pmlint(_repo(tmp_path, "template: docs/ours.md\n"), "check")
    assert (done.returncode, done.stderr.strip()) == (2, "pmlint: error: .pmlint.yaml:1: template: docs/ours.md does not exist")


def test_a_template_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.md").write_text("## Summary\n", encoding="utf-8")
    done = pmlint(_repo(tmp_path, "template: ../outside.md\n"), "check")
    assert done.returncode == 2 and "leads outside the project root" in done.stderr


def test_a_markdown_file_with_no_template_in_it_names_that_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "template: notes.md\n")
    write(repo, "notes.md", "# Notes\n\nnothing here\n")
    done = pmlint(repo, "check")
    assert done.returncode == 2
    assert done.stderr.startswith("pmlint: error: notes.md:1: no template found")


def test_a_bad_pack_file_names_its_own_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "template: pack.yaml\n")
    write(repo, "pack.yaml", "name: ours\nsections:\n  - name: Summary\n    levle: 2\n")
    done = pmlint(repo, "check")
    assert done.returncode == 2
    assert done.stderr.startswith("pmlint: error: pack.yaml:4: sections.0.levle: unknown key")


def test_the_rules_are_handed_the_configured_pack(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "template: google-sre\n")
    settings = load_settings(repo, cwd=repo)
    assert settings.template == "google-sre"
    assert context(settings, dt.date(2026, 1, 2)).packs.template().name == "google-sre"
    own = _repo(tmp_path / "b", "template: ours.yaml\n")
    write(own, "ours.yaml", "name: ours\nsections:\n  - name: Summary\n")
    settings = load_settings(own, cwd=own)
    assert Path(settings.template or "").is_absolute()
    assert context(settings, dt.date(2026, 1, 2)).packs.template().name == "ours"


def test_no_template_key_means_the_seed_preset(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "since: 2020-01-01\n")
    settings = load_settings(repo, cwd=repo)
    assert settings.template is None
    assert context(settings, dt.date(2026, 1, 2)).packs.template().name == "seed"
