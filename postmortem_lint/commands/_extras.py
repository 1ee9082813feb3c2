"""What the servers need before they start: their extra installed, and stdin/stdout as byte streams."""

from __future__ import annotations

import sys
from types import ModuleType

from postmortem_lint.core import lazy
from postmortem_lint.core.errors import Problem


def server_module(name: str, command: str, extra: str, needs: tuple[str, ...]) -> ModuleType:
    """`postmortem_lint.servers.<name>`; a `Problem` (exit 2) naming the extra when a library of ``needs`` is missing,
    or when stdin and stdout, which the server talks over, are not byte streams (an embedding that replaced them)."""
    try:
        module = lazy.load(f"postmortem_lint.servers.{name}")
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in needs:
            raise
        raise Problem(f"{command} needs the {extra} extra: pip install 'pmlint[{extra}]'") from None
    if not (hasattr(sys.stdin, "buffer") and hasattr(sys.stdout, "buffer")):
        raise Problem(f"{command} talks over stdin and stdout, and here they are not byte streams")
    return module
