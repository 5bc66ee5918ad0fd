"""Document signs (số, ký hiệu), parsed and formatted both ways.

Party documents (Hướng dẫn 36-HD/VPTW, 2018): ``number-KIND/ISSUER``,
"79-CTr/TU", "04-NQ/TW"; numbers restart each committee term.
State documents (Nghị định 30/2020/NĐ-CP, Phụ lục III): ``number/KIND-ISSUER``,
"36/QĐ-UBND", with the year for legal documents, "09/2019/NĐ-CP"; a công
văn has no kind, "123/UBND-VX"; laws and National Assembly resolutions read
"59/2020/QH14". Numbers restart each year.

Pure Python, no Django import: the ingestion pipeline uses these too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from nghiquyet.core.text import fold

__all__ = [
    "DOCUMENT_KINDS",
    "KIND_ABBR",
    "DocumentSign",
    "SignError",
    "kind_from_abbr",
    "kind_label",
    "parse_sign",
]

SignStyle = Literal["party", "state"]

DOCUMENT_KINDS: list[tuple[str, str]] = [
    ("nghi_quyet", "Nghị quyết"),
    ("chi_thi", "Chỉ thị"),
    ("ket_luan", "Kết luận"),
    ("chuong_trinh", "Chương trình"),
    ("ke_hoach", "Kế hoạch"),
    ("quyet_dinh", "Quyết định"),
    ("quy_dinh", "Quy định"),
    ("huong_dan", "Hướng dẫn"),
    ("thong_bao", "Thông báo"),
    ("bao_cao", "Báo cáo"),
    ("cong_van", "Công văn"),
    ("to_trinh", "Tờ trình"),
    ("thong_tri", "Thông tri"),
    ("nghi_dinh", "Nghị định"),
    ("thong_tu", "Thông tư"),
    ("luat", "Luật"),
]
_KIND_LABELS = dict(DOCUMENT_KINDS)

# Canonical abbreviation of each kind in each style; None where that side
# does not issue the kind. The state công văn has no abbreviation (""); a
# law's "QH" is really its issuer part ("59/2020/QH14").
KIND_ABBR: dict[str, dict[str, str | None]] = {
    "nghi_quyet": {"party": "NQ", "state": "NQ"},
    "chi_thi": {"party": "CT", "state": "CT"},
    "ket_luan": {"party": "KL", "state": None},
    "chuong_trinh": {"party": "CTr", "state": "CTr"},
    "ke_hoach": {"party": "KH", "state": "KH"},
    "quyet_dinh": {"party": "QĐ", "state": "QĐ"},
    # Hướng dẫn 36 gives "QĐi" for a Party quy định (many central ones since
    # 2019 are signed "-QĐ/TW" all the same); Nghị định 30 gives "QyĐ".
    "quy_dinh": {"party": "QĐi", "state": "QyĐ"},
    "huong_dan": {"party": "HD", "state": "HD"},
    "thong_bao": {"party": "TB", "state": "TB"},
    "bao_cao": {"party": "BC", "state": "BC"},
    "cong_van": {"party": "CV", "state": ""},
    "to_trinh": {"party": "TTr", "state": "TTr"},
    "thong_tri": {"party": "TT", "state": None},
    "nghi_dinh": {"party": None, "state": "NĐ"},
    "thong_tu": {"party": None, "state": "TT"},
    "luat": {"party": None, "state": "QH"},
}

# Every abbreviation read, per style, with the kind it means (None: a real
# kind of document that the product does not track, e.g. a đề án).
_PARTY_ABBR: dict[str, str | None] = {
    "NQ": "nghi_quyet",
    "NQLT": "nghi_quyet",
    "CT": "chi_thi",
    "KL": "ket_luan",
    "CTr": "chuong_trinh",
    "KH": "ke_hoach",
    "QĐ": "quyet_dinh",
    "QĐNS": "quyet_dinh",  # quyết định nhân sự, "470-QĐNS/TW"
    "QĐi": "quy_dinh",
    "HD": "huong_dan",
    "HDLT": "huong_dan",
    "TB": "thong_bao",
    "BC": "bao_cao",
    "CV": "cong_van",
    "TTr": "to_trinh",
    "TT": "thong_tri",
    "QC": None,  # quy chế
    "ĐA": None,  # đề án
    "PA": None,  # phương án
    "BB": None,  # biên bản
    "GM": None,  # giấy mời
    "GGT": None,  # giấy giới thiệu
    "TC": None,  # thư công
}
_STATE_ABBR: dict[str, str | None] = {
    "NQ": "nghi_quyet",
    "NQLT": "nghi_quyet",
    "QĐ": "quyet_dinh",
    "CT": "chi_thi",
    "QyĐ": "quy_dinh",
    "TB": "thong_bao",
    "HD": "huong_dan",
    "CTr": "chuong_trinh",
    "KH": "ke_hoach",
    "BC": "bao_cao",
    "TTr": "to_trinh",
    "NĐ": "nghi_dinh",
    "TT": "thong_tu",
    "TTLT": "thong_tu",
    "QH": "luat",
    "QC": None,  # quy chế
    "TC": None,  # thông cáo
    "PA": None,  # phương án
    "ĐA": None,  # đề án
    "DA": None,  # dự án
    "BB": None,  # biên bản
    "HĐ": None,  # hợp đồng
    "CĐ": None,  # công điện
    "GN": None,  # bản ghi nhớ
    "TTh": None,  # bản thỏa thuận
    "GUQ": None,  # giấy ủy quyền
    "GM": None,  # giấy mời
    "GGT": None,  # giấy giới thiệu
    "GNP": None,  # giấy nghỉ phép
    "PG": None,  # phiếu gửi
    "PC": None,  # phiếu chuyển
    "PB": None,  # phiếu báo
}
_BY_UPPER = {
    "party": {k.upper(): k for k in _PARTY_ABBR},
    "state": {k.upper(): k for k in _STATE_ABBR},
}
_TABLES: dict[str, dict[str, str | None]] = {"party": _PARTY_ABBR, "state": _STATE_ABBR}


class SignError(ValueError):
    """A document sign that cannot be read; the message is Vietnamese."""


def kind_label(kind: str) -> str:
    """Vietnamese label of a kind code: "nghi_quyet" → "Nghị quyết"."""
    return _KIND_LABELS[kind]


def _canonical_abbr(abbr: str, style: str) -> str | None:
    return _BY_UPPER[style].get(_clean(abbr).upper())


def kind_from_abbr(abbr: str, style: SignStyle | None = None) -> str | None:
    """The kind code an abbreviation stands for: "NQ" → "nghi_quyet",
    "CTr" → "chuong_trinh", "QĐi" → "quy_dinh", "NĐ" → "nghi_dinh".

    Case-insensitive. "TT" is a thông tri on a Party document and a thông tư
    on a state one: without ``style`` it is ambiguous and gives None, as does
    an abbreviation the product does not track ("ĐA", đề án) or does not know.
    """
    styles = [style] if style else ["party", "state"]
    found = set()
    for st in styles:
        canon = _canonical_abbr(abbr, st)
        if canon is not None and _TABLES[st][canon] is not None:
            found.add(_TABLES[st][canon])
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class DocumentSign:
    """Number, kind abbreviation, issuer and (state legal documents) year.

    ``kind_abbr`` is "" for a state công văn ("123/UBND-VX") and for laws
    and National Assembly resolutions ("59/2020/QH14").
    """

    number: str
    kind_abbr: str
    issuer_abbr: str
    year: int | None = None
    style: SignStyle = "party"

    def __post_init__(self) -> None:
        if self.style not in ("party", "state"):
            raise SignError(f'Kiểu ký hiệu "{self.style}" không hợp lệ (party hoặc state)')
        if not self.number or not self.issuer_abbr:
            raise SignError("Số ký hiệu văn bản phải có số và cơ quan ban hành")
        if self.style == "party" and not self.kind_abbr:
            raise SignError("Số ký hiệu văn bản của Đảng phải có tên loại văn bản")

    def format(self) -> str:
        """Canonical form, no spaces: "79-CTr/TU", "36/QĐ-UBND", "09/2019/NĐ-CP"."""
        if self.style == "party":
            return f"{self.number}-{self.kind_abbr}/{self.issuer_abbr}"
        year = f"{self.year}/" if self.year is not None else ""
        body = f"{self.kind_abbr}-{self.issuer_abbr}" if self.kind_abbr else self.issuer_abbr
        return f"{self.number}/{year}{body}"

    def __str__(self) -> str:
        return self.format()

    @property
    def kind(self) -> str | None:
        """The document kind the sign implies, or None when it does not say."""
        if self.kind_abbr:
            return kind_from_abbr(self.kind_abbr, self.style)
        if re.fullmatch(r"QH\d*", self.issuer_abbr):
            return "luat"  # or a National Assembly resolution: the sign alone cannot tell
        return "cong_van"


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
# "Ð" (U+00D0, Icelandic eth) stands in for "Đ" in text converted from old
# TCVN3 fonts; they look the same and must read the same.
_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ"})
_NUM = r"(?P<num>\d+[a-zA-Z]?)"
_PARTY = re.compile(rf"^{_NUM}-(?P<kind>[^\W\d_]+)/(?P<issuer>[^\W_][\w&.-]*)$")
_STATE = re.compile(rf"^{_NUM}/(?:(?P<year>\d{{4}})/)?(?P<rest>[^\W_][\w&.-]*)$")
_FOLDED_LABELS = {fold(label) for _, label in DOCUMENT_KINDS}
_PREFIX = re.compile(r"^(?P<prefix>[^\d]*?)(?P<sign>\d.*)$", re.S)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_ETH).translate(_DASHES)


def _issuer(text: str) -> str:
    # Issuers are upper case ("TU", "UBND") save a few ("TTg"): keep what is
    # written unless it is all lower case.
    return text.upper() if text == text.lower() else text


def parse_sign(text: str) -> DocumentSign:
    """Read a document sign in either style, tolerant of how people type it:
    "Số 79-CTr/TU", "số: 79-CTr/TU", "05 - CT/TW", "Số: 36/QĐ-UBND",
    "Chỉ thị số 05-CT/TW", "Quyết định 36/QĐ-UBND". Raises SignError with a Vietnamese message.
    """
    if not isinstance(text, str):
        raise SignError(f'Không đọc được số ký hiệu văn bản "{text}"')
    raw = " ".join(_clean(text).split())
    m = _PREFIX.match(raw)
    if m is None:
        raise SignError(f'Không đọc được số ký hiệu văn bản "{raw}": thiếu số văn bản')
    prefix = fold(m["prefix"]).rstrip(" :.")
    if prefix and not (prefix == "so" or prefix.endswith(" so") or prefix in _FOLDED_LABELS):
        raise SignError(f'Không đọc được số ký hiệu văn bản "{raw}"')
    sign = re.sub(r"\s+", "", m["sign"]).rstrip(".,;")
    if p := _PARTY.match(sign):
        kind = _canonical_abbr(p["kind"], "party") or p["kind"]
        return DocumentSign(p["num"], kind, _issuer(p["issuer"]), None, "party")
    if s := _STATE.match(sign):
        year = int(s["year"]) if s["year"] else None
        if year is not None and not 1945 <= year <= 2200:
            raise SignError(f'Không đọc được số ký hiệu văn bản "{raw}": năm {year} không hợp lệ')
        head, dash, tail = s["rest"].partition("-")
        kind = _canonical_abbr(head, "state")
        if dash and tail and kind is not None:
            return DocumentSign(s["num"], kind, _issuer(tail), year, "state")
        # No known kind before the dash: a công văn ("123/UBND-VX"), or a law.
        return DocumentSign(s["num"], "", _issuer(s["rest"]), year, "state")
    raise SignError(
        f'Không đọc được số ký hiệu văn bản "{raw}" '
        "(ví dụ: 79-CTr/TU của Đảng, 36/QĐ-UBND hoặc 09/2019/NĐ-CP của Nhà nước)"
    )
