"""The axes reset commands, in Vietnamese (`nghiquyet axes-reset-username …`).

They shadow axes's own commands of the same names (nghiquyet.accounts comes
before axes in INSTALLED_APPS) and call the same axes.utils.reset.
"""

from __future__ import annotations

from axes.utils import reset
from django.core.management.base import BaseCommand


class UnlockCommand(BaseCommand):
    def report(self, count: int) -> None:
        if count:
            self.stdout.write(f"Đã mở khóa: xoá {count} bản ghi đăng nhập sai.")
        else:
            self.stdout.write("Không có bản ghi đăng nhập sai nào khớp.")

    def reset(self, **kwargs) -> int:
        return reset(**kwargs)
