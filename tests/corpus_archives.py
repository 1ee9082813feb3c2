"""The archives of the shared corpus, as `pmlint init` would meet them, for measurements and fit tests.

Each archive is a list of corpus files (never copied into the project): every content file of
one source folder except its LICENSE and README index files, and one cross-folder group, the
Google SRE book layout. ``EXPECTED`` names the preset that should fit each archive best.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_corpus() -> Path:
    """``PMLINT_CORPUS``, else the nearest ``shared/corpus`` above this checkout (a main clone or a worktree)."""
    if os.environ.get("PMLINT_CORPUS"):
        return Path(os.environ["PMLINT_CORPUS"])
    here = Path(__file__).resolve()
    return next(
        (p / "shared" / "corpus" for p in here.parents if (p / "shared" / "corpus").is_dir()), here.parents[2] / "shared" / "corpus"
    )


CORPUS = _find_corpus()

_NOT_DOCUMENTS = ("LICENSE", "README.md", "SOURCES.md", "seed_similarity.csv")

SRE_BOOK = (
    "sawasthi1991__example-postmortem/example-postmortem.md",
    "_unattributed__index-579903673/shakespeare-sonnet-postmortem.md",
    "dastergon__postmortem-templates/templates__postmortem-template-srebook.md",
    "status-im__status-security/post-mortems__template.md",
    "status-im__status-security/post-mortems__2020__2020-02-07_v1-app-prelaunch-release.md",
    "status-im__status-security/post-mortems__2020__2020-03-04_GitHub-account-phising",
)

EXPECTED = {
    "dfds": "dfds",
    "chia": "google-api-infra",
    "sre-book": "google-sre",
    "mentimeter": "mentimeter",
    "bdougie": "bdougie",
    "posthog": None,
}
"""The preset that should win on each archive (None: no preset is expected to fit well)."""

FOLDERS = {
    "dfds": "dfds__postmortems",
    "chia": "Chia-Network__post-mortem",
    "posthog": "PostHog__post-mortems",
    "mentimeter": "mentimeter__example-post-mortems",
    "bdougie": "bdougie__contributor.info",
    "alantech": "alantech__iasql",
    "yearn": "yearn__yearn-security",
    "origin": "OriginProtocol__security",
    "icco": "icco__postmortems",
    "dastergon": "dastergon__postmortem-templates",
    "status-im": "status-im__status-security",
    "audiospective": "djadejam-commits__audiospective",
    "vibe-prd": "jeremylongshore__vibe-prd",
    "homelab": "mrkonyk__homelab-incident-reports",
}


def _documents(folder: str, readmes: bool = False) -> list[Path]:
    """The folder's documents; README files are indexes of the archive unless ``readmes`` (ALX keeps each post-mortem in one)."""
    base = CORPUS / folder
    return sorted(
        p for p in base.iterdir() if p.is_file() and p.name not in _NOT_DOCUMENTS and (readmes or not p.name.endswith("__README.md"))
    )


def archives() -> dict[str, list[Path]]:
    """Archive name -> its files (empty when the corpus is absent)."""
    if not CORPUS.is_dir():
        return {}
    found = {name: _documents(folder) for name, folder in FOLDERS.items() if (CORPUS / folder).is_dir()}
    found["sre-book"] = [CORPUS / rel for rel in SRE_BOOK if (CORPUS / rel).is_file()]
    found["alx"] = [p for folder in sorted(CORPUS.glob("*__alx-system_engineering-devops")) for p in _documents(folder.name, readmes=True)]
    return found
