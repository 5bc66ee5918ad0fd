"""A figure's page: its history as people read it (who, when, value,
status, reason), from the audit rows its writers leave."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from nghiquyet.audit.labels import action_label
from nghiquyet.audit.models import AuditEntry

from .access import access_result
from .models import Result, ResultStatus


def _value(raw):
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _status(state: dict) -> str:
    status = state.get("status") or ""
    if status == ResultStatus.DRAFT and state.get("returned_reason"):
        return "Bị trả lại"
    return dict(ResultStatus.choices).get(status, status)


def result_history(result: Result) -> list[dict]:
    """Every write of ``result``, oldest first: when, who (by the audit's
    actor), what was done, the value and status it left, and the reason
    (a return's) or the reporter's note."""
    entries = list(
        AuditEntry.objects.filter(object_type="targets.result", object_id=str(result.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
    rows = []
    state: dict = {}  # the figure as the last write left it
    for e in entries:
        after = e.after if isinstance(e.after, dict) else {}
        before = e.before if isinstance(e.before, dict) else {}
        if e.action == "confirm_warnings":
            # Not a change of the figure: the warnings its reporter confirmed.
            text = "Cảnh báo đã xác nhận: " + " ".join(after.get("warnings") or [])
            after, before = state, state
        else:
            text = ""
            state = after
        if e.action == "return_result":
            text = f"Lý do trả lại: {after.get('returned_reason') or ''}"
        elif not text and (note := after.get("note") or "") and note != before.get("note"):
            text = note
        rows.append(
            {
                "at": e.at,
                "actor": e.actor,
                "action": action_label(e.action),
                "value": _value(after.get("value")),
                "status": _status(after),
                "text": text,
            }
        )
    return rows


@login_required
def history(request, pk):
    """One figure and its history; any reader of its unit may see it."""
    result = access_result(request.user, pk)
    result = Result.objects.select_related(
        "target__document", "unit", "reported_by", "approved_by", "returned_by"
    ).get(pk=result.pk)
    return render(request, "targets/history.html", {"result": result, "rows": result_history(result)})
