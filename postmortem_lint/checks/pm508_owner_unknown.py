"""PM508 action-owner-unknown: action-item owners are on the configured roster."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks.context import Context
from postmortem_lint.checks.pm50x_actions import items, name, no_owner
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import strip_inline
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs import roster


@rule("PM508", "action-owner-unknown", "error")
def action_owner_unknown(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    When the `owners` setting names a roster, checks that every action-item owner
    is on it. `owners` is a roster file (one person per line: a name, an
    `@handle`, an email, or several of them for the same person; `#` comments; or
    a `.yaml` list of such strings), or `CODEOWNERS` (the `@handles`, teams and
    emails in `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`). Owners
    match case-insensitively, with or without the `@`; a cell may name several
    owners separated by commas. Without `owners` the rule does nothing.

    ## Why is this bad?
    A typo, a nickname or someone who has left the company passes the owner
    check but reaches nobody: the item is never done, and `pmlint actions
    --owner` never shows it to the person who should do it.

    ## Example
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Zed Unknown | High | 2026-04-01 | Open |
    ```

    ## Use instead
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |
    ```
    """
    known = ctx.packs.roster()
    if known is None:
        return
    pack = ctx.packs.template()
    for item in items(doc, pack):
        cell = strip_inline(item.owner.text)
        if no_owner(pack, item.owner.text):
            continue
        unknown = [name for name in roster.owners_in(cell) if roster.key(name) not in known]
        if unknown:
            yield Finding(
                item.line,
                f"action item {name(item, pack)} owner {', '.join(f'`{n}`' for n in unknown)} is not on the owners roster",
                item.owner.column,
                end_column=item.owner.column + len(item.owner.text),
                text=f"{item.id.text}:{cell}",
            )
