"""Backup and restore of a large node (issue 8): time, size, and a row-for-row check.

    python -m bench.opd --patients 100000 --encounters 500000 --keep   # makes a node
    python -m bench.backup --data-dir /tmp/nidaan-opdbench-sqlite-XXXX

Backs the node up with `nidaan backup`'s code (SQLite online backup API, gzip level 1,
AES-256-GCM), restores it into an empty directory with full verification (every file's
SHA-256, `PRAGMA integrity_check`, every table's row digest against the manifest), then
compares the restored database with the live one table by table (row count and a
SHA-256 over every row in rowid order). Prints one table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench.databases import open_node_sqlite


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--work", type=Path, help="where backups and the restore go")
    args = parser.parse_args()
    os.environ["NIDAAN_DATA_DIR"] = str(args.data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "nidaan.settings.node"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from nidaan.backups import archive
    from nidaan.patients.models import Patient

    call_command("migrate", verbosity=0)
    patients = Patient.objects.count()
    database = args.data_dir / archive.DB_NAME
    work = Path(tempfile.mkdtemp(prefix="nidaan-backupbench-", dir=args.work))
    try:
        started = time.monotonic()
        live = open_node_sqlite(database)
        original = archive.table_digests(live)
        live.close()
        digest_s = time.monotonic() - started
        made = archive.make_backup(work / "usb", rotate=False)
        into = work / "restored"
        restored = archive.restore_backup(made.path, into)
        copy = open_node_sqlite(into / archive.DB_NAME)
        after = archive.table_digests(copy)
        copy.close()
        differing = sorted(name for name in original if original[name] != after.get(name))
        db_mb = database.stat().st_size / 1e6
        rows = [
            ("patients", f"{patients:,}"),
            ("rows in all tables", f"{made.rows:,}"),
            ("database size", f"{db_mb:,.0f} MB"),
            ("backup file size", f"{made.size / 1e6:,.0f} MB"),
            ("backup (copy + digests + gzip + AES-GCM)", f"{made.seconds:.1f} s"),
            ("restore with full verification", f"{restored.seconds:.1f} s"),
            ("row digests of the live database alone", f"{digest_s:.1f} s"),
            ("tables compared", f"{len(original)}"),
            ("tables differing after restore", f"{len(differing)} {differing[:3]}"),
        ]
        width = max(len(name) for name, _ in rows)
        print(f"| {'what'.ljust(width)} | value |")
        print(f"|{'-' * (width + 2)}|-------|")
        for name, value in rows:
            print(f"| {name.ljust(width)} | {value} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
