"""`nidaan billing_demo [--password P]`: GST profile, catalogue and a pharmacist for the
demo clinic (run after `nidaan demo`; safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nidaan.billing.demo import ensure_demo_billing


class Command(BaseCommand):
    help = "Set up billing for the demo clinic: GSTIN, UPI ID, catalogue, user pharmacy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="password of the demo pharmacist, pharmacy")

    def handle(self, *args: Any, **options: Any) -> None:
        if ensure_demo_billing(options["password"]):
            self.stdout.write(self.style.SUCCESS("Demo billing set up (user: pharmacy)."))
        else:
            self.stdout.write("Demo billing already set up.")
