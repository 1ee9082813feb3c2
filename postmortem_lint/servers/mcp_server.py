"""`pmlint mcp`: a Model Context Protocol server on stdio, for an assistant that writes post-mortems.

The tools follow the template's own workflow: ask the clarifying `questions`,
`scaffold` a draft from the answers, `lint` it (the text as it is being written,
as if it were at its path), `explain` a finding, `fix` what can be fixed, list
the open `actions` and find `related_incidents` to cite. Every path is relative
to the project root (or absolute inside it); a path outside is refused. The
repository index is read again at every call, so files the assistant wrote in
between are seen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from postmortem_lint import __version__
from postmortem_lint.servers import session
from postmortem_lint.servers.related import rank
from postmortem_lint.servers.session import Project, ProjectError

INSTRUCTIONS = """\
pmlint checks incident post-mortems against the team's template. To write one: call `questions`, ask the \
user each question (answers are a letter or a value), call `scaffold` with the answers, then fill in the \
draft and call `lint` with `path` and the current `text` until no error is left; `explain` tells what a \
finding's rule wants, `fix` applies the fixable ones, `related_incidents` finds earlier post-mortems to \
cite under Related Incidents, and `actions` lists open action items."""

DocPath = Annotated[
    str, Field(description="The post-mortem's path, relative to the project root (e.g. tasks/post-mortem-2026-03-14-db-pool.md).")
]
Text = Annotated[
    str | None,
    Field(description="The document's current text, linted as if it were at `path` (default: the file on disk). It is never written."),
]
Today = Annotated[str | None, Field(description="The date to judge overdue action items against, YYYY-MM-DD (default: today).")]


class Tools:
    """The tools over one project, found from ``folder`` as `pmlint check` finds it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._project: Project | None = None

    def project(self) -> Project:
        try:
            if self._project is None:
                self._project = Project.around(self.folder)
            else:
                self._project.refresh()
        except ProjectError as exc:
            raise ToolError(str(exc)) from None
        return self._project

    def questions(self) -> dict[str, Any]:
        return {
            "questions": session.questions(),
            "answering": "Answer each with its letter (A, B, …) or its value, then pass the answers to `scaffold`.",
        }

    def scaffold(self, answers: dict[str, str | None], title: str, date: str | None, author: str | None, dry: bool) -> dict[str, Any]:
        return _guarded(lambda: self.project().scaffold(answers, title, date, author, dry))

    def lint(self, path: str, text: str | None, today: str | None) -> dict[str, Any]:
        project = self.project()

        def run() -> dict[str, Any]:
            _full, rel = project.resolve(path)
            if text is None:
                _on_disk(project, path)
            problems = project.lint(rel, _encoded(text), _day(today))
            return {"version": 1, "files_checked": 1, "summary": _counts(problems), "diagnostics": [p.to_dict() for p in problems]}

        return _guarded(run)

    def explain(self, code: str) -> dict[str, Any]:
        text = session.rule_text(code.strip())
        if text is None:
            raise ToolError(session.unknown_code(code.strip()))
        return {"code": code.strip().upper(), "text": text}

    def fix(self, path: str, text: str | None, unsafe: bool) -> dict[str, Any]:
        project = self.project()

        def run() -> dict[str, Any]:
            _full, rel = project.resolve(path)
            if text is None:
                _on_disk(project, path)
            done = project.fix(rel, text, unsafe)
            return {"text": done.text, "fixed": list(done.fixed), "remaining": [p.to_dict() for p in done.remaining]}

        return _guarded(run)

    def actions(self, overdue_only: bool, owner: str | None, today: str | None) -> dict[str, Any]:
        return _guarded(lambda: self.project().actions(overdue_only, owner or None, _day(today)))

    def related(self, path: str | None, text: str | None, limit: int) -> dict[str, Any]:
        if path is None and text is None:
            raise ToolError("give `path` (a post-mortem of the project), `text` (a draft), or both")
        project = self.project()

        def run() -> dict[str, Any]:
            rel = project.resolve(path)[1] if path is not None else f"{project.settings.folder.strip('/')}/draft.md"
            if text is None:
                _on_disk(project, path or "")
            draft = project.summary(rel, _encoded(text))
            if draft is None:
                raise ProjectError(f"{path or 'text'}: cannot be read as a post-mortem (not UTF-8, or too large)")
            category = project.categorizer()
            found = rank(draft, project.archive(), category, project.stopwords(), limit)
            mine = {"systems": list(draft.systems), "root_cause_category": category(draft)}
            return {"draft": mine, "related": [r.to_dict(category(r.summary)) for r in found]}

        return _guarded(run)


def _guarded(work: Any) -> dict[str, Any]:
    """Run ``work``; a `ProjectError` becomes the tool's error (the model reads it and can correct the call)."""
    try:
        result: dict[str, Any] = work()
    except ProjectError as exc:
        raise ToolError(str(exc)) from None
    return result


def _on_disk(project: Project, path: str) -> None:
    """Nothing: the engine reads the file (an undecodable one is a PM000 finding); a missing one is the caller's mistake."""
    full, _rel = project.resolve(path)
    if not full.is_file():
        raise ProjectError(f"{path}: no such file (pass `text` to check a draft that is not saved yet)")


def _encoded(text: str | None) -> bytes | None:
    """The text as the engine reads files (a lone surrogate, which JSON can carry, becomes U+FFFD)."""
    return text.encode("utf-8", "replace") if text is not None else None


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ProjectError(f"today: `{text}` is not a YYYY-MM-DD date") from None


def _counts(problems: list[session.Problem]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for p in problems:
        counts[p.diagnostic.severity] = counts.get(p.diagnostic.severity, 0) + 1
    return counts


def create(folder: Path) -> MCPServer:
    """The MCP server with its tools registered."""
    tools = Tools(folder)
    server = MCPServer(name="pmlint", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(description="The template's clarifying questions, in order, each with its lettered choices and default.")
    def questions() -> dict[str, Any]:
        return tools.questions()

    @server.tool(
        description="Write a new Draft post-mortem from the answers to `questions` (like `pmlint new`): the next free incident "
        "number, a tracker row, never overwriting. Returns its path and incident number; with dry_run, its text instead (nothing written)."
    )
    def scaffold(
        title: Annotated[str, Field(description="The incident's title, one line (it also gives the file name's slug).")],
        severity: Annotated[str | None, Field(description="Answer to question 1: a letter A-D or SEV-1..SEV-4 (default SEV-3).")] = None,
        impact: Annotated[
            str | None, Field(description="Answer to question 2: a letter or outage|data-loss|security|performance|partial|other.")
        ] = None,
        duration: Annotated[str | None, Field(description="Answer to question 3: a letter or lt-5m|5-30m|30m-2h|2-24h|gt-24h.")] = None,
        detection: Annotated[
            str | None, Field(description="Answer to question 4: a letter or monitoring|customer|internal|automated|other.")
        ] = None,
        root_cause: Annotated[
            str | None, Field(description="Answer to question 5: a letter or code|config|infrastructure|third-party|human|process|unknown.")
        ] = None,
        date: Annotated[str | None, Field(description="The incident date, YYYY-MM-DD (default: today in the configured timezone).")] = None,
        author: Annotated[str | None, Field(description="The author (default: git config user.name, else the placeholder [Name]).")] = None,
        dry_run: Annotated[bool, Field(description="Return the draft's text and where it would go, and write nothing.")] = False,
    ) -> dict[str, Any]:
        answers = {"severity": severity, "impact": impact, "duration": duration, "detection": detection, "root_cause": root_cause}
        return tools.scaffold(answers, title, date, author, dry_run)

    @server.tool(
        description="Lint a post-mortem as `pmlint check --format json` does, cross-file rules included (duplicate incident "
        "numbers, related incidents, the tracker). Pass `text` to lint the draft you are writing as if it were at `path`. "
        "Each diagnostic has path, line, column, end_line, end_column (1-based), code, name, severity, message, fixable, fix."
    )
    def lint(path: DocPath, text: Text = None, today: Today = None) -> dict[str, Any]:
        return tools.lint(path, text, today)

    @server.tool(description="What a rule checks and why, with a bad and a good example (the text of `pmlint rule CODE`).")
    def explain(code: Annotated[str, Field(description="A rule code from a diagnostic, e.g. PM502.")]) -> dict[str, Any]:
        return tools.explain(code)

    @server.tool(
        description="Apply the fixes pmlint offers for a post-mortem and return the fixed text (the document is not written: "
        "write the text back yourself), what was fixed, and the diagnostics that remain. When the document is the file on "
        "disk (no `text`), a stale tracker row is brought in sync, as `pmlint check --fix` does."
    )
    def fix(
        path: DocPath,
        text: Text = None,
        unsafe: Annotated[bool, Field(description="Also apply fixes marked unsafe (they may change the meaning; review them).")] = False,
    ) -> dict[str, Any]:
        return tools.fix(path, text, unsafe)

    @server.tool(description="Open action items across every post-mortem, soonest due first, as `pmlint actions --open --format json`.")
    def actions(
        overdue_only: Annotated[bool, Field(description="Only the items whose due date has passed.")] = False,
        owner: Annotated[str | None, Field(description="Only this owner's items (a name, @handle or roster alias).")] = None,
        today: Today = None,
    ) -> dict[str, Any]:
        return tools.actions(overdue_only, owner, today)

    @server.tool(
        description="Earlier post-mortems related to this one: the same systems affected, the same root-cause category, shared "
        "trigger words in the title and primary cause. Ranked by score, each with the reasons, to cite under Related Incidents."
    )
    def related_incidents(
        path: Annotated[
            str | None, Field(description="The post-mortem's path, relative to the project root (optional given `text`).")
        ] = None,
        text: Annotated[str | None, Field(description="The draft's current text (default: the file at `path`).")] = None,
        limit: Annotated[int, Field(description="How many to return at most.", ge=1, le=50)] = 5,
    ) -> dict[str, Any]:
        return tools.related(path, text, limit)

    return server


def main(folder: Path) -> int:
    """Serve on stdio until the client closes the connection."""
    create(folder).run("stdio")
    return 0
