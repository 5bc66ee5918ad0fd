"""Benchmark: machine instructions per article for the extraction pipeline.

    .venv/bin/python bench/extract_instructions.py [--rounds 5]

``bench/extract.py`` measures characters per second, which on a shared
virtual machine moves by a fifth from one run to the next. This counts the
instructions executed instead (valgrind's callgrind, the same count on a
busy or an idle machine), compiled and pure Python in the same run: it is
the figure to compare two versions of the code with. Each mode runs the
project's corpus once (imports, unit data, first calls), then ``--rounds``
more times; the difference over the extra articles is the per-article
count. The last line reads
``instructions: <n> per article compiled, <n> pure, <x>× fewer compiled``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_RUN = """
import sys
sys.path.insert(0, {root!r})
from bench.extract import _articles
from nghiquyet.ingestion.pipeline import COMPILED, decode_bytes, extract
articles = _articles()
for _ in range({rounds}):
    for name, data in articles:
        decoded = decode_bytes(data, name=name)
        extract(decoded.text, name, hints=decoded.hints)
print("COMPILED", COMPILED, len(articles))
"""


def _count(rounds: int, pure: bool) -> tuple[int, bool, int]:
    """Instructions for ``rounds`` passes over the corpus, the mode that ran, articles per pass."""
    env = dict(os.environ)
    env.pop("NGHIQUYET_PURE", None)
    if pure:
        env["NGHIQUYET_PURE"] = "1"
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            _RUN.format(root=str(ROOT), rounds=rounds),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    collected = re.search(r"Collected : (\d+)", out.stderr)
    mode = re.search(r"COMPILED (\w+) (\d+)", out.stdout)
    if not collected or not mode:
        raise RuntimeError(f"valgrind printed no count:\n{out.stderr[-2000:]}")
    return int(collected.group(1)), mode.group(1) == "True", int(mode.group(2))


def per_article(rounds: int, pure: bool) -> tuple[float, bool]:
    """Instructions per article, and whether the compiled build ran."""
    once, compiled, n = _count(1, pure)
    many, _, _ = _count(1 + rounds, pure)
    return (many - once) / (rounds * n), compiled


def main() -> int:
    """Count both modes and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="passes over the corpus beyond the first")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind): nothing counted")
        return 0
    compiled, was_compiled = per_article(args.rounds, pure=False)
    pure, _ = per_article(args.rounds, pure=True)
    if not was_compiled:
        print("no current compiled build (make setup builds it): both counts are pure Python")
    print(f"compiled: {compiled:,.0f} instructions per article")
    print(f"pure Python: {pure:,.0f} instructions per article")
    print(
        f"instructions: {compiled:,.0f} per article compiled, {pure:,.0f} pure, {pure / compiled:.2f}× fewer compiled"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
