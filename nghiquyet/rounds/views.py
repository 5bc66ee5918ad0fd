"""Pages of reporting rounds: the list, the round level by level, opening
one, and the actions on it (exception, withdrawal, written report, close).
Thin: parse, access, act, render; the rules are in the actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nghiquyet.accounts.access import access_unit, has_role, visible_units
from nghiquyet.accounts.models import Role
from nghiquyet.core.dates import DateError, parse_date
from nghiquyet.documents.access import visible_documents
from nghiquyet.orgs.models import UnitKind
from nghiquyet.targets.actions import do_withdraw_approval
from nghiquyet.targets.models import Result, ResultStatus, RoundReport

from .access import access_round, visible_rounds
from .actions import (
    do_attach_round_report,
    do_close_round,
    do_grant_exception,
    do_open_round,
    parse_round_period,
)
from .status import LABELS, round_status

# The kinds a round sets deadlines for, lowest level first (the form's order).
DEADLINE_KINDS = [UnitKind.CELL, UnitKind.GRASSROOTS, UnitKind.COMMUNE, UnitKind.PROVINCE]


def _date(raw: str, label: str) -> dt.date:
    try:
        return parse_date(raw.strip())
    except (DateError, ValueError):
        raise ValidationError(
            f"{label}: ngày “{raw}” không hợp lệ (viết theo dạng ngày/tháng/năm)."
        ) from None


def _fail(request, exc: ValidationError) -> None:
    for m in exc.messages:
        messages.error(request, m)


@login_required
def index(request):
    rounds = list(visible_rounds(request.user).select_related("unit").prefetch_related("documents")[:200])
    can_open = visible_units(request.user, Role.ADMIN).exists()
    return render(request, "rounds/index.html", {"rounds": rounds, "can_open": can_open})


@login_required
def open_round(request):
    units = list(visible_units(request.user, Role.ADMIN).current().filter(depth__lte=2).vn_ordered()[:200])
    if not units:
        raise PermissionDenied("Đồng chí không có quyền mở đợt báo cáo.")
    documents = list(visible_documents(request.user).order_by("-issued", "pk")[:300])
    kinds = [(k.value, k.label) for k in DEADLINE_KINDS]
    form = {"name": "", "period": "", "grace": "0", "unit": "", "documents": [], "deadlines": {}}
    if request.method == "POST":
        p = request.POST
        form = {
            "name": p.get("ten", ""),
            "period": p.get("ky", ""),
            "grace": p.get("an_han", "0"),
            "unit": p.get("don_vi", ""),
            "documents": p.getlist("van_ban"),
            "deadlines": {k: p.get(f"han_{k}", "") for k, _ in kinds},
        }
        try:
            unit = access_unit(request.user, form["unit"] or 0, Role.ADMIN)
            docs_by_id = {str(d.pk): d for d in documents}
            chosen = [docs_by_id[d] for d in form["documents"] if d in docs_by_id]
            deadlines = {
                k: _date(form["deadlines"][k], f"Hạn của {label.lower()}")
                for k, label in kinds
                if form["deadlines"][k].strip()
            }
            try:
                grace = int(form["grace"] or 0)
            except ValueError:
                raise ValidationError("Số ngày ân hạn phải là số nguyên.") from None
            r = do_open_round(
                documents=chosen,
                unit=unit,
                period=parse_round_period(form["period"].strip()),
                deadlines=deadlines,
                grace_days=grace,
                name=form["name"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"Đã mở {r.title.lower()}.")
            return redirect("rounds:round", r.pk)
    return render(
        request,
        "rounds/open.html",
        {"units": units, "documents": documents, "kinds": kinds, "form": form},
    )


@login_required
def detail(request, round_id: int):
    r = access_round(request.user, round_id)
    user = request.user
    within = None
    if not has_role(user, r.unit, Role.VIEWER):
        within = visible_units(user).filter(path__startswith=r.unit.path).order_by("depth").first()
    levels = round_status(r, within)
    for level in levels:
        for row in level.rows:
            parent = row.unit.parent_id
            row.can_grant = parent is not None and has_role(user, row.unit.parent, Role.APPROVER)
            row.can_upload = has_role(user, row.unit, Role.REPORTER) and not r.is_closed
            row.approved = False
    approved_units = set(
        Result.objects.filter(
            unit_id__in=[row.unit.pk for lv in levels for row in lv.rows],
            period_end=r.period_end,
            period_start__gte=r.period_start,
            target__document__in=r.documents.all(),
            status=ResultStatus.APPROVED,
        ).values_list("unit_id", flat=True)
    )
    for level in levels:
        for row in level.rows:
            row.approved = row.unit.pk in approved_units
    return render(
        request,
        "rounds/detail.html",
        {
            "round": r,
            "levels": levels,
            "labels": LABELS,
            "deadlines": r.deadlines.select_related("unit").order_by("due", "pk"),
            "kinds": dict(UnitKind.choices),
            "can_close": has_role(user, r.unit, Role.ADMIN) and not r.is_closed,
            "documents": r.documents.all(),
        },
    )


@login_required
@require_POST
def grant(request, round_id: int):
    r = access_round(request.user, round_id)
    unit = access_unit(request.user, request.POST.get("don_vi") or 0)
    try:
        until = _date(request.POST.get("den_ngay", ""), "Cho phép đến ngày")
        do_grant_exception(
            unit, until, round=r, reason=request.POST.get("ly_do", ""), acting_user=request.user
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Đã cho phép {unit.name} nhập bổ sung đến hết ngày {until:%d/%m/%Y}.")
    return redirect("rounds:round", r.pk)


@login_required
@require_POST
def withdraw(request, round_id: int):
    r = access_round(request.user, round_id)
    unit = access_unit(request.user, request.POST.get("don_vi") or 0)
    docs = list(r.documents.all())
    keys = sorted(
        set(
            Result.objects.filter(
                unit=unit,
                period_end=r.period_end,
                period_start__gte=r.period_start,
                target__document__in=docs,
                status=ResultStatus.APPROVED,
            ).values_list("period_key", flat=True)
        )
    )
    try:
        if not keys:
            raise ValidationError(f"{unit.name} không có số liệu đã duyệt trong đợt này.")
        n = 0
        for key in keys:
            n += len(
                do_withdraw_approval(
                    unit,
                    parse_round_period(key),
                    documents=docs,
                    reason=request.POST.get("ly_do", ""),
                    acting_user=request.user,
                )
            )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Đã hủy duyệt {n} số liệu của {unit.name}; đơn vị có thể sửa lại.")
    return redirect("rounds:round", r.pk)


@login_required
@require_POST
def close(request, round_id: int):
    r = access_round(request.user, round_id)
    try:
        do_close_round(r, acting_user=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Đã kết thúc {r.title.lower()}: số liệu đã chốt.")
    return redirect("rounds:round", r.pk)


@login_required
@require_POST
def upload(request, round_id: int):
    r = access_round(request.user, round_id)
    unit = access_unit(request.user, request.POST.get("don_vi") or 0)
    f = request.FILES.get("tep")
    try:
        if f is None:
            raise ValidationError("Chưa chọn tệp báo cáo.")
        do_attach_round_report(r, unit, f, acting_user=request.user, filename=f.name)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Đã gửi báo cáo bằng văn bản của {unit.name}.")
    return redirect("rounds:round", r.pk)


@login_required
def download(request, round_id: int, report_id: int):
    r = access_round(request.user, round_id)
    report = get_object_or_404(RoundReport.objects.select_related("unit"), pk=report_id, round=r)
    if not has_role(request.user, report.unit, Role.VIEWER):
        raise Http404("Không tìm thấy báo cáo.")
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.name)
