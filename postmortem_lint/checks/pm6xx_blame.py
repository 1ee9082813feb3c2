"""PM601 blame-phrase and PM602 blamed-person, over all prose of the document.

The document's prose (paragraphs, list items, table cells, headings, front-matter
values; never code or block quotes, see `postmortem_lint.blame_prose`) is joined into
one text and scanned once per document by `postmortem_lint.blame`; hits are mapped
back to source lines and columns.
"""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint import blame, blame_prose
from postmortem_lint.checks._common import keep_last
from postmortem_lint.diagnostics import Finding
from postmortem_lint.model import PostMortem
from postmortem_lint.registry import Context, rule


@keep_last
def _findings(doc: PostMortem, ctx: Context) -> list[Finding]:
    """Every blame hit of ``doc`` (scanned once for both rules)."""
    settings = ctx.settings
    pack = blame.load_pack(settings.blame_extra_phrases, settings.blame_allow)
    prose = blame_prose.prose(doc)
    hits = blame.scan(prose.text, doc.people, pack) if prose.text and not prose.text.isspace() else []
    starts = prose.starts() if hits else []
    return [_finding(doc, hit, prose.piece(starts, hit.start), prose.text) for hit in hits]


def source_column(doc: PostMortem, piece: blame_prose.Piece) -> int:
    """1-based column where a paragraph line's text starts in its source line."""
    at = doc.source.line(piece.line).find(piece.text) if piece.text else -1
    return at + 1 if at >= 0 else 1


def _finding(doc: PostMortem, hit: blame.BlameHit, piece: blame_prose.Piece, text: str) -> Finding:
    column = piece.column or source_column(doc, piece)
    column += hit.start - piece.offset
    end = min(hit.end, text.find("\n", hit.start) if "\n" in text[hit.start : hit.end] else hit.end)
    phrase = text[hit.start : hit.end]
    message = f"{hit.message}: {hit.suggestion}" if hit.suggestion else hit.message
    return Finding(piece.line, message, column, piece.line, column + (end - hit.start), phrase, hit.code)


@rule("PM601", "blame-phrase", "error")
def blame_phrase(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds blame language from the phrase pack `rules/blame.yaml`: blame words
    ("human error", "careless", "negligent"), character judgements and
    counterfactuals ("should have known", "failed to notice", "X's fault"), each
    with a blameless rewording. Code blocks, inline code and URLs are never
    scanned. Teams extend the pack with `blame.extra-phrases` and silence entries
    with `blame.allow`.

    ## Why is this bad?
    A post-mortem that names a person's failing as the cause ends the analysis
    where it should start: people stop reporting what really happened, and the
    conditions that made the mistake easy stay in place.

    ## Example
    ```markdown
    ## Executive Summary
    Checkout was slow for 90 minutes because of human error during a cache change.
    We rolled the change back at 15:30 UTC and service is fully restored.
    ```

    ## Use instead
    ```markdown
    ## Executive Summary
    Checkout was slow for 90 minutes after a cache change that no check validated.
    We rolled the change back at 15:30 UTC and service is fully restored.
    ```
    """
    yield from (f for f in _findings(doc, ctx) if f.code == "PM601")


@rule("PM602", "blamed-person", "error")
def blamed_person(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a sentence that makes a person the cause: someone the document names
    (Author, Timeline actors, action-item owners, sign-off names, attendees, by
    full name, first name or possessive) or a generic role ("the on-call
    engineer", "someone") as the subject of a failure verb ("Alice forgot …"),
    the agent of "caused by Bob", or the owner of a fault ("Carol's mistake").
    People doing neutral things ("Dana restarted the pods") are not flagged.

    ## Why is this bad?
    Naming who failed turns a review into a trial. The next person in the same
    situation would have done the same; the document should say why the system
    made that step easy to get wrong.

    ## Example
    ```markdown
    ## Executive Summary
    Checkout was slow for 90 minutes because the on-call engineer forgot to warm the cache.
    We rolled the change back at 15:30 UTC and service is fully restored.
    ```

    ## Use instead
    ```markdown
    ## Executive Summary
    Checkout was slow for 90 minutes because the deploy does not warm the cache.
    We rolled the change back at 15:30 UTC and service is fully restored.
    ```
    """
    yield from (f for f in _findings(doc, ctx) if f.code == "PM602")
