"""What accepted suggestions became: the records, fetched in one query per
kind, with a label and the page that shows them."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import PeriodError, parse_period_key

# Each record type and what to fetch with it for its label.
_RELATED = {
    "targets.result": ("target", "unit"),
    "orgs.person": (),
    "documents.document": (),
    "meetings.meeting": ("organiser",),
    "orgs.orgunit": (),
}


@dataclass(frozen=True)
class RecordLink:
    kind: str
    label: str
    url: str | None
    obj: object


def records_for(suggestions) -> dict[tuple[str, str], object]:
    """The records of the suggestions, keyed by (record_type, record_id)."""
    wanted: dict[str, set[str]] = {}
    for s in suggestions:
        if s.record_type and s.record_id:
            wanted.setdefault(s.record_type, set()).add(s.record_id)
    out: dict[tuple[str, str], object] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        qs = model._default_manager.select_related(*_RELATED.get(label, ()))
        for pk, obj in qs.in_bulk([int(i) for i in ids if i.isdigit()]).items():
            out[(label, str(pk))] = obj
    return out


def _url(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def record_link(obj) -> RecordLink | None:
    """A record as the review shows it: what it is, its name, its page."""
    if obj is None:
        return None
    label = obj._meta.label_lower
    if label == "documents.document":
        return RecordLink("Văn bản", str(obj), _url("documents:detail", obj.pk), obj)
    if label == "meetings.meeting":
        return RecordLink("Hội nghị", str(obj), _url("meetings:detail", obj.pk), obj)
    if label == "targets.result":
        value = format_number(obj.value) if obj.value is not None else "–"
        try:
            period = parse_period_key(obj.period_key).label
        except (PeriodError, ValueError):
            period = obj.period_key
        text = f"{obj.target.name}: {value} {obj.target.measure} – {obj.unit.name}, {period}"
        return RecordLink(
            "Kết quả", text, _url("targets:detail", obj.target_id, query=f"?don_vi={obj.unit_id}"), obj
        )
    if label == "orgs.orgunit":
        return RecordLink("Đơn vị", obj.name, _url("orgs:detail", obj.pk), obj)
    if label == "orgs.person":
        return RecordLink("Cá nhân", str(obj), None, obj)
    return RecordLink(obj._meta.verbose_name, str(obj), None, obj)
