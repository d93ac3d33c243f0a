"""An admin records a breach; the page lists, from the audit log, whose records the
suspect account read in the window, with the Board's 72-hour deadline and the notices."""

from __future__ import annotations

import datetime

from django.utils import timezone

from nidaan.core.permissions import Role
from nidaan.privacy.models import BreachIncident
from tests.factories import ClinicWorld


def test_breach_page_lists_patients_read_by_the_account(world: ClinicWorld) -> None:
    seen = world.register(name="Seen Patient", mobile="9876543210")
    unseen = world.register(name="Unseen Patient")
    nurse = world.user(Role.NURSE)
    world.client(Role.NURSE).get(f"/patients/{seen.pk}/")
    world.client(Role.DOCTOR).get(f"/patients/{unseen.pk}/")

    now = timezone.localtime()
    fmt = "%d-%m-%Y %H:%M"
    response = world.client(Role.ADMIN).post(
        "/privacy/incidents/",
        {
            "became_aware_at": now.strftime(fmt),
            "what_happened": "A nurse's password was written on the reception PC.",
            "window_start": (now - datetime.timedelta(hours=1)).strftime(fmt),
            "window_end": (now + datetime.timedelta(hours=1)).strftime(fmt),
            "suspect_username": nurse.username,
            "likely_consequences": "Names and visit notes may have been read.",
            "mitigation": "The password was changed and all sessions ended.",
            "contact": "Dr Admin, 0612 222 3333",
        },
    )
    assert response.status_code == 302
    incident = BreachIncident.objects.get()
    page = world.client(Role.ADMIN).get(response["Location"]).content.decode()
    assert "Seen Patient" in page
    assert "Unseen Patient" not in page
    assert "9876543210" in page
    due = timezone.localtime(incident.became_aware_at + datetime.timedelta(hours=72))
    assert due.strftime("%d-%m-%Y %H:%M") in page
    assert "Notice to the Data Protection Board" in page
    assert "Dear patient" in page


def test_breach_pages_are_the_admins(world: ClinicWorld) -> None:
    assert world.client(Role.DOCTOR).get("/privacy/incidents/").status_code == 403
