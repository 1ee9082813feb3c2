"""PM408 secret-leak: credentials pasted into a widely shared document."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from postmortem_lint.checks import fixers
from postmortem_lint.checks._common import folded_lines_containing, lines_containing
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document.model import PostMortem

SECRETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b")),
    ("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,64}\b")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,200}")),
    ("Slack webhook", re.compile(r"hooks\.slack\.com/services/T[A-Za-z0-9]{6,12}/B[A-Za-z0-9]{6,12}/[A-Za-z0-9]{16,40}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("Stripe secret key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{16,99}\b")),
    ("private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----")),
    ("password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]{1,20}://[^\s/:@]{1,64}:([^\s/@]{3,128})@[\w.-]+")),
    ("JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,500}\.eyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{8,500}")),
    ("Google OAuth token", re.compile(r"\bya29\.[0-9A-Za-z_-]{20,500}")),
    (
        "password",
        re.compile(r"(?i)\b(?:password|passwd|pwd)\b[\"']?\s{0,3}[:=]\s{0,3}[\"']?([^\s\"'`<>,;]{8,128})"),
    ),
    (
        "secret",
        re.compile(
            r"(?i)(?:\b|_)(?:secret|api[_-]?key|access[_-]?token|auth[_-]?token|token|client[_-]?secret)\b[\"']?\s{0,3}[:=]\s{0,3}"
            r"[\"']?([^\s\"'`<>,;]{12,256})"
        ),
    ),
)
_NEEDS: tuple[tuple[str, ...], ...] = (
    ("akia", "asia", "agpa", "aida", "aroa"),
    ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ("glpat-",),
    ("xox",),
    ("hooks.slack.com",),
    ("aiza",),
    ("k_live_",),
    ("-----begin",),
    ("://",),
    ("eyj",),
    ("ya29.",),
    ("password", "passwd", "pwd"),
    ("secret", "api_key", "api-key", "apikey", "token"),
)
"""For each pattern in SECRETS, lower-case literals one of which its every match holds (a speed-only prefilter)."""
_AS_WRITTEN = (
    *("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIza"),
    *("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "hooks.slack.com", "k_live_"),
    *("-----BEGIN", "://", "eyJ", "ya29."),
)
"""Literals one of which every match of the SECRETS that heed case (all but `password` and `secret`) holds, as the
text writes it: one `str.find` scan of the text for each is cheaper than a regex search from each line, which tries
every position since its alternatives open with letters common in prose (a speed-only prefilter)."""
_CASE_BLIND = tuple(literal for (_kind, pattern), needs in zip(SECRETS, _NEEDS, strict=True) if pattern.flags & re.I for literal in needs)
"""The literals of the SECRETS that ignore case, looked for in the folded text."""
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The non-ASCII letters that IGNORECASE matches to ASCII ones, so the prefilter misses none."""
_TO_ASCII = "".join(map(chr, _FOLD))
"""The non-ASCII letters `_folded` makes ASCII: those of `_FOLD`, which holds `str.lower`'s two (`İ`, the Kelvin sign)."""
_HARMLESS = re.compile(r"^(?:\*+|x+|X+|<[^>]*>|\$\{?\w+\}?|%\w+%|\{\{.*\}\}|redacted|REDACTED|\[.*\]|\.{3}|…)$")
_REFERENCE = re.compile(
    r"(?i)^(?:\$|%|\{\{|<|\[|process\.env|import\.meta\.env|os\.(?:environ|getenv)|env\b|getenv|ENV\[|secrets\.|vars\.)"
    r"|\.env\b|\benv\.|environ|getenv|\(|\)|\$\{|secrets\.|^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+$|^[A-Z][A-Z0-9_]+$"
    r"|redact|example|placeholder|changeme|your[_-]|\*{3}"
)
"""A reference to a credential, not one: `Deno.env.get('KEY')`, `process.env.KEY`, `${{ secrets.KEY }}`, `$API_KEY`,
`os.environ[...]`, a dotted name (`config.api_key`), an environment variable's name (`OPENAI_API_KEY`)."""
_GENERIC = ("password", "secret")
"""The kinds matched by their label alone; their value must not be a reference, and a `secret` must look random."""
MIN_ENTROPY = 3.5
"""Bits per character a generic `secret=`/`token:` value needs, besides letters and digits (a random key of 16+
characters has 4 or more; `abab1212abab1212` has 2, `aaaaaaaaaaaa` 0)."""


def entropy(value: str) -> float:
    """Shannon entropy of ``value`` in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values()) if value else 0.0


def _credential(kind: str, value: str) -> bool:
    """True when ``value`` (the matched group) reads as a credential rather than a reference or a redaction."""
    if _HARMLESS.match(value) or "*" in value[:3]:
        return False
    if kind not in _GENERIC:
        return True
    if _REFERENCE.search(value):
        return False
    if kind == "secret":
        return entropy(value) >= MIN_ENTROPY and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
    return not value.isalpha() or entropy(value) >= 3.0


def _secret_findings(number: int, line: str) -> Iterator[Finding]:
    folded = _folded(line)
    spans: list[tuple[int, int]] = []
    for (kind, pattern), needs in zip(SECRETS, _NEEDS, strict=True):
        if not any(literal in folded for literal in needs):
            continue
        for match in pattern.finditer(line):
            value = match.group(match.lastindex or 0)
            if not _credential(kind, value):
                continue
            start, end = match.span(match.lastindex or 0)
            if kind in _GENERIC and any(a < end and start < b for a, b in spans):
                continue
            spans.append((start, end))
            shown = value[:4] + "…" if len(value) > 8 else "…"
            yield Finding(
                number,
                f"possible {kind} (`{shown}`) in the document: revoke it and redact it",
                match.start() + 1,
                number,
                match.end() + 1,
                kind,
                fix=fixers.redact(number, match.start(match.lastindex or 0) + 1, match.end(match.lastindex or 0) + 1),
            )


@rule("PM408", "secret-leak", "error")
def secret_leak(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds credentials pasted into the document, in prose, logs, commands or
    configuration: cloud access keys, tokens with known prefixes (GitHub, GitLab,
    Slack, Stripe, Google), private-key blocks, JSON web tokens, passwords in URLs,
    `password=…` assignments, and `secret=`/`token:`/`api_key=` assignments
    whose value looks random (Shannon entropy of at least 3.5 bits a character,
    letters and digits). Redacted values (`****`, `<token>`, `${VAR}`) and
    references to a credential (`Deno.env.get('OPENAI_API_KEY')`,
    `process.env.KEY`, `${{ secrets.KEY }}`, `$API_KEY`, `os.environ[...]`) are
    not flagged. Front matter, the title and table cells are read too.

    ## Why is this bad?
    A post-mortem is shared widely, often publicly; a key in its log excerpt is a
    second incident. Revoke the key: removing it from the file leaves it in git history.

    ## Example
    ```markdown
    The job ran `aws s3 sync` with AKIAZ3MPLE7QXW4RT2KD and failed.
    ```

    ## Use instead
    ```markdown
    The job ran `aws s3 sync` with the deploy role's key (since rotated) and failed.
    ```
    """
    for number in _candidate_lines(doc.source.text):
        yield from _secret_findings(number, doc.source.line(number))


def _candidate_lines(text: str) -> list[int]:
    """1-based numbers of the lines that may hold a secret, in order, once each: those holding a part of a case-heeding
    secret as written (`_AS_WRITTEN`) or, once folded, a literal of a case-blind one."""
    folded = folded_lines_containing(text, _CASE_BLIND, _folded, _TO_ASCII)
    return sorted({*lines_containing(text, _AS_WRITTEN), *folded})


def _folded(text: str) -> str:
    """``text`` lower-cased, with the letters IGNORECASE folds to ASCII folded too."""
    special = not text.isascii() and any(letter in text for letter in "\u0130\u0131\u017f\u212a")
    return text.translate(_FOLD).lower() if special else text.lower()
