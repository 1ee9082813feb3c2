"""How long an editor and an assistant wait for pmlint's answer.

    python benchmarks/server_latency.py [--files 200] [--runs 30] [--cli-runs 10]

Generates a seeded archive (`generate.py`, ~10 KB post-mortems) in a temporary git
repository and measures, through real clients over stdio:

* **LSP diagnostics after a change**: `pmlint server` with the debounce set to 0, one
  post-mortem of median size open; each run sends a `didChange` (a word of its Executive
  Summary changes, so the text always differs) and waits for the `publishDiagnostics`
  of that version. The debounce (150 ms by default) comes on top of this and is reported
  separately, measured the same way with the default setting.
* **MCP `lint`**: `pmlint mcp`, a `tools/call` of `lint` with the same document's `path`
  and `text`, until its result arrives.
* **one-file `pmlint check FILE`** (the pre-commit hook's path), as a process, for
  comparison with the same measurement on another checkout (`--compare-python`).

Prints a Markdown table of medians (and p90, min, max) on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
SERVER = [sys.executable, "-m", "postmortem_lint"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def corpus(folder: Path, files: int) -> tuple[Path, str]:
    """A committed archive of ``files`` post-mortems; the root and the median-sized file's path."""
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(folder), "--count", str(files), "--seed", "1"], check=True, capture_output=True
    )
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, check=True, env=ENV)
    subprocess.run([*git, "add", "."], cwd=folder, check=True, env=ENV)
    subprocess.run([*git, "commit", "-q", "-m", "archive"], cwd=folder, check=True, env=ENV)
    paths = sorted((folder / "tasks").glob("*.md"), key=lambda p: p.stat().st_size)
    chosen = paths[len(paths) // 2]
    return folder, chosen.relative_to(folder).as_posix()


def variant(text: str, run: int) -> str:
    """The text with one word of its Executive Summary changed (a different text every run)."""
    marker = "## Executive Summary\n\n"
    at = text.index(marker) + len(marker)
    return text[:at] + f"Revision {run}: " + text[at:]


def summary(samples: list[float]) -> tuple[float, float, float, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered), p90, ordered[0], ordered[-1]


# ---------------------------------------------------------------- LSP


async def lsp_latency(root: Path, rel: str, runs: int, debounce_ms: int | None) -> tuple[float, list[float]]:
    """(first diagnostics after open, then each change's) in ms."""
    client = LanguageClient("bench", "1")
    waiting: dict[int, asyncio.Future[float]] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        future = waiting.get(params.version or 0)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    await client.start_io(*SERVER, "server", env=ENV)
    options: dict[str, Any] = {} if debounce_ms is None else {"debounce_ms": debounce_ms}
    await client.initialize_async(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri(), initialization_options=options)
    )
    client.initialized(lsp.InitializedParams())
    uri = (root / rel).as_uri()
    text = (root / rel).read_text(encoding="utf-8")
    loop = asyncio.get_running_loop()
    waiting[1] = loop.create_future()
    began = time.perf_counter()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text))
    )
    first = (await asyncio.wait_for(waiting[1], 60)) - began
    samples = []
    for run in range(runs):
        version = run + 2
        waiting[version] = loop.create_future()
        change = lsp.TextDocumentContentChangeWholeDocument(text=variant(text, run))
        began = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change])
        )
        samples.append((await asyncio.wait_for(waiting[version], 60)) - began)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first * 1000, [s * 1000 for s in samples]


# ---------------------------------------------------------------- MCP


async def mcp_latency(root: Path, rel: str, runs: int) -> list[float]:
    text = (root / rel).read_text(encoding="utf-8")
    params = StdioServerParameters(command=SERVER[0], args=[*SERVER[1:], "mcp", "--root", str(root)], env=ENV)
    samples = []
    with open(os.devnull, "w") as quiet:
        async with stdio_client(params, errlog=quiet) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            await session.call_tool("lint", {"path": rel, "text": text})
            for run in range(runs):
                began = time.perf_counter()
                result = await session.call_tool("lint", {"path": rel, "text": variant(text, run)})
                samples.append(time.perf_counter() - began)
                assert not result.is_error, result.content
    return [s * 1000 for s in samples]


# ---------------------------------------------------------------- the one-file check


def cli_latency(root: Path, rel: str, runs: int, python: str) -> list[float]:
    command = [python, "-m", "postmortem_lint", "check", rel]
    subprocess.run(command, cwd=root, env=ENV, capture_output=True, check=False)
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, cwd=root, env=ENV, capture_output=True, check=False)
        samples.append(time.perf_counter() - began)
    return [s * 1000 for s in samples]


def row(name: str, samples: list[float]) -> str:
    median, p90, low, high = summary(samples)
    return f"| {name} | {len(samples)} | {median:.1f} | {p90:.1f} | {low:.1f} | {high:.1f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200, help="post-mortems in the archive (default 200)")
    parser.add_argument("--runs", type=int, default=30, help="measured changes / calls (default 30, at least 20)")
    parser.add_argument("--cli-runs", type=int, default=10, help="one-file check runs (default 10; 0 skips)")
    parser.add_argument("--compare-python", help="also time the one-file check with this interpreter (another checkout's venv)")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20")
    with tempfile.TemporaryDirectory(prefix="pmlint-latency-") as tmp:
        root, rel = corpus(Path(tmp) / "archive", args.files)
        size = (root / rel).stat().st_size
        first, changes = asyncio.run(lsp_latency(root, rel, args.runs, 0))
        _, debounced = asyncio.run(lsp_latency(root, rel, args.runs, None))
        calls = asyncio.run(mcp_latency(root, rel, args.runs))
        lines = [
            f"Archive: {args.files} generated post-mortems; the document: `{rel}` ({size / 1024:.1f} KB).",
            "",
            "| measurement (ms) | n | median | p90 | min | max |",
            "|---|---:|---:|---:|---:|---:|",
            row("LSP: didChange → publishDiagnostics (debounce 0)", changes),
            row("LSP: the same with the default 150 ms debounce", debounced),
            row("MCP: `lint` call with path and text", calls),
        ]
        if args.cli_runs:
            lines.append(row("`pmlint check FILE` (process, this checkout)", cli_latency(root, rel, args.cli_runs, sys.executable)))
        if args.compare_python and args.cli_runs:
            lines.append(
                row(f"`pmlint check FILE` (process, {args.compare_python})", cli_latency(root, rel, args.cli_runs, args.compare_python))
            )
        lines += ["", f"First diagnostics after didOpen (builds the repository index): {first:.1f} ms."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
