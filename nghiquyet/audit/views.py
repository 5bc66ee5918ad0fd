"""A unit administrator's audit page: who did what in its subtree, filtered
by person, kind of action and date, and exported to Excel."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from nghiquyet.accounts.access import access_unit, admin_roots, managed_users, path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.accounts.names import person_name
from nghiquyet.core.dates import VN_TZ, DateError, format_datetime, parse_date
from nghiquyet.core.viewutils import int_param

from .labels import ACTION_LABELS, action_label, describe
from .models import AuditEntry

ENTRIES_PER_PAGE = 50
EXPORT_MAX = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(request, name: str, errors: list[str]) -> dt.date | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except DateError as exc:
        errors.append(str(exc))
        return None


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)


def entries_for(admin, request, errors: list[str]):
    """The entries ``admin`` may read (filed under a unit of their subtrees;
    everything for a superuser), narrowed by the page's filters:
    ``don_vi`` (a subtree), ``nguoi`` (who), ``thao_tac`` (action), ``tu``
    and ``den`` (days, Vietnam time, both inclusive)."""
    paths = scope_paths(admin, Role.ADMIN)
    qs = AuditEntry.objects.all() if paths == [""] else AuditEntry.objects.filter(path_q(paths, "unit__path"))
    unit_id = int_param(request, "don_vi")
    unit = None
    if unit_id is not None:
        unit = access_unit(admin, unit_id, Role.ADMIN)
        qs = qs.filter(path_q([unit.path], "unit__path"))
    person = int_param(request, "nguoi")
    if person is not None:
        qs = qs.filter(actor_id=person)
    action = request.GET.get("thao_tac") or ""
    if action:
        qs = qs.filter(action=action)
    start, end = _date(request, "tu", errors), _date(request, "den", errors)
    if start:
        qs = qs.filter(at__gte=_start_of(start))
    if end:
        qs = qs.filter(at__lt=_start_of(end + dt.timedelta(days=1)))
    filters = {"unit": unit, "person": person, "action": action, "start": start, "end": end}
    return qs.select_related("actor", "unit").order_by("-at", "-id"), filters


def _row(e: AuditEntry) -> dict:
    return {
        "at": e.at,
        "who": person_name(e.actor) if e.actor else "Hệ thống",
        "login": e.actor.username if e.actor else "",
        "action": action_label(e.action),
        "object": e.object_repr,
        "unit": e.unit.name if e.unit else "",
        "change": describe(e.object_type, e.before, e.after),
    }


@login_required
def index(request):
    roots = admin_roots(request.user)
    if not roots:
        raise PermissionDenied("Đồng chí không có quyền xem nhật ký thao tác.")
    errors: list[str] = []
    qs, filters = entries_for(request.user, request, errors)
    if request.GET.get("xuat") == "xlsx":
        return _export(qs)
    page = Paginator(qs, ENTRIES_PER_PAGE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    query.pop("xuat", None)
    people = sorted(managed_users(request.user)[:2000], key=lambda u: person_name(u))
    ctx = {
        "roots": roots,
        "page": page,
        "rows": [_row(e) for e in page.object_list],
        "errors": errors,
        "people": people,
        "actions": sorted(ACTION_LABELS.items(), key=lambda kv: kv[1]),
        "query": query.urlencode(),
        **filters,
    }
    return render(request, "audit/index.html", ctx)


def _export(qs) -> HttpResponse:
    """The filtered entries as an Excel sheet (newest first, at most EXPORT_MAX)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nhật ký thao tác")
    ws.append(
        ["Thời điểm", "Người thực hiện", "Tên đăng nhập", "Thao tác", "Đối tượng", "Đơn vị", "Nội dung"]
    )
    for e in qs[:EXPORT_MAX].iterator(chunk_size=2000):
        r = _row(e)
        ws.append(
            [format_datetime(r["at"]), r["who"], r["login"], r["action"], r["object"], r["unit"], r["change"]]
        )
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-thao-tac.xlsx"'
    return response
