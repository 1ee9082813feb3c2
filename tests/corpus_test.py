"""The real archive: 442 public post-mortems from 24 repositories, checked in place.

Runs when the corpus is present (``../shared/corpus`` next to the repository, or
``PMLINT_CORPUS``), and is skipped otherwise; the files are never copied here. None
of them follows the template, so "sensible" means: every file is parsed (no PM000,
no crash), every file gets findings, every finding points at a real line, and the
values a message quotes are on the line it names, whatever the newlines.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import cache
from pathlib import Path

import pytest
from repokit import pmlint

from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import Heading

CORPUS = Path(os.environ.get("PMLINT_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
NOT_CONTENT = {"SOURCES.md", "seed_similarity.csv"}
QUOTED = {
    "PM201": re.compile(r"^title `(.+?)` does not start"),
    "PM204": re.compile(r"^severity `(.+?)` is not one of"),
    "PM205": re.compile(r"^status `(.+?)` is not one of"),
    "PM301": re.compile(r"\(found `(.+?)` here"),
}
"""Messages that quote the text they are about: the text must be on the line reported."""

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS} (set PMLINT_CORPUS)")


def content_files() -> list[Path]:
    return sorted(
        p
        for p in CORPUS.rglob("*")
        if p.is_file()
        and p.name not in NOT_CONTENT
        and not p.name.startswith("LICENSE")
        and not p.relative_to(CORPUS).as_posix().count("/.")
    )


def lines_of(path: Path) -> tuple[str, ...]:
    decoded = source.decode(path.read_bytes())
    assert isinstance(decoded, source.Source), (path, decoded)
    return decoded.lines


@cache
def report() -> tuple[int, str, dict[str, list[dict[str, object]]]]:
    """One real `pmlint check` over every file of the corpus, by path (run from an empty folder: nothing is written)."""
    files = content_files()
    before = set(CORPUS.rglob("*"))
    with tempfile.TemporaryDirectory() as cwd:
        done = pmlint(cwd, "check", "--format", "json", "--today", "2026-03-20", *map(str, files), timeout=600)
    assert set(CORPUS.rglob("*")) == before, "checking files never writes next to them"
    by_path: dict[str, list[dict[str, object]]] = {}
    data = json.loads(done.stdout) if done.stdout.strip() else {"diagnostics": [], "files_checked": 0}
    for diagnostic in data["diagnostics"]:
        by_path.setdefault(str(diagnostic["path"]), []).append(diagnostic)
    assert data["files_checked"] == len(files), done.stderr
    return done.returncode, done.stderr, by_path


def findings(path: Path) -> list[dict[str, object]]:
    return report()[2].get(path.as_posix(), [])


def test_the_corpus_is_the_documented_one() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8") if (CORPUS / "SOURCES.md").exists() else ""
    stated = re.search(r"\*\*(\d+) content files\*\*", sources)
    if stated is None:
        pytest.skip("no SOURCES.md with a file count")
    assert len(content_files()) == int(stated.group(1))


def test_every_file_is_parsed_and_gets_findings() -> None:
    code, stderr, by_path = report()
    assert code == 1 and "Traceback" not in stderr and "internal error" not in stderr, stderr
    files = content_files()
    assert set(by_path) == {p.as_posix() for p in files}, "every file gets at least one finding"
    assert not [(path, d) for path, ds in by_path.items() for d in ds if d["code"] == "PM000"]


def test_every_finding_points_at_a_real_line() -> None:
    for path in content_files():
        count = len(lines_of(path))
        for diagnostic in findings(path):
            line, end = int(str(diagnostic["line"])), int(str(diagnostic["end_line"]))
            assert 1 <= line <= end <= count, (path.name, diagnostic)


def test_quoted_text_is_on_the_reported_line() -> None:
    checked = 0
    for path in content_files():
        lines = lines_of(path)
        for diagnostic in findings(path):
            pattern = QUOTED.get(str(diagnostic["code"]))
            match = pattern.search(str(diagnostic["message"])) if pattern else None
            if match is None:
                continue
            line = int(str(diagnostic["line"]))
            near = " ".join(lines[line - 1 : line + 1]).replace("*", "").replace("_", "")
            quoted = match.group(1).replace("…", "").replace("*", "").replace("_", "")
            assert all(word in near for word in quoted.split()[:4]), (path.name, line, diagnostic["message"])
            checked += 1
    assert checked > 100


def test_filenames_that_differ_from_the_template_are_explained() -> None:
    for path in content_files():
        messages = [str(d["message"]) for d in findings(path) if d["code"] == "PM101"]
        assert messages and "is not `post-mortem-YYYY-MM-DD-<slug>.md`" in messages[0], path.name
    no_extension = [p for p in content_files() if not p.suffix or " " in p.suffix]
    assert len(no_extension) >= 3 and all(findings(p) for p in no_extension)


def test_p1_style_severity_is_named_as_not_sev() -> None:
    severity = re.compile(r"^\s*(?:[-*]\s+)?\*\*Severity:?\*\*:?\s*P\d")
    cases = [(p, n) for p in content_files() for n, line in enumerate(lines_of(p), start=1) if severity.match(line)]
    assert cases, "the corpus has `**Severity:** P1`-style headers"
    for path, number in cases:
        pm204 = [d for d in findings(path) if d["code"] == "PM204" and d["line"] == number]
        assert pm204 and "is not one of SEV-1..SEV-4" in str(pm204[0]["message"]), (path.name, number)
        assert "write `SEV-" in str(pm204[0]["message"])


def test_crlf_files_keep_their_line_numbers() -> None:
    crlf = [p for p in content_files() if b"\r\n" in p.read_bytes()]
    assert crlf, "the corpus has CRLF files"
    for path in crlf:
        raw_lines = path.read_bytes().split(b"\n")
        for diagnostic in findings(path):
            assert int(str(diagnostic["line"])) <= len(raw_lines), (path.name, diagnostic)
        headings = [b for b in build(path.name, source.from_text(path.read_bytes().decode())).blocks if isinstance(b, Heading)]
        for heading in headings:
            assert heading.text.split()[0].encode() in raw_lines[heading.line - 1], (path.name, heading)


def test_front_matter_is_not_read_as_headings() -> None:
    fronted = [p for p in content_files() if p.read_bytes().startswith(b"---\n")]
    assert len(fronted) > 100, "the corpus has many YAML front-matter files"
    for path in fronted:
        doc = build(path.name, source.from_text(path.read_bytes().decode()))
        assert doc.front_matter_lines > 1, path.name
        inside = [b for b in doc.blocks if b.line <= doc.front_matter_lines]
        assert not inside, (path.name, inside[:2])
        quoted = [d for d in findings(path) if d["code"] in ("PM201", "PM301") and 1 < int(str(d["line"])) <= doc.front_matter_lines]
        assert not quoted, (path.name, quoted)


def test_tiny_files_get_the_whole_explanation() -> None:
    tiny = [p for p in content_files() if p.stat().st_size < 64]
    assert any(p.stat().st_size == 37 for p in tiny) and any(p.stat().st_size == 9 for p in tiny)
    for path in tiny:
        codes = [d["code"] for d in findings(path)]
        assert codes.count("PM202") == 7, (path.name, codes)
        assert "PM201" in codes and "PM301" in codes, (path.name, codes)
