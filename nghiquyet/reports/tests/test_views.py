"""Report pages: who may download what, htmx and plain downloads, uploads."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from nghiquyet.reports.entry import TARGETS_FIRST_ROW
from nghiquyet.targets.models import Result

from .conftest import TODAY
from .test_import import fill

pytestmark = pytest.mark.django_db


def url(doc, **params):
    from urllib.parse import urlencode

    return reverse("reports:review", args=[doc.pk]) + ("?" + urlencode(params) if params else "")


def test_chooser_page_lists_periods_and_formats(client, users, review, tree):
    client.force_login(users.province_admin)
    response = client.get(url(review.doc, unit=tree.province.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tải báo cáo" in html and 'value="2026-H1"' in html and 'value="xlsx"' in html
    assert "Tải mẫu Excel" in html


def test_docx_download(client, users, review, tree):
    client.force_login(users.viewer)
    response = client.get(url(review.doc, unit=tree.province.pk, period="2026-H1", fmt="docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="bao-cao-01-nq-dh-tinh-uy-ha-tinh-2026-H1'
    )
    d = docx.Document(io.BytesIO(response.content))
    assert d.tables[0].rows[0].cells[1].paragraphs[-1].text == "Hà Tĩnh, ngày 10 tháng 8 năm 2026"


def test_xlsx_download(client, users, review, tree):
    client.force_login(users.viewer)
    response = client.get(url(review.doc, unit=tree.province.pk, period="2026-H1", fmt="xlsx"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.active["A1"].value == "PHỤ LỤC"


def test_htmx_request_builds_then_redirects_to_a_one_time_download(client, users, review, tree):
    client.force_login(users.reporter)
    response = client.get(
        url(review.doc, unit=tree.commune_a.pk, period="2026-H1", fmt="docx"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    target = response["HX-Redirect"]
    # Another user cannot fetch it.
    other = client.__class__()
    other.force_login(users.reporter_b)
    assert other.get(target).status_code == 404
    got = client.get(target)
    assert got.status_code == 200
    assert b"".join(got.streaming_content)[:2] == b"PK"
    assert client.get(target).status_code == 404  # once only


def test_outsiders_get_404(client, users, review, tree):
    client.force_login(users.outsider)
    assert client.get(url(review.doc, unit=tree.province.pk, fmt="docx")).status_code == 404
    client.force_login(users.reporter)
    # A commune reporter cannot report on the province or the neighbour.
    assert client.get(url(review.doc, unit=tree.province.pk, fmt="docx")).status_code == 404
    assert client.get(url(review.doc, unit=tree.commune_b.pk, fmt="docx")).status_code == 404


def test_anonymous_is_sent_to_login(client, review, tree):
    response = client.get(url(review.doc, unit=tree.province.pk, fmt="docx"))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_bad_period_is_explained(client, users, review, tree):
    client.force_login(users.province_admin)
    response = client.get(url(review.doc, unit=tree.province.pk, period="Quý V/2026", fmt="docx"))
    assert response.status_code == 400
    assert "Không hiểu kỳ báo cáo" in response.content.decode()


def test_pdf_without_libreoffice_says_so(client, users, review, tree, monkeypatch):
    monkeypatch.setattr("nghiquyet.reports.pdf.soffice_path", lambda: None)
    client.force_login(users.province_admin)
    response = client.get(url(review.doc, unit=tree.province.pk, period="2026-H1", fmt="pdf"))
    assert response.status_code == 400
    assert "chưa cài LibreOffice" in response.content.decode()


def test_template_download_needs_the_reporter_role(client, users, review, tree):
    path = reverse("reports:template", args=[review.doc.pk])
    client.force_login(users.viewer)
    assert client.get(path, {"unit": tree.commune_a.pk, "period": "2026-Q3"}).status_code == 404
    client.force_login(users.reporter)
    response = client.get(path, {"unit": tree.commune_a.pk, "period": "2026-Q3"})
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Nhập số liệu"
    client.force_login(users.province_admin)
    response = client.get(path, {"unit": tree.province.pk, "period": "2026-Q3", "scope": "children"})
    assert response.status_code == 200


def test_upload_through_the_page(client, users, review, tree):
    client.force_login(users.reporter)
    path = reverse("reports:template", args=[review.doc.pk])
    template = client.get(path, {"unit": tree.commune_a.pk, "period": "2026-Q3"}).content
    good = io.BytesIO(fill(template, {f"F{TARGETS_FIRST_ROW}": "12 đảng viên"}))
    good.name = "mau.xlsx"
    response = client.post(
        reverse("reports:import"), {"file": good, "document": review.doc.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "1 ô mới" in response.content.decode()
    assert Result.objects.filter(period_key="2026-Q3").count() == 1

    bad = io.BytesIO(fill(template, {f"F{TARGETS_FIRST_ROW}": "mười hai"}))
    bad.name = "mau.xlsx"
    response = client.post(reverse("reports:import"), {"file": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "chưa ghi ô nào" in html and f"dòng {TARGETS_FIRST_ROW}, cột F" in html


def test_notice_download(client, users, tree, review):
    from nghiquyet.meetings.actions import ConclusionSpec, do_create_meeting

    meeting = do_create_meeting(
        kind="btv",
        title="Hội nghị Ban Thường vụ Tỉnh ủy tháng 7 năm 2026",
        date=dt.date(2026, 7, 20),
        organiser=tree.province,
        acting_user=users.province_admin,
        conclusions=[
            ConclusionSpec(
                "Tập trung phát triển đảng viên.", [("Kết nạp 50 đảng viên", tree.commune_a, TODAY, "")]
            )
        ],
    )
    client.force_login(users.outsider)
    assert client.get(reverse("reports:notice", args=[meeting.pk])).status_code == 404
    client.force_login(users.viewer)
    response = client.get(reverse("reports:notice", args=[meeting.pk]))
    assert response.status_code == 200
    d = docx.Document(io.BytesIO(response.content))
    assert d.tables[0].rows[0].cells[0].paragraphs[-1].text.endswith("-TB/TU")
