"""Vitals, diagnoses and allergies through the JSON API, and their corrections: the
page's checks and messages, nothing stored on refusal, amendments as new versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.clinics.actions import clinic_form_values, update_clinic
from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import Allergy, Diagnosis, Encounter, VitalSigns
from tests.api.test_patients_api import Api
from tests.factories import ClinicWorld


@pytest.fixture
def visit(world: ClinicWorld) -> Encounter:
    return actions.start_encounter(
        acting_user=world.user(Role.DOCTOR),
        patient=world.register(name="Sunita Devi"),
        facility=world.facility,
    )


def _post(api: Api, path: str, body: dict[str, Any]) -> Any:
    return api.call("POST", path, body)


def test_vitals_answer_in_both_units_with_bmi_and_flags(
    world: ClinicWorld, visit: Encounter
) -> None:
    api = Api(world.token(Role.NURSE))
    response = _post(
        api,
        f"/encounters/{visit.pk}/vitals",
        {
            "bp_systolic": 150,
            "bp_diastolic": 95,
            "pulse": 120,
            "temperature": 102.2,
            "spo2": 92,
            "weight_kg": 60,
            "height_cm": 160,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["temperature_c"] == 39.0
    assert (body["temperature"], body["temperature_unit"]) == (102.2, "F")
    assert body["bmi"] == 23.4
    assert body["flags"] == {
        "bp_systolic": "high",
        "bp_diastolic": "high",
        "pulse": "high",
        "temperature_c": "high",
        "spo2": "low",
    }
    assert body["recorded_by"]["id"] == str(world.user(Role.NURSE).pk)


def test_a_celsius_clinic_types_and_reads_celsius(world: ClinicWorld, visit: Encounter) -> None:
    admin = world.user(Role.ADMIN)
    update_clinic(
        world.facility,
        {**clinic_form_values(world.facility), "temperature_unit": "C"},
        acting_user=admin,
    )
    api = Api(world.token(Role.NURSE))
    body = _post(api, f"/encounters/{visit.pk}/vitals", {"temperature": 38.5}).json()
    assert (body["temperature_c"], body["temperature"], body["temperature_unit"]) == (
        38.5,
        38.5,
        "C",
    )
    typo = _post(api, f"/encounters/{visit.pk}/vitals", {"temperature": 385})
    assert typo.json() == {
        "errors": {
            "temperature": [
                "385 is not possible for Temperature: check for a typing mistake "
                "(expected 32–43.5)."
            ]
        }
    }


def test_impossible_vitals_are_refused_with_the_pages_message(
    world: ClinicWorld, visit: Encounter
) -> None:
    api = Api(world.token(Role.NURSE))
    url = f"/encounters/{visit.pk}/vitals"
    typo = _post(api, url, {"bp_systolic": 1200, "bp_diastolic": 80})
    assert typo.status_code == 400
    assert typo.json() == {
        "errors": {
            "bp_systolic": [
                "1200 is not possible for BP systolic: check for a typing mistake "
                "(expected 50–260)."
            ]
        }
    }
    assert _post(api, url, {"bp_systolic": 120}).json() == {
        "errors": {"bp_diastolic": ["Enter both BP numbers."]}
    }
    assert _post(api, url, {"blood_sugar": 140}).json() == {
        "errors": {
            "blood_sugar_test": ["Say whether the sugar was fasting, random or after a meal."]
        }
    }
    assert _post(api, url, {}).json() == {
        "errors": {"non_field": ["Enter at least one measurement."]}
    }
    assert _post(api, url, {"weight_kg": 60.123}).json()["errors"]["weight_kg"] == [
        "Ensure that there are no more than 2 decimal places."
    ]
    assert "pulse" in _post(api, url, {"pulse": "fast"}).json()["errors"]
    assert not VitalSigns.objects.exists()


def test_diagnoses_take_a_who_code_or_free_text(world: ClinicWorld, visit: Encounter) -> None:
    api = Api(world.token(Role.DOCTOR))
    url = f"/encounters/{visit.pk}/diagnoses"
    coded = _post(api, url, {"icd10_code": "j069"})
    assert coded.status_code == 201, coded.content
    assert {k: coded.json()[k] for k in ("icd10_code", "text", "certainty", "active")} == {
        "icd10_code": "J06.9",
        "text": "Acute upper respiratory infection, unspecified",
        "certainty": "provisional",
        "active": True,
    }
    free = _post(api, url, {"text": "Viral fever", "certainty": "final"})
    assert (free.status_code, free.json()["icd10_code"]) == (201, "")
    assert _post(api, url, {"icd10_code": "Q99.99"}).json() == {
        "errors": {"icd10_code": ["Q99.99 is not a WHO ICD-10 code."]}
    }
    assert _post(api, url, {}).json() == {
        "errors": {"text": ["Choose an ICD-10 code or write the diagnosis."]}
    }
    assert _post(api, url, {"text": "x", "certainty": "sure"}).json() == {
        "errors": {
            "certainty": ["Select a valid choice. sure is not one of the available choices."]
        }
    }
    assert Diagnosis.objects.count() == 2

    found = api.call("GET", "/icd10?q=typhoid")
    assert found.status_code == 200
    assert {"code": "A01.0", "title": "Typhoid fever"} in found.json()


def test_allergies_are_recorded_and_listed_in_use(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    api = Api(world.token(Role.NURSE))
    url = f"/patients/{patient.pk}/allergies"
    created = _post(api, url, {"category": "drug", "substance": "Penicillin", "reaction": "rash"})
    assert created.status_code == 201, created.content
    assert created.json()["severity"] == "moderate"
    refused = _post(api, url, {"category": "pollen", "substance": ""})
    assert refused.json() == {
        "errors": {
            "category": ["Select a valid choice. pollen is not one of the available choices."],
            "substance": ["This field is required."],
        }
    }
    assert Allergy.objects.count() == 1

    listed = api.call("GET", url)
    assert [a["substance"] for a in listed.json()] == ["Penicillin"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, patient_id=patient.pk, channel="api"
    ).exists()


def test_an_amendment_is_a_new_version_checked_like_a_new_record(
    world: ClinicWorld, visit: Encounter
) -> None:
    api = Api(world.token(Role.DOCTOR))
    first = _post(
        api,
        f"/encounters/{visit.pk}/vitals",
        {"bp_systolic": 180, "bp_diastolic": 80, "temperature": 99.5},
    ).json()
    url = f"/records/vitals/{first['id']}/amend"
    same = _post(api, url, {"bp_systolic": 180, "reason": "check"})
    assert same.json() == {
        "errors": {
            "non_field": ["Nothing was changed: change a value, or mark it entered in error."]
        }
    }

    typo = _post(api, url, {"bp_systolic": 1200, "reason": "typo"})
    assert typo.json()["errors"] == {
        "bp_systolic": [
            "1200 is not possible for BP systolic: check for a typing mistake (expected 50–260)."
        ]
    }
    no_reason = _post(api, url, {"bp_systolic": 130, "reason": " "})
    assert (no_reason.status_code, list(no_reason.json()["errors"])) == (400, ["reason"])
    assert VitalSigns.objects.count() == 1

    fixed = _post(api, url, {"bp_systolic": 130, "reason": "typed 180 for 130"})
    assert fixed.status_code == 201, fixed.content
    body = fixed.json()
    assert (body["bp_systolic"], body["bp_diastolic"], body["temperature"]) == (130, 80, 99.5)
    assert (body["supersedes"], body["lineage"]) == (first["id"], first["id"])
    assert body["reason"] == "typed 180 for 130"

    again = _post(api, url, {"bp_systolic": 125, "reason": "second thoughts"})
    assert again.status_code == 409
    assert again.json()["current"]["id"] == body["id"]
    assert VitalSigns.objects.count() == 2


def test_a_diagnosis_amended_to_a_new_code_takes_its_title(
    world: ClinicWorld, visit: Encounter
) -> None:
    api = Api(world.token(Role.DOCTOR))
    first = _post(api, f"/encounters/{visit.pk}/diagnoses", {"icd10_code": "A01.0"}).json()
    amended = _post(
        api, f"/records/diagnoses/{first['id']}/amend", {"icd10_code": "A01.1", "reason": "type"}
    )
    assert amended.status_code == 201, amended.content
    assert (amended.json()["icd10_code"], amended.json()["text"]) == (
        "A01.1",
        "Paratyphoid fever A",
    )
    resolved = _post(
        api,
        f"/records/diagnoses/{amended.json()['id']}/amend",
        {"active": False, "certainty": "final", "reason": "recovered"},
    ).json()
    assert (resolved["active"], resolved["certainty"], resolved["text"]) == (
        False,
        "final",
        "Paratyphoid fever A",
    )


def test_entered_in_error_takes_a_record_out_of_use(world: ClinicWorld, visit: Encounter) -> None:
    api = Api(world.token(Role.DOCTOR))
    wrong = _post(api, f"/encounters/{visit.pk}/diagnoses", {"text": "Malaria"}).json()
    url = f"/records/diagnoses/{wrong['id']}/entered-in-error"
    assert list(_post(api, url, {"reason": ""}).json()["errors"]) == ["reason"]
    gone = _post(api, url, {"reason": "wrong patient"})
    assert gone.status_code == 201
    assert gone.json()["status"] == "entered-in-error"
    assert _post(api, url, {"reason": "again"}).status_code == 409

    visit_now = api.call("GET", f"/encounters/{visit.pk}").json()
    assert visit_now["diagnoses"] == []
    assert [d["status"] for d in visit_now["versions"]["diagnoses"]] == [
        "final",
        "entered-in-error",
    ]

    allergy = _post(
        api, f"/patients/{visit.patient_id}/allergies", {"category": "food", "substance": "Egg"}
    ).json()
    _post(api, f"/records/allergies/{allergy['id']}/amend", {"active": False, "reason": "outgrew"})
    assert api.call("GET", f"/patients/{visit.patient_id}/allergies").json() == []


def test_each_role_writes_only_its_part(world: ClinicWorld, visit: Encounter) -> None:
    reception, nurse = Api(world.token(Role.RECEPTIONIST)), Api(world.token(Role.NURSE))
    assert _post(reception, f"/encounters/{visit.pk}/vitals", {"pulse": 80}).status_code == 403
    assert _post(nurse, f"/encounters/{visit.pk}/diagnoses", {"text": "Fever"}).status_code == 403
    assert reception.call("GET", f"/patients/{visit.patient_id}/allergies").status_code == 403
    assert reception.call("GET", "/icd10?q=fever").status_code == 403
    assert not VitalSigns.objects.exists()
    assert not Diagnosis.objects.exists()


def test_another_clinics_records_are_not_found(
    world: ClinicWorld, visit: Encounter, other_world: Callable[[], ClinicWorld]
) -> None:
    vitals = actions.record_vitals(visit, {"pulse": 80}, acting_user=world.user(Role.NURSE))
    outsider = Api(other_world().token(Role.ADMIN))
    assert _post(outsider, f"/encounters/{visit.pk}/vitals", {"pulse": 90}).status_code == 404
    amend = _post(outsider, f"/records/vitals/{vitals.pk}/amend", {"pulse": 90, "reason": "x"})
    assert amend.status_code == 404
    assert outsider.call("GET", f"/patients/{visit.patient_id}/allergies").status_code == 404
    assert VitalSigns.objects.count() == 1


def test_the_openapi_document_lists_the_record_operations(
    world: ClinicWorld, client: Client
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, methods in {
        "/api/v1/encounters/{encounter_id}/vitals": {"post"},
        "/api/v1/encounters/{encounter_id}/diagnoses": {"post"},
        "/api/v1/icd10": {"get"},
        "/api/v1/patients/{patient_id}/allergies": {"get", "post"},
        "/api/v1/records/vitals/{vitals_id}/amend": {"post"},
        "/api/v1/records/vitals/{vitals_id}/entered-in-error": {"post"},
        "/api/v1/records/diagnoses/{diagnosis_id}/amend": {"post"},
        "/api/v1/records/diagnoses/{diagnosis_id}/entered-in-error": {"post"},
        "/api/v1/records/allergies/{allergy_id}/amend": {"post"},
        "/api/v1/records/allergies/{allergy_id}/entered-in-error": {"post"},
    }.items():
        assert set(paths[path]) == methods, path
