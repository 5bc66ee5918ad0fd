"""Form fields every app's pages share."""

from __future__ import annotations

import datetime as dt

from django import forms

from .dates import DateError, format_date, parse_date


class VietnameseDateField(forms.CharField):
    """A date typed d/m/y ("05/02/2026", "5/2/2026", "ngày 05 tháng 02 năm 2026"),
    shown back the same way."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_date(value)
        except (DateError, ValueError):
            raise forms.ValidationError(
                "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026."
            ) from None

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return format_date(value)
        return value
