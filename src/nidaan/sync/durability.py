"""How hard a node's SQLite waits for the disk when it commits what the hub can send again.

A node runs SQLite with `synchronous=FULL`: every commit waits until the write-ahead log
is on the platter, so a visit saved just before a power cut is still there afterwards.
That wait (an fsync, 10–20 ms on a clinic PC's spinning disk) is paid once per pulled
batch too, a thousand times for an initial sync of a million changes.

Pulled changes do not need it. With `synchronous=NORMAL` in WAL mode a power cut can
lose only the last commits, never corrupt the file, and a pulled batch's cursor is
committed with its changes, so a lost batch is simply pulled again. A local write that
follows is committed with FULL, and its fsync of the log carries every earlier frame to
disk too: nothing a user saw and built on can be lost. See docs/sync.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection


@contextlib.contextmanager
def replayable_commits() -> Iterator[None]:
    """Commits made inside do not wait for the disk (SQLite only, outside a transaction)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        (level,) = cursor.execute("PRAGMA synchronous").fetchone()
        cursor.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={int(level)}")
