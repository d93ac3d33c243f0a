"""Read-only queries of the chart: one visit with every version of its records, and a
patient's whole history.

Each screen is read in a fixed number of queries, whatever the number of visits or
versions: rows are fetched per patient (or per visit) in one query per record type and
grouped here, never per visit in a loop (issue 5: p95 ≤ 100 ms for a patient with 200
visits).
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nidaan.accounts.models import User
from nidaan.clinics.models import TemperatureUnit
from nidaan.core.versioned import RecordStatus, VersionedRecord
from nidaan.encounters import vitals as vital_ranges
from nidaan.encounters.models import Allergy, ConsultationNote, Diagnosis, Encounter, VitalSigns
from nidaan.patients import merging
from nidaan.patients.models import Patient

_R = TypeVar("_R", bound=VersionedRecord)
_T = TypeVar("_T")

# Children get growth charts (weight, height, head circumference) instead of the adult
# weight trend; 18 is the age Indian paediatric practice follows (IAP growth charts).
CHILD_UNTIL_AGE = 18


@dataclass(frozen=True)
class Versioned(Generic[_T]):
    """A record as the chart shows it: its current version and all versions, oldest first."""

    current: _T
    versions: list[_T]
    amended: bool
    entered_in_error: bool
    # Another version was saved from the same parent (two offline PCs): both are current.
    concurrent: bool

    @property
    def pk(self) -> Any:
        return getattr(self.current, "pk", None)


def with_versions(
    rows: Iterable[_R], wrap: Callable[[_R], _T] | None = None
) -> list[Versioned[Any]]:
    """Group every version of some records by lineage, one entry per current version.

    `rows` must be ordered oldest first; records keep the order of their first version.
    """
    by_lineage: dict[uuid.UUID, list[_R]] = defaultdict(list)
    superseded: set[Any] = set()
    for row in rows:
        by_lineage[row.lineage].append(row)
        parent = cast(Any, row).supersedes_id  # the FK column of the abstract base
        if parent is not None:
            superseded.add(parent)
    convert: Callable[[_R], Any] = wrap or (lambda row: row)
    grouped: list[Versioned[Any]] = []
    for versions in by_lineage.values():
        heads = [v for v in versions if v.pk not in superseded]
        wrapped = [convert(v) for v in versions]
        for head in heads:
            grouped.append(
                Versioned(
                    current=convert(head),
                    versions=wrapped,
                    amended=len(versions) > 1 and head.status != RecordStatus.ENTERED_IN_ERROR,
                    entered_in_error=head.status == RecordStatus.ENTERED_IN_ERROR,
                    concurrent=len(heads) > 1,
                )
            )
    return grouped


class VitalsReading:
    """One set of vitals as shown: temperature in the clinic's unit, abnormal values flagged.

    Everything else is read through to the stored record (`reading.pulse`, `.recorded_by`).
    """

    def __init__(
        self, record: VitalSigns, unit: str, taken_at: datetime.datetime | None = None
    ) -> None:
        self.record = record
        # The visit's time: an amended reading was still taken at the visit.
        self.taken_at = taken_at or record.recorded_at
        self.unit = unit
        values = {name: getattr(record, name) for name in VitalSigns.content_fields}
        self.flags = vital_ranges.abnormal_flags(values)
        celsius = record.temperature_c
        if celsius is not None and unit == TemperatureUnit.FAHRENHEIT:
            self.temperature: Decimal | None = vital_ranges.celsius_to_fahrenheit(Decimal(celsius))
        else:
            self.temperature = celsius
        self.unit_label = TemperatureUnit(unit).label

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)

    @property
    def bp(self) -> str:
        if self.record.bp_systolic is None or self.record.bp_diastolic is None:
            return ""
        return f"{self.record.bp_systolic}/{self.record.bp_diastolic}"

    @property
    def bp_flag(self) -> str:
        return self.flags.get("bp_systolic") or self.flags.get("bp_diastolic") or ""

    @property
    def parts(self) -> list[tuple[str, str]]:
        """[(text, flag)] of what was measured, for one-line display: ("BP 150/95", "high")."""
        r = self.record
        # Looked up outside the f-strings: xgettext does not see calls inside them.
        label = {
            "BP": _("BP"),
            "Pulse": _("Pulse"),
            "RR": _("RR"),
            "Sugar": _("Sugar"),
            "Head": _("Head"),
        }
        parts: list[tuple[str, str]] = []
        if self.bp:
            parts.append((f"{label['BP']} {self.bp}", self.bp_flag))
        if r.pulse is not None:
            parts.append((f"{label['Pulse']} {r.pulse}", self.flags.get("pulse", "")))
        if self.temperature is not None:
            parts.append(
                (f"{self.temperature}{self.unit_label}", self.flags.get("temperature_c", ""))
            )
        if r.spo2 is not None:
            parts.append((f"SpO₂ {r.spo2}%", self.flags.get("spo2", "")))
        if r.respiratory_rate is not None:
            parts.append(
                (f"{label['RR']} {r.respiratory_rate}", self.flags.get("respiratory_rate", ""))
            )
        if r.weight_kg is not None:
            parts.append((f"{_number(r.weight_kg)} kg", ""))
        if r.height_cm is not None:
            parts.append((f"{_number(r.height_cm)} cm", ""))
        if self.record.bmi is not None:
            parts.append((f"BMI {self.record.bmi}", ""))
        if r.blood_sugar is not None:
            test = r.get_blood_sugar_test_display()
            parts.append(
                (f"{label['Sugar']} {r.blood_sugar} ({test})", self.flags.get("blood_sugar", ""))
            )
        if r.head_circumference_cm is not None:
            parts.append((f"{label['Head']} {_number(r.head_circumference_cm)} cm", ""))
        return parts


def _number(value: Decimal) -> str:
    """70.00 → "70", 70.50 → "70.5": as a clinician writes it."""
    text = format(Decimal(value).normalize(), "f")
    return text


# ----- one visit -------------------------------------------------------------------


@dataclass(frozen=True)
class Consultation:
    """Everything the consultation screen shows about one visit."""

    encounter: Encounter
    patient: Patient
    # The note the form is based on: the latest current version.
    note: ConsultationNote
    note_versions: list[ConsultationNote]
    # Other current versions of the note (saved concurrently offline), shown side by side.
    other_notes: list[ConsultationNote]
    vitals: list[Versioned[VitalsReading]]
    diagnoses: list[Versioned[Diagnosis]]
    allergies: list[Versioned[Allergy]]
    active_allergies: list[Allergy]

    @property
    def note_amended(self) -> bool:
        return any(v.reason for v in self.note_versions)


def _all_versions(queryset: QuerySet[_R]) -> QuerySet[_R]:
    return queryset.select_related("recorded_by").order_by("recorded_at", "id")


def active_allergies(allergies: list[Versioned[Allergy]]) -> list[Allergy]:
    return [a.current for a in allergies if not a.entered_in_error and a.current.active]


def patient_allergies(patient: Patient, group: set[Any] | None = None) -> list[Versioned[Allergy]]:
    """Allergies of the patient, including those recorded under a merged duplicate."""
    members = merging.group_of(patient.pk) if group is None else group
    return with_versions(_all_versions(Allergy.objects.filter(patient_id__in=members)))


def consultation(encounter: Encounter, unit: str) -> Consultation:
    notes = with_versions(_all_versions(ConsultationNote.objects.filter(encounter=encounter)))
    heads = sorted(notes, key=lambda n: (n.current.recorded_at, n.current.pk))
    latest = heads[-1]
    allergies = patient_allergies(encounter.patient)
    return Consultation(
        encounter=encounter,
        patient=encounter.patient,
        note=latest.current,
        note_versions=latest.versions,
        other_notes=[n.current for n in heads[:-1]],
        vitals=with_versions(
            _all_versions(VitalSigns.objects.filter(encounter=encounter)),
            lambda row: VitalsReading(row, unit),
        ),
        diagnoses=with_versions(_all_versions(Diagnosis.objects.filter(encounter=encounter))),
        allergies=allergies,
        active_allergies=active_allergies(allergies),
    )


# ----- the patient's whole history ---------------------------------------------------


@dataclass
class Visit:
    encounter: Encounter
    note: ConsultationNote | None = None
    vitals: list[VitalsReading] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """An active diagnosis on the problem list, however many visits repeated it."""

    code: str
    text: str
    certainty: str
    certainty_label: str
    first_noted: datetime.date
    last_noted: datetime.date
    visits: int
    diagnosis_id: uuid.UUID
    encounter_id: uuid.UUID


@dataclass(frozen=True)
class PatientHistory:
    patient: Patient
    visits: list[Visit]  # after the filter, newest first
    visit_count: int  # before the filter
    years: list[int]
    problems: list[Problem]
    readings: list[VitalsReading]  # every reading in use, oldest first, for the charts
    allergies: list[Versioned[Allergy]]
    active_allergies: list[Allergy]
    is_child: bool


def _problems(
    diagnoses: list[Diagnosis], started: dict[uuid.UUID, datetime.datetime]
) -> list[Problem]:
    grouped: dict[str, list[Diagnosis]] = defaultdict(list)
    for diagnosis in diagnoses:
        if diagnosis.active:
            key = diagnosis.icd10_code or diagnosis.text.strip().lower()
            grouped[key].append(diagnosis)
    problems = []
    for rows in grouped.values():
        rows.sort(key=lambda d: started[d.encounter_id])
        latest = rows[-1]
        problems.append(
            Problem(
                code=latest.icd10_code,
                text=latest.text,
                certainty=latest.certainty,
                certainty_label=latest.get_certainty_display(),
                first_noted=timezone.localtime(started[rows[0].encounter_id]).date(),
                last_noted=timezone.localtime(started[latest.encounter_id]).date(),
                visits=len({d.encounter_id for d in rows}),
                diagnosis_id=latest.pk,
                encounter_id=latest.encounter_id,
            )
        )
    problems.sort(key=lambda p: p.last_noted, reverse=True)
    return problems


def patient_history(
    patient: Patient,
    unit: str,
    *,
    year: int | None = None,
    with_diagnosis: bool = False,
    group: set[Any] | None = None,
) -> PatientHistory:
    """The history screen of `patient`: a fixed seven queries, whatever the visit count.

    Visits recorded under a duplicate merged into this patient are part of it.
    """
    if group is None:
        group = merging.group_of(patient.pk)
    # field_clock is sync bookkeeping; decoding it for every row costs more than the rest.
    encounters = list(
        Encounter.objects.filter(patient_id__in=group).defer("field_clock").order_by("-started_at")
    )
    doctors = User.objects.in_bulk({e.doctor_id for e in encounters})
    for encounter in encounters:
        encounter.doctor = doctors[encounter.doctor_id]
    visits = {e.pk: Visit(e) for e in encounters}
    started = {e.pk: e.started_at for e in encounters}

    notes = ConsultationNote.objects.filter(patient_id__in=group).in_use().defer("field_clock")
    for note in notes.order_by("recorded_at"):
        if note.encounter_id in visits:
            visits[note.encounter_id].note = note
    readings = []
    vitals = VitalSigns.objects.filter(patient_id__in=group).in_use().defer("field_clock")
    for record in vitals.order_by("recorded_at"):
        if record.encounter_id in visits:
            reading = VitalsReading(record, unit, taken_at=started[record.encounter_id])
            visits[record.encounter_id].vitals.append(reading)
            readings.append(reading)
    diagnoses = list(
        Diagnosis.objects.filter(patient_id__in=group)
        .in_use()
        .defer("field_clock")
        .order_by("recorded_at")
    )
    for diagnosis in diagnoses:
        if diagnosis.encounter_id in visits:
            visits[diagnosis.encounter_id].diagnoses.append(diagnosis)
    allergies = patient_allergies(patient, group)

    local_years = {e.pk: timezone.localtime(e.started_at).year for e in encounters}
    shown = [
        visit
        for visit in visits.values()
        if (year is None or local_years[visit.encounter.pk] == year)
        and (not with_diagnosis or visit.diagnoses)
    ]
    readings.sort(key=lambda r: (r.taken_at, r.record.recorded_at))
    return PatientHistory(
        patient=patient,
        visits=shown,
        visit_count=len(encounters),
        years=sorted(set(local_years.values()), reverse=True),
        problems=_problems([d for d in diagnoses if d.encounter_id in started], started),
        readings=readings,
        allergies=allergies,
        active_allergies=active_allergies(allergies),
        is_child=patient.age < CHILD_UNTIL_AGE,
    )


def clinic_favourite_codes(organisation_id: Any, limit: int = 50) -> dict[str, int]:
    """The ICD-10 codes this clinic uses most, {code: times}, for the diagnosis search."""
    rows = (
        Diagnosis.objects.filter(organisation_id=organisation_id, supersedes__isnull=True)
        .exclude(icd10_code="")
        .values("icd10_code")
        .annotate(times=Count("id"))
        .order_by("-times")[:limit]
    )
    return {row["icd10_code"]: row["times"] for row in rows}
