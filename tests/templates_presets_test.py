"""The shipped presets: compiled and fresh, the seed preset equal to today's rules, and a clean and a flawed fixture each."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from templatekit import FIXTURES, expected, load, problems

from postmortem_lint.checks.pm2xx_header import REQUIRED_FIELDS
from postmortem_lint.core import vocab
from postmortem_lint.core.facts import SEVERITY
from postmortem_lint.core.placeholders import PLACEHOLDER, PLACEHOLDER_LITERALS
from postmortem_lint.document import tables
from postmortem_lint.io.resources import data_path
from postmortem_lint.io.yamlio import load_yaml
from postmortem_lint.packs.sections import sections as section_pack
from postmortem_lint.packs.templates import fit, presets
from postmortem_lint.packs.templates.presets import compile_file

NAMES = presets.names()


def test_compiled_presets_are_fresh() -> None:
    """`python -m postmortem_lint.generate` rewrites it after a rules/templates/*.yaml edit."""
    compiled = json.loads(data_path(presets.COMPILED).read_text(encoding="utf-8"))
    assert compiled["fingerprint"] == presets.fingerprint(), "stale: run python -m postmortem_lint.generate"
    for name in NAMES:
        path = data_path(f"{presets.FOLDER}/{name}.yaml")
        assert compiled["packs"][name] == compile_file(path, f"{presets.FOLDER}/{name}.yaml"), name


def test_the_presets_the_issue_asks_for_are_shipped() -> None:
    wanted = {"seed", "google-sre", "google-api-infra", "dfds", "pagerduty", "atlassian", "elastic", "azure", "mentimeter", "bdougie"}
    assert wanted <= set(NAMES)
    assert NAMES[0] == "seed"


def test_a_preset_from_compiled_data_needs_neither_pydantic_nor_ruamel() -> None:
    code = (
        "import sys\n"
        "from postmortem_lint.packs.templates import presets\n"
        "assert presets.fresh()\n"
        "pack = presets.preset('google-sre')\n"
        "print(pack.name, 'pydantic' in sys.modules, 'ruamel' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["google-sre", "False", "False"]


def test_an_unknown_preset_names_the_presets() -> None:
    with pytest.raises(presets.TemplateError, match=r"no template preset `nope`; the presets are seed, "):
        presets.preset("nope")


# -- the seed preset is today's behaviour ------------------------------------------------------------


def test_seed_fields_are_pm202s() -> None:
    seed = presets.preset("seed")
    assert {f.key: f.name for f in seed.required_fields} == REQUIRED_FIELDS


def test_seed_sections_are_the_sections_pack() -> None:
    seed = presets.preset("seed")
    today = section_pack()
    assert [s.id for s in seed.sections if s.required] == [s.key for s in today.sections]
    for spec, required in zip(seed.sections, today.sections, strict=True):
        assert [sub.id for sub in spec.subsections if sub.required] == [key for _name, key in required.subsections]


def test_seed_vocabularies_are_the_rules() -> None:
    seed = presets.preset("seed")
    assert seed.vocabulary("status").values == vocab.DOCUMENT_STATUSES  # type: ignore[union-attr]
    assert seed.vocabulary("priority").values == vocab.PRIORITIES  # type: ignore[union-attr]
    assert seed.vocabulary("action-status").values == vocab.ACTION_STATUSES  # type: ignore[union-attr]
    assert seed.vocabulary("action-status").finished == vocab.FINISHED  # type: ignore[union-attr]
    severity = seed.vocabulary("severity")
    assert severity is not None
    for text in ("SEV-1", "sev-3", "SEV-2 (Major - significant degradation)", "SEV-4 - low", "SEV-5", "P1", "SEV-2 Major"):
        assert (severity.canonical(text) is not None) == bool(SEVERITY.match(text)), text


def test_seed_tables_are_pm402s_and_pm501s() -> None:
    seed = presets.preset("seed")
    timeline, actions = seed.table("timeline"), seed.table("actions")
    assert timeline is not None and actions is not None
    assert tuple(c.labels[0] for c in timeline.columns) == ("time", "event", "actor")
    assert tuple(c.labels[0] for c in actions.columns) == tables.ACTION_COLUMNS
    assert (timeline.header, actions.header, actions.min_rows) == ("prefix", "exact", 1)


def test_seed_placeholders_and_examples_are_pm401s_and_pm407s() -> None:
    seed = presets.preset("seed")
    for text in ("[Name]", "HH:MM", "Yes/No", "Draft | Under Review | Final | Closed", "[x]", "[INC-2025-01-01]", "[link](http://x)"):
        assert bool(seed.placeholder_regex.search(text)) == bool(PLACEHOLDER.search(text)), text  # type: ignore[union-attr]
    assert seed.placeholder_prefilter == PLACEHOLDER_LITERALS
    shipped = load_yaml(data_path("rules/template-examples.yaml"))["phrases"]
    assert {group: list(phrases) for group, phrases in seed.examples} == shipped


# -- fixtures ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_preset_has_a_clean_and_a_flawed_fixture(name: str) -> None:
    assert (FIXTURES / name / "clean.md").is_file()
    assert (FIXTURES / name / "flawed.md").is_file()
    assert expected(FIXTURES / name / "flawed.md"), "a flawed fixture states what is wrong with it"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["clean", "flawed"])
def test_the_pack_finds_what_the_fixture_expects(name: str, kind: str) -> None:
    path = FIXTURES / name / f"{kind}.md"
    assert problems(load(path), presets.preset(name)) == expected(path)


@pytest.mark.parametrize("name", NAMES)
def test_each_clean_fixture_fits_its_own_preset_best(name: str) -> None:
    path = FIXTURES / name / "clean.md"
    ranking = fit.rank([(path.name, path.read_text(encoding="utf-8"))])
    assert ranking[0].name == name
    assert ranking[0].files[0].match == 1.0


def test_fixtures_are_our_own_prose() -> None:
    """No fixture line of ten words or more appears in the shared corpus (facts like headings are short)."""

    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    corpus = " ".join(
        " ".join(p.read_text(encoding="utf-8", errors="replace").split()) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".csv"
    )
    for path in FIXTURES.rglob("*.md"):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.lstrip().startswith("|"):
                continue
            words = re.sub(r"^[\s#*>|-]+", "", line).split()
            if len(words) >= 10:
                assert " ".join(words) not in corpus, f"{path}: {line}"


def test_preset_files_name_their_source() -> None:
    for name in NAMES:
        text = Path(data_path(f"{presets.FOLDER}/{name}.yaml")).read_text(encoding="utf-8")
        assert text.startswith("#"), f"{name}.yaml opens with a comment saying where the template comes from"
        assert presets.preset(name).description
