"""Benchmark: the extraction pipeline against underthesea's NER.

    .venv/bin/python bench/extract.py [--mb 50] [--ner-chars 100000] [--pure] [--max-chars N]

Runs the whole pipeline (decode, normalise, furniture, every extractor)
over the project's own corpus repeated until at least ``--mb`` megabytes of
text have gone through, streaming (memory stays flat however large the
total): first one article at a time through every stage (``extract``, the
baseline), then as a user's many texts go (``extract_many``: batches of
articles, each stage over the whole batch before the next). Then
underthesea's ``ner`` over a slice of the same texts. It prints characters
per second for each (CPU time of this process, so other work on a shared
machine does not count); the last line compares ``extract_many`` with
underthesea.

The corpus mixes short news items (300 to 1,500 characters, dense with
facts) with a full review report and two long articles (5,000 to 11,000
characters), as the genre comes; ``--max-chars 4000`` runs the short items
alone, the harder case per character. It says whether the pipeline ran
compiled (mypyc, ``scripts/compile_pipeline.py``) or as pure Python; ``--pure``
forces pure Python, for comparison. The last line
is ``extract: <n> chars/s, underthesea ner <n> chars/s, <x>× faster``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "nghiquyet" / "ingestion" / "pipeline" / "tests" / "corpus"


def _articles(max_chars: int | None = None) -> list[tuple[str, bytes]]:
    """The corpus files (name, bytes); with ``max_chars``, only those whose
    text as read has at most that many characters."""
    from nghiquyet.ingestion.pipeline import decode_bytes

    files = [(p.name, p.read_bytes()) for p in sorted(CORPUS.iterdir()) if p.is_file()]
    if max_chars is None:
        return files
    return [(n, d) for n, d in files if len(decode_bytes(d, name=n).text) <= max_chars]


def _decoded(
    articles: list[tuple[str, bytes]], target_chars: int, done: list[int]
) -> Iterator[tuple[str, str, dict]]:
    """The corpus, decoded, repeated until ``target_chars`` characters have
    gone out; ``done[0]`` counts them."""
    from nghiquyet.ingestion.pipeline import decode_bytes

    for name, data in itertools.cycle(articles):
        decoded = decode_bytes(data, name=name)
        done[0] += len(decoded.text)
        yield decoded.text, name, decoded.hints
        if done[0] >= target_chars:
            return


def bench_extract(
    target_chars: int, *, batched: bool, max_chars: int | None = None
) -> tuple[int, float, int]:
    """Decode and extract the corpus, repeated, until ``target_chars`` are
    done: with ``extract_many`` (in batches, stage by stage) or with
    ``extract`` one text at a time."""
    from nghiquyet.ingestion.pipeline import extract, extract_many, warm_up

    warm_up()  # as ``nghiquyet extract`` does before reading its files
    articles = _articles(max_chars)
    done = [0]
    facts = 0
    start = time.process_time()
    items = _decoded(articles, target_chars, done)
    results = extract_many(items) if batched else (extract(t, n, hints=h) for t, n, h in items)
    for result in results:
        facts += len(result["people"]) + len(result["documents"]) + len(result["figures"])
    return done[0], time.process_time() - start, facts


def bench_underthesea(slice_chars: int) -> tuple[int, float] | str:
    """underthesea's ``ner`` over about ``slice_chars`` characters, sentence by sentence."""
    from nghiquyet.ingestion.pipeline import decode_bytes

    try:
        from underthesea import ner
    except ImportError as err:
        return f"underthesea not installed ({err})"
    texts = [decode_bytes(data, name=name).text for name, data in _articles()]
    sentences = [s.strip() for t in texts for s in t.replace("\n", ". ").split(". ") if len(s.strip()) > 20]
    done = 0
    start = time.process_time()
    try:
        for sentence in itertools.cycle(sentences):
            ner(sentence)
            done += len(sentence)
            if done >= slice_chars:
                break
    except Exception as err:  # a model it cannot download here, for one
        return f"underthesea ner could not run: {type(err).__name__}: {err}"
    return done, time.process_time() - start


def main() -> int:
    """Run both benchmarks and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50.0, help="megabytes (millions of characters) to extract")
    ap.add_argument("--ner-chars", type=int, default=30_000, help="characters to run underthesea ner over")
    ap.add_argument("--pure", action="store_true", help="run the pipeline as pure Python even if compiled")
    ap.add_argument(
        "--max-chars",
        type=int,
        default=None,
        help="only the corpus texts of at most this many characters (e.g. 4000: the short news items alone)",
    )
    args = ap.parse_args()
    if args.pure:
        os.environ["NGHIQUYET_PURE"] = "1"  # read when the pipeline package is first imported
    import nghiquyet.ingestion.pipeline as pipeline

    mode = "compiled (mypyc)" if pipeline.COMPILED else f"pure Python ({pipeline.COMPILED_REASON})"
    print(f"pipeline mode: {mode}")
    from nghiquyet.ingestion.pipeline import decode_bytes

    sizes = sorted(len(decode_bytes(d, name=n).text) for n, d in _articles(args.max_chars))
    if not sizes:
        print(f"no corpus text has at most {args.max_chars} characters")
        return 2
    print(
        f"corpus: {len(sizes)} texts of {sizes[0]:,} to {sizes[-1]:,} characters, "
        f"{sum(sizes) / len(sizes):,.0f} on average"
    )
    target = int(args.mb * 1_000_000)
    # The baseline first: one text at a time through every stage.
    chars, seconds, facts = bench_extract(target, batched=False, max_chars=args.max_chars)
    single = chars / seconds
    print(f"extract, one text at a time: {chars:,} chars in {seconds:.1f} s, {single:,.0f} chars/s")
    chars, seconds, facts = bench_extract(target, batched=True, max_chars=args.max_chars)
    rate = chars / seconds
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"extract_many, in batches stage by stage: {chars:,} chars in {seconds:.1f} s, {rate:,.0f} chars/s, "
        f"{rate / single:.2f}× the one-at-a-time rate"
    )
    print(f"pipeline: {chars:,} chars, {facts:,} facts, peak memory {rss:.0f} MB")
    result = bench_underthesea(args.ner_chars)
    if isinstance(result, str):
        print(result)
        print(f"extract: {rate:,.0f} chars/s, underthesea ner n/a chars/s, n/a× faster")
        return 0
    ner_chars, ner_seconds = result
    ner_rate = ner_chars / ner_seconds
    print(f"underthesea ner: {ner_chars:,} chars in {ner_seconds:.1f} s")
    print(
        f"extract: {rate:,.0f} chars/s, underthesea ner {ner_rate:,.0f} chars/s, {rate / ner_rate:,.0f}× faster"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
