"""Every API operation that takes an id, called by another organisation's staff with
this organisation's ids, answers 404 (as if the record did not exist) and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client

from nidaan.accounts.actions import create_api_token, create_staff_user
from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Role, role_has
from tests.accounts.test_permission_matrix import API_RULES, chart_api_parameters
from tests.documents.files import a_document
from tests.factories import PASSWORD, ClinicWorld


def test_other_organisations_staff_find_nothing(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    patient = world.register(name="Private Patient")
    ids, bodies = chart_api_parameters(world, patient)
    ids["{patient_id}"] = str(patient.pk)
    ids["{document_id}"] = str(a_document(world, patient).pk)
    other = other_world()
    tokens = {}
    for role in (Role.DOCTOR, Role.NURSE, Role.RECEPTIONIST):
        user = create_staff_user(
            acting_user=other.user(Role.ADMIN),
            facility=other.facility,
            username=f"other-{role}",
            password=PASSWORD,
            role=role,
            full_name=f"Other {role}",
        )
        tokens[role] = create_api_token(user)
    checked = 0
    for (method, path), perm in API_RULES.items():
        if "{" not in path:
            continue
        url = path
        for placeholder, value in ids.items():
            url = url.replace(placeholder, value)
        for role, token in tokens.items():
            if not role_has(role, perm):
                continue
            before = ChangeLogEntry.objects.count()
            response = Client().generic(
                method,
                url,
                data=json.dumps(bodies.get(path, {})),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 404, f"{role} {method} {url} → {response.status_code}"
            assert ChangeLogEntry.objects.count() == before
            checked += 1
    assert checked >= 20
