"""Speed work must not change output: every variant's output is pinned."""

from __future__ import annotations

import json

from nghiquyet.ingestion.pipeline import extract, extract_many
from nghiquyet.ingestion.pipeline.tests.exactness import (
    CORPUS,
    differences,
    inputs,
    load_snapshots,
    run,
    snapshot_files,
)


def test_outputs_over_corpus_variants_are_unchanged():
    # On failure: the labels that changed, with a line diff of the first ones.
    # A meant change is pinned with ``python -m nghiquyet.ingestion.pipeline.tests.exactness pin``.
    assert differences(run([CORPUS]), load_snapshots()) == []


def test_snapshots_read_back_exactly_what_was_written(tmp_path):
    from nghiquyet.ingestion.pipeline.tests.exactness import write_snapshots

    def dump(obj):  # as ``run`` writes each output
        return json.dumps(obj, ensure_ascii=False)

    out = {
        "a.txt:bytes": dump(
            {"source": "a.txt", "people": [{"name": "Lê Văn A", "spans": [[0, 8]]}], "x": 1.5}
        ),
        "a.txt:text": dump(
            {"source": "a.txt", "people": [{"name": "Lê Văn A", "spans": [[0, 8]]}], "x": 1.5}
        ),
        "a.txt:nul": "error DecodeError",
        "a.txt:lower": dump({"source": "a.txt", "people": [], "x": 1.5}),
        "fuzz0": dump({"people": []}),
    }
    write_snapshots(out, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt.json", "fuzz.json"]
    assert load_snapshots(tmp_path) == out
    text = snapshot_files(out)["a.txt.json"]
    # One line per fact, and a repeated output points at the first.
    assert '    {"name": "Lê Văn A", "spans": [[0, 8]]}\n' in text
    assert '"a.txt:text": {"same_as": "a.txt:bytes"}' in text
    # Key order is part of the output: a snapshot with keys swapped is a difference.
    swapped = {**out, "a.txt:lower": dump({"people": [], "source": "a.txt", "x": 1.5})}
    assert [d.splitlines()[0] for d in differences(swapped, out)] == ["a.txt:lower"]


def test_extract_many_gives_what_extract_gives_text_by_text():
    items = [(text, source, hints) for _, text, source, hints in inputs([CORPUS]) if source]
    want = [extract(text, source, hints=hints) for text, source, hints in items]
    # Batches end on the count of texts and on their characters, so some
    # hold one long text and some many short ones.
    for batch_texts, batch_chars in ((7, 10**9), (1000, 5000), (1, 1)):
        got = list(extract_many(iter(items), batch_texts=batch_texts, batch_chars=batch_chars))
        assert len(got) == len(want)
        assert [i for i, (g, w) in enumerate(zip(got, want, strict=True)) if g != w] == []
    assert list(extract_many([])) == []


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


def test_warm_up_takes_the_loaded_data_out_of_the_collectors_rounds():
    import gc

    from nghiquyet.ingestion.pipeline import warm_up
    from nghiquyet.ingestion.pipeline.places import gazetteer

    text = "Bí thư Tỉnh ủy Hà Tĩnh Lê Văn Sơn dự hội nghị tại xã Đức Thọ."
    before = extract(text, "x")
    gc.unfreeze()
    try:
        warm_up()
        assert gc.get_freeze_count() > 0
        # Frozen objects are in none of the generations a collection walks.
        gz = gazetteer()
        assert all(o is not gz for o in gc.get_objects())
        assert extract(text, "x") == before
    finally:
        gc.unfreeze()


_FAILING_STAGE = """
import json
import sys
from nghiquyet.ingestion.pipeline import extract_many

module = sys.modules["nghiquyet.ingestion.pipeline.extract"]

real = module.find_dates


def find_dates(text):
    if "HỎNG" in text:
        raise RuntimeError("stage failed")
    return real(text)


module.find_dates = find_dates
texts = ["Nghị quyết số 01-NQ/TU.", "Văn bản HỎNG.", "Nghị quyết số 03-NQ/TU."]
got = []
try:
    for facts in extract_many([(t, str(i), None) for i, t in enumerate(texts)], batch_texts=10):
        got.append(facts["documents"][0]["symbol"])
except RuntimeError as err:
    got.append(str(err))
print(json.dumps(got))
"""


def test_a_failing_text_costs_only_itself_and_those_after_it():
    # Stage functions cannot be replaced in the compiled build: pure Python here.
    import os
    import subprocess
    import sys

    env = {**os.environ, "NGHIQUYET_PURE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", _FAILING_STAGE], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(out.stdout) == ["01-NQ/TU", "stage failed"]
