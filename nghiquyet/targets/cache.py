"""Roll-ups kept between requests, dropped by any write.

Every write in the product goes through an action that records an audit
row in its own transaction, so the last audit id changes whenever anything
a roll-up reads does (a result saved or submitted, a target assigned, units
merged). It is part of the key: a figure submitted is in the very next
read, and a dashboard read by many leaders between writes is computed once.
The Django admin is read-only for these tables (or writes through the
actions), so no write leaves the key where it was; the timeout only frees
memory.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from nghiquyet.audit.models import AuditEntry

from .rollup import Rollup, rollup

TIMEOUT = 300


def data_version(request=None) -> int:
    """The id of the last audit row (read once per request when given one)."""
    if request is not None and hasattr(request, "_nq_data_version"):
        return request._nq_data_version
    version = AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0
    if request is not None:
        request._nq_data_version = version
    return version


def cached_rollup(document, unit, period, *, targets, request=None, as_of_today: bool = True) -> Rollup:
    """``rollup(document, unit, period, targets=targets, as_of_today=…)``, reused until the next write."""
    ids = ",".join(str(t.pk) for t in targets)
    digest = hashlib.sha1(ids.encode()).hexdigest()[:16]
    key = (
        f"nq:rollup:{document.pk}:{unit.pk}:{period.key()}:{digest}:{int(as_of_today)}:"
        f"{timezone.localdate().isoformat()}:{data_version(request)}"
    )
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = rollup(document, unit, period, targets=targets, as_of_today=as_of_today)
    cache.set(key, value, TIMEOUT)
    return value
