import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nghiquyet.accounts.access import access_unit, scope_paths, visible_units
from nghiquyet.accounts.models import Role
from nghiquyet.core.dates import DateError, parse_date
from nghiquyet.core.viewutils import int_param
from nghiquyet.orgs.models import subtree_q

from .access import access_task, visible_tasks
from .actions import do_set_task_status
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
        },
    )
