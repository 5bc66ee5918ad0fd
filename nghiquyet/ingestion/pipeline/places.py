"""Administrative places and the Party and state bodies named in the text.

Places: provinces and cities ("tỉnh Hà Tĩnh", "Hà Tĩnh", "thành phố Hà
Nội"), communes, wards and special zones ("xã Đức Thọ", "phường Bắc Sơn",
"đặc khu Cô Tô"), and the units abolished on 1 July 2025 (districts —
"huyện", "quận", "thị xã" — and "thị trấn"). Each gets the official code,
current or legacy, when its name resolves to one unit: the article's
province narrows the candidates ("xã Đức Thọ" in an article on Hà Tĩnh),
and the year it speaks of picks the current or the legacy map first.

Organisations: Party committees and their bodies ("Tỉnh ủy Hà Tĩnh",
"Đảng ủy xã Đức Thọ", "Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"),
state bodies ("UBND tỉnh Hà Tĩnh", "Sở Nội vụ"), the Fatherland Front and
the mass organisations.

The unit data is the offline data set shipped by ``vietnamadminunits``
(MIT), read directly with sqlite3 once per process; no Django, no network.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from nghiquyet.ingestion.pipeline.lexicon import BODY_WORDS, CAP_WORD, LETTER, SURNAMES
from nghiquyet.ingestion.pipeline.normalize import new_tone_style
from nghiquyet.ingestion.pipeline.scan import trie_pattern
from nghiquyet.ingestion.pipeline.triggers import Triggers, scan_matches

# Province forms the data set does not carry but the genre writes.
EXTRA_PROVINCE_FORMS = frozenset({"Thừa Thiên Huế", "Thành phố Hồ Chí Minh", "Việt Nam"})


@dataclass(frozen=True)
class Unit:
    """One administrative unit of the data set."""

    name: str  # full name as the data writes it: "Xã Đức Thọ"
    short: str  # "Đức Thọ"
    type: str  # "Tỉnh", "Thành phố", "Xã", "Phường", "Đặc khu", "Huyện", "Quận", "Thị xã", "Thị trấn"
    level: str  # "province", "district" or "ward"
    code: str
    province_code: str
    legacy: bool


@dataclass
class Gazetteer:
    """Units by folded short name, for each level."""

    provinces: dict[str, list[Unit]]
    districts: dict[str, list[Unit]]
    wards: dict[str, list[Unit]]
    # Legacy province code -> the current province code(s) its units went to.
    legacy_to_current: dict[str, set[str]]
    province_names: frozenset[str]


@lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """Lookup key of a place name: NFC, new tone style, lower case, single spaces."""
    return " ".join(new_tone_style(unicodedata.normalize("NFC", name)).lower().split())


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"
    return path if path.is_file() else None


def _type_of(full: str, short: str) -> str:
    return full[: len(full) - len(short)].strip() if full.endswith(short) else full.split(" ")[0]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The unit data, loaded on first use and kept for the process.

    Empty (every lookup misses) when the data set is not installed.
    """
    provinces: dict[str, list[Unit]] = {}
    districts: dict[str, list[Unit]] = {}
    wards: dict[str, list[Unit]] = {}
    legacy_to_current: dict[str, set[str]] = {}
    names: set[str] = set(EXTRA_PROVINCE_FORMS)
    path = _data_file()
    if path is None:
        return Gazetteer(provinces, districts, wards, legacy_to_current, frozenset(names))

    cleaned: dict[str, str] = {}
    added: set[tuple[str, str, bool]] = set()

    def clean(s: str) -> str:
        # Province and district names repeat on every row: clean each once.
        out = cleaned.get(s)
        if out is None:
            out = cleaned[s] = new_tone_style(unicodedata.normalize("NFC", s or "")).strip()
        return out

    def add(index: dict[str, list[Unit]], unit: Unit) -> None:
        mark = (unit.level, unit.code, unit.legacy)
        if mark not in added:
            added.add(mark)
            index.setdefault(fold(unit.short), []).append(unit)

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        current_ward_province: dict[str, str] = {}
        for province, pshort, pcode, ward, wshort, wtype, wcode in con.execute(
            "SELECT province, provinceShort, provinceCode, ward, wardShort, wardType, wardCode FROM admin_units"
        ):
            province, pshort, ward, wshort = clean(province), clean(pshort), clean(ward), clean(wshort)
            names.add(pshort)
            add(
                provinces, Unit(province, pshort, _type_of(province, pshort), "province", pcode, pcode, False)
            )
            add(wards, Unit(ward, wshort, clean(wtype), "ward", wcode, pcode, False))
            current_ward_province[wcode] = pcode
        for row in con.execute(
            "SELECT province, provinceShort, provinceCode, district, districtShort, districtType, districtCode,"
            " ward, wardShort, wardType, wardCode FROM admin_units_legacy"
        ):
            province, pshort, pcode, district, dshort, dtype, dcode, ward, wshort, wtype, wcode = row
            province, pshort = clean(province), clean(pshort)
            names.add(pshort)
            add(provinces, Unit(province, pshort, _type_of(province, pshort), "province", pcode, pcode, True))
            if district:
                add(
                    districts,
                    Unit(clean(district), clean(dshort), clean(dtype), "district", dcode, pcode, True),
                )
            if ward:
                add(wards, Unit(clean(ward), clean(wshort), clean(wtype), "ward", wcode, pcode, True))
            # New communes took the code of one of the old ones: that says
            # which current province each legacy one went into.
            if wcode in current_ward_province:
                legacy_to_current.setdefault(pcode, set()).add(current_ward_province[wcode])
    except sqlite3.Error:
        return Gazetteer({}, {}, {}, {}, frozenset(EXTRA_PROVINCE_FORMS))
    finally:
        con.close()
    return Gazetteer(provinces, districts, wards, legacy_to_current, frozenset(names))


def province_names() -> frozenset[str]:
    """Short names of every province and city, current and legacy ("Hà Tĩnh")."""
    return gazetteer().province_names


# -- finding places --------------------------------------------------------------

# Level words as written before a name; the value is what they can name.
_LEVELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tỉnh": ("province", ("Tỉnh",)),
    "thành phố": ("city", ("Thành phố",)),
    "tp.": ("city", ("Thành phố",)),
    "tp": ("city", ("Thành phố",)),
    "xã": ("ward", ("Xã",)),
    "phường": ("ward", ("Phường",)),
    "đặc khu": ("ward", ("Đặc khu",)),
    "thị trấn": ("ward", ("Thị trấn",)),
    "huyện": ("district", ("Huyện",)),
    "quận": ("district", ("Quận",)),
    "thị xã": ("district", ("Thị xã",)),
}
_LEVEL_FORMS = sorted({f for w in _LEVELS for f in (w, w.capitalize(), w.upper())} | {"Tp.", "Tp"})
_NAME_RUN = rf"{CAP_WORD}(?: {CAP_WORD}){{0,4}}(?![{LETTER}])|[0-9]{{1,2}}(?![0-9{LETTER}])"
_PLACE: Final = re.compile(
    rf"(?P<level>{trie_pattern(_LEVEL_FORMS, not_after=LETTER)})(?: |(?<=\.))(?P<name>{_NAME_RUN})"
)
# "các xã Tùng Ảnh, Hòa Lạc và Tân Dân": more names after the first.
_MORE: Final = re.compile(rf"(?:, | và )(?P<name>{CAP_WORD}(?: {CAP_WORD}){{0,3}})(?![{LETTER}])")
_PREV_WORD: Final = re.compile(rf"([{LETTER}]+)\s*$")


def _province_forms() -> list[str]:
    return sorted(n for n in province_names() if n != "Việt Nam")


@lru_cache(maxsize=1)
def _province_re() -> re.Pattern:
    return re.compile(trie_pattern(_province_forms(), not_after=LETTER) + f"(?![{LETTER}])")


def trigger_words() -> dict[str, list[str]]:
    """The words the scans start on (see ``triggers``): level words, heads
    of bodies and province names (the unit data is loaded here)."""
    return {
        "places.level": _LEVEL_FORMS,
        "places.org": list(_ORG_HEADS),
        "places.province": _province_forms(),
    }


_LEVEL_KEYS = sorted(_LEVELS, key=len, reverse=True)


def _strip_level(folded: str) -> str:
    for level in _LEVEL_KEYS:
        if folded.startswith(level + " "):
            return folded[len(level) + 1 :]
    return folded


@dataclass
class Place:
    """A place named in the text."""

    name: str  # as written, with its level word: "xã Đức Thọ", "Hà Tĩnh"
    kind: str  # province, district, ward
    code: str | None
    legacy: bool | None
    start: int
    end: int
    unit: Unit | None = None


def _candidates(level: str, types: tuple[str, ...], words: list[str]) -> tuple[int, list[Unit]]:
    """The longest leading run of ``words`` naming units of ``level``: (words used, units)."""
    gz = gazetteer()
    for j in range(min(len(words), 4), 0, -1):
        key = fold(" ".join(words[:j]))
        found: list[Unit] = []
        if level in ("province", "city"):
            found += [u for u in gz.provinces.get(key, ()) if u.type in types]
        if level == "city":
            found += [u for u in gz.districts.get(key, ()) if u.type in types]
        if level == "ward":
            found += [u for u in gz.wards.get(key, ()) if u.type in types]
        if level == "district":
            found += [u for u in gz.districts.get(key, ()) if u.type in types]
        if found:
            return j, found
    return 0, []


def _choose(units: list[Unit], context: set[str], prefer_legacy: bool) -> Unit | None:
    """The one unit meant, if the context and the era leave only one."""
    if context:
        inside = [u for u in units if u.province_code in context]
        if inside:
            units = inside
        elif len(units) > 1:
            return None
    for legacy in (prefer_legacy, not prefer_legacy):
        same_era = [u for u in units if u.legacy == legacy]
        codes = {u.code for u in same_era}
        if len(codes) == 1:
            return same_era[0]
        if same_era:
            return None
    return None


def _context(provinces: list[Unit]) -> set[str]:
    """Province codes of the province the text speaks of most, current and legacy."""
    if not provinces:
        return set()
    counts = Counter(u.short for u in provinces)
    best = counts.most_common(1)[0][0]
    codes = {u.province_code for u in provinces if u.short == best}
    gz = gazetteer()
    for u in provinces:
        if u.short == best and u.legacy:
            codes |= gz.legacy_to_current.get(u.province_code, set())
    return codes


def find_places(
    text: str,
    year: int | None = None,
    merged: Sequence[tuple[int, int, list[str]]] = (),
    *,
    every: bool = False,
    triggers: Triggers | None = None,
) -> list[Place]:
    """Places named in ``text``, each once (first mention; every mention
    with ``every``), with codes where they resolve.

    ``triggers`` (``TriggerFinder.find(text)``) spares the scans for level
    words and province names; without it the text is scanned here, with
    the same result.

    ``year`` is the year the text speaks of: before 2025 the legacy units
    are tried first for names both maps carry. ``merged`` holds the merges
    stated in the text (start, end, parts): the parts of a merge are units
    that no longer exist, so the legacy map is tried first for them.
    """
    gz = gazetteer()
    prefer_legacy = year is not None and year < 2025
    merged_parts = [(s, e, {_strip_level(fold(p)) for p in parts}) for s, e, parts in merged]
    raw: list[
        tuple[str, str, tuple[str, ...], list[str], int, int]
    ] = []  # level, written, types, words, s, e
    covered: list[tuple[int, int]] = []
    levels = scan_matches(_PLACE, text, triggers, "places.level")
    for m in levels:
        level_word = m.group("level")
        level, types = _LEVELS[level_word.lower()]
        raw.append((level, level_word, types, m.group("name").split(), m.start(), m.start("name")))
        covered.append(m.span())
        pos = m.end()
        plural = text[max(0, m.start() - 4) : m.start()] == "các "
        while plural:
            more = _MORE.match(text, pos)
            if not more:
                break
            raw.append(
                (level, level_word, types, more.group("name").split(), more.start("name"), more.start("name"))
            )
            covered.append(more.span())
            pos = more.end()
    # Bare province names ("Hà Tĩnh"), outside the level phrases.
    bare: list[tuple[int, int]] = []
    if gz.provinces:
        k = 0
        covered.sort()
        names = scan_matches(_province_re(), text, triggers, "places.province")
        for m in names:
            while k < len(covered) and covered[k][1] <= m.start():
                k += 1
            if k < len(covered) and covered[k][0] <= m.start() < covered[k][1]:
                continue
            prev = _PREV_WORD.search(text, max(0, m.start() - 20), m.start())
            if (
                prev
                and prev.end() == m.start() - 1
                and prev.group(1)[0].isupper()
                and not prev.group(1).isupper()
            ):
                if prev.group(1) not in ("Tỉnh", "Thành", "Huyện", "Xã", "Phường"):
                    continue  # part of a longer name ("Báo Hà Tĩnh", "Nguyễn Hà Nam")
            bare.append(m.span())

    provinces: list[Unit] = []
    resolved: list[tuple[str, str, str, list[Unit], int, int]] = []  # kind, written, bare name, units, s, e
    for level, _level_word, types, words, s, name_start in raw:
        used, units = _candidates(level, types, words)
        if used:
            words = words[:used]
        elif level in ("province", "city"):
            continue  # provinces and cities are a closed list: "tỉnh Nguyễn…" is a person after the level
        else:
            # An unknown commune: its name stops before a family name that
            # starts a person's name ("xã Sơn Kim Nguyễn Văn A").
            cut = next((i for i in range(1, len(words) - 1) if words[i] in SURNAMES), len(words))
            words = words[: min(cut, 3)]
        end = name_start + len(" ".join(words))
        kind = (
            level
            if level != "city"
            else ("province" if any(u.level == "province" for u in units) else "district")
        )
        resolved.append((kind, text[s:end], " ".join(words), units, s, end))
        if kind == "province":
            provinces += [u for u in units if u.level == "province"]
    for s, e in bare:
        units = gz.provinces.get(fold(text[s:e]), [])
        resolved.append(("province", text[s:e], text[s:e], units, s, e))
        provinces += units
    context = _context(provinces)

    places: list[Place] = []
    seen: set[tuple[str, str]] = set()
    for kind, written, bare_name, units, s, e in sorted(resolved, key=lambda r: r[4]):
        if kind == "province":
            units = [u for u in units if u.level == "province"]
        elif units:
            units = [u for u in units if u.level == kind]
        old = any(ms <= s < me and fold(bare_name) in parts for ms, me, parts in merged_parts)
        unit = (
            _choose(units, context if kind != "province" else set(), prefer_legacy or old) if units else None
        )
        name = " ".join(written.split())
        key = (kind, fold(name))
        if key in seen and not every:
            continue
        seen.add(key)
        places.append(
            Place(name, kind, unit.code if unit else None, unit.legacy if unit else None, s, e, unit)
        )
    return places


def unique_places(places: list[Place]) -> list[Place]:
    """The first mention of each place of ``places``."""
    seen: set[tuple[str, str]] = set()
    out = []
    for p in places:
        key = (p.kind, fold(p.name))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# -- organisations --------------------------------------------------------------

# Heads of organisation names, by kind. Those marked True name a body only
# with something after them ("Sở Nội vụ", "Ban Tổ chức Tỉnh ủy").
_ORG_HEADS: dict[str, tuple[str, bool]] = {
    **{h: ("party_committee", False) for h in ("Tỉnh ủy", "Thành ủy", "Huyện ủy", "Quận ủy", "Thị ủy")},
    **{
        h: ("party_committee", True) for h in ("Đảng ủy", "Đảng bộ", "Chi bộ", "Đảng đoàn", "Ban cán sự đảng")
    },
    **{h: ("party_body", False) for h in ("Ban Bí thư", "Bộ Chính trị")},
    **{
        h: ("party_body", True)
        for h in (
            "Ban Thường vụ",
            "Ban Chấp hành",
            "Ban Tổ chức",
            "Ban Tuyên giáo và Dân vận",
            "Ban Tuyên giáo",
            "Ban Dân vận",
            "Ban Nội chính",
            "Ban Kinh tế",
            "Ủy ban Kiểm tra",
            "Văn phòng",
            "Trường Chính trị",
        )
    },
    **{h: ("state", False) for h in ("UBND", "HĐND")},
    **{
        h: ("state", True)
        for h in (
            "Ủy ban nhân dân",
            "Hội đồng nhân dân",
            "Công an",
            "Bộ Chỉ huy Quân sự",
            "Tòa án nhân dân",
            "Viện Kiểm sát nhân dân",
            "Thanh tra",
            "Ban Quản lý",
            "Kho bạc Nhà nước",
            "Bảo hiểm xã hội",
        )
    },
    "Sở": ("department", True),
    **{
        h: ("front", False)
        for h in ("Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc", "Mặt trận Tổ quốc", "MTTQ", "UBMTTQ")
    },
    **{
        h: ("mass_organisation", True)
        for h in (
            "Đoàn Thanh niên",
            "Hội Liên hiệp Phụ nữ",
            "Hội Phụ nữ",
            "Hội Nông dân",
            "Hội Cựu chiến binh",
            "Liên đoàn Lao động",
        )
    },
    "Tỉnh đoàn": ("mass_organisation", False),
}
_ORG_TRIE = trie_pattern(_ORG_HEADS, not_after=LETTER)
_ORG_HEAD: Final = re.compile(rf"{_ORG_TRIE}(?![{LETTER}])")
_BODY: Final = re.compile(
    trie_pattern([*BODY_WORDS, "Việt Nam", "Trung ương", "Nhà nước"]) + f"(?![{LETTER}])"
)
_AND_BODY: Final = re.compile(" và (?=[" + "".join(sorted({w[0] for w in BODY_WORDS})) + "])")
_BARE_LEVEL: Final = re.compile(rf"(?:tỉnh|thành phố|xã|phường|huyện|đặc khu)(?![{LETTER}])")


@dataclass
class Organisation:
    """A Party or state body named in the text."""

    name: str
    kind: str
    start: int
    end: int


def find_organisations(
    text: str, places: list[Place] | None = None, triggers: Triggers | None = None
) -> list[Organisation]:
    """Party and state bodies named in ``text``, each once (first mention).

    ``places`` are every place mention of the text (``find_places(...,
    every=True)``); a body's name runs on over the place it belongs to.
    ``triggers`` (``TriggerFinder.find(text)``) spares the scan for heads
    of bodies; without it the text is scanned here, with the same result.
    """
    if places is None:
        places = find_places(text, every=True)
    place_end = {p.start: p.end for p in places}
    found: list[Organisation] = []
    seen: set[str] = set()
    pos = 0
    heads = scan_matches(_ORG_HEAD, text, triggers, "places.org")
    for m in heads:
        if m.start() < pos:
            continue  # inside the previous name ("Ban Tổ chức Tỉnh ủy")
        kind, needs_more = _ORG_HEADS[m.group()]
        end = m.end()
        after_body = False  # "và" joins two body words ("Nông nghiệp và Môi trường"), not a head and a noun
        while text.startswith(" ", end):
            nxt = end + 1
            if nxt in place_end:
                end = place_end[nxt]
                break
            head = _ORG_HEAD.match(text, nxt)
            if head:
                end = head.end()
                after_body = False
                continue
            body = _BODY.match(text, nxt)
            if body:
                end = body.end()
                after_body = True
                continue
            joined = _AND_BODY.match(text, end) if after_body else None
            second = _BODY.match(text, joined.end()) if joined else None
            if second:
                end = second.end()
                continue
            level = _BARE_LEVEL.match(text, nxt)
            if level:
                end = level.end()  # "UBND tỉnh", "Công an xã"
            break
        pos = end
        if needs_more and end == m.end():
            continue
        name = " ".join(text[m.start() : end].split())
        key = fold(name)
        if key in seen:
            continue
        seen.add(key)
        found.append(Organisation(name, kind, m.start(), end))
    return found
