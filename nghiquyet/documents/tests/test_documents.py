"""Documents: signs stored canonically, chains both ways, cycles refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nghiquyet.audit.models import AuditEntry
from nghiquyet.documents.actions import (
    chain_downward_ids,
    chain_upward_ids,
    do_create_document,
    do_link_documents,
)
from nghiquyet.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(tree):
    nq = do_create_document(
        kind="nghi_quyet",
        sign="04-NQ/TW",
        title="Về tăng cường xây dựng, chỉnh đốn Đảng",
        acting_user=None,
        issued=dt.date(2016, 10, 30),
    )
    ctr = do_create_document(
        kind="chuong_trinh",
        sign="Số 79 - CTr/TU",
        title="Chương trình hành động thực hiện Nghị quyết 04",
        issuing_unit=tree.province,
        implements=[nq],
        acting_user=None,
    )
    kh = do_create_document(
        kind="ke_hoach",
        sign="12-KH/ĐU",
        title="Kế hoạch thực hiện Chương trình 79",
        issuing_unit=tree.commune_a,
        implements=[ctr],
        acting_user=None,
    )
    return nq, ctr, kh


def test_sign_is_stored_canonically(chain):
    _, ctr, _ = chain
    assert ctr.sign == "79-CTr/TU"
    assert ctr.number == "79"
    assert str(ctr) == "Chương trình số 79-CTr/TU"


def test_chain_reads_both_ways(chain):
    nq, ctr, kh = chain
    assert list(kh.implements.all()) == [ctr]
    assert list(nq.implemented_by.all()) == [ctr]
    assert chain_upward_ids({kh.pk}) == {ctr.pk, nq.pk}
    assert chain_downward_ids({nq.pk}) == {ctr.pk, kh.pk}


def test_cycle_in_chain_is_refused(chain):
    nq, _, kh = chain
    with pytest.raises(ValidationError, match="vòng lặp"):
        do_link_documents(nq, kh, acting_user=None)
    with pytest.raises(ValidationError, match="chính nó"):
        do_link_documents(nq, nq, acting_user=None)
    assert not nq.implements.exists()


def test_bad_sign_and_mismatched_kind_are_refused(tree):
    with pytest.raises(ValidationError, match="Không đọc được số ký hiệu"):
        do_create_document(kind="nghi_quyet", sign="abc", title="X", acting_user=None)
    with pytest.raises(ValidationError, match="không khớp"):
        do_create_document(kind="nghi_quyet", sign="05-CT/TW", title="X", acting_user=None)
    assert not Document.objects.exists()
    assert not AuditEntry.objects.exists()


def test_state_sign_and_audit(tree):
    doc = do_create_document(
        kind="nghi_dinh",
        sign="09/2019/NĐ-CP",
        title="Quy định chế độ báo cáo của cơ quan hành chính nhà nước",
        acting_user=None,
    )
    assert doc.sign == "09/2019/NĐ-CP"
    assert AuditEntry.objects.get(action="create_document").object_id == str(doc.pk)
