"""Saving the consultation can book the follow-up in the doctor's first free slot."""

from __future__ import annotations

import datetime

from django.utils import timezone

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import ConsultationNote, Encounter
from nidaan.opd import actions as opd_actions
from nidaan.opd.models import Appointment
from tests.factories import ClinicWorld


def _visit(world: ClinicWorld) -> Encounter:
    patient = world.register(name="Ramesh Kumar")
    return actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )


def _save(world: ClinicWorld, visit: Encounter, day: datetime.date) -> list[str]:
    note = ConsultationNote.objects.filter(encounter=visit).current().get()
    response = world.client(Role.DOCTOR).post(
        f"/visits/{visit.pk}/note/",
        {
            "based_on": str(note.pk),
            "advice": "review with reports",
            "follow_up_date": day.strftime("%d-%m-%Y"),
            "book_follow_up": "1",
            "complete": "1",
        },
        follow=True,
    )
    return [str(m) for m in response.context["messages"]]


def test_the_follow_up_is_booked_in_the_first_free_slot(world: ClinicWorld) -> None:
    visit = _visit(world)
    day = timezone.localdate() + datetime.timedelta(days=7)
    opd_actions.save_schedule(
        acting_user=world.user(Role.ADMIN),
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
        weekday=day.weekday(),
        values={"starts": datetime.time(10, 0), "ends": datetime.time(13, 0), "slot_minutes": 15},
    )

    messages = _save(world, visit, day)

    appointment = Appointment.objects.get()
    assert timezone.localtime(appointment.starts_at).time() == datetime.time(10, 0)
    assert appointment.follow_up_of == visit.pk
    assert f"Follow-up booked for {day:%d-%m-%Y} 10:00." in messages


def test_without_working_hours_nothing_is_booked_and_the_doctor_is_told(
    world: ClinicWorld,
) -> None:
    visit = _visit(world)
    day = timezone.localdate() + datetime.timedelta(days=7)

    messages = _save(world, visit, day)

    assert not Appointment.objects.exists()
    assert "Consultation completed." in messages
    assert any("has no working hours on" in m for m in messages)
