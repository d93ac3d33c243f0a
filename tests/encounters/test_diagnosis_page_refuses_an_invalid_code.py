"""A code that is not in WHO ICD-10 is refused; nothing is stored."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import Diagnosis
from tests.factories import ClinicWorld


def test_an_invalid_code_is_refused_and_a_valid_one_is_added(world: ClinicWorld) -> None:
    patient = world.register(name="Fatima Khan")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    client = world.client(Role.DOCTOR)
    url = f"/visits/{visit.pk}/diagnoses/"

    typed = client.post(url, {"q": "X99.99", "certainty": "provisional"})
    picked = client.post(url, {"q": "fev", "icd10_code": "Q99.99", "certainty": "final"})

    assert typed.status_code == picked.status_code == 200
    assert "X99.99 is not a WHO ICD-10 code." in typed.content.decode()
    assert "Q99.99 is not a WHO ICD-10 code." in picked.content.decode()
    assert not Diagnosis.objects.exists()

    added = client.post(url, {"q": "fever", "icd10_code": "R50.9", "certainty": "provisional"})
    assert added.status_code == 302
    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.icd10_code, diagnosis.text) == ("R50.9", "Fever, unspecified")
