"""Report pages: choose a period and a format and download; Excel templates
out and filled files in; a meeting's conclusion notice.

Building a report takes a moment (PDF: a few seconds). With htmx the form
posts in the background under a progress indicator; the file is kept
briefly under a one-time token and the browser is sent to fetch it. Without
JavaScript the same GET returns the file directly.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from nghiquyet.accounts.access import access_unit, has_role, home_unit, visible_units
from nghiquyet.accounts.models import Role
from nghiquyet.core.periods import Period, PeriodError, parse_period
from nghiquyet.core.viewutils import default_document_period, document_periods, int_param
from nghiquyet.documents.access import access_document, visible_documents
from nghiquyet.meetings.access import access_meeting
from nghiquyet.targets.models import Assignment

from .building import FORMATS, BuiltFile, build_review, slug
from .entry import build_children_template, build_unit_template
from .importing import ImportRejected, do_import_results
from .notice import build_notice_docx
from .pdf import PdfUnavailable, soffice_path

XLSX = FORMATS["xlsx"][0]
DOCX = FORMATS["docx"][0]
STASH_SECONDS = 15 * 60


def _stash_dir() -> Path:
    path = Path(settings.DATA_DIR) / "tmp-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stash(built: BuiltFile, user) -> str:
    """Keep a built file for its owner to fetch once; old ones are dropped."""
    folder = _stash_dir()
    cutoff = time.time() - STASH_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    try:
        (folder / token).write_bytes(built.content)
        (folder / f"{token}.json").write_text(
            json.dumps({"user": user.pk, "filename": built.filename, "type": built.content_type})
        )
    except OSError:
        # A full disk leaves no half file behind; the 503 page says why (core.middleware).
        (folder / token).unlink(missing_ok=True)
        (folder / f"{token}.json").unlink(missing_ok=True)
        raise
    return token


def _attachment(built: BuiltFile) -> HttpResponse:
    response = HttpResponse(built.content, content_type=built.content_type)
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


def _period(raw: str | None, default: Period) -> Period:
    if not raw:
        return default
    try:
        return parse_period(raw)  # a key ("2026-Q3") or a label
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None


def _choices(doc, user, today):
    periods = document_periods(doc, today)
    # Reviews also run over the half-year and nine months of this year.
    extra = [Period.half(today.year, 1), Period.nine_months(today.year)]
    periods += [p for p in extra if p.start <= today and p not in periods]
    units = list(
        visible_units(user)
        .filter(
            valid_to__isnull=True, pk__in=Assignment.objects.filter(target__document=doc).values("unit_id")
        )
        .order_by("depth", "sort_key")[:300]
    )
    return periods, units


def _scope(request, min_role=Role.VIEWER):
    unit_id = int_param(request, "unit")
    if unit_id:
        return access_unit(request.user, unit_id, min_role)
    unit = home_unit(request.user)
    if unit is None or not has_role(request.user, unit, min_role):
        raise Http404("Không tìm thấy đơn vị.")
    return unit


@login_required
def index(request):
    """Documents with targets the user can report on."""
    docs = (
        visible_documents(request.user)
        .filter(targets__isnull=False)
        .distinct()
        .select_related("issuing_unit")
    )
    return render(request, "reports/index.html", {"documents": docs.order_by("-issued", "-id")[:200]})


@login_required
@require_GET
def review(request, document_id: int):
    """The review report of a document: the chooser page, or with ``fmt``
    the file (docx, xlsx, pdf) for ``unit`` and ``period``."""
    user = request.user
    doc = access_document(user, document_id)
    unit = _scope(request)
    today = timezone.localdate()
    fmt = request.GET.get("fmt", "")
    error = ""
    try:
        period = _period(request.GET.get("period"), default_document_period(doc, today))
    except ValidationError as exc:
        period, error = default_document_period(doc, today), exc.messages[0]
    if fmt and not error:
        try:
            built = build_review(doc, unit, period, fmt)
        except (ValidationError, PdfUnavailable) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            if request.htmx:
                url = reverse("reports:download", args=[_stash(built, user)])
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return _attachment(built)
    periods, units = _choices(doc, user, today)
    if unit not in units:
        units.insert(0, unit)
    if period not in periods:
        periods.insert(0, period)
    context = {
        "doc": doc,
        "unit": unit,
        "units": units,
        "period": period,
        "periods": periods,
        "formats": [(k, label) for k, (_, label) in FORMATS.items()],
        "fmt": fmt or "docx",
        "pdf_available": soffice_path() is not None,
        "error": error,
        "can_report": has_role(user, unit, Role.REPORTER),
    }
    if request.htmx and fmt:
        return render(request, "reports/partials/review_form.html", context, status=200)
    return render(request, "reports/review.html", context, status=400 if error and fmt else 200)


@login_required
@require_GET
def download(request, token: str):
    """A file built for this user a moment ago; fetched once."""
    folder = _stash_dir()
    if not token.replace("-", "").replace("_", "").isalnum():
        raise Http404
    meta_path, data_path = folder / f"{token}.json", folder / token
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        raise Http404("Tệp đã hết hạn; vui lòng tạo lại báo cáo.") from None
    if meta.get("user") != request.user.pk:
        raise Http404
    response = FileResponse(
        data_path.open("rb"), as_attachment=True, filename=meta["filename"], content_type=meta["type"]
    )
    meta_path.unlink(missing_ok=True)
    data_path.unlink(missing_ok=True)  # the open handle still reads it on POSIX
    return response


@login_required
@require_GET
def entry_template(request, document_id: int):
    """The Excel template to fill: ``scope=unit`` (default) for the unit
    itself, ``scope=children`` for the units under it."""
    doc = access_document(request.user, document_id)
    unit = _scope(request, Role.REPORTER)
    try:
        period = _period(request.GET.get("period"), Period.quarter(*_this_quarter()))
        if request.GET.get("scope") == "children":
            content = build_children_template(doc, unit, period)
        else:
            content = build_unit_template(doc, unit, period)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    name = f"mau-nhap-{slug(doc.sign or str(doc.pk))}-{slug(unit.name)}-{period.key()}.xlsx"
    return _attachment(BuiltFile(content, name, XLSX))


def _this_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


@login_required
@require_POST
def import_results(request):
    """A filled template uploaded: the summary, or the errors by sheet, row
    and column. ``document``/``unit``/``period`` (optional) say which
    template the page expects."""
    upload = request.FILES.get("file")
    context: dict = {}
    status = 200
    if upload is None:
        context["errors"] = ["Chưa chọn tệp Excel để tải lên."]
        status = 400
    else:
        expected = {}
        if doc_id := int_param(request, "document"):
            expected["document"] = access_document(request.user, doc_id)
        if unit_id := int_param(request, "unit"):
            expected["unit"] = access_unit(request.user, unit_id)
        if raw := request.POST.get("period"):
            try:
                expected["period"] = parse_period(raw)
            except PeriodError:
                pass
        try:
            context["summary"] = do_import_results(upload, acting_user=request.user, **expected)
        except ImportRejected as exc:
            context["errors"] = [str(e) for e in exc.errors]
            status = 400
    if request.htmx:
        # htmx swaps only 2xx answers by default: errors come back as 200.
        return render(request, "reports/partials/import_result.html", context)
    return render(request, "reports/import_result.html", context, status=status)


@login_required
@require_GET
def notice(request, meeting_id: int):
    """The conclusion notice (thông báo kết luận) of a meeting, as .docx."""
    meeting = access_meeting(request.user, meeting_id)
    content = build_notice_docx(meeting)
    name = f"thong-bao-ket-luan-{meeting.date:%Y-%m-%d}-{slug(meeting.title)[:60]}.docx"
    return _attachment(BuiltFile(content, name, DOCX))
