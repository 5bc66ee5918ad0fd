"""The ingestion API: the same actions and access rules as the review pages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Form, Router
from ninja.files import UploadedFile

from nghiquyet.accounts.access import access_unit
from nghiquyet.accounts.models import Role
from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset, Word, text
from nghiquyet.core.periods import PeriodError, parse_period, parse_period_key
from nghiquyet.core.uploads import read_upload
from nghiquyet.targets.access import access_reporting_unit, access_target

from .access import access_source, access_suggestion, visible_sources
from .actions import do_accept_suggestion, do_ingest, do_reject_suggestion
from .models import Source, Suggestion
from .records import records_for
from .schemas import AcceptIn, IngestOut, RejectIn, SourceDetailOut, SourceOut, SuggestionOut
from .views import with_counts

router = Router(tags=["Thu nhận tin bài"])

# Source.origin's length; pasted text is bounded by the request size (settings).
Origin = text(1000)
PastedText = text(settings.NGHIQUYET_MAX_UPLOAD_BYTES)  # as much as a file may hold

# What a person may change in a suggestion's data before accepting it.
EDITABLE = {
    Suggestion.Kind.PERSON: {"name", "titles"},
    Suggestion.Kind.DOCUMENT: {"kind", "number", "symbol", "issued", "issuer", "title"},
    Suggestion.Kind.MEETING: {"title", "date", "online", "bridge_points", "chairs"},
    Suggestion.Kind.FIGURE: {"value"},
    Suggestion.Kind.MERGE: {"unit", "parts"},
}


def _source_out(source: Source, counts: dict | None = None) -> dict:
    if counts is None:
        counts = {
            "pending": getattr(source, "n_pending", 0),
            "accepted": getattr(source, "n_accepted", 0),
            "rejected": getattr(source, "n_rejected", 0),
        }
    return {**SourceOut.from_orm(source).dict(), **counts}


def _suggestion_out(s: Suggestion, records: dict | None = None) -> dict:
    """A suggestion as the API gives it; with ``records`` (those the caller
    may see), a linked record outside them is not named, not even its id."""
    shown = records is None or (s.record_type, s.record_id) in records
    return {
        "id": s.pk,
        "source_id": s.source_id,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "label": s.label,
        "status": s.status,
        "data": s.data,
        "span_start": s.span_start,
        "span_end": s.span_end,
        "quote": s.quote,
        "reason": s.reason,
        "record_type": s.record_type if shown else "",
        "record_id": s.record_id if shown else "",
        "created_record": s.created_record,
        "decided_at": s.decided_at,
    }


@router.get("/sources", response=answers({200: list[SourceOut]}))
def list_sources(request, status: Word = "", limit: Limit = 100, offset: Offset = 0):
    """Sources the caller may see, newest first, with their suggestions counted by status."""
    qs = with_counts(visible_sources(request.user).defer("text"))
    if status:
        qs = qs.filter(status=status)
    return [_source_out(s) for s in qs.order_by("-created_at", "-id")[offset : offset + limit]]


@router.post("/sources", response=answers({200: IngestOut}, 403, body=True))
def ingest(
    request,
    unit: Id = Form(..., description="Đơn vị tiếp nhận (cần quyền báo cáo)"),
    text: PastedText = Form("", description="Nội dung dán vào; hoặc gửi tệp"),
    origin: Origin = Form("", description="Địa chỉ trang hoặc tên tệp"),
    file: UploadedFile | None = File(None, description="Văn bản, trang web (.html) hoặc Word (.docx)"),
):
    """Read a text or a file into a source of the unit with its suggestions.
    The same text twice for one unit is one source: ``created`` says which
    happened. Another unit receiving the same text gets its own source."""
    receiving = access_reporting_unit(request.user, unit)
    if bool(text.strip()) == (file is not None):
        raise ValidationError("Gửi nội dung (text) hoặc một tệp (file), không cả hai, không bỏ trống.")
    if file is not None:
        data, name = read_upload(file), file.name or ""  # its size checked first: 413
    else:
        data, name = text.encode("utf-8"), "van-ban-dan.txt"
    # Sources are per receiving unit: an existing one is this unit's own.
    source, created = do_ingest(data, name=name, origin=origin, unit=receiving, acting_user=request.user)
    source = with_counts(Source.objects.filter(pk=source.pk)).get()
    return {"created": created, "source": _source_out(source)}


@router.get("/sources/{source_id}", response=answers({200: SourceDetailOut}))
def get_source(request, source_id: Id):
    """A source with its text and every suggestion (spans index the text)."""
    source = access_source(request.user, source_id)
    suggestions = list(source.suggestions.all())
    records = records_for(suggestions, request.user)
    counts = {"pending": 0, "accepted": 0, "rejected": 0}
    for s in suggestions:
        s.source = source
        counts[s.status] += 1
    return {
        **_source_out(source, counts),
        "text": source.text,
        "suggestions": [_suggestion_out(s, records) for s in suggestions],
    }


def _period(text: str):
    try:
        return parse_period_key(text)
    except (PeriodError, ValueError):
        try:
            return parse_period(text)
        except (PeriodError, ValueError):
            raise ValidationError(f"Kỳ “{text}” không hợp lệ.") from None


@router.post(
    "/suggestions/{suggestion_id}/accept", response=answers({200: SuggestionOut}, 403, 409, body=True)
)
def accept(request, suggestion_id: Id, payload: AcceptIn):
    """Accept a suggestion (reporter or above on the source's unit), with
    edits and what its kind needs: a meeting's organiser, a figure's
    target, unit, period and the version of the result the caller read
    (409 with the current value if it differs), a merge's scope
    (administrator) and date, a new document's issuing unit (optional)."""
    s = access_suggestion(request.user, suggestion_id)
    if s.status != Suggestion.Status.PENDING:
        raise ValidationError(f"Dữ kiện này đã được xử lý ({s.get_status_display().lower()}).")
    unknown = set(payload.edits) - EDITABLE[s.kind]
    if unknown:
        raise ValidationError("Không sửa được các trường: " + ", ".join(sorted(unknown)) + ".")
    kwargs: dict = {"edits": payload.edits}
    if s.kind == Suggestion.Kind.FIGURE:
        if payload.target is None or payload.unit is None or not payload.period:
            raise ValidationError("Chọn chỉ tiêu, đơn vị và kỳ báo cáo cho số liệu này.")
        unit = access_reporting_unit(request.user, payload.unit)
        target = access_target(request.user, payload.target)
        if not target.assignments.filter(unit=unit).exists():
            raise Http404("Không tìm thấy chỉ tiêu.")
        kwargs.update(
            unit=unit,
            target=target,
            period=_period(payload.period),
            expected_version=payload.expected_version or 0,
        )
    elif s.kind == Suggestion.Kind.MERGE:
        # Restructuring the tree is an administrator's decision, in their subtree.
        scope_id = payload.unit if payload.unit is not None else s.source.unit_id
        if scope_id is None:
            raise ValidationError("Chọn cấp ủy có các đơn vị được sắp xếp.")
        kwargs.update(unit=access_unit(request.user, scope_id, Role.ADMIN), effective=payload.effective)
    elif payload.unit is not None:
        kwargs["unit"] = access_unit(request.user, payload.unit, Role.REPORTER)
    do_accept_suggestion(s, acting_user=request.user, **kwargs)
    s = Suggestion.objects.select_related("source").get(pk=s.pk)
    return _suggestion_out(s)


@router.post("/suggestions/{suggestion_id}/reject", response=answers({200: SuggestionOut}, 403, body=True))
def reject(request, suggestion_id: Id, payload: RejectIn):
    """Reject a suggestion with a reason (reporter or above on the source's unit)."""
    s = access_suggestion(request.user, suggestion_id)
    do_reject_suggestion(s, reason=payload.reason, acting_user=request.user)
    s = Suggestion.objects.select_related("source").get(pk=s.pk)
    return _suggestion_out(s)
