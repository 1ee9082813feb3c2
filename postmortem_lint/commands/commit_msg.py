"""`pmlint commit-msg FILE [SOURCE [SHA]]`: the prepare-commit-msg hook.

When the staged change adds or edits post-mortems and the message is empty
(nothing but comments and blank lines), fill in the seed's commit template:

    Post-Mortem: <title>

    - Severity: SEV-2
    - Duration: 1 hour 30 minutes
    - Root Cause: <primary cause>
    - Action Items: 6 (4 open)

A message the user wrote (`-m`, `-F`, an edited template), merges, squashes and
amends (`SOURCE` = merge, squash, commit; pre-commit passes it in
`PRE_COMMIT_COMMIT_MSG_SOURCE`) are left alone. Git's own comment lines are kept.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from postmortem_lint.commands.track import project_settings
from postmortem_lint.config.settings import Settings
from postmortem_lint.document.summary import Summary

LEAVE_ALONE = {"merge", "squash", "commit"}
SCISSORS = re.compile(r"^. -+ >8 -+$")
_PLACEHOLDER = re.compile(r"\$?\[([^\[\]\n]*)\]")


@click.command("commit-msg")
@click.argument("message_file", type=click.Path(path_type=Path))
@click.argument("source", required=False)
@click.argument("sha", required=False)
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Configuration file (overrides discovery).")
def commit_msg_command(message_file: Path, source: str | None, sha: str | None, config_file: Path | None) -> int:
    """Fill in an empty commit message for staged post-mortems (prepare-commit-msg hook)."""
    source = source or os.environ.get("PRE_COMMIT_COMMIT_MSG_SOURCE", "")
    if source in LEAVE_ALONE:
        return 0
    try:
        message = message_file.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise click.ClickException(f"{message_file}: cannot be read: {exc.strerror or exc}") from None
    if written(message):
        return 0
    summaries = staged_summaries(project_settings(config_file))
    if summaries:
        from postmortem_lint.io.fsutil import atomic_write

        atomic_write(message_file, template(summaries) + "\n" + message)
    return 0


def written(message: str) -> bool:
    """True when the message has a line of its own (not a comment, before any scissors line)."""
    for line in message.split("\n"):
        if SCISSORS.match(line):
            return False
        if line.strip() and not line.startswith("#"):
            return True
    return False


def staged_summaries(settings: Settings) -> list[Summary]:
    """Summaries of the staged content of each added or edited post-mortem (none outside git)."""
    from postmortem_lint.document import source
    from postmortem_lint.document.build import build
    from postmortem_lint.document.summary import summarize
    from postmortem_lint.io import gitrepo

    try:
        paths = gitrepo.staged_files(settings.root, settings.include)
        blobs = gitrepo.staged_blobs(settings.root, paths)
    except gitrepo.GitError:
        return []
    found = []
    for path in paths:
        decoded = source.decode(blobs.get(path, b""))
        if isinstance(decoded, source.Source):
            found.append(summarize(build(path, decoded)))
    return found


def template(summaries: list[Summary]) -> str:
    """The seed's commit template; one block per post-mortem when several are staged."""
    titles = [s.title or Path(s.path).stem for s in summaries]
    if len(summaries) == 1:
        return f"Post-Mortem: {titles[0]}\n\n{_facts(summaries[0])}"
    blocks = "\n\n".join(f"{title}:\n{_facts(s)}" for title, s in zip(titles, summaries, strict=True))
    return f"Post-Mortems: {'; '.join(titles)}\n\n{blocks}"


def _facts(summary: Summary) -> str:
    from postmortem_lint.features.tracker import open_actions

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
