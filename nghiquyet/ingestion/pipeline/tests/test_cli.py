"""The command line: ``nghiquyet extract`` (``main`` gets the words after "extract")."""

from __future__ import annotations

import io
import json
import sys

from nghiquyet.ingestion.pipeline.cli import main
from nghiquyet.ingestion.pipeline.tests.conftest import CORPUS, GOLD


def test_one_json_object_per_input(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text("Bí thư Tỉnh ủy Lê Văn Sơn chủ trì.", encoding="utf-8")
    b = tmp_path / "b.html"
    b.write_text("<html><body><p>Chỉ thị số 42 của Tỉnh ủy</p></body></html>", encoding="utf-8")
    assert main([str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["source"] == "a.txt" and first["people"][0]["name"] == "Lê Văn Sơn"
    assert second["source"] == "b.html" and second["documents"][0]["number"] == "42"
    assert set(first) >= {
        "source",
        "title",
        "published",
        "meetings",
        "documents",
        "people",
        "figures",
        "authors",
    }


def test_text_prints_what_spans_point_into(capsys):
    assert main(["--text", str(CORPUS / "08_van_ban_tcvn3.txt")]) == 0
    assert "Đồng chí Mai Xuân Trường" in capsys.readouterr().out


def test_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Chỉ thị số 05 - CT/TW".encode())))
    assert main(["-"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"][0]["symbol"] == "05-CT/TW"


def test_binary_and_missing_files_are_clear_errors(tmp_path, capsys):
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    assert main([str(binary), str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err
    assert "binary" in err and "missing.txt" in err


def test_a_bad_input_among_many_loses_none_of_the_others(tmp_path, capsys):
    names = []
    for i in range(70):  # more than one batch of ``extract_many``
        path = tmp_path / f"{i:02d}.txt"
        path.write_text(f"Nghị quyết số {i + 1}-NQ/TU của Tỉnh ủy.", encoding="utf-8")
        names.append(str(path))
    names.insert(30, str(tmp_path / "missing.txt"))
    assert main(names) == 1
    out = capsys.readouterr()
    results = [json.loads(line) for line in out.out.splitlines()]
    assert [r["source"] for r in results] == [f"{i:02d}.txt" for i in range(70)]
    assert [r["documents"][0]["symbol"] for r in results] == [f"{i + 1}-NQ/TU" for i in range(70)]
    assert "missing.txt" in out.err


def test_evaluate_prints_scores(capsys):
    assert main(["--evaluate", str(GOLD), str(CORPUS)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("overall F1 ") and last.endswith("provenance errors 0")
