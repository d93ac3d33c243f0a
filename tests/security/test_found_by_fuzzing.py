"""Inputs the fuzzers found answering 500, kept as plain regression tests."""

from __future__ import annotations

import json

from django.test import Client

from nidaan.core.permissions import Role
from tests.accounts.test_permission_matrix import chart_api_parameters
from tests.factories import ClinicWorld


def test_an_absurd_temperature_is_refused_not_a_crash(world: ClinicWorld) -> None:
    patient = world.register(name="Fuzz Patient")
    ids, _ = chart_api_parameters(world, patient)
    token = world.token(Role.DOCTOR)
    for value in (1e30, -1e30, 1e-30, 10000):
        response = Client().post(
            f"/api/v1/records/vitals/{ids['{vitals_id}']}/amend",
            data=json.dumps({"temperature": value, "reason": "typo"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 400, value
        assert "temperature" in response.json()["errors"]


def test_a_nul_in_the_search_box_finds_nothing_instead_of_failing(world: ClinicWorld) -> None:
    from nidaan.patients.search import search_patients

    patient = world.register(name="Ramesh Kumar")
    assert search_patients(world.organisation.pk, "\x00") == []
    assert [hit.patient.pk for hit in search_patients(world.organisation.pk, "Ramesh\x00")] == [
        patient.pk
    ]


def test_a_nul_in_a_query_string_or_form_is_refused_by_name(world: ClinicWorld) -> None:
    client = world.client(Role.RECEPTIONIST)
    for response in (
        client.get("/patients/", {"q": "@\x00"}),
        client.get("/opd/", {"doctor": "\x00"}),
        client.post("/patients/new/", {"name": "Ram\x00"}),
    ):
        assert response.status_code == 400
        assert "NUL" in response.content.decode()
    assert client.get("/patients/", {"q": "Ramesh"}).status_code == 200


def test_a_nul_in_an_api_body_is_refused_and_nothing_is_stored(world: ClinicWorld) -> None:
    from nidaan.patients.models import Patient

    before = Patient.objects.count()
    response = Client().post(
        "/api/v1/patients",
        data=json.dumps({"name": "Ram\u0000", "sex": "M", "age": "30"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token(Role.RECEPTIONIST)}"},
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert Patient.objects.count() == before
