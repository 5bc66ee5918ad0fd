"""The round's pages: opening a round, the round level by level, an
exception granted from above, a written report, closing; each refused to
a viewer, a reporter of another commune and an outsider."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from nghiquyet.accounts.models import Role
from nghiquyet.audit.models import AuditEntry
from nghiquyet.rounds.actions import do_open_round
from nghiquyet.targets.actions import do_save_result
from nghiquyet.targets.models import EntryException, ReportingRound, RoundReport

pytestmark = pytest.mark.django_db


def at(day: str):
    d = dt.date.fromisoformat(day)
    return time_machine.travel(
        dt.datetime(d.year, d.month, d.day, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
    )


@pytest.fixture
def rnd(tree, users, resolution):
    with at("2026-09-20"):
        return do_open_round(
            documents=[resolution.doc],
            unit=tree.province,
            period="2026-Q3",
            deadlines={"commune": dt.date(2026, 10, 5)},
            grace_days=1,
            acting_user=users.province_admin,
        )


def test_the_admin_opens_a_round_from_the_page(client, tree, users, resolution):
    client.force_login(users.province_admin)
    with at("2026-09-20"):
        page = client.get("/dot-bao-cao/mo-dot/").content.decode()
        assert "Hạn báo cáo từng cấp" in page and resolution.doc.sign in page
        r = client.post(
            "/dot-bao-cao/mo-dot/",
            {
                "don_vi": tree.province.pk,
                "ky": "Quý III/2026",
                "van_ban": [resolution.doc.pk],
                "han_commune": "05/10/2026",
                "han_province": "10/10/2026",
                "an_han": "2",
            },
        )
    assert r.status_code == 302
    created = ReportingRound.objects.get()
    assert r["Location"] == f"/dot-bao-cao/{created.pk}/"
    assert (created.period_key, created.grace_days) == ("2026-Q3", 2)
    assert sorted(created.deadlines.values_list("unit_kind", "due")) == [
        ("commune", dt.date(2026, 10, 5)),
        ("province", dt.date(2026, 10, 10)),
    ]
    assert AuditEntry.objects.filter(action="open_round").count() == 1


def test_a_bad_date_is_told_in_vietnamese_and_nothing_is_opened(client, tree, users, resolution):
    client.force_login(users.province_admin)
    with at("2026-09-20"):
        r = client.post(
            "/dot-bao-cao/mo-dot/",
            {
                "don_vi": tree.province.pk,
                "ky": "2026-Q3",
                "van_ban": [resolution.doc.pk],
                "han_commune": "32/10",
            },
        )
    assert "Hạn của đảng ủy xã, phường, đặc khu: ngày “32/10” không hợp lệ" in r.content.decode()
    assert not ReportingRound.objects.exists()


def test_the_round_page_shows_each_level_on_time_late_or_missing(client, tree, users, resolution, rnd):
    with at("2026-10-03"):
        do_save_result(
            resolution.new_members, tree.commune_a, "2026-Q3", 4, acting_user=users.reporter, submit=True
        )
    with at("2026-10-06"):  # in the grace day: accepted, late
        do_save_result(
            resolution.new_members, tree.commune_b, "2026-Q3", 6, acting_user=users.reporter_b, submit=True
        )
    client.force_login(users.province_admin)
    with at("2026-10-07"):
        page = client.get(f"/dot-bao-cao/{rnd.pk}/").content.decode()
    assert "Đảng ủy xã, phường, đặc khu: 1 đúng hạn, 1 trễ hạn, 0 chưa báo cáo" in page
    assert "Đang mở" in page and "tạm tính" in page


def test_the_province_grants_an_exception_and_the_commune_cannot(client, tree, users, resolution, rnd):
    client.force_login(users.reporter_b)
    with at("2026-10-08"):
        r = client.post(
            f"/dot-bao-cao/{rnd.pk}/cho-phep/", {"don_vi": tree.commune_b.pk, "den_ngay": "10/10/2026"}
        )
        assert "Chỉ cấp trên của Đảng ủy xã Tùng Ảnh" in client.get(r["Location"]).content.decode()
        assert not EntryException.objects.exists()
        client.force_login(users.province_admin)
        r = client.post(
            f"/dot-bao-cao/{rnd.pk}/cho-phep/", {"don_vi": tree.commune_b.pk, "den_ngay": "10/10/2026"}
        )
        assert (
            "Đã cho phép Đảng ủy xã Tùng Ảnh nhập bổ sung đến hết ngày 10/10/2026"
            in client.get(r["Location"]).content.decode()
        )
        saved = do_save_result(
            resolution.new_members, tree.commune_b, "2026-Q3", 6, acting_user=users.reporter_b, submit=True
        )
    assert saved.on_time is False


def test_a_reporter_sends_the_signed_report_and_the_province_reads_it(client, tree, users, rnd):
    client.force_login(users.reporter)
    with at("2026-10-02"):
        r = client.post(
            f"/dot-bao-cao/{rnd.pk}/bao-cao/",
            {"don_vi": tree.commune_a.pk, "tep": SimpleUploadedFile("bc.docx", b"PK\x03\x04 not a docx")},
        )
        assert RoundReport.objects.count() == 0
        assert "tệp Word" in client.get(r["Location"]).content.decode()
        client.post(
            f"/dot-bao-cao/{rnd.pk}/bao-cao/",
            {
                "don_vi": tree.commune_a.pk,
                "tep": SimpleUploadedFile("bao-cao-da-ky.pdf", b"%PDF-1.7\n%%EOF\n"),
            },
        )
    report = RoundReport.objects.get()
    assert (report.unit, report.on_time, report.name) == (tree.commune_a, True, "bao-cao-da-ky.pdf")
    client.force_login(users.province_admin)
    got = client.get(f"/dot-bao-cao/{rnd.pk}/bao-cao/{report.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF-1.7")
    # The other commune's reporter neither reads it nor sends one for Đức Thọ.
    client.force_login(users.reporter_b)
    assert client.get(f"/dot-bao-cao/{rnd.pk}/bao-cao/{report.pk}/").status_code == 404
    r = client.post(
        f"/dot-bao-cao/{rnd.pk}/bao-cao/",
        {"don_vi": tree.commune_a.pk, "tep": SimpleUploadedFile("x.pdf", b"%PDF-1.7\n")},
    )
    assert r.status_code == 404


@pytest.mark.parametrize("who", ["viewer", "reporter_b", "outsider"])
def test_who_must_be_refused_is_refused_on_every_round_page(client, tree, users, resolution, rnd, who):
    user = getattr(users, who)
    client.force_login(user)
    with at("2026-10-08"):
        detail = client.get(f"/dot-bao-cao/{rnd.pk}/")
        grant = client.post(
            f"/dot-bao-cao/{rnd.pk}/cho-phep/", {"don_vi": tree.commune_a.pk, "den_ngay": "10/10/2026"}
        )
        close = client.post(f"/dot-bao-cao/{rnd.pk}/ket-thuc/")
        withdraw = client.post(
            f"/dot-bao-cao/{rnd.pk}/huy-duyet/", {"don_vi": tree.commune_a.pk, "ly_do": "x"}
        )
        opened = client.post(
            "/dot-bao-cao/mo-dot/",
            {
                "don_vi": tree.province.pk,
                "ky": "2026-Q3",
                "van_ban": [resolution.doc.pk],
                "han_commune": "05/10/2026",
            },
        )
    if who == "outsider":
        assert {detail.status_code, grant.status_code, close.status_code, withdraw.status_code} == {404}
    elif who == "reporter_b":
        # Sees the province's round (it sets its deadline), only its own row; Đức Thọ is none of its business.
        assert detail.status_code == 200 and "Đức Thọ" not in detail.content.decode()
        assert (grant.status_code, withdraw.status_code) == (404, 404)
    else:
        assert detail.status_code == 200
    assert not EntryException.objects.exists()
    assert ReportingRound.objects.get(pk=rnd.pk).closed_at is None
    assert ReportingRound.objects.count() == 1
    # Opening: no admin role anywhere → 403; an admin elsewhere naming Hà Tĩnh → 404.
    assert opened.status_code == {"viewer": 403, "reporter_b": 403, "outsider": 404}[who]


def test_the_admin_closes_the_round_and_entry_stops(client, tree, users, resolution, rnd, django_user_model):
    approver = make_user(django_user_model, "duyet_tinh", tree.province, Role.APPROVER)
    client.force_login(approver)
    with at("2026-10-20"):
        client.post(f"/dot-bao-cao/{rnd.pk}/ket-thuc/")
        assert ReportingRound.objects.get(pk=rnd.pk).closed_at is None  # an approver is not the round's owner
        client.force_login(users.province_admin)
        r = client.post(f"/dot-bao-cao/{rnd.pk}/ket-thuc/")
        assert "số liệu đã chốt" in client.get(r["Location"]).content.decode()
    assert ReportingRound.objects.get(pk=rnd.pk).is_closed


def test_the_report_form_says_why_the_period_is_locked_before_anyone_types(client, tree, users, rnd):
    client.force_login(users.reporter_b)
    url = f"/so-lieu/bao-cao/?don_vi={tree.commune_b.pk}&ky=2026-Q3"
    with at("2026-10-06"):  # in the grace day: open, nothing said
        assert "số liệu đã khóa" not in client.get(url).content.decode()
    with at("2026-10-07"):
        page = client.get(url).content.decode()
    assert "Đã quá hạn báo cáo của Đảng ủy xã Tùng Ảnh (Đợt báo cáo Quý III/2026: hạn ngày 05/10/2026" in page
