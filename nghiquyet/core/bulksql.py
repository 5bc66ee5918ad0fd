"""Plain INSERT/UPDATE with executemany, for writes of tens of thousands of rows.

The ORM's bulk_create spends most of its time per object; at 66,000 cells
that is a minute, this is a second. Values are adapted by each field for
the database in use (SQLite, PostgreSQL). Runs inside the caller's
transaction; the rules about what to write stay with the caller's action.
"""

from __future__ import annotations

from django.db import connection, transaction

CHUNK = 5000

# Values of these fields are already what the database takes (ids, text,
# integers); the others are adapted by their field.
_AS_IS = {
    "AutoField", "BigAutoField", "ForeignKey", "CharField", "TextField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField", "BigIntegerField",
}  # fmt: skip


def _adapt(model, names, rows) -> tuple[list, list[tuple]]:
    """The rows adapted for the database, column by column: a column's
    distinct values (dates, figures repeat across a sheet) once each."""
    fields = [model._meta.get_field(n) for n in names]
    if not rows:
        return fields, []
    cols = [list(c) for c in zip(*rows, strict=True)]
    for i, f in enumerate(fields):
        kind = f.get_internal_type()
        if kind in _AS_IS:
            continue
        if kind == "JSONField":  # dicts: not hashable, rarely repeated
            cols[i] = [f.get_db_prep_save(v, connection) for v in cols[i]]
            continue
        cache: dict = {}
        out = []
        for v in cols[i]:
            try:
                out.append(cache[v])
            except KeyError:
                out.append(cache.setdefault(v, f.get_db_prep_save(v, connection)))
        cols[i] = out
    return fields, list(zip(*cols, strict=True))


def _check_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("bulk writes must run inside transaction.atomic")


def insert(model, names: list[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values of ``names``, field names) into ``model``'s table."""
    if not rows:
        return
    _check_atomic()
    fields, adapted = _adapt(model, names, rows)
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(adapted), CHUNK):
            cursor.executemany(sql, adapted[i : i + CHUNK])


def update(model, names: list[str], rows: list[tuple]) -> None:
    """UPDATE ``model`` by primary key; ``rows``: the new values of ``names``, then the key."""
    if not rows:
        return
    _check_atomic()
    fields, adapted = _adapt(model, names, [r[:-1] for r in rows])
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {qn(model._meta.pk.column)} = %s"
    args = [(*a, r[-1]) for a, r in zip(adapted, rows, strict=True)]
    with connection.cursor() as cursor:
        for i in range(0, len(args), CHUNK):
            cursor.executemany(sql, args[i : i + CHUNK])
