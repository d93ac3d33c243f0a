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


def test_other_organisations_staff_find_no_page(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    """Every page whose address carries an id, opened with this organisation's ids by
    another organisation's staff who hold the page's permission: 404."""
    from tests.accounts.test_permission_matrix import _page_patterns, url_parameters

    parameters = url_parameters(world)
    other = other_world()
    clients = {Role.ADMIN: other.client(Role.ADMIN)}
    for role in (Role.DOCTOR, Role.NURSE, Role.RECEPTIONIST):
        user = create_staff_user(
            acting_user=other.user(Role.ADMIN),
            facility=other.facility,
            username=f"other-page-{role}",
            password=PASSWORD,
            role=role,
            full_name=f"Other {role}",
        )
        client = Client()
        client.force_login(user)
        clients[role] = client
    checked = 0
    for route, pattern in _page_patterns():
        perm = getattr(pattern.callback, "required_permission", None)
        if perm is None or "<" not in route:
            continue
        url = "/" + route
        for placeholder, value in parameters.items():
            url = url.replace(placeholder, value)
        for role, client in clients.items():
            if role_has(role, perm):
                status = client.get(url).status_code
                if status == 405:  # a form's target: the POST must not find it either
                    status = client.post(url, {}).status_code
                assert status == 404, f"{role} {url} → {status}"
                checked += 1
    assert checked >= 20
