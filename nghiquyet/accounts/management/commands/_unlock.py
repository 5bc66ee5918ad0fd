"""The axes reset commands, in Vietnamese (`nghiquyet axes-reset-username …`).

They shadow axes's own commands of the same names (nghiquyet.accounts comes
before axes in INSTALLED_APPS) and unlock through
``accounts.lockout.do_unlock_logins``, which clears the attempts with axes
and writes an audit row for each.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from nghiquyet.accounts.lockout import do_unlock_logins


class UnlockCommand(BaseCommand):
    def report(self, count: int) -> None:
        if count:
            self.stdout.write(f"Đã mở khóa: xoá {count} bản ghi đăng nhập sai.")
        else:
            self.stdout.write("Không có bản ghi đăng nhập sai nào khớp.")

    def reset(self, *, ip: str | None = None, username: str | None = None) -> int:
        return do_unlock_logins(username=username, ip_address=ip)
