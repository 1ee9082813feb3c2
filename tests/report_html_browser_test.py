"""`pmlint report --format html`: the incident table, the overdue action items, one colour per severity; and the page in Chromium.

The report is made by the real `pmlint` executable, for a generated archive with
known answers (tests/archivekit.py) and for examples/. The HTML is read with the
standard library's parser; then headless Chromium loads it over the DevTools
protocol (scripts/headless.py): no console message, exception or failed load, the
tables and colours as the page's own DOM and computed styles show them, and a
screenshot that is not blank and shows the severity colours. The browser tests
skip when Chromium is absent (`.ci/run` installs Debian's `chromium` as root).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import archivekit
import pytest
from archivekit import TODAY, Spec
from e2e_git_test import pmlint_command
from lintkit import REPO
from repokit import clean_env

from postmortem_lint.features import insights as report
from postmortem_lint.reporters.report.html import SEVERITY_COLOURS

sys.path.insert(0, str(REPO / "scripts"))
import headless

COUNT = 12
DEMO_DAY = "2026-04-15"
"""A day on which some of the demo's action items are overdue."""


def make_report(project: Path, out: Path, today: str) -> Path:
    """`pmlint report --format html -o OUT` run in ``project``."""
    args = [*pmlint_command(), "report", "--today", today, "--format", "html", "-o", str(out)]
    done = subprocess.run(args, cwd=project, env=clean_env(), capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return out


class Tables(HTMLParser):
    """The body rows of every `<table id=…>` (each cell's text, links and span classes) and the page's CSS."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[dict[str, Any]]]] = {}
        self.open: list[str] = []
        self.table = ""
        self.cell: dict[str, Any] | None = None
        self.css = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.open.append(tag)
        if tag == "table":
            self.table = attributes.get("id") or ""
            self.tables[self.table] = []
        elif tag == "tr" and "tbody" in self.open:
            self.tables[self.table].append([])
        elif tag == "td" and "tbody" in self.open:
            self.cell = {"text": "", "links": [], "classes": []}
            self.tables[self.table][-1].append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell["links"].append(attributes.get("href"))
        elif tag == "span" and self.cell is not None:
            self.cell["classes"].extend((attributes.get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass
        if tag == "td":
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell["text"] += data
        if self.open and self.open[-1] == "style":
            self.css += data


def tables(page: Path) -> Tables:
    parser = Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Spec], Path]:
    """A generated archive, and its report written to a sub-folder (links must climb out of it)."""
    incidents = archivekit.specs(COUNT)
    root = archivekit.write(tmp_path_factory.mktemp("archive"), incidents)
    (root / "reports").mkdir()
    return root, incidents, make_report(root, root / "reports" / "incidents.html", TODAY.isoformat())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "examples", root, dirs_exist_ok=True)
    return root, make_report(root, root / "report.html", DEMO_DAY)


# ---------------------------------------------------------------- the page's content


def test_incident_table_links_every_post_mortem(archive: tuple[Path, list[Spec], Path]) -> None:
    root, incidents, page = archive
    rows = tables(page).tables["incident-list"]
    assert len(rows) == COUNT
    linked = [(page.parent / unquote(row[0]["links"][0])).resolve() for row in rows]
    assert sorted(linked) == sorted((root / s.path).resolve() for s in incidents)
    assert all(path.is_file() for path in linked)
    newest_first = sorted(incidents, key=lambda s: s.date, reverse=True)
    assert [row[0]["text"] for row in rows] == [s.number for s in newest_first]
    assert [row[2]["text"] for row in rows] == [s.date.isoformat() for s in newest_first]
    pack = report.root_cause_pack()
    assert [row[5]["text"] for row in rows] == [pack.label(s.category) for s in newest_first]
    opened = [f"{sum(i.open for i in s.items)}/{len(s.items)}" for s in newest_first]
    assert [row[6]["text"] for row in rows] == opened


def test_each_severity_has_its_own_colour(archive: tuple[Path, list[Spec], Path]) -> None:
    _root, incidents, page = archive
    parsed = tables(page)
    rows = parsed.tables["incident-list"]
    newest_first = sorted(incidents, key=lambda s: s.date, reverse=True)
    assert [(row[3]["text"], row[3]["classes"]) for row in rows] == [
        (f"SEV-{s.severity}", ["badge", f"sev-{s.severity}"]) for s in newest_first
    ]
    assert len(set(SEVERITY_COLOURS.values())) == len(SEVERITY_COLOURS) == 5
    for n in range(1, 5):
        colour = SEVERITY_COLOURS[f"SEV-{n}"]
        assert f"svg rect.sev-{n} {{ fill: {colour}; }}" in parsed.css
        assert f".badge.sev-{n} {{ background: {colour};" in parsed.css
    html = page.read_text(encoding="utf-8")
    assert all(f'class="bar sev-{n}"' in html for n in range(1, 5))


def test_overdue_items_are_listed_with_their_owners(archive: tuple[Path, list[Spec], Path]) -> None:
    _root, incidents, page = archive
    rows = tables(page).tables["overdue-items"]
    expected = [(it.owner, it.due.isoformat(), (TODAY - it.due).days, s.number) for s in incidents for it in s.items if it.overdue]
    assert expected, "the generated archive has overdue items"
    shown = [(row[2]["text"], row[3]["text"], int(row[4]["text"]), row[5]["text"]) for row in rows]
    assert Counter(shown) == Counter(expected)
    assert [days for _o, _d, days, _n in shown] == sorted((days for _o, _d, days, _n in shown), reverse=True)
    for row in rows:
        href = row[5]["links"][0]
        path, line = href.split("#L")
        text = (page.parent / unquote(path)).read_text(encoding="utf-8").split("\n")
        assert text[int(line) - 1].startswith(f"| {row[0]['text']} |")


def test_no_overdue_item_says_so(demo: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = demo
    page = make_report(root, tmp_path / "early.html", "2026-01-01")
    assert "overdue-items" not in tables(page).tables
    assert "No open action item is past its due date on 2026-01-01." in page.read_text(encoding="utf-8")


def test_links_from_stdout_are_relative_to_the_current_folder(demo: tuple[Path, Path]) -> None:
    root, _ = demo
    done = subprocess.run(
        [*pmlint_command(), "report", "--format", "html", "--today", DEMO_DAY],
        cwd=root / "tasks",
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert 'href="../tasks/post-mortem-2026-03-14-checkout-latency.md"' in done.stdout


# ---------------------------------------------------------------- in Chromium

needs_chromium = pytest.mark.skipif(headless.browser() is None, reason="Chromium is not installed (apt-get install chromium)")

CHECKS = {
    "incidents": "document.querySelectorAll('#incident-list tbody tr').length",
    "overdue": "document.querySelectorAll('#overdue-items tbody tr').length",
    "links": "[...document.querySelectorAll('#incident-list a')].map(a => a.href)",
    "bar_fills": "Object.fromEntries([...document.querySelectorAll('#severity rect.bar')]"
    ".map(r => [r.getAttribute('class'), getComputedStyle(r).fill]))",
    "badges": "[...new Set([...document.querySelectorAll('.badge')].map(b => b.className + '=' + getComputedStyle(b).backgroundColor))]",
    "charts": "document.querySelectorAll('section.chart svg').length",
}


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _css_rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*_rgb(colour))


def _in_browser(page: Path) -> headless.Page:
    loaded = headless.load(page.resolve().as_uri(), CHECKS)
    assert loaded.errors == []
    return loaded


@needs_chromium
def test_the_browser_detects_console_errors_and_failed_loads(tmp_path: Path) -> None:
    """The assertion below means something: a page with a console error, an exception and a missing image fails it."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><title>bad</title><img src="missing.png"><script>console.error("boom"); nope();</script>', encoding="utf-8"
    )
    errors = headless.load(bad.as_uri()).errors
    assert any("boom" in e for e in errors)
    assert any("nope" in e for e in errors)
    assert any("missing.png" in e for e in errors)


@needs_chromium
def test_generated_archive_report_renders_without_errors(archive: tuple[Path, list[Spec], Path]) -> None:
    root, incidents, page = archive
    loaded = _in_browser(page)
    values = loaded.values
    assert values["incidents"] == COUNT
    assert values["overdue"] == sum(it.overdue for s in incidents for it in s.items)
    assert sorted(Path(unquote(urlsplit(href).path)) for href in values["links"]) == sorted((root / s.path).resolve() for s in incidents)
    assert values["bar_fills"] == {f"bar sev-{n}": _css_rgb(SEVERITY_COLOURS[f"SEV-{n}"]) for n in range(1, 5)}
    assert values["charts"] == 8
    seen = headless.colours(loaded.png)
    assert len(seen) > 1, "the screenshot is blank"
    assert {_rgb(SEVERITY_COLOURS[f"SEV-{n}"]) for n in range(1, 5)} <= seen


@needs_chromium
def test_demo_report_renders_without_errors(demo: tuple[Path, Path]) -> None:
    root, page = demo
    loaded = _in_browser(page)
    values = loaded.values
    assert values["incidents"] == len(list((root / "tasks").glob("post-mortem-*.md")))
    assert values["overdue"] > 0
    present = {b.split("=")[0].split()[1] for b in values["badges"]}
    assert present == {"sev-1", "sev-2"}
    for badge in values["badges"]:
        klass, colour = badge.split("=")
        assert colour == _css_rgb(SEVERITY_COLOURS["SEV-" + klass.split("-")[-1]])
    seen = headless.colours(loaded.png)
    assert len(seen) > 1
    assert {_rgb(SEVERITY_COLOURS["SEV-1"]), _rgb(SEVERITY_COLOURS["SEV-2"])} <= seen


def test_screenshot_in_the_docs_is_a_png_of_the_report() -> None:
    shot = REPO / "docs" / "report-screenshot.png"
    width, height, rows = headless.png_pixels(shot.read_bytes())
    assert width >= 800 and height >= 800 and len(rows) == height
    assert "docs/report-screenshot.png" in (REPO / "README.md").read_text(encoding="utf-8")
    seen = headless.colours(shot.read_bytes())
    assert {_rgb(SEVERITY_COLOURS["SEV-1"]), _rgb(SEVERITY_COLOURS["SEV-2"])} <= seen, "regenerate it: python scripts/report_screenshot.py"


def test_json_report_carries_the_same_lists(archive: tuple[Path, list[Spec], Path]) -> None:
    root, incidents, _page = archive
    args = [*pmlint_command(), "report", "--today", TODAY.isoformat(), "--format", "json"]
    done = subprocess.run(args, cwd=root, env=clean_env(), capture_output=True, text=True, check=False)
    data = json.loads(done.stdout)
    assert sorted(i["path"] for i in data["listing"]) == sorted(s.path for s in incidents)
    overdue = [(o["owner"], o["due"]) for o in data["overdue_items"]]
    assert Counter(overdue) == Counter((it.owner, it.due.isoformat()) for s in incidents for it in s.items if it.overdue)
    assert len(overdue) == data["action_items"]["overdue"]
