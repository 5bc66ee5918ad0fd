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

from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import path_q, scope_paths
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
