"""Writes for documents and their chains."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from nghiquyet.audit.actions import record, snapshot
from nghiquyet.core.versions import check_version
from nghiquyet.orgs.models import UnitKind

from .models import Document
from .signs import DOCUMENT_KINDS, SignError, parse_sign

_KINDS = {k for k, _ in DOCUMENT_KINDS}

# Signs that say less than the kind: many central quy định are signed
# "-QĐ/TW"; a National Assembly resolution reads like a law ("…/QH15");
# a sign without a kind abbreviation reads as a công văn.
_AMBIGUOUS_SIGN_KINDS = {
    ("quyet_dinh", "quy_dinh"),
    ("luat", "nghi_quyet"),
    *(("cong_van", k) for k in ("nghi_quyet", "quyet_dinh", "bao_cao", "to_trinh", "thong_bao")),
}


def _clean(kind: str, title: str, sign: str, number: str, term_start, term_end) -> tuple[str, str]:
    """The rules a document's own fields follow, on create and on edit:
    the canonical sign and the number it carries."""
    if kind not in _KINDS:
        raise ValidationError("Loại văn bản không hợp lệ.")
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
    return sign, number


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
    sign, number = _clean(kind, title, sign, number, term_start, term_end)
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


def find_reference_document(kind: str, sign: str, issued: dt.date | None = None) -> Document | None:
    """The shared record of a document issued above a province with this
    sign, if one exists. Party numbers restart each term, so two records
    with the same sign and different dates of issue are different documents."""
    try:
        canonical = parse_sign(sign).format()
    except SignError:
        return None
    qs = Document.objects.filter(sign=canonical, kind=kind).filter(
        Q(issuing_unit__isnull=True) | Q(issuing_unit__kind=UnitKind.CENTRAL)
    )
    if issued is not None:
        qs = qs.filter(Q(issued=issued) | Q(issued__isnull=True))
    return qs.order_by("pk").first()


def do_record_reference_document(
    *,
    kind: str,
    sign: str,
    title: str,
    acting_user,
    issuing_unit=None,
    issuer_name: str = "",
    issued: dt.date | None = None,
    summary: str = "",
    term_start: int | None = None,
    term_end: int | None = None,
) -> tuple[Document, bool]:
    """Record a document issued above the province (04-NQ/TW): any
    administrator may, and it is matched by its sign, never duplicated —
    (the existing record, False) when it is already there."""
    if issuing_unit is not None and issuing_unit.kind != UnitKind.CENTRAL:
        raise ValidationError("Văn bản dùng chung phải do cấp Trung ương ban hành.")
    if not sign.strip():
        raise ValidationError("Văn bản của Trung ương cần có số, ký hiệu (ví dụ 04-NQ/TW) để dùng chung.")
    with transaction.atomic():
        existing = find_reference_document(kind, sign, issued)
        if existing is not None:
            return existing, False
        doc = do_create_document(
            kind=kind,
            title=title,
            sign=sign,
            acting_user=acting_user,
            issuing_unit=issuing_unit,
            issuer_name=issuer_name,
            issued=issued,
            summary=summary,
            term_start=term_start,
            term_end=term_end,
        )
    return doc, True


# What an edit may change; the rest (keys, dates of record) are the model's.
DOCUMENT_FIELDS = (
    "kind", "number", "sign", "title", "issuing_unit", "issuer_name", "issued", "summary",
    "term_start", "term_end", "valid_to",
)  # fmt: skip


def do_update_document(
    doc: Document,
    *,
    acting_user,
    expected_version: int | None,
    changes: dict,
    implements: list[Document] | None = None,
) -> Document:
    """Change a document's fields (``changes``: field → value, of
    DOCUMENT_FIELDS) and, when ``implements`` is given, the documents it
    implements (links added and removed, each refused if it closes a
    cycle). The version read must be the current one (StaleVersionError)."""
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        doc = Document.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=doc.pk)
        check_version(doc, expected_version, "văn bản")
        before = snapshot(doc)
        before["implements"] = sorted(doc.implements.values_list("pk", flat=True))
        merged = {f: changes.get(f, getattr(doc, f)) for f in DOCUMENT_FIELDS}
        merged["sign"], merged["number"] = _clean(
            merged["kind"],
            merged["title"] or "",
            merged["sign"] or "",
            changes.get("number", "" if "sign" in changes else doc.number) or "",
            merged["term_start"],
            merged["term_end"],
        )
        merged["title"] = merged["title"].strip()
        for f, v in merged.items():
            setattr(doc, f, v)
        doc.version += 1
        doc.save()
        if implements is not None:
            wanted = {d.pk: d for d in implements}
            current = set(before["implements"])
            for pk in current - set(wanted):
                doc.implements.remove(pk)
            for pk in sorted(set(wanted) - current):
                _check_link(doc, wanted[pk])
                doc.implements.add(pk)
        after = snapshot(doc)
        after["implements"] = sorted(doc.implements.values_list("pk", flat=True))
        record(
            "update_document", doc, acting_user=acting_user, before=before, after=after, unit=doc.issuing_unit
        )
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


def _check_link(doc: Document, implements: Document) -> None:
    if doc.pk == implements.pk:
        raise ValidationError("Văn bản không thể thực hiện chính nó.")
    if doc.pk in chain_upward_ids({implements.pk}):
        raise ValidationError(
            f"Không thể liên kết: “{implements}” đã (trực tiếp hoặc gián tiếp) thực hiện “{doc}”, sẽ tạo vòng lặp."
        )


def do_link_documents(doc: Document, implements: Document, *, acting_user) -> None:
    """Record that ``doc`` implements ``implements``. A link that would close
    a cycle (A implements B implements … A) is refused."""
    _check_link(doc, implements)
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
