"""PM601's fix: a blame phrase replaced by its pack entry's literal `replace` (unsafe), for the shipped pack and a
team's `blame.extra-phrases`; what gets no fix; how a bad `replace` is reported.

The before/after pairs themselves (tests/fixes/PM601-*) run through the CLI with the other fixes in fixes_test.py."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text, lint, settings
from repokit import commit, init, pmlint, write

from postmortem_lint.core.diagnostics import UNSAFE
from postmortem_lint.lint.fixing import fix_text
from postmortem_lint.packs import blame, schema

ANCHOR = "❌ The flag kill switch was not listed in the checkout runbook\n"
TODAY = ("--today", "2026-03-20", "--no-cache")


def _with(line: str) -> str:
    text = clean_text()
    assert text.count(ANCHOR) == 1
    return text.replace(ANCHOR, f"{ANCHOR}{line}\n")


def _blame(text: str, **changes: object) -> list:  # type: ignore[type-arg]
    return [d for d in lint(text, config=settings(**changes) if changes else None) if d.code in ("PM601", "PM602")]


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("❌ A fat-fingered flag name in the rollback cost 4 minutes", "❌ A mistyped flag name in the rollback cost 4 minutes"),
        ("❌ We fat fingered the hostname in the rollback command", "❌ We mistyped the hostname in the rollback command"),
        ("❌ Fat-fingering the hostname cost 4 minutes", "❌ Mistyping the hostname cost 4 minutes"),
        ("❌ A *fat-fingered* hostname cost 4 minutes", "❌ A *mistyped* hostname cost 4 minutes"),
        ("❌ Dana, the offending engineer, rolled back at 15:30", "❌ Dana, the engineer, rolled back at 15:30"),
        ("❌ The guilty operator's command named the wrong flag", "❌ The operator's command named the wrong flag"),
    ],
)
def test_a_phrase_with_a_replacement_is_reworded_and_nothing_else_changes(written: str, fixed: str) -> None:
    text = _with(written)
    (found,) = _blame(text)
    assert found.code == "PM601" and found.fix is not None and found.fix.safety == UNSAFE
    (edit,) = found.fix.edits
    new = edit.replacement
    assert found.fix.message == f"replace `{found.text}` by `{new}` (check the sentence still says what happened)"
    assert fix_text(text, lint, unsafe=False).text == text, "--fix alone leaves the blame phrase to the author"
    done = fix_text(text, lint, unsafe=True)
    assert done.text == _with(fixed) and [a["code"] for a in done.applied] == ["PM601"]
    assert _blame(done.text) == [] and {d.code for d in lint(done.text)} <= {d.code for d in lint(text)}
    assert fix_text(done.text, lint, unsafe=True).applied == ()


def test_the_finding_message_is_the_same_with_a_fix() -> None:
    (found,) = _blame(_with("❌ A fat-fingered flag name in the rollback command cost 4 minutes"))
    assert found.message.startswith('blame language "fat-fingered" frames a slip as personal clumsiness: describe what made')


@pytest.mark.parametrize(
    "line",
    [
        "❌ Human error in the rollback command cost 4 minutes",  # a phrase without `replace`
        "❌ A fat-finger error in the rollback command cost 4 minutes",  # a match the phrase's table does not list
        "❌ The guilty party rolled back at 15:30",
        "❌ The deploy was botched",  # a family's hit (PM601 passive): its span is the sentence, no replacement
        "❌ The hostname was fat-fingered in the rollback command",
        "❌ Daniel Okafor forgot to check the canary",  # PM602: a rewording keeps the person as the subject
    ],
)
def test_blame_without_a_literal_rewording_has_no_fix(line: str) -> None:
    found = _blame(_with(line))
    assert found and all(d.fix is None for d in found), [(d.code, d.text) for d in found]


@pytest.mark.parametrize(
    "line",
    [
        "❌ No one fat-fingered anything: the flag name was ambiguous",
        '❌ A customer wrote: "your operator fat-fingered it"',
        "❌ The `fat-fingered` label is gone from the dashboards",
    ],
)
def test_negated_quoted_or_code_blame_is_not_flagged_so_not_fixed(line: str) -> None:
    text = _with(line)
    assert _blame(text) == [] and fix_text(text, lint, unsafe=True).text == text


def test_every_shipped_replacement_clears_its_finding_and_brings_none() -> None:
    """Each wording a shipped `replace:` table lists, written in a sentence, is fixed to a text without blame."""
    tables = [(p.id, dict(p.replace)) for p in blame.shipped_phrases() if p.replace]
    assert {i for i, _ in tables} == {"fat-finger", "culprit"}
    for entry, table in tables:
        for wording, new in table.items():
            text = _with(f"❌ The report says: the {wording} rollback cost 4 minutes")
            found = [d for d in _blame(text) if d.fix]
            assert [(d.code, d.text.lower()) for d in found] == [("PM601", wording)], (entry, wording)
            done = fix_text(text, lint, unsafe=True)
            assert f"the {new} rollback" in done.text and _blame(done.text) == [], (entry, wording)


YOLO = "❌ The second rollback was the YOLO deploy of the flag"
UNREVIEWED = "❌ The second rollback was the unreviewed deploy of the flag"
"""A team's phrase and its replacement."""


def test_a_teams_extra_phrase_gives_its_replacement() -> None:
    text = _with(YOLO)
    plain = _blame(text, blame_extra_phrases=("yolo deploy",))
    assert [(d.code, d.fix) for d in plain] == [("PM601", None)]
    (found,) = _blame(text, blame_extra_phrases=(("yolo deploy", "unreviewed deploy"),))
    assert found.fix is not None and found.fix.edits[0].replacement == "unreviewed deploy", "YOLO is an acronym, not a capital"
    config = replace(settings(), blame_extra_phrases=(("yolo deploy", "unreviewed deploy"),))
    done = fix_text(text, lambda t: lint(t, config=config), unsafe=True)
    assert done.text == _with(UNREVIEWED)


def _repo(tmp_path: Path, config: str) -> Path:
    repo = init(tmp_path / "repo")
    write(repo, CLEAN_PATH, _with(YOLO))
    write(repo, ".pmlint.yaml", config)
    commit(repo, "draft")
    return repo


def test_a_teams_replacement_through_the_cli(tmp_path: Path) -> None:
    team = '    - "dropped the ball"\n    - {phrase: "yolo deploy", replace: unreviewed deploy}\n'
    repo = _repo(tmp_path, f"blame:\n  extra-phrases:\n{team}")
    shown = json.loads(pmlint(repo, "config", "--format", "json").stdout)
    assert json.dumps({"phrase": "yolo deploy", "replace": "unreviewed deploy"}) in json.dumps(shown)
    safe = pmlint(repo, "check", "--fix", "--select", "PM601", *TODAY)
    assert YOLO in (repo / CLEAN_PATH).read_text(encoding="utf-8") and "1 more with --unsafe-fixes" in safe.stderr
    diff = pmlint(repo, "check", "--diff", "--unsafe-fixes", "--select", "PM601", *TODAY)
    assert diff.returncode == 1 and f"-{YOLO}\n+{UNREVIEWED}\n" in diff.stdout
    done = pmlint(repo, "check", "--unsafe-fixes", "--select", "PM601", *TODAY)
    assert done.returncode == 0 and "Fixed 1 finding (0 remaining)" in done.stderr, done.stderr
    assert (repo / CLEAN_PATH).read_text(encoding="utf-8") == _with(UNREVIEWED)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ('{phrase: "yolo deploy", replace: ""}', "an empty replacement would delete the phrase"),
        ('{phrase: "yolo deploy", replace: "re:impro.*"}', "a replacement is plain text, not a regex"),
        ('{phrase: "yolo deploy", replace: "impro\\\\1"}', "a replacement is plain text, not a regex"),
        ('{phrase: "yolo deploy", replace: "two\\nlines"}', "a replacement is one line"),
        ('{phrase: "yolo deploy", replace: " improvised"}', "a replacement has no space around it"),
    ],
)
def test_a_bad_team_replacement_is_one_line_with_the_file_and_line(tmp_path: Path, item: str, problem: str) -> None:
    repo = _repo(tmp_path, f"ignore: [PM405]\nblame:\n  extra-phrases:\n    - {item}\n")
    done = pmlint(repo, "check", *TODAY)
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and done.stdout == "" and len(lines) == 1, (done.returncode, done.stderr)
    assert lines[0].startswith("pmlint: error: .pmlint.yaml:3: blame.extra-phrases") and problem in lines[0], lines[0]
    assert "Input should be" not in lines[0] and "Traceback" not in done.stderr


def test_an_unknown_key_in_a_team_phrase_is_one_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'blame:\n  extra-phrases:\n    - {phrase: "winged it", replacement: improvised}\n')
    done = pmlint(repo, "check", *TODAY)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and ".pmlint.yaml:" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


PHRASE = {"id": "winged", "pattern": "winged it|wing(?:ed|ing) the (?:rollback|deploy)", "category": "blame-word"}
PHRASE |= {"keywords": ["winged", "winging"], "message": "m", "suggestion": "s"}


@pytest.mark.parametrize(
    ("replacement", "problem"),
    [
        ("improvised", None),
        ({"winged it": "improvised", "winging the rollback": "improvising the rollback"}, None),
        ({"Winged it": "improvised"}, "replace: 'Winged it' is looked up as 'winged it'; write it so"),
        ({"winged the cluster": "x"}, "replace: 'winged the cluster' is not a match of the pattern"),
        ({"winged it": "impro(vised)?"}, "a replacement is plain text, not a regex"),
        ("", "an empty replacement would delete the phrase"),
        ("two\nlines", "a replacement is one line"),
    ],
)
def test_the_pack_schema_checks_replace(replacement: object, problem: str | None) -> None:
    pack = {"phrases": [{**PHRASE, "replace": replacement}]}
    found = schema.problem("blame", pack, "team-blame.yaml")
    assert (found is None) if problem is None else (found is not None and problem in found and "phrase #1 ('winged')" in found), found


def test_a_phrase_with_replace_may_not_share_an_id_with_a_family() -> None:
    family = {"id": "winged", "kind": "failure", "shapes": ["active"], "verbs": ["wing"], "message": "blames {who}", "suggestion": "s"}
    pack = {"phrases": [{**PHRASE, "replace": "improvised"}], "families": [family]}
    assert "shares its id with a family: winged" in (schema.problem("blame", pack, "b.yaml") or "")
    plain = {"phrases": [PHRASE], "families": [family]}
    assert schema.problem("blame", plain, "b.yaml") is None


def test_the_first_letters_case_is_kept() -> None:
    (phrase,) = [p for p in blame.shipped_phrases() if p.id == "fat-finger"]
    assert phrase.replacement("Fat-fingered") == "Mistyped"
    assert phrase.replacement("FAT FINGERED") == "mistyped", "capitals throughout: not a sentence's first word"
    assert phrase.replacement("fat-fingered") == "mistyped"
    assert phrase.replacement("fat-finger") is None
