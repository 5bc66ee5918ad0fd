from __future__ import annotations

from ninja import Router

from nghiquyet.accounts.access import access_unit, visible_units

from .schemas import UnitDetailOut, UnitOut
from .views import search_units

router = Router(tags=["Đơn vị"])


@router.get("", response=list[UnitOut])
def list_units(request, q: str = "", parent: int | None = None, limit: int = 100, offset: int = 0):
    """Units the caller may see: searched accent-insensitively (``q``) or under ``parent``."""
    limit = max(1, min(limit, 500))
    if q:
        qs = search_units(request.user, q)
    elif parent is not None:
        qs = access_unit(request.user, parent).children.all().vn_ordered()
    else:
        qs = visible_units(request.user).order_by("depth", "sort_key", "pk")
    return list(qs[offset : offset + limit])


@router.get("/{unit_id}", response=UnitDetailOut)
def get_unit(request, unit_id: int):
    unit = access_unit(request.user, unit_id)
    unit.children_list = list(unit.children.current().vn_ordered())
    return {**UnitOut.from_orm(unit).dict(), "children": unit.children_list}
