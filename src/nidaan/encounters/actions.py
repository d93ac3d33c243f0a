"""Every write to the chart. Each is one transaction: new row(s), change log, audit.

Nothing here changes a stored clinical row: corrections and removals are new versions
(core.versioned), so the original stays readable in the history.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.clinics.models import Facility
from nidaan.core import changelog, versioned
from nidaan.core.permissions import Role
from nidaan.core.versioned import VersionedRecord
from nidaan.encounters.models import Allergy, ConsultationNote, Diagnosis, Encounter, VitalSigns
from nidaan.patients.models import Patient

_R = TypeVar("_R", bound=VersionedRecord)


class NotYourPatient(PermissionError):
    pass


def _check_scope(patient: Patient, acting_user: User) -> None:
    if patient.organisation_id != acting_user.organisation_id:
        raise NotYourPatient("the patient belongs to another organisation")


def _audit(action: AuditAction, row: Any, acting_user: User, origin: Origin, **detail: Any) -> None:
    record(
        action,
        actor=acting_user,
        target=row,
        patient_id=row.patient_id,
        origin=origin,
        detail=detail,
    )


@transaction.atomic
def start_encounter(
    *,
    acting_user: User,
    patient: Patient,
    facility: Facility,
    doctor: User | None = None,
    queue_entry_id: Any = None,
    origin: Origin = CLI,
) -> Encounter:
    """Open a visit with an empty draft consultation note."""
    _check_scope(patient, acting_user)
    doctor = doctor or acting_user
    if (
        doctor.organisation_id != patient.organisation_id
        or not doctor.is_active
        or doctor.role not in (Role.DOCTOR, Role.ADMIN)  # an admin may be the owner-doctor
    ):
        raise PermissionError("a visit is opened for an active doctor of this clinic")
    encounter = Encounter(
        organisation_id=patient.organisation_id,
        facility=facility,
        patient=patient,
        doctor=doctor,
        queue_entry_id=queue_entry_id,
        started_at=timezone.now(),
    )
    changelog.insert(encounter, acting_user=acting_user)
    note = ConsultationNote(
        organisation_id=patient.organisation_id, patient=patient, encounter=encounter
    )
    versioned.record_first(note, acting_user=acting_user)
    _audit(AuditAction.CREATE, encounter, acting_user, origin)
    return encounter


@transaction.atomic
def save_consultation(
    note: ConsultationNote,
    changes: dict[str, Any],
    *,
    acting_user: User,
    complete: bool = False,
    reason: str = "",
    origin: Origin = CLI,
) -> ConsultationNote:
    """Save the consultation as a new version of `note` (the version the doctor had open).

    Drafts save freely; once the note was complete, a change is an amendment and needs a
    reason. If anyone saved since `note` was read, VersionConflict is raised instead of
    overwriting their work.
    """
    _check_scope(note.patient, acting_user)
    version = versioned.record_next(
        note,
        {**changes, "complete": complete or note.complete},
        acting_user=acting_user,
        reason=reason,
        require_reason=note.complete,
    )
    _audit(
        AuditAction.UPDATE,
        version,
        acting_user,
        origin,
        complete=version.complete,
        amended=note.complete,
    )
    return version


def _record_in_visit(
    model: type[_R], encounter: Encounter, values: dict[str, Any], acting_user: User, origin: Origin
) -> _R:
    """The first version of a record made in `encounter` (vitals, a diagnosis)."""
    _check_scope(encounter.patient, acting_user)
    row = model(
        organisation_id=encounter.organisation_id,
        patient_id=encounter.patient_id,
        encounter=encounter,
        **values,
    )
    versioned.record_first(row, acting_user=acting_user)
    _audit(AuditAction.CREATE, row, acting_user, origin)
    return row


@transaction.atomic
def record_vitals(
    encounter: Encounter, values: dict[str, Any], *, acting_user: User, origin: Origin = CLI
) -> VitalSigns:
    return _record_in_visit(VitalSigns, encounter, values, acting_user, origin)


@transaction.atomic
def add_diagnosis(
    encounter: Encounter, values: dict[str, Any], *, acting_user: User, origin: Origin = CLI
) -> Diagnosis:
    return _record_in_visit(Diagnosis, encounter, values, acting_user, origin)


@transaction.atomic
def record_allergy(
    patient: Patient, values: dict[str, Any], *, acting_user: User, origin: Origin = CLI
) -> Allergy:
    _check_scope(patient, acting_user)
    allergy = Allergy(organisation_id=patient.organisation_id, patient=patient, **values)
    versioned.record_first(allergy, acting_user=acting_user)
    _audit(AuditAction.CREATE, allergy, acting_user, origin)
    return allergy


@transaction.atomic
def amend(
    previous: _R,
    changes: dict[str, Any],
    *,
    acting_user: User,
    reason: str,
    origin: Origin = CLI,
) -> _R:
    """A corrected version of vitals, a diagnosis or an allergy, with the reason."""
    _check_scope(previous.patient, acting_user)  # type: ignore[attr-defined]
    version = versioned.record_next(previous, changes, acting_user=acting_user, reason=reason)
    _audit(AuditAction.UPDATE, version, acting_user, origin, amends=str(previous.pk), reason=reason)
    return version


@transaction.atomic
def mark_entered_in_error(
    previous: _R, *, acting_user: User, reason: str, origin: Origin = CLI
) -> _R:
    """Hide a record written by mistake; it stays in the history, struck through."""
    _check_scope(previous.patient, acting_user)  # type: ignore[attr-defined]
    version = versioned.mark_entered_in_error(previous, acting_user=acting_user, reason=reason)
    _audit(AuditAction.UPDATE, version, acting_user, origin, entered_in_error=True, reason=reason)
    return version
