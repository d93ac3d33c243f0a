"""A patient's whole chart as a records request hands it over: the current version of
every record, the records of duplicates merged into the patient included.

One query per record type, whatever the number of visits. Both the FHIR bundle and the
printed summary read this, so the two always agree.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any, TypeVar

from nidaan.accounts.models import User
from nidaan.clinics.models import Facility, Organisation
from nidaan.core.versioned import RecordStatus, VersionedQuerySet, VersionedRecord
from nidaan.documents.models import Document
from nidaan.encounters.models import Allergy, ConsultationNote, Diagnosis, Encounter, VitalSigns
from nidaan.patients import merging
from nidaan.patients.models import Patient
from nidaan.prescriptions.models import Prescription

_R = TypeVar("_R", bound=VersionedRecord)


@dataclass(frozen=True)
class ChartRecords:
    """`patient` is the record the group is shown as; every list is oldest first."""

    patient: Patient
    organisation: Organisation
    group: frozenset[uuid.UUID]
    encounters: list[Encounter]
    # The latest note of each visit (by encounter id).
    notes: dict[uuid.UUID, ConsultationNote]
    vitals: list[VitalSigns]
    diagnoses: list[Diagnosis]
    allergies: list[Allergy]
    prescriptions: list[Prescription]
    documents: list[Document]
    doctors: dict[uuid.UUID, User]
    facilities: dict[uuid.UUID, Facility]
    # How many versions each record's lineage has (the current one is the last).
    versions: dict[uuid.UUID, int]

    def version_of(self, record: VersionedRecord) -> int:
        return self.versions.get(record.lineage, 1)


def _current(
    queryset: VersionedQuerySet[_R], versions: Counter[uuid.UUID], entered_in_error: bool
) -> list[_R]:
    # Every version's lineage in one query: the count is the current one's number.
    versions.update(queryset.values_list("lineage", flat=True))
    rows = queryset.current() if entered_in_error else queryset.in_use()
    return list(rows.defer("field_clock").order_by("recorded_at", "id"))


def chart_records(patient: Patient, *, entered_in_error: bool = False) -> ChartRecords:
    """Current versions of every record; with `entered_in_error`, the records withdrawn as
    entered in error too (their last version, which says so and why)."""
    shown, group = merging.resolve(patient)
    members: Any = group
    encounters = list(
        Encounter.objects.filter(patient_id__in=members).defer("field_clock").order_by("started_at")
    )
    versions: Counter[uuid.UUID] = Counter()
    notes: dict[uuid.UUID, ConsultationNote] = {}
    # A note is not a record a patient hands on (it is summarised per visit): only the
    # latest in use counts, drafts superseded by it do not.
    note_rows = ConsultationNote.objects.filter(patient_id__in=members).in_use()
    for note in note_rows.defer("field_clock").order_by("recorded_at", "id"):
        notes[note.encounter_id] = note
    vitals = _current(VitalSigns.objects.filter(patient_id__in=members), versions, entered_in_error)
    diagnoses = _current(
        Diagnosis.objects.filter(patient_id__in=members), versions, entered_in_error
    )
    allergies = _current(Allergy.objects.filter(patient_id__in=members), versions, entered_in_error)
    prescriptions = _current(
        Prescription.objects.filter(patient_id__in=members), versions, entered_in_error
    )
    documents = _current(
        Document.objects.filter(patient_id__in=members), versions, entered_in_error
    )
    doctor_ids = {e.doctor_id for e in encounters} | {rx.doctor_id for rx in prescriptions}
    facility_ids = {e.facility_id for e in encounters} | {shown.registered_at_id}
    return ChartRecords(
        patient=shown,
        organisation=Organisation.objects.get(pk=shown.organisation_id),
        group=frozenset(group),
        encounters=encounters,
        notes=notes,
        vitals=vitals,
        diagnoses=diagnoses,
        allergies=allergies,
        prescriptions=prescriptions,
        documents=documents,
        doctors=User.objects.in_bulk(doctor_ids),
        facilities=Facility.objects.in_bulk(facility_ids),
        versions=dict(versions),
    )


def is_entered_in_error(record: VersionedRecord) -> bool:
    return record.status == RecordStatus.ENTERED_IN_ERROR
