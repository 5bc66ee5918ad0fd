"""Who a Party document is issued by, as its header writes it.

Hướng dẫn 36-HD/VPTW (2018), the layout of Party documents: top left the
superior Party organisation ("ĐẢNG BỘ TỈNH HÀ TĨNH") over the issuing body
("TỈNH ỦY", bold) and a star; under them the sign ("Số 12-BC/TU"); top right
"ĐẢNG CỘNG SẢN VIỆT NAM" and under it the place and date.
"""

from __future__ import annotations

from dataclasses import dataclass

from nghiquyet.core.text import fold
from nghiquyet.orgs.models import OrgUnit, UnitKind

# (folded prefix of the unit's name, Đảng bộ level word, issuer abbreviation)
_PROVINCE_PREFIXES = [("tinh uy ", "TỈNH", "TU"), ("thanh uy ", "THÀNH PHỐ", "TU")]
_DISTRICT_PREFIXES = [
    ("huyen uy ", "HUYỆN", "HU"),
    ("thi uy ", "THỊ XÃ", "TU"),
    ("thanh uy ", "THÀNH PHỐ", "TU"),
    ("quan uy ", "QUẬN", "QU"),
]
_COMMUNE_WORDS = [("xa ", "XÃ"), ("phuong ", "PHƯỜNG"), ("dac khu ", "ĐẶC KHU"), ("thi tran ", "THỊ TRẤN")]

# Blank space left in the sign for the clerk to write the number by hand
# when the document is registered (số văn bản is given at issue, not draft).
SIGN_BLANK = "\u00a0" * 7


@dataclass(frozen=True)
class Letterhead:
    superior: str  # "ĐẢNG BỘ TỈNH HÀ TĨNH" (may be "")
    issuer: str  # "TỈNH ỦY"
    issuer_abbr: str  # "TU"
    place: str  # "Hà Tĩnh"
    signing_body: str  # "BAN THƯỜNG VỤ" (signed "T/M BAN THƯỜNG VỤ")
    short: str = ""  # how the body text names the committee: "Tỉnh ủy", "Đảng ủy"

    @property
    def signing_body_text(self) -> str:
        """ "BAN THƯỜNG VỤ" as running text writes it: "Ban Thường vụ"."""
        words = self.signing_body.split()
        n = 2 if len(words) > 2 else 1  # "Ban Thường vụ", "Ban Chấp hành", "Chi bộ"
        return " ".join([w.capitalize() for w in words[:n]] + [w.lower() for w in words[n:]])

    def sign(self, kind_abbr: str, number: str = "") -> str:
        """ "Số       -BC/TU": the number left blank unless given."""
        return f"Số {number or SIGN_BLANK}-{kind_abbr}/{self.issuer_abbr}"


def _strip_prefix(name: str, prefix_folded: str) -> str | None:
    """The rest of ``name`` after a prefix matched without diacritics
    (so "Tỉnh uỷ" and "Tỉnh ủy" both match)."""
    if fold(name).startswith(prefix_folded):
        # fold keeps the length of each word, so cut by word count.
        words = name.split()
        return " ".join(words[len(prefix_folded.split()) :])
    return None


def _province_parts(unit: OrgUnit) -> tuple[str, str, str, str] | None:
    """(Đảng bộ line, issuer, abbreviation, place) of a provincial committee."""
    for prefix, level, abbr in _PROVINCE_PREFIXES:
        place = _strip_prefix(unit.name, prefix)
        if place:
            issuer = " ".join(unit.name.split()[:2]).upper()
            return f"ĐẢNG BỘ {level} {place.upper()}", issuer, abbr, place
    return None


def _district_parts(unit: OrgUnit) -> tuple[str, str, str, str] | None:
    for prefix, level, abbr in _DISTRICT_PREFIXES:
        place = _strip_prefix(unit.name, prefix)
        if place:
            return f"ĐẢNG BỘ {level} {place.upper()}", unit.name.upper(), abbr, place
    return None


def _own_party_body(unit: OrgUnit) -> str:
    """ "ĐẢNG BỘ …" of a unit, for the superior line of the units under it."""
    if unit.kind == UnitKind.PROVINCE and (p := _province_parts(unit)):
        return p[0]
    if unit.kind == UnitKind.DISTRICT and (p := _district_parts(unit)):
        return p[0]
    if unit.kind == UnitKind.COMMUNE:
        rest = _strip_prefix(unit.name, "dang uy ")
        if rest:
            return f"ĐẢNG BỘ {rest.upper()}"
    return unit.name.upper()


def _place_of(name: str) -> str:
    """ "Đảng ủy xã Đức Thọ" → "Đức Thọ"."""
    rest = _strip_prefix(name, "dang uy ") or name
    for word, _ in _COMMUNE_WORDS:
        tail = _strip_prefix(rest, word)
        if tail:
            return tail
    return rest


def party_body_text(unit: OrgUnit) -> str:
    """The Party organisation a committee leads, as running text writes it:
    "Tỉnh ủy Hà Tĩnh" → "Đảng bộ tỉnh Hà Tĩnh", "Đảng ủy xã Đức Thọ" →
    "Đảng bộ xã Đức Thọ"; other names as they are."""
    for prefix, level, _ in _PROVINCE_PREFIXES + _DISTRICT_PREFIXES:
        place = _strip_prefix(unit.name, prefix)
        if place:
            return f"Đảng bộ {level.lower()} {place}"
    rest = _strip_prefix(unit.name, "dang uy ")
    if rest:
        return f"Đảng bộ {rest}"
    return unit.name


def letterhead_for(unit: OrgUnit) -> Letterhead:
    """The header of a document issued by ``unit``'s committee, derived
    from the unit's kind, name and the Party organisation above it."""
    parent = unit.parent if unit.parent_id else None
    # The superior line names the Party organisation directly above: for a
    # province its own Đảng bộ (the centre is not written); for a commune
    # or a district, its province's (or its district's, before 7/2025).
    if unit.kind == UnitKind.PROVINCE and (p := _province_parts(unit)):
        superior, issuer, abbr, place = p
        return Letterhead(superior, issuer, abbr, place, "BAN THƯỜNG VỤ", issuer.capitalize())
    superior = _own_party_body(parent) if parent and parent.kind != UnitKind.CENTRAL else ""
    if unit.kind == UnitKind.DISTRICT and (p := _district_parts(unit)):
        short = " ".join(unit.name.split()[:2])
        return Letterhead(superior, p[1], p[2], p[3], "BAN THƯỜNG VỤ", short)
    if unit.kind == UnitKind.COMMUNE:
        return Letterhead(superior, unit.name.upper(), "ĐU", _place_of(unit.name), "BAN THƯỜNG VỤ", "Đảng ủy")
    if unit.kind == UnitKind.GRASSROOTS:
        return Letterhead(superior, unit.name.upper(), "ĐU", _place_of(unit.name), "BAN CHẤP HÀNH", "Đảng ủy")
    if unit.kind == UnitKind.CELL:
        return Letterhead(superior, unit.name.upper(), "CB", _place_of(unit.name), "CHI BỘ", "Chi bộ")
    # Other bodies (boards, agencies): the issuer is the unit itself and the
    # sign uses its parent committee's abbreviation.
    above = letterhead_for(parent) if parent and parent.kind != UnitKind.CENTRAL else None
    return Letterhead(
        superior,
        unit.name.upper(),
        above.issuer_abbr if above else "",
        above.place if above else _place_of(unit.name),
        "",
        unit.name,
    )
