from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone

from nghiquyet.accounts.access import scope_paths, visible_units
from nghiquyet.accounts.models import Role
from nghiquyet.core.dashboard import in_force
from nghiquyet.documents.access import visible_documents
from nghiquyet.orgs.models import OrgUnit, Person, Position
from nghiquyet.tasks.access import visible_tasks
from nghiquyet.tasks.models import TaskKind

from .access import access_meeting, visible_meetings
from .actions import do_record_meeting
from .forms import MeetingForm, Rows
from .models import Conclusion, MeetingKind, Participant

PAGE_SIZE = 50


@login_required
def index(request):
    qs = visible_meetings(request.user).select_related("organiser")
    kind = request.GET.get("loai", "")
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    year = request.GET.get("nam", "")
    if year.isdigit():
        qs = qs.filter(date__year=int(year))
    page = Paginator(qs.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "kind": kind,
        "kinds": MeetingKind.choices,
        "year": year,
        "years": range(timezone.localdate().year, 2019, -1),
        "can_create": bool(scope_paths(request.user, Role.REPORTER)),
    }
    template = "meetings/partials/list.html" if request.htmx else "meetings/index.html"
    return render(request, template, context)


@login_required
def detail(request, pk):
    meeting = access_meeting(request.user, pk)
    participants = (
        Participant.objects.filter(meeting=meeting)
        .select_related("person")
        .prefetch_related(Prefetch("person__positions", queryset=Position.objects.select_related("unit")))
        .order_by("role", "person__sort_key")
    )
    for p in participants:
        held = [
            pos
            for pos in p.person.positions.all()
            if (pos.start is None or pos.start <= meeting.date)
            and (pos.end is None or pos.end >= meeting.date)
        ]
        p.positions_then = held
    tasks = visible_tasks(request.user).select_related("lead_unit")
    conclusions = Conclusion.objects.filter(meeting=meeting).prefetch_related(
        Prefetch("tasks", queryset=tasks)
    )
    context = {
        "m": meeting,
        "participants": participants,
        "documents": visible_documents(request.user).filter(meetings=meeting),
        "conclusions": conclusions,
    }
    return render(request, "meetings/detail.html", context)


def _organiser_units(user):
    """Units the user may organise a meeting for or give a task to: the
    current roots of their reporter scope and the units directly under them."""
    paths = scope_paths(user, Role.REPORTER)
    if not paths:
        return []
    if paths == [""]:
        roots = list(OrgUnit.objects.filter(parent__isnull=True).current())
    else:
        roots = list(OrgUnit.objects.filter(path__in=paths).current())
    kids = OrgUnit.objects.filter(parent__in=roots).current().vn_ordered()
    return roots + list(kids)


@login_required
def create(request):
    """Create a meeting with its participants and its conclusions as tasks."""
    user = request.user
    units = _organiser_units(user)
    if not units:
        raise PermissionDenied("Đồng chí không có quyền tạo hội nghị.")
    unit_by_id = {u.pk: u for u in units}
    docs = list(in_force(visible_documents(user), timezone.localdate()).order_by("-issued")[:200])
    if request.method == "POST":
        form = MeetingForm(request.POST, units=units, documents=docs)
        rows = Rows(request.POST)
        if form.is_valid():
            cleaned = rows.clean(unit_by_id)
            if cleaned is not None:
                people, specs = cleaned
                data = form.cleaned_data
                try:
                    meeting = do_record_meeting(
                        kind=data["kind"],
                        title=data["title"],
                        date=data["date"],
                        organiser=unit_by_id[data["organiser"]],
                        acting_user=user,
                        people_in_scope=Person.objects.filter(
                            positions__unit__in=visible_units(user)
                        ).distinct(),
                        online=data["online"],
                        bridge_points=data["bridge_points"],
                        documents=[d for d in docs if d.pk in set(data["documents"])],
                        participants=people,
                        conclusions=specs,
                        summary=data["summary"],
                    )
                except ValidationError as exc:
                    form.add_error(None, " ".join(exc.messages))
                else:
                    messages.success(request, "Đã tạo hội nghị và các nhiệm vụ từ kết luận.")
                    return redirect("meetings:detail", meeting.pk)
        status = 400
    else:
        form = MeetingForm(units=units, documents=docs)
        rows = Rows()
        status = 200
    context = {
        "form": form,
        "rows": rows,
        "units": units,
        "roles": Participant.Role.choices,
        "task_kinds": TaskKind.choices,
    }
    return render(request, "meetings/create.html", context, status=status)


@login_required
def new_row(request):
    """One more blank participant or conclusion row (htmx)."""
    if not scope_paths(request.user, Role.REPORTER):
        raise PermissionDenied("Đồng chí không có quyền tạo hội nghị.")
    try:
        i = min(int(request.GET.get("i", "1")), 60)
    except ValueError:
        i = 1
    which = request.GET.get("loai")
    context = {"i": i, "roles": Participant.Role.choices, "task_kinds": TaskKind.choices}
    if which == "ket_luan":
        context["units"] = _organiser_units(request.user)
        context["c"] = {"i": i, "text": "", "task": "", "lead": "", "deadline": "", "kind": TaskKind.ROUTINE}
        return render(request, "meetings/partials/conclusion_row.html", context)
    context["p"] = {"i": i, "name": "", "role": Participant.Role.ATTENDEE, "title": ""}
    return render(request, "meetings/partials/participant_row.html", context)
