"""The history can be narrowed to one year or to visits with a diagnosis; the problem list
shows each active diagnosis once."""

from __future__ import annotations

import re

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from tests.factories import ClinicWorld


def test_filter_by_year_and_by_diagnosis(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", age=62)
    doctor = world.user(Role.DOCTOR)
    visits = [
        actions.start_encounter(acting_user=doctor, patient=patient, facility=world.facility)
        for _ in range(4)
    ]
    for visit in visits[:2]:
        actions.add_diagnosis(
            visit,
            {"icd10_code": "I10", "text": "Essential (primary) hypertension"},
            acting_user=doctor,
        )
    resolved = actions.add_diagnosis(
        visits[2], {"icd10_code": "J06.9", "text": "URTI"}, acting_user=doctor
    )
    actions.amend(resolved, {"active": False}, acting_user=doctor, reason="better")
    client = world.client(Role.DOCTOR)
    url = f"/visits/patient/{patient.pk}/"
    year = visits[0].started_at.year

    def shown(query: dict[str, str]) -> int:
        return client.get(url, query).content.decode().count('<li class="visit">')

    assert shown({}) == 4
    assert shown({"with": "diagnosis"}) == 3  # the fourth visit has none
    assert shown({"year": str(year)}) == 4
    assert shown({"year": str(year - 1)}) == 0

    page = client.get(url).content.decode()
    problems = re.search(r'<table class="table problem-table">(.*?)</table>', page, re.S)
    assert problems
    assert problems.group(1).count("I10") == 1  # once, seen in 2 visits
    assert "J06.9" not in problems.group(1)  # resolved
