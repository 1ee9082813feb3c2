"""The blame-language engine: phrase pack, people matching, masking, and its precision/recall."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from postmortem_lint.checks import blame_engine as blame
from postmortem_lint.checks.blame_engine import scan
from postmortem_lint.core.dialect import bounded
from postmortem_lint.lint.packdata import blame_pack as load_pack
from postmortem_lint.packs.blame import parse_pack
from postmortem_lint.packs.loader import PackError

EVAL_SET = Path(__file__).parent / "data" / "blame_sentences.yaml"
ROSTER = ("Alice Smith", "@bob", "Carol Jones", "Dana Reyes", "Marcus Lee", "Tom O'Brien")


def flagged(text: str, people: tuple[str, ...] = ROSTER, pack: blame.BlamePack | None = None) -> list[str]:
    """The offending phrases, as cut from the text by the hits' offsets."""
    return [text[h.start : h.end] for h in scan(text, people, pack or load_pack())]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The root cause was human error.", "human error"),
        ("A careless change took the site down.", "careless"),
        ("Leaving the key in the repo was negligent.", "negligent"),
        ("Whoever approved it should have known better.", "Whoever approved it should have known"),
        ("The team failed to notice the disk filling up.", "The team failed to notice"),
        ("Staff did not follow the runbook.", "Staff did not follow"),
        ("The warnings were ignored for an hour.", "The warnings were ignored"),
        ("If Alice had been paying attention, we would have caught it.", "If Alice had been paying"),
        ("The blame lies with the release process.", "blame lies with"),
        ("It was the vendor's fault.", "vendor's fault"),
        ("Someone made a rookie mistake.", "Someone made a rookie mistake"),
    ],
)
def test_each_phrase_category_fires(text: str, phrase: str) -> None:
    assert flagged(text) == [phrase]


@pytest.mark.parametrize(
    ("text", "phrase", "message"),
    [
        ("Dana forgot to renew the certificate.", "Dana forgot to renew", 'blames Dana ("forgot to renew the certificate")'),
        ("Reyes forgot to renew the certificate.", "Reyes forgot to renew", 'blames Reyes ("forgot to renew the certificate")'),
        (
            "Alice Smith accidentally deleted the bucket.",
            "Alice Smith accidentally",
            'blames Alice Smith ("accidentally deleted the bucket")',
        ),
        ("It was Carol's mistake.", "Carol's mistake", 'makes Carol the cause ("Carol\'s mistake")'),
        ("The outage was caused by Marcus.", "caused by Marcus", 'makes Marcus the cause ("caused by Marcus")'),
        ("@bob didn't check the lag.", "@bob didn't check", 'blames @bob ("didn\'t check the lag")'),
        ("bob never checked the backup.", "bob never checked", 'blames bob ("never checked the backup")'),
        ("O'Brien skipped the canary.", "O'Brien skipped", 'blames O\'Brien ("skipped the canary")'),
        (
            "The on-call engineer forgot to silence the alert.",
            "The on-call engineer forgot to silence",
            'blames the on-call engineer ("forgot to silence the alert")',
        ),
        ("Someone didn't follow the runbook.", "Someone didn't follow", 'blames someone ("didn\'t follow the runbook")'),
        (
            "Dana, the incident commander, failed to escalate.",
            "Dana, the incident commander, failed to escalate",
            'blames Dana, the incident commander ("failed to escalate")',
        ),
    ],
)
def test_people_and_roles_made_the_cause(text: str, phrase: str, message: str) -> None:
    hits = scan(text, ROSTER, load_pack())
    assert [text[h.start : h.end] for h in hits] == [phrase]
    assert hits[0].code == "PM602"
    assert hits[0].message == message
    assert "e.g." in hits[0].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Dana restarted the pods.",
        "Marcus declared the incident.",
        "The job failed to roll back.",
        "The outage was caused by a race condition.",
        "We reviewed the human factors.",
        "No one was at fault.",
        "We do not blame Alice.",
        "It was not human error but a missing guard.",
        '"Human error" is not the cause of our troubles.',
        "Thanks to Dana's quick rollback, impact was small.",
        "Ellen forgot the umbrella.",  # not a person of this document
    ],
)
def test_neutral_sentences_are_not_flagged(text: str) -> None:
    assert flagged(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The `careless` flag skips prompts.",
        "Run ``rm -rf --careless`` with care.",
        "See https://wiki.example.com/human-error-taxonomy for details.",
        "Read [the notes](https://example.com/negligent-config).",
        "<!-- pmlint: human error -->",
        "ERROR [2025-09-14 10:15:32] operator error: refused",
        "2025-09-14T10:15:32Z level=warn msg=careless",
    ],
)
def test_code_urls_comments_and_logs_are_not_scanned(text: str) -> None:
    assert flagged(text) == []


def test_offsets_index_the_original_text_through_inline_markdown() -> None:
    text = "At `10:02` **Dana** forgot to drain [node-3](https://x.example/n3); a *careless* step."
    assert flagged(text) == ["Dana** forgot to drain", "careless"]


def test_offsets_span_lines() -> None:
    text = "First line.\nThen Wei had forgotten to\nupdate the allow-list."
    hits = scan(text, ["Wei Chen"], load_pack())
    assert [(text[h.start : h.end], text.count("\n", 0, h.start) + 1) for h in hits] == [("Wei had forgotten to\nupdate", 2)]


def test_markup_is_masked_in_place() -> None:
    text = "**Dana** [forgot](http://x/[y]) `a*b` ~~x~~ _em_ ["
    assert blame._mask(text) == "  Dana    forgot                \x00\x00\x00\x00\x00   x    em   "


def test_a_log_line_is_blanked_but_its_opening_bracket_is_soft() -> None:
    assert blame._mask("[ERROR] human error") == " " + "\x00" * 18
    assert blame._mask("Note:\n[2025-09-14 10:15:32] careless") == "Note:\n " + "\x00" * 29


def test_a_phrase_far_into_a_long_text_is_found() -> None:
    text = "Dana restarted the pods. " * 100 + "It was human error."
    assert flagged(text) == ["human error"]


@pytest.mark.parametrize(
    ("text", "wanted", "found"),
    [
        ("careless\u00e9 careless na\u00efve\u2192careless", {"careless", "na", "ve"}, {"careless": [10, 25]}),
        ("\u212aey", {"key"}, {"key": [0]}),  # the Kelvin sign lowers to "k"
        ("\u0130key \u0130 key", {"key"}, {"key": [7]}),  # "İ" lowers to two characters; offsets still hold
    ],
)
def test_a_word_stands_alone_only_between_non_letters(text: str, wanted: set[str], found: dict[str, list[int]]) -> None:
    assert blame._prepare(text, frozenset(wanted)).found == found


def test_names_are_case_sensitive_but_handles_are_not() -> None:
    assert flagged("alice forgot the key.") == []
    assert flagged("Bob forgot the key.") == ["Bob forgot"]


def test_implausible_roster_entries_are_ignored() -> None:
    roster = ("System", "[Name]", "the new Strategy was able to account for all assets.", "TBD")
    assert flagged("The Strategy incorrectly used the ratio.", roster) == []


def test_extra_phrases_plain_and_regex() -> None:
    pack = load_pack(extra_phrases=["yeet deploy", r"re:maverick\w*"])
    assert flagged("It was a yeet deploy by a maverickish team.", pack=pack) == ["yeet deploy", "maverickish"]
    assert flagged("It was a yeet (deploy).", pack=pack) == []


def test_allow_silences_by_id_or_by_phrase() -> None:
    text = "Human error, and careless at that."
    assert flagged(text) == ["Human error", "careless"]
    assert flagged(text, pack=load_pack(allow=["human-error"])) == ["careless"]
    assert flagged(text, pack=load_pack(allow=["Careless"])) == ["Human error"]


def test_default_pack_is_cached() -> None:
    assert load_pack() is load_pack()
    assert load_pack(allow=["careless"]) is not load_pack()


def test_bad_extra_regex_is_a_clear_error() -> None:
    with pytest.raises(PackError, match=r"blame\.extra-phrases\[1\] 're:\(unclosed': pattern does not compile"):
        load_pack(extra_phrases=["fine", "re:(unclosed"])


def _entry(**overrides: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": "x",
        "pattern": "x",
        "category": "blame-word",
        "keywords": ["x"],
        "message": "m",
        "suggestion": "s",
    }
    return {**entry, **overrides}


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        (_entry(id="bad-regex", pattern="(oops"), r"phrase #2 \('bad-regex'\)\.pattern: .*does not compile"),
        (_entry(id="extra-key", colour="red"), r"phrase #2 \('extra-key'\)\.colour: unknown key \(the keys are id, pattern"),
        (_entry(id="Not_Kebab"), r"phrase #2 \('Not_Kebab'\)\.id: String should match pattern"),
        (_entry(id="cat", category="rude"), r"phrase #2 \('cat'\)\.category: .*unknown category 'rude'"),
        (_entry(id="kw", keywords=["Two Words"]), r"phrase #2 \('kw'\)\.keywords\.0: String should match pattern"),
        (_entry(id="ok"), r"duplicate phrase id\(s\): ok"),
    ],
)
def test_bad_pack_names_the_entry(entry: dict[str, object], error: str) -> None:
    raw = {"phrases": [_entry(id="ok"), entry]}
    with pytest.raises(PackError, match=error) as caught:
        parse_pack(raw, "rules/blame.yaml")
    assert str(caught.value).startswith("rules/blame.yaml: ")


def test_importing_the_engine_stays_light() -> None:
    code = "import sys, postmortem_lint.checks.blame_engine; print(sorted({'pydantic', 'ruamel'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    assert result.stdout.strip() == "[]"


# --- the phrase pack's own data ---------------------------------------------------------------


def _pack_patterns() -> list[tuple[str, str]]:
    return [(p.id, p.pattern) for p in load_pack().phrases]


def _unbounded_repeat_of_quantified_group(pattern: str) -> bool:
    """True for (a+)+, (x|y*)* or (a+){2,}: the shape that backtracks catastrophically."""
    tokens = re.finditer(r"\\.|\[(?:\\.|[^\]\\])*\]|\(\??|\)|[*+?]|\{\d*,?\d*\}|.", pattern)
    stack: list[bool] = []
    closed_quantified = False
    for token in (t.group() for t in tokens):
        if closed_quantified and (token in ("*", "+") or re.fullmatch(r"\{\d*,\}", token)):
            return True
        if token.startswith("("):
            stack.append(False)
        elif token == ")":
            closed_quantified = stack.pop()
            if stack:
                stack[-1] = stack[-1] or closed_quantified
            continue
        elif stack and (token in ("*", "+", "?") or token.startswith("{")):
            stack[-1] = True
        closed_quantified = False
    return False


@pytest.mark.parametrize(("phrase_id", "pattern"), _pack_patterns())
def test_pack_patterns_have_no_nested_unbounded_quantifiers(phrase_id: str, pattern: str) -> None:
    assert not _unbounded_repeat_of_quantified_group(pattern), phrase_id


def test_the_nested_quantifier_check_works() -> None:
    assert _unbounded_repeat_of_quantified_group("(a+)+")
    assert _unbounded_repeat_of_quantified_group("(?:x|y*){2,}")
    assert not _unbounded_repeat_of_quantified_group("(?:a+ )?b{1,3}")


ADVERSARIAL = [
    "a" * 50_000,
    "human " * 10_000,
    "if " * 10_000 + "had",
    " " * 50_000 + "careless",
    "!?.,;:-'" * 6_000,
    "Alice, " * 5_000 + "forgot",
    "the the " * 5_000 + "engineer",
    "didn't " * 7_000,
    "@" * 20_000 + "bob",
    "`" * 20_000,
    "[x](" * 10_000,
    "_*" * 20_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=[f"adversarial-{i}" for i in range(len(ADVERSARIAL))])
def test_scanning_adversarial_text_is_fast(text: str) -> None:
    pack = load_pack()
    scan("warm up", ROSTER, pack)
    started = time.perf_counter()
    scan(text, ROSTER, pack)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(("phrase_id", "pattern"), _pack_patterns())
def test_each_pattern_alone_is_fast_on_adversarial_text(phrase_id: str, pattern: str) -> None:
    regex = re.compile(bounded(pattern), re.IGNORECASE)
    for text in ADVERSARIAL:
        started = time.perf_counter()
        regex.findall(text)
        assert time.perf_counter() - started < 0.5, (phrase_id, text[:20])


# --- the labelled evaluation set -------------------------------------------------------------


def _eval_set() -> tuple[list[str], list[dict[str, object]]]:
    data = YAML(typ="safe").load(EVAL_SET.read_text(encoding="utf-8"))
    return data["people"], data["sentences"]


def test_eval_set_is_large_and_balanced() -> None:
    _, sentences = _eval_set()
    positives = sum(1 for s in sentences if s["blame"])
    assert len(sentences) >= 160
    assert 0.4 <= positives / len(sentences) <= 0.6
    assert all(s["code"] in ("PM601", "PM602") for s in sentences if s["blame"])


def test_keywords_cover_every_match_in_the_eval_set() -> None:
    """Gating by keywords loses nothing: wherever a phrase matches, one of its keywords is there."""
    _, sentences = _eval_set()
    for phrase in load_pack().phrases:
        regex = re.compile(bounded(phrase.pattern), re.IGNORECASE)
        for sentence in sentences:
            text = blame._mask(str(sentence["text"]))
            for m in regex.finditer(text):
                assert set(blame._WORD.findall(m.group().lower())) & set(phrase.keywords), (phrase.id, m.group())


def test_precision_and_recall_on_the_eval_set() -> None:
    roster, sentences = _eval_set()
    pack = load_pack()
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for sentence in sentences:
        predicted = bool(scan(str(sentence["text"]), sentence.get("people", roster), pack))  # type: ignore[arg-type]
        actual = bool(sentence["blame"])
        counts[("t" if predicted == actual else "f") + ("p" if predicted else "n")] += 1
    precision = counts["tp"] / (counts["tp"] + counts["fp"])
    recall = counts["tp"] / (counts["tp"] + counts["fn"])
    print(f"\nblame eval set: {len(sentences)} sentences, {counts}, precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95
    assert recall >= 0.90
