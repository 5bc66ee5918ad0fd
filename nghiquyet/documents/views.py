from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from nghiquyet.accounts.access import access_unit, has_role, home_unit
from nghiquyet.core.text import normalize_name
from nghiquyet.core.viewutils import default_document_period, document_periods, int_param, period_param
from nghiquyet.meetings.access import visible_meetings
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets import charts
from nghiquyet.targets.actions import do_create_target
from nghiquyet.targets.cache import cached_rollup
from nghiquyet.targets.rollup import Outcome
from nghiquyet.targets.target_form import TargetForm
from nghiquyet.tasks.access import visible_tasks

from .access import (
    access_admin_unit,
    access_document,
    access_document_for_edit,
    access_linkable_documents,
    can_edit_document,
    is_admin_somewhere,
    visible_documents,
)
from .actions import do_create_document, do_record_reference_document, do_update_document
from .forms import DocumentForm, admin_units, central_units
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
    context = {
        "page": page,
        "q": q,
        "kind": kind,
        "kinds": DOCUMENT_KINDS,
        "can_create": is_admin_somewhere(request.user),
    }
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
        "can_edit": can_edit_document(user, doc),
    }
    template = "documents/partials/results.html" if request.htmx else "documents/detail.html"
    return render(request, template, context)


def _unit_of(units, pk):
    return next((u for u in units if u.pk == pk), None)


@login_required
def create(request):
    """Add a document issued by a unit the user administers, or record a
    central one every province shares (matched by its sign)."""
    user = request.user
    units = admin_units(user)
    if not units:
        raise PermissionDenied("Đồng chí không có quyền thêm văn bản.")
    form = DocumentForm(request.POST or None, user=user, units=units)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            unit = _unit_of(units, data["issuing_unit"]) or _unit_of(central_units(), data["issuing_unit"])
            fields = {
                k: data[k]
                for k in (
                    "kind",
                    "sign",
                    "title",
                    "issuer_name",
                    "issued",
                    "term_start",
                    "term_end",
                    "summary",
                )
            }
            try:
                if unit is None:
                    raise ValidationError("Cơ quan ban hành không hợp lệ.")
                if unit.kind == UnitKind.CENTRAL:
                    doc, created = do_record_reference_document(issuing_unit=unit, acting_user=user, **fields)
                    if created:
                        messages.success(request, f"Đã ghi nhận {doc} (văn bản dùng chung).")
                    else:
                        messages.info(request, f"{doc} đã có trong hệ thống, không tạo trùng.")
                    messages.info(
                        request, "Chọn văn bản này ở mục “Thực hiện văn bản” khi thêm văn bản của đơn vị."
                    )
                    return redirect("documents:create")
                implements = access_linkable_documents(user, data["implements"])
                doc = do_create_document(issuing_unit=unit, implements=implements, acting_user=user, **fields)
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, f"Đã thêm {doc}. Tiếp theo: thêm các chỉ tiêu của văn bản.")
                return redirect("documents:add_target", doc.pk)
        status = 400
    else:
        status = 200
    return render(request, "documents/form.html", {"form": form, "doc": None}, status=status)


@login_required
def edit(request, pk):
    """Change a document the user may edit; the form carries the version it showed."""
    user = request.user
    doc = access_document_for_edit(user, pk)
    units = admin_units(user)
    if doc.issuing_unit and doc.issuing_unit not in units:
        units = [doc.issuing_unit, *units]
    initial = {
        **{
            f: getattr(doc, f)
            for f in (
                "kind",
                "sign",
                "title",
                "issuer_name",
                "issued",
                "term_start",
                "term_end",
                "valid_to",
                "summary",
                "version",
            )
        },
        "issuing_unit": doc.issuing_unit_id,
        "implements": list(doc.implements.values_list("pk", flat=True)),
    }
    form = DocumentForm(request.POST or None, user=user, units=units, document=doc, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changes = {
                k: data[k]
                for k in (
                    "kind",
                    "sign",
                    "title",
                    "issuer_name",
                    "issued",
                    "term_start",
                    "term_end",
                    "valid_to",
                    "summary",
                )
            }
            changes["issuing_unit"] = _unit_of(units, data["issuing_unit"])
            if data["sign"] != doc.sign:
                changes["number"] = ""
            try:
                if changes["issuing_unit"] is None:
                    raise ValidationError("Cơ quan ban hành không hợp lệ.")
                if changes["issuing_unit"] != doc.issuing_unit:
                    access_admin_unit(user, changes["issuing_unit"].pk)
                implements = access_linkable_documents(user, data["implements"])
                do_update_document(
                    doc,
                    acting_user=user,
                    expected_version=data["version"],
                    changes=changes,
                    implements=implements,
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, "Đã lưu văn bản.")
                return redirect("documents:detail", doc.pk)
        status = 400
    else:
        status = 200
    return render(request, "documents/form.html", {"form": form, "doc": doc}, status=status)


@login_required
def add_target(request, pk):
    """Add a target to a document the user may edit."""
    user = request.user
    doc = access_document_for_edit(user, pk)
    form = TargetForm(request.POST or None, document=doc)
    if request.method == "POST":
        if form.is_valid():
            try:
                target = do_create_target(
                    doc, acting_user=user, milestones=form.milestones(), **form.fields_for_action()
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, f"Đã thêm chỉ tiêu {target}.")
                if "them_tiep" in request.POST:
                    return redirect("documents:add_target", doc.pk)
                return redirect("documents:detail", doc.pk)
        status = 400
    else:
        status = 200
    return render(request, "targets/form.html", {"form": form, "doc": doc, "target": None}, status=status)
