"""`nidaan audit verify`: prove the audit log is as it was written, or say where not."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.audit import purge
from nidaan.audit.verify import verify_all


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain (verify), or purge events older than a date at "
        "least one year back (purge --before YYYY-MM-DD)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["verify", "purge"])
        parser.add_argument(
            "--before",
            type=datetime.date.fromisoformat,
            help="purge events written before this date (at least one year ago)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "purge":
            self._purge(options["before"])
            return
        report = verify_all()
        for found in report.breaks:
            self.stdout.write(f"node {found.node_id}: {found.kind}: {found.message}")
        summary = f"{report.events} audit events on {report.nodes} node(s) checked"
        if not report.intact:
            raise CommandError(f"{summary}: {len(report.breaks)} break(s) in the chain")
        self.stdout.write(f"{summary}: the chain is intact")

    def _purge(self, before: datetime.date | None) -> None:
        if before is None:
            raise CommandError("give --before YYYY-MM-DD (at least one year ago)")
        try:
            gone = purge.purge_before(before)
        except purge.PurgeRefused as refusal:
            raise CommandError(str(refusal)) from None
        for node_id, count in gone.items():
            self.stdout.write(f"node {node_id}: {count} event(s) purged")
        self.stdout.write(f"{sum(gone.values())} audit event(s) purged")
