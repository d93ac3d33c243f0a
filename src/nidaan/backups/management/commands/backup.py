"""`nidaan backup [--to FOLDER]`: an encrypted backup of this node, then rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.backups.archive import RestoreRefused, backup_directory, make_backup


class Command(BaseCommand):
    help = (
        "Back up this node's database and documents, encrypted, into a folder (a USB drive), "
        "keeping the newest of each of the last 7 days, 4 weeks and 12 months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", type=Path, help="folder for the backups (default NIDAAN_BACKUP_DIR)"
        )
        parser.add_argument("--no-rotate", action="store_true", help="delete no old backup")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = options["to"] or backup_directory()
        try:
            result = make_backup(folder, rotate=not options["no_rotate"])
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {result.rows} rows and {result.files} files to {result.path} "
            f"({result.size / 1e6:.1f} MB, {result.seconds:.1f} s)"
        )
        for path in result.removed:
            self.stdout.write(f"Removed old backup {path.name}")
