"""Measure the extractor on annotated texts: precision, recall and F1.

Gold files are JSON in the extraction contract (one per text, naming the
text in "source"). Matching follows the contract's rules: names and titles
compared after NFC, case folding and new-style tone placement, titles
also with abbreviations written out and as token sets; figures on value,
total and the first words of the unit; documents on the sign, else on
kind and number; meetings on the date. A fact whose span does not hold
what it claims is a provenance error.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from nghiquyet.ingestion.pipeline.normalize import new_tone_style
from nghiquyet.ingestion.pipeline.people import title_key

KINDS = ("documents", "people", "titles", "figures", "meetings")


def _key(text: str) -> str:
    """NFC, new tone style, case-folded, single spaces."""
    return " ".join(new_tone_style(unicodedata.normalize("NFC", text)).casefold().split())


@dataclass
class Score:
    """Counts of true positives, false positives and misses."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: Score) -> Score:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        """Share of predictions that are right (1 when there are none)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of gold facts found (1 when there are none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pair(gold: list, pred: list, same) -> tuple[Score, list[tuple]]:
    """Pair each gold item with the first free prediction it matches."""
    free = list(pred)
    pairs = []
    for g in gold:
        for p in free:
            if same(g, p):
                pairs.append((g, p))
                free.remove(p)
                break
    return Score(len(pairs), len(free), len(gold) - len(pairs)), pairs


def same_title(gold, pred: str) -> bool:
    """A predicted title matches a gold one (or any of a list of forms)."""
    if isinstance(gold, list):
        return any(same_title(g, pred) for g in gold)
    g, p = title_key(gold), title_key(pred)
    if not g or not p:
        return False
    small, large = sorted((g, p), key=len)
    return (small <= large and len(small) >= 0.6 * len(large)) or len(g & p) >= 0.75 * len(g | p)


def same_unit(gold: str, pred: str) -> bool:
    """Units agree on their first words (at least two, or all of a short one)."""
    g, p = _key(gold).split(), _key(pred).split()
    n = min(len(g), len(p))
    return bool(g and p) and g[:n] == p[:n] and n >= min(2, len(g))


def _num(x) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _sign(s: str) -> str:
    return "".join(unicodedata.normalize("NFC", s).split()).upper()


def score_article(gold: dict, pred: dict) -> dict[str, Score]:
    """Scores of one article, by kind of fact."""

    def same_doc(g, p):
        if g.get("symbol"):
            return bool(p.get("symbol")) and _sign(g["symbol"]) == _sign(p["symbol"])
        return p.get("kind") == g["kind"] and str(p.get("number") or "").lstrip("0") == str(
            g["number"]
        ).lstrip("0")

    def same_fig(g, p):
        v, t = _num(p.get("value")), _num(p.get("total"))
        if v is None or not math.isclose(v, g["value"], abs_tol=1e-9):
            return False
        if g.get("total") is not None and (t is None or not math.isclose(t, g["total"])):
            return False
        return same_unit(g["unit"], str(p.get("unit") or ""))

    def same_meeting(g, p):
        want = g.get("date")
        if want is None:
            return True
        return p.get("date") in (want if isinstance(want, list) else [want])

    result = {}
    result["documents"], _ = _pair(gold.get("documents", []), pred.get("documents") or [], same_doc)
    people, pairs = _pair(
        gold.get("people", []),
        pred.get("people") or [],
        lambda g, p: _key(g["name"]) == _key(p.get("name", "")),
    )
    titles = Score()
    paired = {id(g) for g, _ in pairs}
    for g in gold.get("people", []):
        if id(g) not in paired:
            titles.fn += len(g["titles"])
    for g, p in pairs:
        titles += _pair(g["titles"], list(p.get("titles") or []), same_title)[0]
    result["people"], result["titles"] = people, titles
    # Repeats of one figure (same value and unit) count once.
    seen, figures = set(), []
    for f in pred.get("figures") or []:
        k = (_num(f.get("value")), _key(str(f.get("unit") or "")))
        if k not in seen:
            seen.add(k)
            figures.append(f)
    fig, fpairs = _pair(gold.get("figures", []), figures, same_fig)
    ignored = set(gold.get("figures_ignored", []))
    paired_p = {id(p) for _, p in fpairs}
    fig.fp -= sum(1 for f in figures if id(f) not in paired_p and _num(f.get("value")) in ignored)
    result["figures"] = fig
    result["meetings"], _ = _pair(gold.get("meetings", []), pred.get("meetings") or [], same_meeting)
    return result


def provenance_errors(pred: dict, text: str) -> list[str]:
    """Facts whose span is missing, outside the text, or lacks the fact."""
    errors = []

    def check(kind: str, item: dict, needle: str) -> None:
        spans = item.get("spans") if "spans" in item else ([item["span"]] if item.get("span") else [])
        if not spans:
            errors.append(f"{kind} without a span")
        for s, e in spans or []:
            if not (0 <= s < e <= len(text)):
                errors.append(f"{kind} span [{s}, {e}] outside the text")
            elif needle and _key(needle) not in _key(text[s:e]):
                errors.append(f"{kind} span [{s}, {e}] does not hold {needle!r}")

    for d in pred.get("documents") or []:
        check("document", d, str(d.get("number") or ""))
    for p in pred.get("people") or []:
        check("person", p, p.get("name", ""))
    for f in pred.get("figures") or []:
        check("figure", f, "")
    for m in pred.get("meetings") or []:
        check("meeting", m, "")
    return errors


def evaluate(gold_dir: Path, predictions: dict[str, dict], texts: dict[str, str]) -> tuple[dict, list[str]]:
    """Totals by kind over every gold file, and report lines to print."""
    totals = {k: Score() for k in KINDS}
    lines = [f"{'article':<32}" + "".join(f"{k:>11}" for k in KINDS) + "  spans"]
    bad = 0
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        source = gold["source"]
        pred = predictions.get(source, {})
        row = score_article(gold, pred)
        errors = provenance_errors(pred, texts.get(source, "")) if pred else ["no prediction"]
        bad += len(errors)
        for k in KINDS:
            totals[k] += row[k]
        lines.append(
            f"{source[:31]:<32}"
            + "".join(f"{row[k].tp:>4}/{row[k].fp:>2}/{row[k].fn:>2} " for k in KINDS)
            + f"  {len(errors)}"
        )
    lines.append("(each cell: true positives / false positives / missed)")
    for k in KINDS:
        t = totals[k]
        lines.append(f"{k:<10} precision {t.precision:.3f}  recall {t.recall:.3f}  F1 {t.f1:.3f}")
    overall = sum(totals[k].f1 for k in KINDS) / len(KINDS)
    parts = " ".join(f"{k} {totals[k].f1:.3f}" for k in KINDS)
    lines.append(f"overall F1 {overall:.3f} ({parts}) provenance errors {bad}")
    return {"overall": overall, "provenance_errors": bad, **{k: totals[k] for k in KINDS}}, lines
