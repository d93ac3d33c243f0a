"""A patient with one of every record a records request hands over: an amended
diagnosis, one entered in error, vitals, an allergy, a prescription, a report, a bill."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nidaan.billing.models import Bill
from nidaan.documents.models import Document
from nidaan.encounters import actions as chart_actions
from nidaan.encounters.models import Allergy, Diagnosis, Encounter, VitalSigns
from nidaan.patients.models import Patient
from nidaan.prescriptions.actions import RxDraft, issue_prescription
from nidaan.prescriptions.models import Prescription
from tests.documents.files import pdf_bytes, uploaded
from tests.factories import ClinicWorld

NAME = "रमेश कुमार"
ABHA_NUMBER = "91-6285-4575-5116"
ABHA_ADDRESS = "ramesh.kumar@abdm"
RX_LINES: list[dict[str, Any]] = [
    {"drug_code": "PCM650", "frequency": "1-1-1", "food": "after", "duration": "3"},
    {"drug_code": "CTZ10", "frequency": "0-0-1", "duration": "5"},
]


@dataclass
class Chart:
    patient: Patient
    encounter: Encounter
    diagnosis: Diagnosis  # the amended (current) version
    first_diagnosis: Diagnosis  # its first version
    wrong_diagnosis: Diagnosis  # the entered-in-error version
    vitals: VitalSigns
    allergy: Allergy
    rx: Prescription
    document: Document
    bill: Bill | None


def make_chart(world: ClinicWorld, *, with_bill: bool = False) -> Chart:
    doctor = world.user("doctor")
    patient = world.register(
        name=NAME, abha_number=ABHA_NUMBER, abha_address=ABHA_ADDRESS, mobile="9876543210"
    )
    encounter = chart_actions.start_encounter(
        acting_user=doctor, patient=patient, facility=world.facility
    )
    note = encounter.notes.get()
    chart_actions.save_consultation(
        note,
        {"complaints": [{"text": "fever", "duration": 3, "unit": "days"}], "advice": "Rest"},
        acting_user=doctor,
        complete=True,
    )
    vitals = chart_actions.record_vitals(
        encounter,
        {
            "bp_systolic": 150,
            "bp_diastolic": 95,
            "pulse": 88,
            "temperature_c": Decimal("38.4"),
            "spo2": 97,
            "weight_kg": Decimal("70.50"),
            "height_cm": Decimal("170.0"),
            "blood_sugar": 180,
            "blood_sugar_test": "fasting",
        },
        acting_user=world.user("nurse"),
    )
    first = chart_actions.add_diagnosis(
        encounter, {"icd10_code": "A01.0", "text": "Typhoid fever"}, acting_user=doctor
    )
    diagnosis = chart_actions.amend(
        first, {"certainty": "final"}, acting_user=doctor, reason="Widal test positive"
    )
    wrong = chart_actions.add_diagnosis(
        encounter, {"icd10_code": "J45.9", "text": "Asthma, unspecified"}, acting_user=doctor
    )
    wrong = chart_actions.mark_entered_in_error(wrong, acting_user=doctor, reason="other patient")
    allergy = chart_actions.record_allergy(
        patient,
        {"category": "drug", "substance": "Penicillin", "reaction": "rash", "severity": "severe"},
        acting_user=world.user("nurse"),
    )
    rx = issue_prescription(encounter, RxDraft(lines=RX_LINES), acting_user=doctor)
    from nidaan.documents import actions as document_actions

    document = document_actions.upload_document(
        acting_user=world.user("receptionist"),
        patient=patient,
        upload=uploaded("cbc.pdf", pdf_bytes()),
        title="CBC report",
        encounter=encounter,
    )
    bill = _a_bill(world, patient) if with_bill else None
    return Chart(
        patient=patient,
        encounter=encounter,
        diagnosis=diagnosis,
        first_diagnosis=first,
        wrong_diagnosis=wrong,
        vitals=vitals,
        allergy=allergy,
        rx=rx,
        document=document,
        bill=bill,
    )


def _a_bill(world: ClinicWorld, patient: Patient) -> Bill:
    from nidaan.billing import actions as billing
    from tests.billing.catalogue import make_catalogue

    consultation = make_catalogue(world).consultation
    return billing.issue_bill(
        acting_user=world.user("receptionist"),
        facility=world.facility,
        patient=patient,
        lines=[billing.LineRequest(consultation)],
    )
