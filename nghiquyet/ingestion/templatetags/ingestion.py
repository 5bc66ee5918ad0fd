"""Filters for the review: facts' ISO dates and codes shown the Vietnamese way."""

from __future__ import annotations

import datetime as dt

from django import template

from nghiquyet.core.dates import format_date
from nghiquyet.documents.signs import DOCUMENT_KINDS

register = template.Library()
_KINDS = dict(DOCUMENT_KINDS)


@register.filter
def fact_date(value) -> str:
    """ "2021-10-25" → "25/10/2021"; a date without its year ("--10-30") → "30/10"."""
    if not isinstance(value, str) or not value:
        return ""
    if value.startswith("--") and len(value) == 7:
        month, day = value[2:4], value[5:7]
        return f"{int(day):02d}/{int(month):02d}" if month.isdigit() and day.isdigit() else value
    try:
        return format_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


@register.filter
def document_kind(code) -> str:
    return _KINDS.get(code or "", code or "")
