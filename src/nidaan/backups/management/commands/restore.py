"""`nidaan restore BACKUP --into EMPTY_DATA_DIR`: check a backup and restore it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan import keys
from nidaan.backups.archive import RestoreRefused, restore_backup
from nidaan.keys import keyfile


class Command(BaseCommand):
    help = (
        "Restore a backup into a new, empty data directory after checking every file and "
        "every table against it (--check: only check)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path)
        parser.add_argument("--into", type=Path, help="an empty (or new) data directory")
        parser.add_argument("--check", action="store_true", help="verify only; write nothing")
        parser.add_argument(
            "--recovery-key",
            help="the recovery key of the node that made the backup (default: this node's key)",
        )
        parser.add_argument(
            "--no-key-file",
            action="store_true",
            help="do not write the key into the restored data directory (supply it by "
            "NIDAAN_MASTER_KEY or a key file on removable media instead)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["check"] and options["into"] is None:
            raise CommandError("say where to restore: --into NEW_DATA_DIRECTORY (or --check)")
        try:
            master = (
                keys.from_recovery_text(options["recovery_key"])
                if options["recovery_key"]
                else keys.master_key()
            )
            into = options["into"] or Path()
            result = restore_backup(
                options["backup"], into, master_key=master, check_only=options["check"]
            )
        except (RestoreRefused, keys.KeyUnavailable) as error:
            raise CommandError(str(error)) from error
        verdict = (
            f"{result.tables} tables, {result.rows} rows and {result.files} files match the "
            f"backup ({result.seconds:.1f} s)"
        )
        if options["check"]:
            self.stdout.write(f"The backup is intact: {verdict}")
            return
        if not options["no_key_file"]:
            # The restored records open only with the key they were stored with.
            keyfile.create(into / "keys" / "master.key", keys.plain_for(master))
        self.stdout.write(f"Restored into {into}: {verdict}")
        self.stdout.write(f"Start Nidaan with NIDAAN_DATA_DIR={into}")
        if not options["no_key_file"]:
            self.stdout.write(
                self.style.WARNING(
                    f"The key is written in plain in {into / 'keys' / 'master.key'}: NOT "
                    f"protected. Run NIDAAN_DATA_DIR={into} nidaan keys protect (or keys "
                    "keyring) before this PC goes back to the clinic."
                )
            )
