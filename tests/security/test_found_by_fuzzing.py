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
