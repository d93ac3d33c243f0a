"""`nidaan hub enrolment-code [--facility ID]` (a one-time code for enrolling a node) and
`nidaan hub add-clinic` (another organisation on this hub)."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from nidaan.accounts.actions import create_staff_user
from nidaan.clinics.actions import create_organisation
from nidaan.clinics.models import Facility
from nidaan.core.permissions import Role
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
        clinic = sub.add_parser("add-clinic", help="add an organisation and its first admin")
        clinic.add_argument("--name", required=True, help="the clinic's name in English")
        clinic.add_argument("--name-hi", default="", help="the clinic's name in Hindi")
        clinic.add_argument("--state", default="10", help="GST state code of the main branch")
        clinic.add_argument("--city", default="", help="city of the main branch")
        clinic.add_argument("--admin", required=True, help="username of the clinic's first admin")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.NIDAAN_ROLE != "hub":
            raise CommandError("run this on the hub (NIDAAN_ROLE=hub)")
        if options["task"] == "add-clinic":
            self._add_clinic(options)
            return
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
        code = actions.create_enrolment_code(
            facility=found[0],
            acting_user=None,
            lifetime=datetime.timedelta(hours=options["hours"]),
        )
        self.stdout.write(f"Enrolment code for {found[0].name}, valid {options['hours']} h, once:")
        self.stdout.write(code)

    def _add_clinic(self, options: dict[str, Any]) -> None:
        """A hub holds many clinics; the first-run page sets up only the first."""
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            organisation, facility = create_organisation(
                clinic={
                    "clinic_name": options["name"],
                    "clinic_name_hi": options["name_hi"],
                    "address_line": "",
                    "city": options["city"],
                    "district": "",
                    "state": options["state"],
                    "pin": "",
                    "phone": "",
                },
                acting_user=None,
            )
            create_staff_user(
                acting_user=None,
                facility=facility,
                username=options["admin"],
                password=password,
                role=Role.ADMIN,
                full_name=f"Admin of {options['name']}",
            )
        self.stdout.write(f"organisation {organisation.pk}")
        self.stdout.write(f"facility {facility.pk}")
        self.stdout.write(f"admin {options['admin']} password (change it at first login):")
        self.stdout.write(password)
