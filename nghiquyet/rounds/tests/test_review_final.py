"""The review report made after a round closes is final; before, provisional (issue 13)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import time_machine

from nghiquyet.core.periods import Period
from nghiquyet.reports.review import build_review_docx, review_data
from nghiquyet.rounds.actions import do_close_round, do_open_round
from nghiquyet.targets.actions import do_save_result
from nghiquyet.targets.rollup import is_complete

pytestmark = pytest.mark.django_db
Q3 = Period.quarter(2026, 3)
MARK = "(Số liệu tạm tính: đợt báo cáo chưa kết thúc"


def text_of(data) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(build_review_docx(data))).paragraphs)


def test_the_round_close_replaces_the_reporting_window(tree, users, resolution):
    with time_machine.travel(dt.datetime(2026, 9, 20, 9, 0), tick=False):
        r = do_open_round(
            documents=[resolution.doc],
            unit=tree.province,
            period=Q3,
            deadlines={"commune": dt.date(2026, 10, 5)},
            acting_user=users.province_admin,
        )
    with time_machine.travel(dt.datetime(2026, 10, 3, 9, 0), tick=False):
        for unit, user, v in ((tree.commune_a, users.reporter, 4), (tree.commune_b, users.reporter_b, 6)):
            do_save_result(resolution.new_members, unit, Q3, v, acting_user=user, submit=True)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0), tick=False):
        # Past the default window (15/10), yet the round is open: still provisional.
        assert is_complete(Q3) is True  # no round asked about: the window alone
        assert is_complete(Q3, document=resolution.doc, unit=tree.province) is False
        data = review_data(resolution.doc, tree.province, Q3)
        assert data.provisional and MARK in text_of(data)
        do_close_round(r, acting_user=users.province_admin)
        data = review_data(resolution.doc, tree.province, Q3)
        assert not data.provisional and MARK not in text_of(data)
        # A document without a round keeps the reporting window.
        assert is_complete(Q3, document=resolution.doc, unit=tree.other_province) is True
