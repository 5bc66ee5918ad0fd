"""Speed work must not change output: every variant's output is pinned."""

from __future__ import annotations

import json

from nghiquyet.ingestion.pipeline.tests.exactness import CORPUS, DIGESTS, digests, run


def test_outputs_over_corpus_variants_are_unchanged():
    want = json.loads(DIGESTS.read_text(encoding="utf-8"))
    got = digests(run([CORPUS]))
    assert sorted(got) == sorted(want)
    assert [k for k in want if got[k] != want[k]] == []
