"""PM301 finds the same missing subsections now that it gathers a section's headings only when one is missing.

The general path, kept here as the reference, gathered the headings of every section with
subsections before asking whether any was missing. Both are run on every document of the
shared corpus, of the test fixtures and of a small generated corpus, and on documents that
lack subsections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from lintkit import clean_text, replace_line
from samekit import ROOT, agree, documents, generated

from postmortem_lint.checks import pm3xx_sections
from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import Heading, PostMortem
from postmortem_lint.lint import providers
from postmortem_lint.packs.templates.reader import FoundSection


def _reference(doc: PostMortem, section: FoundSection, unmatched: tuple[Heading, ...]) -> Iterator[Finding]:
    """The general path: siblings gathered first, whether or not a subsection is missing."""
    level = (section.heading.level if section.heading else 1) + 1
    strays = [h for h in unmatched if section.line < h.line <= section.end_line and h.level == level]
    siblings = pm3xx_sections._siblings(section.subsections, strays)
    last = section.blocks[-1].end_line if section.blocks else section.line
    for index, spec in enumerate(section.spec.subsections):
        if spec.required and all(f.spec is not spec for f in section.subsections):
            label = f"{pm3xx_sections._marks(spec, level)} {spec.name}"
            yield pm3xx_sections._missing(doc, siblings, section.spec.subsections, index, label, last)


def _same(docs: Iterator[PostMortem], monkeypatch: pytest.MonkeyPatch) -> int:
    return agree(docs, pm3xx_sections.section_missing, (pm3xx_sections, "_missing_subsections", _reference), monkeypatch)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_section_missing_is_the_general_paths_on_the_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(CORPUS), monkeypatch) > 100


def test_section_missing_is_the_general_paths_on_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(ROOT / "tests"), monkeypatch) > 100


def test_section_missing_is_the_general_paths_on_a_generated_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(generated(tmp_path, 40, 7), monkeypatch) == 40


@pytest.mark.parametrize("heading", ["### Trigger", "### Root Cause"])
def test_a_missing_subsection_is_still_found(heading: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = clean_text()
    if heading not in text:
        pytest.skip(f"{heading} is not in the clean fixture")
    decoded = source.decode(replace_line(text, heading, "### Something else").encode())
    assert isinstance(decoded, source.Source)
    doc = build("tasks/post-mortem-2026-03-14-x.md", decoded)
    ctx = providers.context(Settings(root=ROOT), dt.date(2026, 3, 20))
    found = list(pm3xx_sections.section_missing(doc, ctx))
    assert any(heading in f.message for f in found)
    assert _same(iter([doc]), monkeypatch) == 1
