"""`pmlint report` on a generated archive with known answers, its HTML checked structurally, and docs/report-example.md."""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import archivekit
import pytest
from archivekit import TODAY, Spec
from lintkit import REPO

from postmortem_lint.cli import main
from postmortem_lint.features import insights as report
from postmortem_lint.packs import loader as packs
from postmortem_lint.packs import root_causes

COUNT = 60
Run = Callable[..., tuple[int, str]]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Spec]]:
    incidents = archivekit.specs(COUNT)
    return archivekit.write(tmp_path_factory.mktemp("archive"), incidents), incidents


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(root, *args)``: `pmlint report --today TODAY *args` in ``root`` -> (exit code, stdout)."""

    def call(root: Path, *args: str) -> tuple[int, str]:
        monkeypatch.chdir(root)
        code = main(["report", "--today", TODAY.isoformat(), *args])
        return code, capsys.readouterr().out

    return call


@pytest.fixture
def data(archive: tuple[Path, list[Spec]], run: Run) -> Any:
    code, out = run(archive[0], "--format", "json")
    assert code == 0
    return json.loads(out)


# ---------------------------------------------------------------- the numbers


def test_counts_by_severity_category_and_month(data: Any, archive: tuple[Path, list[Spec]]) -> None:
    incidents = archive[1]
    assert data["incidents"] == COUNT
    assert data["by_severity"] == {f"SEV-{n}": sum(s.severity == n for s in incidents) for n in range(1, 5)}
    categories = ("code", "config", "infrastructure", "third-party", "human/process", "unknown")
    assert data["by_category"] == {name: sum(s.category == name for s in incidents) for name in categories}
    months = Counter(s.date.strftime("%Y-%m") for s in incidents)
    assert {k: v for k, v in data["by_month"].items() if v} == dict(months)
    assert list(data["by_month"]) == sorted(data["by_month"])
    assert (data["first"], data["last"]) == (incidents[0].date.isoformat(), incidents[-1].date.isoformat())


def _expected_timing(incidents: list[Spec], stated: str, shown: str) -> dict[str, Any]:
    values = [getattr(s, stated) if getattr(s, stated) is not None else getattr(s, shown) for s in incidents]
    return {
        "incidents": len(values),
        "mean": round(statistics.fmean(values), 2),
        "median": float(statistics.median(values)),
        "from_fields": sum(getattr(s, stated) is not None for s in incidents),
        "from_timeline": sum(getattr(s, stated) is None for s in incidents),
    }


def test_mean_and_median_time_to_detect_and_mitigate(data: Any, archive: tuple[Path, list[Spec]]) -> None:
    incidents = archive[1]
    assert data["time_to_detect"] == _expected_timing(incidents, "ttd", "timeline_ttd")
    assert data["time_to_mitigate"] == _expected_timing(incidents, "ttm", "timeline_ttm")


def test_stated_times_are_cross_checked_with_the_timeline(data: Any, archive: tuple[Path, list[Spec]]) -> None:
    expected = [
        (s.number, "TTD", s.ttd, s.timeline_ttd)
        for s in archive[1]
        if s.ttd is not None and abs(s.ttd - s.timeline_ttd) > report.MISMATCH_MINUTES
    ]
    assert expected
    assert [(m["incident"], m["measure"], m["stated"], m["timeline"]) for m in data["mismatches"]] == expected


def test_action_item_completion_and_overdue(data: Any, archive: tuple[Path, list[Spec]]) -> None:
    items = [item for spec in archive[1] for item in spec.items]
    done = sum(not i.open for i in items)
    stats = data["action_items"]
    overdue = sum(i.overdue for i in items)
    assert (stats["total"], stats["done"], stats["open"], stats["overdue"]) == (len(items), done, len(items) - done, overdue)
    assert stats["completion_rate"] == round(done / len(items), 4)
    statuses = ("Open", "In Progress", "Blocked", "Done", "Closed", "Won't Do")
    assert stats["by_status"] == {status: sum(i.status == status for i in items) for status in statuses}


def test_most_affected_systems_fold_case(data: Any, archive: tuple[Path, list[Spec]]) -> None:
    incidents = archive[1]
    workers = Counter(name for s in incidents for name in s.systems if name.startswith("worker-"))
    assert data["systems"] == {"Checkout-API": COUNT, **dict(sorted(workers.items(), key=lambda kv: (-kv[1], kv[0])))}


def test_incidents_that_reference_each_other(data: Any, archive: tuple[Path, list[Spec]]) -> None:
    incidents = archive[1]
    numbers = {s.number for s in incidents}
    links = {(s.number, r) for s in incidents for r in s.related if r in numbers}
    assert {(r["source"], r["target"]) for r in data["references"]} == links
    assert [(r["source"], r["target"]) for r in data["references"] if r["mutual"]] == sorted(
        [(incidents[8].number, incidents[9].number), (incidents[9].number, incidents[8].number)]
    )
    assert data["unknown_references"] == sum(1 for s in incidents for r in s.related if r not in numbers)


def test_recurring_themes_come_from_the_primary_causes(data: Any) -> None:
    phrases = {t["phrase"]: t["incidents"] for t in data["themes"]}
    assert phrases["configuration change lowered / connection limit"] == COUNT // len(archivekit.CAUSES)
    assert phrases["payment provider made / unannounced api change"] == COUNT // len(archivekit.CAUSES)
    assert all(n > 1 for n in phrases.values())


# ---------------------------------------------------------------- categories


def _generator() -> Any:
    path = REPO / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("pmlint_benchmark_generate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_generators_causes_fall_in_its_own_categories() -> None:
    """The generator labels each of its causes; the shipped keywords must agree (process -> human/process)."""
    pack = root_causes.root_cause_pack()
    for cause, label in _generator().CAUSES:
        assert root_causes.categorize(cause, pack) == {"process": "human/process"}.get(label, label), cause


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("A misconfigured DNS record", "config"),
        ("Human error during the quarterly secret rotation", "human/process"),
        ("The vendor's API returned 500s", "third-party"),
        ("Nobody knows yet", "unknown"),
        ("", "unknown"),
    ],
)
def test_categorize(text: str, category: str) -> None:
    assert root_causes.categorize(text, root_causes.root_cause_pack()) == category


def test_a_malformed_pack_names_the_file_and_entry() -> None:
    with pytest.raises(packs.PackError, match=r"x\.yaml: categories\.1\.name: Field required"):
        root_causes.parse_pack({"categories": [{"name": "unknown", "keywords": []}, {"label": "Code"}]}, "x.yaml")


def test_overlapping_pairs_chain_into_phrases() -> None:
    assert report._chain(["api change", "unannounced api", "payment provider"]) == "payment provider / unannounced api change"


# ---------------------------------------------------------------- formats


class _Structure(HTMLParser):
    """Open/close balance, the elements seen, and the svg count per chart section."""

    VOID: ClassVar[set[str]] = {"meta", "link", "br", "hr", "img", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter[str] = Counter()
        self.sections: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        attributes = dict(attrs)
        if tag == "section" and attributes.get("class") == "chart":
            self.sections.append((attributes.get("id") or "", 0))
        if tag == "svg" and self.sections and "section" in self.stack:
            ident, count = self.sections[-1]
            self.sections[-1] = (ident, count + 1)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}> at {self.getpos()}")
        else:
            self.stack.pop()


def _structure(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("where", ["archive", "examples", "empty"])
def test_html_is_one_balanced_self_contained_page_with_one_chart_per_section(
    where: str, archive: tuple[Path, list[Spec]], run: Run, tmp_path: Path
) -> None:
    root = {"archive": archive[0], "examples": REPO / "examples", "empty": tmp_path}[where]
    code, html = run(root, "--format", "html")
    page = _structure(html)
    assert code == 0
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.errors == [] and page.stack == []
    assert page.tags["html"] == page.tags["head"] == page.tags["body"] == page.tags["main"] == 1
    assert html.split("</head>")[0].count("<title>") == 1
    charts = ["severity", "root-cause", "month", "timing", "actions", "systems", "references", "themes"]
    assert [ident for ident, _ in page.sections] == charts
    assert all(count == 1 for _, count in page.sections), page.sections
    assert page.tags["script"] == page.tags["link"] == page.tags["img"] == page.tags["iframe"] == 0
    assert re.findall(r"(?:src|href|url)\s*[=(]\s*[\"']?https?:", html) == []
    assert "@media print" in html


def test_html_escapes_text_from_the_documents(tmp_path: Path, run: Run) -> None:
    spec = archivekit.specs(1)[0]

    archivekit.write(tmp_path, [replace(spec, systems=("<script>alert</script>",))])
    _, html = run(tmp_path, "--format", "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert&lt;/script&gt;" in html


def test_markdown_has_every_section(archive: tuple[Path, list[Spec]], run: Run) -> None:
    code, text = run(archive[0])
    headings = [line for line in text.split("\n") if line.startswith("#")]
    assert code == 0
    assert headings == [
        "# Post-Mortem Report",
        "## Incidents by severity",
        "## Incidents by root-cause category",
        "## Incidents by month",
        "## Most affected systems",
        "## Time to detect and to mitigate",
        "## Action items",
        "## Related incidents",
        "## Recurring root-cause themes",
    ]
    assert f"| Incidents | {COUNT} ({archive[1][0].date} to {archive[1][-1].date}) |" in text


def test_output_file(tmp_path: Path, archive: tuple[Path, list[Spec]], run: Run) -> None:
    target = tmp_path / "report.html"
    assert run(archive[0], "--format", "html", "-o", str(target)) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_docs_report_example_is_the_report_of_examples(run: Run) -> None:
    """docs/report-example.md is `pmlint report --today 2026-03-20` run in examples/ (regenerate it when this fails)."""
    code, text = run(REPO / "examples")
    assert code == 0
    assert (REPO / "docs" / "report-example.md").read_text(encoding="utf-8") == text


def test_an_unreadable_post_mortem_is_named_not_counted(tmp_path: Path, run: Run) -> None:
    archivekit.write(tmp_path, archivekit.specs(2))
    (tmp_path / "tasks" / "post-mortem-2025-06-01-binary.md").write_bytes(b"\xff\xfe\x00\x00binary")
    code, text = run(tmp_path)
    assert code == 0
    assert "| Incidents | 2 (2025-01-03 to 2025-01-08) |" in text
    assert text.endswith("## Not counted\n\n- `tasks/post-mortem-2025-06-01-binary.md` could not be read (see `pmlint check`).\n")
    _, html = run(tmp_path, "--format", "html")
    assert '<p class="note">tasks/post-mortem-2025-06-01-binary.md could not be read (see pmlint check).</p>' in html
