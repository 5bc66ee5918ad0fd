"""What accepted suggestions became: the records, fetched in one query per
kind, with a label and the page that shows them."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from nghiquyet.accounts.access import path_q, scope_paths
from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import PeriodError, parse_period_key
from nghiquyet.documents.access import can_see_document
from nghiquyet.meetings.access import visible_meetings
from nghiquyet.orgs.models import UnitKind

# Each record type and what to fetch with it for its label.
_RELATED = {
    "targets.result": ("target__document__issuing_unit", "unit"),
    "orgs.person": (),
    "documents.document": ("issuing_unit",),
    "meetings.meeting": ("organiser",),
    "orgs.orgunit": (),
}


@dataclass(frozen=True)
class RecordLink:
    kind: str
    label: str
    url: str | None
    obj: object


def records_for(suggestions, user) -> dict[tuple[str, str], object]:
    """The records of the suggestions that ``user`` may see, keyed by
    (record_type, record_id). A record outside their scope (linked before
    matching was scoped, or since moved) is left out: not even its name."""
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
        qs = _narrow(label, model._default_manager.select_related(*_RELATED.get(label, ())), user)
        found = qs.in_bulk([int(i) for i in ids if i.isdigit()])
        if label == "documents.document":
            found = {pk: d for pk, d in found.items() if _document_shown(d, user)}
        elif label == "targets.result":
            found = {pk: r for pk, r in found.items() if _openable(r.target.document, user)}
        for pk, obj in found.items():
            out[(label, str(pk))] = obj
    return out


def _narrow(label: str, qs, user):
    """``qs`` narrowed in SQL to what ``user`` may see, where the owning
    app's rule is a query; documents are checked after (``_openable``)."""
    if label == "meetings.meeting":
        return qs.filter(pk__in=visible_meetings(user).values("pk"))
    if label == "targets.result":
        return qs.filter(path_q(scope_paths(user), "unit__path"))
    if label == "orgs.orgunit":
        return qs.filter(path_q(scope_paths(user)))
    # A person is shown as the article names them, on the card of a source
    # the user sees; their record has no page of its own.
    return qs


def _openable(doc, user) -> bool:
    """documents.access's rule, without its queries when the document was
    issued in the user's subtrees (what a suggestion they accepted makes)."""
    unit = doc.issuing_unit
    if unit is not None and any(unit.path.startswith(p) for p in scope_paths(user)):
        return True
    return can_see_document(user, doc.pk)


def _is_central(doc) -> bool:
    # The rule of access.central_documents_q, on a fetched document.
    if doc.issuing_unit is not None:
        return doc.issuing_unit.kind == UnitKind.CENTRAL
    return doc.sign.upper().endswith("/TW")


def _document_shown(doc, user) -> bool:
    """A document is named on a card if the user may open it, or if it is a
    shared central one (public: its name tells nothing); only the first
    gets a link."""
    doc.can_open = _openable(doc, user)
    return doc.can_open or _is_central(doc)


def _url(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def record_link(obj, user=None) -> RecordLink | None:
    """A record as the review shows it: what it is, its name, its page (no
    link to a shared central document the user cannot open)."""
    if obj is None:
        return None
    label = obj._meta.label_lower
    if label == "documents.document":
        can_open = getattr(obj, "can_open", None)
        if can_open is None:
            can_open = user is None or _openable(obj, user)
        url = _url("documents:detail", obj.pk) if can_open else None
        return RecordLink("Văn bản", str(obj), url, obj)
    if label == "meetings.meeting":
        return RecordLink("Hội nghị", str(obj), _url("meetings:detail", obj.pk), obj)
    if label == "targets.result":
        value = format_number(obj.value) if obj.value is not None else "–"
        try:
            period = parse_period_key(obj.period_key).label
        except (PeriodError, ValueError):
            period = obj.period_key
        status = obj.get_status_display().lower()
        text = f"{obj.target.name}: {value} {obj.target.measure} – {obj.unit.name}, {period} ({status})"
        return RecordLink(
            "Kết quả", text, _url("targets:detail", obj.target_id, query=f"?don_vi={obj.unit_id}"), obj
        )
    if label == "orgs.orgunit":
        return RecordLink("Đơn vị", obj.name, _url("orgs:detail", obj.pk), obj)
    if label == "orgs.person":
        return RecordLink("Cá nhân", str(obj), None, obj)
    return RecordLink(obj._meta.verbose_name, str(obj), None, obj)
