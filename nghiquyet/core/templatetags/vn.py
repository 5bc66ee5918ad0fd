"""Template filters that show numbers, dates and periods the Vietnamese way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from nghiquyet.core.dates import format_date, format_datetime
from nghiquyet.core.numbers import format_figure, format_number

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    """2989 → "2.989", 48.93 → "48,93"; None → "–"."""
    if value is None or value == "":
        return "–"
    if decimals is not None and decimals != "":
        return format_number(value, int(decimals))
    if isinstance(value, Decimal) and value != value.to_integral_value():
        # Stored with four places; show at most two unless more are needed.
        rounded = value.quantize(Decimal("0.01"))
        return format_number(rounded if rounded == value else value.normalize())
    return format_number(value)


def figure_kind(target) -> str:
    """ "percent", "integer" or "number": how a target's figures are rounded
    when shown (``core.numbers.format_figure``). Read by duck typing:
    core does not import the targets app (ValueType's values are these)."""
    value_type = getattr(target, "value_type", "")
    if value_type == "percent" or (getattr(target, "measure", "") or "").strip() == "%":
        return "percent"
    if value_type == "integer":
        return "integer"
    return "number"


@register.filter
def vn_figure(value, target=None):
    """A target's figure rounded for its kind: a rate to two decimals at
    most (93,3788 → "93,38"), a count whole; None → "–"."""
    if value is None or value == "":
        return "–"
    return format_figure(value, figure_kind(target))


@register.filter
def vn_percent(value):
    if value is None:
        return "–"
    return format_number(value, 1) + "%"


@register.filter
def vn_date(value):
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    return format_date(value)


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def outcome_label(value):
    from nghiquyet.targets.rollup import Outcome

    return Outcome.LABELS.get(value, "")
