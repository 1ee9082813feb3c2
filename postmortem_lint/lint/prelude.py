"""Work out a run's settings and files in a forked child while this process loads the rules.

A cold run (``--no-cache``) spends its first few hundred milliseconds on two things that
do not depend on each other: validating the configuration and finding the files (pydantic
and the file walk), and loading what linting needs (the rule modules, the parser, the
blame and template packs). `overlapped` does the first in a child forked for it while the
second runs here, on the other core, then the workers fork from this process as before,
with everything loaded.

The child sends back its answer, pickled, or nothing: when it fails in any way (an error
in the configuration, an answer that does not pickle, a signal), the answer is worked out
again here, where the error is raised as it would have been without the child. Only where
``os.fork`` is safe (Linux) and only for runs that lint every file (no cache to answer
from: warming up would cost a warm run the imports its replay avoids).
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")


def available() -> bool:
    """Whether a child can be forked for the settings (Linux, and not disabled by ``PMLINT_NO_PRELUDE``)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and not os.environ.get("PMLINT_NO_PRELUDE")


def overlapped(compute: Callable[[], _T], warm: Callable[[], object], again: Callable[[], _T] | None = None) -> _T:
    """``compute()``, worked out in a forked child while ``warm()`` runs here; what the child
    wrote to stdout or stderr is written here. When the child fails, ``again()`` (by default
    ``compute()``) is called here. ``warm`` is best effort: its errors are ignored (the run
    meets them again where they matter)."""
    again = again or compute
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        _warm(warm)
        return again()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(compute, write_end)
    os.close(write_end)
    try:
        _warm(warm)
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    finally:
        _reap(pid)
    answer = _unpickled(data)
    if answer is None:
        return again()
    value, out, err = answer
    if err:
        sys.stderr.write(err)
    if out:
        sys.stdout.write(out)
    return value  # type: ignore[no-any-return]


def _warm(warm: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):
        warm()


def _child(compute: Callable[[], object], write_end: int) -> None:
    """Compute, send ``(value, stdout, stderr)`` pickled (or nothing on failure), exit without cleanup."""
    code = 1
    try:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            value = compute()
        data = pickle.dumps((value, out.getvalue(), err.getvalue()), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # any failure: the parent works the answer out again
        pass
    finally:
        os._exit(code)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _unpickled(data: bytes) -> tuple[object, str, str] | None:
    if not data:
        return None
    try:
        answer = pickle.loads(data)  # our own child's bytes, through a pipe we made
    except Exception:
        return None
    return answer if isinstance(answer, tuple) and len(answer) == 3 else None
