"""`nidaan audit verify`: prove the audit log is as it was written, or say where not."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.audit.verify import verify_all


class Command(BaseCommand):
    help = "Check the audit log's hash chain (verify)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_all()
        for found in report.breaks:
            self.stdout.write(f"node {found.node_id}: {found.kind}: {found.message}")
        summary = f"{report.events} audit events on {report.nodes} node(s) checked"
        if not report.intact:
            raise CommandError(f"{summary}: {len(report.breaks)} break(s) in the chain")
        self.stdout.write(f"{summary}: the chain is intact")
