"""The day's appointments: a booked patient who arrives gets a token; cancel, no-show."""

from __future__ import annotations

import datetime

from django.utils import timezone

from nidaan.core import changelog
from nidaan.core.permissions import Role
from nidaan.opd.models import Appointment, AppointmentStatus, QueueEntry, QueueSource
from tests.factories import ClinicWorld


def _booked(world: ClinicWorld, name: str, at: datetime.datetime) -> Appointment:
    # Made directly: which of today's slots are still free depends on the hour the test runs.
    appointment = Appointment(
        organisation=world.organisation,
        facility=world.facility,
        doctor=world.user(Role.DOCTOR),
        patient=world.register(name=name),
        starts_at=at,
    )
    changelog.insert(appointment, acting_user=world.user(Role.RECEPTIONIST))
    return appointment


def test_the_days_list_shows_each_doctors_appointments(world: ClinicWorld) -> None:
    _booked(world, "Sunita Devi", timezone.now())
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    _booked(world, "Tomorrow Patient", tomorrow)
    client = world.client(Role.RECEPTIONIST)

    page = client.get("/opd/appointments/").content.decode()
    assert "Sunita Devi" in page
    assert "Tomorrow Patient" not in page
    assert "1 appointment" in page

    later = client.get(f"/opd/appointments/?day={tomorrow:%Y-%m-%d}").content.decode()
    assert "Tomorrow Patient" in later
    assert "Arrived: give token" not in later  # check-in is only on the day


def test_a_booked_patient_who_arrives_gets_a_token(world: ClinicWorld) -> None:
    appointment = _booked(world, "Sunita Devi", timezone.now())
    client = world.client(Role.RECEPTIONIST)

    response = client.post(f"/opd/appointments/{appointment.pk}/check-in/", follow=True)

    entry = QueueEntry.objects.get()
    assert (entry.patient, entry.source, entry.appointment_id, entry.token) == (
        appointment.patient,
        QueueSource.APPOINTMENT,
        appointment.pk,
        1,
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ARRIVED
    page = response.content.decode()
    assert 'Checked in, token: <strong class="token-big mono">1</strong>' in page
    assert "Arrived" in page


def test_checking_in_twice_is_refused_with_a_message(world: ClinicWorld) -> None:
    appointment = _booked(world, "Sunita Devi", timezone.now())
    client = world.client(Role.RECEPTIONIST)
    client.post(f"/opd/appointments/{appointment.pk}/check-in/")

    response = client.post(f"/opd/appointments/{appointment.pk}/check-in/", follow=True)

    assert "This appointment is already “Arrived”." in response.content.decode()
    assert QueueEntry.objects.count() == 1


def test_an_appointment_for_another_day_cannot_be_checked_in(world: ClinicWorld) -> None:
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    appointment = _booked(world, "Sunita Devi", tomorrow)

    response = world.client(Role.RECEPTIONIST).post(
        f"/opd/appointments/{appointment.pk}/check-in/", follow=True
    )

    day = timezone.localtime(tomorrow).date()
    assert (
        f"This appointment is for {day:%d-%m-%Y}: check the patient in on that day."
        in response.content.decode()
    )
    assert not QueueEntry.objects.exists()


def test_reception_cancels_and_marks_no_show(world: ClinicWorld) -> None:
    cancelled = _booked(world, "Sunita Devi", timezone.now())
    missed = _booked(world, "Ramesh Kumar", timezone.now())
    client = world.client(Role.RECEPTIONIST)

    response = client.post(
        f"/opd/appointments/{cancelled.pk}/status/", {"status": "cancelled"}, follow=True
    )
    assert "Appointment of Sunita Devi marked “Cancelled”." in response.content.decode()
    client.post(f"/opd/appointments/{missed.pk}/status/", {"status": "no_show"})

    cancelled.refresh_from_db()
    missed.refresh_from_db()
    assert cancelled.status == AppointmentStatus.CANCELLED
    assert missed.status == AppointmentStatus.NO_SHOW

    again = client.post(
        f"/opd/appointments/{cancelled.pk}/status/", {"status": "no_show"}, follow=True
    )
    assert "This appointment is already “Cancelled”." in again.content.decode()


def test_a_nurse_can_check_in_but_billing_cannot(world: ClinicWorld) -> None:
    appointment = _booked(world, "Sunita Devi", timezone.now())

    assert (
        world.client(Role.BILLING).post(f"/opd/appointments/{appointment.pk}/check-in/").status_code
        == 403
    )
    assert (
        world.client(Role.NURSE).post(f"/opd/appointments/{appointment.pk}/check-in/").status_code
        == 302
    )
