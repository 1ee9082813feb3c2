"""Long local fuzzing of pmlint: run it for N minutes, keep every input that crashes or stalls.

    python scripts/fuzz_soak.py --minutes 30 [--out fuzz-findings] [--seed 1] [--timeout 20]

Each round does two things until the time is up:
1. the hypothesis properties of tests/fuzz_test.py with a large budget and a fresh seed
   (PMLINT_FUZZ_EXAMPLES, default 5,000 examples per property);
2. mutation fuzzing of real documents (the shared corpus when present, the clean fixture,
   the demo project): byte- and line-level mutations, each linted in a worker process
   that is killed after --timeout seconds. A crash, a stall, a PM000 on decodable text
   or a finding outside the file is saved under --out with the reason.

CI runs the same properties with a small budget (tests/fuzz_test.py); this is for soak runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import multiprocessing
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from postmortem_lint.config.settings import Settings
from postmortem_lint.document import source
from postmortem_lint.lint import engine, linter

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("PMLINT_CORPUS") or REPO.parent / "shared" / "corpus")
PUNCTUATION = ["|", "#", ">", "-", "*", "`", "[", "](", "<!--", "\t", "    ", "\r", "\u200b", "\ufeff", "1.", "===", "---"]


def seeds() -> list[bytes]:
    """Real documents to mutate."""
    paths = [REPO / "tests" / "fixtures" / "clean-final.md", *sorted((REPO / "examples").rglob("*.md"))]
    if CORPUS.is_dir():
        paths += sorted(p for p in CORPUS.rglob("*.md") if p.is_file())
    return [p.read_bytes() for p in paths]


def _bytes_flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _lines_shuffle(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    start = rng.randrange(len(lines))
    chunk = lines[start : start + rng.randint(2, 40)]
    rng.shuffle(chunk)
    return b"\n".join(lines[:start] + chunk + lines[start + len(chunk) :])


def _lines_duplicate(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    start = rng.randrange(len(lines))
    return b"\n".join(lines[: start + 1] + lines[start : start + rng.randint(1, 30)] * rng.randint(2, 200) + lines[start + 1 :])


def _punctuation_run(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    run = (rng.choice(PUNCTUATION) * rng.randint(10, 50_000)).encode("utf-8")
    return data[:at] + run + data[at:]


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _newlines(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n", b"\x0b\n"]))


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    _bytes_flip,
    _lines_shuffle,
    _lines_duplicate,
    _punctuation_run,
    _truncate,
    _newlines,
]


def lint_one(data: bytes) -> str:
    """'' when all is well, else what is wrong (run in a worker process)."""

    settings, today = Settings(root=REPO), dt.date(2026, 3, 20)
    rel = "tasks/post-mortem-2026-03-14-fuzz.md"
    result = linter.lint_bytes(rel, data, None, settings, today)
    engine.finish({rel: result}, None, settings, today)
    decoded = source.decode(data)
    codes = [f.code for f in result.findings]
    if isinstance(decoded, source.Source):
        if "PM000" in codes:
            return "PM000 on decodable text"
        outside = [f for f in result.findings if not 1 <= f.line <= len(decoded.lines)]
        return f"finding outside the file: {outside[0]}" if outside else ""
    return "" if codes == ["PM000"] else f"undecodable input gave {codes}"


def save(out: Path, data: bytes, reason: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(data).hexdigest()[:16]
    (out / f"{name}.md").write_bytes(data)
    (out / f"{name}.txt").write_text(reason + "\n", encoding="utf-8")
    print(f"  saved {name}: {reason.splitlines()[0][:160]}", flush=True)


def mutation_round(rng: random.Random, corpus: list[bytes], deadline: float, timeout: float, out: Path) -> tuple[int, int, float]:
    """Lint mutated documents until ``deadline``; returns (inputs, problems, slowest seconds)."""
    count = problems = 0
    slowest = 0.0
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        while time.monotonic() < deadline:
            data = rng.choice(corpus)
            for _ in range(rng.randint(1, 3)):
                data = rng.choice(MUTATIONS)(rng, data)
            started = time.monotonic()
            job = pool.apply_async(lint_one, (data,))
            try:
                reason = job.get(timeout=timeout)
            except multiprocessing.TimeoutError:
                reason = f"stalled: over {timeout} s"
                pool.terminate()
                pool = multiprocessing.get_context("fork").Pool(1)
            except Exception as exc:  # the worker's exception: exactly what soak runs look for
                reason = f"crash: {type(exc).__name__}: {exc}"
            slowest = max(slowest, time.monotonic() - started)
            count += 1
            if reason:
                problems += 1
                save(out, data, reason)
    finally:
        pool.terminate()
    return count, problems, slowest


def hypothesis_round(seed: int, examples: int) -> bool:
    env = {**os.environ, "PMLINT_FUZZ_EXAMPLES": str(examples)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--hypothesis-seed={seed}", "tests/fuzz_test.py"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    print(f"  hypothesis seed {seed}: {done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]}", flush=True)
    if done.returncode != 0:
        print(done.stdout[-4000:], flush=True)
    return done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--timeout", type=float, default=20.0, help="Seconds one input may take before it counts as a stall.")
    parser.add_argument("--examples", type=int, default=5_000, help="Hypothesis examples per property per round.")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    corpus = seeds()
    end = time.monotonic() + args.minutes * 60
    totals = [0, 0, 0.0]
    failed_rounds = 0
    print(f"fuzz soak: {args.minutes} min, seed {args.seed}, {len(corpus)} seed documents", flush=True)
    while time.monotonic() < end:
        failed_rounds += not hypothesis_round(rng.randrange(2**32), args.examples)
        count, problems, slowest = mutation_round(rng, corpus, min(end, time.monotonic() + 120), args.timeout, args.out)
        totals = [totals[0] + count, totals[1] + problems, max(totals[2], slowest)]
        print(f"  mutations: {count} inputs, {problems} problems, slowest {slowest:.2f} s", flush=True)
    print(f"done: {totals[0]} mutated inputs, {totals[1]} problems, slowest {totals[2]:.2f} s, {failed_rounds} failed hypothesis rounds")
    return 1 if totals[1] or failed_rounds else 0


if __name__ == "__main__":
    sys.exit(main())
