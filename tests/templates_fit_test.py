"""Scoring presets against an archive: per-file match and coverage, the archive's fit, the ranking."""

from __future__ import annotations

import pytest
from corpus_archives import EXPECTED, archives
from hypothesis import given, settings
from hypothesis import strategies as st
from templatekit import FIXTURES

from postmortem_lint.packs.templates import fit, presets
from postmortem_lint.packs.templates.fit import COVERED, WELL, FileFit


def fixture(name: str, kind: str = "clean") -> tuple[str, str]:
    path = FIXTURES / name / f"{kind}.md"
    return (f"{name}-{kind}.md", path.read_text(encoding="utf-8"))


def test_a_file_with_everything_matches_fully() -> None:
    (file,) = fit.rank([fixture("dfds")], {"dfds": presets.preset("dfds")})[0].files
    assert (file.match, file.coverage, file.missing, file.fits) == (1.0, 1.0, (), True)


def test_missing_items_lower_the_match_and_are_named() -> None:
    (file,) = fit.rank([fixture("dfds", "flawed")], {"dfds": presets.preset("dfds")})[0].files
    assert file.missing == ("Attendees", "Stats")
    assert file.match == round(5 / 7, 4)


def test_a_required_subsection_counts_when_its_parent_is_there_or_required() -> None:
    seed = presets.preset("seed")
    text = "# Post-Mortem: x\n\n## Impact\n\n### Customer Impact\nsome\n"
    (file,) = fit.rank([text], {"seed": seed})[0].files
    assert "Technical Impact" in file.missing and "Customer Impact" not in file.missing
    assert "What Happened" in file.missing, "Root Cause Analysis is required, so are its subsections"
    assert "Technical Lessons" not in file.missing, "optional subsections never count"


def test_coverage_counts_the_file_s_own_headings_but_not_detail_inside_known_sections() -> None:
    dfds = presets.preset("dfds")
    text = "# x\n\n## Summary\n\n### Detail of the summary\n\n## Budget\n\n## Timeline\n"
    (file,) = fit.rank([text], {"dfds": dfds})[0].files
    assert file.coverage == round(2 / 3, 4)


@pytest.mark.parametrize(("match", "coverage", "fits"), [(WELL, COVERED, True), (WELL - 0.01, 1.0, False), (1.0, COVERED - 0.01, False)])
def test_the_thresholds(match: float, coverage: float, fits: bool) -> None:
    assert FileFit("x.md", match, coverage, ()).fits is fits


def test_the_archive_fit_is_the_share_of_files_that_fit_and_ranks_best_first() -> None:
    archive = [fixture("google-sre"), fixture("google-sre", "flawed"), fixture("mentimeter")]
    ranking = fit.rank(archive)
    assert ranking[0].name == "google-sre"
    assert ranking[0].fit == round(2 / 3, 4) and ranking[0].fitting == 2
    by_name = {r.name: r for r in ranking}
    assert by_name["mentimeter"].fit == round(1 / 3, 4)
    assert [f.fits for f in by_name["mentimeter"].files] == [False, False, True]
    assert set(by_name) == set(presets.names())
    keys = [(-r.fit, -r.mean_match, -r.mean_coverage, r.name) for r in ranking]
    assert keys == sorted(keys)


def test_an_empty_archive_fits_nothing() -> None:
    assert all(r.fit == 0.0 and r.files == () for r in fit.rank([]))


def test_a_document_without_structure_fits_nothing() -> None:
    ranking = fit.rank(["just some text\n", ""])
    assert all(r.fit == 0.0 for r in ranking)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("#*-|:[]() \nabcSTDF1`"), max_size=200), max_size=3))
def test_any_text_can_be_scored(texts: list[str]) -> None:
    for result in fit.rank(texts):
        assert 0.0 <= result.fit <= 1.0
        assert all(0.0 <= f.match <= 1.0 and 0.0 <= f.coverage <= 1.0 for f in result.files)


@pytest.mark.skipif(not archives(), reason="no corpus")
@pytest.mark.parametrize("archive", [name for name, preset in EXPECTED.items() if preset])
def test_each_corpus_archive_ranks_its_own_template_first(archive: str) -> None:
    files = archives()[archive]
    ranking = fit.rank([(p.name, p.read_bytes().decode("utf-8", errors="replace")) for p in files])
    assert ranking[0].name == EXPECTED[archive]
    assert ranking[0].fit > ranking[1].fit
