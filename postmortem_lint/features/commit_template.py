"""The seed's commit template for staged post-mortems (`pmlint commit-msg`), and whether a message was written by hand."""

from __future__ import annotations

import re
from pathlib import Path

from postmortem_lint.config.settings import Settings
from postmortem_lint.document.summary import Summary
from postmortem_lint.document.tracking import open_actions
from postmortem_lint.io import gitrepo
from postmortem_lint.lint import archive

SCISSORS = re.compile(r"^. -+ >8 -+$")
_PLACEHOLDER = re.compile(r"\$?\[([^\[\]\n]*)\]")


def written(message: str) -> bool:
    """True when the message has a line of its own (not a comment, before any scissors line)."""
    for line in message.split("\n"):
        if SCISSORS.match(line):
            return False
        if line.strip() and not line.startswith("#"):
            return True
    return False


def staged_summaries(settings: Settings) -> list[Summary]:
    """Summaries of the staged content of each added or edited post-mortem (none outside git), in the staged order."""
    try:
        paths = gitrepo.staged_files(settings.root, settings.include)
        blobs = gitrepo.staged_blobs(settings.root, paths)
    except gitrepo.GitError:
        return []
    found = {s.path: s for s in archive.of_blobs({path: blobs.get(path, b"") for path in paths}, settings)}
    return [found[path] for path in paths if path in found]


def template(summaries: list[Summary]) -> str:
    """The seed's commit template; one block per post-mortem when several are staged."""
    titles = [s.title or Path(s.path).stem for s in summaries]
    if len(summaries) == 1:
        return f"Post-Mortem: {titles[0]}\n\n{_facts(summaries[0])}"
    blocks = "\n\n".join(f"{title}:\n{_facts(s)}" for title, s in zip(titles, summaries, strict=True))
    return f"Post-Mortems: {'; '.join(titles)}\n\n{blocks}"


def _facts(summary: Summary) -> str:
    facts = {
        "Severity": summary.severity or "not set",
        "Duration": _plain(summary.fields.get("duration", ""), unwrap=True) or "not yet known",
        "Root Cause": _plain(summary.root_cause, unwrap=False) or "under investigation",
        "Action Items": f"{len(summary.actions)} ({open_actions(summary)} open)",
    }
    return "".join(f"- {name}: {value}\n" for name, value in facts.items())


def _plain(text: str, unwrap: bool) -> str:
    """``text`` on one line without its placeholders (or, with ``unwrap``, a lone one's hint).

    `[Technical root cause] (initial category: a code defect)` -> `initial category: a code defect`;
    `[between 30 minutes and 2 hours]` -> `between 30 minutes and 2 hours` when unwrapped.
    """
    text = " ".join(text.split())
    if unwrap and _PLACEHOLDER.fullmatch(text):
        return text.lstrip("$")[1:-1].strip()
    text = _PLACEHOLDER.sub("", text).strip()
    return text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text
