"""`pmlint check --stdin-filename PATH -`: the document from stdin, linted as if at PATH, the repository around it.

Through the real executable in a real committed archive (`serverkit`).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text, replace_line
from repokit import ENV, PMLINT, pmlint, write
from serverkit import EARLIER_INCIDENT, EARLIER_PATH, build_archive

from postmortem_lint.reporters import registry

TODAY = ("--today", "2026-03-20")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_archive(tmp_path_factory.mktemp("stdin") / "archive")
    write(root, "sub/.pmlint.yaml", "ignore: [PM204]\n")
    return root


def check(root: Path, *args: str, text: str, cwd: Path | None = None) -> tuple[int, str, str]:
    done = pmlint(cwd or root, "check", *TODAY, *args, input=text, env=ENV)
    return done.returncode, done.stdout, done.stderr


def codes(stdout: str) -> list[str]:
    return sorted(d["code"] for d in json.loads(stdout)["diagnostics"])


def test_stdin_is_linted_in_place_of_the_file_on_disk(repo: Path) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    code, out, err = check(repo, "--format", "json", "--stdin-filename", CLEAN_PATH, "-", text=text)
    assert (code, err) == (1, "")
    report = json.loads(out)
    assert report["files_checked"] == 1
    assert [(d["path"], d["code"]) for d in report["diagnostics"]] == [(CLEAN_PATH, "PM703"), (CLEAN_PATH, "PM204")]
    assert check(repo, "--stdin-filename", CLEAN_PATH, "-", text=clean_text())[0] == 0


def test_cross_file_rules_see_the_other_post_mortems(repo: Path) -> None:
    text = clean_text().replace("INC-2026-03-14-001", EARLIER_INCIDENT).replace("**Date:** 2026-03-14", "**Date:** 2026-01-09")
    rel = "tasks/post-mortem-2026-01-09-new-draft.md"
    code, out, _ = check(repo, "--format", "json", "--stdin-filename", rel, "-", text=text)
    assert code == 1
    found = {d["code"]: d for d in json.loads(out)["diagnostics"]}
    assert set(found) == {"PM701", "PM703"}
    assert EARLIER_PATH in found["PM701"]["message"]
    assert "no row for this post-mortem" in found["PM703"]["message"]
    assert not (repo / rel).exists()


def test_the_path_is_resolved_from_the_current_folder(repo: Path) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    code, out, _ = check(repo, "--format", "json", "--stdin-filename", Path(CLEAN_PATH).name, "-", text=text, cwd=repo / "tasks")
    assert code == 1
    assert {d["path"] for d in json.loads(out)["diagnostics"]} == {CLEAN_PATH}


def test_configuration_is_found_from_the_path_s_folder(repo: Path) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    _, out, _ = check(repo, "--format", "json", "--stdin-filename", "sub/tasks/post-mortem-2026-03-14-sub.md", "-", text=text)
    assert "PM204" not in codes(out)


@pytest.mark.parametrize("format_", sorted(registry.formats("check")))
def test_every_format_reports_the_document_at_its_path(repo: Path, format_: str) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    code, out, err = check(repo, "--format", format_, "--stdin-filename", CLEAN_PATH, "-", text=text)
    assert code == 1, err
    assert "post-mortem-2026-03-14-checkout-latency.md" in out
    assert "PM204" in out
    if format_ == "full":
        assert "**Severity:** SEV-9" in out


def test_force_exclude_skips_a_path_check_would_not_check(repo: Path) -> None:
    code, out, _ = check(repo, "--force-exclude", "--format", "json", "--stdin-filename", "README.md", "-", text="# notes\n")
    assert code == 0
    assert json.loads(out)["diagnostics"] == []


def test_undecodable_input_is_a_finding(repo: Path) -> None:
    args = [*PMLINT, "check", "--format", "json", "--stdin-filename", CLEAN_PATH, "-"]
    done = subprocess.run(args, cwd=repo, env=ENV, input=b"# Post-Mortem: x\n\xff\xfe\n", capture_output=True, check=False)
    assert done.returncode == 1
    assert "PM000" in codes(done.stdout.decode())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-",), "`-` reads the document from stdin and needs --stdin-filename PATH"),
        (("--stdin-filename", CLEAN_PATH, "-", EARLIER_PATH), "give `-` as the only PATH"),
        (("--stdin-filename", CLEAN_PATH, "--staged", "-"), "--staged cannot be combined with --stdin-filename"),
        (("--stdin-filename", CLEAN_PATH, "--fix", "-"), "--fix cannot be combined with --stdin-filename"),
        (("--stdin-filename", CLEAN_PATH, "--write-baseline", "b.json", "-"), "--write-baseline cannot be combined"),
    ],
)
def test_misuse_is_a_one_line_usage_error(repo: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = check(repo, *args, text=clean_text())
    assert (code, out) == (2, "")
    assert err.startswith("pmlint: error: ") and message in err
    assert err.count("\n") == 1
