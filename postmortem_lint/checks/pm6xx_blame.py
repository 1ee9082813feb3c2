"""PM601 blame-phrase and PM602 blamed-person, over all prose of the document.

The document's prose (paragraphs, list items, table cells, headings, front-matter
values; never code or block quotes, see `postmortem_lint.checks.blame_prose`) is joined into
one text and scanned once per document by `postmortem_lint.checks.blame_engine`; hits are mapped
back to source lines and columns.
"""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks import blame_engine as blame
from postmortem_lint.checks import blame_prose, fixers
from postmortem_lint.checks._template import people
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding, Fix
from postmortem_lint.core.memo import keep_last
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.phrases import Phrase


@keep_last
def _findings(doc: PostMortem, ctx: Context) -> list[Finding]:
    """Every blame hit of ``doc`` (scanned once for both rules)."""
    pack = ctx.packs.blame()
    prose = blame_prose.prose(doc)
    hits = blame.scan(prose.text, people(doc, ctx), pack) if prose.text and not prose.text.isspace() else []
    starts = prose.starts() if hits else []
    phrases = {p.id: p for p in pack.phrases if p.replace} if hits else {}
    return [_finding(doc, hit, prose.piece(starts, hit.start), prose.text, phrases.get(hit.entry)) for hit in hits]


def source_column(doc: PostMortem, piece: blame_prose.Piece) -> int:
    """1-based column where a paragraph line's text starts in its source line."""
    at = doc.source.line(piece.line).find(piece.text) if piece.text else -1
    return at + 1 if at >= 0 else 1


def _finding(doc: PostMortem, hit: blame.BlameHit, piece: blame_prose.Piece, text: str, phrase_entry: Phrase | None) -> Finding:
    column = piece.column or source_column(doc, piece)
    column += hit.start - piece.offset
    end = min(hit.end, text.find("\n", hit.start) if "\n" in text[hit.start : hit.end] else hit.end)
    phrase = text[hit.start : hit.end]
    message = f"{hit.message}: {hit.suggestion}" if hit.suggestion else hit.message
    fix = _reworded(doc, piece.line, column, phrase, phrase_entry) if phrase_entry and hit.code == "PM601" else None
    return Finding(piece.line, message, column, piece.line, column + (end - hit.start), phrase, hit.code, fix)


def _reworded(doc: PostMortem, line: int, column: int, phrase: str, entry: Phrase) -> Fix | None:
    """PM601's fix: the phrase's literal rewording from its pack entry's ``replace``, when the match is on one line and
    written in the source exactly as matched (no inline markup or escape inside it)."""
    new = entry.replacement(phrase)
    if new is None or "\n" in phrase or doc.source.line(line)[column - 1 : column - 1 + len(phrase)] != phrase:
        return None
    return fixers.reword(line, column, phrase, new)


@rule("PM601", "blame-phrase", "error")
def blame_phrase(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds blame language from the pack `rules/blame.yaml` whoever it is about:
    blame words ("human error", "careless", "negligent", "poor judgement", "X's
    fault"), and blame behind an agentless passive ("the checklist was skipped",
    "the warning was overlooked"), an idiom ("dropped the ball", "asleep at the
    wheel"), a sanction ("disciplinary action") or sarcasm, when no person is
    named (PM602 takes those). Each finding says what it judges and offers a
    rewrite that describes the system instead. Where the pack gives the phrase
    a literal `replace:` ("fat-fingered" -> "mistyped", "the offending
    engineer" -> "the engineer"), the finding has an unsafe fix that puts it in
    place; a team's `blame.extra-phrases` item may give one too.

    Prose is read in paragraphs, list items, table cells, headings and the values
    of YAML front matter; never in code blocks, inline code, URLs, log lines or
    block quotes. Blame that is quoted (`A customer wrote: "your team is
    careless"`), negated ("No one was careless", "Human error does not explain
    this", "Calling the on-call careless would miss the point") or one option of
    a list ("Cause: code | human error | vendor", "Tags: fatigue, operator
    error, unclear docs") is not reported. Teams extend the phrases with
    `blame.extra-phrases` and silence a phrase or family by id or by its text
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
    Finds a sentence that makes a person, a role or a team the cause, and names
    them: someone the document names (Author, Timeline actors, action-item
    owners, sign-off names, attendees, by full name, first name, handle or
    possessive), a role ("the on-call engineer", "an SRE", "the developer who
    wrote the migration"), a team ("the IT team", "QA", "Engineers"), "someone"
    or "whoever", and "we"/"they" where the sentence judges character. They are
    blamed as the subject of a failure ("Alice forgot to renew", "Bob never
    checked", "ran the wrong playbook", "restarted the primary without checking
    replication"), of a judgement ("was tired and distracted", "was to blame"),
    of a sanction ("was given a written warning", "Ines's bonus was withheld"),
    of a counterfactual ("If Dana had checked ...", "With a bit more care, the
    operator would have noticed"), of a choice that blames without a failure
    verb ("disabled the tests to get the build green", "rebooted the primary
    instead of the standby", "deployed against the freeze policy", "approved her
    own pull request"), as the agent of "caused by Bob" or "was ignored by the
    on-call", or as the owner of a fault ("Carol's mistake"). The subject is
    found across "but" ("An operator used the tool but forgot to type -n"), past
    a place ("an operator at OWASA") and past an aside ("An S3 team member, while
    debugging, removed ..."); "we" is blamed only for forgetting and for
    judgements of character. The families of predicates, their inflections and
    the role and team words are data in `rules/blame.yaml`.

    Machines as subjects ("The CDN failed to notice ...", "the Kubernetes
    operator"), lessons about systems ("If the CLI had asked for confirmation
    ..."), people doing neutral things ("Dana restarted the pods") and a failure
    the sentence denies ("Marco did not skip any step") are not flagged. The
    message names who is blamed and the phrase, and offers a systems-focused
    rewrite.

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
