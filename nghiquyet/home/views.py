from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from nghiquyet.accounts.access import access_unit, home_unit
from nghiquyet.core.views import dashboard_context
from nghiquyet.core.viewutils import int_param

from .needs import needs_for


@login_required
def home(request):
    """The person's home page: what needs them first (counts and links to
    the work), then the unit's dashboard; an empty unit gets the first steps."""
    today = timezone.localdate()
    unit_id = int_param(request, "don_vi")
    unit = access_unit(request.user, unit_id) if unit_id else home_unit(request.user)
    if unit is None:
        return render(request, "core/home.html", {"unit": None})
    context = dashboard_context(request, unit, today)
    if request.htmx:  # the period filter refreshes the dashboard alone
        return render(request, "core/partials/dashboard.html", context)
    context["needs"] = needs_for(request.user, unit, today)
    return render(request, "home/home.html", context)
