"""Pages that change a target (adding one is on its document's pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from nghiquyet.documents.access import can_edit_document

from .access import access_target
from .actions import do_update_target
from .models import Target
from .target_form import TargetForm


@login_required
def edit(request, pk):
    """Change a target; the form carries the version it showed, and what the
    target said before is kept (its history is shown on its page)."""
    target = access_target(request.user, pk)
    if not can_edit_document(request.user, target.document):
        raise PermissionDenied("Đồng chí không có quyền sửa chỉ tiêu này.")
    target = Target.objects.select_related("document").prefetch_related("milestones").get(pk=target.pk)
    form = TargetForm(request.POST or None, document=target.document, target=target)
    if request.method == "POST":
        if form.is_valid():
            changes = form.fields_for_action()
            try:
                do_update_target(
                    target,
                    acting_user=request.user,
                    expected_version=form.cleaned_data["version"],
                    changes=changes,
                    milestones=form.milestones(),
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, "Đã lưu chỉ tiêu; giá trị cũ được giữ trong lịch sử.")
                return redirect("targets:detail", target.pk)
        status = 400
    else:
        status = 200
    return render(
        request, "targets/form.html", {"form": form, "doc": target.document, "target": target}, status=status
    )
