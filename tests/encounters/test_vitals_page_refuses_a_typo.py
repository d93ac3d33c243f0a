"""A typo such as BP 1200 is refused on the consultation screen, with the form's message."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import VitalSigns
from tests.factories import ClinicWorld


def test_bp_1200_is_refused_with_the_message_and_nothing_is_stored(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )

    response = world.client(Role.NURSE).post(
        f"/visits/{visit.pk}/vitals/", {"bp_systolic": "1200", "bp_diastolic": "80", "pulse": "88"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "1200 is not possible for BP systolic: check for a typing mistake (expected 50–260)."
        in page
    )
    assert 'value="88"' in page  # what was typed stays in the form
    assert not VitalSigns.objects.exists()
