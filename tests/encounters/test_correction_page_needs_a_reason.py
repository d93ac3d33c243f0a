"""Amending a record asks for a reason, and the original stays in its versions."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import VitalSigns
from tests.factories import ClinicWorld


def test_an_amendment_needs_a_reason_and_keeps_the_original(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    first = actions.record_vitals(
        visit, {"bp_systolic": 180, "bp_diastolic": 80}, acting_user=world.user(Role.NURSE)
    )
    client = world.client(Role.DOCTOR)
    url = f"/visits/{visit.pk}/vitals/{first.pk}/correct/"
    corrected = {"bp_systolic": "130", "bp_diastolic": "80"}

    refused = client.post(url, {**corrected, "reason": "  "})
    assert refused.status_code == 200
    assert "Write why you are correcting this." in refused.content.decode()
    assert VitalSigns.objects.count() == 1

    saved = client.post(url, {**corrected, "reason": "typed 180 for 130"})
    assert saved.status_code == 302
    first.refresh_from_db()
    assert first.bp_systolic == 180
    current = VitalSigns.objects.current().get()
    assert (current.bp_systolic, current.supersedes_id) == (130, first.pk)

    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "Amended" in page
    assert "2 versions" in page
    assert "typed 180 for 130" in page
    assert "BP 180/80" in page  # the original, in the versions
    assert "130/80" in page
