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
from nghiquyet.ingestion.pipeline.scan import has_any
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
