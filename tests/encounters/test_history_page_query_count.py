"""The history of a patient with 200 visits is read in a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.patients.models import Patient
from tests.factories import ClinicWorld


def _visits(world: ClinicWorld, patient: Patient, count: int) -> None:
    doctor = world.user(Role.DOCTOR)
    for n in range(count):
        visit = actions.start_encounter(
            acting_user=doctor, patient=patient, facility=world.facility
        )
        vitals = actions.record_vitals(
            visit,
            {"bp_systolic": 120 + n % 40, "bp_diastolic": 80, "weight_kg": 70 + n % 5},
            acting_user=doctor,
        )
        if n % 10 == 0:
            actions.amend(vitals, {"pulse": 90}, acting_user=doctor, reason="pulse missed")
        actions.add_diagnosis(
            visit, {"icd10_code": "I10", "text": "Hypertension"}, acting_user=doctor
        )
        note = visit.notes.get()
        actions.save_consultation(
            note,
            {"complaints": [{"text": "headache", "duration": 2, "unit": "days"}]},
            acting_user=doctor,
            complete=True,
        )


def _queries(world: ClinicWorld, patient: Patient) -> int:
    client = world.client(Role.DOCTOR)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/visits/patient/{patient.pk}/")
    assert response.status_code == 200
    return len(queries)


def test_200_visits_take_as_many_queries_as_2(world: ClinicWorld) -> None:
    few = world.register(name="Few Visits")
    many = world.register(name="Many Visits", age=58)
    _visits(world, few, 2)
    _visits(world, many, 200)

    # 20: one is the sync status strip (is this PC enrolled with a hub?), one finds
    # records merged into this patient; the read's audit event is a link of the hash
    # chain (lock the head, insert, move the head: audit/record.py), two queries more
    # than a plain insert; and one sees that the patient is of the doctor's branch
    # (privacy/emergency.py).
    assert _queries(world, many) == _queries(world, few) <= 20

    page = world.client(Role.DOCTOR).get(f"/visits/patient/{many.pk}/").content.decode()
    assert "200 visits" in page
    assert page.count('data-series="systolic"') == 200
    assert page.count('class="visit"') == 50  # the newest 50; older ones a page away
