"""Which rules offer fixes, and of what safety: the column `pmlint rules` shows and `docs/fixes.md` explains.

Kept apart from the rule modules, as data, so that the registry stamps each
rule's `RuleInfo.fix` from one table; the fixes themselves are built in
`checks.fixers` and attached where each rule emits its finding.
"""

from __future__ import annotations

from postmortem_lint.core.diagnostics import SAFE, UNSAFE

BOTH = f"{SAFE} or {UNSAFE}"
"""A rule whose fix is safe for some findings (case, spacing) and unsafe for others (an alias)."""

FIX_SAFETY: dict[str, str] = {
    "PM203": UNSAFE,
    "PM204": BOTH,
    "PM205": BOTH,
    "PM206": UNSAFE,
    "PM208": UNSAFE,
    "PM210": SAFE,
    "PM301": UNSAFE,
    "PM302": UNSAFE,
    "PM403": UNSAFE,
    "PM408": UNSAFE,
    "PM503": UNSAFE,
    "PM504": BOTH,
    "PM506": BOTH,
    "PM601": UNSAFE,
    # PM602 has none: a person stays the subject of any word-for-word rewording ("forgot to" -> "did not"), which the
    # pack blames as well; the rewrite is the author's (its suggestion says how).
    "PM701": UNSAFE,
    "PM703": SAFE,
    "PM901": SAFE,
}
