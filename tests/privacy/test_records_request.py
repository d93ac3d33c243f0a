"""A records request (MCI 1.3.2, DPDP s.11): from the patient's page a doctor or admin
downloads the FHIR bundle and the printed summary; each is audited, others are refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld
from tests.printing.conftest import pdf_text, squeeze
from tests.records_chart import NAME, Chart, make_chart

# The chart stores a report: its file goes to this test's own directory.
pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def chart(world: ClinicWorld) -> Chart:
    return make_chart(world, with_bill=True)


def _events(chart: Chart, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(patient_id=chart.patient.pk, action=action))


def test_patient_page_offers_the_records_request(world: ClinicWorld, chart: Chart) -> None:
    page = world.client(Role.DOCTOR).get(f"/patients/{chart.patient.pk}/").content.decode()
    assert f"/privacy/patient/{chart.patient.pk}/records/pdf/" in page
    assert f"/privacy/patient/{chart.patient.pk}/records/fhir/" in page
    front_desk = world.client(Role.RECEPTIONIST).get(f"/patients/{chart.patient.pk}/")
    assert "/records/fhir/" not in front_desk.content.decode()


def test_doctor_downloads_the_fhir_bundle_and_it_is_audited(
    world: ClinicWorld, chart: Chart
) -> None:
    response = world.client(Role.DOCTOR).get(f"/privacy/patient/{chart.patient.pk}/records/fhir/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "attachment" in response["Content-Disposition"]
    assert NAME in response.content.decode()
    bundle = Bundle.model_validate(json.loads(response.content))
    assert bundle.entry
    [event] = _events(chart, AuditAction.EXPORT)
    assert event.actor_id == world.user(Role.DOCTOR).pk
    assert event.detail["format"] == "fhir-r4-bundle"
    assert event.detail["resources"] == len(bundle.entry)
    assert event.detail["with_files"] is False
    assert _events(chart, AuditAction.PRINT) == []


def test_with_files_the_reports_travel_inside(world: ClinicWorld, chart: Chart) -> None:
    response = world.client(Role.ADMIN).get(
        f"/privacy/patient/{chart.patient.pk}/records/fhir/?files=1"
    )
    bundle = json.loads(response.content)
    [document] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    ]
    assert document["content"][0]["attachment"]["data"]
    assert _events(chart, AuditAction.EXPORT)[0].detail["with_files"] is True


def test_summary_pdf_reads_back_with_diagnoses_drugs_and_hindi_headings(
    world: ClinicWorld, chart: Chart
) -> None:
    response = world.client(Role.DOCTOR).get(f"/privacy/patient/{chart.patient.pk}/records/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Typhoid fever" in text
    assert "A01.0" in text
    assert "Asthma" not in text  # entered in error
    for name in chart.rx.drug_names:
        assert name in text
    assert "TAB. PARACETAMOL 650 mg" in text
    for heading in ("एलर्जी", "विज़िट", "बिल", "चिकित्सा रिकॉर्ड का सारांश"):
        assert squeeze(heading) in squeeze(text)
    assert "Penicillin" in text
    assert chart.patient.uhid in text
    assert chart.bill is not None
    assert chart.bill.number in text
    assert "Page 1 of" in text
    [export] = _events(chart, AuditAction.EXPORT)
    [printed] = _events(chart, AuditAction.PRINT)
    assert export.detail["format"] == "pdf-summary"
    assert printed.detail["printed"] == "records-summary"


def test_receptionist_is_refused_and_the_attempt_audited(world: ClinicWorld, chart: Chart) -> None:
    client = world.client(Role.RECEPTIONIST)
    for kind in ("fhir", "pdf"):
        response = client.get(f"/privacy/patient/{chart.patient.pk}/records/{kind}/")
        assert response.status_code == 403
    denied = AuditEvent.objects.filter(
        action=AuditAction.DENIED, actor_id=world.user(Role.RECEPTIONIST).pk
    )
    assert denied.count() == 2
    assert _events(chart, AuditAction.EXPORT) == []


def test_other_organisations_patient_is_not_found(
    world: ClinicWorld, chart: Chart, other_world: Callable[[], ClinicWorld]
) -> None:
    client = other_world().client(Role.ADMIN)
    for kind in ("fhir", "pdf"):
        response = client.get(f"/privacy/patient/{chart.patient.pk}/records/{kind}/")
        assert response.status_code == 404
    assert _events(chart, AuditAction.EXPORT) == []


def test_a_patient_with_no_records_yet(world: ClinicWorld) -> None:
    patient = world.register(name="Fatima Khan")
    client = world.client(Role.DOCTOR)
    bundle = json.loads(client.get(f"/privacy/patient/{patient.pk}/records/fhir/").content)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Patient", "Organization"]
    text = pdf_text(client.get(f"/privacy/patient/{patient.pk}/records/pdf/").content)
    assert "Fatima Khan" in text
    for empty in ("No allergy recorded.", "No visit recorded.", "No bill issued."):
        assert empty in text


def test_every_page_of_a_long_summary_names_the_patient_and_its_number(
    world: ClinicWorld, chart: Chart, tmp_path: Path
) -> None:
    import subprocess

    from nidaan.encounters import actions as chart_actions

    for _ in range(12):
        encounter = chart_actions.start_encounter(
            acting_user=world.user(Role.DOCTOR), patient=chart.patient, facility=world.facility
        )
        chart_actions.add_diagnosis(
            encounter,
            {"icd10_code": "E11.9", "text": "Type 2 diabetes"},
            acting_user=world.user(Role.DOCTOR),
        )
    pdf = world.client(Role.DOCTOR).get(f"/privacy/patient/{chart.patient.pk}/records/pdf/").content
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert pages >= 2
    for number in range(1, pages + 1):
        page = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert f"Page {number} of {pages}" in page
        assert squeeze(f"{NAME} · UHID {chart.patient.uhid}") in squeeze(page)


def test_the_api_hands_over_the_same_bundle_with_the_same_rules(
    world: ClinicWorld, chart: Chart, other_world: Callable[[], ClinicWorld]
) -> None:
    from django.test import Client

    url = f"/api/v1/patients/{chart.patient.pk}/records/fhir"

    def get(token: str, query: str = "") -> Any:
        return Client().get(url + query, HTTP_AUTHORIZATION=f"Bearer {token}")

    response = get(world.token(Role.DOCTOR), "?files=true")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    Bundle.model_validate(json.loads(response.content))
    [event] = _events(chart, AuditAction.EXPORT)
    assert event.channel == "api"
    assert event.detail["with_files"] is True
    assert get(world.token(Role.RECEPTIONIST)).status_code == 403
    assert get(other_world().token(Role.ADMIN)).status_code == 404
    assert len(_events(chart, AuditAction.EXPORT)) == 1
