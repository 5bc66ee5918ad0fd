from __future__ import annotations

from ninja import Field, Schema

from nghiquyet.api.fields import Id, Word


class RoleOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    role: str


class UserOut(Schema):
    id: int
    username: str
    full_name: str = Field(..., description="Họ và tên, họ trước tên sau (như viết).")
    is_active: bool
    roles: list[RoleOut] = Field(..., description="Vai trò tại các đơn vị người gọi quản trị.")


class NewUserOut(UserOut):
    password: str = Field(..., description="Mật khẩu tạm thời, chỉ trả về một lần.")


class PasswordOut(Schema):
    password: str = Field(..., description="Mật khẩu tạm thời mới, chỉ trả về một lần.")


class UserIn(Schema):
    username: Word = Field(..., description="Tên đăng nhập: chữ thường không dấu, chữ số, . - _")
    full_name: Word = Field(..., description="Họ và tên, họ trước tên sau, ví dụ “Đặng Thị Mai”.")
    unit: Id = Field(..., description="Đơn vị giao vai trò đầu tiên (thuộc phạm vi người gọi quản trị).")
    role: Word = Field(..., description="viewer, reporter, approver hoặc admin.")


class RoleIn(Schema):
    unit: Id
    role: Word = Field(..., description="viewer, reporter, approver hoặc admin.")
