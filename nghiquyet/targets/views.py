from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nghiquyet.accounts.access import access_unit, home_unit
from nghiquyet.core.dashboard import in_force
from nghiquyet.core.periods import Period, PeriodError, PeriodKind, parse_period_key
from nghiquyet.core.viewutils import default_document_period, int_param, period_param, reporting_periods
from nghiquyet.documents.models import Document
from nghiquyet.orgs.models import OrgUnit

from . import charts
from .access import access_reporting_unit, access_target, reporting_units
from .actions import clean_value
from .cache import cached_rollup
from .forms import ReportForm, far_from_last
from .models import Assignment, Result, Target

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
    }


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
        status = 409 if any(r.conflict for r in form.rows) else 200
        template = "targets/partials/report_form.html" if request.htmx else "targets/report.html"
        ctx = _report_context(request, unit, period, periods, form, units)
        response = render(request, template, ctx, status=status)
        if request.htmx and status == 409:
            response.status_code = 200  # htmx swaps only 2xx; the conflict is in the page
        return response
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
    error = warning = ""
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
    return render(
        request, "targets/partials/cell_msg.html", {"error": error, "warning": warning, "target": target}
    )


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
    r = cached_rollup(doc, scope, period, targets=[target], request=request).targets[0]
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
        (p, cached_rollup(doc, scope, p, targets=[target], request=request).targets[0]) for p in series
    ]
    context = {
        "target": target,
        "doc": doc,
        "scope": scope,
        "period": period,
        "total": r,
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
            [p.label for p, _ in by_period], [tr.value for _, tr in by_period], r.goal, target.measure
        ),
        "period_chart_id": f"chart-t{target.pk}-period",
        "unit_chart_id": f"chart-t{target.pk}-unit",
    }
    template = "targets/partials/detail.html" if request.htmx else "targets/detail.html"
    return render(request, template, context)
