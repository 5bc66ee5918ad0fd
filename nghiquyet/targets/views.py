from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from nghiquyet.accounts.access import access_unit, has_role, home_unit
from nghiquyet.accounts.models import Role
from nghiquyet.core.dashboard import in_force
from nghiquyet.core.numbers import NumberError, format_number, parse_quantity
from nghiquyet.core.periods import Period, PeriodError, PeriodKind, current_period, parse_period_key
from nghiquyet.core.viewutils import default_document_period, int_param, period_param, reporting_periods
from nghiquyet.documents.models import Document
from nghiquyet.orgs.models import OrgUnit, subtree_q

from . import charts
from .access import (
    access_approval_unit,
    access_reporting_unit,
    access_result,
    access_target,
    approval_roots,
    reporting_units,
)
from .actions import clean_value, do_apportion_goals, do_approve_results, do_return_result
from .approval import approval_context, flagged_ids
from .cache import cached_rollup
from .forms import ReportForm, far_from_last
from .goals import goals_by_year
from .locks import entry_windows, vn_today
from .models import COUNTED_STATUSES, ApportionRule, Assignment, AssignmentGoal, Result, ResultStatus, Target
from .rollup import add_parent_share

KIND_ORDER = [PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.HALF, PeriodKind.YEAR]


def _report_targets(unit: OrgUnit, period: Period, today) -> list[Target]:
    docs = in_force(Document.objects.all(), today).values("pk")
    return list(
        Target.objects.filter(assignments__unit=unit, report_every=period.kind, document__in=docs)
        .select_related("document")
        .order_by("-document__issued", "document_id", "order", "id")
    )


def _periods_for(unit: OrgUnit, today) -> list[Period]:
    kinds = set(
        Assignment.objects.filter(unit=unit).values_list("target__report_every", flat=True).distinct()
    )
    out: list[Period] = []
    for kind in KIND_ORDER:
        if kind.value in kinds:
            out.extend(reporting_periods(kind, today))
    return out


def _report_context(request, unit, period, periods, form, units):
    return {
        "unit": unit,
        "period": period,
        "periods": periods,
        "form": form,
        "units": units,
        "query": f"?don_vi={unit.pk}&ky={period.key()}",
        # Figures sent before the period ends are estimates (targets.actions.CellWrite).
        "estimating": period.end >= timezone.localdate(),
        "locks": _lock_reasons(unit, period),
    }


def _lock_reasons(unit, period) -> list[str]:
    """Why the unit may not write for ``period`` now (deadline, round): said
    before anyone types (issue 13); the writer refuses with the same words."""
    docs = set(Assignment.objects.filter(unit=unit).values_list("target__document_id", flat=True))
    today = vn_today()
    reasons: list[str] = []
    for w in entry_windows([(d, unit) for d in docs], period, today).values():
        reason = w.lock_reason(unit, period, today)
        if reason and reason not in reasons:
            reasons.append(reason)
    return reasons


@login_required
def report(request):
    """A reporter's form: targets assigned to the unit for one period, draft then submit."""
    today = timezone.localdate()
    units = list(reporting_units(request.user)[:500])
    unit_id = int_param(request, "don_vi")
    if unit_id is None:
        if not units:
            return render(request, "targets/report.html", {"unit": None})
        unit_id = units[0].pk
    unit = access_reporting_unit(request.user, unit_id)
    periods = _periods_for(unit, today)
    if not periods:
        return render(
            request, "targets/report.html", {"unit": unit, "units": units, "periods": [], "form": None}
        )
    period = period_param(request, periods[0])
    if period not in periods:
        raise Http404("Kỳ báo cáo không hợp lệ.")
    targets = _report_targets(unit, period, today)
    if request.method == "POST":
        form = ReportForm(unit, period, targets, data=request.POST)
        submit = "gui" in request.POST
        saved = form.save(
            acting_user=request.user, submit=submit, confirmed=bool(request.POST.get("xac_nhan"))
        )
        if saved is not None:
            written, empty = saved
            if submit:
                text = f"Đã gửi {written} số liệu {period.label}."
                if empty:
                    text += f" {empty} chỉ tiêu chưa có số liệu nên chưa gửi."
            else:
                text = f"Đã lưu nháp {written} số liệu." if written else "Không có thay đổi nào để lưu."
            messages.success(request, text)
            url = reverse("targets:report") + f"?don_vi={unit.pk}&ky={period.key()}"
            if request.htmx:
                form = ReportForm(unit, period, targets)
                response = render(
                    request,
                    "targets/partials/report_form.html",
                    _report_context(request, unit, period, periods, form, units),
                )
                response["HX-Push-Url"] = url
                return response
            return redirect(url)
        # Lost a race: 409, the form showing the current values (static/js/app.js
        # lets htmx swap a 409 in).
        status = 409 if form.stale else 200
        template = "targets/partials/report_form.html" if request.htmx else "targets/report.html"
        ctx = _report_context(request, unit, period, periods, form, units)
        return render(request, template, ctx, status=status)
    form = ReportForm(unit, period, targets)
    template = "targets/partials/report_form.html" if request.htmx else "targets/report.html"
    return render(request, template, _report_context(request, unit, period, periods, form, units))


@login_required
@require_POST
def check_value(request):
    """One cell checked as it is typed: the Vietnamese error or the warning."""
    unit = access_reporting_unit(request.user, int_param(request, "don_vi"))
    target_id = int_param(request, "chi_tieu")
    try:
        period = parse_period_key(request.POST.get("ky", ""))
    except (PeriodError, ValueError):
        raise Http404("Kỳ báo cáo không hợp lệ.") from None
    try:
        target = Target.objects.get(pk=target_id, assignments__unit=unit)
    except Target.DoesNotExist:
        raise Http404("Không tìm thấy chỉ tiêu.") from None
    raw = request.POST.get(f"gia_tri_{target.pk}", "")
    error = warning = converted = ""
    try:
        value = clean_value(target, raw)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        prev = (
            Result.objects.filter(target=target, unit=unit, period_key=period.previous().key())
            .values_list("value", flat=True)
            .first()
        )
        warning = far_from_last(value, prev)
        converted = _converted_note(target, raw, value)
    return render(
        request,
        "targets/partials/cell_msg.html",
        {"error": error, "warning": warning, "target": target, "converted": converted},
    )


def _converted_note(target: Target, raw: str, value) -> str:
    """ "= 0,00425 tỷ đồng" when the unit typed was converted, so the
    reporter sees the figure that will be stored."""
    try:
        typed = parse_quantity(raw)[1]
    except NumberError:
        return ""
    if not typed or value is None or not target.measure:
        return ""
    return f"= {format_number(value)} {target.measure}"


@login_required
def detail(request, pk):
    """One target over a unit's subtree: by unit (table and chart) and by period."""
    target = access_target(request.user, pk)
    target = Target.objects.prefetch_related("milestones").select_related("document").get(pk=target.pk)
    doc = target.document
    today = timezone.localdate()
    unit_id = int_param(request, "don_vi")
    scope = access_unit(request.user, unit_id) if unit_id else home_unit(request.user)
    if scope is None:
        raise Http404("Không tìm thấy đơn vị.")
    period = period_param(request, default_document_period(doc, today))
    # "?don_vi_thoi_ky=1": the units as they were in the period (before a
    # merger), else today's units with their predecessors' figures.
    units_of_time = request.GET.get("don_vi_thoi_ky") == "1"
    as_of_today = not units_of_time
    r = add_parent_share(
        cached_rollup(doc, scope, period, targets=[target], request=request, as_of_today=as_of_today).targets[
            0
        ],
        doc,
        scope,
        period,
        user=request.user,
        as_of_today=as_of_today,
    )
    units = OrgUnit.objects.in_bulk([u for u in r.units if u != scope.pk])
    by_unit = sorted(
        ((units[uid], uv) for uid, uv in r.units.items() if uid in units), key=lambda row: row[0].sort_key
    )[:300]

    # By period: each sub-period's own roll-up (years over a term, else the
    # target's reporting periods that have begun).
    if period.kind in (PeriodKind.TERM, PeriodKind.MID_TERM) or target.report_every == PeriodKind.YEAR:
        first = doc.term_start or period.start.year
        last = min(doc.term_end or period.end.year, today.year)
        if period.kind in (PeriodKind.TERM, PeriodKind.MID_TERM):
            first, last = period.start.year, min(period.end.year, today.year)
        series = [Period.year(y) for y in range(first, last + 1)]
    else:
        try:
            series = [p for p in period.subperiods(target.report_every) if p.start <= today]
        except PeriodError:
            series = [period]
    by_period = [
        (
            p,
            cached_rollup(doc, scope, p, targets=[target], request=request, as_of_today=as_of_today).targets[
                0
            ],
        )
        for p in series
    ]
    context = {
        "target": target,
        "doc": doc,
        "scope": scope,
        "period": period,
        "total": r,
        "units_of_time": units_of_time,
        "by_unit": by_unit,
        "by_period": by_period,
        "unit_chart": charts.values_by_unit(
            [u.short_name or u.name for u, _ in by_unit],
            [uv.value for _, uv in by_unit],
            r.goal,
            target.measure,
        )
        if by_unit
        else None,
        "period_chart": charts.values_by_period(
            [p.label + (" (tạm tính)" if tr.provisional else "") for p, tr in by_period],
            [tr.value for _, tr in by_period],
            r.goal,
            target.measure,
            [tr.provisional for _, tr in by_period],
        ),
        # Goals of the units below are set by an administrator of this unit.
        "can_set_goals": has_role(request.user, scope, Role.ADMIN),
        "goals_by_year": goals_by_year(target, scope),
        "goal_history": AssignmentGoal.objects.filter(assignment__target=target, assignment__unit=scope)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")[:50],
        "apportion_rules": ApportionRule.choices,
        "period_chart_id": f"chart-t{target.pk}-period",
        "unit_chart_id": f"chart-t{target.pk}-unit",
    }
    template = "targets/partials/detail.html" if request.htmx else "targets/detail.html"
    return render(request, template, context)


def _goals_scope(request, target) -> OrgUnit:
    """The unit whose units' goals are set: an administrator's only (404
    outside what they see, PermissionDenied where they may only read)."""
    unit_id = int_param(request, "don_vi")
    scope = access_unit(request.user, unit_id) if unit_id else home_unit(request.user)
    if scope is None:
        raise Http404("Không tìm thấy đơn vị.")
    if not has_role(request.user, scope, Role.ADMIN):
        raise PermissionDenied(
            "Chỉ quản trị viên của đơn vị mới được giao mục tiêu cho các đơn vị trực thuộc."
        )
    return scope


@login_required
def goals_template(request, pk):
    """The Excel template of the units' goals under a unit, pre-filled."""
    from nghiquyet.reports.goalsheet import build_goals_template

    target = access_target(request.user, pk)
    scope = _goals_scope(request, target)
    response = HttpResponse(
        build_goals_template(target, scope),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="muc-tieu-chi-tieu-{target.pk}-don-vi-{scope.pk}.xlsx"'
    )
    return response


@login_required
@require_POST
def goals_import(request, pk):
    """A filled goals template uploaded from the target's page: all or
    nothing; the summary or every row's error, then back to the page."""
    from nghiquyet.reports.goalsheet import do_import_goals
    from nghiquyet.reports.importing import CellError, ImportRejected

    target = access_target(request.user, pk)
    scope = _goals_scope(request, target)
    back = f"{reverse('targets:detail', args=[target.pk])}?don_vi={scope.pk}"
    if ky := request.GET.get("ky"):
        back += "&" + urlencode({"ky": ky})
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Chưa chọn tệp Excel để tải lên.")
        return redirect(back)
    try:
        with transaction.atomic():
            summary = do_import_goals(upload, acting_user=request.user)
            if summary.target.pk != target.pk or summary.unit.pk != scope.pk:
                raise ImportRejected(
                    [
                        CellError(
                            "",
                            None,
                            None,
                            f"Tệp này là mẫu mục tiêu của chỉ tiêu {summary.target.code} – {summary.unit.name}, không phải của trang này.",
                        )
                    ]
                )
    except ImportRejected as exc:
        for e in exc.errors[:50]:
            messages.error(request, str(e))
        return redirect(back)
    messages.success(request, summary.message)
    return redirect(back)


@login_required
@require_POST
def goals_apportion(request, pk):
    """Apportion the unit's goals of a target to its units directly below
    (those already assigned, else every current one) by the rule picked."""
    target = access_target(request.user, pk)
    scope = _goals_scope(request, target)
    target = Target.objects.select_related("document").prefetch_related("milestones").get(pk=target.pk)
    back = f"{reverse('targets:detail', args=[target.pk])}?don_vi={scope.pk}"
    below = OrgUnit.objects.filter(parent=scope, valid_to__isnull=True).vn_ordered()
    assigned = list(below.filter(assignments__target=target))
    units = assigned or list(below)
    try:
        changed = do_apportion_goals(
            target, scope, units, request.POST.get("rule", ""), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request,
        f"Đã phân bổ mục tiêu cho {len(units)} đơn vị trực thuộc {scope.name} "
        f"({len(changed)} đơn vị thay đổi mục tiêu).",
    )
    return redirect(back)


# -- sign-off: an approver checks the figures units below them submitted ------

UNITS_PER_PAGE = 20


def _approval_periods(unit: OrgUnit, today) -> list[Period]:
    kinds = set(
        Assignment.objects.filter(subtree_q(unit, "unit__path"))
        .values_list("target__report_every", flat=True)
        .distinct()
    )
    out: list[Period] = []
    for kind in KIND_ORDER:
        if kind.value in kinds:
            out.extend(reporting_periods(kind, today))
    return out


def _approval_rows(units, period: Period, statuses) -> dict[int, list[Result]]:
    rows: dict[int, list[Result]] = {u.pk: [] for u in units}
    qs = (
        Result.objects.filter(unit__in=list(rows), period_key=period.key(), status__in=statuses)
        .select_related("target__document", "reported_by", "approved_by")
        .order_by("-target__document__issued", "target__document_id", "target__order", "target_id")
    )
    for r in qs:
        rows[r.unit_id].append(r)
    return rows


def _group(unit: OrgUnit, rows: list[Result], context: dict) -> dict:
    """A unit's rows, each with its context (``r.ctx``); flagged figures are
    left out of "approve all" and approved one by one (targets.approval)."""
    for r in rows:
        r.ctx = context[r.pk]
    pending = [r for r in rows if r.status == ResultStatus.SUBMITTED]
    bulk = [r for r in pending if not r.ctx.flagged]
    return {"unit": unit, "rows": rows, "pending": pending, "bulk": bulk, "flagged": len(pending) - len(bulk)}


def _render_group(request, unit: OrgUnit, period: Period, *, note: str = "", error: str = ""):
    """One unit's figures for the period after an action (htmx swap)."""
    rows = _approval_rows([unit], period, COUNTED_STATUSES)[unit.pk]
    ctx = {"g": _group(unit, rows, approval_context(rows)), "period": period, "note": note, "error": error}
    return render(request, "targets/partials/approve_unit.html", ctx)


def _after_action(request, unit: OrgUnit, period: Period, *, note: str = "", error: str = ""):
    if request.htmx:
        return _render_group(request, unit, period, note=note, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, note)
    back = request.POST.get("tiep") or ""
    if not back.startswith(reverse("targets:approve")):
        back = reverse("targets:approve") + f"?ky={period.key()}"
    return redirect(back)


@login_required
def approve(request):
    """An approver's page: the figures submitted in their subtree for one
    period, grouped by unit, to approve (per row or per unit) or return."""
    roots = approval_roots(request.user)
    if not roots:
        raise PermissionDenied("Đồng chí không có quyền duyệt số liệu.")
    unit_id = int_param(request, "don_vi")
    scope = access_approval_unit(request.user, unit_id) if unit_id else roots[0]
    today = timezone.localdate()
    periods = _approval_periods(scope, today)
    period = period_param(request, periods[0] if periods else current_period(PeriodKind.QUARTER, today))
    show_all = request.GET.get("tat_ca") == "1"
    statuses = COUNTED_STATUSES if show_all else (ResultStatus.SUBMITTED,)
    with_rows = Result.objects.filter(
        subtree_q(scope, "unit__path"),
        period_key=period.key(),
        status__in=statuses,
    ).values("unit_id")
    units = OrgUnit.objects.filter(pk__in=with_rows).vn_ordered()
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("trang"))
    rows = _approval_rows(page.object_list, period, statuses)
    context_by_id = approval_context([r for unit_rows in rows.values() for r in unit_rows])
    pending = Result.objects.filter(
        subtree_q(scope, "unit__path"),
        period_key=period.key(),
        status=ResultStatus.SUBMITTED,
    ).count()
    query = f"?don_vi={scope.pk}&ky={period.key()}" + ("&tat_ca=1" if show_all else "")
    context = {
        "roots": roots,
        "scope": scope,
        "periods": periods,
        "period": period,
        "show_all": show_all,
        "groups": [_group(u, rows[u.pk], context_by_id) for u in page.object_list],
        "page": page,
        "pending": pending,
        "query": query,
        "here": reverse("targets:approve") + query + (f"&trang={page.number}" if page.number > 1 else ""),
    }
    return render(request, "targets/approve.html", context)


def _versions(request) -> dict[int, int]:
    """``kq_<result id>=<version shown>`` pairs posted by the page."""
    out = {}
    for key, raw in request.POST.items():
        if key.startswith("kq_"):
            try:
                out[int(key[3:])] = int(raw)
            except ValueError:
                continue
    return out


@login_required
@require_POST
def approve_unit(request, unit_id):
    """Approve the submitted figures of one unit that the page showed."""
    unit = access_approval_unit(request.user, unit_id)
    try:
        period = parse_period_key(request.POST.get("ky", ""))
    except (PeriodError, ValueError):
        raise Http404("Kỳ báo cáo không hợp lệ.") from None
    versions = _versions(request)
    results = list(Result.objects.filter(pk__in=list(versions), unit=unit, period_key=period.key()))
    # Figures with a warning are never approved in bulk: one by one, after reading it.
    flagged = flagged_ids(results)
    results = [r for r in results if r.pk not in flagged]
    left = (
        f" {len(flagged)} số liệu có cảnh báo chưa được duyệt: đề nghị xem và duyệt từng số liệu."
        if flagged
        else ""
    )
    if not results:
        return _after_action(request, unit, period, error="Không có số liệu nào để duyệt." + left)
    try:
        done = do_approve_results(results, acting_user=request.user, expected_versions=versions)
    except ValidationError as exc:
        return _after_action(request, unit, period, error=" ".join(exc.messages))
    return _after_action(request, unit, period, note=f"Đã duyệt {len(done)} số liệu của {unit.name}." + left)


@login_required
@require_POST
def approve_result(request, pk):
    """Approve one submitted figure."""
    result = access_result(request.user, pk, Role.APPROVER)
    version = int_param(request, "phien_ban")
    if not request.POST.get("xac_nhan") and flagged_ids([result]):
        return _after_action(
            request,
            result.unit,
            result.period,
            error=f"Số liệu “{result.target.name}” có cảnh báo: đề nghị xem cảnh báo, "
            "đánh dấu “Đã xem cảnh báo” rồi duyệt.",
        )
    try:
        do_approve_results(
            [result],
            acting_user=request.user,
            expected_versions={result.pk: version} if version is not None else None,
        )
    except ValidationError as exc:
        return _after_action(request, result.unit, result.period, error=" ".join(exc.messages))
    return _after_action(request, result.unit, result.period, note=f"Đã duyệt “{result.target.name}”.")


@login_required
@require_POST
def return_result(request, pk):
    """Send one figure back to its unit, with the reason the reporter will read."""
    result = access_result(request.user, pk, Role.APPROVER)
    try:
        do_return_result(
            result,
            reason=request.POST.get("ly_do", ""),
            acting_user=request.user,
            expected_version=int_param(request, "phien_ban"),
        )
    except ValidationError as exc:
        return _after_action(request, result.unit, result.period, error=" ".join(exc.messages))
    return _after_action(
        request, result.unit, result.period, note=f"Đã trả lại “{result.target.name}” cho {result.unit.name}."
    )
