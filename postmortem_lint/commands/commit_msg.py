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
from pathlib import Path

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import declared
from postmortem_lint.features.commit_template import staged_summaries, template, written
from postmortem_lint.io.fsutil import atomic_write
from postmortem_lint.lint.archive import settings_here

LEAVE_ALONE = {"merge", "squash", "commit"}


ARGUMENTS = (
    opts.Argument("message_file", kind="path"),
    opts.Argument("source", required=False),
    opts.Argument("sha", required=False),
)


@click.command("commit-msg")
@declared(ARGUMENTS, (opts.CONFIG,))
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
    summaries = staged_summaries(settings_here(config_file))
    if summaries:
        atomic_write(message_file, template(summaries) + "\n" + message)
    return 0
