"""The admin sets each doctor's OPD hours per weekday; appointments follow them."""

from __future__ import annotations

import datetime
from typing import Any

from nidaan.core.permissions import Role
from nidaan.opd.models import DoctorSchedule
from tests.factories import ClinicWorld


def _week(**days: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for weekday in range(7):
        values = days.get(f"day{weekday}", {})
        data.update({f"day{weekday}-{key}": value for key, value in values.items()})
        data.setdefault(f"day{weekday}-slot_minutes", "10")
    return data


MONDAY = {
    "works": "on",
    "starts": "09:00",
    "ends": "13:00",
    "break_starts": "11:00",
    "break_ends": "11:30",
    "slot_minutes": "15",
}


def test_the_admin_sets_a_doctors_hours(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    client = world.client(Role.ADMIN)

    response = client.post(
        f"/opd/schedule/?doctor={doctor.pk}",
        _week(day0=MONDAY, day2={"works": "on", "starts": "17", "ends": "20:00"}),
        follow=True,
    )

    assert "OPD hours of Doctor of Shanti Clinic saved." in response.content.decode()
    monday = DoctorSchedule.objects.get(weekday=0)
    assert (monday.starts, monday.ends, monday.break_starts, monday.break_ends) == (
        datetime.time(9),
        datetime.time(13),
        datetime.time(11),
        datetime.time(11, 30),
    )
    assert monday.slot_minutes == 15
    wednesday = DoctorSchedule.objects.get(weekday=2)
    assert (wednesday.starts, wednesday.ends, wednesday.slot_minutes) == (
        datetime.time(17),
        datetime.time(20),
        10,
    )
    assert DoctorSchedule.objects.count() == 2
    page = response.content.decode()
    assert 'value="09:00"' in page
    assert 'value="17:00"' in page


def test_a_day_switched_off_stops_offering_appointments(world: ClinicWorld) -> None:
    client = world.client(Role.ADMIN)
    client.post("/opd/schedule/", _week(day0=MONDAY))

    client.post("/opd/schedule/", _week(day0={**MONDAY, "works": ""}))

    monday = DoctorSchedule.objects.get(weekday=0)
    assert not monday.active
    assert monday.starts == datetime.time(9)  # kept, for when the day is switched on again


def test_impossible_hours_are_refused_with_what_to_fix(world: ClinicWorld) -> None:
    response = world.client(Role.ADMIN).post(
        "/opd/schedule/",
        _week(
            day0={**MONDAY, "ends": "08:00"},
            day1={**MONDAY, "break_starts": "14:00", "break_ends": "15:00"},
            day2={**MONDAY, "break_ends": ""},
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The OPD must end after it starts." in page
    assert "The break must be within the OPD hours." in page
    assert "Enter both ends of the break, or neither." in page
    assert not DoctorSchedule.objects.exists()


def test_only_the_admin_sets_hours(world: ClinicWorld) -> None:
    for role in (Role.RECEPTIONIST, Role.DOCTOR):
        client = world.client(role)
        assert client.get("/opd/schedule/").status_code == 403
        assert client.post("/opd/schedule/", _week(day0=MONDAY)).status_code == 403
    assert not DoctorSchedule.objects.exists()
