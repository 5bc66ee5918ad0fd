"""Speed work must not change output: every variant's output is pinned."""

from __future__ import annotations

import json

from nghiquyet.ingestion.pipeline.tests.exactness import CORPUS, DIGESTS, digests, run


def test_outputs_over_corpus_variants_are_unchanged():
    want = json.loads(DIGESTS.read_text(encoding="utf-8"))
    got = digests(run([CORPUS]))
    assert sorted(got) == sorted(want)
    assert [k for k in want if got[k] != want[k]] == []


def test_chair_spans_are_the_case_insensitive_scan():
    import random

    from nghiquyet.ingestion.pipeline import meetings
    from nghiquyet.ingestion.pipeline.scan import has_odd_case

    rng = random.Random(7)
    pieces = [
        "chủ trì",
        "Chủ trì",
        "ĐỒNG CHỦ TRÌ",
        "đồng ",
        "Đồng ",
        "x",
        " ",
        "\n",
        "chủ",
        "Σ",
        "ı",
        "đồngchủ trì",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        low = None if has_odd_case(text) else text.lower()
        assert list(meetings._chair_spans(text, low)) == [m.span() for m in meetings._CHAIR.finditer(text)]
