from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from nghiquyet.accounts.access import home_unit


@login_required
def home(request):
    unit = home_unit(request.user)
    return render(request, "core/home.html", {"unit": unit})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
