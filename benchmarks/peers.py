"""Install the peer linters into a throwaway prefix, never into the project.

    python benchmarks/peers.py            # install (skipped when already present)
    python benchmarks/peers.py --versions # print the installed versions

markdownlint-cli2 goes to ``benchmarks/.work/npm`` (``npm install --prefix``);
pymarkdown (``pymarkdownlnt``) and rumdl go to the venv ``benchmarks/.work/venv``.
The project's own environment and dependencies are not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

WORK = Path(__file__).resolve().parent / ".work"
NPM_PREFIX = WORK / "npm"
VENV_DIR = WORK / "venv"
PY_PEERS = ("pymarkdownlnt", "rumdl")
NPM_PEERS = ("markdownlint-cli2",)


@dataclass(frozen=True)
class Peers:
    """Paths of the installed peer executables."""

    markdownlint_cli2: Path
    pymarkdown: Path
    rumdl: Path


def peer_paths(work: Path = WORK) -> Peers:
    """Where the peers live once installed."""
    bindir = work / "venv" / "bin"
    return Peers(
        markdownlint_cli2=work / "npm" / "node_modules" / ".bin" / "markdownlint-cli2",
        pymarkdown=bindir / "pymarkdown",
        rumdl=bindir / "rumdl",
    )


def _run(cmd: list[str]) -> None:
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)


def install_npm(work: Path = WORK) -> None:
    """``npm install --prefix work/npm markdownlint-cli2`` unless already there."""
    if peer_paths(work).markdownlint_cli2.exists():
        return
    (work / "npm").mkdir(parents=True, exist_ok=True)
    _run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(work / "npm"), *NPM_PEERS])


def install_python(work: Path = WORK) -> None:
    """A venv at work/venv holding pymarkdownlnt and rumdl, unless already there."""
    paths = peer_paths(work)
    if paths.pymarkdown.exists() and paths.rumdl.exists():
        return
    venv_dir = work / "venv"
    if not (venv_dir / "bin" / "python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    _run([str(venv_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", *PY_PEERS])


def install(work: Path = WORK) -> Peers:
    """Install every peer (idempotent) and return their paths."""
    install_npm(work)
    install_python(work)
    return peer_paths(work)


def _pip_version(work: Path, dist: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    out = subprocess.run(
        [str(work / "venv" / "bin" / "python"), "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "?"


def _npm_version(work: Path, package: str) -> str:
    manifest = work / "npm" / "node_modules" / package / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "?"


def versions(work: Path = WORK) -> dict[str, str]:
    """Installed versions of the peers (and of the markdownlint library they wrap)."""
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    return {
        "markdownlint-cli2": _npm_version(work, "markdownlint-cli2"),
        "markdownlint": _npm_version(work, "markdownlint"),
        "node": node.stdout.strip() or "?",
        "pymarkdownlnt": _pip_version(work, "pymarkdownlnt"),
        "rumdl": _pip_version(work, "rumdl"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=WORK, help="prefix (default: %(default)s)")
    parser.add_argument("--versions", action="store_true", help="only print versions")
    args = parser.parse_args(argv)
    if not args.versions:
        install(args.work)
    for name, version in versions(args.work).items():
        print(f"{name} {version}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    sys.exit(main())
