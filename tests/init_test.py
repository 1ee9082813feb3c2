"""`pmlint init [FOLDER]`: the fit it prints, the `.pmlint.yaml` it writes, and what the archive's commands give after it.

The unit tests use the presets' own fixtures (`tests/fixtures/templates/`); the corpus tests copy each
archive of the shared corpus to a temporary repository at test time (never into the project) and are
skipped when the corpus is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
from pathlib import Path, PurePosixPath

import pytest
from corpus_archives import CORPUS, EXPECTED, archives
from hypothesis import given
from hypothesis import strategies as st
from repokit import make_repo, pmlint
from templatekit import FIXTURES

from postmortem_lint.features import initialize
from postmortem_lint.packs.templates import presets

TODAY = "2026-03-20"


def _archive(root: Path, folder: str, texts: dict[str, str]) -> Path:
    make_repo(root)
    for name, text in texts.items():
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _fixture(name: str, kind: str = "clean") -> str:
    return (FIXTURES / name / f"{kind}.md").read_text(encoding="utf-8")


def _config(root: Path) -> str:
    return (root / ".pmlint.yaml").read_text(encoding="utf-8")


def _key(config: str, key: str) -> str | None:
    found = re.search(rf"^{key}: (.*)$", config, re.M)
    return found.group(1).strip() if found else None


def test_init_writes_the_best_preset_and_an_include_of_the_team_s_names(tmp_path: Path) -> None:
    names = [f"INC-{n} - incident {n}.md" for n in (101, 102, 103)]
    root = _archive(tmp_path, "docs/postmortems", {name: _fixture("dfds") for name in names})
    done = pmlint(root, "init", "docs/postmortems", "--no-input", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    config = _config(root)
    assert _key(config, "template") == "dfds"
    include = re.findall(r'^  - "(.*)"$', config, re.M)
    assert include and all(any(PurePosixPath(f"docs/postmortems/{n}").match(glob) for glob in include) for n in names)
    assert _key(config, "folder") == '"docs/postmortems"'
    assert "ignore: [PM101]" in config, "names that are not post-mortem-YYYY-MM-DD-<slug>.md switch the file-name rule off"
    ranked = [line.split()[0] for line in done.stdout.splitlines() if line.startswith("  ")][: len(presets.names())]
    assert ranked[0] == "dfds" and sorted(ranked) == sorted(presets.names()), "every preset's fit is printed, best first"
    assert "- id: pmlint" in done.stdout, "the pre-commit snippet is printed"
    shown = pmlint(root, "config")
    assert shown.returncode == 0, shown.stderr
    assert "dfds" in shown.stdout


def test_the_written_configuration_is_one_pmlint_reads(tmp_path: Path) -> None:
    root = _archive(tmp_path, "tasks", {f"post-mortem-2026-02-1{n}-x.md": _fixture("google-sre") for n in range(3)})
    assert pmlint(root, "init", "--no-input").returncode == 0
    config = _config(root)
    assert _key(config, "template") == "google-sre"
    assert "PM101" not in config, "post-mortem-YYYY-MM-DD-<slug>.md names keep the file-name rule"
    done = pmlint(root, "check", "--format", "json", "--no-cache", "--today", TODAY)
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["files_checked"] == 3


def test_the_archive_s_blank_template_is_excluded(tmp_path: Path) -> None:
    texts = {
        "PM2026-001 - a.md": _fixture("dfds"),
        "PM2026-002 - b.md": _fixture("dfds"),
        "PMyyyy-nnn - Postmortem template.md": _fixture("dfds"),
    }
    root = _archive(tmp_path, "tasks", texts)
    assert pmlint(root, "init", "--no-input").returncode == 0
    assert '  - "tasks/PMyyyy-nnn - Postmortem template.md"' in _config(root)
    done = pmlint(root, "check", "--format", "json", "--no-cache", "--today", TODAY)
    assert json.loads(done.stdout)["files_checked"] == 2


def test_preset_forces_one_and_an_unknown_one_is_a_one_line_error(tmp_path: Path) -> None:
    root = _archive(tmp_path, "tasks", {"a.md": _fixture("dfds")})
    bad = pmlint(root, "init", "--no-input", "--preset", "nope")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "nope" in bad.stderr
    assert not (root / ".pmlint.yaml").exists()
    forced = pmlint(root, "init", "--no-input", "--preset", "mentimeter")
    assert forced.returncode == 0, forced.stderr
    assert _key(_config(root), "template") == "mentimeter"


def test_an_existing_configuration_is_kept_without_force(tmp_path: Path) -> None:
    root = _archive(tmp_path, "tasks", {"a.md": _fixture("dfds")})
    (root / ".pmlint.yaml").write_text("tracker: MINE.md\n", encoding="utf-8")
    refused = pmlint(root, "init", "--no-input")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and ".pmlint.yaml" in refused.stderr and "--force" in refused.stderr
    assert _config(root) == "tracker: MINE.md\n"
    assert pmlint(root, "init", "--no-input", "--force").returncode == 0
    assert _key(_config(root), "template") == "dfds"


def test_without_no_input_it_asks_with_the_best_fit_as_default(tmp_path: Path) -> None:
    root = _archive(tmp_path, "tasks", {"a.md": _fixture("mentimeter"), "b.md": _fixture("mentimeter")})
    taken = pmlint(root, "init", input="\n")
    assert taken.returncode == 0, taken.stderr
    assert _key(_config(root), "template") == "mentimeter"
    ranked = [line.split()[0] for line in taken.stdout.splitlines() if line.startswith("  ")]
    second = pmlint(root, "init", "--force", input="2\n")
    assert second.returncode == 0, second.stderr
    assert _key(_config(root), "template") == ranked[1]


def test_a_missing_folder_or_one_without_markdown_is_a_one_line_error(tmp_path: Path) -> None:
    root = _archive(tmp_path, "tasks", {"notes.txt": "x"})
    for args in (("init", "--no-input"), ("init", "nowhere", "--no-input")):
        done = pmlint(root, *args)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
    assert not (root / ".pmlint.yaml").exists()


def test_older_files_that_predate_the_template_get_a_since(tmp_path: Path) -> None:
    old = "# Old outage\n\nWe wrote prose then.\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 2019-01-0{d} 10:00 | thing |\n"
    texts = {f"2019-0{d}.md": old.replace("{d}", str(d)) for d in range(1, 4)}
    texts |= {f"2026-0{d}.md": _fixture("dfds") for d in range(1, 4)}
    root = _archive(tmp_path, "tasks", texts)
    done = pmlint(root, "init", "--no-input", "--preset", "dfds")
    assert done.returncode == 0, done.stderr
    assert _key(_config(root), "since") == "2026-02-12", "the oldest file that fits (the fixture's timeline date)"


def test_when_nothing_fits_the_closest_is_written_with_a_baseline(tmp_path: Path) -> None:
    prose = "# What broke\n\n## Thoughts\n\nIt broke.\n\n## Musings\n\nWe mused.\n"
    root = _archive(tmp_path, "tasks", {f"note-{n}.md": prose for n in range(4)})
    done = pmlint(root, "init", "--no-input", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert "no preset fits" in done.stderr
    assert (root / initialize.BASELINE_NAME).is_file()
    assert f"--baseline, {initialize.BASELINE_NAME}" in done.stdout, "the snippet passes the baseline to the hook"
    checked = pmlint(root, "check", "--baseline", initialize.BASELINE_NAME, "--today", TODAY, "--no-cache")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@given(st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9 _-]{0,20}\.md", fullmatch=True), min_size=1, max_size=8, unique=True))
def test_the_derived_include_matches_every_file_it_was_derived_from(names: list[str]) -> None:
    paths = [f"docs/pm/{n}" for n in names]
    globs = initialize.include_globs(paths, "docs/pm")
    assert all(any(PurePosixPath(p).match(g) for g in globs) for p in paths)


# -- the corpus -----------------------------------------------------------------------------------

ARCHIVES = archives()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")


def _copied(tmp_path: Path, name: str) -> Path:
    """The archive's files in a temporary repository's ``tasks/`` (a file without an extension gets ``.md``)."""
    root = make_repo(tmp_path / name)
    (root / "tasks").mkdir()
    for path in ARCHIVES[name]:
        shutil.copyfile(path, root / "tasks" / (path.name if path.suffix else path.name + ".md"))
    return root


def _initialised(tmp_path: Path, name: str) -> Path:
    root = _copied(tmp_path, name)
    done = pmlint(root, "init", "--no-input", "--today", TODAY, timeout=600)
    assert done.returncode == 0, done.stderr
    return root


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_init_picks_the_expected_preset(tmp_path: Path, name: str) -> None:
    root = _initialised(tmp_path, name)
    config = _config(root)
    expected = EXPECTED[name]
    if expected is None:
        assert (root / initialize.BASELINE_NAME).is_file(), "nothing fits: the closest preset is written with a baseline"
    else:
        assert _key(config, "template") == expected


def _actions(root: Path) -> list[dict[str, object]]:
    done = pmlint(root, "actions", "--format", "json", "--no-cache", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)["actions"]
    return found


@needs_corpus
@pytest.mark.parametrize("name", ["dfds", "sre-book"])
def test_actions_lists_the_archive_s_items_and_their_owners(tmp_path: Path, name: str) -> None:
    root = _initialised(tmp_path, name)
    items = _actions(root)
    with_items = {str(i["path"]) for i in items}
    pack = presets.preset(EXPECTED[name] or "seed")
    section = pack.section("actions")
    assert section is not None
    heading = re.compile(rf"^#{{1,4}}\s+(?:{'|'.join(re.escape(label) for label in (section.name, *section.aliases))})\s*$", re.I | re.M)
    excluded = _excluded(root)
    stating = {
        f"tasks/{p.name}"
        for p in (root / "tasks").glob("*.md")
        if heading.search(p.read_text(encoding="utf-8")) and f"tasks/{p.name}" not in excluded
    }
    assert stating and stating <= with_items | {p for p in stating if not _has_items(root / p)}
    owned = [i for i in items if i["owner"]]
    for item in owned:
        line = (root / str(item["path"])).read_text(encoding="utf-8").split("\n")[int(str(item["line"])) - 1]
        assert str(item["owner"]).lstrip("@") in line, (item, line)
    if name == "sre-book":
        assert owned, "the SRE book's Action Items table has an Owner column"


def _has_items(path: Path) -> bool:
    """Whether the file's action section has a bullet, or a table with an Owner column (what the listing must show)."""
    text = path.read_text(encoding="utf-8")
    part = re.split(r"^#{1,4}\s+action items\s*$", text, maxsplit=1, flags=re.I | re.M)
    if len(part) < 2:
        return False
    body = re.split(r"^#{1,4}\s", part[1], maxsplit=1, flags=re.M)[0]
    return bool(re.search(r"^\s{0,3}(?:[-*+]|\d+\.)\s+\S|^\|.*\bowner\b.*\|\s*$", body, re.M | re.I))


@needs_corpus
def test_report_on_dfds_gives_time_to_detect_and_severity_where_the_files_state_them(tmp_path: Path) -> None:
    root = _initialised(tmp_path, "dfds")
    done = pmlint(root, "report", "--format", "json", "--no-cache", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    stated = re.compile(r"^- Time to detection:\s*\d+\s*(?:minutes?|hours?|days?)\b", re.M | re.I)
    stating = [p for p in (root / "tasks").glob("*.md") if stated.search(p.read_text())]
    assert stating
    assert report["time_to_detect"]["from_fields"] == len(stating)
    severities = [p for p in (root / "tasks").glob("*.md") if re.search(r"^\W*severity\W*:", p.read_text(), re.I | re.M)]
    unknown = report["by_severity"].get("unknown", 0)
    assert unknown == report["incidents"] - len(severities)


def _excluded(root: Path) -> set[str]:
    """The blank templates the written configuration excludes."""
    return set(re.findall(r'^  - "(tasks/[^"]*template[^"]*)"$', _config(root), re.M | re.I))


def _findings_per_file(root: Path) -> list[int]:
    """Findings of each file the written configuration checks (the blank templates it excludes left out)."""
    excluded = _excluded(root)
    args = ["--baseline", initialize.BASELINE_NAME] if (root / initialize.BASELINE_NAME).is_file() else []
    done = pmlint(root, "check", "--format", "json", "--no-cache", "--today", TODAY, *args, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    per: dict[str, int] = {}
    for d in json.loads(done.stdout)["diagnostics"]:
        per[d["path"]] = per.get(d["path"], 0) + 1
    return [per.get(f"tasks/{p.name}", 0) for p in (root / "tasks").glob("*.md") if f"tasks/{p.name}" not in excluded]


NOT_MET = {
    "mentimeter": "2 of its 3 documents are deliberately minimal examples that lack 3-4 of the template's sections (PM301, real)",
    "sre-book": "the two status-im files lack sections of the SRE-book layout and write times such as 07:7:47 (PM301/PM402, real)",
}
"""Archives where the issue's median (<= 2) is not met, and why: the findings there were read and are true."""


@needs_corpus
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.xfail(reason=NOT_MET[n], strict=True)) if n in NOT_MET else n for n in sorted(EXPECTED)]
)
def test_after_init_the_median_findings_per_file_is_at_most_two(tmp_path: Path, name: str) -> None:
    counts = _findings_per_file(_initialised(tmp_path, name))
    assert statistics.median(counts) <= 2, sorted(counts)
