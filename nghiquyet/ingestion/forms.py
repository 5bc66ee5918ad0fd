"""Forms of the ingestion review: a new source, and one form per kind of
suggestion to edit it before accepting it (its fields become the ``edits``
passed to ``do_accept_suggestion``, plus the choices the action needs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from nghiquyet.accounts.access import visible_units
from nghiquyet.accounts.models import Role
from nghiquyet.core.forms import VietnameseDateField
from nghiquyet.core.numbers import NumberError, format_number, parse_number
from nghiquyet.core.periods import Period, PeriodError, PeriodKind, current_period, parse_period
from nghiquyet.core.uploads import max_upload_bytes, read_upload, size_label, too_large_message
from nghiquyet.documents.signs import DOCUMENT_KINDS
from nghiquyet.targets.access import reporting_units
from nghiquyet.targets.models import Target

from .actions import issuing_unit_for
from .models import Suggestion


def current_units(user, min_role: str = Role.REPORTER):
    """Current units where ``user`` holds ``min_role``: the choices for a
    receiving unit, an organiser, a merge's scope."""
    return visible_units(user, min_role).current().vn_ordered()


def _unit_choices(units) -> list[tuple]:
    return [("", "— Chọn đơn vị —")] + [(u.pk, u.name) for u in units]


class IngestForm(forms.Form):
    text = forms.CharField(
        label="Dán nội dung tin bài",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label="Hoặc chọn tệp",
        required=False,
        help_text="Văn bản (.txt), trang web (.html) hoặc Word (.docx).",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.htm,.html,.docx,text/plain,text/html"}),
    )
    origin = forms.CharField(
        label="Nguồn",
        required=False,
        max_length=1000,
        help_text="Địa chỉ trang, tên báo hoặc tên tệp (không bắt buộc).",
    )
    unit = forms.TypedChoiceField(label="Đơn vị tiếp nhận", coerce=int)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = _unit_choices(units)
        self.fields["unit"].error_messages["required"] = "Chưa chọn đơn vị tiếp nhận."
        self.fields["unit"].error_messages["invalid_choice"] = "Đơn vị tiếp nhận không hợp lệ."
        if len(self.units) == 1:
            self.fields["unit"].initial = next(iter(self.units))
        field = self.fields["file"]
        field.help_text = f"{field.help_text[:-1]}, tối đa {size_label(max_upload_bytes())}."

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f is not None and f.size > max_upload_bytes():  # measured before it is read
            raise ValidationError(too_large_message())
        return f

    def clean(self):
        cleaned = super().clean()
        text, f = (cleaned.get("text") or "").strip(), cleaned.get("file")
        if not text and f is None:
            raise ValidationError("Hãy dán nội dung tin bài hoặc chọn một tệp.")
        if text and f is not None:
            raise ValidationError("Chỉ dán nội dung hoặc chọn tệp, không dùng cả hai cùng lúc.")
        return cleaned

    def payload(self) -> tuple[bytes, str]:
        """The bytes to ingest and their name (the file's, or a pasted text's)."""
        f = self.cleaned_data.get("file")
        if f is not None:
            return read_upload(f), f.name
        return self.cleaned_data["text"].encode("utf-8"), "van-ban-dan.txt"

    def unit_obj(self):
        return self.units[self.cleaned_data["unit"]]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Lý do loại",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần ghi lý do loại dữ kiện."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Cần ghi lý do loại dữ kiện.")
        return reason


class SuggestionForm(forms.Form):
    """Base of the per-kind forms: ``initial`` comes from the suggestion's
    data; ``accept_args()`` gives the keyword arguments of the action, with
    ``edits`` holding only what the person changed."""

    def __init__(self, *args, suggestion: Suggestion, user, **kwargs):
        self.suggestion = suggestion
        self.user = user
        kwargs.setdefault("initial", self.initial_from(suggestion))
        # Several cards may be open on one page: ids must not collide.
        kwargs.setdefault("auto_id", f"goi-y-{suggestion.pk}-%s")
        super().__init__(*args, **kwargs)
        self.setup()

    def setup(self) -> None:
        pass

    def initial_from(self, s: Suggestion) -> dict:
        return {}

    def data_of(self) -> dict:
        """The cleaned fields, as keys of the suggestion's data."""
        return {}

    def extras(self) -> dict:
        return {}

    def accept_args(self) -> dict:
        original = self.suggestion.data
        edits = {k: v for k, v in self.data_of().items() if original.get(k) != v}
        return {"edits": edits, **self.extras()}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _from_iso(value) -> dt.date | None:
    if isinstance(value, str) and len(value) == 10 and not value.startswith("--"):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class PersonForm(SuggestionForm):
    name = forms.CharField(label="Họ và tên", max_length=128)
    titles = forms.CharField(
        label="Chức vụ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi chức vụ một dòng.",
    )

    def initial_from(self, s):
        return {"name": s.data.get("name", ""), "titles": "\n".join(s.data.get("titles") or [])}

    def data_of(self):
        titles = [" ".join(t.split()) for t in self.cleaned_data["titles"].splitlines()]
        return {"name": " ".join(self.cleaned_data["name"].split()), "titles": [t for t in titles if t]}


class DocumentForm(SuggestionForm):
    kind = forms.ChoiceField(label="Loại văn bản", choices=[("", "— Chọn loại —"), *DOCUMENT_KINDS])
    number = forms.CharField(label="Số", max_length=32, required=False)
    symbol = forms.CharField(label="Số, ký hiệu", max_length=64, required=False, help_text="Ví dụ: 79-CTr/TU")
    issued = VietnameseDateField(label="Ngày ban hành", required=False, help_text="ngày/tháng/năm")
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=255, required=False)
    title = forms.CharField(
        label="Tên văn bản", max_length=500, required=False, help_text="Khi văn bản không có số, ký hiệu."
    )
    issuing_unit = forms.TypedChoiceField(
        label="Lưu là văn bản của",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Đơn vị ban hành trong hệ thống, khi văn bản chưa có; chỉ các đơn vị của đồng chí.",
    )

    def setup(self):
        self.fields["kind"].error_messages["required"] = "Chưa chọn loại văn bản."
        self.units = list(current_units(self.user))
        self.fields["issuing_unit"].choices = _unit_choices(self.units)
        self.fields["issuing_unit"].error_messages["invalid_choice"] = "Đơn vị ban hành không hợp lệ."

    def initial_from(self, s):
        d = s.data
        issuing = issuing_unit_for(d, s.source, self.user)
        return {
            "kind": d.get("kind") or "",
            "number": d.get("number") or "",
            "symbol": d.get("symbol") or "",
            "issued": _from_iso(d.get("issued")),
            "issuer": d.get("issuer") or "",
            "title": d.get("title") or "",
            "issuing_unit": issuing.pk if issuing is not None else None,
        }

    def data_of(self):
        c = self.cleaned_data
        original = self.suggestion.data
        out = {
            "kind": c["kind"],
            "number": c["number"].strip() or None,
            "symbol": c["symbol"].strip() or None,
            "issuer": c["issuer"].strip() or None,
            "title": " ".join(c["title"].split()) or None,
        }
        issued = _iso(c["issued"])
        # A partial date the form cannot show ("--10-30") stays unless replaced.
        if issued or _from_iso(original.get("issued")):
            out["issued"] = issued
        return {k: v for k, v in out.items() if v or original.get(k)}

    def extras(self):
        chosen = self.cleaned_data.get("issuing_unit")
        return {"unit": {u.pk: u for u in self.units}[chosen]} if chosen else {}


class MeetingForm(SuggestionForm):
    title = forms.CharField(label="Tên hội nghị", max_length=500)
    date = VietnameseDateField(label="Ngày họp", help_text="ngày/tháng/năm")
    organiser = forms.TypedChoiceField(label="Đơn vị tổ chức", coerce=int)
    online = forms.BooleanField(label="Tổ chức trực tuyến", required=False)
    bridge_points = forms.IntegerField(label="Số điểm cầu", required=False, min_value=0, max_value=100000)

    def setup(self):
        self.units = list(current_units(self.user))
        self.fields["organiser"].choices = _unit_choices(self.units)
        self.fields["organiser"].error_messages["required"] = "Chọn đơn vị tổ chức hội nghị."
        self.fields["organiser"].error_messages["invalid_choice"] = "Đơn vị tổ chức không hợp lệ."
        self.fields["title"].error_messages["required"] = "Chưa có tên hội nghị."
        self.fields["date"].error_messages["required"] = "Chưa có ngày họp đầy đủ (ngày/tháng/năm)."

    def initial_from(self, s):
        d = s.data
        return {
            "title": d.get("title") or "",
            "date": _from_iso(d.get("date")),
            "organiser": s.source.unit_id,
            "online": bool(d.get("online")),
            "bridge_points": d.get("bridge_points"),
        }

    def data_of(self):
        c = self.cleaned_data
        return {
            "title": " ".join(c["title"].split()),
            "date": _iso(c["date"]),
            "online": bool(c["online"]) or bool(c["bridge_points"]),
            "bridge_points": c["bridge_points"],
        }

    def extras(self):
        units = {u.pk: u for u in self.units}
        return {"unit": units[self.cleaned_data["organiser"]]}


def recent_periods(today: dt.date) -> list[Period]:
    """Periods offered for a figure: recent quarters, halves and years."""
    out: list[Period] = []
    for kind, count in ((PeriodKind.QUARTER, 4), (PeriodKind.HALF, 2), (PeriodKind.YEAR, 2)):
        p = current_period(kind, today)
        for _ in range(count):
            out.append(p)
            p = p.previous()
    return out


class FigureForm(SuggestionForm):
    target = forms.TypedChoiceField(label="Chỉ tiêu", coerce=int)
    unit = forms.TypedChoiceField(label="Đơn vị", coerce=int)
    period = forms.CharField(
        label="Kỳ báo cáo", max_length=64, help_text="Ví dụ: Quý II/2026, 6 tháng đầu năm 2026, Năm 2025."
    )
    value = forms.CharField(label="Giá trị", max_length=64, help_text="Viết kiểu Việt Nam: 2.989 hoặc 48,93.")
    # The result the person was shown, "target:unit:period:version"; empty
    # (or another cell's) means none: the write then refuses to overwrite.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def setup(self):
        self.units = list(reporting_units(self.user))
        self.targets = list(
            Target.objects.filter(assignments__unit__in=[u.pk for u in self.units])
            .select_related("document")
            .distinct()
            .order_by("-document__issued", "document_id", "order", "id")
        )
        self.fields["unit"].choices = _unit_choices(self.units)
        self.fields["target"].choices = [("", "— Chọn chỉ tiêu —")] + [
            (
                t.pk,
                f"{t.document} – {t.code}. {t.name} ({t.measure})"
                if t.measure
                else f"{t.document} – {t.code}. {t.name}",
            )
            for t in self.targets
        ]
        self.fields["target"].error_messages["required"] = "Chọn chỉ tiêu cho số liệu này."
        self.fields["target"].error_messages["invalid_choice"] = "Chỉ tiêu không hợp lệ."
        self.fields["unit"].error_messages["required"] = "Chọn đơn vị của số liệu."
        self.fields["unit"].error_messages["invalid_choice"] = "Đơn vị không hợp lệ."
        self.fields["period"].error_messages["required"] = "Chọn kỳ báo cáo."
        self.fields["period"].widget.attrs["list"] = f"goi-y-{self.suggestion.pk}-ky"
        self.fields["value"].error_messages["required"] = "Chưa có giá trị."

    def initial_from(self, s):
        value = s.data.get("value")
        return {
            "value": format_number(value) if isinstance(value, (int, float)) else value,
            "unit": s.source.unit_id,
        }

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None

    def clean_value(self):
        try:
            return parse_number(self.cleaned_data["value"])
        except (NumberError, ValueError):
            raise ValidationError("Giá trị phải là số, ví dụ 2.989 hoặc 48,93.") from None

    def data_of(self):
        value: Decimal = self.cleaned_data["value"]
        # JSON holds the number: an int when whole, else a float (as the extractor writes it).
        return {"value": int(value) if value == value.to_integral_value() else float(value)}

    def _cell(self) -> str:
        c = self.cleaned_data
        return f"{c['target']}:{c['unit']}:{c['period'].key()}"

    def extras(self):
        c = self.cleaned_data
        units = {u.pk: u for u in self.units}
        targets = {t.pk: t for t in self.targets}
        cell, _, version = (c.get("seen") or "").rpartition(":")
        expected = int(version) if cell == self._cell() and version.isdigit() else 0
        return {
            "target": targets[c["target"]],
            "unit": units[c["unit"]],
            "period": c["period"],
            "expected_version": expected,
        }

    def seeing(self, version: int) -> FigureForm:
        """The same form, now stating that the person saw ``version`` of the
        result of the cell they chose (the conflict message shows it)."""
        data = self.data.copy()
        data["seen"] = f"{self._cell()}:{version}"
        return FigureForm(data, suggestion=self.suggestion, user=self.user)


class MergeForm(SuggestionForm):
    unit_name = forms.CharField(label="Đơn vị mới (hoặc đơn vị tiếp nhận)", max_length=255)
    parts = forms.CharField(
        label="Các đơn vị được sắp xếp",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi đơn vị một dòng, như tên trong bài (ví dụ: xã Tùng Ảnh).",
    )
    effective = VietnameseDateField(label="Ngày hiệu lực", help_text="ngày/tháng/năm")
    scope = forms.TypedChoiceField(
        label="Tìm đơn vị trong",
        coerce=int,
        help_text="Cấp ủy có các đơn vị được sắp xếp; cần quyền quản trị trên cấp ủy đó.",
    )

    def setup(self):
        # Restructuring the tree is an administrator's decision.
        self.units = list(current_units(self.user, Role.ADMIN))
        self.fields["scope"].choices = _unit_choices(self.units)
        self.fields["scope"].error_messages["required"] = "Chọn cấp ủy có các đơn vị được sắp xếp."
        self.fields["scope"].error_messages["invalid_choice"] = (
            "Cấp ủy không hợp lệ hoặc đồng chí không có quyền."
        )
        self.fields["effective"].error_messages["required"] = "Cần ngày hiệu lực của việc sắp xếp."

    def initial_from(self, s):
        d = s.data
        return {
            "unit_name": d.get("unit") or "",
            "parts": "\n".join(d.get("parts") or []),
            "effective": _from_iso(d.get("effective") or d.get("date")),
            "scope": s.source.unit_id,
        }

    def data_of(self):
        parts = [" ".join(p.split()) for p in self.cleaned_data["parts"].splitlines()]
        return {"unit": " ".join(self.cleaned_data["unit_name"].split()), "parts": [p for p in parts if p]}

    def extras(self):
        units = {u.pk: u for u in self.units}
        return {"unit": units[self.cleaned_data["scope"]], "effective": self.cleaned_data["effective"]}


FORMS: dict[str, type[SuggestionForm]] = {
    Suggestion.Kind.PERSON: PersonForm,
    Suggestion.Kind.DOCUMENT: DocumentForm,
    Suggestion.Kind.MEETING: MeetingForm,
    Suggestion.Kind.FIGURE: FigureForm,
    Suggestion.Kind.MERGE: MergeForm,
}


def suggestion_form(suggestion: Suggestion, user, data=None) -> SuggestionForm:
    """The edit form for a suggestion of any kind."""
    return FORMS[suggestion.kind](data, suggestion=suggestion, user=user)


def reject_form(suggestion: Suggestion, data=None) -> RejectForm:
    return RejectForm(data, auto_id=f"goi-y-{suggestion.pk}-%s")
