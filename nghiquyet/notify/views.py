from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nghiquyet.core.viewutils import int_param

from .actions import do_mark_notifications_read
from .models import Notification

PER_PAGE = 50


@login_required
def index(request):
    """The signed-in user's notifications, newest first."""
    qs = Notification.objects.filter(user=request.user)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("trang"))
    unread = qs.filter(read_at__isnull=True).count()
    return render(request, "notify/index.html", {"page": page, "unread": unread})


@login_required
def unread_count(request):
    """The top bar's badge (loaded by htmx after the page: no query on every page)."""
    n = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "notify/partials/badge.html", {"unread": n})


@login_required
@require_POST
def mark_read(request):
    """Mark one notification (``id``) or all read; then follow its link when asked."""
    note_id = int_param(request, "id")
    do_mark_notifications_read(
        request.user, [note_id] if note_id is not None else None, acting_user=request.user
    )
    if note_id is not None and request.POST.get("mo") == "1":
        note = Notification.objects.filter(user=request.user, pk=note_id).first()
        if note is not None and note.url.startswith("/"):
            return redirect(note.url)
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("notify:index")
