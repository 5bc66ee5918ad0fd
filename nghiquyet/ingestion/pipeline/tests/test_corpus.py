"""The project's own corpus: texts written for the project, with expected facts."""

from __future__ import annotations

import json

import pytest

from nghiquyet.ingestion.pipeline.evaluate import evaluate, provenance_errors, score_article
from nghiquyet.ingestion.pipeline.tests.conftest import CORPUS, GOLD, gold_files


def test_corpus_has_the_genres_the_issue_asks_for():
    names = [p.name for p in CORPUS.iterdir()]
    assert len(names) >= 12
    assert any(n.endswith(".html") for n in names)
    assert any("tcvn3" in n for n in names) and any("vni" in n for n in names)


def test_corpus_meets_the_quality_bar(corpus_predictions):
    predictions, texts = corpus_predictions
    totals, lines = evaluate(GOLD, predictions, texts)
    report = "\n".join(lines)
    assert totals["provenance_errors"] == 0, report
    assert totals["documents"].f1 == 1.0, report
    assert totals["people"].f1 >= 0.95, report
    assert totals["overall"] >= 0.95, report


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_each_text_finds_its_documents_and_people(gold_path, corpus_predictions):
    predictions, texts = corpus_predictions
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pred = predictions[gold["source"]]
    scores = score_article(gold, pred)
    assert (scores["documents"].fp, scores["documents"].fn) == (0, 0), pred["documents"]
    assert (scores["people"].fp, scores["people"].fn) == (0, 0), pred["people"]
    assert not provenance_errors(pred, texts[gold["source"]])
    assert sorted(pred["authors"]) == sorted(gold["authors"])


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_each_text_has_its_title(gold_path, corpus_predictions):
    predictions, _ = corpus_predictions
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert predictions[gold["source"]]["title"] == gold["title"]
    if gold.get("published"):
        assert predictions[gold["source"]]["published"] == gold["published"]


def test_merges_are_reported(corpus_predictions):
    predictions, texts = corpus_predictions
    gold = json.loads((GOLD / "05_sap_nhap_don_vi_hanh_chinh.json").read_text(encoding="utf-8"))
    got = predictions[gold["source"]]["merges"]
    assert [(m["unit"], m["parts"]) for m in got] == [(m["unit"], m["parts"]) for m in gold["merges"]]
    for m in got:
        s, e = m["span"]
        assert m["parts"][0].split()[-1] in texts[gold["source"]][s:e]


def test_furniture_facts_stay_out(corpus_predictions):
    predictions, _ = corpus_predictions
    page = predictions["11_tin_co_nhieu_rac.txt"]
    names = {p["name"] for p in page["people"]}
    assert "Hoàng Trọng Nghĩa" not in names and "Vi Thị Phượng" not in names
    assert {d["symbol"] for d in page["documents"]} == {"144-QĐ/TW"}
    html = predictions["07_trang_bao_dien_tu.html"]
    assert "Đinh Văn Hậu" not in {p["name"] for p in html["people"]}
    assert all(d["symbol"] != "789/QĐ-UBND" for d in html["documents"])


@pytest.mark.parametrize(
    "gold_path",
    [p for p in gold_files() if "places" in json.loads(p.read_text(encoding="utf-8"))],
    ids=lambda p: p.stem,
)
def test_places_and_organisations_are_found_with_their_codes(gold_path, corpus_predictions):
    predictions, texts = corpus_predictions
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pred = predictions[gold["source"]]
    text = texts[gold["source"]]
    places = {p["name"]: p for p in pred["places"]}
    for want in gold["places"]:
        got = places.get(want["name"])
        assert got is not None, (want, list(places))
        assert got["kind"] == want["kind"] and got["code"] == want["code"], got
        if "legacy" in want:
            assert got["legacy"] == want["legacy"], got
    orgs = {o["name"]: o for o in pred["organisations"]}
    for want in gold["organisations"]:
        assert want["name"] in orgs and orgs[want["name"]]["kind"] == want["kind"], (want, list(orgs))
    for fact in pred["places"] + pred["organisations"]:
        s, e = fact["span"]
        assert " ".join(text[s:e].split()) == fact["name"]
