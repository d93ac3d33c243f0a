"""An allergy entered in error leaves the red banner but stays, struck through, with why."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import Allergy
from tests.factories import ClinicWorld


def test_an_allergy_entered_in_error_leaves_the_banner_and_keeps_its_history(
    world: ClinicWorld,
) -> None:
    patient = world.register(name="Fatima Khan")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    allergy = actions.record_allergy(
        patient,
        {"category": "drug", "substance": "Sulfa", "severity": "mild"},
        acting_user=world.user(Role.NURSE),
    )
    client = world.client(Role.NURSE)

    response = client.post(
        f"/visits/{visit.pk}/allergies/{allergy.pk}/correct/",
        {"entered_in_error": "1", "reason": "another patient's allergy"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#allergies"
    assert Allergy.objects.count() == 2
    assert not Allergy.objects.in_use().exists()
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "No allergies recorded." in page  # the banner
    assert "Entered in error" in page
    assert "another patient&#x27;s allergy" in page
