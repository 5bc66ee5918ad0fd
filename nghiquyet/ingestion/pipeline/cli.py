"""Command line: ``nghiquyet extract FILE...``.

    extract FILE...                 one JSON object per input (JSON Lines); "-" reads standard input
    extract --text FILE...          the text as read (what spans point into)
    extract --evaluate GOLD TEXTS   precision, recall and F1 against gold annotations

``main`` receives the arguments after the word "extract".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from nghiquyet.ingestion.pipeline.decode import Decoded, DecodeError, decode_bytes
from nghiquyet.ingestion.pipeline.evaluate import evaluate
from nghiquyet.ingestion.pipeline.extract import extract_many, warm_up

# One input may be large, but not unbounded: past this it is refused
# rather than read into memory.
MAX_INPUT_BYTES = 512 * 1024 * 1024


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    with open(name, "rb") as fh:
        return fh.read(MAX_INPUT_BYTES + 1)


def _write(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the extract command; returns the exit status (0 ok, 1 some input failed, 2 usage)."""
    parser = argparse.ArgumentParser(
        prog="nghiquyet extract", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", help='input files; "-" for standard input')
    parser.add_argument("--text", action="store_true", help="print the text as read instead of facts")
    parser.add_argument(
        "--evaluate",
        nargs=2,
        metavar=("GOLD_DIR", "TEXT_DIR"),
        help="score the extractor against gold annotations",
    )
    args = parser.parse_args(argv)
    if args.evaluate:
        return _evaluate(Path(args.evaluate[0]), Path(args.evaluate[1]))
    if not args.files:
        parser.print_usage(sys.stderr)
        return 2
    failed: list[str] = []
    inputs = _decoded(args.files, failed)
    if args.text:
        for _, decoded in inputs:
            sys.stdout.write(decoded.text)
            if not decoded.text.endswith("\n"):
                sys.stdout.write("\n")
    else:
        # In batches, stage by stage (``extract_many``): the same facts,
        # faster over many files.
        warm_up()
        for facts in extract_many((decoded.text, source, decoded.hints) for source, decoded in inputs):
            _write(json.dumps(facts, ensure_ascii=False))
    return 1 if failed else 0


def _decoded(names: list[str], failed: list[str]) -> Iterator[tuple[str, Decoded]]:
    """(source, decoded text) of each input that can be read; the others are
    reported on standard error and added to ``failed``."""
    for name in names:
        source = "-" if name == "-" else Path(name).name
        try:
            data = _read(name)
            if len(data) > MAX_INPUT_BYTES:
                raise DecodeError(f"larger than {MAX_INPUT_BYTES} bytes")
            decoded = decode_bytes(data, name=source)
        except (OSError, DecodeError) as err:
            print(f"extract: {name}: {err}", file=sys.stderr)
            failed.append(name)
            continue
        yield source, decoded


def _evaluate(gold_dir: Path, text_dir: Path) -> int:
    if not gold_dir.is_dir() or not text_dir.is_dir():
        print("extract: --evaluate needs two folders: GOLD_DIR TEXT_DIR", file=sys.stderr)
        return 2
    texts: dict[str, str] = {}
    hints: dict[str, dict] = {}
    for gold_path in sorted(gold_dir.glob("*.json")):
        source = json.loads(gold_path.read_text(encoding="utf-8"))["source"]
        path = text_dir / source
        try:
            decoded = decode_bytes(path.read_bytes(), name=source)
        except (OSError, DecodeError) as err:
            print(f"extract: {path}: {err}", file=sys.stderr)
            continue
        texts[source] = decoded.text
        hints[source] = decoded.hints
    found = extract_many((text, source, hints[source]) for source, text in texts.items())
    predictions = {facts["source"]: facts for facts in found}
    _, lines = evaluate(gold_dir, predictions, texts)
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
