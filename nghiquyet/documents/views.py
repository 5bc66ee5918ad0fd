from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from nghiquyet.accounts.access import access_unit, has_role, home_unit
from nghiquyet.core.text import normalize_name
from nghiquyet.core.viewutils import default_document_period, document_periods, int_param, period_param
from nghiquyet.meetings.access import visible_meetings
from nghiquyet.orgs.models import OrgUnit
from nghiquyet.targets import charts
from nghiquyet.targets.cache import cached_rollup
from nghiquyet.targets.rollup import Outcome
from nghiquyet.tasks.access import visible_tasks

from .access import access_document, visible_documents
from .signs import DOCUMENT_KINDS

PAGE_SIZE = 50


@login_required
def index(request):
    qs = visible_documents(request.user).select_related("issuing_unit")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("loai", "")
    if q:
        qs = qs.filter(Q(title_key__contains=normalize_name(q)) | Q(sign__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-issued", "-id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {"page": page, "q": q, "kind": kind, "kinds": DOCUMENT_KINDS}
    template = "documents/partials/list.html" if request.htmx else "documents/index.html"
    return render(request, template, context)


def _scope(request):
    unit_id = int_param(request, "don_vi")
    return access_unit(request.user, unit_id) if unit_id else home_unit(request.user)


@login_required
def detail(request, pk):
    user = request.user
    doc = access_document(user, pk)
    today = timezone.localdate()
    scope = _scope(request)
    periods = document_periods(doc, today)
    period = period_param(request, default_document_period(doc, today))
    if period not in periods:
        periods.insert(0, period)
    targets = list(doc.targets.prefetch_related("milestones").order_by("order", "id"))
    r = cached_rollup(doc, scope, period, targets=targets, request=request) if targets and scope else None

    # By unit: each reporting unit's outcomes over the document's targets.
    by_unit = []
    if r is not None:
        per_unit: dict[int, Counter] = {}
        for tr in r.targets:
            for uid, uv in tr.units.items():
                if uid == scope.pk:
                    continue
                per_unit.setdefault(uid, Counter())[uv.outcome] += 1
                per_unit[uid]["reported"] += 1 if uv.cells else 0
        units = OrgUnit.objects.in_bulk(list(per_unit))
        for uid, c in per_unit.items():
            by_unit.append((units[uid], c))
        by_unit.sort(key=lambda row: row[0].sort_key)
    parent = scope.parent if scope and scope.parent_id and has_role(user, scope.parent, "viewer") else None
    context = {
        "doc": doc,
        "scope": scope,
        "scope_parent": parent,
        "period": period,
        "periods": periods,
        "rollup": r,
        "groups": r.by_group() if r else [],
        "by_unit": by_unit[:300],
        "by_unit_total": len(by_unit),
        "outcomes": [(k, Outcome.LABELS[k]) for k in charts.ORDER],
        "chart": charts.outcomes_by_group(r) if r else None,
        "implements": visible_documents(user).filter(implemented_by=doc).select_related("issuing_unit"),
        "implemented_by": visible_documents(user).filter(implements=doc).select_related("issuing_unit"),
        "tasks": visible_tasks(user).filter(source_document=doc).select_related("lead_unit")[:100],
        "meetings": visible_meetings(user).filter(documents=doc).select_related("organiser"),
        "today": today,
    }
    template = "documents/partials/results.html" if request.htmx else "documents/detail.html"
    return render(request, template, context)
