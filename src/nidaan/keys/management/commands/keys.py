"""`nidaan keys recovery|protect|status`: the node's master key, for people."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan import keys


class Command(BaseCommand):
    help = (
        "recovery: print the recovery key (keep it on paper in the clinic's safe); "
        "protect: seal the key file with a passphrase (then NIDAAN_KEY_PASSPHRASE unlocks it); "
        "status: say where the key comes from."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["recovery", "protect", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            master = keys.master_key()
        except keys.KeyUnavailable as error:
            raise CommandError(str(error)) from error
        what = options["what"]
        if what == "recovery":
            self.stdout.write("Recovery key (whoever holds it can read this clinic's backups):")
            self.stdout.write(keys.recovery_text(master))
        elif what == "status":
            source = "NIDAAN_MASTER_KEY" if os.environ.get("NIDAAN_MASTER_KEY") else keys.key_file()
            self.stdout.write(f"Master key from {source}, id {keys.fingerprint(master)}")
        else:
            passphrase = os.environ.get("NIDAAN_KEY_PASSPHRASE") or getpass.getpass(
                "New passphrase: "
            )
            if len(passphrase) < 12:
                raise CommandError("a passphrase has at least 12 characters")
            path = keys.key_file()
            temporary = path.with_suffix(".new")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(keys.seal(master, passphrase))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
            self.stdout.write(
                f"{path} is sealed: start Nidaan with NIDAAN_KEY_PASSPHRASE set "
                "(docs/security.md explains the trade-off)."
            )
