"""Free appointment slots from a doctor's working hours, breaks and bookings."""

from __future__ import annotations

import datetime

from django.utils import timezone

from nidaan.accounts.models import User
from nidaan.clinics.models import Facility
from nidaan.opd.models import Appointment, AppointmentStatus, DoctorSchedule


def all_slots(doctor: User, facility: Facility, day: datetime.date) -> list[datetime.datetime]:
    schedules = DoctorSchedule.objects.filter(
        doctor=doctor, facility=facility, weekday=day.weekday(), active=True
    )
    zone = timezone.get_current_timezone()
    slots: list[datetime.datetime] = []
    for schedule in schedules:
        step = datetime.timedelta(minutes=schedule.slot_minutes)
        at = datetime.datetime.combine(day, schedule.starts, zone)
        end = datetime.datetime.combine(day, schedule.ends, zone)
        while at + step <= end:
            in_break = (
                schedule.break_starts is not None
                and schedule.break_ends is not None
                and schedule.break_starts <= at.time() < schedule.break_ends
            )
            if not in_break:
                slots.append(at)
            at += step
    return sorted(slots)


def free_slots(*, doctor: User, facility: Facility, day: datetime.date) -> list[datetime.datetime]:
    """Slots not yet booked and not already past."""
    taken = set(
        Appointment.objects.filter(doctor=doctor, facility=facility, starts_at__date=day)
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list("starts_at", flat=True)
    )
    now = timezone.now()
    return [slot for slot in all_slots(doctor, facility, day) if slot not in taken and slot > now]
