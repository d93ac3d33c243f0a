"""One FHIR R4 resource (a JSON dict) per kind of record.

Each function maps one stored record and takes the ids it refers to, so a caller can
build any selection: the whole chart (bundle.py), or one visit's records for ABDM's
consent-based sharing. References are `urn:uuid:<id>`, resolved by the `fullUrl` of
the bundle entry that carries the referenced resource.

Resource ids are the records' own UUIDs (for a versioned record, its current version's;
`meta.versionId` counts the versions). Resources made from part of a record (one
Observation per measured vital, one MedicationRequest per drug line) get a UUIDv5 of
the record's id and what they hold, so the same record always maps to the same ids.

Valid for R4 (4.0.1) as well as R4B: only elements the two share with the same
cardinality are used (Encounter.class is a Coding, MedicationRequest has
medicationCodeableConcept, DocumentReference.context.encounter is a list).
Attachment.hash is the SHA-1 of the data in R4, so a file's SHA-256 travels as the
DocumentReference's masterIdentifier (an RFC 6920 `ni:` URI) instead.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nidaan.accounts.models import User
from nidaan.clinics.models import Facility, Organisation
from nidaan.core.versioned import RecordStatus
from nidaan.documents.models import Document
from nidaan.encounters.models import Allergy, ConsultationNote, Diagnosis, Encounter, VitalSigns
from nidaan.fhir import systems
from nidaan.patients.models import Patient
from nidaan.prescriptions.lines import RxLine
from nidaan.prescriptions.models import Prescription

Resource = dict[str, Any]

GENDER = {"M": "male", "F": "female", "O": "other"}


def reference(resource_id: uuid.UUID | str, display: str = "") -> dict[str, str]:
    ref = {"reference": f"urn:uuid:{resource_id}"}
    if display:
        ref["display"] = display
    return ref


def instant(moment: datetime.datetime) -> str:
    """An aware time in India's time zone, to the second: 2026-11-27T10:05:00+05:30."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _meta(version: int, recorded_at: datetime.datetime) -> dict[str, str]:
    return {"versionId": str(version), "lastUpdated": instant(recorded_at)}


def _coding(system: str, code: str, display: str = "") -> dict[str, str]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _concept(system: str, code: str, display: str = "") -> dict[str, Any]:
    return {"coding": [_coding(system, code, display)]}


def _decimal(value: Decimal | int) -> float | int:
    # JSON numbers: pydantic's FHIR decimal takes a float; 70.50 kg is written 70.5.
    number = Decimal(value).normalize()
    return int(number) if number == number.to_integral_value() else float(number)


def _entered_in_error(record: Any) -> bool:
    return bool(record.status == RecordStatus.ENTERED_IN_ERROR)


# ----- who and where ------------------------------------------------------------------


def organization_resource(organisation: Organisation, facility: Facility | None = None) -> Resource:
    resource: Resource = {"resourceType": "Organization", "id": str(organisation.pk)}
    resource["name"] = organisation.name
    if organisation.name_hi and organisation.name_hi != organisation.name:
        resource["alias"] = [organisation.name_hi]
    if facility is not None:
        if facility.phone:
            resource["telecom"] = [{"system": "phone", "value": facility.phone, "use": "work"}]
        resource["address"] = [
            {
                "line": [facility.address_line] if facility.address_line else [],
                "city": facility.city,
                "district": facility.district or None,
                "state": facility.get_state_display(),
                "postalCode": facility.pin,
                "country": "IN",
            }
        ]
    return _drop_empty(resource)


def practitioner_resource(doctor: User) -> Resource:
    names = [{"use": "official", "text": doctor.full_name or doctor.username}]
    if doctor.full_name_hi and doctor.full_name_hi != doctor.full_name:
        names.append({"use": "usual", "text": doctor.full_name_hi})
    resource: Resource = {"resourceType": "Practitioner", "id": str(doctor.pk), "name": names}
    if doctor.registration_number:
        registration: dict[str, Any] = {
            "type": _concept(systems.V2_IDENTIFIER_TYPE, "MD", "Medical License number"),
            "system": systems.MEDICAL_REGISTRATION,
            "value": doctor.registration_number,
        }
        if doctor.council:
            registration["assigner"] = {"display": doctor.council}
        resource["identifier"] = [registration]
    if doctor.qualification:
        resource["qualification"] = [{"code": {"text": doctor.qualification}}]
    return resource


def patient_resource(patient: Patient) -> Resource:
    """Identifiers: the UHID (type MR, in the organisation's namespace), and when known
    the ABHA number (as printed on the card, 91-1234-5678-9012) and ABHA address."""
    identifiers: list[dict[str, Any]] = [
        {
            "type": _concept(systems.V2_IDENTIFIER_TYPE, "MR", "Medical record number"),
            "system": systems.uhid_system(patient.organisation_id),
            "value": patient.uhid,
        }
    ]
    if patient.abha_number:
        identifiers.append(
            {
                "type": _concept(systems.ABDM_IDENTIFIER_TYPE, "HIN", "Health ID issued by NDHM"),
                "system": systems.ABHA,
                "value": patient.abha_number_display,
            }
        )
    if patient.abha_address:
        identifiers.append(
            {
                "type": _concept(
                    systems.ABDM_IDENTIFIER_TYPE, "ABHA", "Ayushman Bharat Health Account (ABHA) ID"
                ),
                "system": systems.ABHA,
                "value": patient.abha_address,
            }
        )
    # The name as typed (often Devanagari); its Latin transliteration beside it, marked
    # as the alphabetic representation (ISO 21090 EN.representation).
    names: list[dict[str, Any]] = [{"use": "official", "text": patient.name}]
    if patient.name_latin and patient.name_latin != patient.name:
        names.append(
            {
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation",
                        "valueCode": "ABC",
                    }
                ],
                "use": "official",
                "text": patient.name_latin,
            }
        )
    resource: Resource = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": identifiers,
        "active": not patient.entered_in_error,
        "name": names,
        "gender": GENDER.get(patient.sex, "unknown"),
        "birthDate": patient.date_of_birth.isoformat(),
        "managingOrganization": reference(patient.organisation_id),
    }
    if patient.mobile:
        resource["telecom"] = [
            {"system": "phone", "value": f"+91{patient.mobile}", "use": "mobile"}
        ]
    place = [patient.address_line, patient.locality, patient.district]
    if any(place) or patient.state or patient.pin:
        resource["address"] = [
            _drop_empty(
                {
                    "line": [part for part in (patient.address_line, patient.locality) if part],
                    "district": patient.district,
                    "state": patient.get_state_display() if patient.state else "",
                    "postalCode": patient.pin,
                    "country": "IN",
                }
            )
        ]
    if patient.guardian_name:
        contact: dict[str, Any] = {"name": {"text": patient.guardian_name}}
        if patient.guardian_relation:
            contact["relationship"] = [{"text": patient.guardian_relation}]
        resource["contact"] = [contact]
    return resource


# ----- the visit ---------------------------------------------------------------------


def encounter_resource(
    encounter: Encounter, *, patient_id: uuid.UUID, note: ConsultationNote | None = None
) -> Resource:
    """An OPD visit (class AMB). Finished once its note is complete; the complaints are
    its reasons."""
    if note is not None and note.complete:
        status = "finished"
    elif timezone.localdate(encounter.started_at) == timezone.localdate():
        status = "in-progress"
    else:
        status = "unknown"
    resource: Resource = {
        "resourceType": "Encounter",
        "id": str(encounter.pk),
        "status": status,
        "class": _coding(systems.V3_ACT_CODE, "AMB", "ambulatory"),
        "subject": reference(patient_id),
        "participant": [{"individual": reference(encounter.doctor_id)}],
        "period": {"start": instant(encounter.started_at)},
        "serviceProvider": reference(encounter.organisation_id),
    }
    complaints = [str(c.get("text", "")).strip() for c in (note.complaints if note else [])]
    if any(complaints):
        resource["reasonCode"] = [{"text": text} for text in complaints if text]
    return resource


def condition_resource(
    diagnosis: Diagnosis, *, patient_id: uuid.UUID, version: int = 1
) -> Resource:
    """A diagnosis of a visit: WHO ICD-10 when coded, the doctor's words always."""
    code: dict[str, Any] = {"text": diagnosis.text}
    if diagnosis.icd10_code:
        code["coding"] = [_coding(systems.ICD10_WHO, diagnosis.icd10_code, diagnosis.text)]
    resource: Resource = {
        "resourceType": "Condition",
        "id": str(diagnosis.pk),
        "meta": _meta(version, diagnosis.recorded_at),
        "category": [
            _concept(systems.CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")
        ],
        "code": code,
        "subject": reference(patient_id),
        "encounter": reference(diagnosis.encounter_id),
        "recordedDate": instant(diagnosis.recorded_at),
    }
    if _entered_in_error(diagnosis):
        # con-5: no clinical status on a condition entered in error.
        resource["verificationStatus"] = _concept(
            systems.CONDITION_VERIFICATION, "entered-in-error"
        )
        return resource
    resource["clinicalStatus"] = _concept(
        systems.CONDITION_CLINICAL, "active" if diagnosis.active else "resolved"
    )
    resource["verificationStatus"] = _concept(
        systems.CONDITION_VERIFICATION,
        "confirmed" if diagnosis.certainty == "final" else "provisional",
    )
    return resource


# LOINC codes of the FHIR vital signs profiles (R4 §8.1), and UCUM units.
_VITALS: tuple[tuple[str, str, str, str], ...] = (
    # (field, LOINC, display, UCUM unit)
    ("pulse", "8867-4", "Heart rate", "/min"),
    ("temperature_c", "8310-5", "Body temperature", "Cel"),
    ("spo2", "2708-6", "Oxygen saturation in Arterial blood", "%"),
    ("respiratory_rate", "9279-1", "Respiratory rate", "/min"),
    ("weight_kg", "29463-7", "Body weight", "kg"),
    ("height_cm", "8302-2", "Body height", "cm"),
    ("head_circumference_cm", "9843-4", "Head Occipital-frontal circumference", "cm"),
)
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
BP_SYSTOLIC = ("8480-6", "Systolic blood pressure")
BP_DIASTOLIC = ("8462-4", "Diastolic blood pressure")
BMI = ("39156-5", "Body mass index (BMI) [Ratio]")
# Clinics measure sugar with a glucometer on capillary blood; the test's timing is in
# the text (LOINC codes fasting and post-meal glucose per specimen, which we do not know).
BLOOD_GLUCOSE = ("2339-0", "Glucose [Mass/volume] in Blood")
SUGAR_TEST_TEXT = {"fasting": "fasting", "random": "random", "pp": "after a meal"}


def _quantity(value: Decimal | int, unit: str) -> dict[str, Any]:
    return {"value": _decimal(value), "unit": unit, "system": systems.UCUM, "code": unit}


def vitals_observations(
    vitals: VitalSigns,
    *,
    patient_id: uuid.UUID,
    taken_at: datetime.datetime,
    version: int = 1,
) -> list[Resource]:
    """One Observation per measurement of a set of vitals (blood pressure as one panel
    with two components). `taken_at` is the visit's time."""
    if _entered_in_error(vitals):
        status = "entered-in-error"
    else:
        status = "amended" if version > 1 else "final"
    vital_signs = [_concept(systems.OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")]

    def observation(
        key: str, code: tuple[str, str], category: list[dict[str, Any]] | None = None
    ) -> Resource:
        return {
            "resourceType": "Observation",
            "id": str(uuid.uuid5(vitals.pk, key)),
            "meta": _meta(version, vitals.recorded_at),
            "status": status,
            "category": category or vital_signs,
            "code": {"coding": [_coding(systems.LOINC, *code)], "text": code[1]},
            "subject": reference(patient_id),
            "encounter": reference(vitals.encounter_id),
            "effectiveDateTime": instant(taken_at),
            "issued": instant(vitals.recorded_at),
        }

    found: list[Resource] = []
    if vitals.bp_systolic is not None and vitals.bp_diastolic is not None:
        panel = observation(BP_PANEL[0], BP_PANEL)
        panel["component"] = [
            {
                "code": {"coding": [_coding(systems.LOINC, *BP_SYSTOLIC)]},
                "valueQuantity": _quantity(vitals.bp_systolic, "mm[Hg]"),
            },
            {
                "code": {"coding": [_coding(systems.LOINC, *BP_DIASTOLIC)]},
                "valueQuantity": _quantity(vitals.bp_diastolic, "mm[Hg]"),
            },
        ]
        found.append(panel)
    for field, loinc, display, unit in _VITALS:
        value = getattr(vitals, field)
        if value is not None:
            resource = observation(loinc, (loinc, display))
            resource["valueQuantity"] = _quantity(value, unit)
            found.append(resource)
    if vitals.bmi is not None:
        resource = observation(BMI[0], BMI)
        resource["valueQuantity"] = _quantity(vitals.bmi, "kg/m2")
        found.append(resource)
    if vitals.blood_sugar is not None:
        laboratory = [_concept(systems.OBSERVATION_CATEGORY, "laboratory", "Laboratory")]
        resource = observation(BLOOD_GLUCOSE[0], BLOOD_GLUCOSE, laboratory)
        timing = SUGAR_TEST_TEXT.get(vitals.blood_sugar_test, "")
        resource["code"]["text"] = f"Blood sugar ({timing})" if timing else "Blood sugar"
        resource["valueQuantity"] = _quantity(vitals.blood_sugar, "mg/dL")
        found.append(resource)
    return found


_ALLERGY_CATEGORY = {"drug": "medication", "food": "food"}


def allergy_resource(allergy: Allergy, *, patient_id: uuid.UUID, version: int = 1) -> Resource:
    resource: Resource = {
        "resourceType": "AllergyIntolerance",
        "id": str(allergy.pk),
        "meta": _meta(version, allergy.recorded_at),
        "type": "allergy",
        "code": {"text": allergy.substance},
        "patient": reference(patient_id),
        "recordedDate": instant(allergy.recorded_at),
    }
    if allergy.category in _ALLERGY_CATEGORY:
        resource["category"] = [_ALLERGY_CATEGORY[allergy.category]]
    if _entered_in_error(allergy):
        # ait-2: no clinical status on an allergy entered in error.
        resource["verificationStatus"] = _concept(systems.ALLERGY_VERIFICATION, "entered-in-error")
    else:
        resource["clinicalStatus"] = _concept(
            systems.ALLERGY_CLINICAL, "active" if allergy.active else "inactive"
        )
        resource["verificationStatus"] = _concept(systems.ALLERGY_VERIFICATION, "confirmed")
    reaction: dict[str, Any] = {"severity": allergy.severity}
    if allergy.reaction:
        reaction["manifestation"] = [{"text": allergy.reaction}]
        resource["reaction"] = [reaction]
    return resource


def _medication_status(rx: Prescription, line: RxLine) -> str:
    if _entered_in_error(rx):
        return "entered-in-error"
    days = line.schedule_text.days
    if days is None:
        return "unknown"  # SOS, or no duration written
    ends = timezone.localdate(rx.recorded_at) + datetime.timedelta(days=days)
    return "completed" if ends < timezone.localdate() else "active"


def medication_requests(
    rx: Prescription, *, patient_id: uuid.UUID, version: int | None = None
) -> list[Resource]:
    """One MedicationRequest per drug line, grouped by the prescription's short code (the
    code printed under its QR). The drug is named as printed: generic in capitals."""
    found = []
    for number, data in enumerate(rx.lines, start=1):
        line = RxLine.from_json(data)
        dosage: dict[str, Any] = {"sequence": 1}
        if line.instructions_en:
            dosage["text"] = line.instructions_en
        if line.instructions_hi:
            dosage["patientInstruction"] = line.instructions_hi
        if line.frequency:
            dosage["timing"] = {"code": {"text": line.frequency}}
        if line.route:
            dosage["route"] = {"text": line.route}
        resource: Resource = {
            "resourceType": "MedicationRequest",
            "id": str(uuid.uuid5(rx.pk, f"line-{number}")),
            "meta": _meta(version or rx.version_number, rx.recorded_at),
            "groupIdentifier": {"value": rx.short_code},
            "status": _medication_status(rx, line),
            "intent": "order",
            "medicationCodeableConcept": {"text": line.printed_name},
            "subject": reference(patient_id),
            "encounter": reference(rx.encounter_id),
            "authoredOn": instant(rx.recorded_at),
            "requester": reference(rx.doctor_id),
            "dosageInstruction": [dosage],
        }
        dispense: dict[str, Any] = {}
        if line.quantity is not None:
            dispense["quantity"] = {"value": _decimal(line.quantity), "unit": line.quantity_unit}
        days = line.schedule_text.days
        if days is not None:
            dispense["expectedSupplyDuration"] = {
                "value": days,
                "unit": "days",
                "system": systems.UCUM,
                "code": "d",
            }
        if dispense:
            resource["dispenseRequest"] = dispense
        found.append(resource)
    return found


def sha256_uri(sha256_hex: str) -> str:
    """RFC 6920 name of a file by its SHA-256: ni:///sha-256;<base64url, no padding>."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).rstrip(b"=").decode()
    return f"ni:///sha-256;{digest}"


def document_reference(
    document: Document,
    *,
    patient_id: uuid.UUID,
    version: int = 1,
    data: bytes | None = None,
) -> Resource:
    """An uploaded report or image: its content type, size and SHA-256 always, its bytes
    when `data` is given (base64, with R4's SHA-1 `hash` of them)."""
    attachment: dict[str, Any] = {
        "contentType": document.content_type,
        "title": document.original_filename,
        "size": document.size,
    }
    if data is not None:
        attachment["data"] = base64.b64encode(data).decode()
        attachment["hash"] = base64.b64encode(hashlib.sha1(data).digest()).decode()  # noqa: S324 - R4 Attachment.hash is SHA-1 by definition
    resource: Resource = {
        "resourceType": "DocumentReference",
        "id": str(document.pk),
        "meta": _meta(version, document.recorded_at),
        "masterIdentifier": {"system": systems.URI, "value": sha256_uri(document.sha256)},
        "status": "entered-in-error" if _entered_in_error(document) else "current",
        "type": {"text": str(document.get_kind_display())},
        "subject": reference(patient_id),
        "date": instant(document.recorded_at),
        "description": document.display_title,
        "content": [{"attachment": attachment}],
    }
    if document.encounter_id:
        resource["context"] = {"encounter": [reference(document.encounter_id)]}
    return resource


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "", [], {})}
