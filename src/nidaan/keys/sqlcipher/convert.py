"""`nidaan keys encrypt-database`: turn a node's plain SQLite file into an SQLCipher one,
in place, without a moment where the clinic could lose a visit.

1. Take the database for ourselves: switch it from WAL to a rollback journal (SQLite
   refuses while any other process has it open, which is how a running `nidaan serve`
   or `worker` is found) and hold an exclusive lock from then on, so nobody writes a
   row into the old file that the new one would miss.
2. `sqlcipher_export` every table, index and trigger into `nidaan.sqlite3.encrypting`
   beside it (same file system, so the swap is a rename), showing progress by the new
   file's size against the old one's.
3. Check the copy with its key: `PRAGMA integrity_check` and, per table, the row count
   and a SHA-256 over its rows, compared with the old file's.
4. Swap: hard-link the old file to `nidaan.sqlite3.plain-old`, rename the new file over
   `nidaan.sqlite3` (atomic), fsync the directory.
5. Overwrite the old file with zeros, fsync, delete it.

A run cut short is safe to repeat: before step 4 the live file is untouched (the
leftover copy is deleted and made again); after it, the next run finds the database
encrypted and finishes step 5. Overwriting cannot promise that an SSD or a copy-on-write
file system forgets the old blocks (docs/security.md): run `fstrim` afterwards.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nidaan import keys
from nidaan.keys.sqlcipher.base import Cipher, key_pragma, raw_key

_CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class ConversionRefused(Exception):
    """The database cannot be converted now; nothing was changed."""


@dataclass
class ConversionResult:
    tables: int
    rows: int
    size: int
    seconds: float


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def shred(path: Path, progress: Progress | None = None) -> None:
    """Overwrite a file with zeros, make it reach the disk, then delete it."""
    size = path.stat().st_size
    zeros = bytes(_CHUNK)
    with path.open("r+b") as handle:
        done = 0
        while done < size:
            step = min(_CHUNK, size - done)
            handle.write(zeros[:step])
            done += step
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    _fsync_directory(path.parent)
    if progress:
        progress(f"old plain file overwritten and removed ({size / 1e6:,.1f} MB)")


def digests(db: Any) -> dict[str, tuple[int, str]]:
    from nidaan.backups.archive import table_digests

    return {name: (t["rows"], t["sha256"]) for name, t in table_digests(db).items()}


def _leftovers(database: Path) -> tuple[Path, Path]:
    return (
        database.with_name(database.name + ".encrypting"),
        database.with_name(database.name + ".plain-old"),
    )


def finish_interrupted(database: Path, progress: Progress) -> bool:
    """Finish or clean up after a run that was cut short; True when there was one."""
    copy, old = _leftovers(database)
    found = False
    if old.exists():
        found = True
        same = database.exists() and os.path.samefile(old, database)
        if same:  # cut short between the link and the swap: the live file is the old one
            old.unlink()
        else:
            progress("finishing an earlier run: removing the old plain file")
            shred(old, progress)
    if copy.exists():
        found = True
        copy.unlink()
    return found


def encrypt_database(database: Path, progress: Progress) -> ConversionResult:
    started = time.monotonic()
    finish_interrupted(database, progress)
    state = keys.database_file_state(database)
    if state == "missing":
        raise ConversionRefused(f"there is no database at {database}")
    if state != "plain":
        raise ConversionRefused(f"{database} is already encrypted")
    copy, old = _leftovers(database)
    master = keys.master_key()
    size = database.stat().st_size

    source = Cipher.connect(str(database), timeout=2, isolation_level=None)
    try:
        try:
            (mode,) = source.execute("PRAGMA journal_mode = DELETE").fetchone()
        except Cipher.OperationalError as error:
            raise ConversionRefused(
                f"the database is in use ({error}): stop `nidaan serve` and `nidaan worker` "
                "on this PC first"
            ) from None
        if str(mode).lower() != "delete":
            raise ConversionRefused(
                "the database is in use: stop `nidaan serve` and `nidaan worker` first"
            )
        source.execute("PRAGMA locking_mode = EXCLUSIVE")
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY {raw_key(master)}", (str(copy),))
        source.execute("BEGIN EXCLUSIVE")
        progress(f"1/4 copying {size / 1e6:,.1f} MB into an encrypted file")
        shown = [0]

        def report() -> int:
            percent = int(100 * copy.stat().st_size / max(size, 1)) if copy.exists() else 0
            if percent >= shown[0] + 10:
                shown[0] = percent - percent % 10
                progress(f"    {min(shown[0], 100)} %")
            return 0

        source.set_progress_handler(report, 200_000)
        source.execute("SELECT sqlcipher_export('encrypted')")
        source.set_progress_handler(None, 0)
        source.execute("COMMIT")
        source.execute("DETACH DATABASE encrypted")
        with copy.open("rb+") as handle:
            os.fsync(handle.fileno())

        progress("2/4 checking the encrypted copy: integrity_check and every table's rows")
        before = digests(source)
        check = Cipher.connect(str(copy))
        try:
            check.execute(key_pragma(master))
            (verdict,) = check.execute("PRAGMA integrity_check").fetchone()
            after = digests(check)
        finally:
            check.close()
        if verdict != "ok" or before != after:
            copy.unlink()
            bad = sorted(name for name in before if before[name] != after.get(name))
            raise ConversionRefused(
                f"the encrypted copy differs ({verdict}; tables {bad[:5]}): nothing changed"
            )
        rows = sum(count for count, _ in before.values())
        progress(f"    {len(before)} tables, {rows:,} rows identical")

        progress("3/4 putting the encrypted file in place")
        # Rollback-journal mode since step 1 and main never written since: a WAL,
        # shared-memory or journal file left beside it belongs to nobody and must not
        # meet the new file.
        for suffix in ("-wal", "-shm", "-journal"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        os.link(database, old)
        os.replace(copy, database)
        _fsync_directory(database.parent)
    finally:
        source.close()
    # The new file runs in WAL mode again from its first connection (settings' PRAGMAs).
    progress("4/4 removing the old plain file")
    shred(old, progress)
    return ConversionResult(
        tables=len(before), rows=rows, size=size, seconds=time.monotonic() - started
    )
