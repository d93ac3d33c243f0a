"""Writes for the OPD day: tokens, the doctor's queue, appointments, working hours."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.clinics.models import Facility
from nidaan.core import changelog, node
from nidaan.core.permissions import Role
from nidaan.encounters.actions import start_encounter
from nidaan.encounters.models import Encounter
from nidaan.opd.models import (
    PRIORITY_ORDER,
    Appointment,
    AppointmentStatus,
    DoctorSchedule,
    QueueEntry,
    QueueSource,
    QueueStatus,
)
from nidaan.patients.models import Patient


class QueueError(ValueError):
    """A queue step that does not fit the token's state, said plainly."""


def _same_org(acting_user: User, *rows: Any) -> None:
    for row in rows:
        if row.organisation_id != acting_user.organisation_id:
            raise PermissionError("another organisation's record")


def _check_doctor(doctor: User, acting_user: User) -> None:
    _same_org(acting_user, doctor)
    if doctor.role != Role.DOCTOR or not doctor.is_active:
        raise QueueError(f"{doctor} is not a doctor of this clinic")


@transaction.atomic
def issue_token(
    *,
    acting_user: User,
    patient: Patient,
    doctor: User,
    facility: Facility,
    priority: str = "",
    source: str = QueueSource.WALK_IN,
    appointment_id: Any = None,
    origin: Origin = CLI,
) -> QueueEntry:
    """Give the patient the next token of the day for `doctor` at `facility`."""
    _same_org(acting_user, patient, facility)
    _check_doctor(doctor, acting_user)
    today = timezone.localdate()
    already = QueueEntry.objects.filter(
        facility=facility,
        doctor=doctor,
        day=today,
        patient=patient,
        status__in=[QueueStatus.WAITING, QueueStatus.CALLED, QueueStatus.IN_CONSULTATION],
    ).first()
    if already is not None:
        raise QueueError(f"already in the queue with token {already.label}")
    node.serialise_writes()
    series = node.identity().series
    last = (
        QueueEntry.objects.filter(
            facility=facility, doctor=doctor, day=today, series=series
        ).aggregate(last=Max("token"))["last"]
        or 0
    )
    entry = QueueEntry(
        organisation_id=facility.organisation_id,
        facility=facility,
        doctor=doctor,
        patient=patient,
        day=today,
        token=last + 1,
        series=series,
        priority=priority,
        source=source,
        appointment_id=appointment_id,
    )
    changelog.insert(entry, acting_user=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=entry,
        patient_id=patient.pk,
        origin=origin,
        detail={"token": entry.label},
    )
    return entry


def _set(entry: QueueEntry, values: dict[str, Any], acting_user: User, origin: Origin) -> None:
    changed = changelog.changed_fields(entry, values)
    if changed:
        changelog.update(entry, changed, acting_user=acting_user)
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=entry,
            patient_id=entry.patient_id,
            origin=origin,
            detail={"fields": changed},
        )


def waiting_order(entries: list[QueueEntry]) -> list[QueueEntry]:
    """Emergency first, then elderly and pregnant, then the rest, each by token."""
    return sorted(entries, key=lambda e: (PRIORITY_ORDER.get(e.priority, 2), e.token, e.series))


@transaction.atomic
def call_next(*, doctor: User, facility: Facility, origin: Origin = CLI) -> QueueEntry | None:
    """The doctor calls the next waiting token (None when nobody is waiting)."""
    node.serialise_writes()
    waiting = list(
        QueueEntry.objects.filter(
            facility=facility, doctor=doctor, day=timezone.localdate(), status=QueueStatus.WAITING
        )
    )
    if not waiting:
        return None
    entry = waiting_order(waiting)[0]
    _set(entry, {"status": QueueStatus.CALLED, "called_at": timezone.now()}, doctor, origin)
    return entry


@transaction.atomic
def start_consultation(entry: QueueEntry, *, acting_user: User, origin: Origin = CLI) -> Encounter:
    """The called patient comes in: open their visit, or return the one already open."""
    _same_org(acting_user, entry)
    if entry.encounter_id is not None:
        return Encounter.objects.get(pk=entry.encounter_id)
    if entry.status not in (QueueStatus.WAITING, QueueStatus.CALLED):
        raise QueueError(f"token {entry.label} is {entry.get_status_display().lower()}")
    encounter = start_encounter(
        acting_user=acting_user,
        patient=entry.patient,
        facility=entry.facility,
        doctor=entry.doctor,
        queue_entry_id=entry.pk,
        origin=origin,
    )
    _set(
        entry,
        {
            "status": QueueStatus.IN_CONSULTATION,
            "encounter_id": encounter.pk,
            "called_at": entry.called_at or timezone.now(),
        },
        acting_user,
        origin,
    )
    return encounter


_ALLOWED = {
    QueueStatus.WAITING: {QueueStatus.CALLED, QueueStatus.LEFT, QueueStatus.NO_SHOW},
    QueueStatus.CALLED: {QueueStatus.WAITING, QueueStatus.NO_SHOW, QueueStatus.LEFT},
    QueueStatus.IN_CONSULTATION: {QueueStatus.DONE},
    QueueStatus.NO_SHOW: {QueueStatus.WAITING},
    QueueStatus.LEFT: {QueueStatus.WAITING},
    QueueStatus.DONE: set(),
}


@transaction.atomic
def set_queue_status(
    entry: QueueEntry, status: str, *, acting_user: User, origin: Origin = CLI
) -> None:
    _same_org(acting_user, entry)
    if status not in _ALLOWED[QueueStatus(entry.status)]:
        raise QueueError(
            f"token {entry.label} cannot go from {entry.get_status_display().lower()} "
            f"to {QueueStatus(status).label.lower()}"
        )
    values: dict[str, Any] = {"status": status}
    if status in (QueueStatus.DONE, QueueStatus.NO_SHOW, QueueStatus.LEFT):
        values["finished_at"] = timezone.now()
    _set(entry, values, acting_user, origin)


@transaction.atomic
def set_priority(
    entry: QueueEntry, priority: str, *, acting_user: User, origin: Origin = CLI
) -> None:
    _same_org(acting_user, entry)
    _set(entry, {"priority": priority}, acting_user, origin)


@transaction.atomic
def book_appointment(
    *,
    acting_user: User,
    patient: Patient,
    doctor: User,
    facility: Facility,
    starts_at: datetime.datetime,
    note: str = "",
    follow_up_of: Any = None,
    origin: Origin = CLI,
) -> Appointment:
    from nidaan.opd.slots import free_slots

    _same_org(acting_user, patient, facility)
    _check_doctor(doctor, acting_user)
    local = timezone.localtime(starts_at)
    if starts_at not in free_slots(doctor=doctor, facility=facility, day=local.date()):
        raise QueueError(f"{local:%d-%m-%Y %H:%M} is not a free slot of {doctor}")
    appointment = Appointment(
        organisation_id=facility.organisation_id,
        facility=facility,
        doctor=doctor,
        patient=patient,
        starts_at=starts_at,
        note=note,
        follow_up_of=follow_up_of,
    )
    changelog.insert(appointment, acting_user=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=appointment,
        patient_id=patient.pk,
        origin=origin,
    )
    return appointment


@transaction.atomic
def check_in(
    appointment: Appointment, *, acting_user: User, priority: str = "", origin: Origin = CLI
) -> QueueEntry:
    """A booked patient arrives: they join today's queue."""
    _same_org(acting_user, appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise QueueError(f"the appointment is {appointment.get_status_display().lower()}")
    if timezone.localtime(appointment.starts_at).date() != timezone.localdate():
        raise QueueError("the appointment is not for today")
    entry = issue_token(
        acting_user=acting_user,
        patient=appointment.patient,
        doctor=appointment.doctor,
        facility=appointment.facility,
        priority=priority,
        source=QueueSource.APPOINTMENT,
        appointment_id=appointment.pk,
        origin=origin,
    )
    changed = changelog.changed_fields(appointment, {"status": AppointmentStatus.ARRIVED})
    changelog.update(appointment, changed, acting_user=acting_user)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=appointment,
        patient_id=appointment.patient_id,
        origin=origin,
        detail={"status": AppointmentStatus.ARRIVED, "token": entry.label},
    )
    return entry


@transaction.atomic
def set_appointment_status(
    appointment: Appointment, status: str, *, acting_user: User, origin: Origin = CLI
) -> None:
    _same_org(acting_user, appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise QueueError(f"the appointment is already {appointment.get_status_display().lower()}")
    changed = changelog.changed_fields(appointment, {"status": status})
    changelog.update(appointment, changed, acting_user=acting_user)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=appointment,
        patient_id=appointment.patient_id,
        origin=origin,
        detail={"status": status},
    )


@transaction.atomic
def save_schedule(
    *,
    acting_user: User,
    doctor: User,
    facility: Facility,
    weekday: int,
    values: dict[str, Any],
    origin: Origin = CLI,
) -> DoctorSchedule:
    """Set a doctor's hours for one weekday (one row per doctor, branch and weekday)."""
    _same_org(acting_user, doctor, facility)
    schedule = DoctorSchedule.objects.filter(
        doctor=doctor, facility=facility, weekday=weekday
    ).first()
    if schedule is None:
        schedule = DoctorSchedule(
            organisation_id=facility.organisation_id,
            facility=facility,
            doctor=doctor,
            weekday=weekday,
            **values,
        )
        changelog.insert(schedule, acting_user=acting_user)
    else:
        changed = changelog.changed_fields(schedule, values)
        if changed:
            changelog.update(schedule, changed, acting_user=acting_user)
    record(AuditAction.UPDATE, actor=acting_user, target=schedule, origin=origin)
    return schedule
