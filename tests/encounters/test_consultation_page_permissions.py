"""The chart is for clinicians: the front desk is refused."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from tests.factories import ClinicWorld


def test_a_receptionist_gets_403_on_the_chart(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    client = world.client(Role.RECEPTIONIST)

    assert client.get(f"/visits/{visit.pk}/").status_code == 403
    assert client.get(f"/visits/patient/{patient.pk}/").status_code == 403
    assert client.post(f"/visits/{visit.pk}/vitals/", {"pulse": "80"}).status_code == 403
