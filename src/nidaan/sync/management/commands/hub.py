"""`nidaan hub enrolment-code [--facility ID]`: a one-time code for enrolling a node."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.clinics.models import Facility
from nidaan.sync import actions


class Command(BaseCommand):
    help = "Hub tasks: enrolment codes for clinic nodes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="task", required=True)
        code = sub.add_parser("enrolment-code", help="print a one-time enrolment code")
        code.add_argument(
            "--facility", help="the branch's id (needed when the hub holds more than one)"
        )
        code.add_argument("--hours", type=int, default=24, help="how long the code is valid")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.NIDAAN_ROLE != "hub":
            raise CommandError("run this on the hub (NIDAAN_ROLE=hub)")
        facilities = Facility.objects.all()
        if options["facility"]:
            facilities = facilities.filter(pk=options["facility"])
        found = list(facilities[:2])
        if not found:
            raise CommandError("no such facility on this hub (set up a clinic first)")
        if len(found) > 1:
            listing = "\n".join(f"  {f.pk}  {f.name}" for f in Facility.objects.order_by("name"))
            raise CommandError(
                f"this hub holds several facilities; pick one with --facility:\n{listing}"
            )
        import datetime

        code = actions.create_enrolment_code(
            facility=found[0],
            acting_user=None,
            lifetime=datetime.timedelta(hours=options["hours"]),
        )
        self.stdout.write(f"Enrolment code for {found[0].name}, valid {options['hours']} h, once:")
        self.stdout.write(code)
