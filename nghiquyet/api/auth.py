"""Bearer tokens (accounts.ApiToken): "Authorization: Bearer nq_…"."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja.security import HttpBearer

from nghiquyet.accounts.models import ApiToken

# last_used_at is bookkeeping, not a domain change: written at most this often.
TOUCH_EVERY = dt.timedelta(minutes=5)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token or not token.startswith("nq_"):
            return None
        try:
            t = ApiToken.objects.select_related("user").get(key_hash=ApiToken.hash_key(token), revoked=False)
        except ApiToken.DoesNotExist:
            return None
        if not t.user.is_active:
            return None
        now = timezone.now()
        if t.last_used_at is None or now - t.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=t.pk).update(last_used_at=now)
        # The access helpers read request.user, exactly as the pages do.
        request.user = t.user
        return t.user
