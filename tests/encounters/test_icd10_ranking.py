from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions, icd10
from tests.factories import ClinicWorld


def test_common_opd_diagnoses_come_first() -> None:
    assert icd10.search("hypertension")[0][0] == "I10"
    assert icd10.search("fever")[0][0] == "R50.9"
    assert icd10.search("typhoid")[0][0] == "A01.0"
    assert all(icd10.is_valid(code) for code in icd10.COMMON_OPD_CODES)


def test_the_clinics_own_favourites_come_first(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    patient = world.register(name="Ramesh")
    visit = actions.start_encounter(acting_user=doctor, patient=patient, facility=world.facility)
    for _ in range(2):
        actions.add_diagnosis(
            visit, {"icd10_code": "E11.9", "text": "Type 2 diabetes"}, acting_user=doctor
        )
    page = world.client(Role.DOCTOR).get("/visits/icd10/", {"q": "diabetes"}).content.decode()
    assert page.index("E11.9") < page.index("O24")
