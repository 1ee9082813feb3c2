"""PM210: a header field or a vocabulary value the rules accept, written otherwise than the template writes it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks import fixers
from postmortem_lint.checks._template import is_slot, reading, template
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.memo import by_identity
from postmortem_lint.core.text import heading_key
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundField
from postmortem_lint.packs.templates.runtime import FieldSpec, TemplatePack, Vocabulary

_BOLD_LABEL = re.compile(r"^(?P<indent>\s{0,3}(?:[-*+]\s+)?)(?P<label>(?:\*\*|__)[^*_:\n]{1,40}?\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:))")
"""The label span of a `**Key:** value` or `**Key**: value` line (as the reader matches it)."""
_KEY_LABEL = re.compile(r"^(?P<indent>\s{0,3}(?:[-*+]\s+)?)(?P<label>[A-Za-z][A-Za-z ]{1,30}?):")


def _bold_form(pack: TemplatePack) -> bool:
    """The pack's template writes its bold fields `**Name:**` (the seed's form): then `**Name**:` is another form.

    The presets read from other templates (bdougie, google-sre) write `**Date**:` on
    purpose and accept both; only the seed pack spells one.
    """
    return pack.name == "seed"


def _label_finding(doc: PostMortem, pack: TemplatePack, spec: FieldSpec, found: FoundField) -> Finding | None:
    line = doc.source.line(found.line)
    alias = heading_key(found.label) != heading_key(spec.name)
    if found.form == "bold-line":
        match = _BOLD_LABEL.match(line)
        wanted = f"**{spec.name}:**"
        other_form = _bold_form(pack) and spec.where[:1] == ("bold-line",)
    elif found.form == "key-line":
        match = _KEY_LABEL.match(line)
        wanted = f"{spec.name}:"
        other_form = False
    else:
        return None
    if match is None:
        return None
    label = match["label"]
    if not alias and (not other_form or label == wanted):
        return None
    column = match.start("label") + 1
    if alias:
        message = f"header field `{label.strip()}` is an alias: the template names it `{wanted}`"
    else:
        message = f"header field `{label.strip()}` is written `{wanted}` in the template"
    fix = fixers.relabel(found.line, column, label, wanted)
    return Finding(found.line, message, column, found.line, column + len(label), label, fix=fix)


def _spelling(line: int, column: int, text: str, vocabulary: Vocabulary, what: str) -> Finding | None:
    """A value the vocabulary accepts only once case and spacing are ignored (`final`, `sev-2`, `in progress`).

    The respelling is looked for first: most values are written as the template writes them and
    have none, and then whether the vocabulary accepts the value need not be asked. A value written exactly as
    one of `_as_written` is not even looked for: the respelling of it is None."""
    if text in _as_written(vocabulary) or not text.strip():
        return None
    fix = fixers.spelling(line, column, text, vocabulary.values)
    if fix is None or vocabulary.canonical(text) is None:
        return None
    edit = fix.edits[0]
    old = text[edit.column - column : edit.end_column - column]
    message = f"{what} `{old}` is written `{edit.replacement}` in the template"
    return Finding(line, message, edit.column, line, edit.end_column, old, fix=fix)


def _respellable(pack: TemplatePack, text: str, vocabulary: Vocabulary) -> bool:
    """Whether ``text`` is to be looked at for a respelling: not a value as written (`_spelling` would find none, so
    whether it is a slot need not be asked) and not a slot."""
    return text not in _as_written(vocabulary) and not is_slot(pack, text)


@by_identity(64)
def _as_written(vocabulary: Vocabulary) -> frozenset[str]:
    """The vocabulary's values that have no respelling (`fixers.spelling` of each, asked once per vocabulary): most
    fields and action cells are written so, and each would otherwise be looked for again on every document."""
    values = vocabulary.values
    return frozenset(v for v in values if fixers.spelling(1, 1, v, values) is None)


def _column_vocabulary(pack: TemplatePack, role: str) -> Vocabulary | None:
    spec = pack.table("actions")
    column = spec.column(role) if spec else None
    return pack.vocabulary(column.vocabulary) if column and column.type == "vocabulary" and column.vocabulary else None


@rule("PM210", "header-form", "warning")
def header_form(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Flags what the other rules accept but the template writes otherwise: a header
    field in another bold form (`**Date**:` for `**Date:**`) or under an alias
    (`**Incident ID:**` for `**Incident Number:**`), and a severity, status,
    action priority or action status in another case or spacing (`final`,
    `sev-2`, `high`, `in progress`).

    ## Why is this bad?
    Search, `grep`, dashboards and scripts read the template's spelling; one
    post-mortem in three spellings is found by none of them. The fix only rewrites
    the label or the word, so the document says the same afterwards.

    ## Example
    ```markdown
    **Incident ID**: INC-2026-03-14-001
    **Status:** final
    ```

    ## Use instead
    ```markdown
    **Incident Number:** INC-2026-03-14-001
    **Status:** Final
    ```
    """
    pack = template(ctx)
    fields = reading(doc, ctx).fields
    for spec in pack.fields:
        found = fields.get(spec.key)
        if found is None:
            continue
        labelled = _label_finding(doc, pack, spec, found)
        if labelled is not None:
            yield labelled
        vocabulary = pack.vocabulary(spec.vocabulary) if spec.type == "vocabulary" and spec.vocabulary else None
        if vocabulary is not None and found.form in ("bold-line", "key-line") and _respellable(pack, found.raw, vocabulary):
            spelled = _spelling(found.line, found.column, found.raw, vocabulary, spec.name.lower())
            if spelled is not None:
                yield spelled
    priority, status = _column_vocabulary(pack, "priority"), _column_vocabulary(pack, "status")
    for item in reader.actions(doc, pack):
        if item.form != "table":
            continue
        for cell, vocabulary, what in ((item.priority, priority, "priority"), (item.status, status, "status")):
            if vocabulary is not None and _respellable(pack, cell.text, vocabulary):
                spelled = _spelling(item.line, cell.column, cell.text, vocabulary, f"action item {item.id.text} {what}")
                if spelled is not None:
                    yield spelled
