from django.db import connection
from django.http import HttpResponse

from nghiquyet.core import dashboard
from nghiquyet.core.periods import PeriodKind, current_period
from nghiquyet.core.viewutils import dashboard_periods, period_param


def dashboard_context(request, unit, today):
    """The dashboard's data for ``unit`` (already accessed); the home app adds what needs the user."""
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
    return context


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
