"""Records from articles stay in their scope: a new document is filed under
a unit its acceptor can open; matching finds only records inside the
user's scope (and the shared central documents); the same text makes one
source per receiving unit; a figure states the version of the result it
read. Two provinces' administrators throughout: Hà Tĩnh (province_admin)
and Nghệ An (outsider)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from nghiquyet.accounts.models import ApiToken
from nghiquyet.audit.models import AuditEntry
from nghiquyet.documents.models import Document
from nghiquyet.ingestion.actions import do_accept_suggestion, do_ingest
from nghiquyet.ingestion.models import Source, Suggestion
from nghiquyet.orgs.models import OrgUnit, Person, Position, UnitKind
from nghiquyet.targets.actions import do_save_result
from nghiquyet.targets.models import Result, ResultStatus

from .test_ingest import ARTICLE

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
API = "/api"


def bearer(user) -> dict:
    _, key = ApiToken.issue(user, "thử nghiệm")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def ingest(unit, text=ARTICLE, user=None) -> Source:
    return do_ingest(text.encode("utf-8"), name="tin.txt", unit=unit, acting_user=user)[0]


def pick(source, kind, pred=lambda s: True) -> Suggestion:
    return next(s for s in source.suggestions.filter(kind=kind).order_by("order") if pred(s))


def ctr(source) -> Suggestion:
    return pick(source, "document", lambda s: s.data.get("symbol") == "79-CTr/TU")


def accept_quickly(client, user, s: Suggestion):
    client.force_login(user)
    return client.post(reverse("ingestion:accept", args=[s.pk]), {"nhanh": "1"}, **HX)


def accept_by_api(client, user, s: Suggestion, **payload):
    return client.post(
        f"{API}/ingestion/suggestions/{s.pk}/accept", payload, content_type="application/json", **bearer(user)
    )


def assert_can_open(client, user, doc: Document):
    client.force_login(user)
    assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    assert client.get(f"{API}/documents/{doc.pk}", **bearer(user)).status_code == 200


@pytest.fixture
def hatinh_programme(tree):
    """Hà Tĩnh's own programme 79-CTr/TU: what Nghệ An must never be linked to."""
    return Document.objects.create(
        kind="chuong_trinh",
        number="79",
        sign="79-CTr/TU",
        title="Chương trình hành động của Tỉnh ủy Hà Tĩnh",
        issuing_unit=tree.province,
    )


# -- 1. a new document is filed under a unit, and its acceptor can open it ------------------


def test_province_admin_files_a_tu_document_under_the_province(client, users, tree):
    source = ingest(tree.province, user=users.province_admin)
    response = accept_quickly(client, users.province_admin, ctr(source))
    doc = Document.objects.get(sign="79-CTr/TU")
    assert doc.issuing_unit == tree.province
    assert reverse("documents:detail", args=[doc.pk]) in response.content.decode()
    assert_can_open(client, users.province_admin, doc)


def test_commune_reporter_files_it_under_the_commune_not_the_province_above(client, users, tree):
    # The sign names the province, where the reporter may not file: the
    # document is the receiving commune's, and the reporter can open it.
    source = ingest(tree.commune_a, user=users.reporter)
    response = accept_quickly(client, users.reporter, ctr(source))
    doc = Document.objects.get(sign="79-CTr/TU")
    assert doc.issuing_unit == tree.commune_a
    assert reverse("documents:detail", args=[doc.pk]) in response.content.decode()
    assert_can_open(client, users.reporter, doc)


def test_api_accepted_document_can_be_opened_and_filed_under_a_chosen_unit(client, users, tree):
    source = ingest(tree.province)
    r = accept_by_api(client, users.province_admin, ctr(source), unit=tree.commune_b.pk)
    assert r.status_code == 200, r.content
    doc = Document.objects.get(pk=r.json()["record_id"])
    assert doc.issuing_unit == tree.commune_b
    assert_can_open(client, users.province_admin, doc)
    # A unit outside the caller's subtrees is absent, as everywhere.
    other = ingest(tree.province, "Thực hiện Kế hoạch số 12-KH/TU của Tỉnh ủy.")
    r = accept_by_api(client, users.province_admin, pick(other, "document"), unit=tree.other_province.pk)
    assert r.status_code == 404


def test_the_form_offers_the_issuer_in_scope_and_refuses_others(client, users, tree):
    source = ingest(tree.province)
    s = ctr(source)
    client.force_login(users.province_admin)
    form = client.get(reverse("ingestion:suggestion", args=[s.pk]) + "?sua=1", **HX).content.decode()
    assert f'<option value="{tree.province.pk}" selected>' in form
    assert tree.other_province.name not in form
    data = {"kind": "chuong_trinh", "symbol": "79-CTr/TU", "issuing_unit": tree.other_province.pk}
    response = client.post(reverse("ingestion:accept", args=[s.pk]), data, **HX)
    assert "Đơn vị ban hành không hợp lệ." in response.content.decode()
    assert not Document.objects.exists()


# -- 2. matching looks only inside the user's scope ---------------------------------------


def test_another_provinces_programme_is_never_matched(client, users, tree, hatinh_programme):
    # Also one left without a unit by the old code: its "/TU" is no one's to share.
    legacy = Document.objects.create(kind="chuong_trinh", number="80", sign="80-CTr/TU", title="Cũ")
    source = ingest(tree.other_province, ARTICLE + "\nChương trình số 80-CTr/TU của Tỉnh ủy.")
    response = accept_quickly(client, users.outsider, ctr(source))
    html = response.content.decode()
    theirs = Document.objects.exclude(pk__in=[hatinh_programme.pk, legacy.pk]).get(sign="79-CTr/TU")
    assert theirs.issuing_unit == tree.other_province
    assert "Đã tạo mới" in html and reverse("documents:detail", args=[theirs.pk]) in html
    assert reverse("documents:detail", args=[hatinh_programme.pk]) not in html
    assert "Hà Tĩnh" not in html
    r = accept_by_api(
        client, users.outsider, pick(source, "document", lambda s: s.data.get("number") == "80")
    )
    assert r.status_code == 200 and r.json()["created_record"]
    assert r.json()["record_id"] != str(legacy.pk)
    # A short mention by kind and number finds Nghệ An's own, not Hà Tĩnh's.
    short = ingest(tree.other_province, "Tiếp tục thực hiện Chương trình số 79 của Tỉnh ủy.")
    s = pick(short, "document")
    assert do_accept_suggestion(s, acting_user=users.outsider) == theirs
    assert_can_open(client, users.outsider, theirs)


def test_a_superuser_is_matched_within_the_sources_province(users, tree, hatinh_programme):
    source = ingest(tree.other_commune)
    doc = do_accept_suggestion(ctr(source), acting_user=users.superuser)
    assert doc != hatinh_programme and doc.issuing_unit == tree.other_province
    mine = ingest(tree.commune_a)
    assert do_accept_suggestion(ctr(mine), acting_user=users.superuser) == hatinh_programme


def test_shared_central_documents_are_linked_for_every_province(client, users, tree):
    central = Document.objects.create(
        kind="nghi_quyet", number="04", sign="04-NQ/TW", title="Về xây dựng Đảng"
    )
    for unit, user in ((tree.province, users.province_admin), (tree.other_province, users.outsider)):
        source = ingest(unit)
        s = pick(source, "document", lambda s: s.data.get("symbol") == "04-NQ/TW")
        response = accept_quickly(client, user, s)
        assert "Đã liên kết với bản ghi có sẵn" in response.content.decode()
        s.refresh_from_db()
        assert s.record_id == str(central.pk)
    assert Document.objects.count() == 1


def test_a_namesake_in_another_province_is_not_linked(client, users, tree):
    elsewhere = Person.objects.create(full_name="Trần Văn Quảng")
    Position.objects.create(person=elsewhere, title="Bí thư Tỉnh ủy", unit=tree.other_province)
    source = ingest(tree.province)
    s = pick(source, "person", lambda s: s.data["name"] == "Trần Văn Quảng")
    response = accept_quickly(client, users.province_admin, s)
    html = response.content.decode()
    assert "Đã tạo mới" in html and "Nghệ An" not in html
    ours = Person.objects.exclude(pk=elsewhere.pk).get()
    assert not elsewhere.positions.exclude(unit=tree.other_province).exists()
    # Known in Hà Tĩnh now, through its source: the next article links to
    # Hà Tĩnh's, although two people in the country carry the name.
    again = ingest(tree.province, "Đồng chí Trần Văn Quảng, Bí thư Tỉnh ủy phát biểu chỉ đạo.")
    assert do_accept_suggestion(pick(again, "person"), acting_user=users.province_admin) == ours
    # And Nghệ An's article links to Nghệ An's.
    theirs = ingest(tree.other_province, "Đồng chí Trần Văn Quảng, Bí thư Tỉnh ủy phát biểu chỉ đạo.")
    assert do_accept_suggestion(pick(theirs, "person"), acting_user=users.outsider) == elsewhere


def test_meeting_chairs_are_matched_in_scope_only(users, tree):
    elsewhere = Person.objects.create(full_name="Trần Văn Quảng")
    Position.objects.create(person=elsewhere, title="Bí thư", unit=tree.other_province)
    source = ingest(tree.province)
    meeting = do_accept_suggestion(pick(source, "meeting"), acting_user=users.province_admin)
    assert [p.person for p in meeting.chairs] != [elsewhere]
    assert Person.objects.count() == 2


def test_a_merge_finds_units_only_in_the_users_scope(users, tree):
    source = ingest(tree.other_province, "Đồng chí Lê Văn Bình phát biểu.")
    s = Suggestion.objects.create(
        source=source,
        kind=Suggestion.Kind.MERGE,
        data={"unit": "xã Đức Thọ", "parts": ["xã Tùng Ảnh"]},
        span_start=0,
        span_end=5,
    )
    with pytest.raises(ValidationError, match="Không tìm thấy đơn vị: xã Tùng Ảnh"):
        do_accept_suggestion(s, acting_user=users.outsider, effective=dt.date(2026, 7, 1))
    with pytest.raises(ValidationError, match="không có quyền"):
        do_accept_suggestion(s, acting_user=users.outsider, unit=tree.province, effective=dt.date(2026, 7, 1))
    assert OrgUnit.objects.get(pk=tree.commune_b.pk).valid_to is None


def test_a_record_linked_out_of_scope_before_is_not_named(client, users, tree, hatinh_programme):
    # What the old matching did: Nghệ An's suggestion linked to Hà Tĩnh's programme.
    source = ingest(tree.other_province)
    s = ctr(source)
    Suggestion.objects.filter(pk=s.pk).update(
        status=Suggestion.Status.ACCEPTED,
        record_type="documents.document",
        record_id=str(hatinh_programme.pk),
    )
    client.force_login(users.outsider)
    page = client.get(reverse("ingestion:review", args=[source.pk])).content.decode()
    assert reverse("documents:detail", args=[hatinh_programme.pk]) not in page
    assert hatinh_programme.title not in page and "Hà Tĩnh" not in page
    body = client.get(f"{API}/ingestion/sources/{source.pk}", **bearer(users.outsider)).json()
    (out,) = [x for x in body["suggestions"] if x["id"] == s.pk]
    assert out["record_type"] == "" and out["record_id"] == ""
    # Hà Tĩnh's administrator, who may open it, is shown it on their own sources.
    mine = ingest(tree.province)
    accept_quickly(client, users.province_admin, ctr(mine))
    page = client.get(reverse("ingestion:review", args=[mine.pk])).content.decode()
    assert reverse("documents:detail", args=[hatinh_programme.pk]) in page


# -- 3. the same text is a source in each province that receives it ---------------------


def test_the_same_text_is_one_source_per_unit(tree, users):
    first = ingest(tree.province)
    assert ingest(tree.province) == first  # the same unit again: deduped
    theirs, created = do_ingest(ARTICLE.encode(), name="tin.txt", unit=tree.other_province, acting_user=None)
    assert created and theirs != first and theirs.unit == tree.other_province
    assert theirs.suggestions.count() == first.suggestions.count()
    assert Source.objects.count() == 2


def test_api_upload_in_another_province_creates_its_own_source(client, users, tree):
    ours = ingest(tree.province)
    r = client.post(
        f"{API}/ingestion/sources",
        {"text": ARTICLE, "unit": tree.other_province.pk},
        **bearer(users.outsider),
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["created"] and body["source"]["id"] != ours.pk
    assert body["source"]["unit_id"] == tree.other_province.pk
    assert "khác" not in r.content.decode()
    r = client.post(
        f"{API}/ingestion/sources",
        {"text": ARTICLE, "unit": tree.other_province.pk},
        **bearer(users.outsider),
    )
    assert not r.json()["created"] and r.json()["source"]["id"] == body["source"]["id"]


def test_ingest_command_per_unit(tree, tmp_path, capsys):
    f = tmp_path / "tin.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    call_command("ingest", str(f), "--unit", "42")
    call_command("ingest", str(f), "--unit", "40")
    call_command("ingest", str(f), "--unit", "42")
    out = capsys.readouterr().out.splitlines()
    assert "đã có" not in out[0] and "đã có" not in out[1] and "đã có" in out[2]
    assert sorted(Source.objects.values_list("unit__code", flat=True)) == ["40", "42"]


# -- 4. a figure states the version of the result it read ---------------------------------


@pytest.fixture
def figure(tree, resolution):
    source = ingest(tree.commune_a)
    return pick(source, "figure", lambda s: s.data["value"] == 1245)


def figure_form(resolution, tree, **extra) -> dict:
    return {
        "target": resolution.new_members.pk,
        "unit": tree.commune_a.pk,
        "period": "Quý II/2026",
        "value": "1.245",
        **extra,
    }


def existing(resolution, tree, value=1000, submit=False) -> Result:
    return do_save_result(
        target=resolution.new_members,
        unit=tree.commune_a,
        period="Quý II/2026",
        value=value,
        acting_user=None,
        note="",
        submit=submit,
        expected_version=0,
    )


def test_figure_over_an_unseen_result_shows_it_then_writes_on_confirmation(
    client, users, tree, resolution, figure
):
    result = existing(resolution, tree)
    client.force_login(users.reporter)
    url = reverse("ingestion:accept", args=[figure.pk])
    response = client.post(url, figure_form(resolution, tree), **HX)
    html = response.content.decode()
    assert "Chưa ghi" in html and "1.000 đảng viên" in html and "(nháp)" in html
    result.refresh_from_db()
    assert result.value == 1000 and result.version == 1
    figure.refresh_from_db()
    assert figure.status == Suggestion.Status.PENDING
    seen = f"{resolution.new_members.pk}:{tree.commune_a.pk}:2026-Q2:1"
    assert f'name="seen" value="{seen}"' in html
    # Confirmed with what was shown: written, and the status it ends in is said.
    response = client.post(url, figure_form(resolution, tree, seen=seen), **HX)
    html = response.content.decode()
    result.refresh_from_db()
    assert result.value == 1245 and result.version == 2 and result.status == ResultStatus.SUBMITTED
    assert "Đã ghi vào số liệu có sẵn" in html and "(đã gửi)" in html
    figure.refresh_from_db()
    assert figure.status == Suggestion.Status.ACCEPTED and not figure.created_record


def test_figure_over_a_result_changed_since_is_refused(client, users, tree, resolution, figure):
    result = existing(resolution, tree)
    seen = f"{resolution.new_members.pk}:{tree.commune_a.pk}:2026-Q2:1"
    do_save_result(
        target=resolution.new_members,
        unit=tree.commune_a,
        period="Quý II/2026",
        value=1100,
        acting_user=None,
        note="",
        submit=True,
        expected_version=1,
    )
    client.force_login(users.reporter)
    response = client.post(
        reverse("ingestion:accept", args=[figure.pk]), figure_form(resolution, tree, seen=seen), **HX
    )
    html = response.content.decode()
    assert "Chưa ghi" in html and "1.100 đảng viên" in html and "(đã gửi)" in html
    assert f'value="{seen[:-1]}2"' in html  # the form now states what the message shows
    result.refresh_from_db()
    assert result.value == 1100 and result.version == 2
    assert Suggestion.objects.get(pk=figure.pk).status == Suggestion.Status.PENDING


def test_a_version_seen_for_another_cell_does_not_count(client, users, tree, resolution, figure):
    existing(resolution, tree)
    client.force_login(users.reporter)
    seen = f"{resolution.new_members.pk}:{tree.commune_a.pk}:2026-Q1:1"  # another period
    response = client.post(
        reverse("ingestion:accept", args=[figure.pk]), figure_form(resolution, tree, seen=seen), **HX
    )
    assert "Chưa ghi" in response.content.decode()
    assert Result.objects.get().value == 1000


def test_api_figure_states_the_version_it_read(client, users, tree, resolution, figure):
    result = existing(resolution, tree, submit=True)
    payload = {"target": resolution.new_members.pk, "unit": tree.commune_a.pk, "period": "2026-Q2"}
    r = accept_by_api(client, users.reporter, figure, **payload)
    assert r.status_code == 409 and "1.000" in r.json()["detail"]
    r = accept_by_api(client, users.reporter, figure, **payload, expected_version=7)
    assert r.status_code == 409
    result.refresh_from_db()
    assert result.value == 1000 and result.version == 1
    r = accept_by_api(client, users.reporter, figure, **payload, expected_version=1)
    assert r.status_code == 200, r.content
    assert r.json()["record_id"] == str(result.pk) and not r.json()["created_record"]
    result.refresh_from_db()
    assert result.value == 1245 and result.version == 2


def test_accepting_keeps_an_approved_figure_approved_unless_it_changes(users, tree, resolution, figure):
    from nghiquyet.targets.actions import do_approve_results

    result = existing(resolution, tree, value=1245, submit=True)
    (result,) = do_approve_results([result], acting_user=users.province_admin)
    assert result.status == ResultStatus.APPROVED
    kwargs = {"unit": tree.commune_a, "target": resolution.new_members, "period": "Quý II/2026"}
    same = do_accept_suggestion(figure, acting_user=users.reporter, expected_version=result.version, **kwargs)
    assert same.status == ResultStatus.APPROVED and same.value == 1245  # nothing silently re-submitted
    other = ingest(tree.commune_a, "Toàn xã đã kết nạp 1.300 đảng viên mới.")
    s = pick(other, "figure")
    # A changed approved figure is locked, as the writer rules (issue 13
    # changes this: it used to go back for approval).
    with pytest.raises(ValidationError, match="đã được duyệt nên đã khóa"):
        do_accept_suggestion(s, acting_user=users.reporter, expected_version=same.version, **kwargs)
    assert Result.objects.get(pk=result.pk).value == 1245
    # Written once (created); accepting the same figure wrote nothing.
    assert AuditEntry.objects.filter(action="save_result").count() == 1


def test_figure_for_a_unit_outside_the_scope_is_refused_by_the_action(users, tree, resolution, figure):
    with pytest.raises(ValidationError, match="không có quyền"):
        do_accept_suggestion(
            figure,
            acting_user=users.reporter,
            unit=tree.commune_b,
            target=resolution.new_members,
            period="Quý II/2026",
        )
    assert not Result.objects.exists()


def test_the_central_unit_files_tw_documents_for_whoever_may(users, tree):
    assert tree.root.kind == UnitKind.CENTRAL
    source = ingest(tree.province, "Quán triệt Nghị quyết số 57-NQ/TW của Bộ Chính trị.")
    doc = do_accept_suggestion(pick(source, "document"), acting_user=users.superuser)
    assert doc.issuing_unit == tree.root
    # A province's administrator may not file under the centre: their province it is.
    other = ingest(tree.other_province, "Quán triệt Nghị quyết số 58-NQ/TW của Bộ Chính trị.")
    doc = do_accept_suggestion(pick(other, "document"), acting_user=users.outsider)
    assert doc.issuing_unit == tree.other_province
