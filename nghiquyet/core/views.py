from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nghiquyet.accounts.access import access_unit, home_unit
from nghiquyet.core import dashboard
from nghiquyet.core.periods import PeriodKind, current_period
from nghiquyet.core.viewutils import dashboard_periods, int_param, period_param


@login_required
def home(request):
    today = timezone.localdate()
    unit_id = int_param(request, "don_vi")
    unit = access_unit(request.user, unit_id) if unit_id else home_unit(request.user)
    if unit is None:
        return render(request, "core/home.html", {"unit": None})
    periods = dashboard_periods(today)
    period = period_param(request, periods[0])
    # Reports fall due once a quarter is over: the last ended quarter is the one chased.
    open_period = current_period(PeriodKind.QUARTER, today)
    report_period = open_period.previous()
    docs = dashboard.documents_in_force(request.user, unit, today)
    missing = dashboard.units_not_reported(docs, unit, report_period, today)
    context = {
        "unit": unit,
        "today": today,
        "period": period,
        "periods": periods,
        "report_period": report_period,
        "open_period": open_period,
        "summaries": dashboard.document_summaries(docs, unit, period, request),
        "missing": missing[:30],
        "missing_count": len(missing),
        "overdue": dashboard.overdue_tasks(request.user, unit, today),
        "upcoming": dashboard.next_deadlines(request.user, unit, today),
        "outcome_legend": dashboard.OutcomeBar({}).segments(),
    }
    template = "core/partials/dashboard.html" if request.htmx else "core/home.html"
    return render(request, template, context)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
