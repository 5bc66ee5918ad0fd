"""The task form: what the task is, who leads it (a unit the user
administers), who co-operates, its deadline and the document that gave it."""

from __future__ import annotations

from django import forms

from nghiquyet.accounts.access import visible_units
from nghiquyet.core.forms import VietnameseDateField

from .models import TaskKind

CHOICES_MAX = 300


class TaskForm(forms.Form):
    title = forms.CharField(label="Nhiệm vụ", max_length=500)
    kind = forms.ChoiceField(label="Loại", choices=TaskKind.choices, initial=TaskKind.ROUTINE)
    lead_unit = forms.TypedChoiceField(label="Đơn vị chủ trì", coerce=int)
    cooperating_units = forms.TypedMultipleChoiceField(label="Đơn vị phối hợp", coerce=int, required=False)
    deadline = VietnameseDateField(label="Thời hạn", required=False, help_text="ngày/tháng/năm")
    source_document = forms.TypedChoiceField(
        label="Văn bản giao", coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, lead_units, documents, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].choices = [("", "— Chọn đơn vị —")] + [(u.pk, u.name) for u in lead_units]
        roots = lead_units[:CHOICES_MAX]
        near = (
            visible_units(user).current().filter(parent__in=[u.pk for u in roots]).vn_ordered()[:CHOICES_MAX]
        )
        coop = {u.pk: u for u in [*roots, *near]}
        self.fields["cooperating_units"].choices = [(pk, u.name) for pk, u in coop.items()]
        self.fields["source_document"].choices = [("", "—")] + [
            (d.pk, f"{d} – {d.title[:80]}") for d in documents
        ]
        self.fields["title"].error_messages["required"] = "Chưa nhập tên nhiệm vụ."
        self.fields["lead_unit"].error_messages["required"] = "Chưa chọn đơn vị chủ trì."
        if not editing:
            del self.fields["version"]
