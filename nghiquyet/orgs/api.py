from __future__ import annotations

from ninja import Router

from nghiquyet.accounts.access import access_unit, visible_units
from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset, Word

from .schemas import UnitDetailOut, UnitOut
from .views import search_units

router = Router(tags=["Đơn vị"])


@router.get("", response=answers({200: list[UnitOut]}))
def list_units(request, q: Word = "", parent: Id | None = None, limit: Limit = 100, offset: Offset = 0):
    """Units the caller may see: searched accent-insensitively (``q``) or under ``parent``."""
    if q:
        qs = search_units(request.user, q)
    elif parent is not None:
        qs = access_unit(request.user, parent).children.all().vn_ordered()
    else:
        qs = visible_units(request.user).order_by("depth", "sort_key", "pk")
    return list(qs[offset : offset + limit])


@router.get("/{unit_id}", response=answers({200: UnitDetailOut}))
def get_unit(request, unit_id: Id):
    unit = access_unit(request.user, unit_id)
    unit.children_list = list(unit.children.current().vn_ordered())
    return {**UnitOut.from_orm(unit).dict(), "children": unit.children_list}
