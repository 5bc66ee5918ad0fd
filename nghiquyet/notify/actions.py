"""Writes of the notify app: sending due reminders, marking notifications read."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.audit.actions import record
from nghiquyet.targets.locks import vn_today

from .models import Notification, SentReminder
from .reminders import Reminder, due_reminders

log = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Theo dõi nghị quyết] "


@dataclass
class SendReport:
    sent: list[Reminder] = field(default_factory=list)
    notifications: int = 0
    emails: int = 0
    email_errors: list[str] = field(default_factory=list)


def _site_url() -> str:
    return getattr(settings, "NGHIQUYET_SITE_URL", "").rstrip("/")


def do_send_reminders(today: dt.date | None = None, *, acting_user=None, dry_run: bool = False) -> SendReport:
    """Send every reminder due on ``today`` that was never sent: one
    in-app notification per recipient and an email to those with an
    address. Each reminder's key is logged (``SentReminder``, unique) in
    the same transaction as its notifications and audit row, so a second
    run — or two runs at once — sends nothing again. Emails go out after
    the commit; a mail server that fails leaves the notifications in place
    and is reported, not retried. A reminder nobody can receive (no one
    holds the role) is logged too, with no recipient."""
    today = today or vn_today()
    report = SendReport()
    due = due_reminders(today)
    already = set(SentReminder.objects.filter(key__in=[r.key for r in due]).values_list("key", flat=True))
    due = [r for r in due if r.key not in already]
    if dry_run:
        report.sent = due
        report.notifications = sum(len(r.users) for r in due)
        return report
    outbox: list[tuple[Notification, str]] = []
    for rem in due:
        try:
            with transaction.atomic():
                sent = SentReminder.objects.create(key=rem.key, kind=rem.kind, recipients=len(rem.users))
                notes = Notification.objects.bulk_create(
                    Notification(user=u, kind=rem.kind, title=rem.title[:255], body=rem.body, url=rem.url)
                    for u in rem.users
                )
                record(
                    "send_reminder",
                    sent,
                    acting_user=acting_user,
                    after={"key": rem.key, "kind": rem.kind, "recipients": [u.pk for u in rem.users]},
                )
        except IntegrityError:
            continue  # another run sent it meanwhile
        report.sent.append(rem)
        report.notifications += len(notes)
        outbox += [(n, u.email) for n, u in zip(notes, rem.users, strict=True) if u.email]
    if outbox:
        _email(outbox, report)
    return report


def _email(outbox: list[tuple[Notification, str]], report: SendReport) -> None:
    site = _site_url()
    messages = []
    for note, address in outbox:
        # A bare path means nothing in a mail client: the link needs NGHIQUYET_SITE_URL.
        link = f"\n\n{site}{note.url}" if note.url and site else ""
        messages.append(
            EmailMessage(
                SUBJECT_PREFIX + note.title, f"{note.body}{link}", settings.DEFAULT_FROM_EMAIL, [address]
            )
        )
    try:
        with get_connection() as conn:
            report.emails = conn.send_messages(messages) or 0
    except Exception as exc:  # noqa: BLE001 — any mail server failure is reported, never raised at cron
        log.warning("send-reminders: gửi thư thất bại: %s", exc)
        report.email_errors.append(str(exc))
        return
    Notification.objects.filter(pk__in=[n.pk for n, _ in outbox]).update(emailed=True)


def do_mark_notifications_read(user, ids: list[int] | None = None, *, acting_user) -> int:
    """Mark ``user``'s notifications read (the given ones, else all);
    only the user may mark their own. Returns how many changed."""
    if acting_user is None or acting_user.pk != user.pk:
        raise PermissionError("Chỉ người nhận mới đánh dấu thông báo đã đọc.")
    with transaction.atomic():
        qs = Notification.objects.filter(user=user, read_at__isnull=True)
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        picked = list(qs.values_list("pk", flat=True))
        n = Notification.objects.filter(pk__in=picked).update(read_at=timezone.now())
        if n:
            record("read_notifications", user, acting_user=acting_user, after={"notifications": picked})
    return n
