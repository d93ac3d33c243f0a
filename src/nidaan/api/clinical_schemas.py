"""Shapes of the chart and queue API. Values are validated by the forms the pages use;
these schemas only fix the JSON types, so a client reads the same messages as a user."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from nidaan.encounters.models import DurationUnit
from nidaan.opd.models import Priority, QueueStatus


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class StaffRef(Schema):
    id: uuid.UUID
    name: str


class VersionRef(Schema):
    """Who saved a record's current version, and when."""

    id: uuid.UUID
    recorded_by: StaffRef
    recorded_at: datetime.datetime


class Conflict(Schema):
    """409: the record changed since it was read; read `current`, then save again."""

    detail: str
    current: VersionRef


class _Version(Schema):
    """A version of an append-only record. `current` is false once a later version
    supersedes it; a current version with status `entered-in-error` is hidden from use."""

    id: uuid.UUID
    lineage: uuid.UUID
    supersedes: uuid.UUID | None
    status: str
    reason: str
    recorded_by: StaffRef
    recorded_at: datetime.datetime
    current: bool


# Encounters and the consultation note


class EncounterIn(_In):
    """Open a visit. The doctor is the caller unless `doctor_id` names a colleague."""

    doctor_id: uuid.UUID | None = None


class Complaint(_In):
    text: str = Field(min_length=1)
    duration: int | None = Field(default=None, ge=1)
    unit: DurationUnit | None = None

    @model_validator(mode="after")
    def _duration_has_unit(self) -> Complaint:
        if (self.duration is None) != (self.unit is None):
            raise ValueError("give duration and unit together, or neither")
        return self


class ComplaintOut(Schema):
    text: str
    duration: int | None
    unit: str


class NoteIn(_In):
    """A save of the consultation. Fields not sent keep the value of `based_on`.

    `based_on` is the id of the note version the doctor read: if someone saved since,
    the answer is 409 and nothing is saved. Complaints come either as the page's text
    (one per line, "fever 3 days") or as a list, not both. Once the note is complete, a
    change needs a `reason`.
    """

    based_on: uuid.UUID
    complaints_text: str | None = None
    complaints: list[Complaint] | None = None
    history_illness: str | None = None
    history_surgical: str | None = None
    history_family: str | None = None
    history_personal: str | None = None
    examination: str | None = None
    advice: str | None = None
    follow_up_date: str | None = Field(
        default=None, description="DD-MM-YYYY (as on the page) or YYYY-MM-DD"
    )
    complete: bool = False
    reason: str = ""


class NoteOut(_Version):
    complaints: list[ComplaintOut]
    history_illness: str
    history_surgical: str
    history_family: str
    history_personal: str
    examination: str
    advice: str
    follow_up_date: datetime.date | None
    complete: bool


# Vitals


class VitalsIn(_In):
    """One set of measurements; `temperature` in the clinic's unit (°F or °C)."""

    bp_systolic: int | None = None
    bp_diastolic: int | None = None
    pulse: int | None = None
    temperature: Decimal | None = None
    spo2: int | None = None
    respiratory_rate: int | None = None
    weight_kg: Decimal | None = None
    height_cm: Decimal | None = None
    blood_sugar: int | None = None
    blood_sugar_test: str | None = None
    head_circumference_cm: Decimal | None = None


class VitalsAmend(VitalsIn):
    """The measurements that change (null clears one), and why."""

    reason: str


class VitalsOut(_Version):
    encounter_id: uuid.UUID
    bp_systolic: int | None
    bp_diastolic: int | None
    pulse: int | None
    temperature_c: float | None
    temperature: float | None = Field(description="in `temperature_unit`, the clinic's unit")
    temperature_unit: str = Field(description="F or C")
    spo2: int | None
    respiratory_rate: int | None
    weight_kg: float | None
    height_cm: float | None
    bmi: float | None
    blood_sugar: int | None
    blood_sugar_test: str
    head_circumference_cm: float | None
    flags: dict[str, str] = Field(
        description="measurements outside the normal adult range: {field: 'high' | 'low'}"
    )


# Diagnoses


class DiagnosisIn(_In):
    """An ICD-10 code (its WHO title fills an empty `text`), or free text."""

    icd10_code: str = ""
    text: str = ""
    certainty: str = "provisional"


class DiagnosisAmend(_In):
    icd10_code: str | None = None
    text: str | None = None
    certainty: str | None = None
    active: bool | None = Field(default=None, description="false: resolved, off the problem list")
    reason: str


class DiagnosisOut(_Version):
    encounter_id: uuid.UUID
    icd10_code: str
    text: str
    certainty: str
    active: bool


class Icd10Hit(Schema):
    code: str
    title: str


# Allergies


class AllergyIn(_In):
    category: str
    substance: str
    reaction: str = ""
    severity: str = "moderate"


class AllergyAmend(_In):
    category: str | None = None
    substance: str | None = None
    reaction: str | None = None
    severity: str | None = None
    active: bool | None = Field(default=None, description="false: no longer allergic")
    reason: str


class AllergyOut(_Version):
    patient_id: uuid.UUID
    category: str
    substance: str
    reaction: str
    severity: str
    active: bool


class EnteredInError(_In):
    reason: str


# Visits as a whole


class EncounterOut(Schema):
    """A visit with what is in use now: the current note, vitals and diagnoses."""

    id: uuid.UUID
    patient_id: uuid.UUID
    facility_id: uuid.UUID
    doctor: StaffRef
    queue_entry_id: uuid.UUID | None
    started_at: datetime.datetime
    note: NoteOut | None
    vitals: list[VitalsOut]
    diagnoses: list[DiagnosisOut]


class EncounterVersions(Schema):
    """Every version of every record of the visit, oldest first."""

    notes: list[NoteOut]
    vitals: list[VitalsOut]
    diagnoses: list[DiagnosisOut]


class EncounterDetail(EncounterOut):
    allergies: list[AllergyOut]
    versions: EncounterVersions


# The token queue


class PatientRef(Schema):
    id: uuid.UUID
    uhid: str
    name: str
    name_latin: str
    sex: str
    age: int


class QueueEntryOut(Schema):
    id: uuid.UUID
    day: datetime.date
    token: int
    status: QueueStatus
    priority: Priority
    source: str
    position: int | None = Field(description="place in the waiting line (1 is called next)")
    doctor: StaffRef
    patient: PatientRef
    encounter_id: uuid.UUID | None
    created_at: datetime.datetime
    called_at: datetime.datetime | None
    finished_at: datetime.datetime | None


class TokenIn(_In):
    patient_id: uuid.UUID
    doctor_id: uuid.UUID
    priority: str = ""


class QueueStatusIn(_In):
    status: QueueStatus


class PriorityIn(_In):
    priority: str
