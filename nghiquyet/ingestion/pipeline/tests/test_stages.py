"""Each stage on its own: normalisation, furniture, dates, documents, people, figures, meetings."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nghiquyet.core.text import to_new_tone_style
from nghiquyet.ingestion.pipeline import dates as dates_mod
from nghiquyet.ingestion.pipeline import extract
from nghiquyet.ingestion.pipeline.dates import find_dates, infer_year
from nghiquyet.ingestion.pipeline.documents import find_documents, find_named_documents
from nghiquyet.ingestion.pipeline.figures import find_figures, parse_number
from nghiquyet.ingestion.pipeline.furniture import strip_furniture
from nghiquyet.ingestion.pipeline.normalize import new_tone_style, normalize
from nghiquyet.ingestion.pipeline.people import find_people
from nghiquyet.ingestion.pipeline.scan import gated_finditer

# -- normalisation -------------------------------------------------------------


def test_normalize_maps_nfd_and_zero_width_back_to_the_original():
    original = "Tỉnh uỷ\u00a0" + unicodedata.normalize("NFD", "Nguyễn Văn Hoà") + "\u200b đến"
    norm = normalize(original)
    assert norm.text == "Tỉnh ủy Nguyễn Văn Hòa đến"
    i = norm.text.index("Nguyễn")
    s, e = norm.span(i, i + len("Nguyễn Văn Hòa"))
    assert unicodedata.normalize("NFC", original[s:e]) == "Nguyễn Văn Hoà"
    j = norm.text.index("đến")
    assert original[slice(*norm.span(j, j + 3))] == "đến"


@given(st.text(alphabet="oauyeqhàáảãạèéẻẽẹỳýỷỹỵAOUYEQÀÉỲ nt", max_size=40))
def test_fast_tone_style_agrees_with_the_core_helper(text):
    assert new_tone_style(unicodedata.normalize("NFC", text)) == to_new_tone_style(text)


# -- furniture -----------------------------------------------------------------


def test_related_lists_bylines_and_file_names_are_blanked_keeping_length():
    text = (
        "Tiêu đề bài viết về hội nghị\nanh-1.jpg Đồng chí A phát biểu.\nNội dung chính của bài viết.\n"
        "Lượt xem: 1.234\nThanh Tâm/ Báo X\nNhững tin cũ hơn\nQuyết định số 36 của UBND tỉnh"
    )
    cleaned = strip_furniture(text)
    assert len(cleaned.text) == len(text)
    assert "anh-1.jpg" not in cleaned.text and "Đồng chí A phát biểu." in cleaned.text
    assert "Quyết định số 36" not in cleaned.text and "1.234" not in cleaned.text
    assert cleaned.authors == ["Thanh Tâm"] and cleaned.sources == ["Báo X"]


def test_update_stamp_gives_the_publication_date():
    cleaned = strip_furniture("Tiêu đề\nCập nhật lúc 16:45, 22/07/2024\nNội dung.")
    assert cleaned.published == "2024-07-22"
    assert "16:45" not in cleaned.text


def test_a_signature_is_a_person_of_the_document_not_its_byline():
    text = "Nội dung báo cáo.\n\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n(Đã ký)\nTrần Quốc Hưng\n"
    cleaned = strip_furniture(text)
    assert cleaned.authors == [] and "Trần Quốc Hưng" in cleaned.text
    assert [s[:2] for s in cleaned.signers] == [("Trần Quốc Hưng", "PHÓ BÍ THƯ")]
    facts = extract(text)
    assert [(p["name"], p["titles"]) for p in facts["people"]] == [("Trần Quốc Hưng", ["PHÓ BÍ THƯ"])]
    # A name alone on the last line, with no signature above it, stays a byline.
    assert strip_furniture("Nội dung bài viết.\n\nTrần Quốc Hưng\n").authors == ["Trần Quốc Hưng"]


def test_an_official_document_is_titled_by_its_kind_and_subject_and_dated_by_its_header():
    text = (
        "ĐẢNG BỘ TỈNH PHÚ THỌ\nTỈNH ỦY\n*\nSố 215-BC/TU\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
        "Phú Thọ, ngày 18 tháng 6 năm 2025\n\nBÁO CÁO\nsơ kết 3 năm thực hiện Nghị quyết số 05-NQ/TU\n"
        "của Ban Chấp hành Đảng bộ tỉnh\n-----\n\nThực hiện Kế hoạch số 142-KH/TU, báo cáo như sau."
    )
    facts = extract(text)
    assert facts["title"] == (
        "BÁO CÁO sơ kết 3 năm thực hiện Nghị quyết số 05-NQ/TU của Ban Chấp hành Đảng bộ tỉnh"
    )
    assert facts["published"] == "2025-06-18"
    # Without the motto the first line is the title, as in a news article.
    assert extract(text.replace("ĐẢNG CỘNG SẢN VIỆT NAM", ""))["title"] == "ĐẢNG BỘ TỈNH PHÚ THỌ"


# -- dates ---------------------------------------------------------------------


def _iso(text, year=None):
    return [d.iso(year) for d in find_dates(text) if d.kind == "day"]


def test_date_forms():
    assert _iso("họp ngày 30/6/2020") == ["2020-06-30"]
    assert _iso("ngày 30 tháng 6 năm 2020") == ["2020-06-30"]
    assert _iso("Sáng ngày 30/6, Tỉnh ủy họp") == ["--06-30"]
    assert _iso("Chiều 17/7, hội nghị", 2024) == ["2024-07-17"]
    (d,) = [d for d in find_dates("diễn ra từ 15 - 18/4/2017") if d.kind == "day"]
    assert (d.iso(), d.end_day) == ("2017-04-15", 18)


def test_a_count_over_a_total_is_not_a_date():
    assert _iso("có 12/12 xã đạt chuẩn") == []


def test_year_is_inferred_from_the_text_not_from_terms():
    dates = find_dates("nhiệm kỳ 2020 - 2025, từ đầu năm 2023, tháng 4/2023, ngày 24/5 hội nghị")
    assert infer_year(dates) == 2023
    assert infer_year(dates, "2021-03") == 2021


_DATE_ALPHABET = "0123456789/-:., \nvàđếnNgămyiêđộkhóaQquýIVtháng"


@given(st.text(alphabet=_DATE_ALPHABET, max_size=60))
def test_date_scan_shortcuts_find_what_the_full_patterns_find(text):
    # The shortcuts in find_dates (candidates from the slashes, gates,
    # scans started late, literal-start variants) yield the same matches.
    def spans(matches):
        return [m.span() for m in matches]

    assert spans(dates_mod._day_num_matches(text)) == spans(
        gated_finditer(dates_mod._DAY_NUM_GATE, dates_mod._DAY_NUM, text)
    )
    month_at = dates_mod._THANG_NUM.search(text)
    for pattern in (dates_mod._DAY_WORDS, dates_mod._MONTH_YEAR, dates_mod._MONTH):
        if month_at is None:
            assert pattern.search(text) is None
    for pattern in (dates_mod._MONTH_YEAR, dates_mod._MONTH):
        if month_at is not None:
            assert spans(pattern.finditer(text, max(0, month_at.start() - 1))) == spans(
                pattern.finditer(text)
            )
    term_at = dates_mod._TERM_GATE.search(text)
    if term_at is None:
        assert dates_mod._TERM.search(text) is None
    else:
        term_from = term_at.start()
        while term_from > 0 and text[term_from - 1].isspace():
            term_from -= 1
        assert spans(dates_mod._TERM.finditer(text, max(0, term_from - 4))) == spans(
            dates_mod._TERM.finditer(text)
        )
    if "iên độ" not in text and "iên khóa" not in text:
        assert [(m.start() - 1, m.end()) for m in dates_mod._NAM_YEAR.finditer(text)] == spans(
            dates_mod._YEAR.finditer(text)
        )
    if "19" not in text and "2100" not in text:
        assert spans(dates_mod._BARE_YEAR_20.finditer(text)) == spans(dates_mod._BARE_YEAR.finditer(text))
    if "giờ" not in text and ":" not in text and not dates_mod._TIME_H_GATE.search(text):
        assert dates_mod._TIME.search(text) is None


# -- documents -----------------------------------------------------------------


def _docs(text):
    return [(d.kind, d.number, d.symbol) for d in find_documents(text, find_dates(text))]


def test_party_and_state_signs_with_odd_spacing():
    assert _docs("Chỉ thị số 05 - CT/TW và Quyết định số 470- QĐNS/TW") == [
        ("chi_thi", "05", "05-CT/TW"),
        ("quyet_dinh", "470", "470-QĐNS/TW"),
    ]
    assert _docs("Chỉ thị số 01/CT-UBND, Nghị định số 09/2019/NĐ-CP") == [
        ("chi_thi", "01", "01/CT-UBND"),
        ("nghi_dinh", "09", "09/2019/NĐ-CP"),
    ]


def test_a_list_of_signs_is_several_documents():
    assert [s for _, _, s in _docs("các nghị quyết số 03-NQ/TU, 04-NQ/TU, 05-NQ/TU của Tỉnh ủy")] == [
        "03-NQ/TU",
        "04-NQ/TU",
        "05-NQ/TU",
    ]


def test_a_short_mention_joins_the_full_one():
    text = "Kết luận số 24-KL/TW ngày 5/3/2022 của Bộ Chính trị ... thực hiện Kết luận số 24 và Chỉ thị số 42"
    docs = find_documents(text, find_dates(text))
    assert [(d.kind, d.number, d.symbol) for d in docs] == [
        ("ket_luan", "24", "24-KL/TW"),
        ("chi_thi", "42", None),
    ]
    assert docs[0].issued == "2022-03-05" and docs[0].issuer == "Bộ Chính trị"
    assert len(docs[0].mentions) == 2


def test_issuer_with_term():
    text = "Nghị quyết số 04-NQ/TW ngày 30/10/2016 của Ban Chấp hành Trung ương Đảng khóa XII về"
    (doc,) = find_documents(text, find_dates(text))
    assert doc.issued == "2016-10-30" and doc.issuer == "Ban Chấp hành Trung ương Đảng khóa XII"


def test_named_documents_without_number_are_apart():
    named = find_named_documents(
        "thực hiện Nghị quyết Đại hội XIII của Đảng, Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX"
    )
    assert [t for t, _, _ in named] == [
        "Nghị quyết Đại hội XIII của Đảng",
        "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX",
    ]
    assert _docs("Kế hoạch 5 năm và nhiệm kỳ 2020 - 2025") == []


# -- people --------------------------------------------------------------------


def _people(text):
    return {p.name: p.titles for p in find_people(text)[0]}


def test_list_of_comrades_with_titles():
    text = (
        "Các đồng chí: Trần Văn An - Ủy viên TW Đảng, Bí thư Tỉnh ủy; Lê Thị Bình - Phó Bí thư Tỉnh ủy, "
        "Chủ tịch UBND tỉnh đồng chủ trì hội nghị."
    )
    assert _people(text) == {
        "Trần Văn An": ["Ủy viên TW Đảng", "Bí thư Tỉnh ủy"],
        "Lê Thị Bình": ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh"],
    }


def test_title_before_name_rank_and_place():
    assert _people("Bí thư Tỉnh ủy Hà Tĩnh Phan Văn Cường phát biểu") == {
        "Phan Văn Cường": ["Bí thư Tỉnh ủy Hà Tĩnh"]
    }
    assert _people("Chủ tịch UBND tỉnh Hà Tĩnh chủ trì") == {}
    assert _people("Trung tá Đỗ Văn Dũng - Chính trị viên Ban Chỉ huy Quân sự huyện phát biểu") == {
        "Đỗ Văn Dũng": ["Trung tá", "Chính trị viên Ban Chỉ huy Quân sự huyện"]
    }
    assert _people("Phó Thủ tướng Trần Lưu Minh làm việc") == {"Trần Lưu Minh": ["Phó Thủ tướng"]}


def test_each_person_once_with_every_title_and_old_tones():
    text = (
        "Đồng chí Ngô Thị Hoà, Phó Chủ tịch UBND tỉnh dự. Sau đó, Phó Chủ tịch Uỷ ban nhân dân tỉnh "
        "Ngô Thị Hòa kiểm tra. Bí thư Huyện ủy Lộc Hà chủ trì."
    )
    people, _ = find_people(normalize(text).text)
    assert [(p.name, len(p.spans)) for p in people] == [("Ngô Thị Hòa", 2)]
    assert people[0].titles == ["Phó Chủ tịch UBND tỉnh"]


def test_thanh_ends_a_name_unless_a_city_or_its_committee_follows():
    assert _people("Đồng chí Vũ Đức Thành, Phó Cục trưởng Cục Chuyển đổi số quốc gia dự.") == {
        "Vũ Đức Thành": ["Phó Cục trưởng Cục Chuyển đổi số quốc gia"]
    }
    assert _people("Đồng chí Phạm Thành Long, Bí thư Tỉnh ủy dự.") == {"Phạm Thành Long": ["Bí thư Tỉnh ủy"]}
    assert _people("Đồng chí Lê Văn An Thành ủy viên dự.") == {"Lê Văn An": []}
    assert _people("Đồng chí Ma Văn Quyết, Bí thư Đảng ủy xã phát biểu.") == {
        "Ma Văn Quyết": ["Bí thư Đảng ủy xã"]
    }


def test_given_names_that_are_also_title_or_body_words_stay_in_the_name():
    # "Thư", "Hội", "Viên", "Định", "Sáng", "Thường", "Chính" are given
    # names; "Đoàn", "Trình", "Đồng" family names.
    assert _people("Đồng chí Nguyễn Anh Thư, Phó Chủ tịch UBND tỉnh dự.") == {
        "Nguyễn Anh Thư": ["Phó Chủ tịch UBND tỉnh"]
    }
    assert _people("Phó Chủ tịch UBND tỉnh Trần Thị Thư kiểm tra.") == {
        "Trần Thị Thư": ["Phó Chủ tịch UBND tỉnh"]
    }
    assert _people("Đoàn Văn Hội - Bí thư Đảng ủy xã phát biểu.") == {"Đoàn Văn Hội": ["Bí thư Đảng ủy xã"]}
    assert _people("Chủ tịch Hội Nông dân tỉnh Lê Thị Hội phát biểu.") == {
        "Lê Thị Hội": ["Chủ tịch Hội Nông dân tỉnh"]
    }
    assert _people("Chánh Văn phòng Tỉnh ủy Phạm Minh Viên báo cáo.") == {
        "Phạm Minh Viên": ["Chánh Văn phòng Tỉnh ủy"]
    }
    assert _people("Lê Văn Thành - Phó Bí thư Tỉnh ủy phát biểu.") == {"Lê Văn Thành": ["Phó Bí thư Tỉnh ủy"]}
    text = (
        "Dự có các đồng chí: Nguyễn Văn Định - Giám đốc Sở Tài chính; Lê Thị Sáng, Phó Giám đốc Sở Y tế; "
        "Trình Văn Bảo, Bí thư Huyện ủy; Đồng Văn Hùng, Chủ tịch UBND huyện và Hà Thị Thường, Trưởng phòng."
    )
    assert _people(text) == {
        "Nguyễn Văn Định": ["Giám đốc Sở Tài chính"],
        "Lê Thị Sáng": ["Phó Giám đốc Sở Y tế"],
        "Trình Văn Bảo": ["Bí thư Huyện ủy"],
        "Đồng Văn Hùng": ["Chủ tịch UBND huyện"],
        "Hà Thị Thường": ["Trưởng phòng"],
    }
    assert _people("Bí thư Đoàn Thanh niên tỉnh Đoàn Thanh Hà phát biểu.") == {
        "Đoàn Thanh Hà": ["Bí thư Đoàn Thanh niên tỉnh"]
    }


def test_a_list_of_comrades_whose_given_names_are_body_words():
    text = (
        "Thường trực Tỉnh ủy gồm các đồng chí Hồ Văn Thường, Nguyễn Văn Kết và Trần Hữu Nghị. "
        "Đồng chí Lê Minh Chính, Phó Thủ tướng Chính phủ dự."
    )
    assert _people(text) == {
        "Hồ Văn Thường": [],
        "Nguyễn Văn Kết": [],
        "Trần Hữu Nghị": [],
        "Lê Minh Chính": ["Phó Thủ tướng Chính phủ"],
    }


def test_a_title_or_body_after_a_name_is_not_part_of_it():
    assert _people("Đồng chí Nguyễn Văn An Bí thư Tỉnh ủy dự.") == {"Nguyễn Văn An": []}
    assert _people("Đồng chí Nguyễn Văn An Bí Thư Tỉnh Ủy dự.") == {"Nguyễn Văn An": []}
    assert _people("Đồng chí Lê Văn Nam Ban Tổ chức Tỉnh ủy dự.") == {"Lê Văn Nam": []}
    assert _people("Đồng chí Lê Văn Nam Hội Nông dân tỉnh dự.") == {"Lê Văn Nam": []}
    assert _people("Đồng chí Lê Văn Hải Đoàn Thanh niên dự.") == {"Lê Văn Hải": []}
    assert _people("Đồng chí Lê Văn Hùng Quyết Định khen thưởng.") == {"Lê Văn Hùng": []}
    # The same words where they are the body or the title: no person.
    assert _people("Các đồng chí Ban Thường vụ Tỉnh ủy dự.") == {}
    assert _people("Các đồng chí Hội Nghị Ban Chấp hành dự.") == {}
    assert _people("Đồng chí Phạm Đồng Chí dự.") == {}


def test_a_member_of_a_committee_is_a_title():
    assert _people("Đồng chí Nông Thị Hạnh, Tỉnh ủy viên, Phó Chủ tịch HĐND tỉnh dự.") == {
        "Nông Thị Hạnh": ["Tỉnh ủy viên", "Phó Chủ tịch HĐND tỉnh"]
    }


def test_titles_run_over_policy_bodies_and_national_programme_committees():
    text = (
        "Đồng chí Đỗ Minh Khang, Trưởng Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh, kiểm tra. "
        "Đồng chí Lê Văn Tuấn, Phó Trưởng Ban Chính sách, chiến lược Trung ương làm việc."
    )
    assert _people(text) == {
        "Đỗ Minh Khang": ["Trưởng Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh"],
        "Lê Văn Tuấn": ["Phó Trưởng Ban Chính sách, chiến lược Trung ương"],
    }


def test_a_title_runs_over_the_women_s_union():
    assert _people("Chủ tịch Hội Liên hiệp Phụ nữ tỉnh Lê Thị Hội phát biểu.") == {
        "Lê Thị Hội": ["Chủ tịch Hội Liên hiệp Phụ nữ tỉnh"]
    }


def test_titles_over_bodies_with_commas_in_their_names_come_out_whole():
    policy = "Trưởng Ban Chính sách, chiến lược Trung ương"
    science = "Trưởng Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh"
    assert _people(f"{policy} Phan Văn Hòa làm việc với tỉnh.") == {"Phan Văn Hòa": [policy]}
    assert _people(f"Đồng chí Phan Văn Hòa, Ủy viên Bộ Chính trị, {policy} phát biểu.") == {
        "Phan Văn Hòa": ["Ủy viên Bộ Chính trị", policy]
    }
    # The comma after the body still separates the next person or title.
    assert _people(f"Dự có đồng chí Phan Văn Hòa, {policy}, và đồng chí Lê Thị Thư, Bí thư Tỉnh ủy.") == {
        "Phan Văn Hòa": [policy],
        "Lê Thị Thư": ["Bí thư Tỉnh ủy"],
    }
    assert _people(f"Đồng chí Trần Quốc Bảo, Bí thư Tỉnh ủy, {science}, chủ trì hội nghị.") == {
        "Trần Quốc Bảo": ["Bí thư Tỉnh ủy", science]
    }
    assert _people(f"{science} Trần Quốc Bảo kết luận.") == {"Trần Quốc Bảo": [science]}
    central = "Phó Trưởng Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    assert _people(f"Đồng chí Lê Văn Khải - {central}, Phó Thủ tướng Chính phủ dự.") == {
        "Lê Văn Khải": [central, "Phó Thủ tướng Chính phủ"]
    }
    assert _people(
        "Đồng chí Đinh Thị Lan, Phó Trưởng Ban Chỉ đạo phòng, chống tham nhũng, lãng phí, tiêu cực tỉnh, "
        "phát biểu."
    ) == {"Đinh Thị Lan": ["Phó Trưởng Ban Chỉ đạo phòng, chống tham nhũng, lãng phí, tiêu cực tỉnh"]}
    # A comma followed by anything else still ends the title.
    assert _people("Đồng chí Đinh Thị Lan, Trưởng Ban Chỉ đạo tỉnh, chủ trì.") == {
        "Đinh Thị Lan": ["Trưởng Ban Chỉ đạo tỉnh"]
    }


# -- figures -------------------------------------------------------------------


def test_units_written_as_lists_of_counted_nouns():
    def units(text):
        return [(f.value, f.total, f.unit) for f in find_figures(text, [])]

    assert units("13/13 huyện ủy, thị ủy, thành ủy và 22 đảng ủy trực thuộc") == [
        (13, 13, "huyện ủy, thị ủy, thành ủy"),
        (22, None, "đảng ủy trực"),
    ]
    assert units("thu hút 58.300 lượt cán bộ, đảng viên tham dự") == [(58300, None, "lượt cán bộ, đảng viên")]
    assert units("đăng 1.382 tin, bài, phóng sự về Nghị quyết") == [(1382, None, "tin, bài, phóng sự")]
    assert units("có 5/13 huyện, thành, thị hoàn thành") == [(5, 13, "huyện, thành, thị")]
    assert units("cụ thể hóa thành 42 đề án, dự án.") == [(42, None, "đề án, dự án")]
    # A one-word item that runs on is no list: "thành lập" is a verb.
    assert units("có 10 huyện, thành lập 5 đoàn") == [(10, None, "huyện"), (5, None, "đoàn")]


def test_a_number_granted_is_a_figure_and_a_level_is_not():
    assert [(f.value, f.unit) for f in find_figures("4.893 ha được cấp 126 mã số vùng trồng", [])] == [
        (4893, "ha được cấp"),
        (126, "mã số vùng trồng"),
    ]
    assert [f.value for f in find_figures("cung cấp 1.824 thủ tục hành chính", [])] == [1824]
    assert [(f.value, f.unit) for f in find_figures("dân số 31.520 người", [])] == [(31520, "người")]
    assert [(f.value, f.unit) for f in find_figures("đóng góp 1.350 ngày công, trong 3 ngày", [])] == [
        (1350, "ngày công")
    ]
    assert find_figures("trường đạt chuẩn cấp 2 trở lên", []) == []


def test_vietnamese_numbers():
    assert (
        parse_number("2.989") == 2989 and parse_number("48,93") == 48.93 and parse_number("40.065") == 40065
    )


def _figs(text):
    dates = find_dates(text)
    return [(f.value, f.total, f.unit) for f in find_figures(text, [(d.start, d.end) for d in dates])]


def test_figures_and_what_is_not_one():
    assert _figs("504/504 chi bộ, đảng bộ cơ sở hoàn thành") == [(504, 504, "chi bộ, đảng bộ cơ sở")]
    assert _figs("có 2.989 đảng viên; diện tích 48,93km2") == [
        (2989, None, "đảng viên"),
        (48.93, None, "km2"),
    ]
    assert _figs("ngày 30/6/2020, nhiệm kỳ 2020 - 2025, 5 năm liền, khóa 15, lần thứ 21, năm 2023") == []
    assert _figs("Chỉ thị số 42 và 1 số nội dung") == []


# -- whole pipeline ------------------------------------------------------------


def test_meeting_with_online_bridges_and_chairs():
    text = (
        "Sáng 30/6/2024, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 21. Hội nghị được tổ chức "
        "trực tuyến với 15 điểm cầu. Đồng chí Trần Văn An, Bí thư Tỉnh ủy chủ trì hội nghị."
    )
    (meeting,) = extract(text)["meetings"]
    assert meeting["date"] == "2024-06-30" and meeting["online"] is True and meeting["bridge_points"] == 15
    assert meeting["title"] == "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21"
    assert meeting["chairs"] == ["Trần Văn An"]


def test_plans_and_bare_mentions_are_not_meetings():
    text = "Kết luận hội nghị, đồng chí Bí thư đề nghị. Dự kiến ngày 15/7 sẽ tổ chức hội nghị cấp tỉnh."
    assert extract(text)["meetings"] == []


def test_an_undated_meeting_keeps_apart_from_a_dated_one_described_otherwise():
    text = (
        "Hội nghị quán triệt Nghị quyết được tổ chức trực tuyến với 56 điểm cầu. "
        "Ngày 12/9/2024, Ban Thường vụ Tỉnh ủy có buổi làm việc với Huyện ủy Cẩm Xuyên. "
        "Sáng 15/10/2024, Ban Thường vụ Huyện ủy tổ chức hội nghị sơ kết Chỉ thị số 05-CT/TU. "
        "Hội nghị tổng kết công tác dân vận được tổ chức trực tuyến."
    )
    got = [(m["kind"], m["title"], m["date"], m["online"]) for m in extract(text)["meetings"]]
    assert got == [
        ("hoi_nghi", "Hội nghị quán triệt Nghị quyết", None, True),
        ("lam_viec", "buổi làm việc với Huyện ủy Cẩm Xuyên", "2024-09-12", None),
        ("hoi_nghi", "hội nghị sơ kết Chỉ thị số 05-CT/TU", "2024-10-15", None),
        ("hoi_nghi", "Hội nghị tổng kết công tác dân vận", None, True),
    ]


def test_a_meeting_named_again_is_one_meeting():
    text = (
        "Sáng 15/10/2024, Ban Thường vụ Huyện ủy tổ chức hội nghị sơ kết Chỉ thị số 05-CT/TU. "
        "Hội nghị lần này được tổ chức trực tuyến với 18 điểm cầu. "
        "Chiều 15/10/2024, hội nghị sơ kết Chỉ thị số 05-CT/TU đã bế mạc."
    )
    (meeting,) = extract(text)["meetings"]
    assert (meeting["date"], meeting["online"], meeting["bridge_points"]) == ("2024-10-15", True, 18)
    text = (
        "Sáng 30/6/2024, Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21 khai mạc. "
        "Chiều 30/6/2024, hội nghị lần thứ 21 đã bế mạc."
    )
    (meeting,) = extract(text)["meetings"]
    assert meeting["title"] == "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21"


def _bridges(sentence: str) -> int | None:
    (meeting,) = extract("Sáng 10/3/2025, Tỉnh ủy tổ chức Hội nghị quán triệt Nghị quyết. " + sentence)[
        "meetings"
    ]
    return meeting["bridge_points"]


def test_bridge_points_are_read_in_vietnamese_digits():
    assert _bridges("Hội nghị được kết nối trực tuyến tới 1.246 điểm cầu.") == 1246
    assert _bridges("Hội nghị được tổ chức trực tuyến với 1.246 điểm cầu, thu hút 58.300 lượt người.") == 1246
    assert _bridges("Hội nghị được truyền hình trực tuyến tại 1.246 điểm cầu cơ sở.") == 1246
    assert _bridges("Hội nghị được tổ chức trực tuyến với 21 điểm cầu.") == 21


def test_bridge_points_given_by_level_add_up_unless_a_total_is_stated():
    # The points the text numbers; the host point given without a number is not added.
    assert _bridges("Hội nghị được tổ chức tại điểm cầu chính Tỉnh ủy và 124 điểm cầu cấp xã.") == 124
    assert _bridges("Hội nghị kết nối trực tuyến 13 điểm cầu cấp huyện và 222 điểm cầu cấp xã.") == 235
    assert _bridges("Hội nghị kết nối 236 điểm cầu, gồm 13 điểm cầu cấp huyện và 222 điểm cầu cấp xã.") == 236
    assert (
        _bridges("Hội nghị kết nối 13 điểm cầu cấp huyện, 222 điểm cầu cấp xã, tổng số 236 điểm cầu.") == 236
    )
    assert _bridges("Hội nghị kết nối 235 điểm cầu: 13 điểm cầu cấp huyện, 222 điểm cầu cấp xã.") == 235


def _sessions(text: str) -> list[tuple]:
    return [
        (m["kind"], m["title"], m["date"], m["organiser"], m["chairs"]) for m in extract(text)["meetings"]
    ]


def test_a_delegation_working_session_has_its_body_and_head():
    text = (
        "Ngày 12/9/2024, Đoàn công tác của Ban Thường vụ Tỉnh ủy do đồng chí Nguyễn Văn Thành, Phó Bí thư "
        "Tỉnh ủy làm trưởng đoàn đã làm việc với Huyện ủy Cẩm Xuyên về công tác chuẩn bị đại hội."
    )
    assert _sessions(text) == [
        (
            "lam_viec",
            # The topic is part of the session's name (issue #14).
            "buổi làm việc của Đoàn công tác Ban Thường vụ Tỉnh ủy với Huyện ủy Cẩm Xuyên về công tác chuẩn bị đại hội",
            "2024-09-12",
            "Ban Thường vụ Tỉnh ủy",
            ["Nguyễn Văn Thành"],
        )
    ]


def test_an_undated_delegation_with_its_head_named_is_a_working_session():
    text = (
        "Đoàn kiểm tra số 2 của Ủy ban Kiểm tra Tỉnh ủy do đồng chí Lê Thị Hoa, Phó Chủ nhiệm Ủy ban "
        "Kiểm tra Tỉnh ủy làm trưởng đoàn đã làm việc với Đảng ủy xã Kỳ Anh."
    )
    ((kind, _, date, organiser, chairs),) = _sessions(text)
    assert (kind, date, organiser, chairs) == ("lam_viec", None, "Ủy ban Kiểm tra Tỉnh ủy", ["Lê Thị Hoa"])


def test_a_body_or_a_leader_holds_a_working_session_on_a_day():
    text = (
        "Ngày 12/9/2024, Thường trực Tỉnh ủy làm việc với Ban Thường vụ Huyện ủy Đức Thọ về công tác cán bộ."
    )
    assert _sessions(text) == [
        (
            "lam_viec",
            "buổi làm việc của Thường trực Tỉnh ủy với Ban Thường vụ Huyện ủy Đức Thọ về công tác cán bộ",
            "2024-09-12",
            "Thường trực Tỉnh ủy",
            [],
        )
    ]
    text = "Chiều 5/3/2025, đồng chí Trần Văn Nam, Bí thư Tỉnh ủy đã làm việc với Đảng ủy xã Thạch Hà."
    assert _sessions(text) == [
        ("lam_viec", "buổi làm việc với Đảng ủy xã Thạch Hà", "2025-03-05", None, ["Trần Văn Nam"])
    ]


def test_the_verb_lam_viec_alone_is_not_a_meeting():
    for text in (
        "Ngày 5/6/2024, cơ quan điều tra đã làm việc với các đối tượng liên quan.",
        "Ngày 3/4/2024, Công an huyện đã làm việc với người dân về vụ việc.",
        "Ngày 1/7/2025, cán bộ xã bắt đầu làm việc với tinh thần mới.",
        "Các đoàn công tác của Tỉnh ủy do đồng chí Phó Bí thư dẫn đầu thường xuyên làm việc với cơ sở.",
        "Ngày 20/10/2024, Thường trực Tỉnh ủy sẽ làm việc với Huyện ủy Can Lộc.",
        "Đoàn công tác của Tỉnh ủy đã làm việc với Huyện ủy Can Lộc.",
    ):
        assert extract(text)["meetings"] == [], text


# -- places and organisations -------------------------------------------------------

from nghiquyet.ingestion.pipeline.places import find_organisations, find_places, province_names  # noqa: E402


def _places(text: str, year: int | None = None) -> dict[str, tuple[str, str | None, bool | None]]:
    return {p.name: (p.kind, p.code, p.legacy) for p in find_places(text, year)}


def test_province_names_come_from_the_unit_data():
    names = province_names()
    assert {"Hà Tĩnh", "Nghệ An", "Hà Giang", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"} <= names
    assert len(names) >= 63


def test_places_resolve_with_the_article_province():
    text = (
        "Chiều 5/3/2024, Đảng ủy xã Đức Thọ tổ chức hội nghị. Dự có lãnh đạo huyện Đức Thọ, "
        "thành phố Hà Tĩnh và thị xã Hồng Lĩnh của tỉnh Hà Tĩnh; đặc khu Cô Tô gửi điện mừng."
    )
    got = _places(text, 2024)
    assert got["xã Đức Thọ"] == ("ward", "18229", False)
    assert got["huyện Đức Thọ"] == ("district", "440", True)
    assert got["thành phố Hà Tĩnh"] == ("district", "436", True)
    assert got["thị xã Hồng Lĩnh"] == ("district", "437", True)
    assert got["tỉnh Hà Tĩnh"][:2] == ("province", "42")
    assert got["đặc khu Cô Tô"] == ("ward", "07192", False)


def test_a_common_commune_name_needs_the_province():
    assert _places("Xã Tân Dân tổ chức đại hội.", 2024)["Xã Tân Dân"][1] is None
    got = _places("Hà Tĩnh: xã Tân Dân tổ chức đại hội. Tỉnh Hà Tĩnh chúc mừng.", 2024)
    assert got["xã Tân Dân"] == ("ward", "18283", True)


def test_a_person_after_a_level_word_is_not_a_place():
    got = _places("Chủ tịch UBND tỉnh Nguyễn Văn An phát biểu; Bí thư Đảng ủy xã Sơn Kim Lê Văn Bình dự.")
    assert not any(name.startswith("tỉnh") for name in got)
    assert "xã Sơn Kim" in got


def test_organisations_run_on_over_their_place_and_bodies():
    text = (
        "UBND tỉnh Hà Tĩnh, Ban Tổ chức Tỉnh ủy Hà Tĩnh, Sở Nông nghiệp và Môi trường, Công an tỉnh, "
        "Ủy ban MTTQ Việt Nam tỉnh Nghệ An và Ban Thường vụ Đảng ủy xã Đức Thọ phối hợp. Sở sẽ báo cáo."
    )
    orgs = {o.name: o.kind for o in find_organisations(text, find_places(text, every=True))}
    assert orgs == {
        "UBND tỉnh Hà Tĩnh": "state",
        "Ban Tổ chức Tỉnh ủy Hà Tĩnh": "party_body",
        "Sở Nông nghiệp và Môi trường": "department",
        "Công an tỉnh": "state",
        "Ủy ban MTTQ Việt Nam tỉnh Nghệ An": "front",
        "Ban Thường vụ Đảng ủy xã Đức Thọ": "party_body",
    }
