"""Login throttling glue for django-axes: the client address, the Vietnamese
lockout page and the audit row written when an account is locked.

Axes counts failures per (account, address) — see AXES_LOCKOUT_PARAMETERS in
settings — and refuses further logins for AXES_COOLOFF_TIME, without hashing
the password (the 0.2 s of CPU a guess used to cost the server).
"""

from __future__ import annotations

import functools
import ipaddress

from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import render

from nghiquyet.audit.actions import record

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address a login attempt is counted against.

    REMOTE_ADDR, unless the peer is a proxy listed in NGHIQUYET_TRUSTED_PROXIES:
    then X-Forwarded-For read from the right, the first hop that is not one of
    our proxies (what a client writes at the left is not believed). Hand-written
    because django-ipware's proxy count expects the proxy's own address inside
    the header, which nginx and IIS do not write; a miscount gives no address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _networks(tuple(settings.NGHIQUYET_TRUSTED_PROXIES))
    peer = _address(remote or "")
    if not trusted or peer is None or not any(peer in net for net in trusted):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed chain: count the proxy itself rather than guess
        if not any(address in net for net in trusted):
            return str(address)
    return remote


def lockout_response(request, original_response=None, credentials=None):
    """The login page with the lockout notice, HTTP 429 (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "locked_out": True,
        "lock_minutes": minutes,
        "failure_limit": get_failure_limit(request, credentials),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "core/login.html", context, status=429)


def do_record_login_lockout(*, username: str | None, ip_address: str | None, acting_user=None) -> None:
    """Write the audit row for an account locked from one address. The row is
    about the axes AccessAttempt (account, address, failures), which an
    administrator deletes to unlock."""
    with transaction.atomic():
        attempt = (
            AccessAttempt.objects.filter(username=username, ip_address=ip_address)
            .order_by("-attempt_time")
            .first()
        )
        if attempt is None:
            return
        after = {
            "username": username,
            "ip_address": ip_address,
            "failures": sum(
                AccessAttempt.objects.filter(username=username, ip_address=ip_address).values_list(
                    "failures_since_start", flat=True
                )
            ),
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        }
        record("login_locked_out", attempt, acting_user=acting_user, after=after)


@receiver(user_locked_out, dispatch_uid="nghiquyet.accounts.lockout.audit")
def _audit_lockout(sender, request, username, ip_address, **kwargs):
    # Axes sends the signal again for every refused try while locked; one row
    # per lock is enough (the failure count reaches the limit exactly once).
    if getattr(request, "axes_failures_since_start", None) != get_failure_limit(request, None):
        return
    do_record_login_lockout(username=username, ip_address=ip_address)


def do_unlock_logins(*, username: str | None = None, ip_address: str | None = None, acting_user=None) -> int:
    """Unlock logins at once: the failed attempts matching ``username`` and/or
    ``ip_address`` (all of them when neither is given) are cleared through
    axes, each with an audit row of what it held. Returns how many."""
    from axes.utils import reset

    attempts = AccessAttempt.objects.all()
    if username:  # as axes reads them: an empty value does not narrow
        attempts = attempts.filter(username=username)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    with transaction.atomic():
        for attempt in attempts.order_by("pk"):
            _record_unlock(attempt, acting_user)
        return reset(ip=ip_address, username=username)


def do_unlock_attempts(attempts, *, acting_user) -> None:
    """Unlock by deleting the given attempts (the admin's delete), each with
    its audit row."""
    with transaction.atomic():
        for attempt in attempts:
            _record_unlock(attempt, acting_user)
            attempt.delete()


def _record_unlock(attempt: AccessAttempt, acting_user) -> None:
    before = {
        "username": attempt.username,
        "ip_address": attempt.ip_address,
        "failures": attempt.failures_since_start,
    }
    record("login_unlocked", attempt, acting_user=acting_user, before=before, after={})
