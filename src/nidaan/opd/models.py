"""The OPD day: token queue, doctors' working hours and appointments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Facility, Organisation
from nidaan.core.synced import MergePolicy, SyncedModel
from nidaan.patients.models import Patient


class QueueStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    IN_CONSULTATION = "in_consultation", _("With the doctor")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Did not come")
    LEFT = "left", _("Left")


class Priority(models.TextChoices):
    NONE = "", _("Normal")
    EMERGENCY = "emergency", _("Emergency")
    ELDERLY = "elderly", _("Elderly")
    PREGNANT = "pregnant", _("Pregnant")


# Emergency first; elderly and pregnant patients ahead of the rest; then by token.
PRIORITY_ORDER: dict[str, int] = {
    Priority.EMERGENCY: 0,
    Priority.ELDERLY: 1,
    Priority.PREGNANT: 1,
    Priority.NONE: 2,
}


class QueueSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    APPOINTMENT = "appointment", _("Appointment")
    SCAN_AND_SHARE = "scan_share", _("ABDM Scan & Share")


class QueueEntry(SyncedModel):
    """A token: one patient waiting for one doctor on one day."""

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    token = models.PositiveIntegerField(_("token"))
    # The issuing node's letter (core NodeState.series): two reception PCs working offline
    # give A7 and B7, never two 7s. Empty on a clinic with one PC.
    series = models.CharField(max_length=2, blank=True, default="")
    status = models.CharField(
        max_length=20, choices=QueueStatus.choices, default=QueueStatus.WAITING
    )
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.NONE, blank=True
    )
    source = models.CharField(
        max_length=12, choices=QueueSource.choices, default=QueueSource.WALK_IN
    )
    appointment_id = models.UUIDField(null=True, blank=True)
    encounter_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "queue entries"
        constraints = [
            # One node never issues a token twice, and each node has its own series.
            models.UniqueConstraint(
                fields=["facility", "doctor", "day", "series", "token"], name="queue_token_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "day", "doctor", "status"], name="queue_day_idx")
        ]

    def __str__(self) -> str:
        return f"token {self.label} ({self.day})"

    @property
    def label(self) -> str:
        """The token as called out and printed: 7, or A7 when the clinic has several PCs."""
        return f"{self.series}{self.token}"

    @property
    def is_open(self) -> bool:
        return self.status in (QueueStatus.WAITING, QueueStatus.CALLED, QueueStatus.IN_CONSULTATION)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DoctorSchedule(SyncedModel):
    """A doctor's OPD hours on one weekday at one branch, with an optional break."""

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"))
    break_starts = models.TimeField(_("break from"), null=True, blank=True)
    break_ends = models.TimeField(_("break to"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per patient"), default=10)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.doctor_id} {self.get_weekday_display()} {self.starts}-{self.ends}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


class Appointment(SyncedModel):
    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("time"))
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set when the appointment is the follow-up a doctor booked in a consultation.
    follow_up_of = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["facility", "doctor", "starts_at"], name="appointment_day_idx")
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} at {self.starts_at}"
