"""The audit trail in words people read: what each action code means, and
what changed between a row's before and after."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import PeriodError, parse_period_key

ACTION_LABELS = {
    "create_user": "Tạo người dùng",
    "reset_password": "Đặt lại mật khẩu",
    "change_password": "Đổi mật khẩu",
    "grant_role": "Giao vai trò",
    "revoke_role": "Thu hồi vai trò",
    "admin_add_user": "Tạo người dùng (quản trị hệ thống)",
    "admin_change_user": "Sửa người dùng (quản trị hệ thống)",
    "admin_set_password": "Đặt mật khẩu (quản trị hệ thống)",
    "admin_delete_user": "Xóa người dùng (quản trị hệ thống)",
    "issue_api_token": "Cấp khóa API",
    "revoke_api_token": "Thu hồi khóa API",
    "login_locked_out": "Khóa đăng nhập",
    "login_unlocked": "Mở khóa đăng nhập",
    "save_result": "Nhập, sửa số liệu",
    "import_results": "Nhập số liệu từ tệp Excel",
    "approve_result": "Duyệt số liệu",
    "return_result": "Trả lại số liệu",
    "confirm_warnings": "Xác nhận cảnh báo số liệu",
    "assign_target": "Giao chỉ tiêu",
    "create_document": "Tạo văn bản",
    "link_documents": "Liên kết văn bản",
    "create_task": "Tạo nhiệm vụ",
    "set_task_status": "Cập nhật tình trạng nhiệm vụ",
    "create_meeting": "Tạo hội nghị",
    "create_person": "Thêm nhân sự",
    "add_position": "Thêm chức vụ",
    "create_unit": "Tạo đơn vị",
    "rename_unit": "Đổi tên đơn vị",
    "move_unit": "Chuyển đơn vị",
    "merge_units": "Hợp nhất đơn vị",
    "split_unit": "Chia tách đơn vị",
    "load_units": "Nạp danh mục đơn vị",
    "ingest_source": "Thu nhận tin bài",
    "accept_suggestion": "Chấp nhận gợi ý",
    "reject_suggestion": "Bỏ qua gợi ý",
    "load_demo": "Nạp dữ liệu mẫu",
}

# Bookkeeping columns that change with every write and say nothing to a reader.
_NOISE = {
    "id", "version", "reported_at", "submitted_at", "approved_at", "returned_at", "password",
    "period_kind", "period_start", "period_end",
}  # fmt: skip


# Keys some actions write that are not model fields.
_EXTRA_LABELS = {
    "warnings": "cảnh báo",
    "units": "đơn vị",
    "username": "tên đăng nhập",
    "ho_ten": "họ và tên",
    "is_active": "đang hoạt động",
    "target_value": "mục tiêu",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code.replace("_", " "))


def _field_label(object_type: str, name: str) -> str:
    if name in _EXTRA_LABELS:
        return _EXTRA_LABELS[name]
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name.replace("_", " ")


def _is_relation(object_type: str, name: str) -> bool:
    try:
        return apps.get_model(object_type)._meta.get_field(name).is_relation
    except (LookupError, ValueError, FieldDoesNotExist):
        return False


def _choice_label(object_type: str, name: str, value) -> str:
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        field = None
    if field is not None and field.choices:
        for v, label in field.flatchoices:
            if v == value:
                return str(label)
    if value is None or value == "":
        return "trống"
    if name == "period_key" and isinstance(value, str):
        try:
            return parse_period_key(value).label
        except (PeriodError, ValueError):
            return value
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, str) and field is not None and field.get_internal_type() == "DecimalField":
        try:
            return format_number(Decimal(value).normalize())
        except InvalidOperation:
            return value
    if isinstance(value, (list, dict)):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def describe(object_type: str, before: dict | None, after: dict | None, limit: int = 6) -> str:
    """What changed, in words: "giá trị: 10 → 12; trạng thái: Đã gửi → Đã duyệt".
    A creation lists what was set; a removal says so."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    parts = []
    if before and not after:
        return "Đã xóa"
    for key in list(dict.fromkeys([*before, *after])):
        if key in _NOISE or _is_relation(object_type, key):
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        label = _field_label(object_type, key)
        if not before:
            if new in (None, "", [], {}):
                continue
            parts.append(f"{label}: {_choice_label(object_type, key, new)}")
        else:
            parts.append(
                f"{label}: {_choice_label(object_type, key, old)} → {_choice_label(object_type, key, new)}"
            )
        if len(parts) >= limit:
            break
    return "; ".join(parts)
