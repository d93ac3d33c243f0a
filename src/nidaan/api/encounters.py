"""/api/v1 for the chart: visits, the consultation note, vitals, diagnoses, allergies,
and corrections of them. Input goes through the consultation screen's forms, so a client
gets the page's messages; every write is an action of nidaan.encounters.actions."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status

from nidaan.accounts.models import User
from nidaan.api.auth import require
from nidaan.api.clinical_schemas import (
    AllergyAmend,
    AllergyIn,
    AllergyOut,
    Conflict,
    DiagnosisAmend,
    DiagnosisIn,
    DiagnosisOut,
    EncounterDetail,
    EncounterIn,
    EncounterOut,
    EnteredInError,
    Icd10Hit,
    NoteIn,
    NoteOut,
    VitalsAmend,
    VitalsIn,
    VitalsOut,
)
from nidaan.api.errors import FormErrors
from nidaan.api.schemas import Errors, Message
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.clinics.models import Organisation, TemperatureUnit
from nidaan.core import versioned
from nidaan.core.permissions import Perm, Role
from nidaan.core.versioned import ReasonRequired, RecordStatus, VersionConflict, VersionedRecord
from nidaan.encounters import actions, icd10, vitals
from nidaan.encounters.forms import AllergyForm, ConsultationForm, DiagnosisForm, VitalsForm
from nidaan.encounters.models import Allergy, ConsultationNote, Diagnosis, Encounter, VitalSigns
from nidaan.patients.models import Patient
from nidaan.privacy import emergency

router = Router(tags=["chart"])

_R = TypeVar("_R", bound=VersionedRecord)

# The pages' words (encounters.views), so a client can show them as they are.
NOTE_REASON_REQUIRED = "The consultation was completed: write why you change it."
CORRECTION_REASON_REQUIRED = "Write why you are correcting this."
NOTHING_CHANGED = "Nothing was changed: change a value, or mark it entered in error."


class FieldErrors(FormErrors):
    """400 with per-field messages that come from an action rather than a form."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        Exception.__init__(self, "invalid input")
        self.errors = errors


# Lookups, always within the caller's organisation: another clinic's ids are 404.


def _patient(user: User, patient_id: uuid.UUID) -> Patient:
    patient = Patient.objects.filter(pk=patient_id, organisation_id=user.organisation_uuid).first()
    if patient is None:
        raise Http404("no such patient")
    emergency.check_api(user, patient.pk, patient.registered_at_id)
    return patient


def _encounter(user: User, encounter_id: uuid.UUID) -> Encounter:
    encounter = (
        Encounter.objects.filter(pk=encounter_id, organisation_id=user.organisation_uuid)
        .select_related("patient", "doctor")
        .first()
    )
    if encounter is None:
        raise Http404("no such visit")
    emergency.check_api(user, encounter.patient_id, encounter.facility_id)
    return encounter


def _record(model: type[_R], user: User, record_id: uuid.UUID) -> _R:
    # Every concrete record has an organisation and a patient; the abstract base does not.
    rows: Any = model._default_manager.filter(pk=record_id)
    row: _R | None = (
        rows.filter(organisation_id=user.organisation_uuid).select_related("patient").first()
    )
    if row is None:
        raise Http404(f"no such {model._meta.verbose_name}")
    concrete: Any = row
    emergency.check_api(user, concrete.patient_id)
    return row


def _temperature_unit(user: User) -> str:
    return str(
        Organisation.objects.filter(pk=user.organisation_uuid)
        .values_list("temperature_unit", flat=True)
        .get()
    )


def _viewed(request: HttpRequest, user: User, target: Any, patient_id: Any, what: str) -> None:
    record(
        AuditAction.VIEW,
        actor=user,
        target=target,
        patient_id=patient_id,
        origin=Origin.of(request, "api"),
        detail={"read": what},
    )


# Records as JSON


def _staff(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.get_full_name()}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _version(row: VersionedRecord, current: bool) -> dict[str, Any]:
    return {
        "id": row.pk,
        "lineage": row.lineage,
        "supersedes": row.supersedes_id,  # type: ignore[attr-defined]
        "status": row.status,
        "reason": row.reason,
        "recorded_by": _staff(row.recorded_by),
        "recorded_at": row.recorded_at,
        "current": current,
    }


def _note(note: ConsultationNote, current: bool = True) -> dict[str, Any]:
    return {
        **_version(note, current),
        "complaints": [
            {
                "text": c.get("text", ""),
                "duration": c.get("duration"),
                "unit": c.get("unit") or "",
            }
            for c in note.complaints
        ],
        **{
            name: getattr(note, name)
            for name in ConsultationNote.content_fields
            if name != "complaints"
        },
    }


def _vitals(row: VitalSigns, unit: str, current: bool = True) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in VitalSigns.content_fields}
    celsius = row.temperature_c
    shown = celsius
    if celsius is not None and unit == TemperatureUnit.FAHRENHEIT:
        shown = vitals.celsius_to_fahrenheit(Decimal(celsius))
    return {
        **_version(row, current),
        **values,
        "encounter_id": row.encounter_id,
        "temperature_c": _number(celsius),
        "temperature": _number(shown),
        "temperature_unit": unit,
        "weight_kg": _number(row.weight_kg),
        "height_cm": _number(row.height_cm),
        "head_circumference_cm": _number(row.head_circumference_cm),
        "bmi": _number(row.bmi),
        "flags": vitals.abnormal_flags(values),
    }


def _diagnosis(row: Diagnosis, current: bool = True) -> dict[str, Any]:
    return {
        **_version(row, current),
        "encounter_id": row.encounter_id,
        "icd10_code": row.icd10_code,
        "text": row.text,
        "certainty": row.certainty,
        "active": row.active,
    }


def _allergy(row: Allergy, current: bool = True) -> dict[str, Any]:
    return {
        **_version(row, current),
        "patient_id": row.patient_id,
        **{name: getattr(row, name) for name in Allergy.content_fields},
    }


def _current_ids(rows: Iterable[VersionedRecord]) -> set[Any]:
    """Ids of the versions nobody supersedes, given every version of each lineage."""
    rows = list(rows)
    superseded = {row.supersedes_id for row in rows}  # type: ignore[attr-defined]
    return {row.pk for row in rows if row.pk not in superseded}


def _in_use(rows: list[_R], current: set[Any]) -> list[_R]:
    """Current, not entered in error; in the order the records were first made."""
    kept = [r for r in rows if r.pk in current and r.status != RecordStatus.ENTERED_IN_ERROR]
    return sorted(kept, key=lambda r: (r.lineage, r.recorded_at))


def _by_encounter(rows: Iterable[_R]) -> dict[Any, list[_R]]:
    grouped: dict[Any, list[_R]] = defaultdict(list)
    for row in rows:
        grouped[row.encounter_id].append(row)  # type: ignore[attr-defined]
    return grouped


def _visits(encounters: list[Encounter], unit: str, full: bool) -> list[dict[str, Any]]:
    """Each visit with its current records, read in four queries however many visits."""
    ids = [e.pk for e in encounters]
    notes = _by_encounter(
        ConsultationNote.objects.filter(encounter_id__in=ids)
        .select_related("recorded_by")
        .order_by("recorded_at", "id")
    )
    measured = _by_encounter(
        VitalSigns.objects.filter(encounter_id__in=ids)
        .select_related("recorded_by")
        .order_by("recorded_at", "id")
    )
    diagnosed = _by_encounter(
        Diagnosis.objects.filter(encounter_id__in=ids)
        .select_related("recorded_by")
        .order_by("recorded_at", "id")
    )
    visits = []
    for encounter in encounters:
        versions = [
            *notes[encounter.pk],
            *measured[encounter.pk],
            *diagnosed[encounter.pk],
        ]
        current = _current_ids(versions)
        # Two doctors saving at once (or two offline PCs) leave two current notes; both
        # are kept, the later one is shown, and the versions list holds the other.
        open_notes = [n for n in notes[encounter.pk] if n.pk in current]
        visit: dict[str, Any] = {
            "id": encounter.pk,
            "patient_id": encounter.patient_id,
            "facility_id": encounter.facility_id,
            "doctor": _staff(encounter.doctor),
            "queue_entry_id": encounter.queue_entry_id,
            "started_at": encounter.started_at,
            "note": _note(open_notes[-1]) if open_notes else None,
            "vitals": [_vitals(v, unit) for v in _in_use(measured[encounter.pk], current)],
            "diagnoses": [_diagnosis(d) for d in _in_use(diagnosed[encounter.pk], current)],
        }
        if full:
            visit["versions"] = {
                "notes": [_note(n, n.pk in current) for n in notes[encounter.pk]],
                "vitals": [_vitals(v, unit, v.pk in current) for v in measured[encounter.pk]],
                "diagnoses": [_diagnosis(d, d.pk in current) for d in diagnosed[encounter.pk]],
            }
        visits.append(visit)
    return visits


def visits_as_json(user: User, encounters: list[Encounter]) -> list[dict[str, Any]]:
    """Visits as EncounterOut, temperatures in the clinic's unit."""
    return _visits(encounters, _temperature_unit(user), full=False)


def _allergies_in_use(patient: Patient) -> list[Allergy]:
    rows = list(Allergy.objects.filter(patient=patient).select_related("recorded_by"))
    return [a for a in _in_use(rows, _current_ids(rows)) if a.active]


def _conflict(conflict: VersionConflict) -> Status[dict[str, Any]]:
    """409 naming the version that is current now (the newest of its lineage's heads)."""
    model = type(conflict.current)
    current = (
        model._default_manager.filter(lineage=conflict.current.lineage)
        .current()
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
        .first()
    ) or conflict.current
    return Status(
        409,
        {
            "detail": f"{current.recorded_by.get_full_name()} saved a newer version at "
            f"{timezone.localtime(current.recorded_at):%d-%m-%Y %H:%M}; nothing of yours was "
            "saved. Read their version, then make your change again.",
            "current": {
                "id": current.pk,
                "recorded_by": _staff(current.recorded_by),
                "recorded_at": current.recorded_at,
            },
        },
    )


def _valid(form: Any) -> Any:
    if not form.is_valid():
        raise FormErrors(form)
    return form


# Visits


@router.post(
    "/patients/{patient_id}/encounters",
    response={201: EncounterOut, 400: Errors, 403: Message, 404: Message},
)
def start_encounter(
    request: HttpRequest, patient_id: uuid.UUID, payload: EncounterIn
) -> Status[dict[str, Any]]:
    """A walk-in seen without a token: open a visit at the caller's branch, for the
    caller or for the colleague named by `doctor_id`."""
    user = require(request, Perm.CONSULTATION_WRITE)
    patient = _patient(user, patient_id)
    doctor: User | None = user
    if payload.doctor_id is not None:
        doctor = User.objects.filter(
            pk=payload.doctor_id, organisation_id=user.organisation_uuid
        ).first()
    # start_encounter takes an admin as the doctor too (the owner who sees patients).
    if doctor is None or not doctor.is_active or doctor.role not in (Role.DOCTOR, Role.ADMIN):
        raise FieldErrors({"doctor_id": ["This is not a doctor of this clinic."]})
    encounter = actions.start_encounter(
        acting_user=user,
        patient=patient,
        facility=user.home_facility,
        doctor=doctor,
        origin=Origin.of(request, "api"),
    )
    (visit,) = visits_as_json(user, [encounter])
    return Status(201, visit)


@router.get(
    "/patients/{patient_id}/encounters",
    response={200: list[EncounterOut], 403: Message, 404: Message},
)
def list_encounters(request: HttpRequest, patient_id: uuid.UUID) -> list[dict[str, Any]]:
    """The patient's visits, newest first, each with what is in use now."""
    user = require(request, Perm.CLINICAL_VIEW)
    patient = _patient(user, patient_id)
    encounters = list(
        Encounter.objects.filter(patient=patient)
        .select_related("doctor")
        .order_by("-started_at", "-id")
    )
    _viewed(request, user, patient, patient.pk, "visits")
    return _visits(encounters, _temperature_unit(user), full=False)


@router.get(
    "/encounters/{encounter_id}",
    response={200: EncounterDetail, 403: Message, 404: Message},
)
def get_encounter(request: HttpRequest, encounter_id: uuid.UUID) -> dict[str, Any]:
    """One visit in full: every version of its records (`current` marks those in force),
    and the patient's allergies."""
    user = require(request, Perm.CLINICAL_VIEW)
    encounter = _encounter(user, encounter_id)
    _viewed(request, user, encounter, encounter.patient_id, "visit")
    (visit,) = _visits([encounter], _temperature_unit(user), full=True)
    visit["allergies"] = [_allergy(a) for a in _allergies_in_use(encounter.patient)]
    return visit


_NOTE_TEXT = (
    "history_illness",
    "history_surgical",
    "history_family",
    "history_personal",
    "examination",
    "advice",
    "follow_up_date",
)


@router.post(
    "/encounters/{encounter_id}/note",
    response={200: NoteOut, 400: Errors, 403: Message, 404: Message, 409: Conflict},
)
def save_note(
    request: HttpRequest, encounter_id: uuid.UUID, payload: NoteIn
) -> Status[dict[str, Any]] | dict[str, Any]:
    """Save the consultation as a new version of `based_on`. 409 if someone saved since."""
    user = require(request, Perm.CONSULTATION_WRITE)
    encounter = _encounter(user, encounter_id)
    sent = payload.model_dump(exclude_unset=True)
    if "complaints" in sent and "complaints_text" in sent:
        raise FieldErrors({"complaints": ["Send complaints_text or complaints, not both."]})
    data = {name: sent[name] or "" for name in (*_NOTE_TEXT, "complaints_text") if name in sent}
    data.update(based_on=str(payload.based_on), reason=payload.reason)
    form = _valid(ConsultationForm(data))
    based_on = (
        ConsultationNote.objects.filter(pk=form.cleaned_data["based_on"], encounter=encounter)
        .select_related("patient")
        .first()
    )
    if based_on is None:
        raise FieldErrors({"based_on": ["This is not a version of this visit's note."]})
    values = form.note_values()
    changes = {name: values[name] for name in _NOTE_TEXT if name in sent}
    if "complaints_text" in sent:
        changes["complaints"] = values["complaints"]
    elif payload.complaints is not None:
        changes["complaints"] = [
            {"text": c.text.strip(), "duration": c.duration, "unit": str(c.unit or "")}
            for c in payload.complaints
        ]
    try:
        note = actions.save_consultation(
            based_on,
            changes,
            acting_user=user,
            complete=payload.complete,
            reason=form.cleaned_data["reason"],
            origin=Origin.of(request, "api"),
        )
    except VersionConflict as conflict:
        return _conflict(conflict)
    except ReasonRequired as refusal:
        raise FieldErrors({"reason": [NOTE_REASON_REQUIRED]}) from refusal
    return _note(note)


# Vitals


def _vitals_form(data: dict[str, Any], unit: str) -> VitalsForm:
    form: VitalsForm = _valid(VitalsForm(data, temperature_unit=unit))
    return form


@router.post(
    "/encounters/{encounter_id}/vitals",
    response={201: VitalsOut, 400: Errors, 403: Message, 404: Message},
)
def record_vitals(
    request: HttpRequest, encounter_id: uuid.UUID, payload: VitalsIn
) -> Status[dict[str, Any]]:
    """Temperature is typed in the clinic's unit and answered in both °C and that unit."""
    user = require(request, Perm.VITALS_RECORD)
    encounter = _encounter(user, encounter_id)
    unit = _temperature_unit(user)
    form = _vitals_form(payload.model_dump(exclude_none=True), unit)
    row = actions.record_vitals(
        encounter, form.vital_values(), acting_user=user, origin=Origin.of(request, "api")
    )
    return Status(201, _vitals(row, unit))


# Diagnoses


@router.post(
    "/encounters/{encounter_id}/diagnoses",
    response={201: DiagnosisOut, 400: Errors, 403: Message, 404: Message},
)
def add_diagnosis(
    request: HttpRequest, encounter_id: uuid.UUID, payload: DiagnosisIn
) -> Status[dict[str, Any]]:
    user = require(request, Perm.CONSULTATION_WRITE)
    encounter = _encounter(user, encounter_id)
    form = _valid(DiagnosisForm(payload.model_dump()))
    row = actions.add_diagnosis(
        encounter,
        {name: form.cleaned_data[name] for name in ("icd10_code", "text", "certainty")},
        acting_user=user,
        origin=Origin.of(request, "api"),
    )
    return Status(201, _diagnosis(row))


@router.get("/icd10", response={200: list[Icd10Hit], 403: Message})
def search_icd10(request: HttpRequest, q: str = "", limit: int = 15) -> list[dict[str, str]]:
    """WHO ICD-10 codes starting with `q`, or whose title has every word of it."""
    require(request, Perm.CLINICAL_VIEW)
    return [
        {"code": code, "title": title}
        for code, title in icd10.search(q, limit=max(1, min(limit, 50)))
    ]


# Allergies


@router.post(
    "/patients/{patient_id}/allergies",
    response={201: AllergyOut, 400: Errors, 403: Message, 404: Message},
)
def record_allergy(
    request: HttpRequest, patient_id: uuid.UUID, payload: AllergyIn
) -> Status[dict[str, Any]]:
    user = require(request, Perm.ALLERGY_RECORD)
    patient = _patient(user, patient_id)
    form = _valid(AllergyForm(payload.model_dump()))
    row = actions.record_allergy(
        patient, dict(form.cleaned_data), acting_user=user, origin=Origin.of(request, "api")
    )
    return Status(201, _allergy(row))


@router.get(
    "/patients/{patient_id}/allergies",
    response={200: list[AllergyOut], 403: Message, 404: Message},
)
def list_allergies(request: HttpRequest, patient_id: uuid.UUID) -> list[dict[str, Any]]:
    """The patient's active allergies (current versions, not entered in error)."""
    user = require(request, Perm.CLINICAL_VIEW)
    patient = _patient(user, patient_id)
    _viewed(request, user, patient, patient.pk, "allergies")
    return [_allergy(a) for a in _allergies_in_use(patient)]


# Corrections: a new version with a reason; the version read must still be current.


def _amended(
    request: HttpRequest,
    previous: _R,
    changes: dict[str, Any],
    user: User,
    reason: str,
) -> _R | Status[dict[str, Any]]:
    changes = {
        name: value for name, value in changes.items() if not _same(getattr(previous, name), value)
    }
    if not changes and versioned.is_current(previous):
        raise FieldErrors({"non_field": [NOTHING_CHANGED]})
    try:
        return actions.amend(
            previous,
            changes,
            acting_user=user,
            reason=_reason(reason),
            origin=Origin.of(request, "api"),
        )
    except VersionConflict as conflict:
        return _conflict(conflict)
    except ReasonRequired as refusal:
        raise FieldErrors({"reason": [CORRECTION_REASON_REQUIRED]}) from refusal


def _reason(text: str) -> str:
    """The reason as the correction form on the page takes it (at most 300 characters)."""
    try:
        return str(forms.CharField(max_length=300, required=False).clean(text))
    except ValidationError as refusal:
        raise FieldErrors({"reason": list(refusal.messages)}) from refusal


def _same(stored: Any, value: Any) -> bool:
    if isinstance(stored, Decimal) and value is not None:
        return stored == Decimal(value)
    return bool(stored == value)


def _entered_in_error(
    request: HttpRequest, previous: _R, user: User, reason: str
) -> _R | Status[dict[str, Any]]:
    try:
        return actions.mark_entered_in_error(
            previous, acting_user=user, reason=_reason(reason), origin=Origin.of(request, "api")
        )
    except VersionConflict as conflict:
        return _conflict(conflict)
    except ReasonRequired as refusal:
        raise FieldErrors({"reason": [CORRECTION_REASON_REQUIRED]}) from refusal


_CORRECTION = {400: Errors, 403: Message, 404: Message, 409: Conflict}
_VITALS_TYPED = (
    "bp_systolic",
    "bp_diastolic",
    "pulse",
    "spo2",
    "respiratory_rate",
    "weight_kg",
    "height_cm",
    "blood_sugar",
    "blood_sugar_test",
    "head_circumference_cm",
)


@router.post("/records/vitals/{vitals_id}/amend", response={201: VitalsOut, **_CORRECTION})
def amend_vitals(
    request: HttpRequest, vitals_id: uuid.UUID, payload: VitalsAmend
) -> Status[dict[str, Any]]:
    """Change some measurements: the rest are kept, and the whole set is checked again."""
    user = require(request, Perm.VITALS_RECORD)
    previous = _record(VitalSigns, user, vitals_id)
    unit = _temperature_unit(user)
    shown = _vitals(previous, unit)
    sent = payload.model_dump(exclude_unset=True, exclude={"reason"})
    data = {name: shown[name] for name in (*_VITALS_TYPED, "temperature")}
    data.update(sent)
    form = _vitals_form({k: v for k, v in data.items() if v is not None}, unit)
    values = form.vital_values()
    # Only what was sent changes: a value kept is copied, not converted °C→°F→°C.
    changes = {
        ("temperature_c" if name == "temperature" else name): values[
            "temperature_c" if name == "temperature" else name
        ]
        for name in sent
    }
    row = _amended(request, previous, changes, user, payload.reason)
    return row if isinstance(row, Status) else Status(201, _vitals(row, unit))


@router.post(
    "/records/vitals/{vitals_id}/entered-in-error", response={201: VitalsOut, **_CORRECTION}
)
def vitals_entered_in_error(
    request: HttpRequest, vitals_id: uuid.UUID, payload: EnteredInError
) -> Status[dict[str, Any]]:
    user = require(request, Perm.VITALS_RECORD)
    previous = _record(VitalSigns, user, vitals_id)
    row = _entered_in_error(request, previous, user, payload.reason)
    return row if isinstance(row, Status) else Status(201, _vitals(row, _temperature_unit(user)))


@router.post("/records/diagnoses/{diagnosis_id}/amend", response={201: DiagnosisOut, **_CORRECTION})
def amend_diagnosis(
    request: HttpRequest, diagnosis_id: uuid.UUID, payload: DiagnosisAmend
) -> Status[dict[str, Any]]:
    user = require(request, Perm.CONSULTATION_WRITE)
    previous = _record(Diagnosis, user, diagnosis_id)
    sent = payload.model_dump(exclude_unset=True, exclude={"reason", "active"})
    data = {name: getattr(previous, name) for name in ("icd10_code", "text", "certainty")}
    # A new code with no new text takes the code's title, unless the old text was the
    # doctor's own words rather than the old code's title.
    if (
        "icd10_code" in sent
        and "text" not in sent
        and previous.icd10_code
        and previous.text == icd10.title(previous.icd10_code)
    ):
        data["text"] = ""
    data.update({name: value or "" for name, value in sent.items()})
    form = _valid(DiagnosisForm(data))
    changes = {name: form.cleaned_data[name] for name in ("icd10_code", "text", "certainty")}
    if payload.active is not None:
        changes["active"] = payload.active
    row = _amended(request, previous, changes, user, payload.reason)
    return row if isinstance(row, Status) else Status(201, _diagnosis(row))


@router.post(
    "/records/diagnoses/{diagnosis_id}/entered-in-error",
    response={201: DiagnosisOut, **_CORRECTION},
)
def diagnosis_entered_in_error(
    request: HttpRequest, diagnosis_id: uuid.UUID, payload: EnteredInError
) -> Status[dict[str, Any]]:
    user = require(request, Perm.CONSULTATION_WRITE)
    previous = _record(Diagnosis, user, diagnosis_id)
    row = _entered_in_error(request, previous, user, payload.reason)
    return row if isinstance(row, Status) else Status(201, _diagnosis(row))


@router.post("/records/allergies/{allergy_id}/amend", response={201: AllergyOut, **_CORRECTION})
def amend_allergy(
    request: HttpRequest, allergy_id: uuid.UUID, payload: AllergyAmend
) -> Status[dict[str, Any]]:
    user = require(request, Perm.ALLERGY_RECORD)
    previous = _record(Allergy, user, allergy_id)
    sent = payload.model_dump(exclude_unset=True, exclude={"reason", "active"})
    data = {name: getattr(previous, name) for name in ("category", "substance", "reaction")}
    data["severity"] = previous.severity
    data.update({name: value or "" for name, value in sent.items()})
    form = _valid(AllergyForm(data))
    changes = dict(form.cleaned_data)
    if payload.active is not None:
        changes["active"] = payload.active
    row = _amended(request, previous, changes, user, payload.reason)
    return row if isinstance(row, Status) else Status(201, _allergy(row))


@router.post(
    "/records/allergies/{allergy_id}/entered-in-error",
    response={201: AllergyOut, **_CORRECTION},
)
def allergy_entered_in_error(
    request: HttpRequest, allergy_id: uuid.UUID, payload: EnteredInError
) -> Status[dict[str, Any]]:
    user = require(request, Perm.ALLERGY_RECORD)
    previous = _record(Allergy, user, allergy_id)
    row = _entered_in_error(request, previous, user, payload.reason)
    return row if isinstance(row, Status) else Status(201, _allergy(row))
