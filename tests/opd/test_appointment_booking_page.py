"""Reception books an appointment: patient, doctor, day, then one of the free times."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from nidaan.core.permissions import Role
from nidaan.opd import actions
from nidaan.opd.models import Appointment, AppointmentStatus
from tests.factories import ClinicWorld


@pytest.fixture
def next_monday(world: ClinicWorld) -> datetime.date:
    """Dr's OPD: Mondays 09:00–11:00 with a break 10:00–10:30, 15 minutes a patient."""
    actions.save_schedule(
        acting_user=world.user(Role.ADMIN),
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
        weekday=0,
        values={
            "starts": datetime.time(9),
            "ends": datetime.time(11),
            "break_starts": datetime.time(10),
            "break_ends": datetime.time(10, 30),
            "slot_minutes": 15,
        },
    )
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() != 0:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), timezone.get_current_timezone()
    )


def test_reception_books_a_free_time(world: ClinicWorld, next_monday: datetime.date) -> None:
    patient = world.register(name="Sunita Devi")
    doctor = world.user(Role.DOCTOR)
    client = world.client(Role.RECEPTIONIST)
    url = f"/opd/appointments/new/?patient={patient.pk}"
    choose = {
        "patient": str(patient.pk),
        "doctor": str(doctor.pk),
        "day": f"{next_monday:%d-%m-%Y}",
    }

    page = client.get("/opd/appointments/new/", choose)
    times = page.content.decode()
    for free in ("09:00", "09:15", "09:30", "09:45", "10:30", "10:45"):
        assert f'<span class="mono">{free}</span>' in times
    assert '<span class="mono">10:15</span>' not in times  # the break

    response = client.post(
        url,
        {
            "doctor": doctor.pk,
            "day": f"{next_monday:%Y-%m-%d}",
            "slot": _at(next_monday, 9, 30).isoformat(),
            "note": "BP follow-up",
        },
        follow=True,
    )

    appointment = Appointment.objects.get()
    assert (appointment.patient, appointment.doctor, appointment.status) == (
        patient,
        doctor,
        AppointmentStatus.BOOKED,
    )
    assert appointment.starts_at == _at(next_monday, 9, 30)
    assert appointment.note == "BP follow-up"
    assert response.redirect_chain == [
        (f"/opd/appointments/?day={next_monday:%Y-%m-%d}&doctor={doctor.pk}", 302)
    ]
    listing = response.content.decode()
    assert (
        "Appointment booked: Sunita Devi with Doctor of Shanti Clinic on "
        f"{next_monday:%d-%m-%Y} at 09:30." in listing
    )
    assert "BP follow-up" in listing
    again = client.get("/opd/appointments/new/", choose)
    assert '<span class="mono">09:30</span>' not in again.content.decode()


def test_a_time_just_taken_is_refused_with_a_message(
    world: ClinicWorld, next_monday: datetime.date
) -> None:
    doctor = world.user(Role.DOCTOR)
    slot = _at(next_monday, 9, 0)
    actions.book_appointment(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=world.register(name="First Patient"),
        doctor=doctor,
        facility=world.facility,
        starts_at=slot,
    )
    patient = world.register(name="Second Patient")

    response = world.client(Role.RECEPTIONIST).post(
        f"/opd/appointments/new/?patient={patient.pk}",
        {"doctor": doctor.pk, "day": f"{next_monday:%Y-%m-%d}", "slot": slot.isoformat()},
    )

    assert response.status_code == 200
    assert "That time is no longer free: choose another." in response.content.decode()
    assert Appointment.objects.count() == 1


def test_a_day_without_opd_hours_says_so(world: ClinicWorld, next_monday: datetime.date) -> None:
    patient = world.register(name="Sunita Devi")
    tuesday = next_monday + datetime.timedelta(days=1)

    page = world.client(Role.RECEPTIONIST).get(
        "/opd/appointments/new/",
        {
            "patient": str(patient.pk),
            "doctor": str(world.user(Role.DOCTOR).pk),
            "day": f"{tuesday:%d-%m-%Y}",
        },
    )

    assert "Doctor of Shanti Clinic has no OPD hours on Tuesday" in page.content.decode()


def test_changing_the_day_reloads_only_the_free_times(
    world: ClinicWorld, next_monday: datetime.date
) -> None:
    patient = world.register(name="Sunita Devi")
    page = (
        world.client(Role.RECEPTIONIST)
        .get(f"/opd/appointments/new/?patient={patient.pk}")
        .content.decode()
    )
    assert 'hx-trigger="change" hx-target="#slots" hx-select="#slots"' in page


def test_a_patient_of_another_clinic_cannot_be_booked(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    stranger = other_world().register(by=Role.ADMIN, name="Other Clinic Patient")

    response = world.client(Role.RECEPTIONIST).get(f"/opd/appointments/new/?patient={stranger.pk}")

    assert response.status_code == 404


def test_a_pharmacist_cannot_book(world: ClinicWorld) -> None:
    assert world.client(Role.PHARMACIST).get("/opd/appointments/").status_code == 403
    assert world.client(Role.PHARMACIST).get("/opd/appointments/new/").status_code == 403
