"""How well each template pack fits an archive of Markdown documents (for `pmlint init`).

Per file, the **match** is the share of the pack's required sections and fields the file
has (a required subsection counts when its parent is in the file, or is required
itself); the **coverage** is the share of the file's own `##`/`###` headings the pack
knows (as a section or a field). A file **fits** the pack when its match is at least
`WELL` and its coverage at least `COVERED`. The archive's **fit** is the share of files
that fit; presets are ranked by fit, then mean match, then mean coverage.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from postmortem_lint.core.text import heading_key
from postmortem_lint.document.build import build
from postmortem_lint.document.model import Heading, PostMortem
from postmortem_lint.document.source import from_text
from postmortem_lint.packs.templates import presets
from postmortem_lint.packs.templates.reader import Reading, read
from postmortem_lint.packs.templates.runtime import SectionSpec, TemplatePack

WELL = 0.75
"""A file matches a pack when it has at least three quarters of the pack's required sections and fields."""
COVERED = 0.5
"""…and the pack knows at least half of the file's own `##`/`###` headings (so that a pack asking little does not fit everything)."""


@dataclass(frozen=True, slots=True)
class FileFit:
    path: str
    match: float
    coverage: float
    missing: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return self.match >= WELL and self.coverage >= COVERED


@dataclass(frozen=True, slots=True)
class PresetFit:
    name: str
    fit: float
    mean_match: float
    mean_coverage: float
    files: tuple[FileFit, ...]

    @property
    def fitting(self) -> int:
        return sum(f.fits for f in self.files)


Document = str | tuple[str, str]
"""A document's text, or ``(path, text)``."""


def score_file(doc: PostMortem, pack: TemplatePack) -> FileFit:
    """How well one built document matches one pack."""
    reading = read(doc, pack)
    wanted, missing = _required_sections(pack.sections, reading, parent_found=True)
    for spec in pack.required_fields:
        wanted += 1
        if spec.key not in reading.fields:
            missing.append(f"field {spec.name}")
    match = (wanted - len(missing)) / wanted if wanted else 0.0
    return FileFit(doc.path, round(match, 4), round(_coverage(doc, pack, reading), 4), tuple(missing))


def _required_sections(specs: tuple[SectionSpec, ...], reading: Reading, parent_found: bool) -> tuple[int, list[str]]:
    wanted, missing = 0, []
    for spec in specs:
        present = any(found.spec is spec for found in reading.all_sections())
        counted = spec.required and parent_found
        if counted:
            wanted += 1
            if not present:
                missing.append(spec.name)
        sub_wanted, sub_missing = _required_sections(spec.subsections, reading, present or counted)
        wanted += sub_wanted
        missing += sub_missing
    return wanted, missing


def _coverage(doc: PostMortem, pack: TemplatePack, reading: Reading) -> float:
    """Share of the document's `##`/`###` headings that the pack knows, as a section or a field.

    A heading nested inside a section the pack knows (a `### Code Changes` under `## Resolution`)
    counts neither way: teams add detail inside sections. 1.0 when there is no heading to judge.
    """
    found = list(reading.all_sections())
    sections = {s.line for s in found}
    labels = {label for spec in pack.fields for label in spec.labels}
    known = unknown = 0
    for heading in (b for b in doc.blocks if isinstance(b, Heading) and b is not doc.title and 2 <= b.level <= 3):
        if heading.line in sections or heading_key(heading.text.split(":")[0]) in labels:
            known += 1
        elif not any(s.line < heading.line <= s.end_line and heading.level > s.level > 0 for s in found):
            unknown += 1
    return known / (known + unknown) if known + unknown else 1.0


def build_documents(documents: Iterable[Document]) -> list[PostMortem]:
    """Build each document (bad bytes or empty text give an empty document, never an error)."""
    built = []
    for index, item in enumerate(documents):
        path, text = item if isinstance(item, tuple) else (f"document-{index + 1}.md", item)
        built.append(build(path, from_text(text)))
    return built


def rank(documents: Sequence[Document] | Sequence[PostMortem], packs: Mapping[str, TemplatePack] | None = None) -> list[PresetFit]:
    """Every pack's fit on the archive, best first (the shipped presets when ``packs`` is None)."""
    if packs is None:
        packs = {name: presets.preset(name) for name in presets.names()}
    docs = [d for d in documents if isinstance(d, PostMortem)] or build_documents(d for d in documents if not isinstance(d, PostMortem))
    fits = [_preset_fit(name, pack, docs) for name, pack in packs.items()]
    return sorted(fits, key=lambda f: (-f.fit, -f.mean_match, -f.mean_coverage, f.name))


def _preset_fit(name: str, pack: TemplatePack, docs: list[PostMortem]) -> PresetFit:
    files = tuple(score_file(doc, pack) for doc in docs)
    if not files:
        return PresetFit(name, 0.0, 0.0, 0.0, ())
    return PresetFit(
        name,
        round(sum(f.fits for f in files) / len(files), 4),
        round(statistics.mean(f.match for f in files), 4),
        round(statistics.mean(f.coverage for f in files), 4),
        files,
    )
