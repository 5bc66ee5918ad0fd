"""Fixtures for the pipeline tests: the project's own corpus, nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
GOLD = HERE / "corpus_gold"


def gold_files() -> list[Path]:
    """Every gold file of the project's corpus."""
    return sorted(GOLD.glob("*.json"))


@pytest.fixture(scope="session")
def corpus_predictions():
    """Facts extracted from every text of the corpus, with the texts as read."""
    from nghiquyet.ingestion.pipeline import extract, read_file

    predictions, texts = {}, {}
    for path in gold_files():
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        decoded = read_file(CORPUS / source)
        texts[source] = decoded.text
        predictions[source] = extract(decoded.text, source, hints=decoded.hints)
    return predictions, texts
