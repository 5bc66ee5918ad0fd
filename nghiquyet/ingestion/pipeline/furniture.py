"""Page furniture: what a crawled page carries that is not the article.

Related-news lists, comment boxes, image file names, repeated captions,
view counters, update stamps, bylines, sources and photo credits. Removed
parts are blanked with spaces (newlines kept), so the cleaned text has the
same length and every offset in it is still an offset of the input.
Bylines and photo credits are kept aside as authors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from nghiquyet.ingestion.pipeline.lexicon import CAP_WORD, LETTER, UPPER
from nghiquyet.ingestion.pipeline.scan import candidate_finditer, has_any, has_odd_case, occurrences

# Headings that open a block of other articles or of comments.
_HEADING: Final = re.compile(
    r"(?:những |các )?tin (?:mới|cũ) hơn|(?:những |các )?bài (?:mới|cũ) hơn|đọc thêm|xem thêm|"
    r"(?:có thể )?bạn (?:có thể )?quan tâm|tin (?:bài )?liên quan|bài (?:viết )?liên quan|tin cùng chuyên mục|"
    r"(?:các )?tin khác|(?:các )?tin đã đưa|tin mới nhất|tin nổi bật|(?:tin |bài )?đọc nhiều(?: nhất)?|"
    r"xem nhiều(?: nhất)?|bình luận|ý kiến bạn đọc|gửi bình luận|viết bình luận|gửi ý kiến|ý kiến của bạn|"
    r"chủ đề(?: [^.!?\n]{0,60})?|từ khóa(?::[^\n]{0,200})?|tags?:[^\n]{0,200}|chia sẻ|in bài|bản in|gửi email|"
    r"lên đầu trang|video liên quan|ảnh liên quan|chuyên mục(?: [^.!?\n]{0,60})?",
    re.IGNORECASE,
)
# Headings of a box set inside the article: only the box goes.
_INLINE_HEADING: Final = re.compile(
    r"tin (?:bài )?liên quan|bài (?:viết )?liên quan|xem thêm|video liên quan|ảnh liên quan", re.IGNORECASE
)
_HEADING_LINE: Final = re.compile(r"^[ \t]*(?=[NnCcTtBbĐđXxÝýGgVvLlẢảIi])", re.MULTILINE)
_IMAGE_HINT: Final = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic|avif)", re.IGNORECASE)
_VIEWS_HINT: Final = re.compile(r"xem|đọc|truy cập|views?|thích|chia sẻ|bình luận", re.IGNORECASE)
_IMAGE_FILE: Final = re.compile(
    r"(?<!\S)[^\s/]*?[\w)-]\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic|avif)(?:\?\S*)?(?!\w)", re.IGNORECASE
)
_VIEWS: Final = re.compile(
    r"(?:số )?(?:lượt xem|lượt đọc|lượt truy cập|đã xem|views?)\s*:?\s*[0-9][0-9.,]*|"
    r"[0-9][0-9.,]*\s*lượt (?:xem|đọc|thích|chia sẻ|bình luận)",
    re.IGNORECASE,
)
_DATE_NUM = r"([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{4})"
_TIME = r"[0-9]{1,2}\s*[:hg]\s*[0-9]{2}(?:\s*(?:AM|PM|SA|CH))?"
_WEEKDAY = r"(?:thứ (?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ nhật)"
_STAMP: Final = re.compile(
    rf"(?:(?:ngày |thời gian )?(?:cập nhật|đăng|đăng tải|xuất bản|phát hành)(?: ngày| lúc)?|ngày đăng|đăng lúc)"
    rf"\s*:?\s*(?:{_TIME}\s*[,|-]?\s*)?(?:{_WEEKDAY}\s*,?\s*)?(?:ngày\s*)?{_DATE_NUM}"
    rf"(?:\s*[,|-]?\s*(?:lúc\s*)?{_TIME})?(?:\s*\(?GMT\s*\+\s*7\)?)?",
    re.IGNORECASE,
)
_STAMP_LINE: Final = re.compile(
    rf"\s*(?:{_TIME}\s*[,|-]?\s*)?(?:{_WEEKDAY}\s*,?\s*)?(?:ngày\s*)?{_DATE_NUM}"
    rf"(?:\s*[,|-]?\s*(?:lúc\s*)?{_TIME})?(?:\s*\(?GMT\s*\+\s*7\)?)?\s*",
    re.IGNORECASE,
)
# A crawler's header: "date 2021-03" or "date: 2021-03-05T10:00".
_ISO_STAMP: Final = re.compile(
    r"\s*(?:date|published|pubdate)\s*:?\s*([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?(?:T[0-9:.+Z-]*)?\s*",
    re.IGNORECASE,
)
_NAME = rf"{CAP_WORD}(?: {CAP_WORD}){{0,3}}"
_BYLINE_LABEL: Final = re.compile(
    r"\s*(?:tác giả|bài(?: và ảnh| và video|, ảnh| - ảnh|/ảnh| & ảnh)?|tin(?:, ảnh| và ảnh)?|ảnh|"
    r"nhóm (?:pv|phóng viên)|phóng viên|pv|video|clip|thực hiện|biên tập|nhóm tác giả)\s*:\s*(.{2,120}?)\s*$",
    re.IGNORECASE,
)
_SOURCE_LABEL: Final = re.compile(r"\s*(?:nguồn(?: tin)?|theo)\s*:?\s*(.{2,100}?)\s*$", re.IGNORECASE)
# "Tiến Long/ HTTV", "Thu Hà - Minh Anh", "Quang Đạt (Báo X)" alone on the last line.
_BYLINE_BARE: Final = re.compile(
    rf"\s*({_NAME}(?:\s*(?:,|-|và)\s*{_NAME})*)\s*(?:[/|]\s*([^\n]{{1,40}}?)|\(([^()\n]{{1,40}})\))?"
    r"\s*\.?\s*$"
)
# "Ảnh Huy Tùng." closing a caption, or "(Ảnh: Thanh Hà)" anywhere.
# Each alternative starts on a literal so that the engine can skip ahead
# to "(", "Ả" or "ả" instead of trying every position.
_PHOTO_CREDIT: Final = re.compile(
    rf"\(\s*[Ảả]nh\s*:?\s*({_NAME}|[A-ZĐ]{{2,10}})\s*\)|Ả(?<=[\s.]Ả)nh\s*:?\s*({_NAME})\s*\.?\s*$|"
    rf"ả(?<=[\s.]ả)nh\s*:?\s*({_NAME})\s*\.?\s*$",
    re.MULTILINE,
)
# "(Baohatinh.vn) - " opening the lead.
_SOURCE_PREFIX: Final = re.compile(r"^\s*\(([^()\n]{2,40})\)\s*-\s*", re.MULTILINE)
# The signature closing an official document: the signer's position in
# capitals ("PHÓ BÍ THƯ"), "(Đã ký)", then the name. The signer is a person
# of the document, not its byline.
_SIGNATURE: Final = re.compile(
    rf"^[ \t]*([{UPPER}][{UPPER} ]{{2,60}}[{UPPER}])[ \t]*\n(?:[ \t]*\n)*"
    rf"[ \t]*\((?:[Đđ]ã ký|[Kk]ý tên)[^()\n]{{0,30}}\)[ \t]*\n(?:[ \t]*\n)*[ \t]*({_NAME})[ \t]*$",
    re.MULTILINE,
)
_SENTENCE_END: Final = re.compile(r"[.!?…:;\"”)]\s*$")
_WORDS: Final = re.compile(rf"[{LETTER}]+")


@dataclass
class Cleaned:
    """The text with furniture blanked, and what the furniture told."""

    text: str
    authors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    published: str | None = None
    removed: list[tuple[int, int, str]] = field(default_factory=list)
    # (name, position as written, start, end of the name) of a document's signer.
    signers: list[tuple[str, str, int, int]] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line and not line.isspace():
            out.append((pos, end))
        pos = end + 1
    return out


# A day/month/year inside one line: every stamp holds one, so only the
# lines that do are tried against the (slower) stamp patterns.
_DATE_IN_LINE: Final = re.compile(r"[0-9][0-9]?[^\S\n]*[/.-][^\S\n]*[0-9][0-9]?[^\S\n]*[/.-][^\S\n]*[0-9]{4}")
# Characters that IGNORECASE matches beyond what ``str.lower`` gives
# ("ı", "ſ") or that ``str.lower`` lengthens ("İ"): with any of them
# (``has_odd_case``) the plain-string prefilters below step aside for the regex.
_VIEW_WORDS = ("xem", "đọc", "truy cập", "view", "thích", "chia sẻ", "bình luận")
# What a stamp line can start with (after blanks) besides a digit: a weekday, "ngày".
_STAMP_LINE_FIRST: Final = frozenset("TtCcNn")
_STAMP_WORDS = ("cập nhật", "đăng", "xuất bản", "phát hành")
_HEADING_FIRST: Final = frozenset("NnCcTtBbĐđXxÝýGgVvLlẢảIi")


def _collapse(line: str) -> str:
    """``" ".join(line.split())`` without splitting a line that has nothing
    to collapse: printable text has no whitespace but the plain space."""
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


def _source_prefix(text: str, cut: int, limit: float) -> re.Match[str] | None:
    """The first match of ``_SOURCE_PREFIX.finditer(text, 0, cut)`` if it
    starts at or before ``limit``, else None. A match starts a line, so
    only the line starts are tried, in order."""
    q = 0
    while q <= limit:
        m = _SOURCE_PREFIX.match(text, q, cut)
        if m is not None:
            return m
        q = text.find("\n", q, cut) + 1
        if q == 0:
            return None
    return None


def _photo_credits(text: str, cut: int) -> Iterator[re.Match]:
    """What ``_PHOTO_CREDIT.finditer(text, 0, cut)`` yields, tried only where
    a credit can start: at "Ảnh"/"ảnh" and at a "(" before one (blanks
    between), found with ``str.find`` instead of a scan for "(", "Ả", "ả"."""
    starts: set[int] = set()
    for word in ("Ảnh", "ảnh"):
        for p in occurrences(text, word, cut):
            starts.add(p)
            q = p - 1
            while q >= 0 and text[q].isspace():
                q -= 1
            if q >= 0 and text[q] == "(":
                starts.add(q)
    return candidate_finditer(_PHOTO_CREDIT, text, sorted(starts), cut)


# The last words of the last paragraph, after a full stop: a name of two to
# four words, capitalised or in capitals, maybe with a dash after it.
_BYLINE_RUN_ON: Final = re.compile(
    rf"(?<=[.!?…”\"])\s+((?:{CAP_WORD}|[{UPPER}]{{2,}})(?: (?:{CAP_WORD}|[{UPPER}]{{2,}})){{1,3}})\s*(?:-\s*)?$"
)
_INLINE_CREDIT: Final = re.compile(
    rf"\(?\s*Ảnh(?: minh họa| minh hoạ| tư liệu)?\s*:\s*(?:[A-ZĐ]{{2,10}}\s*/\s*)?((?:{CAP_WORD})(?: {CAP_WORD}){{1,3}})(?:\s*/\s*[A-ZĐ]{{2,10}})?\s*\)?"
)
# Words that open the sentence after a credit run into the text.
_OPENERS: Final = frozenset(
    "Ngày Sáng Chiều Tối Về Theo Tại Trong Đồng Thủ Phó Chủ Bí Tổng Các Những Năm Sau Khi Với Đây Để Hội Ông Bà "
    "Đại Lãnh Thường Ban Ủy Uỷ Tỉnh Thành Huyện".split()
)


def _inline_credits(text: str, cut: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of each "Ảnh: Name" inside a line, the name
    without the first word of the sentence run on after it."""
    for p in occurrences(text, "Ảnh", cut):
        m = _INLINE_CREDIT.match(text, p)
        if m is None or (p and text[p - 1] not in " .(\n\t"):
            continue
        words = m.group(1).split(" ")
        if words[0] in _OPENERS:
            continue  # a body ("Ảnh: Ban Kinh tế Trung ương"), not a person
        if words[-1] not in _OPENERS and text[m.end(1) : m.end(1) + 2].strip(" ")[:1].islower():
            continue  # a phrase goes on after the words: no name
        if words[-1] in _OPENERS:
            words.pop()
            if len(words) < 2:
                continue
            name = " ".join(words)
            yield p, m.start(1) + len(name), name
            continue
        yield p, m.end(), m.group(1)


def _iso(y: str, m: str, d: str | None) -> str | None:
    month = int(m)
    if not 1 <= month <= 12:
        return None
    if d is None:
        return f"{int(y):04d}-{month:02d}"
    day = int(d)
    if not 1 <= day <= 31:
        return None
    return f"{int(y):04d}-{month:02d}-{day:02d}"


def _split_names(text: str) -> list[str]:
    names = []
    for part in re.split(r"\s*(?:,|;|&|\s-\s|\bvà\b|/)\s*", text):
        part = part.strip(" .")
        if re.fullmatch(_NAME, part) and len(part.split()) >= 2:
            names.append(part)
    return names


def strip_furniture(text: str) -> Cleaned:
    """Blank page furniture in ``text`` (same length) and collect authors."""
    removed: list[tuple[int, int, str]] = []
    authors: list[str] = []
    sources: list[str] = []
    published: str | None = None
    n = len(text)
    lines = _lines(text)

    def drop(s: int, e: int, why: str) -> None:
        if e > s:
            removed.append((s, e, why))

    # Related-news and comment blocks. Late in the page: everything after
    # the heading goes. Earlier (a box inside the article): the heading and
    # the list of headlines under it.
    cut = n
    for i, (s, e) in enumerate(lines):
        raw_line = text[s:e]
        # _HEADING_LINE: the line's first character after blanks and tabs.
        first = raw_line.lstrip(" \t")[:1]
        if first not in _HEADING_FIRST or not first:
            continue
        line = raw_line.strip()
        if len(line) > 120 or not _HEADING.fullmatch(line.rstrip(" :.")):
            continue
        inline = _INLINE_HEADING.fullmatch(line.rstrip(" :."))
        if not inline and (s >= 0.35 * n or i >= len(lines) - 3):
            cut = s
            break
        drop(s, e, "related")
        for s2, e2 in lines[i + 1 :]:
            following = text[s2:e2].strip()
            if len(following) > 200 or _SENTENCE_END.search(following):
                break
            drop(s2, e2, "related")
    if cut < n:
        drop(cut, n, "related")
    body_lines = [(s, e) for s, e in lines if e <= cut]

    # Crawler and CMS stamps, view counters, image file names.
    seen: dict[str, int] = {}
    # Cheap whole-text checks first: most articles have no file names or
    # counters at all, and then no line is scanned for them.
    any_image = "." in text and bool(_IMAGE_HINT.search(text, 0, cut))
    head = text[:cut]
    odd_case = has_odd_case(head)
    low = ""
    if odd_case:
        any_views = bool(_VIEWS_HINT.search(text, 0, cut))
        any_stamp = True
    else:
        low = head.lower()
        any_views = has_any(low, _VIEW_WORDS)
        # A line can hold a stamp word only if the text does.
        any_stamp = has_any(low, _STAMP_WORDS)
    for idx, (s, e) in enumerate(body_lines):
        line = text[s:e]
        m = _ISO_STAMP.match(line) if idx < 3 else None
        if m:
            published = published or _iso(m.group(1), m.group(2), m.group(3))
            drop(s, s + m.end(), "stamp")
        # Stamps and counters sit on short lines, never inside paragraphs.
        short = len(line) <= 300
        dated = short and ("/" in line or "-" in line or "." in line)
        # The lowered text's slice is the lowered line: nothing in it
        # lowers to more characters, and a line is bounded by newlines.
        low_line = (line.lower() if odd_case else low[s:e]) if (dated and any_stamp) or any_views else ""
        # Every stamp label holds one of these words (none of them has a
        # letter that IGNORECASE folds beyond ``str.lower``).
        labelled = dated and any_stamp and has_any(low_line, _STAMP_WORDS) and _DATE_IN_LINE.search(line)
        for m in _STAMP.finditer(line) if labelled else ():
            published = published or _iso(m.group(3), m.group(2), m.group(1))
            drop(s + m.start(), s + m.end(), "stamp")
        first = line.lstrip()[:1]
        if len(line) <= 80 and dated and (first in _STAMP_LINE_FIRST or first.isdecimal()):
            m = _STAMP_LINE.fullmatch(line)
            if m:
                published = published or _iso(m.group(3), m.group(2), m.group(1))
                drop(s, e, "stamp")
        viewed = short and any_views and (odd_case or has_any(low_line, _VIEW_WORDS))
        for m in _VIEWS.finditer(line) if viewed else ():
            drop(s + m.start(), s + m.end(), "views")
        # _IMAGE_FILE starts on a lookbehind (tried at every character):
        # only lines holding a file extension are scanned with it.
        for m in _IMAGE_FILE.finditer(line) if any_image and _IMAGE_HINT.search(line) else ():
            drop(s + m.start(), s + m.end(), "image")
        # A line said again word for word is a repeated caption or title.
        key = _collapse(line)
        if len(key) <= 300:
            if key in seen:
                drop(s, e, "repeat")
            else:
                seen[key] = idx

    # Source before the lead: "(Baohatinh.vn) - ".
    # Only the first match counts, when it starts in the first 30%.
    m = _source_prefix(text, cut, 0.3 * n) if "(" in head else None
    if m is not None and not re.search(r"[0-9]", m.group(1)):
        sources.append(m.group(1).strip())
        drop(m.start(), m.end(), "source")

    # A signature on the last line: nothing under it is a byline.
    signers: list[tuple[str, str, int, int]] = []
    if body_lines and "ký" in text[body_lines[-6:][0][0] : body_lines[-1][1]].lower():
        for m in _SIGNATURE.finditer(text, body_lines[-6:][0][0], body_lines[-1][1]):
            if m.end() == body_lines[-1][1] and len(m.group(2).split()) >= 2:
                signers.append((m.group(2), " ".join(m.group(1).split()), m.start(2), m.end(2)))

    # Bylines and sources on the last lines of the article.
    tail = [ln for ln in body_lines[-4:]] if not signers else []
    for s, e in reversed(tail):
        line = text[s:e]
        m = _BYLINE_LABEL.match(line)
        if m:
            authors[:0] = _split_names(m.group(1)) or []
            drop(s, e, "byline")
            continue
        m = _SOURCE_LABEL.match(line)
        if m and len(line) < 110 and not _SENTENCE_END.search(line.rstrip(".")):
            sources.append(m.group(1).strip())
            drop(s, e, "source")
            continue
        if len(line.strip()) <= 70:
            m = _BYLINE_BARE.match(line)
            if m and len(_WORDS.findall(m.group(1))) <= 8:
                authors[:0] = _split_names(m.group(1))
                if m.group(2) or m.group(3):
                    sources.append((m.group(2) or m.group(3)).strip())
                drop(s, e, "byline")
                continue
        break

    # A byline run on at the end of the last paragraph ("… trong tỉnh.
    # Việt Tuấn", "… LƯƠNG THIỆN").
    if not signers and body_lines and not any(why == "byline" for _, _, why in removed):
        s, e = body_lines[-1]
        m = _BYLINE_RUN_ON.search(text, max(s, e - 60), e)
        if (
            m is not None
            and m.group(1).split(" ")[0] not in ("Theo", "Nguồn")
            and not text[m.end() : m.end() + 2].strip(" ")[:1].islower()
        ):
            authors[:0] = [m.group(1)]
            drop(m.start(1), m.end(), "byline")

    # Photo credits inside captions.
    credited: list[tuple[int, int]] = []
    for m in _photo_credits(text, cut):
        name = m.group(1) or m.group(2) or m.group(3)
        if name and len(name.split()) >= 2:
            authors.append(name)
        drop(m.start(), m.end(), "credit")
        credited.append(m.span())
    # "Ảnh: VGP/Quang Hiếu Về các chỉ số …": a caption's credit run into
    # the text that follows it.
    for cs, ce, name in _inline_credits(text, cut):
        if not any(a <= cs < b for a, b in credited):
            authors.append(name)
            drop(cs, ce, "credit")

    cleaned = _blank(text, removed)
    seen_authors: list[str] = []
    for a in authors:
        if a not in seen_authors:
            seen_authors.append(a)
    return Cleaned(
        text=cleaned,
        authors=seen_authors,
        sources=sources,
        published=published,
        removed=sorted(removed),
        signers=signers,
    )


def _blank(text: str, removed: list[tuple[int, int, str]]) -> str:
    """Replace the removed stretches by spaces, keeping newlines."""
    if not removed:
        return text
    parts = []
    last = 0
    for s, e, _ in sorted(removed):
        if s < last:
            s = last
        if e <= s:
            continue
        parts.append(text[last:s])
        chunk = text[s:e]
        if "\n" in chunk:
            parts.append("\n".join(" " * len(piece) for piece in chunk.split("\n")))
        else:
            parts.append(" " * len(chunk))
        last = e
    parts.append(text[last:])
    return "".join(parts)
