"""The whole pipeline: text in, facts out, in the extraction contract."""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Final

from nghiquyet.ingestion.pipeline import documents as documents_stage
from nghiquyet.ingestion.pipeline import meetings as meetings_stage
from nghiquyet.ingestion.pipeline import people as people_stage
from nghiquyet.ingestion.pipeline import places as places_stage
from nghiquyet.ingestion.pipeline.dates import DateMention, find_dates, infer_year
from nghiquyet.ingestion.pipeline.documents import Document, find_documents, find_named_documents
from nghiquyet.ingestion.pipeline.figures import Figure, find_figures
from nghiquyet.ingestion.pipeline.furniture import Cleaned, strip_furniture
from nghiquyet.ingestion.pipeline.lexicon import LETTER, UPPER
from nghiquyet.ingestion.pipeline.meetings import Meeting, find_meetings
from nghiquyet.ingestion.pipeline.merges import Merge, find_merges
from nghiquyet.ingestion.pipeline.normalize import Normalized, new_tone_style, normalize
from nghiquyet.ingestion.pipeline.people import Person, find_people
from nghiquyet.ingestion.pipeline.places import (
    Organisation,
    Place,
    find_organisations,
    find_places,
    unique_places,
)
from nghiquyet.ingestion.pipeline.triggers import TriggerFinder

_TITLE_LINE: Final = re.compile(r"[^\n]*\S[^\n]*")
# An official document's layout: the issuing body and the motto ("ĐẢNG CỘNG
# SẢN VIỆT NAM"), the sign, the place and date ("Phú Thọ, ngày 18 tháng 6 năm
# 2025"), then the kind in capitals ("BÁO CÁO") over lines of subject. Its
# first line is the issuing body, not a title.
_MOTTO: Final = re.compile(
    r"^[ \t]*(?:ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM)[ \t]*$", re.MULTILINE
)
_PLACE_DATE: Final = re.compile(
    rf"^[ \t]*[{UPPER}][{LETTER} ]{{1,40}}, ngày ([0-9]{{1,2}}) tháng ([0-9]{{1,2}}) năm ([0-9]{{4}})[ \t]*$",
    re.MULTILINE,
)
_KIND_LINE: Final = re.compile(
    r"^[ \t]*(?:BÁO CÁO|NGHỊ QUYẾT|KẾT LUẬN|CHỈ THỊ|KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|QUY ĐỊNH|HƯỚNG DẪN|"
    r"THÔNG BÁO|TỜ TRÌNH|THÔNG TRI|CÔNG VĂN)[ \t]*$",
    re.MULTILINE,
)
_HEADER_SPAN: Final = 1500


@lru_cache(maxsize=1)
def trigger_finder() -> TriggerFinder:
    """One automaton over the words every stage's scans start on."""
    return TriggerFinder(
        {
            **people_stage.trigger_words(),
            **meetings_stage.trigger_words(),
            **documents_stage.trigger_words(),
            **places_stage.trigger_words(),
        }
    )


def _title(cleaned: str, hints: dict, header: str | None = None) -> tuple[str, int, int] | None:
    """The text's title: an official document's ``header`` title
    (``_official_header``) when it has one, else its first line, when that
    line reads as one."""
    if header:
        return header, 0, 0
    m = _TITLE_LINE.search(cleaned)
    if not m:
        return None
    line = m.group().strip()
    start = m.start() + m.group().index(line[0])
    if hints.get("title") and " ".join(hints["title"].split()) == " ".join(line.split()):
        return line, start, start + len(line)
    words = line.split()
    if not (3 <= len(words) <= 40) or len(line) > 250:
        return None
    if line[-1] in ".;:,…" or line.endswith("./."):
        return None
    if line[0].islower() or line[0].isdigit():
        return None
    return line, start, start + len(line)


def _official_header(cleaned: str) -> tuple[str | None, str | None]:
    """(title, ISO date) of an official document's header, or Nones when the
    text does not open with one: the title is the kind line and the subject
    lines under it, up to a blank or a rule ("-----", "*")."""
    head = cleaned[:_HEADER_SPAN]
    # Both mottos end in "VIỆT NAM": a substring search spares the line scan.
    motto = _MOTTO.search(head) if "VIỆT NAM" in head else None
    if not motto:
        return None, None
    published = None
    when = _PLACE_DATE.search(head)
    if when:
        day, month, year = (int(g) for g in when.groups())
        if 1 <= day <= 31 and 1 <= month <= 12:
            published = f"{year:04d}-{month:02d}-{day:02d}"
    kind = _KIND_LINE.search(head)
    if not kind:
        return None, published
    parts = [kind.group().strip()]
    for line in cleaned[kind.end() :].split("\n")[1:8]:
        line = " ".join(line.split())
        if not line or not line.strip("-*_=. "):
            break
        parts.append(line)
    return (" ".join(parts) if len(parts) > 1 else None), published


def _with_signers(people: list[Person], signers: list[tuple[str, str, int, int]]) -> list[Person]:
    """``people`` with each signer of the document, and the position signed as."""
    for name, title, s, e in signers:
        person = next((p for p in people if _key(p.name) == _key(name)), None)
        if person is None:
            people.append(Person(name, [title], [(s, e)]))
            continue
        if (s, e) not in person.spans:
            person.spans.append((s, e))
        if all(_key(t) != _key(title) for t in person.titles):
            person.titles.append(title)
    return people


def _iso_hint(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)


def warm_up() -> None:
    """Load what the stages read now (the unit data, the automaton over
    their words) and take every object alive from the garbage collector's
    rounds (``gc.freeze``), for a process that goes on to read many texts
    (``nghiquyet extract``, the benchmark).

    The unit data is some 36,000 objects; each full collection while texts
    are read would walk them all again (about 25 ms a time, several times a
    second). Frozen objects are still freed when nothing refers to them; they
    are only no longer searched for reference cycles.
    """
    trigger_finder()
    places_stage.gazetteer()
    gc.freeze()


# A batch holds up to this many texts, or stops once it holds this many
# characters: large enough that each stage's tables and patterns stay in the
# processor's caches for the whole batch, small enough that memory stays flat.
BATCH_TEXTS: Final = 64
BATCH_CHARS: Final = 1_000_000


def extract(text: str, source: str | None = None, *, hints: dict | None = None) -> dict:
    """Extract facts from ``text`` (the text as read) into the contract.

    Every span is an offset range of ``text``. Extra keys beyond the
    contract: ``named_documents``, ``merges``, ``sources``, ``places``
    (administrative units with their official code when the name resolves),
    ``organisations`` (Party and state bodies) and, in each meeting,
    ``kind``, ``organiser`` and ``chairs``.
    """
    return _extract_batch([text], [source], [hints or {}])[0]


def extract_many(
    items: Iterable[tuple[str, str | None, dict | None]],
    *,
    batch_texts: int = BATCH_TEXTS,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[dict]:
    """``extract(text, source, hints=hints)`` for each ``(text, source, hints)``
    of ``items``, in order, with the same results.

    The texts are taken in batches (``batch_texts`` texts, or fewer once they
    hold ``batch_chars`` characters) and each stage runs over the whole batch before the next
    stage starts: one stage's patterns, automaton and tables stay in the
    processor's caches from one text to the next, where one text at a time
    would go through every stage and evict them. Memory stays that of one
    batch however many texts there are; a result comes once its batch is done.

    Should a stage fail on one text of a batch, the batch is read again
    one text at a time: the texts before it still give their facts, and the
    error comes where ``extract`` would raise it.
    """
    texts: list[str] = []
    sources: list[str | None] = []
    hints_list: list[dict] = []
    chars = 0
    for text, source, hints in items:
        texts.append(text)
        sources.append(source)
        hints_list.append(hints or {})
        chars += len(text)
        if len(texts) >= batch_texts or chars >= batch_chars:
            yield from _batch_results(texts, sources, hints_list)
            texts, sources, hints_list = [], [], []
            chars = 0
    if texts:
        yield from _batch_results(texts, sources, hints_list)


def _batch_results(texts: list[str], sources: list[str | None], hints_list: list[dict]) -> Iterator[dict]:
    """``_extract_batch``, or, if it fails, each text on its own."""
    results: list[dict] | None
    try:
        results = _extract_batch(texts, sources, hints_list)
    except Exception:  # noqa: BLE001 - the text that causes it raises it again below
        results = None
    if results is not None:
        yield from results
        return
    for i in range(len(texts)):
        yield _extract_batch([texts[i]], [sources[i]], [hints_list[i]])[0]


def _extract_batch(texts: list[str], sources: list[str | None], hints_list: list[dict]) -> list[dict]:
    """Facts of each text, stage by stage over all of them."""
    n = len(texts)
    finder = trigger_finder()
    norms = [normalize(text) for text in texts]
    cleaned = [strip_furniture(norm.text) for norm in norms]
    bodies = [c.text for c in cleaned]
    headers = [_official_header(body) for body in bodies]
    published = [
        c.published or headers[i][1] or _iso_hint(hints_list[i].get("published"))
        for i, c in enumerate(cleaned)
    ]
    triggers = [finder.find(body) for body in bodies]
    dates = [find_dates(body) for body in bodies]
    documents = [
        find_documents(bodies[i], dates[i], infer_year(dates[i], published[i]), triggers[i]) for i in range(n)
    ]
    default_years = [_default_year(dates[i], documents[i], published[i]) for i in range(n)]
    named = [find_named_documents(body) for body in bodies]
    found_people = [find_people(bodies[i], triggers[i]) for i in range(n)]
    people = [_with_signers(found_people[i][0], cleaned[i].signers) for i in range(n)]
    doc_spans = [[span for d in docs for span in d.mentions] for docs in documents]
    named_spans = [[(s, e) for _, s, e in found] for found in named]
    figures = [
        find_figures(bodies[i], [(d.start, d.end) for d in dates[i]] + doc_spans[i] + named_spans[i])
        for i in range(n)
    ]
    meetings = [
        find_meetings(
            bodies[i],
            dates[i],
            found_people[i][1],
            default_years[i],
            published[i],
            named_spans[i] + doc_spans[i] + [span for d in documents[i] for span in d.date_spans],
            triggers[i],
        )
        for i in range(n)
    ]
    merges = [find_merges(body) for body in bodies]
    mentioned = [
        find_places(
            bodies[i],
            default_years[i],
            [(m.start, m.end, m.parts) for m in merges[i]],
            every=True,
            triggers=triggers[i],
        )
        for i in range(n)
    ]
    organisations = [find_organisations(bodies[i], mentioned[i], triggers[i]) for i in range(n)]
    return [
        _contract(
            texts[i],
            sources[i],
            norms[i],
            cleaned[i],
            published[i],
            _title(bodies[i], hints_list[i], headers[i][0]),
            meetings[i],
            documents[i],
            people[i],
            figures[i],
            named[i],
            merges[i],
            unique_places(mentioned[i]),
            organisations[i],
        )
        for i in range(n)
    ]


def _default_year(dates: list[DateMention], documents: list[Document], published: str | None) -> int | None:
    """The year of the text's own dates. Issue dates of cited documents are
    history: they do not tell it."""
    doc_dates = {s for d in documents for s, _ in d.date_spans}
    return infer_year([d for d in dates if d.start not in doc_dates], published)


def _contract(
    text: str,
    source: str | None,
    norm: Normalized,
    cleaned: Cleaned,
    published: str | None,
    title: tuple[str, int, int] | None,
    meetings: list[Meeting],
    documents: list[Document],
    people: list[Person],
    figures: list[Figure],
    named: list[tuple[str, int, int]],
    merges: list[Merge],
    places: list[Place],
    organisations: list[Organisation],
) -> dict:
    """One text's facts in the extraction contract, spans mapped back to ``text``."""
    if norm.changed_length:

        def span(s: int, e: int) -> list[int]:
            a, b = norm.span(s, e)
            return [a, b]

    else:
        # Offsets of the normalised text are offsets of the input
        # (``Normalized.span`` maps ``(s, e)`` to ``(s, max(e, s))``).
        def span(s: int, e: int) -> list[int]:
            return [s, e if e > s else s]

    out = {
        "source": source,
        "title": title[0] if title else None,
        "published": published,
        "meetings": [
            {
                "title": m.title,
                "date": m.date,
                "online": m.online,
                "bridge_points": m.bridge_points,
                "kind": m.kind,
                "organiser": m.organiser,
                "chairs": m.chairs,
                "span": span(m.start, m.end),
            }
            for m in meetings
        ],
        "documents": [
            {
                "kind": d.kind,
                "number": d.number,
                "symbol": d.symbol,
                "issued": d.issued,
                "issuer": d.issuer,
                "span": span(d.start, d.end),
            }
            for d in documents
        ],
        "people": [
            {"name": p.name, "titles": p.titles, "spans": [span(s, e) for s, e in p.spans]} for p in people
        ],
        "figures": [
            {"value": f.value, "total": f.total, "unit": f.unit, "span": span(f.start, f.end)}
            for f in figures
        ],
        "authors": cleaned.authors,
        "named_documents": [{"title": t, "span": span(s, e)} for t, s, e in named],
        "merges": [{"unit": m.unit, "parts": m.parts, "span": span(m.start, m.end)} for m in merges],
        "sources": cleaned.sources,
        "places": [
            {"name": p.name, "kind": p.kind, "code": p.code, "legacy": p.legacy, "span": span(p.start, p.end)}
            for p in places
        ],
        "organisations": [
            {"name": o.name, "kind": o.kind, "span": span(o.start, o.end)} for o in organisations
        ],
    }
    if norm.changed_length:
        _drop_unsupported(out, text)
    return out


def _key(text: str) -> str:
    return " ".join(new_tone_style(unicodedata.normalize("NFC", text)).casefold().split())


def _drop_unsupported(out: dict, text: str) -> None:
    """Leave out a document whose number its span in the text as read does
    not hold: characters dropped by normalisation inside the number
    ("0\u200b0") make it a reference no one could be shown or look up."""
    out["documents"] = [d for d in out["documents"] if _key(d["number"]) in _key(text[slice(*d["span"])])]
