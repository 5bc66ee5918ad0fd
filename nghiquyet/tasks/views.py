import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nghiquyet.accounts.access import access_unit, has_role, scope_paths, visible_units
from nghiquyet.accounts.models import Role
from nghiquyet.core.dates import DateError, parse_date
from nghiquyet.core.viewutils import int_param
from nghiquyet.orgs.models import subtree_q

from .access import access_task, access_task_for_edit, task_units, task_writer_unit, visible_tasks
from .actions import do_create_task, do_set_task_status, do_update_task
from .forms import CHOICES_MAX, TaskForm
from .models import OPEN_STATUSES, Task, TaskKind, TaskStatus

PAGE_SIZE = 50
OVERDUE = "qua_han"
STATUS_FILTERS = [*TaskStatus.choices, (OVERDUE, "Quá hạn")]


def _date(request, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except (DateError, ValueError):
        return None


def _editable(user, task: Task, paths: list[str]) -> bool:
    return any(task.lead_unit.path.startswith(p) for p in paths)


def _annotate(tasks, user, today):
    """Mark what the user may change, from the scope paths already read (no query per row)."""
    paths = scope_paths(user, Role.REPORTER)
    for t in tasks:
        t.can_edit = _editable(user, t, paths)
        t.overdue = t.is_overdue(today)
    return tasks


@login_required
def index(request):
    user = request.user
    today = timezone.localdate()
    qs = visible_tasks(user).select_related("lead_unit", "source_document", "source_conclusion__meeting")
    unit_id = int_param(request, "don_vi")
    unit = access_unit(user, unit_id) if unit_id else None
    if unit is not None:
        qs = qs.filter(subtree_q(unit, "lead_unit__path"))
    status = request.GET.get("trang_thai", "")
    if status == OVERDUE:
        qs = qs.overdue(today)
    elif status in TaskStatus.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("loai", "")
    if kind in TaskKind.values:
        qs = qs.filter(kind=kind)
    due_from, due_to = _date(request, "han_tu"), _date(request, "han_den")
    if due_from:
        qs = qs.filter(deadline__gte=due_from)
    if due_to:
        qs = qs.filter(deadline__lte=due_to)
    page = Paginator(qs.order_by("deadline", "id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    _annotate(page.object_list, user, today)
    params = request.GET.copy()
    params.pop("trang", None)
    context = {
        "page": page,
        "tasks": page.object_list,
        "units": visible_units(user)
        .filter(valid_to__isnull=True, led_tasks__isnull=False)
        .distinct()
        .vn_ordered(),
        "unit": unit,
        "status": status,
        "statuses": STATUS_FILTERS,
        "kind": kind,
        "kinds": TaskKind.choices,
        "due_from": due_from,
        "due_to": due_to,
        "query": params.urlencode(),
        "status_choices": TaskStatus.choices,
        "today": today,
        "can_create": bool(scope_paths(user, Role.ADMIN)),
    }
    template = "tasks/partials/list.html" if request.htmx else "tasks/index.html"
    return render(request, template, context)


@login_required
@require_POST
def set_status(request, pk):
    """Move a task's status (reporter role over its lead unit)."""
    task = access_task(request.user, pk, for_update=True)
    error = ""
    try:
        task = do_set_task_status(
            task,
            request.POST.get("trang_thai", ""),
            acting_user=request.user,
            note=request.POST.get("ghi_chu", ""),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        task = (
            visible_tasks(request.user)
            .select_related("lead_unit", "source_document", "source_conclusion__meeting")
            .get(pk=task.pk)
        )
        _annotate([task], request.user, timezone.localdate())
        return render(
            request,
            "tasks/partials/row.html",
            {"t": task, "status_choices": TaskStatus.choices, "error": error, "saved": not error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Đã cập nhật trạng thái: {task.get_status_display()}.")
    return redirect(request.POST.get("next") or "tasks:index")


@login_required
def detail(request, pk):
    task = access_task(request.user, pk)
    task = Task.objects.select_related("lead_unit", "source_document", "source_conclusion__meeting").get(
        pk=task.pk
    )
    _annotate([task], request.user, timezone.localdate())
    history = task.status_changes.select_related("changed_by")
    return render(
        request,
        "tasks/detail.html",
        {
            "t": task,
            "history": history,
            "coop": task.cooperating_units.all(),
            "status_choices": TaskStatus.choices,
            "open": task.status in OPEN_STATUSES,
            "can_edit": has_role(request.user, task.lead_unit, Role.ADMIN),
        },
    )


def _task_choices(user, task: Task | None = None):
    from nghiquyet.documents.access import visible_documents
    from nghiquyet.documents.forms import admin_units

    units = admin_units(user)
    if task is not None and task.lead_unit not in units:
        units = [task.lead_unit, *units]
    docs = list(visible_documents(user).order_by("-issued", "-id")[:CHOICES_MAX])
    if task is not None and task.source_document and task.source_document not in docs:
        docs.insert(0, task.source_document)
    return units, docs


def _write_args(request, form, units, docs):
    """The lead unit, co-operating units and document of a valid form,
    each checked again against what the user may use."""
    data = form.cleaned_data
    lead = task_writer_unit(request.user, data["lead_unit"])
    coop, _ = task_units(request.user, data["cooperating_units"], None)
    source = next((d for d in docs if d.pk == data["source_document"]), None)
    return lead, coop, source


@login_required
def create(request):
    """Give a task to a unit the user administers."""
    user = request.user
    units, docs = _task_choices(user)
    if not units:
        raise PermissionDenied("Đồng chí không có quyền giao nhiệm vụ.")
    initial = {"source_document": int_param(request, "van_ban")}
    form = TaskForm(request.POST or None, user=user, lead_units=units, documents=docs, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                lead, coop, source = _write_args(request, form, units, docs)
                task = do_create_task(
                    title=data["title"], lead_unit=lead, acting_user=user, kind=data["kind"],
                    description=data["description"], deadline=data["deadline"], source_document=source,
                    cooperating_units=coop,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, "Đã giao nhiệm vụ.")
                return redirect("tasks:detail", task.pk)
        status = 400
    else:
        status = 200
    return render(request, "tasks/form.html", {"form": form, "task": None}, status=status)


@login_required
def edit(request, pk):
    """Change what a task says (administrator of its lead unit)."""
    user = request.user
    task = access_task_for_edit(user, pk)
    units, docs = _task_choices(user, task)
    initial = {
        "title": task.title, "kind": task.kind, "lead_unit": task.lead_unit_id, "deadline": task.deadline,
        "source_document": task.source_document_id, "description": task.description, "version": task.version,
        "cooperating_units": list(task.cooperating_units.values_list("pk", flat=True)),
    }  # fmt: skip
    form = TaskForm(
        request.POST or None, user=user, lead_units=units, documents=docs, editing=True, initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                lead, coop, source = _write_args(request, form, units, docs)
                changes = {k: data[k] for k in ("title", "kind", "deadline", "description")}
                do_update_task(
                    task,
                    acting_user=user,
                    expected_version=data["version"],
                    changes={**changes, "lead_unit": lead, "source_document": source},
                    cooperating_units=coop,
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, "Đã lưu nhiệm vụ.")
                return redirect("tasks:detail", task.pk)
        status = 400
    else:
        status = 200
    return render(request, "tasks/form.html", {"form": form, "task": task}, status=status)
