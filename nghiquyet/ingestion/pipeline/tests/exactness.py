"""Exactness harness: ``extract()`` output over the corpus and variants.

    .venv/bin/python -m nghiquyet.ingestion.pipeline.tests.exactness snapshot OUT.json [DIR...]
    .venv/bin/python -m nghiquyet.ingestion.pipeline.tests.exactness check OUT.json [DIR...]
    .venv/bin/python -m nghiquyet.ingestion.pipeline.tests.exactness pin

``pin`` rewrites the readable snapshots in ``snapshots/`` (the project
corpus only: one JSON file per corpus text, one for the fuzz texts), which
``test_exactness.py`` checks: run it only when an output change is meant,
and read its diff: every fact is one line, so a changed title or span shows
as the line it changed. An output identical to an earlier variant's of the
same file is written ``{"same_as": "<label>"}``.

Runs the pipeline over every text of the project's corpus (and of any
extra directories given) and over variants of each text (NFD, old tone
style, zero-width characters inserted, one line, doubled, non-breaking
spaces, CRLF, HTML-wrapped, legacy encodings, random slices), and writes or
compares the full JSON output of each run. A speed change must leave every
output byte-identical.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from nghiquyet.core.text import OLD_TO_NEW_TONES
from nghiquyet.ingestion.pipeline import decode_bytes, extract, legacy

CORPUS = Path(__file__).parent / "corpus"
_NEW_TO_OLD = {v: k for k, v in OLD_TO_NEW_TONES.items()}


def _old_tones(text: str) -> str:
    for new, old in _NEW_TO_OLD.items():
        text = text.replace(new, old)
    return text


def _zero_width(text: str, step: int = 7) -> str:
    return "".join(ch + ("\u200b" if i % step == step - 1 else "") for i, ch in enumerate(text))


def variants(name: str, data: bytes) -> Iterator[tuple[str, bytes | str]]:
    """(label, input) pairs for one file; bytes go through ``decode_bytes``."""
    yield name + ":bytes", data
    text = decode_bytes(data, name=name).text
    yield name + ":text", text
    yield name + ":nfd", unicodedata.normalize("NFD", text)
    yield name + ":old", _old_tones(text)
    yield name + ":zw", _zero_width(text)
    yield name + ":zw13", _zero_width(text, 13)
    yield name + ":oneline", text.replace("\n", " ")
    yield name + ":double", text + "\n" + text
    yield name + ":nbsp", text.replace(" ", "\u00a0", 40)
    yield name + ":crlf", text.replace("\n", "\r\n")
    yield name + ":upper", text.upper()
    # Letters IGNORECASE folds beyond ``str.lower`` (the regex fallbacks).
    yield name + ":oddcase", text.replace("a", "ı", 3).replace("K", "\u212a").replace("Đ", "İ", 2)
    yield name + ":oddend", text + " ſ"
    yield name + ":lower", text.lower()
    paras = "".join(f"<p>{line}</p>\n" for line in text.split("\n"))
    yield name + ":html", f"<html><head><title>T</title></head><body>{paras}</body></html>".encode()
    try:
        yield name + ":tcvn3", legacy.unicode_to_tcvn3(text)
        yield name + ":vni", legacy.unicode_to_vni(text)
    except Exception:  # noqa: BLE001 - a character the legacy table lacks
        pass
    yield name + ":utf16", text.encode("utf-16")
    # Control characters: under and over the share that makes input binary.
    yield (
        name + ":ctl20",
        "".join(ch + ("\x01" if i % 20 == 19 else "") for i, ch in enumerate(text)).encode(),
    )
    yield name + ":ctl5", "".join(ch + ("\x1f" if i % 5 == 4 else "") for i, ch in enumerate(text)).encode()
    yield name + ":nul", (text[:50] + "\x00" + text[50:]).encode()
    yield name + ":latin1", text.encode("latin-1", errors="replace")
    yield name + ":cp1258", text.encode("cp1258", errors="replace")
    yield name + ":bom", b"\xef\xbb\xbf" + text.encode()
    rng = random.Random(name)
    for k in range(25):
        i = rng.randrange(len(text) + 1)
        j = min(len(text), i + rng.randrange(1, 400))
        yield f"{name}:slice{k}", text[i:j]
    for k in range(10):
        i = rng.randrange(len(text) + 1)
        yield f"{name}:cut{k}", text[:i]


_ODD_PIECES = [
    "ı", "İ", "Σ", "ſ", "\u212a", "\u200b", "o\u0300a", "hoà", "uỷ", "\xa0", "\t", "-", "/", ":", "(", ")",
    ".", ",", ";", "\n", "\n\n", "19", "2020", "30/6", "đồng chủ trì", "Chủ Trì", "\x1f", "12h30", "Quý II",
]  # fmt: skip


def fuzz_texts(n: int = 300, seed: int = 1) -> Iterator[tuple[str, str]]:
    """``n`` random texts made of the corpus's words and odd pieces."""
    texts = [decode_bytes(p.read_bytes(), name=p.name).text for p in sorted(CORPUS.iterdir()) if p.is_file()]
    toks = [w for t in texts for w in t.replace("\n", " \n ").split(" ")]
    rng = random.Random(seed)
    for i in range(n):
        parts = [
            rng.choice(toks) if rng.random() < 0.85 else rng.choice(_ODD_PIECES)
            for _ in range(rng.randrange(1, 120))
        ]
        yield f"fuzz{i}", "".join(p + rng.choice([" ", " ", " ", "", "\n", "  "]) for p in parts)


def inputs(dirs: list[Path]) -> Iterator[tuple[str, str, str, dict | None]]:
    """(label, text, source, hints) of every variant of every file in
    ``dirs`` and of the fuzz texts, as ``extract`` takes them; a variant
    that cannot be decoded gives its error as the text, with source "".
    """
    for label, text in fuzz_texts():
        yield label, text, "x", None
    for d in dirs:
        for path in sorted(p for p in d.iterdir() if p.is_file()):
            for label, item in variants(path.name, path.read_bytes()):
                if isinstance(item, bytes):
                    try:
                        dec = decode_bytes(item, name=path.name if label.endswith(":bytes") else "")
                    except Exception as err:  # noqa: BLE001
                        yield label, f"error {type(err).__name__}", "", None
                        continue
                    yield label, dec.text, path.name, dec.hints
                else:
                    yield label, item, path.name, None


def run(dirs: list[Path]) -> dict[str, str]:
    """Label → JSON output of every variant of every file in ``dirs``, and of the fuzz texts."""
    out: dict[str, str] = {}
    for label, text, source, hints in inputs(dirs):
        if not source:
            out[label] = text
            continue
        out[label] = json.dumps(extract(text, source, hints=hints), ensure_ascii=False, sort_keys=False)
    return out


SNAPSHOTS = Path(__file__).parent / "snapshots"
FUZZ_GROUP = "fuzz"


def _group(label: str) -> str:
    """The snapshot file a label's output is kept in (the corpus file's name, or the fuzz group)."""
    return label.rsplit(":", 1)[0] if ":" in label else FUZZ_GROUP


def _render(output: str) -> str:
    """One output as JSON with one line per top-level key and per fact (an
    input that could not be decoded: its error, as a JSON string)."""
    if not output.startswith("{"):
        return json.dumps(output, ensure_ascii=False)
    obj = json.loads(output)
    if not isinstance(obj, dict) or not obj:
        return json.dumps(obj, ensure_ascii=False)
    lines = []
    for key, value in obj.items():
        head = f"  {json.dumps(key, ensure_ascii=False)}: "
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f"{head}[\n{items}\n  ]")
        else:
            lines.append(head + json.dumps(value, ensure_ascii=False))
    return "{\n" + ",\n".join(lines) + "\n}"


def snapshot_files(outputs: dict[str, str]) -> dict[str, str]:
    """File name → text of the readable snapshots of ``outputs`` (label → JSON output)."""
    groups: dict[str, list[str]] = {}
    for label in outputs:
        groups.setdefault(_group(label), []).append(label)
    files = {}
    for group, labels in groups.items():
        seen: dict[str, str] = {}
        entries = []
        for label in labels:
            output = outputs[label]
            if output in seen:
                body = json.dumps({"same_as": seen[output]}, ensure_ascii=False)
            else:
                seen[output] = label
                body = _render(output)
            entries.append(f"{json.dumps(label, ensure_ascii=False)}: {body}")
        files[group + ".json"] = "{\n" + ",\n".join(entries) + "\n}\n"
    return files


def write_snapshots(outputs: dict[str, str], directory: Path = SNAPSHOTS) -> None:
    """Replace the snapshots in ``directory`` with those of ``outputs``."""
    directory.mkdir(exist_ok=True)
    files = snapshot_files(outputs)
    for old in directory.glob("*.json"):
        if old.name not in files:
            old.unlink()
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")


def load_snapshots(directory: Path = SNAPSHOTS) -> dict[str, str]:
    """Label → JSON output, as ``run`` gives it, from the snapshots in ``directory``."""
    out: dict[str, str] = {}
    for path in sorted(directory.glob("*.json")):
        for label, value in json.loads(path.read_text(encoding="utf-8")).items():
            if isinstance(value, dict) and list(value) == ["same_as"]:
                out[label] = out[value["same_as"]]
            elif isinstance(value, str):
                out[label] = value
            else:
                out[label] = json.dumps(value, ensure_ascii=False, sort_keys=False)
    return out


def differences(got: dict[str, str], want: dict[str, str], *, shown: int = 5) -> list[str]:
    """The labels whose output differs (or exists on one side only), each with a
    line diff of its readable form for the first ``shown`` of them."""
    bad = sorted(k for k in want.keys() | got.keys() if got.get(k) != want.get(k))
    report = []
    for i, label in enumerate(bad):
        if i >= shown or label not in got or label not in want:
            report.append(
                label + (" (missing)" if label not in got else " (new)" if label not in want else "")
            )
            continue
        diff = difflib.unified_diff(
            _render(want[label]).splitlines(),
            _render(got[label]).splitlines(),
            "pinned",
            "now",
            lineterm="",
            n=0,
        )
        report.append(label + "\n" + "\n".join(diff))
    return report


def main(argv: list[str]) -> int:
    """Write (``snapshot``) or compare (``check``) the outputs."""
    if argv == ["pin"]:
        write_snapshots(run([CORPUS]))
        return 0
    mode, target, *extra = argv
    got = run([CORPUS, *map(Path, extra)])
    if mode == "snapshot":
        Path(target).write_text(json.dumps(got, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(got)} outputs written")
        return 0
    want = json.loads(Path(target).read_text(encoding="utf-8"))
    bad = [k for k in want if got.get(k) != want[k]] + [k for k in got if k not in want]
    digest = hashlib.sha256("".join(got[k] for k in sorted(got)).encode()).hexdigest()[:16]
    for k in bad[:20]:
        print("DIFF", k)
    print(f"{len(got)} outputs, {len(bad)} differ, digest {digest}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
