"""Hostile files never crash or hang `pmlint check`: each gets findings or a PM000, and the run goes on.

Every case is a real file in a temporary project, checked by the real command
line (in process through `cli.main`, and once as a subprocess over the whole
project, with a timeout). Exit code 2 is for usage problems only: a bad file is
a finding (exit 1), never a reason to stop.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lintkit import CLEAN, CLEAN_PATH
from repokit import make_repo, pmlint

from postmortem_lint import cli
from postmortem_lint.commands import group
from postmortem_lint.document import source

TODAY = "2026-03-20"
TITLE = b"# Post-Mortem: Hostile input\n"


def _nested_list(depth: int) -> bytes:
    return b"".join(b"  " * i + b"- level\n" for i in range(depth))


def _giant_table(rows: int) -> bytes:
    head = b"## Action Items\n\n| ID | Action | Owner | Priority | Due Date | Status |\n|---|---|---|---|---|---|\n"
    return TITLE + head + b"".join(b"| AI-%03d | Fix %d | Dana | High | 2026-01-01 | Open |\n" % (i, i) for i in range(rows))


CONTENT: dict[str, bytes] = {
    "empty": b"",
    "whitespace": b"   \n\t\n  \n\n",
    "bom-only": b"\xef\xbb\xbf",
    "huge-line": TITLE + b"word " * 180_000 + b"\n",
    "huge-pipe-line": TITLE + b"|" * 200_000 + b"\n",
    "deep-list": TITLE + _nested_list(600),
    "deep-quote": TITLE + b">" * 5_000 + b" deep\n",
    "deep-emphasis": TITLE + b"*a " * 20_000 + b"\n",
    "unclosed-fence": TITLE + b"```text\n## Timeline\n| Time | Event | Actor |\n",
    "unclosed-table": TITLE + b"## Timeline\n\n| Time | Event | Actor |\n|---|---|\n| 10:00 | only one\n|",
    "thousands-of-headings": TITLE + b"".join(b"## Heading %d\n\n### Sub %d\n" % (i, i) for i in range(3_000)),
    "giant-table": _giant_table(4_000),
    "wide-table": TITLE + b"## Timeline\n\n|" + b" c |" * 2_000 + b"\n|" + b"---|" * 2_000 + b"\n|" + b" x |" * 2_000 + b"\n",
    "raw-html": b"<div>\n<script>alert(1)</script>\n# Post-Mortem: in html\n</div>\n<!-- pmlint-disable -->\n<table><tr><td>|</td></tr>\n",
    "front-matter": b"---\ntitle: Front matter\nseverity: P1\n---\n# Post-Mortem: Front matter\n\n**Severity:** SEV-2\n",
    "setext": b"Post-Mortem: Setext title\n=========================\n\nTimeline\n--------\n\nText.\n",
    "mixed-newlines": b"# Post-Mortem: Newlines\r\n**Severity:** P1\r**Status:** Draft\n**Author:** Dana\r\n",
    "cr-only": b"# Post-Mortem: Old Mac\r**Severity:** SEV-9\r",
    "no-final-newline": b"# Post-Mortem: No newline\n**Severity:** SEV-2",
    "bidi-and-zero-width": "# Post-Mortem: \u202eevil\u202c \u200bname\u2066x\u2069\n**Severity:**\u200b SEV-1\u200d\n".encode(),
    "unicode-separators": "# Post-Mortem: a\u2028b\u2029c\x0b\x0c\x1c\x85d\n**Severity:** SEV-2\n".encode(),
    "control-characters": TITLE + bytes(range(1, 32)).replace(b"\n", b"") + b"\x7f\n",
    "only-hashes": b"#\n##\n###\n####### seven\n#" + b"#" * 10_000 + b"\n",
    "long-heading": b"# Post-Mortem: " + b"x" * 100_000 + b"\n",
    "spaces-in-heading": b"# Post-Mortem: Spaced" + b" " * 300_000 + b"out ##\n## Timeline" + b"-" * 50_000 + b" " * 100_000 + b"#\n",
    "brackets-and-placeholders": TITLE + b"[" * 30_000 + b"]" * 30_000 + b"\n" + b"[Name] " * 5_000 + b"\n",
    "suppression-spam": TITLE + b"<!-- pmlint-disable PM201 -->\n" * 2_000 + b"<!-- pmlint-enable -->\n",
    "nbsp-and-tabs": "# Post-Mortem:\u00a0Tabs\n\t**Severity:**\tSEV-2\n\u00a0\u00a0## Timeline\n".encode(),
}
"""Files that decode: each must give ordinary findings, no PM000."""

UNDECODABLE: dict[str, tuple[bytes, str]] = {
    "nul-bytes": (TITLE + b"**Severity:** SEV-1\n\x00\x01\x02", "NUL bytes"),
    "utf16": ("# Post-Mortem: UTF-16\n".encode("utf-16"), "NUL bytes"),
    "latin1": ("# Post-Mortem: Café\n".encode("latin-1"), "not valid UTF-8"),
    "surrogate-utf8": (TITLE + b"\xed\xa0\x80\n", "not valid UTF-8"),
    "overlong-utf8": (TITLE + b"\xc0\xaf\n", "not valid UTF-8"),
    "truncated-utf8": (TITLE + b"caf\xc3", "not valid UTF-8"),
    "oversized": (TITLE + b"a" * source.MAX_BYTES, "over the"),
}
"""Files that cannot be read as UTF-8 text: PM000 with the reason."""

PM000_LINE = {"nul-bytes": 3, "surrogate-utf8": 2, "overlong-utf8": 2, "truncated-utf8": 2}


def _name(case: str) -> str:
    return f"post-mortem-2026-01-01-{case}.md"


def _make_dir(path: Path) -> str:
    path.mkdir()
    (path / "notes.md").write_text("not a post-mortem\n")
    return "is a directory"


def _make_dangling(path: Path) -> str:
    path.symlink_to(path.parent / "missing" / "gone.md")
    return "dangling symbolic link"


def _make_loop(path: Path) -> str:
    other = path.with_name("loop-other.md")
    other.symlink_to(path.name)
    path.symlink_to(other.name)
    return "symbolic links"


def _make_fifo(path: Path) -> str:
    os.mkfifo(path)
    return "not a regular file"


SPECIAL: dict[str, Callable[[Path], str]] = {
    "directory": _make_dir,
    "dangling-symlink": _make_dangling,
    "symlink-loop": _make_loop,
    "fifo": _make_fifo,
}
"""Things named like post-mortems that are not readable files: PM000, and the run goes on."""


def _project(root: Path, *only: str) -> Path:
    """The clean fixture plus every hostile case (or ``only`` those named, without the special entries)."""
    tasks = root / "tasks"
    tasks.mkdir(parents=True)
    shutil.copy(CLEAN, root / CLEAN_PATH)
    files = {**CONTENT, **{case: data for case, (data, _reason) in UNDECODABLE.items()}}
    for case, data in files.items():
        if not only or case in only:
            (tasks / _name(case)).write_bytes(data)
    if not only:
        for case, make in SPECIAL.items():
            make(tasks / _name(case))
    return root


def _check(root: Path, *args: str, timeout: float = 180) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    done = pmlint(root, "check", "--format", "json", "--today", TODAY, *args, timeout=timeout)
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}, done.stderr


def _by_path(report: dict) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    found: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for diagnostic in report["diagnostics"]:
        found.setdefault(diagnostic["path"], []).append(diagnostic)
    return found


def _in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], root: Path, *paths: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    monkeypatch.chdir(root)
    code = cli.main(["check", "--format", "json", "--today", TODAY, "--no-cache", *paths])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _assert_lines_in_file(diagnostics: list[dict], data: bytes) -> None:  # type: ignore[type-arg]
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    count = max(1, len(text.split("\n")))
    for diagnostic in diagnostics:
        assert 1 <= diagnostic["line"] <= diagnostic["end_line"] <= count, diagnostic


@pytest.mark.parametrize("case", sorted(CONTENT))
def test_decodable_hostile_file_gets_ordinary_findings(case: str, tmp_path: Path) -> None:
    root = _project(tmp_path, case)
    rel = f"tasks/{_name(case)}"
    code, report, err = _check(root, "--no-cache", rel, timeout=120)
    diagnostics = _by_path(report).get(rel, [])
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err
    assert diagnostics, f"{case}: no findings"
    assert not [d for d in diagnostics if d["code"] == "PM000"], diagnostics
    _assert_lines_in_file(diagnostics, CONTENT[case])


@pytest.mark.parametrize("case", sorted(UNDECODABLE))
def test_undecodable_file_is_one_pm000_with_the_reason(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, case)
    rel = f"tasks/{_name(case)}"
    code, report, err = _in_process(monkeypatch, capsys, root, rel, CLEAN_PATH)
    found = _by_path(report)
    assert code == 1 and "Traceback" not in err
    assert [d["code"] for d in found[rel]] == ["PM000"]
    assert UNDECODABLE[case][1] in found[rel][0]["message"]
    assert found[rel][0]["line"] == PM000_LINE.get(case, 1)
    assert CLEAN_PATH not in found or {d["code"][:3] for d in found[CLEAN_PATH]} <= {"PM7"}
    assert report["files_checked"] == 2


@pytest.mark.parametrize("case", sorted(SPECIAL))
def test_unreadable_entry_named_on_the_command_line_is_pm000(case: str, tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    shutil.copy(CLEAN, tmp_path / CLEAN_PATH)
    (tasks / _name("ok")).write_bytes(CONTENT["setext"])
    reason = SPECIAL[case](tasks / _name(case))
    code, report, err = _check(tmp_path, "--no-cache", "tasks", timeout=120)
    found = _by_path(report)
    assert code == 1 and "Traceback" not in err
    pm000 = [d for d in found[f"tasks/{_name(case)}"] if d["code"] == "PM000"]
    assert len(pm000) == 1 and reason in pm000[0]["message"]
    assert found[f"tasks/{_name('ok')}"], "the other files of the run are still reported"


@pytest.mark.parametrize("git", [False, True], ids=["plain-folder", "git-repo"])
def test_whole_hostile_project_in_one_run(tmp_path: Path, git: bool) -> None:
    root = _project(make_repo(tmp_path) if git else tmp_path)
    code, report, err = _check(root)
    found = _by_path(report)
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err
    for case in (*CONTENT, *UNDECODABLE):
        assert f"tasks/{_name(case)}" in found, f"{case} not reported"
    pm000 = {d["path"] for d in report["diagnostics"] if d["code"] == "PM000"}
    unreadable = {f"tasks/{_name(c)}" for c in UNDECODABLE}
    # git lists neither folders nor FIFOs; symlinks it does list
    special = {"dangling-symlink", "symlink-loop"} if git else set(SPECIAL)
    # the loop's other end is a Markdown file of tasks/ too, checked whatever its name
    assert pm000 == unreadable | {f"tasks/{_name(c)}" for c in special} | {"tasks/loop-other.md"}
    assert {d["code"][:3] for d in found.get(CLEAN_PATH, [])} <= {"PM7"}


def test_many_paths_at_once_run_in_worker_processes(tmp_path: Path) -> None:
    root = _project(tmp_path)
    for day in range(1, 29):
        (root / "tasks" / f"post-mortem-2026-02-{day:02d}-copy.md").write_bytes(CONTENT["setext"])
    code, report, err = _check(root, "--jobs", "2", "tasks")
    assert code == 1 and "Traceback" not in err
    loop_other = 1  # the symlink loop's other end, a Markdown file of tasks/, is checked whatever its name
    assert report["files_checked"] == len(CONTENT) + len(UNDECODABLE) + len(SPECIAL) + 1 + 28 + loop_other


def test_newline_styles_keep_line_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, "mixed-newlines", "cr-only")
    _code, report, _err = _in_process(monkeypatch, capsys, root, f"tasks/{_name('mixed-newlines')}", f"tasks/{_name('cr-only')}")
    severity = {(d["path"].rsplit("-", 1)[-1], d["line"]) for d in report["diagnostics"] if d["code"] == "PM204"}
    assert severity == {("newlines.md", 2), ("only.md", 2)}
    mixed = _by_path(report)[f"tasks/{_name('mixed-newlines')}"]
    missing = {d["message"] for d in mixed if d["code"] == "PM202"}
    assert not [m for m in missing if "Status" in m or "Author" in m], "fields after a lone CR are read"


def test_front_matter_setext_and_invisible_characters_are_understood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = ("front-matter", "setext", "bidi-and-zero-width")
    root = _project(tmp_path, *cases)
    names = [f"tasks/{_name(c)}" for c in cases]
    _code, report, _err = _in_process(monkeypatch, capsys, root, *names)
    found = _by_path(report)
    front, setext, invisible = (found[n] for n in names)
    assert not [d for d in front if d["code"] == "PM201" or "title: Front matter" in d["message"]]
    assert not [d for d in front if d["code"] == "PM204"], "front matter's `severity: P1` is not the header"
    assert not [d for d in setext if d["code"] == "PM201"], "a Setext H1 is a title"
    assert not [d for d in invisible if d["code"] in ("PM201", "PM204")], "zero-width characters are not content"


def test_unclosed_fence_hides_what_follows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, "unclosed-fence")
    _code, report, _err = _in_process(monkeypatch, capsys, root, f"tasks/{_name('unclosed-fence')}")
    assert any(d["code"] == "PM301" and "Timeline" in d["message"] for d in report["diagnostics"])


def test_other_commands_survive_the_hostile_project(tmp_path: Path) -> None:
    root = _project(make_repo(tmp_path))
    commands = (["actions"], ["actions", "--format", "json"], ["report"], ["report", "--format", "html"], ["track", "--check"], ["track"])
    ran = []
    for args in commands:
        module = Path(cli.__file__).parent / "commands" / f"{group.COMMANDS[args[0]][0]}.py"
        if not module.exists():
            continue
        ran.append(args[0])
        done = pmlint(root, *args, timeout=180)
        assert done.returncode in (0, 1), f"pmlint {' '.join(args)}: {done.stderr}"
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert {"actions", "track"} <= set(ran)
