"""A patient's chart as a FHIR R4 Bundle: valid, self-contained, and saying what the
chart says (current versions only, entered-in-error left out or marked)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from nidaan.fhir import systems
from nidaan.fhir.bundle import patient_bundle
from nidaan.fhir.resources import sha256_uri
from tests.factories import ClinicWorld
from tests.records_chart import ABHA_ADDRESS, ABHA_NUMBER, NAME, Chart, make_chart

# The chart stores a report: its file goes to this test's own directory.
pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def chart(world: ClinicWorld) -> Chart:
    return make_chart(world)


def _of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def test_bundle_round_trips_through_the_r4b_models(chart: Chart) -> None:
    bundle = patient_bundle(chart.patient)
    text = json.dumps(bundle, ensure_ascii=False)
    parsed = Bundle.model_validate(json.loads(text))
    assert parsed.type == "collection"
    again = json.loads(parsed.model_dump_json())
    assert len(again["entry"]) == len(bundle["entry"])
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds >= {
        "Patient",
        "Organization",
        "Practitioner",
        "Encounter",
        "Condition",
        "Observation",
        "AllergyIntolerance",
        "MedicationRequest",
        "DocumentReference",
    }


def test_every_reference_resolves_inside_the_bundle(chart: Chart) -> None:
    bundle = patient_bundle(chart.patient)
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(full_urls) == len(set(full_urls))
    references = _references([entry["resource"] for entry in bundle["entry"]])
    assert references
    assert set(references) <= set(full_urls)


def test_patient_keeps_the_devanagari_name_and_both_identifiers(chart: Chart) -> None:
    bundle = patient_bundle(chart.patient)
    patient = _of_type(bundle, "Patient")[0]
    assert patient["name"][0]["text"] == NAME
    assert patient["name"][1]["text"] == chart.patient.name_latin
    assert NAME in json.dumps(bundle, ensure_ascii=False)
    identifiers = {(i["system"], i["value"]) for i in patient["identifier"]}
    assert (systems.uhid_system(chart.patient.organisation_id), chart.patient.uhid) in identifiers
    assert (systems.ABHA, ABHA_NUMBER) in identifiers
    assert (systems.ABHA, ABHA_ADDRESS) in identifiers
    assert patient["gender"] == "female"
    assert patient["telecom"][0]["value"] == "+919876543210"


def test_amended_diagnosis_is_its_current_version_and_error_is_left_out(chart: Chart) -> None:
    conditions = _of_type(patient_bundle(chart.patient), "Condition")
    assert [c["id"] for c in conditions] == [str(chart.diagnosis.pk)]
    typhoid = conditions[0]
    assert typhoid["code"]["coding"][0] == {
        "system": systems.ICD10_WHO,
        "code": "A01.0",
        "display": "Typhoid fever",
    }
    assert typhoid["verificationStatus"]["coding"][0]["code"] == "confirmed"
    assert typhoid["meta"]["versionId"] == "2"


def test_entered_in_error_records_can_be_marked_instead(chart: Chart) -> None:
    bundle = patient_bundle(chart.patient, entered_in_error=True)
    Bundle.model_validate(bundle)
    conditions = {c["id"]: c for c in _of_type(bundle, "Condition")}
    assert set(conditions) == {str(chart.diagnosis.pk), str(chart.wrong_diagnosis.pk)}
    wrong = conditions[str(chart.wrong_diagnosis.pk)]
    assert wrong["verificationStatus"]["coding"][0]["code"] == "entered-in-error"
    assert "clinicalStatus" not in wrong  # con-5
    assert str(chart.first_diagnosis.pk) not in conditions


def test_vitals_are_loinc_coded_observations(chart: Chart) -> None:
    observations = _of_type(patient_bundle(chart.patient), "Observation")
    by_code = {o["code"]["coding"][0]["code"]: o for o in observations}
    assert set(by_code) == {
        "85354-9",
        "8867-4",
        "8310-5",
        "2708-6",
        "29463-7",
        "8302-2",
        "39156-5",
        "2339-0",
    }
    bp = by_code["85354-9"]
    parts = {c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in bp["component"]}
    assert parts == {"8480-6": 150, "8462-4": 95}
    assert by_code["29463-7"]["valueQuantity"] == {
        "value": 70.5,
        "unit": "kg",
        "system": "http://unitsofmeasure.org",
        "code": "kg",
    }
    assert by_code["8310-5"]["valueQuantity"]["code"] == "Cel"
    assert by_code["2339-0"]["code"]["text"] == "Blood sugar (fasting)"
    assert all(o["category"][0]["coding"][0]["code"] == "vital-signs" for o in observations[:-1])


def test_prescription_lines_are_medication_requests_named_in_capitals(chart: Chart) -> None:
    requests = _of_type(patient_bundle(chart.patient), "MedicationRequest")
    assert [r["medicationCodeableConcept"]["text"] for r in requests] == chart.rx.printed_names
    assert all("PARACETAMOL" in n or "CETIRIZINE" in n for n in chart.rx.printed_names)
    assert {r["groupIdentifier"]["value"] for r in requests} == {chart.rx.short_code}
    assert requests[0]["requester"]["reference"] == f"urn:uuid:{chart.rx.doctor_id}"
    assert requests[0]["dosageInstruction"][0]["patientInstruction"]  # the Hindi instructions


def test_allergy_and_document(chart: Chart) -> None:
    bundle = patient_bundle(chart.patient)
    allergy = _of_type(bundle, "AllergyIntolerance")[0]
    assert allergy["code"]["text"] == "Penicillin"
    assert allergy["category"] == ["medication"]
    assert allergy["reaction"][0]["manifestation"][0]["text"] == "rash"
    document = _of_type(bundle, "DocumentReference")[0]
    assert document["masterIdentifier"]["value"] == sha256_uri(chart.document.sha256)
    attachment = document["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf"
    assert attachment["size"] == chart.document.size
    assert "data" not in attachment
    assert document["context"]["encounter"][0]["reference"] == f"urn:uuid:{chart.encounter.pk}"


def test_document_data_when_asked(chart: Chart) -> None:
    from nidaan.documents import storage

    bundle = patient_bundle(chart.patient, document_data=lambda d: storage.read(d.sha256))
    attachment = _of_type(bundle, "DocumentReference")[0]["content"][0]["attachment"]
    import base64
    import hashlib

    data = base64.b64decode(attachment["data"])
    assert hashlib.sha256(data).hexdigest() == chart.document.sha256
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(data).digest()  # noqa: S324


def test_queries_do_not_grow_with_the_number_of_visits(world: ClinicWorld, chart: Chart) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nidaan.encounters import actions as chart_actions

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            patient_bundle(chart.patient)
        return len(captured)

    few = queries()
    for _ in range(3):
        encounter = chart_actions.start_encounter(
            acting_user=world.user("doctor"), patient=chart.patient, facility=world.facility
        )
        chart_actions.add_diagnosis(
            encounter, {"text": "Viral fever"}, acting_user=world.user("doctor")
        )
    assert queries() == few
