"""PM409 personal-data: customers' email addresses and phone numbers in a widely shared document."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks._common import lines_containing
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import non_ascii
from postmortem_lint.document.build import code_lines
from postmortem_lint.document.model import PostMortem

EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9][\w.+-]{0,63})@((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24})\b")
PHONE = re.compile(
    r"[+(\d](?:(?<=\+)(?<![\w+/.:-]\+)\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,4}"
    r"|(?<=\()(?<![\w+/.:-]\()\d{3}\) ?\d{3}-\d{4}"
    r"|(?<=\d)(?<![\w+/.:-]\d)\d{2}[-.]\d{3}[-.]\d{4})"
    r"(?![\w/]|[-.:]\d)"
)
"""`+44 20 7946 0958`, `(415) 555-0134`, `415.555.0134`, not right after a word, `+`, `/`, `.`, `:` or `-`.
The first character is taken as one class and each alternative then checks which it was, so that the regex engine
can skip to a `+`, `(` or digit (alternatives that each start with their own character make it try every position:
~2.4 M instructions on a generated document, 1.7 M so; a property test compares with the plain alternation)."""
_ASCII_PHONE = re.compile(PHONE.pattern.replace(r"[+(\d]", "[+(0-9]", 1))
"""PHONE starting at an ASCII digit only, which finds what PHONE finds in a text holding no other decimal digit: the
regex engine tests each character against a small class instead of the Unicode digit category (half the time)."""
ROLE = re.compile(
    r"(?i)^(?:no-?reply|do-?not-?reply|noreply\w*|support|help|helpdesk|info|admin|administrator|security|abuse|postmaster"
    r"|hostmaster|webmaster|sales|billing|accounts?|ops|devops|oncall|on-call|sre|team|hello|contact|privacy|legal|press|status"
    r"|alerts?|notifications?|root|engineering|eng|incidents?|git|github|bot|dependabot|renovate|ci|build|deploy|noc|it|hr"
    r"|careers|jobs|feedback|marketing|partners?|community|dev|developers?|mail|mailer|bounce|postmortems?|reports?)$"
    r"|team|group|list|bot\b|\[bot\]|-ops$|-alerts?$|-notifications?$"
)
"""Local parts of addresses that are a role, a team or a machine, not a person."""
EXAMPLE_DOMAINS = re.compile(
    r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|[\w-]+\.(?:example|test|invalid|localhost|local|internal)|users\.noreply\.github\.com"
    r"|localhost|domain\.com|email\.com|company\.com|acme\.com|yourcompany\.com)$"
)
"""Domains reserved for examples and documentation (RFC 2606), and GitHub's no-reply addresses."""
_STAFF_LINE = re.compile(
    r"(?i)^\s*(?:[-*]\s+)?(?:\*\*)?(?:author|authors|owner|by|co-authored-by|signed-off-by|reviewed-by|reported-by|cc)\b"
)
_STAFF_SECTION = re.compile(
    r"(?i)^(?:authors?|owners?|responders?|attendees|atendees|participants|contacts?|people|team|reviewers?|sign[- ]?off|approvals?"
    r"|prepared by|written by|contributors?)\b"
)
"""Sections that list the people who wrote, ran or reviewed the post-mortem: their addresses are not a customer's."""
_HANDLE = re.compile(r"@(?<![\w@.]@)([A-Za-z][\w-]{3,38})\b")
"""`@dana-o`, not in an address: the look-behind follows the `@`, so that the regex engine can skip to one."""
_NAMED = re.compile(r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)+\s*<$")


@rule("PM409", "personal-data", "warning")
def personal_data(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds personal data a widely shared document should not carry: a person's
    email address (a customer's, in a log excerpt or a support ticket) and phone
    numbers. Role and machine addresses (`support@`, `no-reply@`,
    `security@`, `dependabot[bot]@`), team and list addresses, documentation
    domains (`example.com`, `*.test`, GitHub's no-reply addresses), addresses on
    author and `Signed-off-by:` lines and addresses of people the document names
    as its authors, responders or owners are not flagged. Phone numbers are read
    outside code blocks (timestamps and ids in logs look like them).

    ## Why is this bad?
    A post-mortem is read by the whole company and often published; a customer's
    address in it is a privacy incident of its own, and hard to take back out of git history.

    ## Example
    ```markdown
    The refund job failed for jane.doe@gmail.com (ticket from +44 20 7946 0958).
    ```

    ## Use instead
    ```markdown
    The refund job failed for one customer (support ticket 48213).
    ```
    """
    yield from _emails(doc)
    yield from _phones(doc)


def _emails(doc: PostMortem) -> Iterator[Finding]:
    """Addresses of people the document does not name as its own (who they are is worked out only when a line has an `@`)."""
    numbers = lines_containing(doc.source.text, ("@",))
    if not numbers:
        return
    people = {part for person in doc.people for part in re.split(r"[\s.]+", person.casefold()) if len(part) > 2}
    people.update(handle.casefold() for handle in _HANDLE.findall(doc.source.text))
    staff = _staff_lines(doc)
    for number in numbers:
        line = doc.source.line(number)
        if number in staff or _STAFF_LINE.match(line):
            continue
        for match in EMAIL.finditer(line):
            if not _NAMED.search(line[: match.start()]) and _personal(match, people):
                yield Finding(
                    number,
                    f"email address `{match.group(0)}` in the document: name the customer's ticket instead",
                    match.start() + 1,
                    number,
                    match.end() + 1,
                    match.group(0),
                )


def _phones(doc: PostMortem) -> Iterator[Finding]:
    """Phone numbers outside code blocks."""
    skip = code_lines(doc.blocks)
    text = doc.source.text
    number, position = 1, 0
    phone = _ASCII_PHONE if text.isascii() or not any(c.isdecimal() for c in set(non_ascii(text))) else PHONE
    for match in phone.finditer(text):  # no match spans a line: its separators are spaces, dots and dashes
        number += text.count("\n", position, match.start())
        position = match.start()
        if number in skip or not _phone(match.group(0)):
            continue
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1)
        yield Finding(
            number,
            f"phone number `{match.group(0)}` in the document: leave it out",
            column + 1,
            number,
            column + len(match.group(0)) + 1,
            match.group(0),
        )


def _staff_lines(doc: PostMortem) -> set[int]:
    lines: set[int] = set()
    stack = list(doc.sections)
    while stack:
        section = stack.pop()
        stack.extend(section.subsections)
        if _STAFF_SECTION.match(section.heading.text.strip(" *_#:")):
            lines.update(range(section.heading.line, section.end_line + 1))
    return lines


def _personal(match: re.Match[str], people: set[str]) -> bool:
    local, domain = match.group(1), match.group(2)
    if ROLE.search(local) or EXAMPLE_DOMAINS.search(domain) or domain.casefold().endswith((".png", ".jpg", ".svg", ".gif")):
        return False
    if re.fullmatch(r"[\d.]+", local) or re.search(r"\d+\.\d+", domain.split(".")[0]):
        return False
    parts = {p for p in re.split(r"[._+-]+", local.casefold()) if len(p) > 2}
    address = match.group(0).casefold()
    return not parts & people and not any(len(person) > 3 and person in address for person in people)


def _phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if not 10 <= len(digits) <= 15 or len(set(digits)) < 4:
        return False
    if re.fullmatch(r"(?:19|20)\d{2}[-.](?:0\d|1[0-2])[-.]\d+", text):
        return False
    return not re.search(r"555[-. ]?01\d\d", text)
