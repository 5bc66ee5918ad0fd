"""The document form: a unit's own document, or a shared record of one
issued above the province (the centre's, matched by its sign)."""

from __future__ import annotations

from django import forms

from nghiquyet.accounts.access import scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.core.forms import VietnameseDateField
from nghiquyet.orgs.models import OrgUnit, UnitKind

from .access import linkable_documents
from .signs import DOCUMENT_KINDS

LINKABLE_MAX = 300


def admin_units(user) -> list[OrgUnit]:
    """Units the user may issue a document or give a task for: the current
    roots of their administrator scope and the units directly under them."""
    paths = scope_paths(user, Role.ADMIN)
    if not paths:
        return []
    if paths == [""]:
        roots = list(OrgUnit.objects.filter(parent__isnull=True).current())
    else:
        roots = list(OrgUnit.objects.filter(path__in=paths).current().vn_ordered())
    kids = OrgUnit.objects.filter(parent__in=roots).current().vn_ordered()
    return roots + [u for u in kids if u not in roots]


def central_units() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=UnitKind.CENTRAL).current().vn_ordered())


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=DOCUMENT_KINDS)
    sign = forms.CharField(label="Số, ký hiệu", max_length=64, required=False, help_text="ví dụ 79-CTr/TU")
    title = forms.CharField(label="Trích yếu", max_length=500)
    issuing_unit = forms.TypedChoiceField(label="Cơ quan ban hành", coerce=int)
    issuer_name = forms.CharField(label="Cơ quan ban hành (theo văn bản)", max_length=255, required=False)
    issued = VietnameseDateField(label="Ngày ban hành", required=False, help_text="ngày/tháng/năm")
    term_start = forms.IntegerField(label="Nhiệm kỳ từ năm", required=False, min_value=1945, max_value=2100)
    term_end = forms.IntegerField(label="Nhiệm kỳ đến năm", required=False, min_value=1945, max_value=2100)
    valid_to = VietnameseDateField(label="Hết hiệu lực từ", required=False, help_text="ngày/tháng/năm")
    implements = forms.TypedMultipleChoiceField(label="Thực hiện văn bản", coerce=int, required=False)
    summary = forms.CharField(label="Tóm tắt", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, units, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— Chọn đơn vị —")] + [(u.pk, u.name) for u in units]
        if document is None:
            # Recording a central document (shared by every province) is offered to any administrator.
            choices += [(u.pk, f"{u.name} (văn bản dùng chung)") for u in central_units()]
        self.fields["issuing_unit"].choices = choices
        linkable = linkable_documents(user).select_related("issuing_unit").order_by("-issued", "-id")
        if document is not None:
            linkable = linkable.exclude(pk=document.pk)
        self.fields["implements"].choices = [(d.pk, f"{d} – {d.title[:80]}") for d in linkable[:LINKABLE_MAX]]
        self.fields["title"].error_messages["required"] = "Chưa nhập trích yếu văn bản."
        self.fields["issuing_unit"].error_messages["required"] = "Chưa chọn cơ quan ban hành."
        for name in ("term_start", "term_end"):
            self.fields[name].error_messages.update(
                min_value="Năm phải từ 1945 trở đi.",
                max_value="Năm phải đến 2100 là cùng.",
                invalid="Năm phải là số.",
            )
        if document is None:
            del self.fields["valid_to"]
            del self.fields["version"]
