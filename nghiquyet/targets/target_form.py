"""The target form (add and edit): every attribute the roll-up reads, and
one goal per year of the document's term. Numbers are typed the Vietnamese
way ("1.100", "48,93"); the action reads them and says what is wrong."""

from __future__ import annotations

from django import forms

from nghiquyet.core.numbers import format_number

from .actions import TARGET_FIELDS
from .models import (
    REPORT_KINDS,
    Direction,
    Judged,
    Target,
    TargetGroup,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)

_NUMBER_HELP = "viết theo kiểu Việt Nam, ví dụ 1.100 hoặc 48,93"
# Years offered when the document has no term: five from its year of issue.
_YEARS_WITHOUT_TERM = 5


def _years(document) -> list[int]:
    if document.term_start and document.term_end:
        return list(range(document.term_start, document.term_end + 1))[:20]
    first = document.issued.year if document.issued else None
    return list(range(first, first + _YEARS_WITHOUT_TERM)) if first else []


def _shown(value) -> str:
    return "" if value is None else format_number(value)


class TargetForm(forms.Form):
    code = forms.CharField(label="Mã", max_length=20, help_text="ví dụ 1, 2a")
    name = forms.CharField(label="Tên chỉ tiêu", max_length=500)
    group = forms.ChoiceField(label="Nhóm", choices=TargetGroup.choices)
    measure = forms.CharField(
        label="Đơn vị tính", max_length=64, required=False, help_text="ví dụ %, đảng viên, tỷ đồng"
    )
    value_type = forms.ChoiceField(label="Kiểu số liệu", choices=ValueType.choices)
    direction = forms.ChoiceField(label="Chiều đánh giá", choices=Direction.choices)
    baseline_value = forms.CharField(label="Giá trị gốc", required=False, help_text=_NUMBER_HELP)
    baseline_period = forms.CharField(
        label="Kỳ gốc", max_length=32, required=False, help_text="ví dụ năm 2025"
    )
    target_value = forms.CharField(label="Mục tiêu cả nhiệm kỳ", required=False, help_text=_NUMBER_HELP)
    time_aggregation = forms.ChoiceField(label="Tổng hợp theo thời gian", choices=TimeAggregation.choices)
    unit_aggregation = forms.ChoiceField(label="Tổng hợp theo đơn vị", choices=UnitAggregation.choices)
    numerator = forms.TypedChoiceField(
        label="Tử số (chỉ tiêu tỷ lệ)", coerce=int, required=False, empty_value=None
    )
    denominator = forms.TypedChoiceField(
        label="Mẫu số (chỉ tiêu tỷ lệ)", coerce=int, required=False, empty_value=None
    )
    report_every = forms.ChoiceField(label="Kỳ báo cáo", choices=REPORT_KINDS)
    judged = forms.ChoiceField(label="Thời điểm đánh giá", choices=Judged.choices)
    min_value = forms.CharField(label="Giá trị nhỏ nhất", required=False, help_text=_NUMBER_HELP)
    max_value = forms.CharField(label="Giá trị lớn nhất", required=False, help_text=_NUMBER_HELP)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, document, target: Target | None = None, **kwargs):
        self.years = _years(document)
        if target is not None:
            initial = {f: getattr(target, f) for f in TARGET_FIELDS if f not in ("numerator", "denominator")}
            for f in ("baseline_value", "target_value", "min_value", "max_value"):
                initial[f] = _shown(initial[f])
            initial.update(
                numerator=target.numerator_id, denominator=target.denominator_id, version=target.version
            )
            for m in target.milestones.all():
                initial[f"nam_{m.year}"] = _shown(m.value)
                if m.year not in self.years:
                    self.years.append(m.year)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        others = Target.objects.filter(document=document).exclude(time_aggregation=TimeAggregation.RATIO)
        if target is not None:
            others = others.exclude(pk=target.pk)
        parts = [("", "—")] + [(t.pk, str(t)) for t in others.order_by("order", "id")]
        self.fields["numerator"].choices = parts
        self.fields["denominator"].choices = parts
        for year in sorted(self.years):
            self.fields[f"nam_{year}"] = forms.CharField(label=f"Mục tiêu năm {year}", required=False)
        self.fields["code"].error_messages["required"] = "Chưa nhập mã chỉ tiêu."
        self.fields["name"].error_messages["required"] = "Chưa nhập tên chỉ tiêu."
        if target is None:
            del self.fields["version"]
        self._parts = {t.pk: t for t in others}

    def year_fields(self):
        return [self[f"nam_{y}"] for y in sorted(self.years)]

    def plain_fields(self):
        return [f for f in self if not f.name.startswith("nam_") and f.name != "version"]

    def milestones(self) -> dict[str, str]:
        """{"2026": "200", …}: the years given a goal (read by the action)."""
        data = self.cleaned_data
        return {str(y): data[f"nam_{y}"] for y in self.years if data.get(f"nam_{y}", "").strip()}

    def fields_for_action(self) -> dict:
        data = self.cleaned_data
        out = {f: data[f] for f in TARGET_FIELDS if f not in ("numerator", "denominator", "order")}
        out["numerator"] = self._parts.get(data["numerator"]) if data["numerator"] else None
        out["denominator"] = self._parts.get(data["denominator"]) if data["denominator"] else None
        return out
