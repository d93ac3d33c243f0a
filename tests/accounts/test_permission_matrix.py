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
    # The chart (api/encounters.py), as on the consultation pages.
    ("POST", "/api/v1/patients/{patient_id}/encounters"): Perm.CONSULTATION_WRITE,
    ("GET", "/api/v1/patients/{patient_id}/encounters"): Perm.CLINICAL_VIEW,
    ("GET", "/api/v1/encounters/{encounter_id}"): Perm.CLINICAL_VIEW,
    ("POST", "/api/v1/encounters/{encounter_id}/note"): Perm.CONSULTATION_WRITE,
    ("POST", "/api/v1/encounters/{encounter_id}/vitals"): Perm.VITALS_RECORD,
    ("POST", "/api/v1/encounters/{encounter_id}/diagnoses"): Perm.CONSULTATION_WRITE,
    ("GET", "/api/v1/icd10"): Perm.CLINICAL_VIEW,
    ("POST", "/api/v1/patients/{patient_id}/allergies"): Perm.ALLERGY_RECORD,
    ("GET", "/api/v1/patients/{patient_id}/allergies"): Perm.CLINICAL_VIEW,
    ("POST", "/api/v1/records/vitals/{vitals_id}/amend"): Perm.VITALS_RECORD,
    ("POST", "/api/v1/records/vitals/{vitals_id}/entered-in-error"): Perm.VITALS_RECORD,
    ("POST", "/api/v1/records/diagnoses/{diagnosis_id}/amend"): Perm.CONSULTATION_WRITE,
    ("POST", "/api/v1/records/diagnoses/{diagnosis_id}/entered-in-error"): (
        Perm.CONSULTATION_WRITE
    ),
    ("POST", "/api/v1/records/allergies/{allergy_id}/amend"): Perm.ALLERGY_RECORD,
    ("POST", "/api/v1/records/allergies/{allergy_id}/entered-in-error"): Perm.ALLERGY_RECORD,
    # The token queue (api/queue.py), as on the OPD pages.
    ("GET", "/api/v1/queue"): Perm.QUEUE_VIEW,
    ("POST", "/api/v1/queue"): Perm.QUEUE_MANAGE,
    ("POST", "/api/v1/queue/call-next"): Perm.QUEUE_CALL,
    ("POST", "/api/v1/queue/{entry_id}/start"): Perm.QUEUE_CALL,
    ("POST", "/api/v1/queue/{entry_id}/done"): Perm.QUEUE_CALL,
    ("POST", "/api/v1/queue/{entry_id}/status"): Perm.QUEUE_MANAGE,
    ("POST", "/api/v1/queue/{entry_id}/priority"): Perm.QUEUE_MANAGE,
    ("POST", "/api/v1/patients/{patient_id}/documents"): Perm.DOCUMENT_UPLOAD,
    ("GET", "/api/v1/patients/{patient_id}/documents"): Perm.DOCUMENT_VIEW,
    ("GET", "/api/v1/documents/{document_id}"): Perm.DOCUMENT_VIEW,
    ("GET", "/api/v1/documents/{document_id}/file"): Perm.DOCUMENT_VIEW,
    # Prescriptions (api/prescriptions.py), as on the prescription pages.
    ("POST", "/api/v1/encounters/{encounter_id}/prescriptions"): Perm.PRESCRIPTION_WRITE,
    ("GET", "/api/v1/prescriptions/{prescription_id}"): Perm.PRESCRIPTION_VIEW,
    ("GET", "/api/v1/prescriptions/{prescription_id}/pdf"): Perm.PRESCRIPTION_VIEW,
    # Billing (api/billing.py), as on the billing pages.
    ("GET", "/api/v1/billing/catalogue"): Perm.BILL_ISSUE,
    ("POST", "/api/v1/bills"): Perm.BILL_ISSUE,
    ("GET", "/api/v1/bills/{bill_id}"): Perm.BILL_ISSUE,
    ("GET", "/api/v1/bills/{bill_id}/pdf"): Perm.BILL_ISSUE,
    ("POST", "/api/v1/bills/{bill_id}/payments"): Perm.BILL_ISSUE,
    ("POST", "/api/v1/bills/{bill_id}/credit-notes"): Perm.BILL_CORRECT,
    ("POST", "/api/v1/bills/{bill_id}/cancel"): Perm.BILL_CORRECT,
    ("POST", "/api/v1/bills/{bill_id}/refunds"): Perm.BILL_CORRECT,
    ("GET", "/api/v1/reports/gstr1"): Perm.BILLING_REPORTS,
    ("GET", "/api/v1/reports/day-end"): Perm.BILLING_REPORTS,
    ("GET", "/api/v1/patients/{patient_id}/account"): Perm.BILL_ISSUE,
    ("POST", "/api/v1/patients/{patient_id}/advances"): Perm.BILL_ISSUE,
    ("POST", "/api/v1/patients/{patient_id}/advance-refunds"): Perm.BILL_ISSUE,
    # Records requests (api/records.py), as on the patient's page.
    ("GET", "/api/v1/patients/{patient_id}/records/fhir"): Perm.RECORDS_EXPORT,
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
            for attr in ("required_permission", "public", "login_only", "node_credential")
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
    from nidaan.billing.models import CatalogueEntry
    from nidaan.core import changelog
    from nidaan.opd.models import Appointment

    appointment = Appointment(
        organisation=world.organisation,
        facility=world.facility,
        doctor=world.user(Role.DOCTOR),
        patient=patient,
        starts_at=encounter.started_at,
    )
    changelog.insert(appointment, acting_user=world.user(Role.RECEPTIONIST))
    from nidaan.patients.actions import merge_patients

    twin = world.register(name="Matrix Patient Twin")
    merged = world.register(name="Matrix Patient Again")
    merge = merge_patients(
        survivor=twin, merged=merged, reason="same person", acting_user=world.user(Role.ADMIN)
    )
    from django.utils import timezone

    from nidaan.privacy.models import BreachIncident

    incident = BreachIncident.objects.create(
        organisation_id=world.organisation.pk,
        recorded_by=world.user(Role.ADMIN),
        recorded_at=timezone.now(),
        became_aware_at=timezone.now(),
        what_happened="matrix",
        window_start=timezone.now(),
        window_end=timezone.now(),
        likely_consequences="-",
        mitigation="-",
        contact="-",
    )
    return {
        "<uuid:user_id>": str(world.user(Role.DOCTOR).pk),
        "<uuid:incident_id>": str(incident.pk),
        "<uuid:patient_id>": str(patient.pk),
        "<uuid:entry_id>": str(entry.pk),
        "<uuid:encounter_id>": str(encounter.pk),
        # A version of a chart record of that visit (its draft consultation note).
        "<uuid:record_id>": str(encounter.notes.get().pk),
        "<uuid:appointment_id>": str(appointment.pk),
        "<uuid:document_id>": str(a_document(world, patient).pk),
        "<uuid:other_id>": str(twin.pk),
        "<uuid:merge_id>": str(merge.pk),
        "<uuid:prescription_id>": str(_a_prescription(world, encounter).pk),
        "<uuid:bill_id>": billing_api_parameters(world, patient)[0]["{bill_id}"],
        "<uuid:item_id>": str(CatalogueEntry.objects.filter(organisation=world.organisation)[0].pk),
    }


def _a_prescription(world: ClinicWorld, encounter: Any) -> Any:
    from nidaan.prescriptions.actions import RxDraft, issue_prescription

    line = {"drug_code": "PCM500", "frequency": "SOS", "quantity": "4"}
    return issue_prescription(encounter, RxDraft(lines=[line]), acting_user=world.user(Role.DOCTOR))


def chart_api_parameters(
    world: ClinicWorld, patient: Any
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Real ids for the chart and queue operations' path parameters, and a body of the
    right shape for each of their POSTs, so that a 403 can only be the permission's."""
    from nidaan.encounters import actions as chart
    from nidaan.encounters.models import ConsultationNote
    from nidaan.opd import actions as opd_actions

    doctor, nurse = world.user(Role.DOCTOR), world.user(Role.NURSE)
    entry = opd_actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=patient,
        doctor=doctor,
        facility=world.facility,
    )
    visit = chart.start_encounter(acting_user=doctor, patient=patient, facility=world.facility)
    allergy = chart.record_allergy(
        patient, {"category": "drug", "substance": "Sulfa"}, acting_user=nurse
    )
    ids = {
        "{encounter_id}": str(visit.pk),
        "{entry_id}": str(entry.pk),
        "{vitals_id}": str(chart.record_vitals(visit, {"pulse": 80}, acting_user=nurse).pk),
        "{diagnosis_id}": str(chart.add_diagnosis(visit, {"text": "Fever"}, acting_user=doctor).pk),
        "{allergy_id}": str(allergy.pk),
        "{prescription_id}": str(_a_prescription(world, visit).pk),
    }
    note = ConsultationNote.objects.get(encounter=visit)
    reason = {"reason": "matrix"}
    bodies: dict[str, dict[str, Any]] = {
        "/api/v1/patients/{patient_id}/encounters": {},
        "/api/v1/encounters/{encounter_id}/note": {"based_on": str(note.pk), "advice": "rest"},
        "/api/v1/encounters/{encounter_id}/vitals": {"pulse": 90},
        "/api/v1/encounters/{encounter_id}/diagnoses": {"text": "Cough"},
        "/api/v1/patients/{patient_id}/allergies": {"category": "food", "substance": "Egg"},
        "/api/v1/records/vitals/{vitals_id}/amend": {"pulse": 88, **reason},
        "/api/v1/records/diagnoses/{diagnosis_id}/amend": {"certainty": "final", **reason},
        "/api/v1/records/allergies/{allergy_id}/amend": {"severity": "severe", **reason},
        "/api/v1/queue": {"patient_id": str(patient.pk), "doctor_id": str(doctor.pk)},
        "/api/v1/queue/{entry_id}/status": {"status": "no_show"},
        "/api/v1/queue/{entry_id}/priority": {"priority": "elderly"},
        "/api/v1/encounters/{encounter_id}/prescriptions": {
            "lines": [{"drug_code": "CTZ10", "frequency": "0-0-1", "duration": 5}]
        },
    }
    for kind in ("vitals/{vitals_id}", "diagnoses/{diagnosis_id}", "allergies/{allergy_id}"):
        bodies[f"/api/v1/records/{kind}/entered-in-error"] = reason
    for action in ("call-next", "{entry_id}/start", "{entry_id}/done"):
        bodies[f"/api/v1/queue/{action}"] = {}
    bill_ids, bill_bodies = billing_api_parameters(world, patient)
    return ids | bill_ids, bodies | bill_bodies


def billing_api_parameters(
    world: ClinicWorld, patient: Any
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """A bill and the bodies of the billing POSTs (tests/billing/catalogue.py)."""
    from nidaan.billing import actions as billing
    from tests.billing.catalogue import make_catalogue

    consultation = make_catalogue(world).consultation
    bill = billing.issue_bill(
        acting_user=world.user(Role.RECEPTIONIST),
        facility=world.facility,
        patient=patient,
        lines=[billing.LineRequest(consultation)],
    )
    return {"{bill_id}": str(bill.pk)}, {
        "/api/v1/bills": {
            "patient_id": str(patient.pk),
            "lines": [{"entry_id": str(consultation.pk)}],
        },
        "/api/v1/bills/{bill_id}/payments": {"mode": "cash", "amount": "1.00"},
        "/api/v1/bills/{bill_id}/credit-notes": {"reason": "matrix"},
        "/api/v1/bills/{bill_id}/cancel": {"reason": "matrix"},
        "/api/v1/bills/{bill_id}/refunds": {"mode": "cash", "amount": "1"},
        "/api/v1/patients/{patient_id}/advances": {"mode": "cash", "amount": "10"},
        "/api/v1/patients/{patient_id}/advance-refunds": {"mode": "cash", "amount": "1"},
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
    ids, bodies = chart_api_parameters(world, patient)
    token = world.token(role)
    headers = {"Authorization": f"Bearer {token}"}
    client = Client()
    for (method, path), perm in API_RULES.items():
        url = path.replace("{patient_id}", str(patient.pk)).replace(
            "{document_id}", str(document.pk)
        )
        for placeholder, value in ids.items():
            url = url.replace(placeholder, value)
        assert "{" not in url, f"add the parameter of {path} to chart_api_parameters()"
        body = {"name": "Someone", "sex": "M", "age": 20} if method == "POST" else {}
        body = bodies.get(path, body)
        if method == "PATCH":
            body = {"locality": f"Ward {uuid.uuid4().hex[:4]}"}
        response = client.generic(
            method, url, data=json.dumps(body), content_type="application/json", headers=headers
        )
        allowed = role_has(role, perm)
        assert (response.status_code != 403) == allowed, (
            f"{role} {method} {url} → {response.status_code} {response.content[:200]!r}"
        )
