from __future__ import annotations

from django.db.models import Q
from ninja import Router

from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset, Word
from nghiquyet.core.text import normalize_name

from .access import access_document, visible_documents
from .schemas import DocumentDetailOut, DocumentOut

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
