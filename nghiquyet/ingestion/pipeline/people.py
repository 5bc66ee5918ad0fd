"""People named in the text, each once, with every position given them.

Forms of the genre:
- "đồng chí X, title, title; đồng chí Y - title" and "Các đồng chí: X - …; Y - …";
- a title before the name: "Bí thư Tỉnh ủy X", "Phó Thủ tướng X", "Trung tá X";
- captions "X - title phát biểu", "ông X, title".
A name is two to five capitalised syllables; outside "đồng chí"/"ông"/"bà"
it must start with a family name, which keeps places ("Hà Tĩnh") out.
Words that are both given names and words of bodies or titles ("Thư",
"Hội", "Đoàn") are refused only where their neighbours make them the
latter ("Bí Thư", "Hội Nông dân", "Đoàn viên").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Final

from nghiquyet.ingestion.pipeline.lexicon import (
    ADMIN_LEVELS,
    BODY_WORDS,
    CAP_WORD,
    LETTER,
    LOWER,
    RANKS,
    SURNAMES,
    TITLE_HEADS,
    TITLE_LOWER_PHRASES,
    TITLE_LOWER_WORDS,
    TITLE_STOP_WORDS,
    UPPER,
    expand_abbreviations,
    expand_class,
    first_chars,
)
from nghiquyet.ingestion.pipeline.normalize import new_tone_style
from nghiquyet.ingestion.pipeline.places import province_names
from nghiquyet.ingestion.pipeline.scan import trie_pattern
from nghiquyet.ingestion.pipeline.spans import SpanSet
from nghiquyet.ingestion.pipeline.triggers import Triggers, scan_matches


def _both_cases(words) -> list[str]:
    # The genre capitalises titles next to names ("Bí thư Tỉnh ủy X", "X,
    # Phó Chủ tịch UBND tỉnh"); the lower-case forms are generic nouns
    # ("các bí thư chi bộ") and are left out, which also keeps the scan fast.
    return sorted(set(words), key=len, reverse=True)


# Tries rather than longest-first alternations (here and in the lookaheads
# of _GENERIC, where only "does one of the words start here" counts): the
# same matches, without trying a hundred titles one after the other at
# each capitalised word.
_HEAD: Final = re.compile(
    rf"{first_chars(_both_cases(TITLE_HEADS) + RANKS)}(?<![{LETTER}])"
    rf"(?:(?P<rank>{trie_pattern(RANKS)})|(?P<head>{trie_pattern(_both_cases(TITLE_HEADS))}))(?![{LETTER}])"
)
# Where a title can start (a trie starting on literals, so the engine skips
# ahead): full scans go through it, and _HEAD is tried only there.
_HEAD_WORDS = _both_cases(TITLE_HEADS) + list(RANKS)
# Every title and rank is two words or more, the first of them letters
# only: _HEAD can only match where the word there is one of these.
_HEAD_FIRST_WORDS: Final = frozenset(h.split(" ")[0] for h in _HEAD_WORDS)
_HEAD_GATE: Final = re.compile(trie_pattern(_HEAD_WORDS, not_after=LETTER))
_ANCHOR_WORDS = ["Đồng chí", "đồng chí", "Ông", "ông", "Bà", "bà"]
_ANCHOR_TRIE = trie_pattern(_ANCHOR_WORDS, not_after=LETTER)
_ANCHOR: Final = re.compile(rf"{_ANCHOR_TRIE}(?:\s*:)?\s+(?=[{UPPER}])")
_NAME_WORD: Final = re.compile(CAP_WORD)
_UPPER_CHARS: Final = frozenset(expand_class(UPPER))
_LOWER_CHARS = expand_class(LOWER)


def _is_cap_word(word: str) -> bool:
    """``_NAME_WORD.fullmatch(word)`` by two string operations."""
    return word[:1] in _UPPER_CHARS and not word[1:].strip(_LOWER_CHARS)


_BODY_WORD: Final = re.compile(trie_pattern(BODY_WORDS) + f"(?![{LETTER}])")
# Every body word is two words or more: _BODY_WORD can only match where
# the token is the first word of one of them.
_BODY_FIRST_WORDS: Final = frozenset(w.split(" ")[0] for w in BODY_WORDS)
# A token (after one optional space): a parenthesis, or a run of letters,
# digits and "&", dotted abbreviations whole ("T.Ư", "TP.HCM"), with a
# full stop that ends an abbreviation ("TP.").
_TOKEN: Final = re.compile(rf"\([^()\n]{{1,60}}\)|[{LETTER}0-9&]+(?:\.[{UPPER}][{LETTER}]*)*(?:\.(?=[ ,]))?")
_CAP_RUN: Final = re.compile(rf"{CAP_WORD}(?: {CAP_WORD}){{1,4}}(?![{LETTER}])")
_GENERIC: Final = re.compile(
    rf"{first_chars(SURNAMES)}(?<![{LETTER}])(?={trie_pattern(SURNAMES)} )({CAP_WORD}(?: {CAP_WORD}){{1,3}})"
    rf"\s*(?:-|,|\()\s*(?={trie_pattern(_both_cases(TITLE_HEADS) + list(RANKS))})"
)
_GENERIC_GATE: Final = re.compile(trie_pattern(SURNAMES, not_after=LETTER))
# Capitalised words that belong to bodies, titles and sentence openings,
# never to a Vietnamese name.
_NOT_NAME: Final = frozenset(
    "Tỉnh Huyện Xã Phường Quận Đảng Ủy Uỷ Sở Bộ Cục Nhà Nước Mặt Trận Vụ Khối Chủ Tịch Bí Phó Giám Đốc "
    "Trưởng Ương Họp Khen Cờ Chỉ Hoạch Tối Ngày Tháng Theo Tại Trong Sau Khi Các Những Với Đây Đó Này Cùng "
    "Ông Bà Tổng".split()
)
# Given names (and family names: Đoàn, Trình, Đồng) that are also words of
# bodies, titles, document kinds and times: part of a name unless their
# context makes them that other word. Each maps to (the words before it
# that do: "Bí Thư", "Ủy Viên"; the words after it that do: "Thành ủy",
# "Quyết định", "Đoàn viên"; whether a body's name or a title right after
# it does, as for the heads of bodies: "Ban Tổ chức", "Hội Nông dân",
# "Đoàn Thanh niên", "Ban Bí thư"). Besides, a body word or a title
# starting with the word itself ("Chính trị", "Thường vụ", "Hội đồng",
# "Thư ký") does. Next words are compared as written: "Đoàn Thanh Hà" is a
# name, "Đoàn thanh niên" a body.
_NAME_OR_BODY: Final[dict[str, tuple[frozenset[str], frozenset[str], bool]]] = {
    word: (frozenset(before.split()), frozenset(after.split()), head)
    for word, before, after, head in (
        ("Thư", "Bí Tổng", "ký Ký viện", False),
        ("Viên", "Ủy Uỷ Đảng Đoàn Hội Trị Sát", "chức", False),
        ("Thành", "", "ủy uỷ Ủy Uỷ phố Phố đoàn viên", False),
        ("Quyết", "Nghị", "định Định", False),
        ("Định", "Quyết Nghị Quy", "", False),
        ("Nghị", "Hội Kiến Đề", "quyết Quyết định Định", False),
        ("Kết", "", "luận Luận quả Quả", False),
        ("Luận", "Kết", "", False),
        ("Chương", "", "trình Trình", False),
        ("Trình", "Chương", "", False),
        ("Kế", "", "hoạch Hoạch toán Toán", False),
        ("Bằng", "", "khen Khen", False),
        ("Kỳ", "", "họp Họp", False),
        ("Lễ", "", "Trao Kỷ Khai Bế Công Ra Đón Tuyên Dâng Mít", False),
        ("Sáng", "", "nay mai qua hôm ngày sớm", False),
        ("Chiều", "", "nay mai qua hôm ngày", False),
        ("Đồng", "Hội", "chí Chí bào", False),
        ("Chí", "Đồng", "", False),
        ("Chính", "", "Trị Phủ Sách", False),
        ("Thường", "", "Vụ Trực", False),
        ("Hội", "", "nghị Nghị viên thảo thi diễn", True),
        ("Ban", "", "chấp thường chỉ tổ tuyên quản bí dân kinh nội kiểm đại cán", True),
        ("Đoàn", "", "viên thanh đại công kiểm giám chủ khối luật ĐBQH TNCS", True),
    )
}
# The words ``_not_in_name`` has to look at: every other word is a name's.
_MAYBE_NOT_NAME: Final = _NOT_NAME | frozenset(_NAME_OR_BODY)
_NEXT_WORD: Final = re.compile(rf" ([{LETTER}]+)")
_ORG_LEVEL_NEEDS_PLACE: Final = frozenset(
    {
        "xã",
        "phường",
        "huyện",
        "quận",
        "thị xã",
        "thị trấn",
        "thành phố",
        "thôn",
        "xóm",
        "bản",
        "Huyện ủy",
        "Thị ủy",
        "Thành ủy",
        "Quận ủy",
        "Xã",
        "Phường",
        "đặc khu",
        "TP.",
    }
)
_AFTER_NAME: Final = re.compile(
    rf"\s*(?:-|,|\(|:)\s*|\s+(?=nguyên [{UPPER}])|"
    r"\s+(?:tiếp tục\s+)?(?:(?:được bầu(?: lại)?|được chỉ định|được bổ nhiệm|được phân công)\s+)?"
    r"(?:giữ chức(?: vụ)?|làm|là)\s+"
)
_LOWER_PHRASES = sorted(TITLE_LOWER_PHRASES, key=len, reverse=True)
# The same, by first letter (longest first within each), so a token is
# compared with the few phrases that can start with it.
_LOWER_PHRASES_BY_FIRST: dict[str, list[str]] = {}
for _p in _LOWER_PHRASES:
    _LOWER_PHRASES_BY_FIRST.setdefault(_p[0], []).append(_p)
# Between two titles: a comma, "và", a dash, "kiêm", "giữ chức"; a term
# given for the first ("…, nhiệm kỳ 2014 - 2019, Ủy viên …") is passed over.
_SEP_TITLE: Final = re.compile(
    r"(?:\s*,\s*(?:nhiệm kỳ|khóa)\s+[0-9IVXLC]+(?:\s*[-–]\s*[0-9]+)?)?"
    r"(?:\s*(?:,|và|-|–)\s+(?:kiêm\s+)?|\s+kiêm\s+|\s+giữ chức(?: vụ)?\s+)"
)
# A former post: "nguyên Bí thư Đảng ủy …".
_FORMER: Final = "nguyên "
_CLOSE: Final = re.compile(r"\s*\)")
_POSSESSOR: Final = re.compile(r"(?:của|với|cho|thay mặt|ủy quyền)\s+$")
# Middle names ("tên đệm") common enough to tell a person from a place
# after a level word ("Thành ủy Lê Văn Thành", not "Thành ủy Hà Nội").
_MIDDLE_NAMES: Final = frozenset(
    "Văn Thị Đức Hữu Minh Quốc Ngọc Thanh Xuân Công Đình Trọng Quang Hồng Kim Bá Anh Thế Tuấn Mạnh Duy Khắc "
    "Viết Tiến Trung Hoài Thu Thúy Phương Hải Hoàng Như Diệu Bích Mỹ".split()
)
_LEADS_TEAM: Final = re.compile(r",?\s+(?:làm|là)\s+[Tt]rưởng đoàn(?![{LETTER}])".replace("{LETTER}", LETTER))
_SHARED: Final = re.compile(r"\s*:\s*(?:(?:các\s+)?đồng chí\s+)?(?=[" + UPPER + "])")
_DANGLING: Final = frozenset({"khóa", "nhiệm kỳ"})
# Posts that need no body after them: the capitalised words right after
# one are its holder's name ("Chủ tịch Hồ Chí Minh").
_BARE_POSTS: Final = frozenset({"Tổng Bí thư", "Chủ tịch", "Chủ tịch nước", "Thủ tướng"})
_SEP_PERSON: Final = re.compile(r"\s*(?:;|,|và)\s*(?:(?:các\s+)?đồng chí\s+)?")


@dataclass
class Mention:
    """One mention of a person: the name's span and the titles given there."""

    name: str
    start: int
    end: int
    titles: list[str]
    extent: tuple[int, int]


@dataclass
class Person:
    """A person with every title the text gives them."""

    name: str
    titles: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


_PARENS: Final = re.compile(r"\([^)]*\)")
_PARENS_BEFORE: Final = re.compile(r"\s*\([^()]*\)")
_PAREN_NAMES: Final = re.compile(rf"[{UPPER}][{LETTER}]*(?:[ ,-]+[{UPPER}][{LETTER}]*)*")


def title_key(title: str) -> frozenset[str]:
    """Token set of a title with abbreviations written out, for comparing."""
    text = expand_abbreviations(title).replace("ủy viên trung ương", "ủy viên ban chấp hành trung ương")
    if "(" in text:
        text = _PARENS.sub(" ", text)
    return frozenset(text.split())


def _name_key(name: str) -> str:
    """``nghiquyet.core.text.normalize_name`` (NFC, new tone style,
    casefold, single spaces) through the one-scan tone pass: the same key."""
    return " ".join(new_tone_style(unicodedata.normalize("NFC", name)).casefold().split())


def _not_in_name(text: str, words: list[str], starts: list[int], i: int) -> bool:
    """Whether ``words[i]`` (starting at ``starts[i]`` in ``text``) is, here,
    a word of a body, a title or a document's kind rather than of a name."""
    word = words[i]
    if word in _NOT_NAME:
        return True
    ctx = _NAME_OR_BODY.get(word)
    if ctx is None:
        return False
    before, after, head = ctx
    if i and words[i - 1] in before:
        return True
    start = starts[i]
    end = start + len(word)
    nxt = _NEXT_WORD.match(text, end)
    if nxt is not None:
        if nxt.group(1) in after:
            return True
        if head:
            at = nxt.start(1)
            first = nxt.group(1)
            if (first in _BODY_FIRST_WORDS and _BODY_WORD.match(text, at)) or (
                first in _HEAD_FIRST_WORDS and _HEAD.match(text, at)
            ):
                return True
    if word in _BODY_FIRST_WORDS:
        body = _BODY_WORD.match(text, start)
        if body is not None and body.end() > end:
            return True
    return word in _HEAD_FIRST_WORDS and _HEAD.match(text, start) is not None


def _is_name(text: str, words: list[str], starts: list[int], *, anchored: bool) -> bool:
    if not 2 <= len(words) <= 5:
        return False
    for i, w in enumerate(words):
        if not _is_cap_word(w) or (w in _MAYBE_NOT_NAME and _not_in_name(text, words, starts, i)):
            return False
    if " ".join(words) in province_names():
        return False
    return anchored or words[0] in SURNAMES


def trigger_words() -> dict[str, list[str]]:
    """The words the scans start on (see ``triggers``): titles and ranks,
    family names, and "đồng chí", "ông", "bà"."""
    return {"people.head": _HEAD_WORDS, "people.surname": list(SURNAMES), "people.anchor": _ANCHOR_WORDS}


class _Parser:
    def __init__(self, text: str, triggers: Triggers | None = None) -> None:
        self.text = text
        self.triggers = triggers
        self.mentions: list[Mention] = []
        self.consumed = SpanSet()

    # -- titles -----------------------------------------------------------
    def org_tokens(self, pos: int) -> list[tuple[str, int, int, str]]:
        """Tokens continuing a title from ``pos``: (word, start, end, class)."""
        text = self.text
        toks: list[tuple[str, int, int, str]] = []
        while len(toks) < 24:
            s = pos + 1 if text.startswith(" ", pos) else pos
            m = _TOKEN.match(text, s)
            if not m:
                break
            tok = m.group()
            e = m.end()
            if tok[0] == "(":
                inner = tok[1:-1].strip()
                if toks and _PAREN_NAMES.fullmatch(inner):
                    toks.append((tok, s, e, "paren"))
                    pos = e
                    continue
                break
            word = tok.rstrip(".")
            ends_sentence = tok[-1] == "." and word not in ("TP", "Tp")
            if word[0].isupper():
                if toks and word in _HEAD_FIRST_WORDS:
                    head = _HEAD.match(text, s)
                    if head and toks[-1][0] == "Văn phòng":
                        # "Văn phòng Chủ tịch nước": the office of a post, a body
                        toks.append((head.group(), s, head.end(), "cap"))
                        pos = head.end()
                        continue
                    if head:
                        break  # a second title glued on: stop here
                body = _BODY_WORD.match(text, s) if word in _BODY_FIRST_WORDS else None
                if body and body.end() > s + len(word):
                    toks.append((body.group(), s, body.end(), "cap"))
                    pos = body.end()
                    continue
                toks.append((word, s, s + len(word), "cap"))
            elif word[0].isdigit():
                break
            else:
                if toks and toks[-1][3] == "cap" and self._ends_with_name(toks):
                    break  # lower-case after a person's name: the verb
                phrase = None
                for p in _LOWER_PHRASES_BY_FIRST.get(text[s], ()):
                    if text.startswith(p, s) and not text[s + len(p) : s + len(p) + 1].isalpha():
                        phrase = p
                        break
                if phrase:
                    toks.append((phrase, s, s + len(phrase), "low"))
                    pos = s + len(phrase)
                    continue
                if word == "và" and toks and toks[-1][3] == "cap":
                    # "Nông nghiệp và Môi trường": "và" inside a body's name,
                    # unless a person or a second title follows.
                    nxt = _NAME_WORD.match(text, e + 1)
                    if nxt and nxt.group() not in SURNAMES and not _HEAD.match(text, e + 1):
                        toks.append((word, s, e, "low"))
                        pos = e
                        continue
                    break
                if word in TITLE_STOP_WORDS or word not in TITLE_LOWER_WORDS or word in ("và", "các"):
                    break
                toks.append((word, s, s + len(word), "low"))
            pos = s + len(word)
            if ends_sentence:
                break
        # A title does not end on a dangling lower-case level word
        # unless it is the level of the body ("UBND tỉnh").
        return toks

    @staticmethod
    def _ends_with_proper_name(toks: list[tuple[str, int, int, str]]) -> bool:
        """Whether a title's tokens end on two or more capitalised words
        that no level word ("Thành ủy", "tỉnh") or body puts there: the
        name of someone the lexicon of family names does not know."""
        tail = 0
        for tok in reversed(toks):
            if tok[3] != "cap" or not _is_cap_word(tok[0]):
                break
            tail += 1
        if tail < 2 or len(toks) == tail:
            return tail >= 2
        before = toks[-tail - 1][0]
        return not (
            before in _ORG_LEVEL_NEEDS_PLACE or before in ADMIN_LEVELS or before.endswith(("ủy", "uỷ"))
        )

    @staticmethod
    def _ends_with_name(toks: list[tuple[str, int, int, str]]) -> bool:
        tail = 0
        for tok in reversed(toks):
            if tok[3] != "cap" or not _is_cap_word(tok[0]):
                break
            tail += 1
        if tail < 2:
            return False
        for k in range(2, min(tail, 4) + 1):
            if toks[-k][0] in SURNAMES:
                return True
        return False

    def parse_title(self, pos: int) -> tuple[str, int, list] | None:
        """A title starting exactly at ``pos``: (title, end, org tokens);
        a former post keeps its "nguyên"."""
        former = self.text.startswith(_FORMER, pos)
        m = _HEAD.match(self.text, pos + len(_FORMER) if former else pos)
        if not m:
            return None
        if m.group("rank"):
            return m.group("rank"), m.end(), []
        toks = self.org_tokens(m.end())
        while toks and toks[-1][0] in _DANGLING and toks[-1][3] == "low":
            toks.pop()  # "nhiệm kỳ" without its years
        if len(toks) >= 2 and toks[-1][0] == "kỳ" and toks[-2][0] == "nhiệm":
            del toks[-2:]
        end = toks[-1][2] if toks else m.end()
        return self._title_text(pos, end), end, toks

    def _head_at(self, pos: int) -> bool:
        """Whether a title (or a former one, "nguyên …") starts at ``pos``."""
        if self.text.startswith(_FORMER, pos):
            pos += len(_FORMER)
        return _HEAD.match(self.text, pos) is not None

    def _title_text(self, start: int, end: int) -> str:
        raw = self.text[start:end]
        if "(" in raw:
            raw = _PARENS_BEFORE.sub("", raw)
        return " ".join(raw.split()).rstrip(" ,;-")

    def titles_after(self, pos: int) -> tuple[list[str], int]:
        """Titles following a name: " - t1, t2" or ", t1, t2" or " (t1)"."""
        text = self.text
        m = _AFTER_NAME.match(text, pos)
        if not m:
            return [], pos
        titles: list[str] = []
        p = m.end()
        paren = "(" in m.group()
        end = pos
        while True:
            parsed = self.parse_title(p)
            if parsed is None:
                break
            title, tend, toks = parsed
            if toks and self._split_name(toks) is not None:
                break  # the title of the next person ("…, Chủ tịch UBND tỉnh Lê Văn B")
            titles.append(title)
            end = tend
            sep = _SEP_TITLE.match(text, tend)
            if sep and self._head_at(sep.end()):
                p = sep.end()
                continue
            break
        if paren and titles:
            close = _CLOSE.match(text, end)
            if close:
                end = close.end()
        elif "rưởng đoàn" in text[end : end + 24] and _LEADS_TEAM.match(text, end):
            # "do đồng chí X, Phó Bí thư Tỉnh ủy làm trưởng đoàn": a post of
            # this visit (the extent stays: the verb is not part of it).
            titles.append("Trưởng đoàn")
        return titles, end

    # -- names ------------------------------------------------------------
    def name_at(self, pos: int, *, anchored: bool) -> tuple[str, int, int] | None:
        m = _CAP_RUN.match(self.text, pos)
        if not m:
            return None
        words = m.group().split()
        # Stop the name where a title starts ("Nguyễn Văn A Bí thư…"). The
        # run's words are joined by single spaces.
        starts = [m.start()]
        for i in range(1, len(words)):
            at = starts[-1] + len(words[i - 1]) + 1
            if words[i] in _HEAD_FIRST_WORDS and _HEAD.match(self.text, at):
                words = words[:i]
                break
            starts.append(at)
        # End the name before the words of a body, a title or a document
        # glued on after it ("Lê Văn Nam Ban Tổ chức", "… Bí Thư").
        for i in range(2, len(words)):
            if words[i] in _MAYBE_NOT_NAME and _not_in_name(self.text, words, starts, i):
                del words[i:], starts[i:]
                break
        if not _is_name(self.text, words, starts, anchored=anchored):
            return None
        name = " ".join(words)
        return name, m.start(), m.start() + len(name)

    def add(self, name: str, s: int, e: int, titles: list[str], extent: tuple[int, int]) -> None:
        self.mentions.append(Mention(name, s, e, titles, extent))
        self.consumed.add(*extent)

    def person_list(self, pos: int, *, anchored: bool, shared: list[str] | None = None) -> int:
        """Parse "X - titles; Y, titles và Z" from ``pos``; returns the end.

        ``shared`` titles go to every person of the list ("các đồng chí
        Ủy viên Bộ Chính trị: X, …; Y, …"); "X và Y, nguyên Phó Chủ tịch …"
        gives Y's titles to X too."""
        text = self.text
        waiting: list[Mention] = []
        while True:
            got = self.name_at(pos, anchored=anchored)
            if got is None:
                return pos
            name, s, e = got
            titles, end = self.titles_after(e)
            self.add(name, s, e, [*(shared or ()), *titles], (s, max(end, e)))
            if titles:
                for w in waiting:
                    w.titles.extend(titles)
                waiting = []
            sep = _SEP_PERSON.match(text, max(end, e))
            if sep and not titles and sep.group().strip() == "và":
                waiting.append(self.mentions[-1])
            else:
                waiting = []
            if not sep:
                return max(end, e)
            nxt = self.name_at(sep.end(), anchored=anchored)
            if nxt is None:
                return max(end, e)
            pos = sep.end()

    def from_heads(self) -> None:
        """Title first: "Bí thư Tỉnh ủy Lê Văn A", "Trung tá Nguyễn Văn B"."""
        text = self.text
        heads = scan_matches(_HEAD, text, self.triggers, "people.head", _HEAD_GATE)
        for m in heads:
            if self.consumed.covers(m.start()):
                continue
            parsed = self.parse_title(m.start())
            if parsed is None:
                continue
            title, end, toks = parsed
            if m.group("rank"):
                got = self.name_at(end + 1, anchored=True) if text[end : end + 1] == " " else None
                if got:
                    name, s, e = got
                    more, tend = self.titles_after(e)
                    self.add(name, s, e, [title, *more], (m.start(), max(tend, e)))
                continue
            split = self._split_name(toks)
            if split is None:
                colon = _SHARED.match(text, end)
                if colon is not None:
                    # "các đồng chí Ủy viên Bộ Chính trị: X, …; Y, …"
                    self.person_list(colon.end(), anchored=True, shared=[title])
                    continue
                if m.group("head") in _BARE_POSTS and self._bare_post_holder(m, toks):
                    continue
                if not self._ends_with_proper_name(toks):
                    self._title_chain(m.start(), title, end)
                continue
            k, name, s, e = split
            org_end = toks[-k - 1][2] if len(toks) > k else m.end()
            title = self._title_text(m.start(), org_end)
            more, tend = self.titles_after(e)
            self.add(name, s, e, [title, *more], (m.start(), max(tend, e)))

    def _bare_post_holder(self, head: re.Match, toks: list[tuple[str, int, int, str]]) -> bool:
        """ "Tổng Bí thư Trường Chinh", "Chủ tịch Hồ Chí Minh": a post that
        needs no body, right before two to four capitalised words, names
        its holder even when the lexicon does not know the family name, and
        even when the words also name a city, if they read as family,
        middle and given names. Whether it did."""
        if not toks or toks[0][1] != head.end() + 1 or any(t[3] != "cap" for t in toks):
            return False
        words = self.text[toks[0][1] : toks[-1][2]].split(" ")
        if not 2 <= len(words) <= 4:
            return False
        starts = [toks[0][1]]
        for w in words[:-1]:
            starts.append(starts[-1] + len(w) + 1)
        for i, w in enumerate(words):
            if not _is_cap_word(w) or (w in _MAYBE_NOT_NAME and _not_in_name(self.text, words, starts, i)):
                return False
        name = " ".join(words)
        if name in province_names() and not (len(words) == 3 and words[0] in SURNAMES):
            return False
        s, e = toks[0][1], toks[-1][2]
        more, tend = self.titles_after(e)
        self.add(name, s, e, [head.group(), *more], (head.start(), max(tend, e)))
        return True

    def from_biographies(self) -> None:
        """Posts listed in a person's biography, line by line after "X,
        sinh ngày …", belong to that person ("Đại biểu Quốc hội khóa XIII,
        XIV."): the lines run while each is a labelled fact or a post."""
        text = self.text
        if "sinh " not in text:
            return
        for mention in list(self.mentions):
            opening = _BIO_OPEN.match(text, mention.end)
            if opening is None:
                continue
            limit = min(len(text), opening.end() + _BIO_SPAN)
            pos = self._line_end(opening.end(), limit)
            while pos < limit:
                while pos < limit and text[pos] in " \n":
                    pos += 1
                if _BIO_LABEL.match(text, pos):
                    pos = self._line_end(pos, limit)
                    continue
                parsed = self.parse_title(pos)
                if parsed is None:
                    break
                title, end, toks = parsed
                term = next((t for t in toks if t[3] == "low" and t[0] in _TERM_WORDS), None)
                if term is not None:
                    # "Ủy viên Ban Chấp hành Trung ương Đảng khóa XI, XII": the post, then its terms.
                    toks = toks[: toks.index(term)]
                    end = term[1]
                    while text[end - 1] == " ":
                        end -= 1
                    title = self._title_text(pos, end)
                tail = _BIO_POST_END.match(text, end)
                if tail is None or (toks and self._split_name(toks) is not None):
                    break
                mention.titles.append(title)
                self.consumed.add(pos, end)
                pos = tail.end()

    def _line_end(self, pos: int, limit: int) -> int:
        """Where a biography's line going on at ``pos`` ends: after a full
        stop that a space or the end follows (not the dot of "T.Ư"), or at a
        line break."""
        m = _LINE_END.search(self.text, pos, limit)
        return m.end() if m else limit

    def _title_chain(self, start: int, first: str, end: int) -> None:
        """Titles joined by commas before a name all belong to it ("Ủy viên
        Bộ Chính trị, Thủ tướng Chính phủ Nguyễn Văn A")."""
        text = self.text
        if _POSSESSOR.search(text, max(0, start - 12), start):
            return  # "thừa ủy quyền của Chủ tịch nước, Bí thư Tỉnh ủy X": not X's post
        chain = [first]
        while len(chain) < 6:
            sep = _SEP_TITLE.match(text, end)
            if sep is None or not self._head_at(sep.end()):
                return
            parsed = self.parse_title(sep.end())
            if parsed is None:
                return
            title, end, toks = parsed
            split = self._split_name(toks) if toks else None
            if split is None:
                if self._ends_with_proper_name(toks):
                    return  # "… Tổng Bí thư Trường Chinh, Tổng Bí thư X": another person's title
                chain.append(title)
                continue
            k, name, s, e = split
            chain.append(self._title_text(sep.end(), s))
            more, tend = self.titles_after(e)
            self.add(name, s, e, [*chain, *more], (start, max(tend, e)))
            return

    def _split_name(self, toks: list[tuple[str, int, int, str]]) -> tuple[int, str, int, int] | None:
        """Split a name off the end of a title's tokens, if there is one."""
        tail: list[tuple[str, int, int, str]] = []
        for tok in reversed(toks):
            if tok[3] != "cap" or not _is_cap_word(tok[0]):
                break
            tail.insert(0, tok)
        if len(tail) < 2:
            return None
        before = toks[: len(toks) - len(tail)]
        # After "xã", "Huyện ủy"… the first words name the place.
        needs_place = False
        if before:
            last = before[-1][0]
            prev = before[-2][0] if len(before) >= 2 else ""
            needs_place = (
                last in _ORG_LEVEL_NEEDS_PLACE
                or f"{prev} {last}" in _ORG_LEVEL_NEEDS_PLACE
                or (last == "ủy" and prev in ("Huyện", "Thị", "Thành", "Quận"))
            )
            if before[-1][3] == "paren":
                needs_place = False
        words = [t[0] for t in tail]
        # A province named right after the body is a place, not a name.
        provinces = province_names()
        for n in (3, 2, 1):
            if len(words) > n and " ".join(words[:n]) in provinces:
                words = words[n:]
                tail = tail[n:]
                needs_place = False
                break
        min_place = 1 if needs_place else 0
        if needs_place and len(words) in (3, 4) and words[0] in SURNAMES and words[1] in _MIDDLE_NAMES:
            # "Bí thư Thành ủy Nguyễn Văn A": no place named, the whole
            # tail is the name (a place's name is not "family, middle, given").
            min_place = 0
        for k in (3, 4, 2):
            if len(words) - k >= min_place and len(words) >= k and words[-k] in SURNAMES:
                cand = words[-k:]
                if _is_name(self.text, cand, [t[1] for t in tail[-k:]], anchored=False):
                    s, e = tail[-k][1], tail[-1][2]
                    return k, " ".join(cand), s, e
        return None

    def from_anchors(self) -> None:
        """ "đồng chí X", "ông X", "bà X" followed by titles."""
        anchors = scan_matches(_ANCHOR, self.text, self.triggers, "people.anchor")
        for m in anchors:
            if self.consumed.covers(m.end()):
                continue
            if _HEAD.match(self.text, m.end()):
                continue
            self.person_list(m.end(), anchored=True)

    def from_captions(self) -> None:
        """ "Nguyễn Văn A - Bí thư …" with no anchor word before the name."""
        text = self.text
        captions = scan_matches(_GENERIC, text, self.triggers, "people.surname", _GENERIC_GATE)
        for m in captions:
            s = m.start(1)
            if self.consumed.covers(s):
                continue
            before = text[max(0, s - 2) : s]
            if before and before[-1] not in "\n" and not re.search(r"[.,;:(\"“\n-]\s?$|^\s?$", before):
                # Preceded by a word: part of a longer phrase (a body's name).
                prev_word = re.search(rf"([{LETTER}]+)\s*$", text[max(0, s - 30) : s])
                if prev_word and prev_word.group(1)[0].isupper():
                    continue
            self.person_list(s, anchored=False)


# A biography: "Đồng chí X, sinh ngày 12-8-1962, tại …", then lines of
# labelled facts ("Dân tộc: Kinh.", "Trình độ lý luận chính trị: Cử nhân.")
# and of posts held ("Đại biểu Quốc hội khóa XIII, XIV.").
_BIO_OPEN: Final = re.compile(r",?\s+sinh (?:ngày|năm|tháng)\s")
_BIO_LABEL: Final = re.compile(
    r"(?:Quê quán|Nguyên quán|Quê|Dân tộc|Tôn giáo|Trình độ[^:.\n]{0,40}|Học hàm[^:.\n]{0,20}|Học vị|"
    r"Ngày vào Đảng|Ngày chính thức|Nơi ở[^:.\n]{0,20}|Chỗ ở[^:.\n]{0,20})\s*:"
)
# What may follow a post in a biography's line: its terms, then the line's end.
_BIO_POST_END: Final = re.compile(
    r"(?:\s*[,;]?\s*(?:(?:khóa|khoá|nhiệm kỳ)\s+)?(?:[IVXLC]+|[0-9]{4}(?:\s*[-–]\s*[0-9]{4})?)(?![\w]))*"
    r"\s*(?:\.(?=\s|$)|\n|$)"
)
_TERM_WORDS: Final = frozenset({"khóa", "khoá", "nhiệm kỳ"})
_LINE_END: Final = re.compile(r"\.(?=\s|$)|\n")
# A biography's lines are looked at up to this far from its opening.
_BIO_SPAN: Final = 1500


def find_people(text: str, triggers: Triggers | None = None) -> tuple[list[Person], list[Mention]]:
    """People in ``text``: each once, titles merged over all mentions.

    ``triggers`` (``TriggerFinder.find(text)``) spares the scans; without
    it the text is scanned here, with the same result."""
    parser = _Parser(text, triggers)
    parser.from_anchors()
    parser.from_heads()
    parser.from_captions()
    parser.from_biographies()
    people: dict[str, Person] = {}
    keys: dict[str, list[frozenset[str]]] = {}
    seen_spans: set[tuple[int, int]] = set()
    for mention in sorted(parser.mentions, key=attrgetter("start")):
        key = _name_key(mention.name)
        person = people.get(key)
        if person is None:
            person = people[key] = Person(mention.name)
            keys[key] = []
        if (mention.start, mention.end) not in seen_spans:
            seen_spans.add((mention.start, mention.end))
            person.spans.append((mention.start, mention.end))
        for title in mention.titles:
            tk = title_key(title)
            if not tk or tk in keys[key]:
                continue
            person.titles.append(title)
            keys[key].append(tk)
    for key, person in people.items():
        # Drop a title contained in a longer one of the same person
        # ("Bí thư" beside "Bí thư Tỉnh ủy").
        tks = keys[key]
        person.titles = [
            t for t, k in zip(person.titles, tks, strict=True) if not any(k < other for other in tks)
        ]
    return list(people.values()), parser.mentions


__all__ = ["Mention", "Person", "find_people", "title_key", "ADMIN_LEVELS", "LOWER"]
