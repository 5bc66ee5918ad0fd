"""Optimistic versions for records people edit (documents, targets, tasks):
every writer states the version it read, and a record changed since is
refused with the current one, never overwritten unseen."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class StaleVersionError(ValidationError):
    """The record changed after the writer read it; nothing was written.
    ``current`` is the record as it stands (the API answers 409 with it)."""

    def __init__(self, message: str, current=None):
        super().__init__(message)
        self.current = current


def check_version(obj, expected: int | None, what: str) -> None:
    """Refuse a write whose ``expected`` version is missing or not ``obj``'s.
    ``obj`` is read under ``select_for_update`` by the caller."""
    if expected is None:
        raise StaleVersionError(
            f"Cần cho biết phiên bản {what} đã đọc (hiện là phiên bản {obj.version}).", current=obj
        )
    if expected != obj.version:
        raise StaleVersionError(
            f"{what[:1].upper()}{what[1:]} vừa được người khác cập nhật (phiên bản {obj.version}, "
            f"đồng chí đã đọc phiên bản {expected}); xin xem lại trước khi sửa.",
            current=obj,
        )
