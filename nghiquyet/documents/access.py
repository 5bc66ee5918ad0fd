"""Guarded reads of documents.

A document is visible to a user when any of these holds:

(a) it was issued by a unit in one of the user's subtrees;
(b) one of its targets is assigned to a unit in those subtrees;
(c) one of its tasks is led by a unit in those subtrees;
(d) a document visible under (a)–(c) implements it, directly or down a
    chain: a commune sees the province's programme and the central
    resolution its own plan carries out, but not its neighbours' plans nor
    the province's documents that concern other units only.

Superusers see every document. Outside these, a document does not exist
for the user: ``access_document`` raises 404, never 403.

What a user sees *inside* a visible document is narrowed again by the
views (roll-ups over units of their subtrees only, tasks they may see).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import access_unit, has_role, path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.models import Assignment
from nghiquyet.tasks.models import Task

from .actions import chain_upward_ids
from .models import Document


def visible_document_ids(user) -> set[int] | None:
    """Ids of the documents ``user`` may read (None: all of them).

    One query for rules (a)–(c) and one per level of the chain for (d);
    cached on the user object for the request."""
    paths = scope_paths(user)
    if paths == [""]:
        return None
    cached = getattr(user, "_nq_document_ids", None)
    if cached is not None:
        return cached
    if not paths:
        ids: set[int] = set()
    else:
        direct = Q(path_q(paths, "issuing_unit__path"))
        direct |= Q(
            pk__in=Assignment.objects.filter(path_q(paths, "unit__path")).values("target__document_id")
        )
        direct |= Q(
            pk__in=Task.objects.filter(
                path_q(paths, "lead_unit__path"), source_document__isnull=False
            ).values("source_document_id")
        )
        ids = set(Document.objects.filter(direct).values_list("pk", flat=True))
        ids |= chain_upward_ids(ids)
    user._nq_document_ids = ids
    return ids


def visible_documents(user) -> QuerySet[Document]:
    """The documents ``user`` may read (see the module docstring for the rule)."""
    ids = visible_document_ids(user)
    if ids is None:
        return Document.objects.all()
    return Document.objects.filter(pk__in=ids)


def can_see_document(user, document_id: int) -> bool:
    ids = visible_document_ids(user)
    return ids is None or document_id in ids


def access_document(user, document_id) -> Document:
    """The document if ``user`` may read it, else 404."""
    try:
        doc = Document.objects.select_related("issuing_unit").get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy văn bản.") from None
    if not can_see_document(user, doc.pk):
        raise Http404("Không tìm thấy văn bản.")
    return doc


# Writing (documents, their targets and tasks) is for a unit's
# administrators, inside their subtree. Shared reference records (issued
# above a province) may be recorded and linked to by any administrator, but
# changed only by a superuser: one province must not rewrite another's
# reference.


def is_admin_somewhere(user) -> bool:
    return bool(scope_paths(user, Role.ADMIN))


def access_admin_unit(user, unit_id, *, allow_central: bool = False) -> OrgUnit:
    """A unit ``user`` administers: 404 outside their subtrees, PermissionDenied
    where they hold less than admin. With ``allow_central``, a central unit
    (the issuer of shared reference documents) is returned to any administrator."""
    try:
        unit = OrgUnit.objects.get(pk=unit_id)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đơn vị.") from None
    if allow_central and unit.kind == UnitKind.CENTRAL and is_admin_somewhere(user):
        return unit
    unit = access_unit(user, unit_id)
    if not has_role(user, unit, Role.ADMIN):
        raise PermissionDenied("Đồng chí không có quyền quản trị đơn vị này.")
    return unit


def can_edit_document(user, doc: Document) -> bool:
    """Whether ``user`` may change ``doc``, its targets and its tasks."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    if doc.is_reference:
        return False
    return has_role(user, doc.issuing_unit, Role.ADMIN)


def access_document_for_edit(user, document_id) -> Document:
    """The document if ``user`` may change it: 404 if they may not read it,
    PermissionDenied if they may read but not change it."""
    doc = access_document(user, document_id)
    if not can_edit_document(user, doc):
        raise PermissionDenied("Đồng chí không có quyền sửa văn bản này.")
    return doc


def linkable_documents(user) -> QuerySet[Document]:
    """What a user's documents may implement: those they may read, and the
    shared reference records (issued above a province)."""
    reference = Q(issuing_unit__isnull=True) | Q(issuing_unit__kind=UnitKind.CENTRAL)
    ids = visible_document_ids(user)
    if ids is None:
        return Document.objects.all()
    return Document.objects.filter(Q(pk__in=ids) | reference)


def access_linkable_documents(user, ids) -> list[Document]:
    """The documents named by ``ids`` if each is linkable, else 404."""
    ids = list(dict.fromkeys(ids))
    docs = list(linkable_documents(user).filter(pk__in=ids).select_related("issuing_unit"))
    if len(docs) != len(ids):
        raise Http404("Không tìm thấy văn bản.")
    return docs
