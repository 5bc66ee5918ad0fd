"""Prose as a careful reader reads it (issue #14): one test per class of error.

Every text here is written for the project; none is taken from an article.
"""

from __future__ import annotations

from nghiquyet.ingestion.pipeline import extract
from nghiquyet.ingestion.pipeline.dates import find_dates, infer_year
from nghiquyet.ingestion.pipeline.documents import find_documents


def _docs(text):
    return [(d.kind, d.number, d.symbol) for d in find_documents(text, find_dates(text))]


def _days(text, year=None):
    return [d.iso(year) for d in find_dates(text) if d.kind == "day"]


# -- documents -------------------------------------------------------------------


def test_a_count_after_a_kind_word_is_not_a_document():
    text = (
        "Ủy ban Kiểm tra đã thi hành kỷ luật 3 đồng chí và đề nghị kỷ luật 12 tổ chức đảng; "
        "Ban Thường vụ xây dựng kế hoạch 2 đợt kiểm tra."
    )
    assert _docs(text) == []


def test_a_numbered_document_without_so_is_still_read():
    assert _docs("thực hiện Chỉ thị 05 của Bộ Chính trị và Nghị quyết 18 về sắp xếp") == [
        ("chi_thi", "05", None),
        ("nghi_quyet", "18", None),
    ]


def test_a_kind_word_does_not_reach_over_a_comma_to_a_number():
    text = "quán triệt các chỉ thị của Đảng, trước hết là Nghị quyết Trung ương 4 khóa XII"
    assert _docs(text) == []


def test_a_state_sign_with_its_year_after_a_hyphen():
    assert _docs("theo Nghị quyết số 35-2019/NQ-CP của Chính phủ") == [("nghi_quyet", "35", "35-2019/NQ-CP")]


def test_a_sign_with_and_without_its_leading_zero_is_one_document():
    text = "Kế hoạch số 07-KH/TU ngày 2/3/2021 … thực hiện Kế hoạch 7-KH/TU, Tỉnh ủy yêu cầu"
    assert _docs(text) == [("ke_hoach", "07", "07-KH/TU")]


# -- dates -------------------------------------------------------------------------


def test_days_written_with_a_hyphen_or_a_dot_after_their_cue():
    assert _days("Sáng 14-3, Tỉnh ủy họp") == ["--03-14"]
    assert _days("Chiều 9.10, đoàn công tác đến") == ["--10-09"]
    assert _days("Ngày 21-8-2018, hội nghị") == ["2018-08-21"]
    assert _days("hôm qua 2-4, đồng chí") == ["--04-02"]


def test_a_hyphen_without_a_cue_is_a_range_of_counts():
    assert _days("mỗi xã cử 2-3 cán bộ, mỗi tổ 5.6 người") == []


def test_the_first_day_of_a_range_takes_the_year_at_its_end():
    assert _days("từ ngày 7-5 đến 12-5-2018, tại Thủ đô") == ["2018-05-07", "2018-05-12"]
    assert _days("từ 15/5 đến 18/5/2024") == ["2024-05-15", "2024-05-18"]


def test_a_month_with_its_year_after_a_hyphen():
    (d,) = [d for d in find_dates("kết quả tháng 2-2019 của thành phố") if d.kind == "month"]
    assert d.iso() == "2019-02"


def test_a_year_named_alone_does_not_date_the_text():
    # "năm 2016" is the year reported on; the meeting is not dated by it.
    assert infer_year(find_dates("Kết quả năm 2016 và kế hoạch đến năm 2020. Sáng 8-2, hội nghị")) is None
    assert infer_year(find_dates("từ tháng 6/2012 đến nay, ngày 15/5")) is None
    assert infer_year(find_dates("ngày 3/4/2019 và từ tháng 6/2012")) == 2019


def test_a_meeting_is_not_dated_by_a_year_the_text_reports_on():
    text = (
        "Sáng 8-2, Ban Thường vụ Thành ủy tổ chức hội nghị giao ban công tác tháng 1 với các quận, huyện. "
        "Năm 2016, thành phố đạt nhiều kết quả; mục tiêu đến năm 2020 là hoàn thành."
    )
    (m,) = extract(text)["meetings"]
    assert m["date"] == "--02-08"


# -- meetings ----------------------------------------------------------------------


def _meetings(text):
    return [(m["title"], m["date"]) for m in extract(text)["meetings"]]


def test_a_meeting_name_runs_over_with_whom_and_what_for():
    text = (
        "Chiều 4-3, Chủ tịch UBND tỉnh Trần Văn Bình chủ trì hội nghị giao ban với các sở, ngành tỉnh "
        "nhằm kiểm điểm công tác quý I; chỉ đạo các nhiệm vụ trọng tâm."
    )
    assert _meetings(text) == [
        ("hội nghị giao ban với các sở, ngành tỉnh nhằm kiểm điểm công tác quý I", "--03-04")
    ]


def test_an_urgent_meeting_and_a_get_together_are_meetings():
    text = "Ngày 12-9, đồng chí Lê Văn Hải đã chủ trì cuộc họp đột xuất với lãnh đạo các quận, huyện."
    assert _meetings(text) == [("cuộc họp đột xuất với lãnh đạo các quận, huyện", "--09-12")]
    text = "Sáng 5-1, tại Hà Nội, Văn phòng Tỉnh ủy tổ chức cuộc gặp mặt truyền thống giữa các cơ quan."
    assert _meetings(text) == [("cuộc gặp mặt truyền thống giữa các cơ quan", "--01-05")]


def test_a_body_that_met_gives_its_name_to_the_session():
    text = (
        "Ngày 14-8, tại Hà Nội, Ủy ban Kiểm tra Trung ương đã họp kỳ thứ 22 do đồng chí Lê Văn Hải chủ trì."
    )
    assert _meetings(text) == [("Ủy ban Kiểm tra Trung ương họp kỳ thứ 22", "--08-14")]


def test_the_organiser_goes_into_a_name_that_has_no_body():
    text = (
        "Sáng 9-4, Ủy ban T.Ư MTTQ Việt Nam tổ chức Hội nghị lần thứ 5 (khóa IX) hiệp thương cử Phó Chủ tịch."
    )
    ((title, date),) = _meetings(text)
    assert title.startswith("Hội nghị Ủy ban T.Ư MTTQ Việt Nam lần thứ 5 (khóa IX)") and date == "--04-09"
    text = "Ngày 3-5, Chi đoàn Bệnh viện điều dưỡng tỉnh (Bệnh viện) đã tổ chức Đại hội Chi đoàn nhiệm kỳ 2019-2021."
    assert _meetings(text) == [("Đại hội Chi đoàn Bệnh viện điều dưỡng tỉnh nhiệm kỳ 2019-2021", "--05-03")]


def test_a_venue_and_a_meeting_to_come_are_not_the_meeting_held():
    text = (
        "Sáng 2/9, tại Trung tâm Hội nghị tỉnh, Công ty Cổ phần Sông Lam tổ chức lễ kỷ niệm 20 năm thành lập "
        "và đón nhận Huân chương Lao động hạng Ba."
    )
    assert _meetings(text) == [
        ("lễ kỷ niệm 20 năm thành lập và đón nhận Huân chương Lao động hạng Ba", "--09-02")
    ]
    text = (
        "Ngày 5/2, đoàn đã dâng hương tại khu lưu niệm trước Lễ kỷ niệm 100 năm ngày sinh đồng chí Lê Duẩn."
    )
    assert _meetings(text) == []


def test_a_meeting_over_several_days_is_dated_by_its_first():
    text = "Từ ngày 7-5 đến 12-5-2018, tại Thủ đô Hà Nội, Hội nghị lần thứ bảy Ban Chấp hành Trung ương Đảng khóa XII đã họp."
    assert _meetings(text) == [("Hội nghị lần thứ bảy Ban Chấp hành Trung ương Đảng khóa XII", "2018-05-07")]


def test_the_same_day_dates_a_second_meeting():
    text = (
        "Sáng 9-4, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt Nghị quyết. "
        "Chiều cùng ngày, Ban Thường vụ Tỉnh ủy tổ chức hội nghị Bí thư các huyện, thị xã, thành phố năm 2019."
    )
    assert [d for _, d in _meetings(text)] == ["--04-09", "--04-09"]


def test_a_meeting_named_by_its_kind_takes_the_name_the_text_gives_it():
    text = (
        "Các đảng bộ cơ sở đang tổ chức hội nghị sơ kết giữa nhiệm kỳ. Nhiều nơi tổ chức hội nghị sơ kết "
        "giữa nhiệm kỳ có chất lượng. Mới đây, ngày 16/5, Đảng bộ huyện Nghi Xuân là đơn vị đầu tiên "
        "hoàn thành tổ chức hội nghị."
    )
    assert _meetings(text) == [("hội nghị sơ kết giữa nhiệm kỳ Đảng bộ huyện Nghi Xuân", "--05-16")]


def test_a_working_session_with_a_city_committee_about_its_topic():
    text = "Chiều 20-7, tại TP. Cần Thơ, Phó Thủ tướng Lê Văn Hải đã làm việc với Thành ủy TP. Cần Thơ về công tác cán bộ."
    ((title, date),) = _meetings(text)
    assert title == "buổi làm việc với Thành ủy TP. Cần Thơ về công tác cán bộ" and date == "--07-20"


# -- titles and people --------------------------------------------------------------


def _people(text):
    return {p["name"]: p["titles"] for p in extract(text)["people"]}


def test_a_title_runs_over_a_dotted_abbreviation():
    people = _people("Dự có đồng chí Lê Văn Hải, Bí thư T.Ư Đảng, Trưởng Ban Dân vận T.Ư.")
    assert people == {"Lê Văn Hải": ["Bí thư T.Ư Đảng", "Trưởng Ban Dân vận T.Ư"]}


def test_every_title_of_a_chain_before_a_name_is_the_name_s():
    text = "Sáng 3-4, Ủy viên Bộ Chính trị, Phó Thủ tướng Chính phủ Trần Văn Bình đã đến thăm tỉnh."
    assert _people(text) == {"Trần Văn Bình": ["Ủy viên Bộ Chính trị", "Phó Thủ tướng Chính phủ"]}


def test_a_post_given_on_behalf_of_someone_is_not_the_next_name_s():
    text = "Thừa ủy quyền của Chủ tịch nước, Bí thư Tỉnh ủy Lê Văn Hải trao Huân chương."
    assert _people(text) == {"Lê Văn Hải": ["Bí thư Tỉnh ủy"]}


def test_a_shared_title_over_a_list_of_names_after_a_colon():
    text = (
        "Dự hội nghị có các đồng chí Ủy viên Bộ Chính trị: Trần Văn Bình, Bí thư Thành ủy; "
        "Lê Thị Hoa, Trưởng Ban Tổ chức T.Ư; các đồng chí Ủy viên T.Ư Đảng: Nguyễn Văn Nam, Phó Ban Pháp chế HĐND tỉnh."
    )
    assert _people(text) == {
        "Trần Văn Bình": ["Ủy viên Bộ Chính trị", "Bí thư Thành ủy"],
        "Lê Thị Hoa": ["Ủy viên Bộ Chính trị", "Trưởng Ban Tổ chức T.Ư"],
        "Nguyễn Văn Nam": ["Ủy viên T.Ư Đảng", "Phó Ban Pháp chế HĐND tỉnh"],
    }


def test_a_title_does_not_run_into_the_next_person():
    text = "Tham dự có Bí thư Thành ủy Cần Thơ Lê Văn Hải, Chủ tịch UBND Thành phố Trần Văn Bình."
    assert _people(text) == {
        "Lê Văn Hải": ["Bí thư Thành ủy Cần Thơ"],
        "Trần Văn Bình": ["Chủ tịch UBND Thành phố"],
    }


def test_former_posts_terms_dashes_and_kiem_between_titles():
    text = (
        "kỷ luật đồng chí Lê Văn Hải, Ủy viên Ban Thường vụ Tỉnh ủy, nguyên Bí thư Đảng ủy, nguyên Chủ tịch "
        "Hội đồng thành viên Tập đoàn Dầu khí quốc gia Việt Nam. Dự có ông Trần Văn Bình - Chủ tịch HĐQT kiêm "
        "Tổng giám đốc Công ty; đồng chí Lê Thị Hoa, Bí thư chi bộ - Giám đốc Trung tâm; đồng chí Phạm Văn Nam, "
        "Ủy viên Ủy ban T.Ư MTTQ Việt Nam, nhiệm kỳ 2014-2019, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Quảng Trị."
    )
    assert _people(text) == {
        "Lê Văn Hải": [
            "Ủy viên Ban Thường vụ Tỉnh ủy",
            "nguyên Bí thư Đảng ủy",
            "nguyên Chủ tịch Hội đồng thành viên Tập đoàn Dầu khí quốc gia Việt Nam",
        ],
        "Trần Văn Bình": ["Chủ tịch HĐQT", "Tổng giám đốc Công ty"],
        "Lê Thị Hoa": ["Bí thư chi bộ", "Giám đốc Trung tâm"],
        "Phạm Văn Nam": ["Ủy viên Ủy ban T.Ư MTTQ Việt Nam", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Quảng Trị"],
    }


def test_two_names_joined_by_va_share_the_former_post_after_them():
    text = "các đồng chí: Lê Văn Hải và Trần Văn Bình nguyên Phó Chủ tịch Ủy ban T.Ư MTTQ Việt Nam được tặng Huân chương."
    people = _people(text)
    assert people["Lê Văn Hải"] == people["Trần Văn Bình"] == ["nguyên Phó Chủ tịch Ủy ban T.Ư MTTQ Việt Nam"]


def test_delegation_heads_offices_of_posts_and_first_secretaries():
    text = (
        "Dự có bà Lê Thị Hoa, Phó Bí thư Tỉnh ủy, Trưởng Đoàn Đại biểu Quốc hội tỉnh Đồng Nai; ông Trần Văn Bình, "
        "Chủ nhiệm Văn phòng Chủ tịch nước; đồng chí Lê Văn Hải, Bí thư thứ nhất Trung ương Đoàn."
    )
    assert _people(text) == {
        "Lê Thị Hoa": ["Phó Bí thư Tỉnh ủy", "Trưởng Đoàn Đại biểu Quốc hội tỉnh Đồng Nai"],
        "Trần Văn Bình": ["Chủ nhiệm Văn phòng Chủ tịch nước"],
        "Lê Văn Hải": ["Bí thư thứ nhất Trung ương Đoàn"],
    }


# -- figures ------------------------------------------------------------------------


def _figures(text):
    from nghiquyet.ingestion.pipeline.figures import find_figures

    return [(f.value, f.total, f.unit) for f in find_figures(text, [])]


def test_a_unit_that_is_a_stock_list_of_nouns_is_kept_whole():
    text = "có 12 sở, ban, ngành tham gia; 63 tỉnh, thành phố; chỉ ra 5 tồn tại, hạn chế; nhận 310 đơn, thư."
    assert [u for _, _, u in _figures(text)] == [
        "sở, ban, ngành",
        "tỉnh, thành phố",
        "tồn tại, hạn chế",
        "đơn, thư",
    ]


def test_a_comma_outside_a_stock_list_ends_the_unit():
    assert _figures("thả 582.600 con, đàn gia cầm tăng; nuôi 5.730 ha, sản lượng tăng") == [
        (582600, None, "con"),
        (5730, None, "ha"),
    ]


def test_a_value_over_its_total_in_words():
    assert _figures("có 15 đảng viên trên tổng số 20 đảng viên dự họp") == [(15, 20, "đảng viên")]


def test_counts_after_discipline_are_figures():
    assert _figures("đã thi hành kỷ luật 87 tổ chức đảng và 1.648 đảng viên") == [
        (87, None, "tổ chức đảng"),
        (1648, None, "đảng viên"),
    ]


def test_capitalised_units_abbreviations_and_bodies():
    text = "thành lập 5 BQL dự án; xuất khẩu đạt 3 tỷ USD; có 2 Thành ủy viên và 10 Ban Thường vụ Tỉnh ủy; giao 84 đầu việc"
    assert [(v, u) for v, _, u in _figures(text)] == [
        (5, "BQL dự án"),
        (3, "tỷ USD"),
        (2, "Thành ủy viên"),
        (10, "Ban Thường vụ Tỉnh ủy"),
        (84, "đầu việc"),
    ]


def test_a_capitalised_word_after_a_lower_case_unit_ends_it():
    assert _figures("công nhận 428 sản phẩm OCOP") == [(428, None, "sản phẩm")]


# -- authors -------------------------------------------------------------------------


def test_a_byline_run_on_at_the_end_of_the_last_paragraph():
    assert extract("Tỉnh ủy họp bàn công tác cán bộ. Hội nghị thống nhất cao. Minh Châu")["authors"] == [
        "Minh Châu"
    ]
    assert extract("Tỉnh ủy họp bàn công tác cán bộ./. TRẦN HẢI")["authors"] == ["TRẦN HẢI"]
    assert extract("Tỉnh ủy họp bàn công tác cán bộ. Theo TTXVN")["authors"] == []


def test_a_photo_credit_run_into_the_next_sentence():
    text = (
        "Hội nghị tổng kết. Đồng chí Lê Văn Hải phát biểu. Ảnh: VGP/Minh Châu Về kết quả, hội nghị đánh giá cao. "
        "Quang cảnh buổi làm việc. (Ảnh minh họa: Thu Hà/TTXVN) Sáng 3/4, hội nghị khai mạc."
    )
    out = extract(text)
    assert sorted(out["authors"]) == ["Minh Châu", "Thu Hà"]
    assert "Lê Văn Hải" in {p["name"] for p in out["people"]}


def test_a_body_credited_for_a_photo_is_no_author():
    assert (
        extract("Đồng chí phát biểu. Ảnh: Ban Tuyên giáo Tỉnh ủy Năm 2024, tỉnh đạt nhiều kết quả.")[
            "authors"
        ]
        == []
    )


def test_a_full_name_right_after_a_committee_with_no_place_named():
    text = (
        "Tham dự có Phó Bí thư Thường trực Thành ủy Lê Thị Ngọc Hà và Bí thư Huyện ủy Lâm Hà Nguyễn Văn Bình."
    )
    assert _people(text) == {
        "Lê Thị Ngọc Hà": ["Phó Bí thư Thường trực Thành ủy"],
        "Nguyễn Văn Bình": ["Bí thư Huyện ủy Lâm Hà"],
    }


def test_a_meeting_name_does_not_end_on_a_linking_word():
    text = "Sáng 2-3, Tỉnh ủy tổ chức hội nghị giao ban nhằm đánh giá công tác tháng 2."
    assert _meetings(text) == [("hội nghị giao ban", "--03-02")]


def test_the_head_of_a_delegation_holds_the_post_of_its_head():
    text = (
        "Ngày 5/6/2024, Đoàn công tác của Ban Thường vụ Tỉnh ủy do đồng chí Lê Văn Hải, Phó Bí thư Tỉnh ủy "
        "làm trưởng đoàn đã làm việc với Huyện ủy Kỳ Anh."
    )
    assert _people(text) == {"Lê Văn Hải": ["Phó Bí thư Tỉnh ủy", "Trưởng đoàn"]}


def test_a_steering_committee_against_corruption_is_one_body():
    text = "đồng chí Lê Văn Hải, Phó Trưởng Ban Chỉ đạo Trung ương về phòng, chống tham nhũng phát biểu."
    assert _people(text) == {"Lê Văn Hải": ["Phó Trưởng Ban Chỉ đạo Trung ương về phòng, chống tham nhũng"]}


def test_a_session_still_to_come_is_no_meeting_held():
    assert _meetings("Ngày 20-7, kỳ họp thứ 9 HĐND tỉnh sẽ được tổ chức tại hội trường tỉnh.") == []


def test_a_conference_named_only_by_its_kind_takes_the_name_of_its_review_report():
    text = (
        "Hội nghị được tổ chức trực tuyến với 12 điểm cầu. Đồng chí Lê Văn Hải trình bày báo cáo tổng kết "
        "công tác dân vận năm 2023, phương hướng năm 2024."
    )
    assert [m["title"] for m in extract(text)["meetings"]] == ["Hội nghị tổng kết công tác dân vận năm 2023"]


def test_more_stock_lists_of_places():
    assert _figures("có 45 thôn, bản và 12 xã, phường, thị trấn đạt chuẩn") == [
        (45, None, "thôn, bản"),
        (12, None, "xã, phường, thị trấn"),
    ]


def test_a_visit_that_works_at_a_place_is_a_working_session():
    text = (
        "Sáng 8-2, Tổng Bí thư Lê Văn Hải dẫn đầu Đoàn công tác Trung ương làm việc với Ban Thường vụ "
        "Tỉnh ủy Hà Nam. Chiều cùng ngày, Tổng Bí thư Lê Văn Hải cùng Đoàn công tác đã đến thăm, làm việc "
        "tại Trường Chính trị tỉnh Hà Nam (TP Phủ Lý). Ngày 12/3, Phó Thủ tướng Trần Văn Bình đã thăm và "
        "làm việc tại Khu công nghiệp Phú Mỹ."
    )
    assert _meetings(text) == [
        ("buổi làm việc của Đoàn công tác với Ban Thường vụ Tỉnh ủy Hà Nam", "--02-08"),
        ("buổi thăm, làm việc của Đoàn công tác tại Trường Chính trị tỉnh Hà Nam", "--02-08"),
        ("buổi thăm và làm việc tại Khu công nghiệp Phú Mỹ", "--03-12"),
    ]


def test_working_at_a_company_is_no_visit():
    assert (
        _meetings("Ngày 12/3, anh Lê Văn Hải đã làm việc tại Công ty Sông Đà; chị thăm, làm việc tại nhà.")
        == []
    )


def test_a_post_that_needs_no_body_names_a_holder_of_any_family():
    text = (
        "Kỷ niệm 110 năm Ngày sinh nguyên Tổng Bí thư Trường Sơn, người học trò xuất sắc của "
        "Chủ tịch Hồ Chí Minh. Chủ tịch UBND TP Hồ Chí Minh phát biểu; Chủ tịch Hà Nội dự."
    )
    assert _people(text) == {"Trường Sơn": ["Tổng Bí thư"], "Hồ Chí Minh": ["Chủ tịch"]}


def test_posts_listed_in_a_biography_are_the_person_s():
    text = (
        "Hội nghị cử đồng chí Lê Văn Hải, Phó Chủ tịch Ủy ban T.Ư MTTQ Việt Nam giữ chức Chủ tịch. "
        "Đồng chí Lê Văn Hải, sinh ngày 3-5-1965, tại xã Tân Phú, tỉnh Đồng Nai. Dân tộc: Kinh. "
        "Trình độ chuyên môn: Thạc sĩ Luật. Ngày vào Đảng: 2-9-1987. Ủy viên Ban Chấp hành T.Ư Đảng "
        "khóa XI, XII. Đại biểu Quốc hội khóa XIII; XIV. Hội nghị đã thống nhất bổ sung hai vị. "
        "Ông Trần Văn Bình, sinh năm 1970. Quê quán: Nghệ An. Bí thư Tỉnh ủy Lê Văn Nam phát biểu."
    )
    assert _people(text) == {
        "Lê Văn Hải": [
            "Phó Chủ tịch Ủy ban T.Ư MTTQ Việt Nam",
            "Ủy viên Ban Chấp hành T.Ư Đảng",
            "Đại biểu Quốc hội",
        ],
        "Trần Văn Bình": [],
        "Lê Văn Nam": ["Bí thư Tỉnh ủy"],
    }


def test_a_list_of_nouns_of_one_kind_is_one_unit_whatever_the_pair():
    # None of these pairs is written down anywhere: the items and their kinds are.
    text = (
        "nhận 212 thư, đơn tố cáo; rà soát 9 xóm, ấp, khu phố; chỉ ra 6 bất cập, yếu kém; "
        "có 40 đoàn viên, hội viên tham gia; 34 đảng viên, thôn có 215 hộ; 3 huyện, thành lập mới"
    )
    assert [(v, u) for v, _, u in _figures(text)] == [
        (212, "thư, đơn tố cáo"),
        (9, "xóm, ấp, khu phố"),
        (6, "bất cập, yếu kém"),
        (40, "đoàn viên, hội viên"),
        (34, "đảng viên"),
        (215, "hộ"),
        (3, "huyện"),
    ]


def test_an_honour_before_a_name_is_read_as_a_rank():
    text = "Dự lễ có các đồng chí nguyên lãnh đạo tỉnh; Bà mẹ Việt Nam Anh hùng Lê Thị Mận. Các Mẹ Việt Nam Anh hùng được tặng quà."
    assert _people(text) == {"Lê Thị Mận": ["mẹ Việt Nam Anh hùng"]}
