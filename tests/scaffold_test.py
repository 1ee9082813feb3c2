"""`pmlint new`: slugs, questions, incident numbers, safe writes, and a lint-clean Draft for every answer."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import pty
import re
import select
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from repokit import PMLINT, clean_env, git, make_repo, pmlint

from postmortem_lint.checks import blame_engine as blame
from postmortem_lint.cli import cli
from postmortem_lint.config.settings import Settings
from postmortem_lint.document import tracking
from postmortem_lint.features import scaffold
from postmortem_lint.io.fsutil import UnsafePathError
from postmortem_lint.lint import engine, linter, packdata, providers

DATE = dt.date(2026, 3, 14)
TODAY = dt.date(2026, 3, 20)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def answers(title: str = "Checkout latency", **changes: str) -> scaffold.Answers:
    chosen = {q.key: q.default for q in scaffold.QUESTIONS} | changes
    return scaffold.Answers(title=title, date=DATE, author="Dana Ortiz", **chosen)


def errors_in(text: str, rel: str = "tasks/post-mortem-2026-03-14-checkout-latency.md") -> list[str]:
    settings = Settings(root=Path("/nonexistent"))
    result = linter.lint_bytes(rel, text.encode("utf-8"), None, settings, TODAY)
    return [f"{d.line}: {d.code} {d.message}" for d in engine.finish({rel: result}, None, settings, TODAY) if d.severity == "error"]


# Slugs: safe whatever the title.


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Checkout latency after pricing release", "checkout-latency-after-pricing-release"),
        ("../../x", "x"),
        ("/etc/passwd", "etc-passwd"),
        ("a\x00b", "a-b"),
        ("🔥🔥🔥", "incident"),
        ("", "incident"),
        ("...", "incident"),
        ("Café outage à Zürich", "cafe-outage-a-zurich"),
        ("DB   pool__exhausted!!", "db-pool-exhausted"),
        ("C:\\Windows\\system32", "c-windows-system32"),
    ],
)
def test_slug_is_safe_kebab_case(title: str, slug: str) -> None:
    assert scaffold.slugify(title) == slug


def test_slug_is_capped_at_a_word_boundary() -> None:
    slug = scaffold.slugify("database connection pool exhausted during the peak of the holiday sale")
    assert slug == "database-connection-pool-exhausted-during-the-peak"
    assert scaffold.slugify("x" * 80) == "x" * scaffold.SLUG_LIMIT


@given(st.text())
def test_any_title_gives_a_valid_slug(title: str) -> None:
    slug = scaffold.slugify(title)
    assert SLUG.match(slug) and len(slug) <= scaffold.SLUG_LIMIT


def test_title_is_one_printable_line() -> None:
    assert scaffold.clean_title("  DB\npool\x00 \u202eexhausted\t ") == "DB pool exhausted"
    assert scaffold.clean_title("") == scaffold.DEFAULT_TITLE
    assert scaffold.clean_title(None) == scaffold.DEFAULT_TITLE


# Questions: the seed's, lettered.


def test_questions_are_the_seeds_five_with_its_choices() -> None:
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_0a73f838bdf75aa7.txt"
    assert [q.key for q in scaffold.QUESTIONS] == ["severity", "impact", "duration", "detection", "root_cause"]
    assert [len(q.choices) for q in scaffold.QUESTIONS] == [4, 6, 5, 5, 7]
    if seed.is_file():
        text = seed.read_text(encoding="utf-8")
        for question in scaffold.QUESTIONS:
            assert question.prompt in text
            for choice in question.choices:
                assert choice.label.split(" (specify")[0] in text


@pytest.mark.parametrize(("answer", "value"), [("b", "SEV-2"), ("B", "SEV-2"), ("sev-4", "SEV-4"), (" SEV-1 ", "SEV-1")])
def test_answer_is_a_letter_or_a_value(answer: str, value: str) -> None:
    assert scaffold.BY_KEY["severity"].parse(answer) == value


@pytest.mark.parametrize("answer", ["E", "SEV-5", "", "critical"])
def test_other_answers_are_refused(answer: str) -> None:
    with pytest.raises(ValueError, match="A-D"):
        scaffold.BY_KEY["severity"].parse(answer)


# The draft: zero errors, shaped by the answers, blameless.


def test_answers_shape_the_draft() -> None:
    chosen = answers(severity="SEV-1", impact="data-loss", duration="2-24h", detection="customer", root_cause="config")
    text = scaffold.render(chosen, "INC-2026-03-14-002", Settings())
    assert text.startswith("# Post-Mortem: Checkout latency\n")
    assert "**Incident Number:** INC-2026-03-14-002\n" in text
    assert "**Severity:** SEV-1\n" in text
    assert "**Duration:** [between 2 and 24 hours]\n" in text
    assert "The incident caused data loss or corruption. It lasted between 2 and 24 hours." in text
    assert "**Detection Method:** Customer report\n" in text
    assert "(initial category: a configuration error)" in text
    assert "**Status:** Draft\n" in text and "**Author:** Dana Ortiz\n" in text
    assert "<!-- variables" not in text and "$" + "{" not in text


def test_human_error_is_written_blamelessly() -> None:
    text = scaffold.render(answers(root_cause="human"), "INC-2026-03-14-001", Settings())
    assert "human error" not in text.lower()
    assert "a manual step in the change process that the tooling allowed to go unchecked" in text
    assert blame.scan(text, (), packdata.blame_pack()) == []


def test_every_combination_fills_every_slot_without_blame_words() -> None:
    for combo in itertools.product(*(q.values for q in scaffold.QUESTIONS)):
        text = scaffold.render(answers(**dict(zip(scaffold.BY_KEY, combo, strict=True))), "INC-2026-03-14-001", Settings())
        assert "$" + "{" not in text and "human error" not in text.lower(), combo


def test_every_answer_text_is_blameless() -> None:
    pack = packdata.blame_pack()
    for question in scaffold.QUESTIONS:
        for choice in question.choices:
            assert blame.scan(f"The cause was {choice.text}.", (), pack) == [], choice


def _covering_combinations() -> list[dict[str, str]]:
    """Every impact x duration pair (they share the summary sentence); every value of the others."""
    impact, duration = scaffold.BY_KEY["impact"].values, scaffold.BY_KEY["duration"].values
    others = [scaffold.BY_KEY[k].values for k in ("severity", "detection", "root_cause")]
    combos = []
    for index, (i, d) in enumerate(itertools.product(impact, duration)):
        combo = {"impact": i, "duration": d}
        combo.update({k: v[index % len(v)] for k, v in zip(("severity", "detection", "root_cause"), others, strict=True)})
        combos.append(combo)
    return combos


def test_draft_has_zero_errors_for_the_covering_answers() -> None:
    combos = _covering_combinations()
    for key in scaffold.BY_KEY:
        assert {c[key] for c in combos} == set(scaffold.BY_KEY[key].values)
    pack = packdata.blame_pack()
    for combo in combos:
        text = scaffold.render(answers(**combo), "INC-2026-03-14-001", Settings())
        assert errors_in(text) == [], combo
        assert blame.scan(text, ("Dana Ortiz",), pack) == [], combo


def test_placeholder_author_and_odd_title_still_have_zero_errors() -> None:
    odd = scaffold.Answers("Pipe | in $title [x] and `code`", DATE, "SEV-2", "other", "lt-5m", "other", "unknown", author="")
    text = scaffold.render(odd, "INC-2026-03-14-001", Settings())
    assert "**Author:** [Name]" in text
    assert errors_in(text) == []


# Incident numbers, names, and where files may be written.


def _settings(root: Path) -> Settings:
    return Settings(root=root)


def _post_mortem(root: Path, name: str, incident: str) -> None:
    path = root / "tasks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Post-Mortem: X\n\n**Incident Number:** {incident}\n**Date:** 2026-03-14\n", encoding="utf-8")


def test_next_incident_counts_the_working_tree(tmp_path: Path) -> None:
    _post_mortem(tmp_path, "post-mortem-2026-03-14-a.md", "INC-2026-03-14-001")
    _post_mortem(tmp_path, "post-mortem-2026-03-14-b.md", "INC-2026-03-14-003")
    _post_mortem(tmp_path, "post-mortem-2026-03-15-c.md", "INC-2026-03-15-009")
    assert scaffold.next_incident(_settings(tmp_path), DATE) == "INC-2026-03-14-004"
    assert scaffold.next_incident(_settings(tmp_path), dt.date(2026, 3, 16)) == "INC-2026-03-16-001"


def test_next_incident_counts_every_branch(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    _post_mortem(root, "post-mortem-2026-03-14-a.md", "INC-2026-03-14-001")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    git(root, "checkout", "-q", "-b", "other")
    _post_mortem(root, "post-mortem-2026-03-14-b.md", "INC-2026-03-14-005")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "on another branch")
    git(root, "checkout", "-q", "main")
    assert not (root / "tasks" / "post-mortem-2026-03-14-b.md").exists()
    assert scaffold.next_incident(_settings(root), DATE) == "INC-2026-03-14-006"
    created = scaffold.create(_settings(root), answers(title="b"))
    assert created.name == "post-mortem-2026-03-14-b-2.md", "the name the other branch uses is skipped"


def test_next_incident_uses_the_configured_width(tmp_path: Path) -> None:
    assert scaffold.next_incident(Settings(root=tmp_path, incident_number_width=4), DATE) == "INC-2026-03-14-0001"


def test_create_never_overwrites(tmp_path: Path) -> None:
    first = scaffold.create(_settings(tmp_path), answers())
    before = first.read_bytes()
    second = scaffold.create(_settings(tmp_path), answers())
    assert first.name == "post-mortem-2026-03-14-checkout-latency.md"
    assert second.name == "post-mortem-2026-03-14-checkout-latency-2.md"
    assert first.read_bytes() == before
    assert "INC-2026-03-14-002" in second.read_text(encoding="utf-8")
    rows = providers.read_tracker(tmp_path / "POST_MORTEM_TRACKING.md")
    assert rows is not None and [r.target for r in rows.rows] == [f"tasks/{first.name}", f"tasks/{second.name}"]


@pytest.mark.parametrize("title", ["../../x", "/etc/passwd", "a\x00b/../c", "🔥"])
def test_hostile_titles_stay_in_the_folder(tmp_path: Path, title: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    path = scaffold.create(_settings(root), answers(title=title))
    assert path.parent == root / "tasks"
    assert SLUG.match(path.name.removeprefix("post-mortem-2026-03-14-").removesuffix(".md"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_symlinked_folder_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "repo"
    root.mkdir()
    (root / "tasks").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError):
        scaffold.create(_settings(root), answers())
    assert list(outside.iterdir()) == []
    assert not (root / "POST_MORTEM_TRACKING.md").exists()


def test_unparseable_tracker_stops_before_writing(tmp_path: Path) -> None:
    (tmp_path / "POST_MORTEM_TRACKING.md").write_text(f"# T\n{tracking.START}\n", encoding="utf-8")
    with pytest.raises(tracking.TrackerError, match=r"POST_MORTEM_TRACKING\.md:2"):
        scaffold.create(_settings(tmp_path), answers())
    assert not (tmp_path / "tasks").exists()


# The command line: prompts, flags, --no-input, the real executable.


def test_prompts_accept_letters_values_and_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["new", "--date", "2026-03-14"], input="DB pool exhausted\nb\nperformance\nzz\nD\n\nE\n")
    assert result.exit_code == 0, result.output
    assert "1. What was the severity of the incident?" in result.output
    assert "   B) SEV-2 (Major - significant degradation)" in result.output
    assert "is not one of A-E" in result.output
    path = root / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert path.name == "post-mortem-2026-03-14-db-pool-exhausted.md"
    assert "**Severity:** SEV-2" in text and "The incident degraded performance. It lasted between 2 and 24 hours." in text
    assert "**Detection Method:** [How it was detected]" in text
    assert "a manual step in the change process" in text and "**Author:** Dana Ortiz" in text


def test_flags_skip_their_questions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["new", "Cache stampede", "--date", "2026-03-14", "--severity", "SEV-1", "--impact", "outage", "--duration", "lt-5m"]
    result = CliRunner().invoke(cli, [*args, "--detection", "monitoring", "--author", "Sam Lee"], input="G\n")
    assert result.exit_code == 0, result.output
    assert "1. What was" not in result.output and "5. What was the root cause category?" in result.output
    text = (tmp_path / "tasks" / "post-mortem-2026-03-14-cache-stampede.md").read_text(encoding="utf-8")
    assert "**Severity:** SEV-1" in text and "**Author:** Sam Lee" in text and "unknown, under investigation" in text


def test_bad_flag_value_is_a_usage_error(tmp_path: Path) -> None:
    done = pmlint(tmp_path, "new", "X", "--severity", "SEV-9", "--no-input")
    assert done.returncode == 2
    assert "SEV-9" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "tasks").exists()


def test_no_input_uses_the_documented_defaults_and_is_lint_clean(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    done = pmlint(root, "new", "--no-input", "--date", "2026-03-14")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "tasks/post-mortem-2026-03-14-untitled-incident.md\n"
    text = (root / done.stdout.strip()).read_text(encoding="utf-8")
    assert "**Severity:** SEV-3" in text and "It lasted between 30 minutes and 2 hours." in text
    report = pmlint(root, "check", "--format", "json", "--today", "2026-03-20")
    assert report.returncode == 0, report.stdout
    assert json.loads(report.stdout)["summary"]["error"] == 0


def test_broken_tracker_is_exit_2_and_nothing_written(tmp_path: Path) -> None:
    (tmp_path / "POST_MORTEM_TRACKING.md").write_text(f"{tracking.END}\n{tracking.START}\n", encoding="utf-8")
    done = pmlint(tmp_path, "new", "X", "--no-input")
    assert done.returncode == 2 and "POST_MORTEM_TRACKING.md:" in done.stderr
    assert not (tmp_path / "tasks").exists()


class Terminal:
    """The controller side of a pseudo-terminal: wait for a prompt, answer it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.transcript = ""
        self.cursor = 0

    def expect(self, wanted: str) -> None:
        while wanted not in self.transcript[self.cursor :]:
            ready, _, _ = select.select([self.fd], [], [], 30)
            assert ready, f"timed out waiting for {wanted!r}; got {self.transcript!r}"
            self.transcript += os.read(self.fd, 4096).decode("utf-8", "replace")
        self.cursor = self.transcript.index(wanted, self.cursor) + len(wanted)

    def answer(self, prompt: str, reply: str) -> None:
        self.expect(prompt)
        os.write(self.fd, reply.encode("utf-8") + b"\r")


def test_interactive_session_in_a_terminal(tmp_path: Path) -> None:
    """The real executable on a pseudo-terminal: prompts, answers, then a path and a clean check."""
    root = make_repo(tmp_path / "repo")
    controller, child = pty.openpty()
    command = [*PMLINT, "new", "--date", "2026-03-14"]
    process = subprocess.Popen(command, cwd=root, env=clean_env(), stdin=child, stdout=child, stderr=child)
    os.close(child)
    terminal = Terminal(controller)
    replies = [("Checkout latency after pricing release", "Incident title: "), ("B", "[C]: "), ("D", "[F]: "), ("c", "[C]: ")]
    try:
        for reply, prompt in [*replies, ("a", "[E]: "), ("E", "[G]: ")]:
            terminal.answer(prompt, reply)
        terminal.expect(".md")
        assert process.wait(timeout=30) == 0, terminal.transcript
    finally:
        process.kill()
        os.close(controller)
    assert "   E) Human error" in terminal.transcript
    assert "tasks/post-mortem-2026-03-14-checkout-latency-after-pricing-release.md" in terminal.transcript
    text = (root / "tasks" / "post-mortem-2026-03-14-checkout-latency-after-pricing-release.md").read_text(encoding="utf-8")
    assert "**Severity:** SEV-2" in text and "**Detection Method:** Monitoring alert" in text
    checked = pmlint(root, "check", "--today", "2026-03-20")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_today_is_taken_in_the_configured_timezone() -> None:

    try:
        ZoneInfo("Pacific/Kiritimati")
    except ZoneInfoNotFoundError:
        pytest.skip("no timezone database on this system")
    assert (scaffold.today_in("Pacific/Kiritimati") - scaffold.today_in("Pacific/Pago_Pago")).days in (1, 2)
    assert scaffold.today_in("Not/A_Zone") == dt.date.today()
    assert scaffold.today_in("") == dt.date.today()
