"""`nidaan sync --once`: one push/pull round with the hub, for scripts and checks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.sync import actions, client


class Command(BaseCommand):
    help = "Sync this node with its hub once (the worker does it continuously)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit (default)")
        parser.add_argument(
            "--check", action="store_true", help="also compare checksums and repair differences"
        )
        parser.add_argument(
            "--retry-held",
            action="store_true",
            help="first try again the changes held back here (after an upgrade)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_held"]:
            applied, still = actions.retry_held()
            self.stdout.write(f"held-back changes: {applied} applied, {still} still held")
        try:
            report = client.sync_once(check=options["check"])
        except client.SyncError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"pushed {report.pushed}, pulled {report.pulled}, snapshot rows "
            f"{report.snapshot_rows}, files sent {report.blobs_sent} / received "
            f"{report.blobs_received}, audit events sent {report.audit_sent}"
        )
        if report.audit_refused:
            self.stdout.write(f"the hub refused this PC's audit log: {report.audit_refused}")
        for held in report.quarantined_on_hub:
            self.stdout.write(f"held back by the hub: change {held['node_seq']}: {held['reason']}")
        if options["check"]:
            repaired = report.repaired_buckets
            self.stdout.write(f"divergence check: {len(repaired)} bucket(s) repaired {repaired}")
