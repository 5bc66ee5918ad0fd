"""The meeting form: the meeting itself, then rows of participants and of
conclusions (each with at most one task), read by index from the POST."""

from __future__ import annotations

from django import forms

from nghiquyet.core.dates import DateError, parse_date
from nghiquyet.core.forms import VietnameseDateField
from nghiquyet.tasks.models import TaskKind

from .actions import ConclusionSpec
from .models import MeetingKind, Participant

PARTICIPANT_ROWS = 4
CONCLUSION_ROWS = 3
MAX_ROWS = 60


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Loại hội nghị", choices=MeetingKind.choices)
    title = forms.CharField(label="Tên hội nghị", max_length=500)
    date = VietnameseDateField(label="Ngày", help_text="ngày/tháng/năm")
    organiser = forms.TypedChoiceField(label="Đơn vị tổ chức", coerce=int)
    online = forms.BooleanField(label="Tổ chức trực tuyến", required=False)
    bridge_points = forms.IntegerField(label="Số điểm cầu", required=False, min_value=0, max_value=100000)
    documents = forms.TypedMultipleChoiceField(label="Văn bản được xem xét", coerce=int, required=False)
    summary = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = [("", "— Chọn đơn vị —")] + [(u.pk, u.name) for u in units]
        self.fields["documents"].choices = [(d.pk, str(d)) for d in documents]
        self.fields["title"].error_messages["required"] = "Chưa nhập tên hội nghị."
        self.fields["date"].error_messages["required"] = "Chưa nhập ngày hội nghị."
        self.fields["organiser"].error_messages["required"] = "Chưa chọn đơn vị tổ chức."


def _count(data, prefix: str, default: int) -> int:
    indices = [k[len(prefix) :] for k in data if k.startswith(prefix)]
    n = max((int(i) for i in indices if i.isdigit()), default=default)
    return min(max(n, default), MAX_ROWS)


class Rows:
    """Participant and conclusion rows, with their Vietnamese errors."""

    def __init__(self, data=None, unit_ids=()):
        self.data = data
        self.unit_ids = set(unit_ids)
        self.errors: list[str] = []
        self.participants: list[dict] = []
        self.conclusions: list[dict] = []
        d = data or {}
        for i in range(1, _count(d, "ten_", PARTICIPANT_ROWS) + 1):
            self.participants.append(
                {
                    "i": i,
                    "name": d.get(f"ten_{i}", ""),
                    "role": d.get(f"vai_tro_{i}", Participant.Role.ATTENDEE),
                    "title": d.get(f"chuc_vu_{i}", ""),
                }
            )
        for i in range(1, _count(d, "ket_luan_", CONCLUSION_ROWS) + 1):
            self.conclusions.append(
                {
                    "i": i,
                    "text": d.get(f"ket_luan_{i}", ""),
                    "task": d.get(f"nhiem_vu_{i}", ""),
                    "lead": d.get(f"chu_tri_{i}", ""),
                    "deadline": d.get(f"han_{i}", ""),
                    "kind": d.get(f"loai_{i}", TaskKind.ROUTINE),
                    "error": "",
                }
            )

    def clean(self, unit_by_id) -> tuple[list[tuple[str, str, str]], list[ConclusionSpec]] | None:
        people = []
        for p in self.participants:
            if p["name"].strip():
                role = p["role"] if p["role"] in Participant.Role.values else Participant.Role.ATTENDEE
                people.append((p["name"], role, p["title"]))
        specs = []
        for c in self.conclusions:
            text, task = c["text"].strip(), c["task"].strip()
            if not text and not task:
                continue
            if not text:
                c["error"] = "Chưa nhập nội dung kết luận."
                continue
            tasks = []
            if task:
                try:
                    lead = unit_by_id.get(int(c["lead"]))
                except (TypeError, ValueError):
                    lead = None
                if lead is None:
                    c["error"] = "Chưa chọn đơn vị chủ trì nhiệm vụ."
                    continue
                deadline = None
                if c["deadline"].strip():
                    try:
                        deadline = parse_date(c["deadline"])
                    except (DateError, ValueError):
                        c["error"] = "Thời hạn không hợp lệ; nhập theo dạng ngày/tháng/năm."
                        continue
                kind = c["kind"] if c["kind"] in TaskKind.values else TaskKind.ROUTINE
                tasks.append((task, lead, deadline, kind))
            specs.append(ConclusionSpec(text=text, tasks=tasks))
        if any(c["error"] for c in self.conclusions):
            self.errors.append("Có kết luận cần sửa.")
            return None
        return people, specs
