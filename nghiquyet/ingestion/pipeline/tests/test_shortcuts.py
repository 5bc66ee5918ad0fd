"""Speed shortcuts give what the plain forms they replace give.

Each fast path in the stages (a string check before a regex call, a merge
pass instead of repeated inserts, a scan started where a literal is) is
compared here with the plain form it stands for, on generated inputs made
of the pieces that matter to it.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from nghiquyet.core.text import OLD_TO_NEW_TONES
from nghiquyet.ingestion.pipeline import furniture, legacy, merges, people
from nghiquyet.ingestion.pipeline.lexicon import CAP_WORD, LOWER, UPPER, expand_class
from nghiquyet.ingestion.pipeline.normalize import _OLD_TONE
from nghiquyet.ingestion.pipeline.scan import ends_with_label, has_any, trie_pattern
from nghiquyet.ingestion.pipeline.spans import SpanSet


def _pieces(*parts: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(parts), max_size=14).map("".join)


def test_expand_class_lists_exactly_the_class():
    for body in (LOWER, UPPER):
        chars = expand_class(body)
        pattern = re.compile(f"[{body}]")
        assert len(set(chars)) == len(chars)
        assert {c for c in map(chr, range(0x3000)) if pattern.fullmatch(c)} == set(chars)


@given(st.text(alphabet="NguyễnVănAaBbĐđÔô ỦủxX1-.", max_size=8))
def test_cap_word_check_is_the_pattern(word):
    assert people._is_cap_word(word) == bool(re.fullmatch(CAP_WORD, word))


@given(st.text(alphabet=" \t\u00a0\x1cab.\u2003", max_size=12))
def test_collapse_is_split_and_join(line):
    assert furniture._collapse(line) == " ".join(line.split())


@given(st.text(max_size=20), st.lists(st.sampled_from(["a", "xem", "đọc", " ", ""]), max_size=4))
def test_has_any_is_any(text, words):
    assert has_any(text, tuple(words)) == any(w in text for w in words)


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=12))
def test_span_set_built_at_once_is_built_one_by_one(spans):
    at_once = SpanSet(spans)
    one_by_one = SpanSet()
    for s, e in spans:
        one_by_one.add(s, e)
    assert (at_once._starts, at_once._ends) == (one_by_one._starts, one_by_one._ends)


@given(st.text(max_size=30))
def test_tcvn3_table_is_the_translation(text):
    assert legacy.tcvn3_to_unicode(text) == text.translate(legacy._TCVN3_TRANSLATE)


_OLD_TONE_ALTERNATION = re.compile(
    "(?:" + "|".join(sorted(OLD_TO_NEW_TONES, key=len, reverse=True)) + ")(?![A-Za-z])"
)


@given(_pieces(*OLD_TO_NEW_TONES, "o", "u", "O", "U", "n", " ", "à", "ý", "q", "x"))
def test_old_tone_classes_match_the_pairs(text):
    want = [m.span() for m in _OLD_TONE_ALTERNATION.finditer(text)]
    assert [m.span() for m in _OLD_TONE.finditer(text)] == want


@settings(max_examples=300)
@given(
    _pieces(
        "sáp nhập",
        "Sáp nhập",
        "hợp nhất",
        "Hợp nhất",
        "nhập",
        "ợp nhất",
        " toàn bộ",
        " các ",
        " ",
        "xã A",
        "s",
    )
)
def test_merge_verbs_found_where_the_scan_finds_them(text):
    want = [m.span() for m in merges._VERB.finditer(text)]
    assert [m.span() for m in merges._verb_matches(text)] == want


def test_head_and_body_gates_hold_every_first_word():
    # The gates skip _HEAD and _BODY_WORD where the word is not a first
    # word of theirs: that is exact only while every entry has two words.
    for words, first in (
        (people._both_cases(people.TITLE_HEADS) + list(people.RANKS), people._HEAD_FIRST_WORDS),
        (people.BODY_WORDS, people._BODY_FIRST_WORDS),
    ):
        for w in words:
            head, _, rest = w.partition(" ")
            assert rest and head in first and re.fullmatch(f"[{LOWER}{UPPER}]+", head)


def test_title_gate_agrees_with_the_pattern_on_the_corpus():
    from nghiquyet.ingestion.pipeline import decode_bytes
    from nghiquyet.ingestion.pipeline.tests.exactness import CORPUS

    token = re.compile(rf"[{LOWER}{UPPER}0-9&]+")
    for path in sorted(CORPUS.iterdir()):
        text = unicodedata.normalize("NFC", decode_bytes(path.read_bytes(), name=path.name).text)
        for m in token.finditer(text):
            if people._HEAD.match(text, m.start()):
                assert m.group() in people._HEAD_FIRST_WORDS


# -- one automaton for the stages' scans ----------------------------------------

_TRIGGER_PIECES = (
    "Bí thư Tỉnh ủy ",
    "Phó Bí thư ",
    "Trung tá ",
    "Nguyễn Văn An",
    "Lê Thị Hoa",
    "đồng chí ",
    "Đồng chí ",
    "ông ",
    "không ",
    "Bà ",
    "Hội nghị ",
    "kỳ họp ",
    "họp ",
    "làm việc với ",
    "Lễ trao ",
    "Nghị quyết số 05 ",
    "nghị quyết ",
    "Kế hoạch 12 ",
    "xã Thạch Hà ",
    "tỉnh Hà Tĩnh ",
    "Hà Tĩnh ",
    "Tp. Vinh ",
    "UBND tỉnh ",
    "Ban Tổ chức ",
    "Tỉnh ủy ",
    ", ",
    " - ",
    ".\n",
    "x",
    "A",
    "số ",
    "7",
)


def _both_ways(text: str) -> None:
    from nghiquyet.ingestion.pipeline import dates, documents, meetings, places
    from nghiquyet.ingestion.pipeline.extract import trigger_finder

    triggers = trigger_finder().find(text)
    found = dates.find_dates(text)
    assert people.find_people(text, triggers) == people.find_people(text)
    assert documents.find_documents(text, found, 2025, triggers) == documents.find_documents(
        text, found, 2025
    )
    mentions = people.find_people(text)[1]
    args = (text, found, mentions, 2025, None, [])
    assert meetings.find_meetings(*args, triggers) == meetings.find_meetings(*args)
    fast = places.find_places(text, 2025, every=True, triggers=triggers)
    assert fast == places.find_places(text, 2025, every=True)
    assert places.find_organisations(text, fast, triggers) == places.find_organisations(text, fast)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_PIECES), max_size=20).map("".join))
def test_stages_find_the_same_with_and_without_the_automaton(text):
    _both_ways(text)


def test_stages_find_the_same_with_and_without_the_automaton_on_the_corpus():
    from nghiquyet.ingestion.pipeline import decode_bytes
    from nghiquyet.ingestion.pipeline.furniture import strip_furniture
    from nghiquyet.ingestion.pipeline.normalize import normalize
    from nghiquyet.ingestion.pipeline.tests.exactness import CORPUS

    for path in sorted(CORPUS.iterdir()):
        text = decode_bytes(path.read_bytes(), name=path.name).text
        body = strip_furniture(normalize(text).text).text
        _both_ways(body)
        _both_ways(body.upper())


def test_every_automaton_group_needs_a_non_letter_before_it():
    # The automaton drops words right after a letter: each group's pattern
    # must refuse to start there.
    from nghiquyet.ingestion.pipeline import documents, meetings, places
    from nghiquyet.ingestion.pipeline.extract import trigger_finder

    patterns = {
        "people.head": people._HEAD,
        "people.surname": people._GENERIC,
        "people.anchor": people._ANCHOR,
        "meetings.word": meetings._MEETING,
        "documents.kind": documents._KIND_NUMBER,
        "places.level": places._PLACE,
        "places.org": places._ORG_HEAD,
        "places.province": places._province_re(),
    }
    finder = trigger_finder()
    assert sorted(finder._names) == sorted(patterns)
    for piece in _TRIGGER_PIECES:
        for before in ("", " ", "a", "Đ", "(", "7"):
            text = before + piece + "Nguyễn Văn An - Bí thư Tỉnh ủy 12 xã"
            for group, pattern in patterns.items():
                starts = finder.find(text).starts(group)
                for m in pattern.finditer(text):
                    assert m.start() in starts


_LATIN1 = st.text(alphabet=st.characters(max_codepoint=255), max_size=60)


def _check_byte_scores(text: str) -> None:
    data = text.encode("latin-1")
    as_read = legacy._score_bytes(data, legacy._CLASSES_LATIN1, legacy._NOT_SYMBOL_LATIN1)
    assert as_read == legacy.vietnamese_score(text)
    as_tcvn3 = legacy._score_bytes(data, legacy._CLASSES_TCVN3, legacy._NOT_SYMBOL_TCVN3)
    assert as_tcvn3 == legacy.vietnamese_score(legacy.tcvn3_to_unicode(text))


@given(
    st.lists(
        st.sampled_from(["ViÖt", "Nam", "abcdefghij", "ñaëàaaaaaa", " ", ", ", "¡", "1", "\n"]), max_size=12
    )
)
def test_scores_on_bytes_with_long_words(parts):
    _check_byte_scores("".join(parts))


@settings(max_examples=300)
@given(
    _pieces(
        "(Ảnh: Thanh Hà)",
        "( ảnh Minh Anh )",
        "Ảnh Huy Tùng.",
        " ảnh Lê Văn A",
        "hình ảnh",
        "(",
        "\n",
        " ",
        "x",
        ".",
    ),
    st.integers(0, 80),
)
def test_photo_credits_found_where_the_scan_finds_them(text, cut):
    cut = min(cut, len(text))
    want = [m.span() for m in furniture._PHOTO_CREDIT.finditer(text, 0, cut)]
    assert [m.span() for m in furniture._photo_credits(text, cut)] == want


@settings(max_examples=300)
@given(_pieces("(Baohatinh.vn) - ", "(TTXVN)- ", "\n", "  ", "(", ")", " - ", "Tin", "x"), st.integers(0, 90))
def test_source_prefix_is_the_first_match(text, cut):
    cut = min(cut, len(text))
    limit = 0.3 * len(text)
    first = next(iter(furniture._SOURCE_PREFIX.finditer(text, 0, cut)), None)
    want = first.span() if first is not None and first.start() <= limit else None
    got = furniture._source_prefix(text, cut, limit)
    assert (got.span() if got is not None else None) == want


@given(
    _pieces("số", "Số ", "khóa", "năm", "Quốc lộ", "giai đoạn", "ı", " ", ":", "x", "Nghị quyết", "nam"),
    st.integers(0, 30),
)
def test_label_before_a_number_is_the_pattern(text, lo):
    from nghiquyet.ingestion.pipeline import figures

    lo = min(lo, len(text))
    want = bool(figures._BEFORE.search(text, lo, len(text)))
    assert ends_with_label(text, lo, len(text), figures._BEFORE_WORDS, figures._BEFORE) == want


# Pieces of VNI text: bases, marks (both cases), letters of their own, the
# spellings themselves, letters and symbols around them, one beyond Latin-1.
_VNI_PIECES = (
    *"aeouyAEOUY",
    *"ùøûõïâáàåãäêéèúüëôöÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜËÔÖ",
    *"ñÑìíæóòÌÍÆÓÒ",
    "oâ", "oâù", "Oôù", "uöø", "aë", "Vieät", "Nam", "nghieäp", "Ñaûng", "ñoàng", "chí",
    "b", "n", "gh", " ", "\n", ",", "1", "¡", "×", "ß", "ờ", "\u0301",
)  # fmt: skip


# The forward scan ``vni_to_unicode`` first made: a trie of the spellings.
_VNI_RE = re.compile(trie_pattern(legacy.VNI_TO_UNICODE) + "|[" + "".join(legacy._VNI_SINGLE) + "]")


def _plain_vni_to_unicode(text: str) -> str:
    return _VNI_RE.sub(lambda m: legacy.VNI_TO_UNICODE.get(m.group()) or legacy._VNI_SINGLE[m.group()], text)


def _plain_guess_legacy(text: str) -> tuple[str, str] | None:
    """``guess_legacy`` as first written: both conversions made and scored
    on their text."""
    if legacy._BEYOND_LATIN1.search(text, 0, 200_000):
        if sum(ch in legacy._VN_MARKED for ch in text[:200_000]) > 20:
            return None
    base = legacy.vietnamese_score(text)
    best = None
    for name, convert in (("tcvn3", legacy.tcvn3_to_unicode), ("vni", _plain_vni_to_unicode)):
        converted = convert(text)
        score = legacy.vietnamese_score(converted)
        if score > base + 0.15 and (best is None or score > best[0]):
            best = (score, name, converted)
    return None if best is None else (best[1], best[2])


def test_vni_bases_marks_and_own_letters_are_apart():
    bases = {k[0] for k in legacy.VNI_TO_UNICODE}
    marks = {c for k in legacy.VNI_TO_UNICODE for c in k[1:]}
    assert not bases & marks and not set(legacy._VNI_SINGLE) & (bases | marks)
    # What the scores on bytes stand each spelling for: one marked letter,
    # from letters only.
    for seq, letter in [*legacy.VNI_TO_UNICODE.items(), *legacy._VNI_SINGLE.items()]:
        assert legacy._WORD.fullmatch(seq) and letter in legacy._VN_MARKED_BOTH


@settings(max_examples=500)
@given(_pieces(*_VNI_PIECES))
def test_vni_read_backwards_is_the_forward_pattern(text):
    assert legacy.vni_to_unicode(text) == _plain_vni_to_unicode(text)


@settings(max_examples=500)
@given(_pieces(*(p for p in _VNI_PIECES if max(p) <= "\xff")))
def test_vni_score_on_bytes_is_the_score_of_the_conversion(text):
    assert legacy._vni_score_bytes(legacy._vni_parts(text)) == legacy.vietnamese_score(
        _plain_vni_to_unicode(text)
    )


@settings(max_examples=500)
@given(
    st.one_of(
        _pieces(*_VNI_PIECES),
        _pieces(
            "Vieät", "Nam", "ñoàng", "chí", "nghieäp", " ", "ViÖt", "§¶ng", "Hµ", "ờ", "Việt", "aaaaaaaa"
        ),
        st.text(alphabet=st.characters(max_codepoint=300), max_size=40),
    )
)
def test_guess_legacy_is_the_plain_guess(text):
    assert legacy.guess_legacy(text) == _plain_guess_legacy(text)


@settings(max_examples=300)
@given(_pieces("ñaëàaaaaaa", "aaaaaaaaa", "ViÖt", "àbcdefgh", "abcdefgà", "Nam", " ", ",", "¡", "1", "\n"))
def test_scores_on_bytes_with_long_marked_words(text):
    _check_byte_scores(text)


def _plain_extract_html(html_text: str) -> tuple[str, dict]:
    """``html.extract_html`` as first written: a selector query per box for
    its <h1>, and a walk over every node in Python."""
    from selectolax.lexbor import LexborHTMLParser

    from nghiquyet.ingestion.pipeline import html

    tree = LexborHTMLParser(html_text)
    hints: dict = {}
    node = tree.css_first("h1")
    title_node = tree.css_first("title")
    if node is not None:
        hints["title"] = " ".join(node.text().split())
    elif title_node is not None:
        hints["title"] = " ".join(title_node.text().split())
    # The meta tags are read as before (not a shortcut): the same helper.
    published = html.published_hint(tree)
    if published:
        hints["published"] = published
    root = tree.body or tree.root
    if root is None:
        return "", hints
    tree.strip_tags(list(html._DROP_TAGS), recursive=True)
    for n in root.css("[class], [id]"):
        marker = f"{n.attributes.get('class') or ''} {n.attributes.get('id') or ''}"
        if html._DROP_CLASS.search(marker) and n.css_first("h1") is None:
            n.decompose()
    text = "\n".join(html._lines_by_walk(root))
    if "title" in hints and node is None and hints["title"] and not text.startswith(hints["title"]):
        text = hints["title"] + "\n" + text
    return text, hints


_HTML_PIECES = (
    "<p>", "</p>", "<div>", "</div>", "<br>", "<h1>", "</h1>", "<h1 class='menu'>", "<title>T t</title>",
    "<b>", "</b>", "<a href=x>", "</a>", "<img alt=' Ảnh  A '>", "<img alt=''>", "<img>", "<li>", "<ul>",
    "</ul>", "<table><tr><td>", "</td><td>", "</table>", "<section>", "</section>", "<span>", "</span>",
    "<div class='related-news'>", "<div id='Comments'>", "<div class='most-read x'>", "<div class='Tags_x'>",
    "<div class='menuitem'>", "<div class='nav\x1cbar'>", "<div class='ſhare'>", "<nav>", "</nav>",
    "<script>x()</script>", "<style>p{}</style>", "<!-- c -->", "<math><section>m</section></math>",
    "<template><p>t</p></template>", "<header>", "</header>", "<pre>a  b</pre>",
    "Đồng chí", " Nguyễn  Văn\tA ", "\xa0", "\n", "x", "&amp;", "&#0;", "\x00", "  ", "\r\n",
)  # fmt: skip


@settings(max_examples=500)
@given(_pieces(*_HTML_PIECES))
def test_html_text_is_the_plain_walk(text):
    from nghiquyet.ingestion.pipeline import html

    assert html.extract_html(text) == _plain_extract_html(text)
    assert html.extract_html("<html><body>" + text) == _plain_extract_html("<html><body>" + text)


@given(
    st.text(alphabet="ab -_\t\x1c\u2003NAVnavmostrdeſK\u212a", max_size=12),
    st.text(alphabet="ab -_sharetgcomn\u0131", max_size=10),
)
def test_furniture_words_are_the_pattern(cls, ident):
    from nghiquyet.ingestion.pipeline import html

    want = html._DROP_CLASS.search(f"{cls} {ident}") is not None
    assert html._is_furniture(cls, ident) == want
    for word in html._DROP_WORDS:
        assert html._is_furniture(word.upper(), "") and html._DROP_CLASS.search(word.upper())


def test_html_corpus_page_is_the_plain_walk():
    from nghiquyet.ingestion.pipeline import html
    from nghiquyet.ingestion.pipeline.tests.conftest import CORPUS

    page = (CORPUS / "07_trang_bao_dien_tu.html").read_text(encoding="utf-8")
    assert html.extract_html(page) == _plain_extract_html(page)


def test_html_text_holding_the_mark_is_walked(monkeypatch):
    from selectolax.lexbor import LexborHTMLParser

    from nghiquyet.ingestion.pipeline import html

    tree = LexborHTMLParser("<p>a</p><p>b</p>")
    assert tree.body is not None
    tree.body.insert_child("x" + html._MARK)
    assert html._lines_by_marks(tree.body) is None
    page = "<h1>T</h1><div class=share>s</div><p>a <b>b</b></p>c<br>d"
    monkeypatch.setattr(html, "_lines_by_marks", lambda root: None)
    assert html.extract_html(page) == _plain_extract_html(page)
