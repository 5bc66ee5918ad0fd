"""Database helpers below every app: a consistent read over several queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the queries inside as one read of one state of the database.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction (READ COMMITTED,
    the default, takes a new snapshot per statement). SQLite: a DEFERRED
    transaction, whose first read fixes the WAL snapshot; the settings'
    IMMEDIATE mode would take the write lock and queue dashboards behind
    writers.

    Inside an outer transaction (a test, a write action) the isolation
    level can no longer be set: the block runs in it as it is, so readers
    must still tolerate a row appearing between two of their queries.
    """
    conn = connections[using]
    if conn.in_atomic_block:
        yield
        return
    with ExitStack() as stack:
        if conn.vendor == "sqlite":
            # atomic() begins with "BEGIN <transaction_mode>"; swap the mode
            # for this one BEGIN only (the attribute is set on connecting).
            conn.ensure_connection()
            mode = conn.transaction_mode
            conn.transaction_mode = "DEFERRED"
            try:
                stack.enter_context(transaction.atomic(using=using))
            finally:
                conn.transaction_mode = mode
        else:
            stack.enter_context(transaction.atomic(using=using))
            if conn.vendor == "postgresql":
                with conn.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
