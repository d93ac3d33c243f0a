"""Every endpoint names its rule, and every role gets exactly what the table grants."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from nidaan.api.api import api
from nidaan.core.permissions import PERMISSIONS, Perm, Role, role_has
from tests.documents.files import a_document
from tests.factories import ClinicWorld

# The JSON API's operations and the permission each one needs. A new operation that is
# not listed here fails `test_every_api_operation_has_a_rule`.
API_RULES: dict[tuple[str, str], Perm] = {
    ("POST", "/api/v1/patients"): Perm.PATIENT_REGISTER,
    ("GET", "/api/v1/patients"): Perm.PATIENT_SEARCH,
    ("GET", "/api/v1/patients/{patient_id}"): Perm.PATIENT_VIEW,
    ("PATCH", "/api/v1/patients/{patient_id}"): Perm.PATIENT_EDIT,
    ("POST", "/api/v1/patients/{patient_id}/documents"): Perm.DOCUMENT_UPLOAD,
    ("GET", "/api/v1/patients/{patient_id}/documents"): Perm.DOCUMENT_VIEW,
    ("GET", "/api/v1/documents/{document_id}"): Perm.DOCUMENT_VIEW,
    ("GET", "/api/v1/documents/{document_id}/file"): Perm.DOCUMENT_VIEW,
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _page_patterns() -> list[tuple[str, URLPattern]]:
    return [
        (route, p)
        for route, p in _walk(get_resolver().url_patterns)
        if not route.startswith("api/")
    ]


def test_every_page_names_its_rule() -> None:
    unruled = [
        route
        for route, pattern in _page_patterns()
        if not any(
            hasattr(pattern.callback, attr)
            for attr in ("required_permission", "public", "login_only")
        )
    ]
    assert unruled == [], f"pages without a permission rule: {unruled}"


def test_every_api_operation_has_a_rule() -> None:
    operations = {
        (method.upper(), path)
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    assert operations == set(API_RULES)


def test_every_permission_is_granted_to_someone() -> None:
    for perm in Perm:
        assert PERMISSIONS[perm], perm
    assert role_has(Role.ADMIN, Perm.STAFF_MANAGE)


def test_receptionist_cannot_manage_staff_or_clinic() -> None:
    assert not role_has(Role.RECEPTIONIST, Perm.STAFF_MANAGE)
    assert not role_has(Role.RECEPTIONIST, Perm.CLINIC_MANAGE)
    assert not role_has(Role.PHARMACIST, Perm.PATIENT_EDIT)
    assert not role_has(Role.RECEPTIONIST, Perm.CLINICAL_VIEW)
    assert not role_has(Role.NURSE, Perm.CONSULTATION_WRITE)


def url_parameters(world: ClinicWorld) -> dict[str, str]:
    """A real object for every kind of id a page's URL can carry.

    A page whose URL has a parameter not listed here fails the matrix test: add it.
    """
    from nidaan.opd import actions as opd_actions

    patient = world.register(name="Matrix Patient")
    entry = opd_actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=patient,
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
    )
    encounter = opd_actions.start_consultation(entry, acting_user=world.user(Role.DOCTOR))
    return {
        "<uuid:patient_id>": str(patient.pk),
        "<uuid:entry_id>": str(entry.pk),
        "<uuid:encounter_id>": str(encounter.pk),
        "<uuid:document_id>": str(a_document(world, patient).pk),
    }


@pytest.mark.parametrize("role", list(Role))
def test_pages_answer_each_role_as_the_table_says(world: ClinicWorld, role: Role) -> None:
    parameters = url_parameters(world)
    client = world.client(role)
    checked = 0
    for route, pattern in _page_patterns():
        perm = getattr(pattern.callback, "required_permission", None)
        if perm is None:
            continue
        url = "/" + route
        for placeholder, value in parameters.items():
            url = url.replace(placeholder, value)
        assert "<" not in url, f"add the parameter of {route} to url_parameters()"
        status = client.get(url).status_code
        allowed = role_has(role, perm)
        assert (status != 403) == allowed, f"{role} GET {url} → {status}"
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize("role", list(Role))
def test_api_answers_each_role_as_the_table_says(world: ClinicWorld, role: Role) -> None:
    patient = world.register(name="Matrix Patient")
    document = a_document(world, patient)
    token = world.token(role)
    headers = {"Authorization": f"Bearer {token}"}
    client = Client()
    for (method, path), perm in API_RULES.items():
        url = path.replace("{patient_id}", str(patient.pk)).replace(
            "{document_id}", str(document.pk)
        )
        body = {"name": "Someone", "sex": "M", "age": 20} if method == "POST" else {}
        if method == "PATCH":
            body = {"locality": f"Ward {uuid.uuid4().hex[:4]}"}
        response = client.generic(
            method, url, data=json.dumps(body), content_type="application/json", headers=headers
        )
        allowed = role_has(role, perm)
        assert (response.status_code != 403) == allowed, (
            f"{role} {method} {url} → {response.status_code} {response.content[:200]!r}"
        )
