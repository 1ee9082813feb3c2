"""PM411 impact-contradiction: a high severity with nobody affected; no data loss stated while the impact tells of data lost."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks._common import lines_containing
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import LOWER_TO_ASCII, SYMBOLS, heading_key, strip_inline, unlinked
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.build import code_lines
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundField
from postmortem_lint.packs.templates.runtime import TemplatePack

HIGH_SEVERITIES = 2
"""How many of the severity vocabulary's first values (the most severe) a nobody-affected impact contradicts."""
NOBODY = re.compile(r"(?i)^\W*(?:0|zero|none|no(?:body| one| users?| customers?)?|n/a)\b(?!\.\d|,\d|\s*%?\s*(?:-|to)\s*\d)")
NO_LOSS = re.compile(r"(?i)^\W*(?:none|no|0|zero)\b")
LOST = re.compile(
    r"(?i)\b(?:data (?:was |were |has been |have been )?(?:lost|deleted|corrupted|wiped)"
    r"|(?:permanent |irrecoverable |some |partial )?data loss"
    r"|lost (?:\w+ ){0,3}(?:data|records|rows|events|messages|writes|files|uploads|entries|documents|objects)"
    r"|(?:records|rows|events|messages|writes|files|uploads|entries|documents|objects) (?:were|was|have been|had been) (?:permanently )?"
    r"(?:lost|dropped|deleted|wiped|corrupted))\b"
)
_NEGATED = re.compile(
    r"(?i)(?:\bno\b|\bnot\b|n't\b|\bwithout\b|\bnever\b|\bnone\b|\bzero\b|\bprevent\w*|\bavoid\w*|\brisk\b|\bcould\b|\bwould\b|\bmight\b|\bmay\b|\bif\b)[^.;:]{0,40}$"
)
_LOSS_WORDS = ("lost", "loss", "deleted", "corrupted", "wiped", "dropped")
"""Every `LOST` match holds one of these words: a line without one is skipped unread."""
_LABEL = re.compile(
    r"^[ \t]*+(?:[-*+][ \t]++)?(?:\*\*|__)?(?P<label>[^*_:\n]{2,40}+)(?:\*\*|__)?[ \t]*+:[ \t]*+(?:\*\*|__)?[ \t]*+(?P<value>.*)$"
)
"""A `Label: value` line. The label takes every character it may (up to 40), spaces before the colon too: what
follows it holds only `*`, `_`, spaces and the colon, none of which but spaces a label holds, so it matches where
the shortest label would, with the same value (a property test compares; `heading_key` drops the spaces). The
shortest label made the regex engine try the rest of the pattern after each of its characters."""


@rule("PM411", "impact-contradiction", COMPLETENESS)
def impact_contradiction(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an impact that contradicts itself:

    - a severity among the template's two highest (SEV-1, SEV-2 in the seed;
      the first two values of the pack's `severity` vocabulary) while the
      affected users (the label the pack's sections ask to quantify,
      `Affected Users` in the seed) are `0`, `none` or `no users`;
    - `Data Loss: None` (or `No`) while the document says data was lost
      ("orders were lost", "lost 300 records", "partial data loss"); negated
      and hypothetical mentions ("no data was lost", "could have lost data")
      do not count.

    Both lines are named. Warning on a Draft.

    ## Why is this bad?
    The severity drives paging, reporting and review depth; when the impact
    says nobody was affected, either the severity or the impact is wrong, and
    the trend reports count whichever they read.

    ## Example
    ```markdown
    **Severity:** SEV-1
    - **Affected Users:** 0
    ```

    ## Use instead
    ```markdown
    **Severity:** SEV-1
    - **Affected Users:** all EU users for 40 minutes (about 210,000)
    ```
    """
    pack = ctx.packs.template()
    severity = _severity(doc, pack)
    labelled = _labelled(doc)
    if severity is not None:
        field, rank = severity
        for label in _quantified(pack):
            for number, value, column in labelled.get(heading_key(label), []):
                if rank < HIGH_SEVERITIES and NOBODY.match(value):
                    yield Finding(
                        number,
                        f"{label} says `{value.strip()}`, but the severity is {field.value} (line {field.line}): "
                        "lower the severity or state who was affected",
                        column,
                        number,
                        column + len(value),
                        value.strip(),
                    )
    for number, value, column in labelled.get("data loss", []):
        if not NO_LOSS.match(value):
            continue
        lost = _lost(doc, skip={number})
        if lost is not None:
            at, phrase = lost
            yield Finding(
                number,
                f"Data Loss says `{value.strip()}`, but line {at} says `{phrase}`",
                column,
                number,
                column + len(value),
                value.strip(),
            )


def _severity(doc: PostMortem, pack: TemplatePack) -> tuple[FoundField, int] | None:
    """The severity field and the rank of its value in the vocabulary (0 is the most severe)."""
    spec = next((s for s in pack.fields if s.vocabulary == "severity" or s.key == "severity"), None)
    vocabulary = pack.vocabulary("severity")
    found = reader.read(doc, pack).fields.get(spec.key) if spec is not None else None
    if found is None or vocabulary is None:
        return None
    value = vocabulary.canonical(found.value)
    return (found, vocabulary.values.index(value)) if value in vocabulary.values else None


def _quantified(pack: TemplatePack) -> list[str]:
    labels = [s.quantified for s in pack.all_sections() if isinstance(s.quantified, str) and s.quantified]
    return labels or ["Affected Users"]


def _labelled(doc: PostMortem) -> dict[str, list[tuple[int, str, int]]]:
    """Every `Label: value` line outside code: folded label -> (line, value, column)."""
    skip = code_lines(doc.blocks)
    found: dict[str, list[tuple[int, str, int]]] = {}
    for number, line in enumerate(doc.source.lines, start=1):
        if number in skip or ":" not in line:
            continue
        match = _LABEL.match(line)
        if match:
            found.setdefault(heading_key(match["label"]), []).append((number, match["value"], match.start("value") + 1))
    return found


def _lost(doc: PostMortem, skip: set[int]) -> tuple[int, str] | None:
    code = code_lines(doc.blocks)
    for number in _loss_lines(doc.source.text):
        if number in skip or number in code:
            continue
        plain = strip_inline(doc.source.line(number))
        for match in LOST.finditer(plain):
            if not _negated(plain, match.start()):
                return number, match.group(0)
    return None


def _negated(plain: str, end: int) -> bool:
    """``_NEGATED.search(plain[:end])``, searched only after the last `.`, `;` or `:` before ``end``: no match spans one
    (its word holds none, and none may follow it), and the boundary of a word just after one is the same with or
    without what comes before (halves the search on the generated archives)."""
    start = max(plain.rfind(".", 0, end), plain.rfind(";", 0, end), plain.rfind(":", 0, end)) + 1
    return _NEGATED.search(plain, start, end) is not None


def _loss_lines(text: str) -> list[int]:
    """The lines whose plain text (`strip_inline`) may hold a `LOST` phrase: a speed-only prefilter.

    ``text`` loses its links' targets, every emphasis and code mark and every symbol at once: more than
    `strip_inline` takes from a line, never less, so a word it joins is joined here too. A text that is not ASCII
    loses every non-ASCII character (SYMBOLS are some), which joins more and costs a fifth of `SYMBOLS.sub` and
    `str.lower`, unless it holds one that lower-cases to ASCII (`İ`, the Kelvin sign).
    """
    probe = unlinked(text).replace("*", "").replace("_", "").replace("`", "")
    if probe.isascii():
        return lines_containing(probe.lower(), _LOSS_WORDS)
    if any(char in probe for char in LOWER_TO_ASCII):
        return lines_containing(SYMBOLS.sub("", probe).lower(), _LOSS_WORDS)
    return lines_containing(probe.encode("ascii", "ignore").lower().decode("ascii"), _LOSS_WORDS)
