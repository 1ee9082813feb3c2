"""PM101–PM103: the file's name, the date in it and where it lives."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import PurePosixPath

from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.facts import FILENAME, FILENAME_DATE, parse_date
from postmortem_lint.document.model import PostMortem


@rule("PM101", "filename-format", "error")
def filename_format(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the file is named `post-mortem-YYYY-MM-DD-<slug>.md`, the slug
    being lowercase words joined by hyphens.

    ## Why is this bad?
    Tools, the tracker and people find post-mortems by name; a file called
    `Incident notes.md` sorts nowhere and links break on the spaces.

    Every Markdown file of the post-mortem folder is checked, whatever its name
    (a README, the tracker and the files `exclude` lists aside), so that a
    misnamed post-mortem is caught here; the tracker, `pmlint actions` and
    `pmlint report` list it once it is renamed. A file of that folder that is
    not a post-mortem belongs under `exclude`.

    ## Example
    ```text
    tasks/Post Mortem DB outage.md
    ```

    ## Use instead
    ```text
    tasks/post-mortem-2026-03-14-db-outage.md
    ```
    """
    name = PurePosixPath(doc.path).name
    if not FILENAME.match(name):
        message = f"file name `{name}` is not `post-mortem-YYYY-MM-DD-<slug>.md` (slug: lowercase words joined by '-')"
        yield Finding(1, f"{message}; {_advice(doc.path)}", text=name)


def _advice(path: str) -> str:
    """Rename to the name the file nearly has (the `git mv` to run: pmlint never renames); else rename, or exclude a
    file that is no post-mortem."""
    name = PurePosixPath(path).name
    stem = name[: -len(PurePosixPath(name).suffix)] if PurePosixPath(name).suffix.lower() in (".md", ".markdown") else name
    words = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    candidate = re.sub(r"^post-?mortem-?", "post-mortem-", words) + ".md"
    if FILENAME.match(candidate):
        return f"rename it to `{candidate}`: `git mv {shlex.quote(path)} {shlex.quote(str(PurePosixPath(path).with_name(candidate)))}`"
    return "rename it, or list it under `exclude` in the configuration if it is not a post-mortem"


@rule("PM102", "filename-date", "error")
def filename_date_real(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the date in the file name is a real calendar date.

    ## Why is this bad?
    `post-mortem-2026-02-30-x.md` sorts and files under a day that never was;
    the tracker and reports then place the incident wrongly.

    ## Example
    ```text
    tasks/post-mortem-2026-02-30-db-outage.md
    ```

    ## Use instead
    ```text
    tasks/post-mortem-2026-02-28-db-outage.md
    ```
    """
    name = PurePosixPath(doc.path).name
    match = FILENAME_DATE.match(name)
    if match and parse_date("-".join(part.zfill(2) for part in match.groups())) is None:
        yield Finding(1, f"the date in the file name, {'-'.join(match.groups())}, is not a real calendar date", text=name)


@rule("PM103", "location", "error")
def location(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the post-mortem lies in the configured folder (`tasks/` by default).

    ## Why is this bad?
    A post-mortem outside the folder is missed by the tracker, by reviews that
    watch the folder and by the next person searching for past incidents.

    ## Example
    ```text
    docs/post-mortem-2026-03-14-db-outage.md
    ```

    ## Use instead
    ```text
    tasks/post-mortem-2026-03-14-db-outage.md
    ```
    """
    folder = ctx.settings.folder.strip("/")
    parent = str(PurePosixPath(doc.path).parent)
    if parent != (folder or "."):
        yield Finding(1, f"post-mortem lies in `{parent}/`, not in the configured folder `{folder}/`", text=parent)
