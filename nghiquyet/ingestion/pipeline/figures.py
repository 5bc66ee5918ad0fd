"""Figures stated as facts: counts and measures with what they count.

Vietnamese writes "." between thousands and "," before decimals: "2.989"
is 2989, "48,93" is 48.93. "504/504 chi bộ" is a count over a total. The
counted noun that follows is the unit. Dates, years, terms, durations,
ordinals and document numbers are not figures.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Final

from nghiquyet.ingestion.pipeline.lexicon import LETTER, LOWER, UPPER
from nghiquyet.ingestion.pipeline.scan import by_last_char, ends_with_label

_NUM = r"[0-9]{1,3}(?:\.[0-9]{3}){1,5}(?:,[0-9]{1,6})?|[0-9]{1,15}(?:,[0-9]{1,6})?"
# The value starts on its first digit, and what may not stand before it is
# checked right after that digit: the engine then skips ahead to digits.
_VALUE = rf"[0-9](?<![{LETTER}0-9.,/:-][0-9])(?:[0-9]{{0,2}}(?:\.[0-9]{{3}}){{1,5}}(?:,[0-9]{{1,6}})?|[0-9]{{0,14}}(?:,[0-9]{{1,6}})?)"
_FIGURE: Final = re.compile(
    rf"(?P<value>{_VALUE})(?:\s?/\s?(?P<total>{_NUM}))?(?![0-9]|[.,][0-9])"
    rf"(?P<unit>\s?(?:%|‰|km2|km²|m2|m²|m3)"
    rf"(?![{LETTER}0-9])|\s(?P<word>[{LOWER}]+)(?:,? (?:[{LOWER}]+|[{UPPER}]{{2,}}(?![{LETTER}]))){{0,7}})?"
)
# Words before a number that make it an identifier, an ordinal or a date.
_BEFORE: Final = re.compile(
    r"(?:số|thứ|khóa|khoá|kỳ|lần|năm|tháng|ngày|quý|giai đoạn|nhiệm kỳ|điều|khoản|điểm|chương|mục|phần|tập|"
    r"trang|phòng|tầng|khu|tổ|thôn|xóm|đội|lô|giờ|lúc|covid|quốc lộ|tỉnh lộ|đường|hẻm|ngõ|kiệt|km|mã|hạng|"
    r"loại|cấp|top|nghị định|thông tư|luật|chỉ thị|nghị quyết|quyết định|kết luận|quy định|hướng dẫn|"
    r"kế hoạch|chương trình|công văn|thông báo|báo cáo|tờ trình|thông tri|phiên|đợt|bước|vòng|kỷ niệm)\s*:?\s*$",
    re.IGNORECASE,
)
# Labels that are the end of another word: "được cấp 126 mã số", "cung cấp
# 1.824 thủ tục" (grant, provide: not a level), "dân số 31.520 người"
# (population: not a number of).
_NOT_A_LABEL: Final = re.compile(r"(?:(?:được|cung)\s+cấp|dân\s+số|kỷ\s+luật)\s*$", re.IGNORECASE)
_BEFORE_WORDS: Final = by_last_char(_BEFORE.pattern[3 : _BEFORE.pattern.index(")")].split("|"))
_YEAR_VALUE: Final = re.compile(r"(?:19|20)[0-9]{2}")
_RAW_WORD: Final = re.compile(r"[^\s,]+")
# Words that cannot start a counted noun: time units (durations) and
# function words.
_TIME_UNITS: Final = frozenset(
    {
        "năm",
        "tháng",
        "ngày",
        "tuần",
        "giờ",
        "phút",
        "giây",
        "quý",
        "thập",
        "thế",
        "kỳ",
        "buổi",
        "đêm",
        "tiếng",
    }
)
_NOT_UNIT_START = _TIME_UNITS | frozenset(
    {
        "số",
        "và",
        "của",
        "trong",
        "với",
        "đến",
        "tới",
        "từ",
        "là",
        "có",
        "được",
        "đã",
        "sẽ",
        "đang",
        "thì",
        "mà",
        "lần",
        "người",
        "trên",
        "dưới",
        "tại",
        "theo",
        "cho",
        "về",
        "này",
        "đó",
        "nay",
        "vừa",
        "qua",
        "đầu",
        "cuối",
        "giữa",
        "hoặc",
        "hay",
        "nên",
        "để",
        "do",
        "bởi",
        "khi",
        "nếu",
        "thứ",
        "ra",
        "vào",
        "lên",
        "xuống",
        "bị",
        "rồi",
        "nữa",
        "ở",
        "gồm",
        "như",
        "vẫn",
        "cũng",
        "còn",
        "liền",
        "sau",
        "trước",
    }
) - {"người"}
# Words that end a counted noun: the verb or preposition after it.
_UNIT_STOP: Final = frozenset(
    {
        "của",
        "trong",
        "với",
        "đạt",
        "và",
        "tại",
        "được",
        "đã",
        "là",
        "có",
        "cho",
        "theo",
        "thuộc",
        "hoàn",
        "tham",
        "tổ",
        "đến",
        "tới",
        "từ",
        "gồm",
        "ở",
        "sẽ",
        "đang",
        "về",
        "nhằm",
        "để",
        "do",
        "bằng",
        "so",
        "trên",
        "dưới",
        "tăng",
        "giảm",
        "đều",
        "vẫn",
        "cũng",
        "không",
        "chưa",
        "này",
        "đó",
        "như",
        "khi",
        "nếu",
        "thì",
        "mà",
        "nên",
        "còn",
        "ra",
        "vào",
        "lên",
        "đi",
        "bị",
        "vượt",
        "chiếm",
        "trở",
        "xong",
        "liền",
        "rồi",
        "nhưng",
        "nguyên",
    }
)
# Units that are written as a short list: "chi bộ, đảng bộ cơ sở".
_LISTABLE: Final = frozenset(
    {
        "chi bộ",
        "đảng bộ",
        "tổ chức đảng",
        "xã",
        "phường",
        "thị trấn",
        "cơ quan",
        "đơn vị",
        "tập thể",
        "cá nhân",
        "thôn",
        "tổ dân phố",
        "xã, phường",
    }
)
# Nouns counted together in a list ("14 sở, ban, ngành", "63 tỉnh, thành
# phố", "7 tồn tại, hạn chế", "13/13 huyện ủy, thị ủy, thành ủy", "1.382
# tin, bài, phóng sự"): a comma between two of them, in any order and any
# number, does not end the unit, when they are of one kind (places, bodies,
# people…): no list of pairs, but "34 đảng viên, thôn có 215 hộ" is no list.
_LIST_KINDS: Final = {
    "body": (
        "sở",
        "ban",
        "ngành",
        "bộ",
        "đoàn thể",
        "cơ quan",
        "đơn vị",
        "tổ chức",
        "doanh nghiệp",
        "hợp tác xã",
        "huyện ủy",
        "thị ủy",
        "thành ủy",
        "đảng ủy",
        "chi bộ",
        "đảng bộ",
        "tổ chức cơ sở đảng",
        "tổ chức đảng",
    ),
    "writing": (
        "tin",
        "bài",
        "phóng sự",
        "đơn",
        "thư",
        "đoàn kiểm tra",
        "kiểm tra",
        "giám sát",
        "đề án",
        "dự án",
        "chương trình",
        "kế hoạch",
    ),
    "place": (
        "tỉnh",
        "thành phố",
        "thành",
        "quận",
        "huyện",
        "thị xã",
        "thị",
        "xã",
        "phường",
        "thị trấn",
        "đặc khu",
        "thôn",
        "xóm",
        "bản",
        "ấp",
        "làng",
        "buôn",
        "khu phố",
        "tổ dân phố",
    ),
    "people": (
        "cán bộ",
        "lượt cán bộ",
        "đảng viên",
        "hội viên",
        "đoàn viên",
        "công chức",
        "viên chức",
        "người lao động",
        "tập thể",
        "cá nhân",
        "hộ",
    ),
    # organisations beside people ("tổ chức, cá nhân", "tổ chức cơ sở đảng, đảng viên")
    "member": (
        "tổ chức",
        "tổ chức đảng",
        "tổ chức cơ sở đảng",
        "cá nhân",
        "tập thể",
        "đảng viên",
    ),
    "shortcoming": (
        "tồn tại",
        "hạn chế",
        "yếu kém",
        "khuyết điểm",
        "khó khăn",
        "vướng mắc",
        "bất cập",
    ),
}
_LIST_ITEMS: Final = {
    item: frozenset(k for k, its in _LIST_KINDS.items() if item in its)
    for items in _LIST_KINDS.values()
    for item in items
}
# One-word items that also begin other words ("thành lập", "thị trường",
# "ban hành", "bộ máy"): after a comma, one of these is an item only where
# it ends (a comma, a verb, the end).
_CLIPPED_ITEMS: Final = frozenset({"thành", "thị", "ban", "bộ"})
_LIST_ITEM_WORDS: Final = sorted({len(u.split()) for u in _LIST_ITEMS}, reverse=True)


def _list_goes_on(out: list[str], words: list[str], i: int) -> bool:
    """The comma at ``words[i]`` joins two items of a list of counted nouns:
    the item before it and the one after it are both ``_LIST_ITEMS`` of one
    kind. A one-word item after it goes on to more words ("đơn, thư khiếu
    nại") only when it begins no other word; else it must end there (a
    comma, a verb, the end): "huyện, thành lập" is no list."""
    item = out[len(out) - out[::-1].index(",") :] if "," in out else out
    kind = _LIST_ITEMS.get(" ".join(item))
    if kind is None:
        return False
    for n in _LIST_ITEM_WORDS:
        nxt = " ".join(words[i + 1 : i + 1 + n])
        if nxt in _LIST_ITEMS and nxt.count(" ") == n - 1:
            if not kind & _LIST_ITEMS[nxt]:
                return False
            after = words[i + 1 + n] if i + 1 + n < len(words) else ","
            return n > 1 or after == "," or after in _UNIT_STOP or nxt not in _CLIPPED_ITEMS
    return False


# Verbs that may follow a one-word counted noun ("xã đạt chuẩn", "hộ tham gia").
_VERBS_IN_UNIT: Final = frozenset(
    {"đạt", "được", "hoàn", "tham", "có", "đã", "tăng", "giảm", "vượt", "bị", "chưa", "không"}
)
# "cấp trên cơ sở", "cấp trên" keep "trên" inside the unit.
_KEEP_AFTER = {"trên": {"cấp"}, "tổ": {"các", "và"}}


# Nouns that start on a word which otherwise starts no unit ("đầu năm").
_NOUNS_ON_STOP_WORDS: Final = ("đầu việc", "đầu mối", "đầu tư")
# Capitalised words that start a counted body or post.
_CAPITAL_UNITS: Final = frozenset({"Ban", "Thành", "Tỉnh", "Huyện", "Đảng", "Chi", "Sở", "Ủy", "Bộ", "Đoàn"})
# Lower-case words of a unit after which a body's name may follow ("tỷ USD",
# "đơn vị Quân đội").
_LOWER_BEFORE_CAPS: Final = frozenset({"tỷ", "triệu", "nghìn"})
# Every word-level beginning of a list item ("tồn", "tồn tại"): a word
# that otherwise ends a unit ("tại") goes on inside one.
_ITEM_PREFIXES: Final = frozenset(
    " ".join(item.split(" ")[:k]) for item in _LIST_ITEMS for k in range(1, len(item.split(" ")) + 1)
)


def _in_list_item(out: list[str], w: str) -> bool:
    """Whether the item ``out`` ends on, with ``w``, begins a list item ("tồn tại")."""
    item = out[len(out) - out[::-1].index(",") :] if "," in out else out
    return " ".join([*item, w]) in _ITEM_PREFIXES


_CAPITAL_UNIT_ALT = "|".join(sorted(_CAPITAL_UNITS))
_CAP_UNIT: Final = re.compile(
    rf" (?P<unit>(?:[{UPPER}]{{2,}}|{_CAPITAL_UNIT_ALT})(?![{LETTER}])"
    rf"(?:,? (?:[{LOWER}]+|[{UPPER}][{LETTER}]*)){{0,7}})"
)
_OVER_TOTAL: Final = re.compile(rf"\s*(?:,\s*)?(?:trên|/)\s*tổng số(?:\s+là)?\s+(?P<total>{_NUM})(?![0-9])")


@dataclass
class Figure:
    """A stated count or measure."""

    value: float | int
    total: float | int | None
    unit: str
    start: int
    end: int


def parse_number(text: str) -> float | int:
    """A Vietnamese number: "2.989" → 2989, "48,93" → 48.93."""
    whole, _, frac = text.partition(",")
    whole = whole.replace(".", "")
    if frac:
        return float(f"{whole}.{frac}")
    return int(whole)


def find_figures(text: str, excluded: list[tuple[int, int]]) -> list[Figure]:
    """Figures in ``text`` outside the ``excluded`` spans (dates, documents)."""
    spans = sorted(excluded)
    starts = [s for s, _ in spans]

    def inside(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and spans[k][0] <= pos < spans[k][1]

    figures: list[Figure] = []
    for m in _FIGURE.finditer(text):
        # The checks are filters without side effects, cheapest first.
        raw_value, raw_total, unit_raw, first_word = m.group("value", "total", "unit", "word")
        unit_at = -1  # where the unit starts: m.start("unit") unless a capitalised one
        if unit_raw is None:
            # A capitalised unit ("5 BQL dự án", "2 Thành ủy viên"): looked
            # for only where a capital follows the number.
            after = m.end()
            if not (text.startswith(" ", after) and text[after + 1 : after + 2].isupper()):
                continue  # no unit: _clean_unit("") is ""
            cap = _CAP_UNIT.match(text, after)
            if cap is None:
                continue
            unit_raw, unit_at = cap.group("unit"), cap.start("unit")
        # A worded unit's first word is ``first_word`` (lower-case letters
        # only, so ``.lower()`` would keep it): _clean_unit rejects it here.
        if first_word is not None and first_word in _NOT_UNIT_START and not _is_workdays(unit_raw):
            if not unit_raw.lstrip().startswith(_NOUNS_ON_STOP_WORDS):
                continue
        if raw_total is None and _YEAR_VALUE.fullmatch(raw_value):
            continue  # a year
        s = m.start()
        if spans and (inside(s) or inside(m.end("value") - 1)):
            continue
        unit = _clean_unit(unit_raw)
        if not unit:
            continue
        if ends_with_label(text, max(0, s - 20), s, _BEFORE_WORDS, _BEFORE) and not _NOT_A_LABEL.search(
            text, max(0, s - 20), s
        ):
            continue
        value = parse_number(raw_value)
        total = parse_number(raw_total) if raw_total else None
        if total is None and value == 1 and unit.startswith("số"):
            continue
        # The unit's words are the first raw words (commas between them
        # are kept inside the span, as written).
        k = len(unit.replace(",", " ").split())
        if unit_at < 0:
            unit_at = m.start("unit")
        if k == len(unit_raw.replace(",", " ").split()):
            # All raw words (``[^\s,]+``: the same tokens) are kept, and
            # the raw unit ends on a word: the span ends with the unit.
            end = unit_at + len(unit_raw)
        else:
            raw_words = _RAW_WORD.finditer(unit_raw)
            last = next(itertools.islice(raw_words, k - 1, None))
            end = unit_at + last.end()
        end = max(end, m.end("value"))
        if total is None and "tổng" in text[end : end + 20]:
            over = _OVER_TOTAL.match(text, end)
            if over is not None:
                # "15 đảng viên trên tổng số 20": a value over its total.
                total = parse_number(over.group("total"))
                end = over.end()
        figures.append(Figure(value, total, unit, s, end))
    return figures


def _is_workdays(raw: str) -> bool:
    """ "1.350 ngày công": days of work given, a count, not a duration."""
    return raw.replace(",", " ").split()[:2] == ["ngày", "công"]


def _clean_unit(raw: str) -> str:
    words = raw.replace(",", " , ").split()
    if not words:
        return ""
    if words[0] in ("%", "‰"):
        return words[0]
    if not words[0][0].isalpha():
        return ""
    if not words[0][0].islower() and words[0] != "USD":
        # A capitalised unit: an abbreviation ("5 BQL dự án") or a body or
        # post ("10 Ban Thường vụ", "2 Thành ủy viên"), not a name or a
        # sentence's next word.
        if not (words[0].isupper() and len(words[0]) >= 2) and words[0] not in _CAPITAL_UNITS:
            return ""
    if (
        words[0].lower() in _NOT_UNIT_START
        and not _is_workdays(raw)
        and not raw.lstrip().startswith(_NOUNS_ON_STOP_WORDS)
    ):
        return ""
    out: list[str] = []
    count = 0  # words in ``out``, commas left out
    for i, w in enumerate(words):
        if w == ",":
            # "chi bộ, đảng bộ cơ sở": a comma inside a short list of nouns.
            rest = " ".join(words[i + 1 : i + 4])
            if " ".join(out) in _LISTABLE and any(rest.startswith(u) for u in _LISTABLE):
                out.append(",")
                continue
            if _list_goes_on(out, words, i):
                out.append(",")
                continue
            break
        if out and w[0].isupper() and not out[0][0].isupper() and out[-1] not in _LOWER_BEFORE_CAPS:
            break  # a capitalised word after a lower-case unit: a name or a body apart
        prev = out[-1] if out else ""
        # A one-word noun ("xã", "hộ") takes the words after it: gold and
        # readers name the counted thing by more than one word.
        if w in _UNIT_STOP and _in_list_item(out, w):
            pass  # "tồn tại, hạn chế"
        elif len(out) >= 2 and w in _UNIT_STOP and prev not in _KEEP_AFTER.get(w, ()):
            break
        elif len(out) == 1 and w in _UNIT_STOP and w not in _VERBS_IN_UNIT:
            break
        out.append(w)
        count += 1
        if count >= 7:
            break
    while out and out[-1] == ",":
        out.pop()
    return " ".join(out).replace(" ,", ",")
