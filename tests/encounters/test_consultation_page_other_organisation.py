"""Another organisation's visit is simply not found."""

from __future__ import annotations

from collections.abc import Callable

from nidaan.accounts.actions import create_staff_user
from nidaan.core.permissions import Role
from nidaan.encounters import actions
from tests.factories import PASSWORD, ClinicWorld


def test_another_organisations_encounter_is_404(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    other = other_world()
    other_doctor = create_staff_user(
        acting_user=other.user(Role.ADMIN),
        facility=other.facility,
        username="other-doctor",
        password=PASSWORD,
        role=Role.DOCTOR,
        full_name="Dr. Elsewhere",
    )
    patient = other.register(by=Role.ADMIN, name="Someone Else")
    visit = actions.start_encounter(
        acting_user=other_doctor, patient=patient, facility=other.facility
    )
    client = world.client(Role.DOCTOR)

    assert client.get(f"/visits/{visit.pk}/").status_code == 404
    assert client.get(f"/visits/patient/{patient.pk}/").status_code == 404
    assert client.post(f"/visits/{visit.pk}/vitals/", {"pulse": "80"}).status_code == 404
