"""Every PM601/PM602 finding on the shared corpus, with the seed preset and with the best-fitting one.

    python benchmarks/blame_corpus.py [--archive NAME ...] [--json OUT]

Each archive (tests/corpus_archives.py) is copied into a temporary git repository under
``tasks/`` and checked with ``pmlint check --select PM601,PM602 --format json --no-cache``,
once with the seed preset and once with ``template:`` set to the preset
`packs/templates/fit.py` ranks first on that archive (when it is not the seed). Prints one
line per finding: archive, corpus file, line, code, message and the line's text, so that
each finding can be read and judged (the PM6xx section of tests/data/corpus_judgements.yaml). The corpus
is read, never written.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "scripts"))

from corpus_archives import CORPUS, archives  # noqa: E402
from repokit import ENV, git  # noqa: E402

from postmortem_lint.packs.templates import fit  # noqa: E402

CODES = ("PM601", "PM602", "PM603")


def target_names(files: list[Path]) -> list[str]:
    seen: dict[str, int] = {}
    for p in files:
        seen[p.name] = seen.get(p.name, 0) + 1
    return [f"{p.parent.name}__{p.name}" if seen[p.name] > 1 else p.name for p in files]


def best_preset(files: list[Path]) -> str:
    docs = [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in files]
    return fit.rank(docs)[0].name


def run(name: str, files: list[Path], template: str | None) -> list[dict[str, object]]:
    config = "include: ['tasks/*']\n" + (f"template: {template}\n" if template else "")
    with tempfile.TemporaryDirectory(prefix=f"pmlint-blame-{name}-") as tmp:
        root = Path(tmp)
        git(root, "init", "-q", "-b", "main")
        (root / "tasks").mkdir()
        names = target_names(files)
        back = {}
        for path, target in zip(files, names, strict=True):
            (root / "tasks" / target).write_bytes(path.read_bytes())
            back[f"tasks/{target}"] = path
        (root / ".pmlint.yaml").write_text(config, encoding="utf-8")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "postmortem_lint",
                "check",
                "--select",
                ",".join(CODES[:2]),
                "--format",
                "json",
                "--no-cache",
                "--today",
                "2026-12-01",
            ],
            cwd=root,
            env=ENV,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode not in (0, 1):
            raise SystemExit(f"{name}: pmlint exited {done.returncode}: {done.stderr}")
        out = []
        for d in json.loads(done.stdout)["diagnostics"]:
            if d["code"] not in CODES:
                continue
            src = back[d["path"]]
            lines = src.read_text(encoding="utf-8", errors="replace").splitlines()
            text = lines[d["line"] - 1] if 0 < d["line"] <= len(lines) else ""
            out.append(
                {
                    "archive": name,
                    "file": str(src.relative_to(CORPUS)),
                    "code": d["code"],
                    "line": d["line"],
                    "message": d["message"],
                    "text": text.strip(),
                }
            )
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--archive", action="append")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    every = []
    for name, files in sorted(archives().items()):
        if (args.archive and name not in args.archive) or not files:
            continue
        seed = run(name, files, None)
        preset = best_preset(files)
        other = run(name, files, preset) if preset != "seed" else seed
        key = lambda f: (f["file"], f["line"], f["code"])  # noqa: E731
        extra = [f for f in other if key(f) not in {key(g) for g in seed}]
        lost = [f for f in seed if key(f) not in {key(g) for g in other}]
        print(f"## {name}: {len(files)} files, {len(seed)} findings (seed); best preset {preset}: +{len(extra)} -{len(lost)}")
        for f in seed + extra:
            tag = "" if f in seed else f" [only with {preset}]"
            print(f"{f['file']}:{f['line']} {f['code']}{tag} {f['message']}\n    | {f['text'][:300]}")
            every.append({**f, "preset": "seed" if f in seed else preset})
    print(f"\ntotal: {len(every)}")
    if args.json:
        Path(args.json).write_text(json.dumps(every, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
