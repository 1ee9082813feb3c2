"""`pmlint mcp` end to end: the real server in a subprocess, driven by the `mcp` SDK's client over stdio.

Each test starts its own server over its own committed archive (`serverkit`);
results are compared with what the command line prints for the same input.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from lintkit import CLEAN_PATH, clean_text, replace_line
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent
from repokit import ENV, clean_env, pmlint, write
from serverkit import EARLIER_INCIDENT, EARLIER_PATH, SERVER, build_archive

from postmortem_lint.features.scaffold import QUESTIONS

pytestmark = pytest.mark.asyncio
TOOLS = {"questions", "scaffold", "lint", "explain", "fix", "actions", "related_incidents"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_archive(tmp_path / "archive")


@asynccontextmanager
async def serve(root: Path) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(command=SERVER[0], args=[*SERVER[1:], "mcp"], cwd=root, env=clean_env(**_author()))
    with open(os.devnull, "w") as quiet:
        async with stdio_client(params, errlog=quiet) as (read, write_), ClientSession(read, write_) as session:
            await session.initialize()
            yield session


def _author() -> dict[str, str]:
    return {k: v for k, v in ENV.items() if k.startswith("GIT_AUTHOR") or k.startswith("GIT_COMMITTER")}


async def call(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, _text(result)
    assert isinstance(result.structured_content, dict)
    return result.structured_content


async def refused(session: ClientSession, tool: str, **arguments: Any) -> str:
    result = await session.call_tool(tool, arguments)
    assert result.is_error
    return _text(result)


def _text(result: CallToolResult) -> str:
    return " ".join(c.text for c in result.content if isinstance(c, TextContent))


def _cli_json(root: Path, *args: str, stdin: str | None = None) -> dict[str, Any]:
    done = pmlint(root, *args, input=stdin, env=ENV)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


async def test_every_tool_and_every_argument_is_described(repo: Path) -> None:
    async with serve(repo) as session:
        listed = (await session.list_tools()).tools
    assert {t.name for t in listed} == TOOLS
    for tool in listed:
        assert tool.description and len(tool.description) > 30, tool.name
        for name, schema in tool.input_schema.get("properties", {}).items():
            assert schema.get("description"), f"{tool.name}.{name}"


async def test_questions_are_the_template_s_five_with_lettered_choices(repo: Path) -> None:
    async with serve(repo) as session:
        found = (await call(session, "questions"))["questions"]
    assert [q["key"] for q in found] == [q.key for q in QUESTIONS]
    assert [q["question"] for q in found] == [q.prompt for q in QUESTIONS]
    severity = found[0]["choices"]
    assert [(c["letter"], c["value"]) for c in severity] == [("A", "SEV-1"), ("B", "SEV-2"), ("C", "SEV-3"), ("D", "SEV-4")]
    assert all(c["label"] for q in found for c in q["choices"])


async def test_scaffold_writes_a_draft_that_lints_without_errors(repo: Path) -> None:
    answers = {"severity": "B", "impact": "performance", "duration": "C", "detection": "A", "root_cause": "human"}
    async with serve(repo) as session:
        dry = await call(session, "scaffold", title="Search latency after reindex", date="2026-03-14", dry_run=True, **answers)
        assert not (repo / dry["path"]).exists()
        written = await call(session, "scaffold", title="Search latency after reindex", date="2026-03-14", **answers)
        linted = await call(session, "lint", path=written["path"])
    assert written["path"] == dry["path"] == "tasks/post-mortem-2026-03-14-search-latency-after-reindex.md"
    assert written["incident"] == dry["incident"] == "INC-2026-03-14-002"
    assert "**Severity:** SEV-2" in dry["text"] and "human error" not in dry["text"].casefold()
    assert (repo / written["path"]).read_text(encoding="utf-8") == dry["text"]
    assert linted["summary"]["error"] == 0
    assert "post-mortem-2026-03-14-search-latency-after-reindex" in (repo / "POST_MORTEM_TRACKING.md").read_text(encoding="utf-8")


async def test_a_bad_answer_is_an_error_naming_the_question(repo: Path) -> None:
    async with serve(repo) as session:
        message = await refused(session, "scaffold", title="X", severity="SEV-7")
    assert "severity" in message and "SEV-7" in message


async def test_lint_gives_what_check_stdin_filename_gives(repo: Path) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    text = text.replace("INC-2026-03-14-001", EARLIER_INCIDENT)
    rel = "tasks/post-mortem-2026-03-14-draft.md"
    async with serve(repo) as session:
        linted = await call(session, "lint", path=rel, text=text, today="2026-03-20")
        on_disk = await call(session, "lint", path=CLEAN_PATH, today="2026-03-20")
    cli = _cli_json(repo, "check", "--format", "json", "--today", "2026-03-20", "--stdin-filename", rel, "-", stdin=text)
    assert linted["diagnostics"] == cli["diagnostics"]
    assert linted["summary"] == cli["summary"] and linted["files_checked"] == 1
    assert {"PM204", "PM701", "PM206", "PM703"} <= {d["code"] for d in linted["diagnostics"]}
    assert on_disk["diagnostics"] == []


async def test_paths_outside_the_project_are_refused(repo: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/post-mortem-2026-03-14-x.md", clean_text())
    (repo / "tasks" / "link.md").symlink_to(outside)
    async with serve(repo) as session:
        for path in ("../elsewhere/post-mortem-2026-03-14-x.md", str(outside), "tasks/link.md"):
            assert "outside the project root" in await refused(session, "lint", path=path)
            assert "outside the project root" in await refused(session, "fix", path=path, text="x")
        assert "outside the project root" in await refused(session, "related_incidents", path="../../etc/passwd")
        assert "no such file" in await refused(session, "lint", path="tasks/post-mortem-2026-03-14-missing.md")


async def test_explain_gives_the_rule_text(repo: Path) -> None:
    async with serve(repo) as session:
        explained = await call(session, "explain", code="pm502")
        unknown = await refused(session, "explain", code="PM999")
    assert explained["text"] == pmlint(repo, "rule", "PM502").stdout
    assert "PM999" in unknown


async def test_fix_brings_the_tracker_in_sync_and_returns_the_text(repo: Path) -> None:
    stale = replace_line(clean_text(), "**Status:** Final", "**Status:** Closed")
    write(repo, CLEAN_PATH, stale)
    async with serve(repo) as session:
        with_text = await call(session, "fix", path=CLEAN_PATH, text=stale)
        assert with_text["fixed"] == [] and with_text["text"] == stale
        assert "PM703" in {d["code"] for d in with_text["remaining"]}
        fixed = await call(session, "fix", path=CLEAN_PATH)
    assert [f["code"] for f in fixed["fixed"]] == ["PM703"]
    assert fixed["text"] == stale
    assert "PM703" not in {d["code"] for d in fixed["remaining"]}
    assert pmlint(repo, "track", "--check", env=ENV).returncode == 0


async def test_actions_are_what_pmlint_actions_lists(repo: Path) -> None:
    async with serve(repo) as session:
        listed = await call(session, "actions", today="2026-04-01")
        overdue = await call(session, "actions", today="2026-04-01", overdue_only=True)
        mine = await call(session, "actions", today="2026-04-01", owner="marcus lee")
    assert listed == _cli_json(repo, "actions", "--open", "--format", "json", "--today", "2026-04-01")
    assert overdue == _cli_json(repo, "actions", "--overdue", "--format", "json", "--today", "2026-04-01")
    assert overdue["actions"] and all(a["overdue"] for a in overdue["actions"])
    assert {a["owner"] for a in mine["actions"]} == {"Marcus Lee"}


async def test_related_incidents_are_ranked_with_their_reasons(repo: Path) -> None:
    draft = clean_text().replace("INC-2026-03-14-001", "INC-2026-03-21-001").replace("**Date:** 2026-03-14", "**Date:** 2026-03-21")
    async with serve(repo) as session:
        from_path = await call(session, "related_incidents", path=CLEAN_PATH)
        from_text = await call(session, "related_incidents", text=draft)
        unrelated = await call(session, "related_incidents", text="# Post-Mortem: Printer jam\n\n**Date:** 2026-03-22\n")
    first = from_path["related"][0]
    assert [r["path"] for r in from_path["related"]] == [EARLIER_PATH]
    assert first["incident"] == EARLIER_INCIDENT
    assert "same systems affected: checkout-api" in first["reasons"]
    assert any(r.startswith("same root-cause category") for r in first["reasons"])
    assert "already listed under Related Incidents" in first["reasons"]
    assert first["score"] >= 3 + 2 + 1
    assert [r["path"] for r in from_text["related"]] == [CLEAN_PATH, EARLIER_PATH]
    assert unrelated["related"] == []


async def test_fix_applies_the_rules_fixes_to_the_text(repo: Path) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV 2")
    text = text.replace("| High |", "| Urgent |", 1)
    async with serve(repo) as session:
        safe = await call(session, "fix", path=CLEAN_PATH, text=text)
        unsafe = await call(session, "fix", path=CLEAN_PATH, text=text, unsafe=True)
    assert [f["code"] for f in safe["fixed"]] == ["PM204"]
    assert "**Severity:** SEV-2" in safe["text"] and "| Urgent |" in safe["text"]
    assert "PM504" in {d["code"] for d in safe["remaining"]}
    assert sorted(f["code"] for f in unsafe["fixed"]) == ["PM204", "PM504"]
    assert unsafe["text"] == clean_text()
    assert not {"PM204", "PM504"} & {d["code"] for d in unsafe["remaining"]}
