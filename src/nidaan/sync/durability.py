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

Pulled batches also let the write-ahead log grow to `PULL_CHECKPOINT_PAGES` before it is
copied into the database: every batch rewrites the same top pages of each index and the
change log's last pages, and a checkpoint every batch or two copied them over and over
(a sixth of a batch's commit time). Local writes keep SQLite's default of 1,000 pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection

# About 40 MB of log (4 KB pages); SQLite reuses the file after each checkpoint.
PULL_CHECKPOINT_PAGES = 10_000
# The settings a pulled batch commits with, as PRAGMA statements (bench.sync's raw
# reference takes them too, so it compares like with like).
PULL_PRAGMAS = ("PRAGMA synchronous=NORMAL", f"PRAGMA wal_autocheckpoint={PULL_CHECKPOINT_PAGES}")


@contextlib.contextmanager
def replayable_commits() -> Iterator[None]:
    """Commits made inside do not wait for the disk and checkpoint less often (SQLite
    only, outside a transaction); the connection's own settings come back after."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        (level,) = cursor.execute("PRAGMA synchronous").fetchone()
        (pages,) = cursor.execute("PRAGMA wal_autocheckpoint").fetchone()
        for pragma in PULL_PRAGMAS:
            cursor.execute(pragma)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={int(level)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
