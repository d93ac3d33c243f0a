from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Role
from nidaan.patients.models import Patient
from tests.factories import ClinicWorld


class Api:
    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        return self.client.generic(
            method,
            "/api/v1" + path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=self.headers,
        )


def test_register_read_correct_and_find_a_patient(world: ClinicWorld) -> None:
    api = Api(world.token(Role.RECEPTIONIST))
    created = api.call(
        "POST",
        "/patients",
        {
            "name": "सुनीता देवी",
            "sex": "F",
            "age": 34,
            "mobile": "+91 98765 43210",
            "abha_number": "91-6285-4575-5116",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "सुनीता देवी"
    assert body["name_latin"] == "Sunita Devi"
    assert body["mobile"] == "9876543210"
    assert body["abha_number"] == "91628545755116"
    assert body["age"] == 34
    assert body["date_of_birth_estimated"] is True

    fetched = api.call("GET", f"/patients/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["uhid"] == body["uhid"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, patient_id=body["id"], channel="api"
    ).exists()

    patched = api.call("PATCH", f"/patients/{body['id']}", {"locality": "Kankarbagh"})
    assert patched.status_code == 200
    assert patched.json()["locality"] == "Kankarbagh"
    assert patched.json()["mobile"] == "9876543210"  # untouched fields stay
    last = ChangeLogEntry.objects.order_by("-node_seq").first()
    assert last is not None
    assert last.fields == {"locality": "Kankarbagh"}

    found = api.call("GET", "/patients?q=sunita")
    assert found.status_code == 200
    (hit,) = found.json()
    assert {k: hit[k] for k in ("id", "uhid", "name", "name_latin", "sex", "age", "mobile")} == {
        "id": body["id"],
        "uhid": body["uhid"],
        "name": "सुनीता देवी",
        "name_latin": "Sunita Devi",
        "sex": "F",
        "age": 34,
        "mobile": "9876543210",
    }


def test_invalid_input_is_400_per_field_and_stores_nothing(world: ClinicWorld) -> None:
    api = Api(world.token(Role.RECEPTIONIST))
    response = api.call(
        "POST",
        "/patients",
        {
            "name": "Ravi",
            "sex": "X",
            "mobile": "1234567890",
            "abha_number": "12",
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"sex", "mobile", "abha_number", "age"}
    assert "1234567890 is not a valid Indian mobile number." in errors["mobile"]
    assert not Patient.objects.exists()
    assert not ChangeLogEntry.objects.filter(entity="patients.patient").exists()


def test_wrong_types_and_unknown_fields_are_named(world: ClinicWorld) -> None:
    api = Api(world.token(Role.RECEPTIONIST))
    response = api.call(
        "POST", "/patients", {"name": "Ravi", "sex": "M", "age": "old", "mobilee": "9876543210"}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "age" in errors
    assert "mobilee" in errors
    malformed = api.client.post(
        "/api/v1/patients", data="{not json", content_type="application/json", headers=api.headers
    )
    assert malformed.status_code == 400
    assert not Patient.objects.exists()


def test_a_bad_patch_changes_nothing(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", sex="M", age=40, mobile="9876543210")
    api = Api(world.token(Role.RECEPTIONIST))
    response = api.call("PATCH", f"/patients/{patient.pk}", {"mobile": "12345", "pin": "0123"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"mobile", "pin"}
    patient.refresh_from_db()
    assert patient.mobile == "9876543210"


def test_patch_age_replaces_an_exact_birth_date(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", sex="M", age=None, date_of_birth="1980-05-01")
    api = Api(world.token(Role.RECEPTIONIST))
    body = api.call("PATCH", f"/patients/{patient.pk}", {"age": 50}).json()
    assert body["age"] == 50
    assert body["date_of_birth_estimated"] is True


def test_another_organisations_patient_is_404(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    theirs = other_world().register(name="Their Patient", mobile="9876543210")
    api = Api(world.token(Role.ADMIN))
    assert api.call("GET", f"/patients/{theirs.pk}").status_code == 404
    assert api.call("PATCH", f"/patients/{theirs.pk}", {"locality": "X"}).status_code == 404
    assert api.call("GET", "/patients?q=9876543210").json() == []
    theirs.refresh_from_db()
    assert theirs.locality == ""


def test_no_token_is_401(world: ClinicWorld) -> None:
    response = Client().get("/api/v1/patients?q=a")
    assert response.status_code == 401


def test_openapi_document_describes_the_patient_api(world: ClinicWorld) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/patients"])
    assert {"get", "patch"} <= set(paths["/api/v1/patients/{patient_id}"])
    assert "BearerToken" in document["components"]["securitySchemes"]
