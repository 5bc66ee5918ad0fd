"""The ingestion review: sources and their state, a new source (pasted text
or a file), and the review of one source, where each suggestion is accepted
(as read, or edited first) or rejected. htmx requests get the partial that
changed (a suggestion's card and the source's summary); plain requests get
whole pages and redirects, so everything works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nghiquyet.accounts.models import Role

from .access import access_source, access_suggestion, visible_sources
from .actions import FigureConflict, do_accept_suggestion, do_ingest, do_reject_suggestion
from .forms import IngestForm, current_units, recent_periods, reject_form, suggestion_form
from .highlight import highlight, spans_of
from .models import Source, Suggestion
from .records import record_link, records_for

PAGE_SIZE = 30

# The order of the groups in the side list.
KIND_ORDER = [
    Suggestion.Kind.PERSON,
    Suggestion.Kind.DOCUMENT,
    Suggestion.Kind.MEETING,
    Suggestion.Kind.FIGURE,
    Suggestion.Kind.MERGE,
]
KIND_HEADINGS = {
    Suggestion.Kind.PERSON: "Người, chức vụ",
    Suggestion.Kind.DOCUMENT: "Văn bản",
    Suggestion.Kind.MEETING: "Hội nghị",
    Suggestion.Kind.FIGURE: "Số liệu",
    Suggestion.Kind.MERGE: "Sắp xếp đơn vị",
}


def with_counts(qs):
    """Sources annotated with their suggestions counted by status (one query)."""
    st = Suggestion.Status
    return qs.annotate(
        n_pending=Count("suggestions", filter=Q(suggestions__status=st.PENDING)),
        n_accepted=Count("suggestions", filter=Q(suggestions__status=st.ACCEPTED)),
        n_rejected=Count("suggestions", filter=Q(suggestions__status=st.REJECTED)),
    )


def can_decide(user, source: Source) -> bool:
    """Whether ``user`` may accept or reject the suggestions of ``source``
    (the rule of ``access_suggestion``: reporter or above on its unit)."""
    return visible_sources(user, Role.REPORTER).filter(pk=source.pk).exists()


@login_required
def index(request):
    status = request.GET.get("trang_thai", "")
    qs = with_counts(visible_sources(request.user).defer("text").select_related("unit"))
    if status in Source.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "status": status,
        "statuses": Source.Status.choices,
        "can_ingest": current_units(request.user).exists(),
    }
    template = "ingestion/partials/source_list.html" if request.htmx else "ingestion/index.html"
    return render(request, template, context)


@login_required
def new(request):
    units = list(current_units(request.user))
    if not units:
        return render(request, "ingestion/new.html", {"form": None}, status=403)
    form = IngestForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data, name = form.payload()
        try:
            source, created = do_ingest(
                data,
                name=name,
                origin=form.cleaned_data["origin"].strip(),
                unit=form.unit_obj(),
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                n = source.suggestions.count()
                messages.success(request, f"Đã đọc xong: {n} dữ kiện đề xuất chờ xem xét.")
            else:
                # Sources are per unit: this one is the receiving unit's own.
                messages.info(request, "Nội dung này đã được thu nhận trước đây: đây là nguồn tin đã có.")
            url = reverse("ingestion:review", args=[source.pk])
            if request.htmx:
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
    template = "ingestion/partials/new_form.html" if request.htmx else "ingestion/new.html"
    return render(request, template, {"form": form})


def _summary(source: Source, suggestions=None) -> dict:
    if suggestions is None:
        counts = dict(source.suggestions.values_list("status").annotate(n=Count("id")).order_by())
    else:
        counts = {}
        for s in suggestions:
            counts[s.status] = counts.get(s.status, 0) + 1
    st = Suggestion.Status
    return {
        "pending": counts.get(st.PENDING, 0),
        "accepted": counts.get(st.ACCEPTED, 0),
        "rejected": counts.get(st.REJECTED, 0),
        "total": sum(counts.values()),
    }


@login_required
def review(request, pk):
    source = access_source(request.user, pk)
    suggestions = list(source.suggestions.all())
    for s in suggestions:
        s.source = source  # the quote reads the source's text: no query per card
    records = records_for(suggestions, request.user)
    decide = can_decide(request.user, source)
    by_kind: dict[str, list] = {k: [] for k in KIND_ORDER}
    for s in suggestions:
        by_kind.setdefault(s.kind, []).append(_card(s, decide, request.user, records))
    context = {
        "source": source,
        "article": highlight(source.text, spans_of(suggestions)),
        "groups": [(k, KIND_HEADINGS.get(k, k), cards) for k, cards in by_kind.items() if cards],
        "summary": _summary(source, suggestions),
        "can_decide": decide,
    }
    return render(request, "ingestion/review.html", context)


def _card(s: Suggestion, decide: bool, user, records: dict | None = None, **extra) -> dict:
    if records is None:
        records = records_for([s], user)
    return {
        "s": s,
        "can_decide": decide and s.status == Suggestion.Status.PENDING,
        "record": record_link(records.get((s.record_type, s.record_id)), user),
        **extra,
    }


def _render_card(request, s: Suggestion, *, status: int = 200, oob_summary: bool = False, **extra):
    """One card: the partial for htmx (with the source's summary out of band
    after a decision), else the whole suggestion page."""
    decide = can_decide(request.user, s.source)
    context = {
        "card": _card(s, decide, request.user, **extra),
        "source": s.source,
        "periods": _periods(extra),
    }
    if request.htmx:
        if oob_summary:
            s.source.refresh_from_db(fields=["status"])
            context["summary"] = _summary(s.source)
            context["oob"] = True
        return render(request, "ingestion/partials/card_response.html", context, status=status)
    return render(request, "ingestion/suggestion.html", context, status=status)


def _periods(extra: dict) -> list:
    form = extra.get("form")
    if form is not None and form.suggestion.kind == Suggestion.Kind.FIGURE:
        return recent_periods(timezone.localdate())
    return []


def _after_decision(request, s: Suggestion, text: str):
    s.refresh_from_db()
    if request.htmx:
        return _render_card(request, s, oob_summary=True, done=text)
    messages.success(request, text)
    return redirect(reverse("ingestion:review", args=[s.source_id]) + f"#goi-y-{s.pk}")


@login_required
def suggestion(request, pk):
    """A suggestion's card; ``?sua=1`` opens its edit form, ``?loai=1`` the
    reject form (the pages that work without JavaScript)."""
    s = access_suggestion(request.user, pk, min_role=Role.VIEWER)
    extra: dict = {}
    if s.status == Suggestion.Status.PENDING and can_decide(request.user, s.source):
        if request.GET.get("sua") == "1":
            extra["form"] = suggestion_form(s, request.user)
        elif request.GET.get("loai") == "1":
            extra["reject_form"] = reject_form(s)
    return _render_card(request, s, **extra)


@login_required
@require_POST
def accept(request, pk):
    s = access_suggestion(request.user, pk)
    form = None
    kwargs: dict = {}
    if "nhanh" not in request.POST:
        form = suggestion_form(s, request.user, request.POST)
        if not form.is_valid():
            return _render_card(request, s, form=form)
        kwargs = form.accept_args()
    try:
        obj = do_accept_suggestion(s, acting_user=request.user, **kwargs)
    except ValidationError as exc:
        s.refresh_from_db()
        error = " ".join(exc.messages)
        if s.status != Suggestion.Status.PENDING:
            return _render_card(request, s, error=error)
        if isinstance(exc, FigureConflict) and form is not None:
            # The form now states the version shown in the message: accepting
            # again overwrites exactly what the person has just read.
            form = form.seeing(exc.version)
        return _render_card(request, s, form=form or suggestion_form(s, request.user), error=error)
    s.refresh_from_db()
    link = record_link(obj, request.user)
    return _after_decision(request, s, f"{_outcome(s)}: {link.label if link else obj}.")


def _outcome(s: Suggestion) -> str:
    if s.created_record:
        return "Đã tạo mới"
    if s.kind == Suggestion.Kind.FIGURE:
        return "Đã ghi vào số liệu có sẵn"
    return "Đã liên kết với bản ghi có sẵn"


@login_required
@require_POST
def reject(request, pk):
    s = access_suggestion(request.user, pk)
    form = reject_form(s, request.POST)
    if not form.is_valid():
        return _render_card(request, s, reject_form=form)
    try:
        do_reject_suggestion(s, reason=form.cleaned_data["reason"], acting_user=request.user)
    except ValidationError as exc:
        s.refresh_from_db()
        return _render_card(request, s, error=" ".join(exc.messages))
    return _after_decision(request, s, "Đã loại dữ kiện.")
