"""Meetings: conferences, sessions, congresses, working sessions.

A meeting is reported when the text pins it down: a sentence naming a
meeting together with a day ("Sáng 30/6, … tổ chức Hội nghị …") or saying
it was held online ("Hội nghị được tổ chức trực tuyến với 21 điểm cầu").
Bare mentions ("kết luận hội nghị") and plans ("dự kiến tổ chức hội
nghị") are not meetings of their own. The verb "làm việc với" reports a
working session only when a body, a delegation or a leader holds it with a
body ("Thường trực Tỉnh ủy làm việc với Huyện ủy …"); a delegation whose
head is named ("do đồng chí X … làm trưởng đoàn") pins it down without a day.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from nghiquyet.ingestion.pipeline.dates import DateMention, year_for
from nghiquyet.ingestion.pipeline.lexicon import LETTER, TITLE_LOWER_WORDS, UPPER
from nghiquyet.ingestion.pipeline.people import Mention
from nghiquyet.ingestion.pipeline.scan import (
    has_any,
    has_odd_case,
    trie_pattern,
)
from nghiquyet.ingestion.pipeline.spans import SpanSet
from nghiquyet.ingestion.pipeline.triggers import Triggers, scan_matches

KINDS = {
    "hội nghị": "hoi_nghi",
    "kỳ họp": "ky_hop",
    "đại hội": "dai_hoi",
    "cuộc họp": "cuoc_hop",
    "phiên họp": "cuoc_hop",
    "hội thảo": "hoi_thao",
    "tọa đàm": "toa_dam",
    "buổi làm việc": "lam_viec",
    "cuộc gặp mặt": "gap_mat",
    "buổi gặp mặt": "gap_mat",
    "lễ": "le",
    "họp": "cuoc_hop",
    "làm việc": "lam_viec",
}
# The kind words, longest first, taken off the front of a title.
_KIND_PREFIX: Final = re.compile("|".join(re.escape(w) for w in sorted(KINDS, key=len, reverse=True)))
_MEETING: Final = re.compile(
    rf"(?=[HhKkĐđCcPpTtBbLl])(?<![{LETTER}])(?P<kind>[Hh]ội nghị|[Kk]ỳ họp|[Đđ]ại hội|[Cc]uộc họp|[Pp]hiên họp|[Hh]ội thảo|[Tt]ọa đàm|"
    rf"[Bb]uổi làm việc|[Cc]uộc gặp mặt|[Bb]uổi gặp mặt|"
    rf"(?:Lễ|(?<=[{LETTER}] )lễ) (?=công bố|trao|kỷ niệm|ra mắt|khai mạc|bế mạc|phát động|mít tinh|tổng kết|đón)|"
    rf"(?<=[{LETTER}] )làm việc(?= với)|(?:(?<=thăm, )|(?<=thăm và ))làm việc(?= tại )|"
    rf"(?<=[{LETTER}] )họp(?= phiên| định kỳ| thường kỳ| bất thường| trực tuyến| để| cho ý kiến| nghe| kỳ thứ| lần thứ))"
    # The name runs to the end of the clause, over the dots of abbreviations ("T.Ư").
    rf"(?P<rest>[^.;:\n]{{0,160}}(?:\.(?=[^\s.])[^.;:\n]{{0,80}}){{0,3}})"
)
# Where a meeting word can start: the scans go through this trie of
# literals and try _MEETING only there.
_MEETING_WORDS = [
    f
    for w in (
        "hội nghị",
        "kỳ họp",
        "đại hội",
        "cuộc họp",
        "phiên họp",
        "hội thảo",
        "tọa đàm",
        "buổi làm việc",
        "cuộc gặp mặt",
        "buổi gặp mặt",
    )
    for f in (w, w.capitalize())
] + ["Lễ ", "lễ ", "làm việc", "họp"]
_MEETING_GATE: Final = re.compile(trie_pattern(_MEETING_WORDS, not_after=LETTER))


def trigger_words() -> dict[str, list[str]]:
    """The words the meeting scan starts on (see ``triggers``)."""
    return {"meetings.word": _MEETING_WORDS}


_MEETING_NOUN: Final = re.compile(r"[Hh]ội nghị|[Kk]ỳ họp|[Đđ]ại hội|[Cc]uộc họp|[Pp]hiên họp|[Hh]ội thảo")


# A sentence ends at ".", "!", "?" or a newline (each looked for with str.find),
# but not at a "." between digits, which Vietnamese writes between
# thousands ("1.246 điểm cầu"). The digit checks are written out: they run
# for every sentence looked at.
def _inner_dot(text: str, dot: int) -> bool:
    """A "." inside a sentence: between digits ("1.246"), inside an
    abbreviation ("T.Ư", "TP.HCM") or after "TP" ("TP. Hải Phòng")."""
    nxt = text[dot + 1]
    if nxt == " ":
        return text[dot - 2 : dot] in ("TP", "Tp") and (dot < 3 or not text[dot - 3].isalpha())
    if "0" <= nxt <= "9":
        return "0" <= text[dot - 1] <= "9"
    return nxt.isalpha() and text[dot - 1].isupper()


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` (looking back at most 2,000 characters)."""
    lo = max(0, pos - 2000)
    dot = text.rfind(".", lo, pos)
    while 0 < dot < pos - 1 and _inner_dot(text, dot):
        dot = text.rfind(".", lo, dot)
    k = max(
        dot,
        text.rfind("!", lo, pos),
        text.rfind("?", lo, pos),
        text.rfind("\n", lo, pos),
    )
    return max(lo, k + 1)


def _sentence_end(text: str, pos: int) -> int:
    """End of the sentence holding ``pos`` (looking ahead at most 2,000 characters)."""
    hi = min(len(text), pos + 2000)
    last = len(text) - 1
    dot = text.find(".", pos, hi)
    while 0 < dot < last and _inner_dot(text, dot):
        dot = text.find(".", dot + 1, hi)
    best = hi
    for k in (
        dot,
        text.find("!", pos, hi),
        text.find("?", pos, hi),
        text.find("\n", pos, hi),
    ):
        if k != -1 and k + 1 < best:
            best = k + 1
    return best


_ONLINE: Final = re.compile(
    r"trực tuyến|truyền hình trực tuyến|điểm cầu|hình thức trực tiếp kết hợp", re.IGNORECASE
)
_ONLINE_WORDS = ("trực tuyến", "điểm cầu", "hình thức trực tiếp kết hợp")
_PLAN_WORDS = (
    "dự kiến",
    "sẽ tổ chức",
    "sẽ diễn ra",
    "sẽ họp",
    "sẽ làm việc",
    "sẽ được tổ chức",
    "sẽ khai mạc",
    "sắp diễn ra",
    "sắp tổ chức",
    "kế hoạch tổ chức",
    "chuẩn bị tổ chức",
    "tiến tới",
)
_ORGANISER_VERBS = (" tổ chức", " họp", " khai mạc")
# A count of bridge points, in Vietnamese digits ("21", "1.246"), not the
# tail of a longer number.
_BRIDGES: Final = re.compile(r"(?<![0-9])(?<![0-9][.,])([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,6})\s+điểm cầu")
# Before a count: it is the total ("tổng số 236 điểm cầu"); right after
# the first count: what follows breaks it down ("236 điểm cầu, gồm …").
_BRIDGE_TOTAL: Final = re.compile(r"tổng(?: số| cộng)?(?: là| có| gồm)?\s*$", re.IGNORECASE)
_BRIDGE_PARTS: Final = re.compile(r"^[^0-9]{0,40}?(?:gồm|trong đó|:)", re.IGNORECASE)
_PLAN: Final = re.compile(
    r"dự kiến|sẽ (?:tổ chức|diễn ra|họp|làm việc|được tổ chức|khai mạc)|sắp (?:diễn ra|tổ chức)|kế hoạch tổ chức|"
    r"chuẩn bị tổ chức|tiến tới",
    re.IGNORECASE,
)
# A trie finds what the longest-first alternation finds (the words are plain letters).
_BODY_LOWER = trie_pattern(sorted(TITLE_LOWER_WORDS - {"và", "các", "dự", "cho"}, key=len, reverse=True))
_ORGANISER: Final = re.compile(
    rf"(?P<org>[{UPPER}][{LETTER}]*(?:\.[{UPPER}][{LETTER}]*)*"
    rf"(?: (?:[{UPPER}][{LETTER}]*(?:\.[{UPPER}][{LETTER}]*)*|(?:{_BODY_LOWER})(?![{LETTER}]))){{0,10}})"
    rf"(?: \([^()]{{1,40}}\))?(?: đã| đang| vừa)?(?: long trọng)? (?:tổ chức|họp|khai mạc|hoàn thành tổ chức)"
)
# "từ ngày 5-5 đến 10-5-2017": the first day of the meeting's span, not a
# deadline.
_RANGE_TO: Final = re.compile(r"\s*(?:-|–|đến|tới)\s*(?:ngày\s+)?$")


def _range_start(text: str, dates: list[DateMention], i: int) -> bool:
    d = dates[i]
    if i + 1 >= len(dates) or not text[max(0, d.start - 12) : d.start].rstrip().lower().endswith(
        ("từ", "từ ngày")
    ):
        return False
    nxt = dates[i + 1]
    return (
        nxt.kind == "day" and nxt.start - d.end <= 12 and _RANGE_TO.search(text, d.end, nxt.start) is not None
    )


# A meeting word in a venue's name ("Trung tâm Hội nghị tỉnh"), or in a
# meeting still to come ("trước Lễ kỷ niệm", "chuẩn bị Đại hội").
_NOT_HELD_BEFORE: Final = re.compile(
    r"(?:[Tt]rung tâm|[Cc]ung|[Nn]hà|[Hh]ội trường|trước|chuẩn bị(?: cho)?|hướng tới|tiến tới|chào mừng) $"
)
# "Chiều cùng ngày, … tổ chức hội nghị …": the day of the meeting before.
_SAME_DAY: Final = re.compile(r"(?:[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Nn]gày) cùng ngày|[Cc]ùng ngày")
# Descriptors that name no body: the organiser's name goes in ("Ban
# Chấp hành … tổ chức Hội nghị lần thứ 21", "Ủy ban … đã họp kỳ thứ 15").
_NO_BODY: Final = re.compile(
    r"(?:lần thứ|kỳ thứ|thứ|nhiệm kỳ|khóa|phiên|định kỳ|thường kỳ|bất thường)(?![{LETTER}])".replace(
        "{LETTER}", LETTER
    )
)
# "trước ngày 30/9", "hạn chót 15/12": a deadline, not the day of a meeting.
_DEADLINE: Final = re.compile(
    r"(?:trước|chậm nhất|hạn chót|hạn|đến|từ|kể từ|sau)\s+(?:ngày\s+)?$", re.IGNORECASE
)
_CHAIR: Final = re.compile(r"(?:đồng )?chủ trì", re.IGNORECASE)
# Words that go on a list of bodies or places inside a meeting's name
# ("với các sở, ngành thành phố", "các tỉnh, thành phố"): a comma before
# them does not end the name.
_LIST_WORDS = "|".join(
    sorted(
        (
            "ngành",
            "sở",
            "ban",
            "đoàn thể",
            "địa phương",
            "đơn vị",
            "tỉnh",
            "thành phố",
            "quận",
            "huyện",
            "thị xã",
            "xã",
            "phường",
            "thị trấn",
            "cơ quan",
            "doanh nghiệp",
            "hội đoàn thể",
        ),
        key=len,
        reverse=True,
    )
)
# The title of a meeting runs on over lower-case descriptors ("sơ kết giữa
# nhiệm kỳ", "lần thứ 21") and stops at the verb.
_TITLE_STOP: Final = re.compile(
    r"\s(?:được|đã|vào|tại|để|do|diễn ra|tổ chức|có|đánh giá|thảo luận|nhấn mạnh|cho|khai mạc|bế mạc|"
    r"sẽ|và(?! (?:đón nhận|trao|công bố|kỷ niệm|tổng kết|sơ kết|triển khai|phát động|ra mắt))|khi|trong khi|gồm|theo|"
    r"của các|từ|đến|ở|kết nối|thu hút|tiến hành|thông qua|biểu quyết|"
    r"chủ trì|phát biểu|dự|cùng|là)(?=\s|$)|"
    rf",(?! (?:{_LIST_WORDS})(?![{LETTER}]))|\((?![Kk]hóa [IVXLC]+\))|\s\((?=[Kk]hóa)(?<![IVXLC0-9] \()"
)


# Working sessions. "làm việc với" is a meeting only when a body, a
# delegation or a person with a position holds it with a body or its
# leaders ("Thường trực Tỉnh ủy làm việc với Huyện ủy Y", "Đoàn công tác
# … do đồng chí X … làm trưởng đoàn đã làm việc với …"), not in "môi
# trường làm việc" or "cơ quan điều tra đã làm việc với các đối tượng".
# Words that can stand between the one who holds it and the verb.
_SESSION_AUX: Final = (
    " trực tiếp",
    " tiếp tục",
    " đã",
    " đang",
    " vừa",
    " có",
    " đến",
    " về",
    " tới",
    " xuống",
    " cùng",
    " lại",
)
# Lower-case words that go on a body's name ("phường", "nhân dân"), and
# those that can also stand for whom a session is with ("đoàn", "lãnh đạo").
# The names are read word by word, in Python: a pattern with the letter
# classes and these words costs milliseconds to compile, and runs only here.
_BODY_LOWER_WORDS: Final = frozenset(TITLE_LOWER_WORDS - {"và", "các", "dự", "cho"})
_WITH_WORDS: Final = _BODY_LOWER_WORDS | {"đoàn", "lãnh", "đạo", "tập", "thể"}
# A delegation: its words, then whose it is ("của Ban Thường vụ Tỉnh ủy").
_TEAM: Final = re.compile(
    r"(?<![Tt]rưởng )(?<![Pp]hó )[Đđ]oàn (?:công tác|kiểm tra|giám sát|khảo sát)(?: số [0-9]+)?"
)
_TEAM_BODY: Final = re.compile(
    rf" (?P<of>của )?(?P<body>[{UPPER}][^.;:!?\n]{{0,80}}?),?(?= do | đã | đang | vừa | có | đến | về | làm việc|$)"
)
# The head of the delegation: "do đồng chí X, … làm trưởng đoàn" / "dẫn đầu".
_TEAM_HEAD: Final = re.compile(r"(?:làm|là) [Tt]rưởng [Đđ]oàn|dẫn đầu")
_TEAM_HEAD_WORDS: Final = ("làm trưởng đoàn", "là trưởng đoàn", "dẫn đầu")
# Words a body's name starts with, when no "của" says the delegation is its.
_BODY_HEADS: Final = (
    "Ban ",
    "Thường trực",
    "Ủy ban",
    "Uỷ ban",
    "UBND",
    "HĐND",
    "Hội đồng",
    "Đảng ủy",
    "Đảng uỷ",
    "Đảng đoàn",
    "Tỉnh ủy",
    "Tỉnh uỷ",
    "Thành ủy",
    "Thành uỷ",
    "Huyện ủy",
    "Huyện uỷ",
    "Bộ ",
    "Sở ",
    "Văn phòng",
    "Mặt trận",
    "Quốc hội",
)
# Positions that begin a subject which is a person, not a body.
_PERSON_HEADS: Final = (
    "Bí thư",
    "Phó ",
    "Chủ tịch",
    "Thủ tướng",
    "Tổng Bí thư",
    "Bộ trưởng",
    "Thứ trưởng",
    "Giám đốc",
    "Trưởng ",
    "Chủ nhiệm",
)


# The verbs of a visit written before "làm việc tại", as written.
_VISIT_VERBS: Final = ("thăm, ", "thăm và ")
_HOLDER_TAIL: Final = re.compile(r"(?:\s*\([^()]*\))?(?:\s+(?:đã|đang|vừa))?\s*$")
_ABOUT: Final = re.compile(r" về([^.;:\n]{1,120})")


def _name_before(sentence: str, stop: int) -> str | None:
    """The body's name that ends at ``stop``: up to 11 words, capitalised or
    lower-case words of bodies, the first capitalised ("Thường trực Tỉnh
    ủy" in "Ngày 12/9, Thường trực Tỉnh ủy")."""
    words = sentence[max(0, stop - 150) : stop].split(" ")
    k = len(words)
    while k > 0 and len(words) - k < 11:
        w = words[k - 1]
        if not w.isalpha() or not (w[0].isupper() or w in _BODY_LOWER_WORDS):
            break
        k -= 1
    while k < len(words) and not words[k][0].isupper():
        k += 1
    return " ".join(words[k:]) if k < len(words) else None


def _name_after(sentence: str, start: int) -> str | None:
    """Whom a session is with, named from ``start``: up to 11 words, each
    capitalised or a word of bodies or leaders ("Huyện ủy Cẩm Xuyên", "các
    sở, ngành" stops at the comma), after an optional "các"/"những"."""
    words = sentence[start : start + 200].split(" ")
    lead = 1 if words[0] in ("các", "những") else 0
    taken = words[:lead]
    for w in words[lead : lead + 11]:
        if w in ("TP.", "Tp."):
            taken.append(w)
            continue
        word = w.rstrip(',.;:!?)"”')
        if not word.isalpha() or not (word[0].isupper() or word in _WITH_WORDS):
            break
        taken.append(word)
        if word != w:
            break
    return " ".join(taken) if len(taken) > lead else None


@dataclass
class _Session:
    """Who holds a working session, as a sentence tells it."""

    title: str
    with_whom: str
    organiser: str | None
    chairs: list[str]
    headed: bool  # a delegation whose head is named


def _session(sentence: str, start: int, end: int, people: list[tuple[str, int, int]]) -> _Session | None:
    """The working session reported by "làm việc" at ``sentence[start:end]``,
    or None when no body, delegation or person holds it with a body.

    ``people`` are the people mentioned in the sentence: name, start of the
    name and end of the name with its positions, as offsets in ``sentence``.
    """
    # A visit ("đã đến thăm, làm việc tại Trường Chính trị tỉnh"): where
    # it was held stands for whom it was with.
    visit = next((v for v in _VISIT_VERBS if sentence.endswith(v, 0, start)), None)
    if visit is not None and sentence.startswith(" tại ", end):
        lead, prep = visit + "làm việc", "tại"
        start -= len(visit)
    elif sentence.startswith(" với ", end):
        lead, prep = "làm việc", "với"
    else:
        return None
    with_whom = _name_after(sentence, end + 5)
    if with_whom is None:
        return None
    about = _ABOUT.match(sentence, end + 5 + len(with_whom))
    if about is not None and prep == "với":
        # "làm việc với Thành ủy X về tình hình kinh tế - xã hội"
        with_whom = f"{with_whom} {_title('về', about.group(1)).rstrip()}"
    # Where the one who holds it ends: before the auxiliaries.
    stop = len(sentence[:start].rstrip(" ,"))
    found = True
    while found:
        found = False
        for aux in _SESSION_AUX:
            if sentence.endswith(aux, 0, stop):
                stop = len(sentence[: stop - len(aux)].rstrip(" ,"))
                found = True
    team = None
    for t in _TEAM.finditer(sentence, 0, stop):
        if not sentence[: t.start()].rstrip().lower().endswith(("các", "những")):
            team = t
            break
    if team is not None:
        organiser = None
        holder = team.group()
        tb = _TEAM_BODY.match(sentence, team.end(), stop)
        if tb is not None and (tb.group("of") or tb.group("body").startswith(_BODY_HEADS)):
            organiser = tb.group("body").rstrip(", ")
            holder = f"{holder} {organiser}"
        chairs: list[str] = []
        head = _TEAM_HEAD.search(sentence, team.end(), stop)
        if head is not None:
            by = sentence.find(" do ", team.end(), head.start())
            if by != -1:
                chairs = [name for name, at, _ in people if by < at < head.start()][:1]
        return _Session(
            f"buổi {lead} của {holder} {prep} {with_whom}", with_whom, organiser, chairs, bool(chairs)
        )
    # A person: the name and position end where the verb's auxiliaries
    # begin, or the clause names a position ("Phó Thủ tướng Chính phủ").
    for name, _, until in people:
        if stop - 1 <= until <= stop:
            return _Session(f"buổi {lead} {prep} {with_whom}", with_whom, None, [name], False)
    clause_start = sentence.rfind(",", 0, stop) + 1
    clause = sentence[clause_start:stop].lstrip()
    if clause.startswith(_PERSON_HEADS) or clause.lower().startswith("đồng chí"):
        names = [name for name, at, _ in people if clause_start <= at < stop]
        return _Session(f"buổi {lead} {prep} {with_whom}", with_whom, None, names[:1], False)
    org = _name_before(sentence, stop)
    if org is None:
        return None
    if org.startswith(_PERSON_HEADS):
        return _Session(f"buổi {lead} {prep} {with_whom}", with_whom, None, [], False)
    return _Session(f"buổi {lead} của {org} {prep} {with_whom}", with_whom, org, [], False)


def _chair_spans(text: str, low: str | None) -> Iterator[tuple[int, int]]:
    """The spans of ``_CHAIR.finditer(text)``.

    ``low`` is ``text.lower()`` when ``text`` has no letter that IGNORECASE
    folds beyond ``str.lower`` (else None): then the spans are found with
    ``str.find`` on it instead of a case-insensitive scan of every position.
    "chủ trì" cannot overlap itself or "đồng ", so each occurrence is one
    match, starting at "đồng " when that stands right before it.
    """
    if low is None:
        for m in _CHAIR.finditer(text):
            yield m.span()
        return
    p = low.find("chủ trì")
    while p != -1:
        yield (p - 5 if p >= 5 and low.startswith("đồng ", p - 5) else p), p + 7
        p = low.find("chủ trì", p + 7)


@dataclass
class Meeting:
    """A meeting the text reports on."""

    kind: str
    title: str
    date: str | None
    online: bool | None
    bridge_points: int | None
    organiser: str | None
    start: int
    end: int
    chairs: list[str] = field(default_factory=list)


def _bridge_points(sentence: str) -> int | None:
    """The number of bridge points a sentence gives.

    One count is the answer. Several are either a total and its parts or
    parts of the whole: the count marked as the total ("tổng số 236 điểm
    cầu"), else a first count that the next ones break down ("236 điểm cầu,
    gồm 13 điểm cầu cấp huyện và 222 điểm cầu cấp xã") or add up to, else
    the sum ("13 điểm cầu cấp huyện và 222 điểm cầu cấp xã" is 235). A host
    point given without a number ("điểm cầu chính tại Tỉnh ủy") is not
    added: the figure is the one readers quote, the points connected.
    """
    counts = [(int(m.group(1).replace(".", "")), m.start(), m.end()) for m in _BRIDGES.finditer(sentence)]
    if len(counts) < 2:
        return counts[0][0] if counts else None
    for value, start, _ in counts:
        if _BRIDGE_TOTAL.search(sentence, max(0, start - 20), start):
            return value
    first, rest = counts[0][0], [c[0] for c in counts[1:]]
    if first == sum(rest) or _BRIDGE_PARTS.search(sentence[counts[0][2] : counts[1][1]]):
        return first
    return first + sum(rest)


def _title(kind_text: str, rest: str) -> str:
    m = _TITLE_STOP.search(rest)
    body = rest[: m.start()] if m else rest
    words = (kind_text + body).split()
    # A name does not end on the word that links it to what follows.
    while len(words) > 2 and words[-1] in _TITLE_TAIL_WORDS:
        words.pop()
    return " ".join(words)


_TITLE_TAIL_WORDS: Final = frozenset({"nhằm", "với", "về", "của", "để", "cho", "và", "giữa", "các", "những"})


# Words after the kind that only point back at a meeting already named
# ("hội nghị lần này", "buổi làm việc nói trên").
_BACK_REFERENCES: Final = frozenset({"", "này", "lần này", "nói trên", "trên", "hôm nay"})


def kind_text_of(hit: re.Match) -> str:
    return hit.group("kind")


def _descriptor_of(title: str) -> str:
    low = " ".join(title.lower().split())
    kind = _KIND_PREFIX.match(low)
    return low[kind.end() :].strip() if kind else low


def _with_organiser(title: str, kind_text: str, org: str | None) -> str:
    """The title with the organiser's name in it when the title names no
    body: "Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 21" is the
    "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21"; "Chi đoàn Trung tâm
    X tổ chức Đại hội Chi đoàn nhiệm kỳ …" the "Đại hội Chi đoàn Trung
    tâm X nhiệm kỳ …"; "Ủy ban Kiểm tra … đã họp kỳ thứ 15" the "Ủy ban
    Kiểm tra … họp kỳ thứ 15"."""
    if not org or org.split(" ")[0].lower() in ("hội", "kỳ", "đại", "lễ", "cuộc", "buổi", "phiên"):
        return title
    if not title.lower().startswith(kind_text.lower()) or org.lower() in title.lower():
        return title
    rest = title[len(kind_text) :].strip()
    if kind_text == "họp":
        return f"{org} {title}"
    if not rest or _NO_BODY.match(rest):
        return f"{kind_text} {org} {rest}".rstrip()
    org_words = org.split(" ")
    rest_words = rest.split(" ")
    if len(org_words) > 2 and [w.lower() for w in org_words[:2]] == [w.lower() for w in rest_words[:2]]:
        # "Đại hội Chi đoàn nhiệm kỳ …" held by "Chi đoàn Trung tâm …".
        return " ".join([kind_text, org, *rest_words[2:]])
    return title


def _holder_named_as(sentence: str, before: int, title: str, kind_text: str) -> str | None:
    """The body that holds a meeting named by its kind of body ("Chi đoàn
    X … đã tổ chức Đại hội Chi đoàn nhiệm kỳ …"): the phrase before the
    organising verb that starts with the same two words, when the pattern of
    organisers cannot read it (lower-case words inside: "Trung tâm điều
    dưỡng …")."""
    rest = title[len(kind_text) :].split()
    if len(rest) < 2 or not rest[0][:1].isupper():
        return None
    head = f"{rest[0]} {rest[1]} "
    at = sentence.find(head, 0, before)
    verb = sentence.rfind(" tổ chức", 0, before)
    if at == -1 or verb < at:
        return None
    phrase = _HOLDER_TAIL.sub("", sentence[at:verb])
    if "," in phrase or len(phrase.split()) > 16:
        return None
    return phrase


_SUBJECT_HEADS: Final = _BODY_HEADS + ("Đảng bộ", "Chi bộ", "Chi đoàn", "Đoàn ", "Hội ", "Công ty", "Trường")


def _clause_subject(sentence: str, at: int) -> str | None:
    """The body a clause opens on, up to ``at``: capitalised words and
    lower-case words of bodies ("Đảng bộ huyện Lộc Hà")."""
    start = sentence.rfind(",", 0, at) + 1
    words = sentence[start:at].split()
    if not words or not " ".join(words).startswith(_SUBJECT_HEADS):
        return None
    taken = []
    for w in words[:12]:
        if not w.isalpha() or not (w[0].isupper() or w in _BODY_LOWER_WORDS):
            break
        taken.append(w)
    return " ".join(taken) if len(taken) >= 2 else None


def _named_mentions(sentence: str, s: int, excl: SpanSet, named: list[tuple[int, str, str]]) -> None:
    """Meeting names given in an undated sentence ("các đảng bộ tổ chức hội
    nghị sơ kết giữa nhiệm kỳ"), for a later mention that names it only
    by its kind ("hoàn thành tổ chức hội nghị")."""
    pos = 0
    while True:
        g = _MEETING_GATE.search(sentence, pos)
        if g is None:
            return
        h = _MEETING.match(sentence, g.start())
        pos = g.start() + 1 if h is None else h.end()
        if h is None or excl.covers(s + h.start()):
            continue
        kind_text = h.group("kind")
        if kind_text in ("làm việc", "họp"):
            continue
        title = _title(kind_text, h.group("rest"))
        if _descriptor_of(title) not in _BACK_REFERENCES:
            named.append((s + h.start(), KINDS.get(kind_text.lower().rstrip(), "hoi_nghi"), title))


def _name_from(named: list[tuple[int, str, str]], kind: str, at: int) -> str | None:
    """The name of the nearest meeting of ``kind`` named before ``at``
    (else after it), lower-cased as a common noun."""
    same = [(p, t) for p, k, t in named if k == kind]
    if not same:
        return None
    counts: dict[str, int] = {}
    for _, t in same:
        key = t.lower()
        counts[key] = counts.get(key, 0) + 1
    # The name the text gives most often; among those, the nearest before.
    best = max(counts.values())
    ranked = [(p < at, p if p < at else -p, t) for p, t in same if counts[t.lower()] == best]
    return max(ranked)[2]


# "trình bày báo cáo tổng kết công tác xây dựng Đảng năm 2020": the report
# a conference is held on names it ("Hội nghị tổng kết …").
_REPORT: Final = re.compile(r"[Bb]áo cáo (?P<what>(?:tổng kết|sơ kết) [^.,;:\n()]{4,100})")


def _name_from_report(text: str, excl: SpanSet) -> str | None:
    """A conference named only "Hội nghị" takes its name from the review
    report presented at it, when the text presents exactly one."""
    found = {m.group("what").strip() for m in _REPORT.finditer(text) if not excl.covers(m.start())}
    if len(found) != 1:
        return None
    return _title("Hội nghị", " " + found.pop())


def _descriptor(m: Meeting) -> str:
    """What a meeting's title says beyond its kind word, folded for comparison."""
    low = " ".join(m.title.lower().split())
    kind = _KIND_PREFIX.match(low)
    return low[kind.end() :].strip() if kind else low


def _compatible_titles(a: Meeting, b: Meeting) -> bool:
    """Titles that can name one meeting: one only points back ("Hội nghị",
    "hội nghị lần này"), or one starts or ends with the other's words ("hội
    nghị lần thứ 21" in "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21")."""
    da, db = _descriptor(a), _descriptor(b)
    if da in _BACK_REFERENCES or db in _BACK_REFERENCES:
        return True
    return da.startswith(db) or db.startswith(da) or da.endswith(" " + db) or db.endswith(" " + da)


def _same_meeting(c: Meeting, merged: list[Meeting]) -> Meeting | None:
    """The meeting of ``merged`` that ``c`` reports on again, if any.

    Only a meeting of the same kind whose title is compatible and whose
    date is the same or unknown on one side: an undated conference is not
    the working session dated in another sentence. When several fit, the
    latest found is the one a back reference points at.
    """
    for m in reversed(merged):
        if m.kind != c.kind:
            continue
        if c.date is not None and m.date is not None and c.date != m.date:
            continue
        if _compatible_titles(c, m):
            return m
    return None


def find_meetings(
    text: str,
    dates: list[DateMention],
    mentions: list[Mention],
    default_year: int | None,
    published: str | None,
    excluded: list[tuple[int, int]],
    triggers: Triggers | None = None,
) -> list[Meeting]:
    """Meetings reported in ``text``, merged when they are the same one.

    ``triggers`` (``TriggerFinder.find(text)``) spares the scan for meeting
    words; without it the text is scanned here, with the same result."""
    excl = SpanSet(excluded)
    day_dates = [
        d
        for i, d in enumerate(dates)
        if d.kind == "day"
        and not excl.covers(d.start)
        and (not _DEADLINE.search(text, max(0, d.start - 20), d.start) or _range_start(text, dates, i))
    ]
    day_starts = [d.start for d in day_dates]
    mentions = sorted(mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in mentions]

    def names_between(a: int, b: int) -> list[str]:
        lo, hi = bisect.bisect_left(mention_starts, a), bisect.bisect_left(mention_starts, b)
        return [m.name for m in mentions[lo:hi]]

    candidates: list[Meeting] = []
    named: list[tuple[int, str, str]] = []
    # Undated sentences with a meeting word: their names are read only when
    # a meeting named by its kind alone needs one (rarely).
    undated: list[tuple[int, int]] = []
    last_end = -1
    # Without letters that IGNORECASE folds beyond ``str.lower``, word
    # checks on the lowered text agree with the IGNORECASE patterns.
    text_low = text.lower() if not has_odd_case(text) else None
    # Driven by the meeting words found in one scan: only their sentences
    # are looked at, so the cost follows the matches, not the text.
    hits0 = scan_matches(_MEETING, text, triggers, "meetings.word", _MEETING_GATE)
    for hit0 in hits0:
        if excl.covers(hit0.start()) or hit0.start() < last_end:
            continue  # furniture, or a sentence already looked at
        s = max(_sentence_start(text, hit0.start()), last_end)
        e = _sentence_end(text, hit0.start())
        last_end = e
        if e - s < 8:
            continue
        sentence = text[s:e]
        # The words looked up in ``low`` have no sigma, the one letter
        # whose lower case depends on its neighbours: a slice of the
        # lowered text holds them exactly where the lowered slice does.
        if text_low is not None:
            low: str | None = text_low[s:e]
        else:
            low = sentence.lower() if not has_odd_case(sentence) else None
        online = has_any(low, _ONLINE_WORDS) if low is not None else bool(_ONLINE.search(sentence))
        lo, hi = bisect.bisect_left(day_starts, s), bisect.bisect_left(day_starts, e)
        in_sentence = day_dates[lo:hi]
        same_day = None
        if not in_sentence and "cùng ngày" in sentence and candidates and candidates[-1].date:
            same_day = _SAME_DAY.search(sentence)
        if not in_sentence and not online and same_day is None:
            undated.append((s, e))
            # Undated and offline: only a delegation with its head named
            # pins a session down ("do đồng chí X … làm trưởng đoàn đã làm việc với").
            low_s = low if low is not None else sentence.lower()
            if "làm việc" not in low_s or not has_any(low_s, _TEAM_HEAD_WORDS):
                continue
        if not online and (_PLAN.search(sentence) if low is None else has_any(low, _PLAN_WORDS)):
            continue
        people: list[tuple[str, int, int]] | None = None
        # Each hit's title, and the session a "làm việc" hit reports. What
        # ``gated_finditer`` finds, except that the scan goes on right after
        # a "làm việc" that is not a session, not after the words it took.
        choices: list[tuple[str, re.Match, _Session | None]] = []
        pos = 0
        while True:
            g = _MEETING_GATE.search(sentence, pos)
            if g is None:
                break
            h = _MEETING.match(sentence, g.start())
            if h is None:
                pos = g.start() + 1
                continue
            pos = h.end()
            if excl.covers(s + h.start()):
                continue
            kind_text = h.group("kind")
            if _NOT_HELD_BEFORE.search(sentence, max(0, h.start() - 16), h.start()):
                pos = h.end("kind")
                continue  # a venue, or a meeting to come
            title = _title(kind_text, h.group("rest"))
            ses = None
            if kind_text.endswith("làm việc"):
                if people is None:
                    lo, hi = bisect.bisect_left(mention_starts, s), bisect.bisect_left(mention_starts, e)
                    people = [(m.name, m.start - s, m.extent[1] - s) for m in mentions[lo:hi]]
                ses = _session(sentence, h.start("kind"), h.end("kind"), people)
                if kind_text == "làm việc":
                    if ses is None:
                        pos = h.end("kind")
                        continue  # the verb, not a session
                    title = ses.title
                elif ses is not None and title.lower() == "buổi làm việc":
                    title = f"{title} với {ses.with_whom}"
            choices.append((title, h, ses))
        if not choices:
            continue
        title, hit, ses = max(choices, key=lambda c: len(c[0]))
        if not in_sentence and not online and same_day is None and (ses is None or not ses.headed):
            continue
        kind = KINDS.get(hit.group("kind").lower().rstrip(), "hoi_nghi")
        date = None
        if in_sentence:
            # A day with its cue ("Chiều 11/9", "ngày 12/9/2024") before a
            # bare one (a page's time stamp run into the sentence).
            d = in_sentence[0]
            if not d.cue:
                d = next((x for x in in_sentence if x.cue), d)
            date = d.iso(year_for(d, default_year, published))
        bridges = _bridge_points(sentence) if "điểm cầu" in sentence else None
        # Every organiser phrase ends on one of these verbs.
        org = _ORGANISER.search(sentence) if has_any(sentence, _ORGANISER_VERBS) else None
        organiser = ses.organiser if ses is not None and ses.organiser else org.group("org") if org else None
        chairs = []
        chair = _CHAIR.search(sentence) if low is None or "chủ trì" in low else None
        if chair:
            chairs = names_between(s, s + chair.start())
        if ses is not None:
            chairs += [c for c in ses.chairs if c not in chairs]
        if kind == "lam_viec" and not title.startswith(("buổi", "Buổi")):
            title = "buổi " + title
        if same_day is not None:
            date = candidates[-1].date
        holder = org.group("org") if org else None
        named_as = _holder_named_as(sentence, hit.start(), title, kind_text_of(hit))
        if named_as is not None and (holder is None or len(named_as) > len(holder)):
            holder = named_as
        title = _with_organiser(title, kind_text_of(hit), holder)
        if _descriptor_of(title) in _BACK_REFERENCES:
            # "… hoàn thành tổ chức hội nghị": the name the text gave it
            # before, and the body whose it is when the clause opens on it
            # ("ngày 24/5, Đảng bộ huyện X … hoàn thành tổ chức hội nghị").
            if undated:
                for us, ue in undated:
                    _named_mentions(text[us:ue], us, excl, named)
                undated = []
            found_name = _name_from(named, kind, s + hit.start())
            if found_name is None and kind == "hoi_nghi":
                found_name = _name_from_report(text, excl)
            if found_name is not None:
                subject = _clause_subject(sentence, hit.start())
                title = f"{found_name} {subject}" if subject and subject not in found_name else found_name
        candidates.append(
            Meeting(
                kind,
                title,
                date,
                True if online else None,
                bridges,
                organiser,
                s + hit.start(),
                e,
                chairs,
            )
        )
    # Chairs named in a sentence of their own ("Các đồng chí … đồng chủ trì
    # hội nghị") belong to the meeting too.
    extra_chairs = []
    for c_start, c_end in _chair_spans(text, text_low):
        s = _sentence_start(text, c_start)
        e = _sentence_end(text, c_start)
        if _MEETING_NOUN.search(text, c_end, e):
            extra_chairs += names_between(s, c_start)
    merged: list[Meeting] = []
    for c in candidates:
        same = _same_meeting(c, merged)
        if same is None:
            merged.append(c)
            continue
        same.date = same.date or c.date
        same.online = same.online or c.online
        same.bridge_points = same.bridge_points or c.bridge_points
        same.organiser = same.organiser or c.organiser
        if len(c.title) > len(same.title):
            same.title = c.title
        for ch in c.chairs:
            if ch not in same.chairs:
                same.chairs.append(ch)
    if len(merged) == 1:
        for ch in dict.fromkeys(extra_chairs):
            if ch not in merged[0].chairs:
                merged[0].chairs.append(ch)
    return merged
