from django import template

from nghiquyet.core.numbers import format_number
from nghiquyet.documents.access import can_edit_document
from nghiquyet.targets.models import Target
from nghiquyet.targets.target_history import target_history

register = template.Library()

# Attributes shown in a target's history, with their Vietnamese names.
_SHOWN = {
    "name": "Tên",
    "target_value": "Mục tiêu cả nhiệm kỳ",
    "baseline_value": "Giá trị gốc",
    "direction": "Chiều đánh giá",
    "time_aggregation": "Tổng hợp theo thời gian",
    "unit_aggregation": "Tổng hợp theo đơn vị",
    "judged": "Thời điểm đánh giá",
    "min_value": "Giá trị nhỏ nhất",
    "max_value": "Giá trị lớn nhất",
    "milestones": "Mục tiêu năm",
}


def _text(value, key: str = "") -> str:
    if isinstance(value, dict):
        return "; ".join(f"{y}: {_text(v)}" for y, v in sorted(value.items())) or "–"
    choices = dict(Target._meta.get_field(key).choices or ()) if key else {}
    if value in choices:
        return str(choices[value])
    if value is None or value == "":
        return "–"
    try:
        return format_number(value)
    except (ValueError, ArithmeticError, TypeError):  # not a number: shown as it is
        return str(value)


@register.inclusion_tag("targets/partials/authoring.html", takes_context=True)
def target_authoring(context, target):
    """The edit link (for those who may edit) and the target's history: each
    version, when it was replaced and what changed."""
    user = context["request"].user
    versions = target_history(target)
    changes = []
    for old, new in zip(versions, versions[1:], strict=False):
        diff = [
            (label, _text(old["data"].get(key), key), _text(new["data"].get(key), key))
            for key, label in _SHOWN.items()
            if old["data"].get(key) != new["data"].get(key)
        ]
        changes.append(
            {"at": old["replaced_at"], "by": old["replaced_by"], "version": old["version"], "diff": diff}
        )
    return {"target": target, "can_edit": can_edit_document(user, target.document), "changes": changes[::-1]}
