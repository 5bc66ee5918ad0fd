"""One entry point for every export: the web views and the console command
both call ``build_review`` and ``find_*`` here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from nghiquyet.core.periods import Period, PeriodError, parse_period, parse_period_key
from nghiquyet.core.text import fold
from nghiquyet.documents.models import Document
from nghiquyet.documents.signs import SignError, parse_sign
from nghiquyet.orgs.models import OrgUnit

from .appendix_xlsx import build_appendix_xlsx
from .pdf import to_pdf
from .review import build_review_docx, review_data

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel – phụ lục (.xlsx)"),
    "pdf": ("application/pdf", "PDF"),
}


@dataclass
class BuiltFile:
    content: bytes
    filename: str
    content_type: str


def slug(text: str) -> str:
    """ASCII file-name part: "01-NQ/ĐH" → "01-nq-dh"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).replace("đ", "d")).strip("-") or "van-ban"


def build_review(
    document, unit: OrgUnit, period: Period, fmt: str, *, on: dt.date | None = None
) -> BuiltFile:
    """The review report in ``fmt``: "docx" (report with appendix),
    "xlsx" (the appendix), "pdf" (the report through LibreOffice; raises
    PdfUnavailable without it)."""
    if fmt not in FORMATS:
        raise ValidationError(f"Định dạng “{fmt}” không hỗ trợ (chọn docx, xlsx hoặc pdf).")
    data = review_data(document, unit, period, on=on)
    base = f"bao-cao-{slug(document.sign or document.number or str(document.pk))}-{slug(unit.name)}-{period.key()}"
    if fmt == "xlsx":
        return BuiltFile(build_appendix_xlsx(data), f"phu-luc-{base}.xlsx", FORMATS["xlsx"][0])
    docx_bytes = build_review_docx(data)
    if fmt == "pdf":
        return BuiltFile(to_pdf(docx_bytes, ".docx"), f"{base}.pdf", FORMATS["pdf"][0])
    return BuiltFile(docx_bytes, f"{base}.docx", FORMATS["docx"][0])


def find_document(text: str) -> Document:
    """A document by id or by sign ("01-NQ/ĐH", "Số 79-CTr/TU")."""
    text = text.strip()
    if text.isdigit():
        doc = Document.objects.filter(pk=int(text)).first()
        if doc:
            return doc
    try:
        wanted = parse_sign(text).format()
    except SignError:
        wanted = text
    for doc in Document.objects.exclude(sign="").only("pk", "sign"):
        try:
            if parse_sign(doc.sign).format().lower() == wanted.lower():
                return Document.objects.get(pk=doc.pk)
        except SignError:
            if doc.sign.lower() == wanted.lower():
                return Document.objects.get(pk=doc.pk)
    raise ValidationError(f"Không tìm thấy văn bản “{text}”.")


def find_unit(text: str) -> OrgUnit:
    """A unit by its code (codes mean something to people, so they win),
    then by id."""
    text = text.strip()
    by_code = list(OrgUnit.objects.filter(code=text, valid_to__isnull=True)[:2])
    if len(by_code) == 1:
        return by_code[0]
    if text.isdigit():
        unit = OrgUnit.objects.filter(pk=int(text)).first()
        if unit:
            return unit
    if len(by_code) > 1:
        raise ValidationError(f"Có nhiều đơn vị mang mã “{text}”; hãy dùng số định danh (id).")
    raise ValidationError(f"Không tìm thấy đơn vị “{text}”.")


def find_period(text: str) -> Period:
    """A period by key ("2026-Q3") or label ("Quý III/2026", "6 tháng đầu năm 2026")."""
    try:
        return parse_period_key(text.strip())
    except (PeriodError, ValueError):
        pass
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None
