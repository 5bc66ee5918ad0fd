"""People's names the Vietnamese way: family name first, as written.

Django's ``get_full_name`` puts ``first_name`` first, which turns "Đặng Thị
Mai" (stored as last_name "Đặng Thị", first_name "Mai") into "Mai Đặng Thị".
Everything that shows a person goes through ``person_name`` instead."""

from __future__ import annotations


def split_full_name(full: str) -> tuple[str, str]:
    """ "Đặng Thị Mai" → ("Đặng Thị", "Mai"): (family and middle names, given
    name), the way the user model stores them (last_name, first_name)."""
    words = " ".join((full or "").split())
    family, _, given = words.rpartition(" ")
    return family, given


def person_name(user) -> str:
    """The name as a Vietnamese writes it ("Đặng Thị Mai"); the login when
    no name is recorded; "–" for nobody."""
    if user is None:
        return "–"
    full = " ".join(p for p in (user.last_name.strip(), user.first_name.strip()) if p)
    return full or user.get_username()
