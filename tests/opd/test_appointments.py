from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from nidaan.core import changelog
from nidaan.opd import actions
from nidaan.opd.models import Appointment, AppointmentStatus, QueueSource
from nidaan.opd.slots import all_slots, free_slots
from tests.factories import ClinicWorld


def next_weekday(weekday: int) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def monday_opd(world: ClinicWorld) -> datetime.date:
    actions.save_schedule(
        acting_user=world.user("admin"),
        doctor=world.user("doctor"),
        facility=world.facility,
        weekday=0,
        values={
            "starts": datetime.time(9),
            "ends": datetime.time(12),
            "break_starts": datetime.time(10, 30),
            "break_ends": datetime.time(11),
            "slot_minutes": 15,
        },
    )
    return next_weekday(0)


def test_slots_follow_working_hours_and_skip_the_break(
    world: ClinicWorld, monday_opd: datetime.date
) -> None:
    slots = [
        s.strftime("%H:%M") for s in all_slots(world.user("doctor"), world.facility, monday_opd)
    ]
    assert slots == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
        "10:15",
        "11:00",
        "11:15",
        "11:30",
        "11:45",
    ]
    assert (
        all_slots(world.user("doctor"), world.facility, monday_opd + datetime.timedelta(days=1))
        == []
    )


def test_a_booked_slot_is_no_longer_free(world: ClinicWorld, monday_opd: datetime.date) -> None:
    doctor = world.user("doctor")
    slot = free_slots(doctor=doctor, facility=world.facility, day=monday_opd)[2]
    actions.book_appointment(
        acting_user=world.user("receptionist"),
        patient=world.register(name="Sunita Devi"),
        doctor=doctor,
        facility=world.facility,
        starts_at=slot,
    )
    assert slot not in free_slots(doctor=doctor, facility=world.facility, day=monday_opd)
    with pytest.raises(actions.QueueError, match="is not a free slot"):
        actions.book_appointment(
            acting_user=world.user("receptionist"),
            patient=world.register(name="Ramesh"),
            doctor=doctor,
            facility=world.facility,
            starts_at=slot,
        )


def test_a_booked_patient_who_arrives_joins_the_queue(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    # Booked earlier for today (made directly: today's remaining slots depend on the hour).
    appointment = Appointment(
        organisation=world.organisation,
        facility=world.facility,
        doctor=world.user("doctor"),
        patient=patient,
        starts_at=timezone.now(),
    )
    changelog.insert(appointment, acting_user=world.user("receptionist"))
    entry = actions.check_in(appointment, acting_user=world.user("receptionist"))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ARRIVED
    assert (entry.source, entry.appointment_id, entry.token) == (
        QueueSource.APPOINTMENT,
        appointment.pk,
        1,
    )
    with pytest.raises(actions.QueueError, match="arrived"):
        actions.check_in(appointment, acting_user=world.user("receptionist"))
