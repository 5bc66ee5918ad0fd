"""References to numbered documents: resolutions, directives, decrees…

Party signs read "04-NQ/TW" (number, type, issuer); state signs read
"01/CT-UBND" or "09/2019/NĐ-CP". Spacing varies ("05 - CT/TW",
"470- QĐNS/TW"). A list "số 03-NQ/TU, 04-NQ/TU" names several documents;
a later "Kết luận số 24" is the same document as an earlier "Kết luận số
24-KL/TW". Named documents without a number ("Nghị quyết Đại hội XIII
của Đảng") are reported apart, as they are not numbered references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from nghiquyet.ingestion.pipeline.dates import DateMention
from nghiquyet.ingestion.pipeline.lexicon import LETTER, LOWER, ROMAN, TITLE_LOWER_WORDS, UPPER
from nghiquyet.ingestion.pipeline.scan import trie_pattern
from nghiquyet.ingestion.pipeline.spans import SpanSet
from nghiquyet.ingestion.pipeline.triggers import Triggers, scan_matches

# Kind words, as written in prose (first letter either case).
KIND_WORDS = {
    "nghị quyết": "nghi_quyet",
    "chỉ thị": "chi_thi",
    "kết luận": "ket_luan",
    "chương trình": "chuong_trinh",
    "kế hoạch": "ke_hoach",
    "quyết định": "quyet_dinh",
    "quy định": "quy_dinh",
    "hướng dẫn": "huong_dan",
    "thông báo": "thong_bao",
    "báo cáo": "bao_cao",
    "công văn": "cong_van",
    "tờ trình": "to_trinh",
    "thông tri": "thong_tri",
    "nghị định": "nghi_dinh",
    "thông tư": "thong_tu",
    "luật": "luat",
    "thông tư liên tịch": "thong_tu",
    "nghị quyết liên tịch": "nghi_quyet",
    "văn bản": "cong_van",
}
# Type codes inside signs.
TYPE_CODES = {
    "NQ": "nghi_quyet",
    "NQLT": "nghi_quyet",
    "CT": "chi_thi",
    "KL": "ket_luan",
    "CTR": "chuong_trinh",
    "CTHĐ": "chuong_trinh",
    "KH": "ke_hoach",
    "QĐ": "quyet_dinh",
    "QĐNS": "quyet_dinh",
    "QĐI": "quy_dinh",
    "QYĐ": "quy_dinh",
    "HD": "huong_dan",
    "HĐ": "huong_dan",
    "TB": "thong_bao",
    "BC": "bao_cao",
    "CV": "cong_van",
    "TTR": "to_trinh",
    "TT": "thong_tri",
    "NĐ": "nghi_dinh",
    "TTLT": "thong_tu",
}
_STATE_ISSUERS: Final = re.compile(
    r"^(?:UBND|HĐND|CP|TTG|B[A-ZĐ]+|VPCP|QH[0-9]*|TANDTC|VKSNDTC|BNV|BTC|BCA|BQP)", re.I
)

_CODE = rf"[{UPPER}][{UPPER}a-zđ0-9&]*"
# number [/year] then codes joined by - or /; spaces allowed around joints.
_SIGN: Final = re.compile(
    rf"(?P<num>[0-9](?<![{LETTER}0-9/.,-][0-9])[0-9]{{0,4}}[a-z]?)(?:\s?(?P<ysep>/|-(?=(?:19|20)[0-9]{{2}}/))\s?(?P<year>(?:19|20)[0-9]{{2}}))?"
    rf"(?P<rest>(?:\s{{0,2}}[-/]\s{{0,2}}{_CODE}){{1,4}})(?![{LETTER}0-9])"
)
_KIND_FORMS = [f for k in KIND_WORDS for f in {k, k.capitalize(), k.upper()}]
_KIND_ALT = "|".join(re.escape(k) for k in sorted(_KIND_FORMS, key=len, reverse=True))
# A trie starting on literals: the engine skips ahead to the first letters.
_KIND_TRIE = trie_pattern(_KIND_FORMS, not_after=LETTER)
_KIND_RE: Final = re.compile(rf"(?P<kind>{_KIND_TRIE})(?![{LETTER}])")
# "Chỉ thị số 42", "Quyết định số: 36", "Nghị quyết 18" (no sign).
_KIND_NUMBER: Final = re.compile(
    rf"(?P<kind>{_KIND_TRIE})\s+(?:(?:của|do)\s+[^0-9\n,;.:]{{0,40}}?\s+)?(?P<so>số\s*:?\s*)?"
    rf"(?P<num>[0-9]{{1,5}}[a-z]?)(?![0-9{LETTER}]|\s?[-/]\s?(?:[0-9]|[{UPPER}]))",
)
_QH: Final = re.compile(r"QH[0-9]+")
_JOINT: Final = re.compile(r"\s{0,2}([-/])\s{0,2}(" + _CODE + ")")
_PHRASE_BREAK: Final = re.compile(r"[.;:\n]")
_SO_ONLY: Final = re.compile(r"\s*(?:số)?\s*:?\s*")
_SPACES: Final = re.compile(r"\s+")
_LIST_MORE: Final = re.compile(
    rf"\s*(?:,|và|;)\s*(?:(?P<kind>{_KIND_ALT})\s+)?(?:số\s*)?(?P<num>[0-9]{{1,5}}[a-z]?)"
    rf"(?![0-9{LETTER}]|\s?[-/]\s?(?:[0-9]|[{UPPER}]))"
)
_NOT_NUMBER_AFTER: Final = re.compile(r"\s*(?:năm|tháng|ngày|tuần|giờ|%|lần)\b", re.IGNORECASE)
# A lower-case word after "kind number" that is not one of the words
# that go on after a document's number: the number counts that noun.
_COUNTED_AFTER: Final = re.compile(
    rf"\s+(?!(?:của|ngày|về|và|khóa|khoá|do|đã|được|là|trong|tại|với|này|nhằm|ban|theo|mà|có|đề|cũng|hoặc|hay|"
    rf"trước|sau|thì|đến|từ|tới|vẫn|sẽ|đang|nêu|nói|quy|đối|trên|cùng|bằng|kèm|ngay|vừa|hướng|nay|qua)(?![{LETTER}]))"
    rf"[{LOWER}]"
)
_ISSUED: Final = re.compile(r"\s*,?\s*(?:ban hành\s+)?(?:ngày\s+)", re.IGNORECASE)
_ISSUER_LEAD: Final = re.compile(
    r"\s*,?\s*(?:ngày\s+[0-9/ ]+(?:tháng\s+[0-9]+\s+năm\s+[0-9]+)?\s*,?\s*)?(?:của|do)\s+(?=[A-ZĐÀ-Ỹ])"
)
_ISSUER_WORD: Final = re.compile(rf" ?([{LETTER}]+\.?)")
_NAMED: Final = re.compile(
    rf"Nghị quyết (?:Đại hội|Hội nghị)(?: (?:đại biểu|toàn quốc|lần thứ|Đảng bộ|Đảng|tỉnh|huyện|xã|thành phố|"
    rf"[{UPPER}][{LETTER}]*|{ROMAN}|[0-9]+)){{0,12}}?(?: lần thứ (?:{ROMAN}|[0-9]+)| {ROMAN}| khóa {ROMAN})"
    rf"(?: của Đảng(?: bộ(?: [{UPPER}][{LETTER}]*| tỉnh| huyện| xã)*)?)?"
)


@dataclass
class Document:
    """A numbered document named in the text."""

    kind: str
    number: str
    symbol: str | None
    start: int
    end: int
    issued: str | None = None
    issuer: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    date_spans: list[tuple[int, int]] = field(default_factory=list)


def issuer_at(text: str, pos: int) -> str | None:
    """The body named after a document ("của Ban Chấp hành Trung ương Đảng khóa XII")."""
    m = _ISSUER_LEAD.match(text, pos)
    if not m:
        return None
    words: list[str] = []
    p = m.end()
    while len(words) < 14:
        w = _ISSUER_WORD.match(text, p)
        if not w:
            break
        word = w.group(1).rstrip(".")
        if word[0].isupper() or word in TITLE_LOWER_WORDS and word not in ("và", "các", "cho", "dự"):
            words.append(word)
            p = w.end()
            if w.group(1).endswith("."):
                break
            continue
        break
    while (
        words
        and words[-1][0].islower()
        and words[-1] not in ("tỉnh", "huyện", "xã", "phường", "trị", "hành", "ương", "vụ", "dân")
    ):
        words.pop()
    return " ".join(words) or None


def _after_kind(text: str, kind_start: int, sign_start: int) -> str:
    """What stands between a kind word and the sign ("số ", ": ")."""
    m = _KIND_RE.match(text, kind_start)
    return text[m.end() : sign_start] if m else "x"


def _kind_from_codes(codes: list[str], state: bool) -> str | None:
    first = codes[0].upper()
    if first in ("TT",) and state:
        return "thong_tu"
    if first in TYPE_CODES:
        return TYPE_CODES[first]
    if _QH.fullmatch(first):
        return "luat"
    return None


def _parse_sign(m: re.Match) -> tuple[str, str, str | None] | None:
    """(symbol, number, kind) of a sign, or None when it is not one."""
    rest = m.group("rest")
    joints = _JOINT.findall(rest)
    codes = [c for _, c in joints]
    if not codes:
        return None
    first_joint = joints[0][0]
    state = first_joint == "/" or m.group("year") is not None
    if first_joint == "-" and len(codes) < 2 and not state:
        return None  # "Covid-19"-like: a Party sign always has "/ISSUER"
    kind = _kind_from_codes(codes, state)
    if kind is None and state and _STATE_ISSUERS.match(codes[0]):
        kind = "cong_van"  # "123/UBND-VX": state letters carry no type code
    num = m.group("num")
    year = m.group("ysep") + m.group("year") if m.group("year") else ""
    symbol = num + year + "".join([j + c for j, c in joints])
    return symbol, num, kind


def trigger_words() -> dict[str, list[str]]:
    """The words the scan for "kind + number" starts on (see ``triggers``)."""
    return {"documents.kind": _KIND_FORMS}


def find_documents(
    text: str, dates: list[DateMention], default_year: int | None = None, triggers: Triggers | None = None
) -> list[Document]:
    """Every numbered document referred to in ``text``, each once.

    ``triggers`` (``TriggerFinder.find(text)``) spares the scan for kind
    words; without it the text is scanned here, with the same result."""
    docs: list[Document] = []
    by_symbol: dict[str, Document] = {}
    taken: list[tuple[int, int]] = []

    def kind_before(pos: int) -> tuple[str | None, int]:
        """The kind word closest before ``pos`` in the same phrase."""
        window = text[max(0, pos - 60) : pos]
        best = None
        for km in _KIND_RE.finditer(window):
            between = window[km.end() :]
            if len(between) > 45 or _PHRASE_BREAK.search(between):
                continue
            best = km
        if best is None:
            return None, pos
        return KIND_WORDS[best.group("kind").lower()], max(0, pos - 60) + best.start()

    def attach(doc: Document, end: int) -> None:
        m = _ISSUED.match(text, end)
        if m:
            for d in dates:
                if m.end() - 6 <= d.start <= m.end() + 1 and d.kind == "day":
                    if d.year or default_year:
                        doc.issued = doc.issued or d.iso(default_year)
                    doc.date_spans.append((d.start, d.end))
                    break
        if not doc.issuer:
            doc.issuer = issuer_at(text, end)

    for m in _SIGN.finditer(text):
        parsed = _parse_sign(m)
        if parsed is None:
            continue
        symbol, num, kind = parsed
        word_kind, start = kind_before(m.start())
        if kind is None or (word_kind and _SO_ONLY.fullmatch(_after_kind(text, start, m.start()))):
            # "Quy định số 144-QĐ/TW": the word says more than the code.
            kind = word_kind or kind
        if kind is None:
            continue
        if word_kind is None or start < m.start() - 60:
            start = m.start()
        compact = _SPACES.sub("", symbol)
        # "04-KH/TW" and "4-KH/TW" are one sign.
        key = compact.upper().lstrip("0")
        taken.append((m.start(), m.end()))
        if key in by_symbol:
            by_symbol[key].mentions.append((m.start(), m.end()))
            continue
        doc = Document(kind, num, compact, start, m.end(), mentions=[(m.start(), m.end())])
        attach(doc, m.end())
        by_symbol[key] = doc
        docs.append(doc)

    claimed = SpanSet(taken)
    by_number: dict[tuple[str, str], Document] = {}
    for doc in docs:
        by_number.setdefault((doc.kind, doc.number.lstrip("0")), doc)

    def add_plain(kind: str, num: str, s: int, e: int, kstart: int) -> None:
        if claimed.covers(s):
            return
        claimed.add(s, e)
        same = by_number.get((kind, num.lstrip("0")))
        if same is not None:
            same.mentions.append((s, e))
            return
        doc = Document(kind, num, None, kstart, e, mentions=[(s, e)])
        attach(doc, e)
        docs.append(doc)
        by_number[(kind, num.lstrip("0"))] = doc

    kind_numbers = scan_matches(_KIND_NUMBER, text, triggers, "documents.kind")
    for m in kind_numbers:
        num = m.group("num")
        if not m.group("so"):
            # "Kế hoạch 5 năm", "Nghị quyết 2020": not numbers of documents;
            # "kỷ luật 4 đồng chí", "kế hoạch 3 tháng": a count of a noun.
            if _NOT_NUMBER_AFTER.match(text, m.end()) or len(num) >= 4:
                continue
            if m.group("kind") == "luật" or _COUNTED_AFTER.match(text, m.end()):
                continue
        kind = KIND_WORDS[m.group("kind").lower()]
        add_plain(kind, num, m.start("num"), m.end("num"), m.start())
        pos = m.end()
        while True:
            more = _LIST_MORE.match(text, pos)
            if not more or _NOT_NUMBER_AFTER.match(text, more.end()):
                break
            k2 = KIND_WORDS[more.group("kind").lower()] if more.group("kind") else kind
            add_plain(k2, more.group("num"), more.start("num"), more.end("num"), more.start("num"))
            pos = more.end()
    docs.sort(key=lambda d: d.start)
    return docs


def find_named_documents(text: str) -> list[tuple[str, int, int]]:
    """Documents named without a number ("Nghị quyết Đại hội XIII của Đảng")."""
    seen: dict[str, tuple[str, int, int]] = {}
    for m in _NAMED.finditer(text):
        title = " ".join(m.group().split())
        seen.setdefault(title.lower(), (title, m.start(), m.end()))
    return list(seen.values())
