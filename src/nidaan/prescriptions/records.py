"""Read-only queries: a visit's prescriptions, what a stored version prints, what the
verification page shows, and each doctor's favourite medicines."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from nidaan.clinics.models import Facility
from nidaan.core.versioned import RecordStatus
from nidaan.encounters.models import ConsultationNote, Diagnosis, Encounter
from nidaan.prescriptions.actions import allergy_substances
from nidaan.prescriptions.lines import RxLine
from nidaan.prescriptions.models import Prescription
from nidaan.prescriptions.printout import Printout
from nidaan.printing import Letterhead

CHILD_UNTIL_AGE = 12


def verify_url(short_code: str, base: str = "") -> str:
    """Where the QR code points: the hub's verification page when the hub's public
    address is set (NIDAAN_PUBLIC_URL), else this server's address."""
    root = (getattr(settings, "NIDAAN_PUBLIC_URL", "") or base).rstrip("/")
    return f"{root}/v/{short_code}"


def is_current(rx: Prescription) -> bool:
    return not Prescription.objects.filter(supersedes=rx).exists()


def for_encounter(encounter: Encounter) -> list[Prescription]:
    """The visit's prescriptions in use (newest version of each), oldest first."""
    return list(
        Prescription.objects.filter(encounter=encounter)
        .current()
        .select_related("doctor")
        .order_by("recorded_at")
    )


def versions(rx: Prescription) -> list[Prescription]:
    return list(
        Prescription.objects.filter(lineage=rx.lineage)
        .select_related("recorded_by")
        .order_by("version_number")
    )


def _note_text(encounter: Encounter) -> tuple[str, str]:
    note = (
        ConsultationNote.objects.filter(encounter=encounter)
        .current()
        .order_by("-recorded_at")
        .first()
    )
    if note is None:
        return "", ""
    complaints = ", ".join(
        f"{c['text']} {c['duration']} {c['unit']}" if c.get("duration") else str(c["text"])
        for c in note.complaints
    )
    return complaints, note.examination.strip()


def _diagnoses(encounter: Encounter) -> str:
    rows = Diagnosis.objects.filter(encounter=encounter).in_use().order_by("recorded_at")
    return "; ".join(f"{d.text} ({d.icd10_code})" if d.icd10_code else d.text for d in rows)


def printout_for(rx: Prescription, base_url: str = "") -> Printout:
    encounter = rx.encounter
    patient = rx.patient
    doctor = rx.doctor
    facility = Facility.objects.select_related("organisation").get(pk=encounter.facility_id)
    complaints, findings = _note_text(encounter)
    allergies = ", ".join(allergy_substances(patient))
    age = patient.age_on(rx.recorded_at.date())
    return Printout(
        clinic=Letterhead.from_facility(facility),
        doctor_name=doctor.full_name or doctor.username,
        doctor_name_hi=doctor.full_name_hi,
        qualification=doctor.qualification,
        registration_number=doctor.registration_number,
        council=doctor.council,
        patient_name=patient.name
        if patient.name == patient.name_latin
        else f"{patient.name} ({patient.name_latin})",
        age_sex=f"{age} y / {patient.sex}",
        uhid=patient.uhid,
        abha=patient.abha_number_display if patient.abha_number else "",
        issued_at=rx.recorded_at,
        lines=tuple(RxLine.from_json(line) for line in rx.lines),
        short_code=rx.short_code,
        verify_url=verify_url(rx.short_code, base_url),
        version_number=rx.version_number,
        cancelled=rx.status == RecordStatus.ENTERED_IN_ERROR,
        weight_kg=rx.weight_kg,
        show_weight=age < CHILD_UNTIL_AGE,
        complaints=complaints,
        findings=findings,
        diagnosis=_diagnoses(encounter),
        allergies=allergies,
        investigations=rx.investigations,
        advice=rx.advice,
        diet=rx.diet,
        follow_up=rx.follow_up_date,
        teleconsultation=rx.teleconsultation,
    )


@dataclass(frozen=True)
class Verification:
    """What a chemist sees: clinic, doctor, date, medicines, and whether it stands."""

    rx: Prescription
    state: str  # "valid", "replaced", "cancelled"
    clinic: str
    clinic_hi: str
    doctor: str
    registration: str
    drugs: list[str]


def verify(short_code: str) -> Verification | None:
    rx = (
        Prescription.objects.filter(short_code=short_code.strip().upper())
        .select_related("doctor", "organisation")
        .first()
    )
    if rx is None:
        return None
    if rx.status == RecordStatus.ENTERED_IN_ERROR:
        state = "cancelled"
    elif not is_current(rx):
        newest = Prescription.objects.filter(lineage=rx.lineage).current().first()
        state = "cancelled" if newest is not None and newest.is_entered_in_error else "replaced"
    else:
        state = "valid"
    doctor = rx.doctor
    registration = " ".join(p for p in (doctor.registration_number, doctor.council) if p)
    return Verification(
        rx=rx,
        state=state,
        clinic=rx.organisation.name,
        clinic_hi=rx.organisation.name_hi,
        doctor=doctor.full_name or doctor.username,
        registration=registration,
        drugs=[RxLine.from_json(line).printed_name for line in rx.lines],
    )


def favourite_codes(doctor_id: uuid.UUID | Any, limit: int = 10) -> list[str]:
    """The formulary codes this doctor prescribed most in their last 200 prescriptions."""
    counts: Counter[str] = Counter()
    recent = (
        Prescription.objects.filter(doctor_id=doctor_id)
        .order_by("-recorded_at")
        .values_list("lines", flat=True)[:200]
    )
    for lines in recent:
        for line in lines:
            if line.get("drug_code"):
                counts[line["drug_code"]] += 1
    return [code for code, _ in counts.most_common(limit)]
