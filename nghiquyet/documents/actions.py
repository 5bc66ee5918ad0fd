"""Writes for documents and their chains."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from nghiquyet.audit.actions import record, snapshot

from .models import Document
from .signs import SignError, parse_sign

# Signs that say less than the kind: many central quy định are signed
# "-QĐ/TW"; a National Assembly resolution reads like a law ("…/QH15");
# a sign without a kind abbreviation reads as a công văn.
_AMBIGUOUS_SIGN_KINDS = {
    ("quyet_dinh", "quy_dinh"),
    ("luat", "nghi_quyet"),
    *(("cong_van", k) for k in ("nghi_quyet", "quyet_dinh", "bao_cao", "to_trinh", "thong_bao")),
}


def do_create_document(
    *,
    kind: str,
    title: str,
    acting_user,
    sign: str = "",
    number: str = "",
    issuing_unit=None,
    issuer_name: str = "",
    issued: dt.date | None = None,
    summary: str = "",
    term_start: int | None = None,
    term_end: int | None = None,
    implements: list[Document] | None = None,
) -> Document:
    """Create a document. A sign is read and stored in its canonical form
    ("05 - CT/TW" → "05-CT/TW"); its number and kind must agree with it."""
    if not title.strip():
        raise ValidationError("Trích yếu văn bản không được để trống.")
    if sign.strip():
        try:
            parsed = parse_sign(sign)
        except SignError as exc:
            raise ValidationError(str(exc)) from None
        if parsed.kind and parsed.kind != kind and (parsed.kind, kind) not in _AMBIGUOUS_SIGN_KINDS:
            raise ValidationError(f"Ký hiệu “{parsed.format()}” không khớp với loại văn bản đã chọn.")
        sign = parsed.format()
        number = number or parsed.number
    if term_start and term_end and term_end <= term_start:
        raise ValidationError("Năm kết thúc nhiệm kỳ phải sau năm bắt đầu.")
    with transaction.atomic():
        doc = Document.objects.create(
            kind=kind,
            title=title.strip(),
            sign=sign,
            number=number,
            issuing_unit=issuing_unit,
            issuer_name=issuer_name,
            issued=issued,
            summary=summary,
            term_start=term_start,
            term_end=term_end,
        )
        record("create_document", doc, acting_user=acting_user, unit=issuing_unit)
        for parent in implements or []:
            do_link_documents(doc, parent, acting_user=acting_user)
    return doc


def chain_upward_ids(doc_ids: set[int]) -> set[int]:
    """Every document the given ones implement, directly or through others:
    one query per level of the chain (chains are a few levels deep)."""
    seen: set[int] = set()
    frontier = set(doc_ids)
    through = Document.implements.through
    while frontier:
        ups = set(
            through.objects.filter(from_document_id__in=frontier).values_list("to_document_id", flat=True)
        )
        frontier = ups - seen
        seen |= ups
    return seen


def chain_downward_ids(doc_ids: set[int]) -> set[int]:
    """Every document implementing the given ones, directly or not."""
    seen: set[int] = set()
    frontier = set(doc_ids)
    through = Document.implements.through
    while frontier:
        downs = set(
            through.objects.filter(to_document_id__in=frontier).values_list("from_document_id", flat=True)
        )
        frontier = downs - seen
        seen |= downs
    return seen


def do_link_documents(doc: Document, implements: Document, *, acting_user) -> None:
    """Record that ``doc`` implements ``implements``. A link that would close
    a cycle (A implements B implements … A) is refused."""
    if doc.pk == implements.pk:
        raise ValidationError("Văn bản không thể thực hiện chính nó.")
    if doc.pk in chain_upward_ids({implements.pk}):
        raise ValidationError(
            f"Không thể liên kết: “{implements}” đã (trực tiếp hoặc gián tiếp) thực hiện “{doc}”, sẽ tạo vòng lặp."
        )
    with transaction.atomic():
        before = snapshot(doc)
        doc.implements.add(implements)
        record(
            "link_documents",
            doc,
            acting_user=acting_user,
            before=before,
            after={"implements": implements.pk},
            unit=doc.issuing_unit,
        )
