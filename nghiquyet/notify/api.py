"""The caller's own notifications: nobody reads or marks another's."""

from __future__ import annotations

from ninja import Router

from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Limit, Offset

from .actions import do_mark_notifications_read
from .models import Notification
from .schemas import NotificationsOut, ReadIn, ReadOut

router = Router(tags=["Thông báo"])


@router.get("", response=answers({200: NotificationsOut}))
def list_notifications(request, unread: bool = False, limit: Limit = 100, offset: Offset = 0):
    """The caller's notifications, newest first; ``unread=true`` for unread ones only."""
    qs = Notification.objects.filter(user=request.user)
    n_unread = qs.filter(read_at__isnull=True).count()
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return {"unread": n_unread, "items": list(qs[offset : offset + limit])}


@router.post("/read", response=answers({200: ReadOut}, 403, body=True))
def mark_read(request, payload: ReadIn):
    """Mark the caller's notifications read (``ids``, or all); others' ids are ignored."""
    return {"marked": do_mark_notifications_read(request.user, payload.ids, acting_user=request.user)}
