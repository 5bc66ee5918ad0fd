from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from nghiquyet.accounts.access import access_unit, has_role, scope_paths, visible_units
from nghiquyet.accounts.models import Role
from nghiquyet.core.text import fold
from nghiquyet.core.viewutils import dashboard_periods, int_param, period_param
from nghiquyet.documents.access import visible_documents
from nghiquyet.targets import charts
from nghiquyet.targets.cache import cached_rollup
from nghiquyet.targets.models import Assignment, Direction, Target

from .models import OrgUnit, UnitLink, subtree_q

SEARCH_LIMIT = 100
CHILDREN_LIMIT = 300


def search_units(user, q: str):
    """Visible units whose folded names contain every folded word of ``q``:
    "duc tho" finds "Đức Thọ", "Tỉnh uỷ" finds "Tỉnh ủy". Filtered in the database."""
    qs = visible_units(user)
    for word in fold(q).split():
        qs = qs.filter(fold_key__contains=word)
    return qs.select_related("parent").order_by("valid_to", "depth", "sort_key", "pk")


@login_required
def index(request):
    q = request.GET.get("q", "").strip()
    if q:
        results = list(search_units(request.user, q)[: SEARCH_LIMIT + 1])
        context = {"q": q, "results": results[:SEARCH_LIMIT], "more": len(results) > SEARCH_LIMIT}
        template = "orgs/partials/search.html" if request.htmx else "orgs/index.html"
        return render(request, template, context)
    paths = scope_paths(request.user)
    if paths == [""]:
        roots = OrgUnit.objects.filter(parent__isnull=True)
    else:
        roots = OrgUnit.objects.filter(path__in=paths)
    roots = list(roots.current().vn_ordered())
    children = defaultdict(list)
    for c in OrgUnit.objects.filter(parent__in=roots).current().vn_ordered()[:CHILDREN_LIMIT]:
        children[c.parent_id].append(c)
    tree = [(r, children.get(r.pk, [])) for r in roots]
    template = "orgs/partials/search.html" if request.htmx else "orgs/index.html"
    return render(request, template, {"q": "", "tree": tree})


@login_required
def children(request, pk):
    """The current units directly under one unit (htmx: expands a tree node)."""
    unit = access_unit(request.user, pk)
    kids = list(unit.children.current().vn_ordered()[:CHILDREN_LIMIT])
    return render(request, "orgs/partials/children.html", {"unit": unit, "kids": kids})


def _history(unit: OrgUnit):
    """The unit's lineage events: what it was formed from, what it became."""
    links = (
        UnitLink.objects.filter(Q(successor=unit) | Q(predecessor=unit))
        .select_related("event", "predecessor", "successor")
        .order_by("event__effective", "event_id", "id")
    )
    events: dict[int, dict] = {}
    for link in links:
        e = events.setdefault(link.event_id, {"event": link.event, "from": [], "into": []})
        if link.successor_id == unit.pk and link.predecessor_id != unit.pk:
            e["from"].append(link.predecessor)
        if link.predecessor_id == unit.pk and link.successor_id != unit.pk:
            e["into"].append(link.successor)
    return list(events.values())


def _rank(direction: str, mine: Decimal | None, others: list[Decimal]) -> int | None:
    if mine is None:
        return None
    if direction == Direction.LOWER:
        return 1 + sum(1 for v in others if v < mine)
    return 1 + sum(1 for v in others if v > mine)


@login_required
def detail(request, pk):
    user = request.user
    unit = access_unit(user, pk)
    today = timezone.localdate()
    ancestors = [a for a in unit.ancestors() if has_role(user, a, Role.VIEWER)]
    kids = list(unit.children.current().vn_ordered()[:CHILDREN_LIMIT])

    # Figures beside the siblings': one document, one period.
    base = unit.parent if unit.parent_id else unit
    assigned_docs = Assignment.objects.filter(subtree_q(unit, "unit__path")).values("target__document_id")
    docs = list(visible_documents(user).filter(pk__in=assigned_docs).order_by("-issued", "-id")[:50])
    doc_id = int_param(request, "van_ban")
    doc = next((d for d in docs if d.pk == doc_id), docs[0] if docs else None)
    periods = dashboard_periods(today)
    period = period_param(request, periods[0])
    rows, siblings, chart, chart_target = [], [], None, None
    if doc is not None:
        targets = list(
            Target.objects.filter(document=doc).prefetch_related("milestones").order_by("order", "id")
        )
        siblings = (
            [s for s in base.children.current().vn_ordered() if has_role(user, s, Role.VIEWER)]
            if unit.parent_id
            else [unit]
        )
        if unit not in siblings:
            siblings.insert(0, unit)
        r = cached_rollup(doc, base, period, targets=targets, request=request)
        own = None
        if any(unit.pk not in tr.units for tr in r.targets):
            own = cached_rollup(
                doc, unit, period, targets=targets, request=request
            )  # not assigned itself: its subtree's roll-up
        sib_ids = {s.pk for s in siblings if s.pk != unit.pk}
        selected = int_param(request, "chi_tieu")
        for i, tr in enumerate(r.targets):
            uv = tr.units.get(unit.pk)
            mine = uv.value if uv else own.targets[i].value if own else None
            outcome = uv.outcome if uv else own.targets[i].outcome if own else None
            others = [tr.units[s].value for s in sib_ids if s in tr.units and tr.units[s].value is not None]
            avg = sum(others, Decimal(0)) / len(others) if others else None
            rows.append(
                {
                    "target": tr.target,
                    "value": mine,
                    "outcome": outcome,
                    "average": avg,
                    "rank": _rank(tr.target.direction, mine, others),
                    "count": len(others) + (1 if mine is not None else 0),
                }
            )
            if chart_target is None and (selected is None or tr.target.pk == selected):
                chart_target = tr
        if chart_target is not None and len(siblings) > 1:
            names = [s.short_name or s.name for s in siblings]
            values = [
                chart_target.units[s.pk].value if s.pk in chart_target.units else None for s in siblings
            ]
            chart = charts.values_by_unit(names, values, chart_target.goal, chart_target.target.measure)
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "kids": kids,
        "history": _history(unit),
        "docs": docs,
        "doc": doc,
        "period": period,
        "periods": periods,
        "rows": rows,
        "siblings": siblings,
        "chart": chart,
        "chart_target": chart_target,
    }
    template = "orgs/partials/figures.html" if request.htmx else "orgs/detail.html"
    return render(request, template, context)
