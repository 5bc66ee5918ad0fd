from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from ninja import Router, Status

from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset, Word
from nghiquyet.core.text import normalize_name
from nghiquyet.core.versions import StaleVersionError
from nghiquyet.orgs.models import UnitKind
from nghiquyet.targets.actions import do_create_target
from nghiquyet.targets.models import Target
from nghiquyet.targets.schemas import TargetIn, TargetOut

from .access import (
    access_admin_unit,
    access_document,
    access_document_for_edit,
    access_linkable_documents,
    is_admin_somewhere,
    visible_documents,
)
from .actions import do_create_document, do_record_reference_document, do_update_document
from .schemas import (
    DocumentConflictOut,
    DocumentCreatedOut,
    DocumentDetailOut,
    DocumentIn,
    DocumentOut,
    DocumentPatch,
)

router = Router(tags=["Văn bản"])


@router.get("", response=answers({200: list[DocumentOut]}))
def list_documents(request, q: Word = "", kind: Word = "", limit: Limit = 100, offset: Offset = 0):
    """Documents the caller may read (the same rule as the pages)."""
    qs = visible_documents(request.user)
    if q:
        qs = qs.filter(Q(title_key__contains=normalize_name(q)) | Q(sign__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("-issued", "-id")[offset : offset + limit])


@router.get("/{document_id}", response=answers({200: DocumentDetailOut}))
def get_document(request, document_id: Id):
    doc = access_document(request.user, document_id)
    visible = visible_documents(request.user)
    return {
        **DocumentOut.from_orm(doc).dict(),
        "summary": doc.summary,
        "implements": list(visible.filter(implemented_by=doc).values_list("pk", flat=True)),
        "implemented_by": list(visible.filter(implements=doc).values_list("pk", flat=True)),
        "targets": list(doc.targets.order_by("order", "id").values_list("pk", flat=True)),
    }


def _payload_changes(payload, names) -> dict:
    """The fields the client sent (an omitted field is left as it is)."""
    sent = payload.model_fields_set
    return {n: getattr(payload, n) for n in names if n in sent}


@router.post(
    "",
    response=answers({201: DocumentCreatedOut, 200: DocumentCreatedOut}, 403, body=True),
    url_name="create_document",
)
def create_document(request, payload: DocumentIn):
    """Create a document issued by a unit the caller administers (201), or
    record a document issued above the province (issuing unit central or
    none): any administrator may, and one already recorded with the same
    sign is returned (200, ``created``: false), never duplicated."""
    user = request.user
    unit = None
    if payload.issuing_unit_id is not None:
        unit = access_admin_unit(user, payload.issuing_unit_id, allow_central=True)
    elif not is_admin_somewhere(user):
        raise PermissionDenied("Đồng chí không có quyền quản trị đơn vị nào.")
    fields = payload.dict(exclude={"issuing_unit_id", "implements", "number"})
    if unit is None or unit.kind == UnitKind.CENTRAL:
        if payload.implements:
            raise ValidationError("Văn bản dùng chung của cấp trên không liên kết văn bản khác ở đây.")
        doc, created = do_record_reference_document(issuing_unit=unit, acting_user=user, **fields)
    else:
        implements = access_linkable_documents(user, payload.implements)
        doc = do_create_document(
            issuing_unit=unit, number=payload.number, implements=implements, acting_user=user, **fields
        )
        created = True
    return Status(201 if created else 200, {**DocumentOut.from_orm(doc).dict(), "created": created})


@router.patch(
    "/{document_id}", response=answers({200: DocumentOut, 409: DocumentConflictOut}, 403, body=True)
)
def update_document(request, document_id: Id, payload: DocumentPatch):
    """Change a document (administrator of its issuing unit). Needs the
    ``expected_version`` read; without it or with another, 409 with the
    current document. ``implements`` replaces the list of documents above."""
    user = request.user
    doc = access_document_for_edit(user, document_id)
    changes = _payload_changes(
        payload,
        (
            "kind",
            "title",
            "sign",
            "number",
            "issuer_name",
            "issued",
            "term_start",
            "term_end",
            "valid_to",
            "summary",
        ),
    )
    for name in ("kind", "title", "sign", "number", "issuer_name", "summary"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if "issuing_unit_id" in payload.model_fields_set:
        if payload.issuing_unit_id is None:
            raise ValidationError("Văn bản của đơn vị phải có cơ quan ban hành.")
        changes["issuing_unit"] = access_admin_unit(user, payload.issuing_unit_id)
    implements = None
    if payload.implements is not None:
        implements = access_linkable_documents(user, payload.implements)
    try:
        doc = do_update_document(
            doc,
            acting_user=user,
            expected_version=payload.expected_version,
            changes=changes,
            implements=implements,
        )
    except StaleVersionError as exc:
        return Status(409, {"detail": " ".join(exc.messages), "current": exc.current})
    return doc


@router.post(
    "/{document_id}/targets", response=answers({201: TargetOut}, 403, body=True), url_name="create_target"
)
def create_target(request, document_id: Id, payload: TargetIn):
    """Add a target to a document (administrator of its issuing unit), with
    every attribute the roll-up reads and its yearly milestones."""
    doc = access_document_for_edit(request.user, document_id)
    fields = payload.dict(exclude={"milestones", "numerator", "denominator"})
    for name in ("numerator", "denominator"):
        ref = getattr(payload, name)
        fields[name] = None
        if ref is not None:
            fields[name] = Target.objects.filter(document=doc, pk=ref).first()
            if fields[name] is None:
                raise ValidationError("Tử số và mẫu số phải là chỉ tiêu của cùng văn bản.")
    target = do_create_target(doc, acting_user=request.user, milestones=payload.milestones or {}, **fields)
    return Status(201, Target.objects.prefetch_related("milestones").get(pk=target.pk))
