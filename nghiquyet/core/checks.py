"""System checks: what the product needs on disk before it serves a page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def frontend_files(app_configs=None, **kwargs):
    """Every front-end folder of STATICFILES_DIRS exists: without htmx or ECharts
    pages load without their scripts, which nobody would notice at once."""
    errors = []
    for entry in settings.STATICFILES_DIRS:
        folder = Path(entry[1] if isinstance(entry, tuple) else entry)
        if not folder.is_dir():
            errors.append(
                Error(
                    f"Thiếu thư mục giao diện {folder}: chạy `npm ci` (hoặc `make setup`) trong thư mục mã nguồn, "
                    "hoặc cài từ gói cài đặt ngoại tuyến (`make bundle`) có sẵn các tệp này.",
                    id="nghiquyet.E001",
                )
            )
    return errors
