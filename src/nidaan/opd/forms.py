"""Forms of the OPD pages: giving a token, booking a slot, a doctor's weekly hours."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from nidaan.accounts.models import User
from nidaan.core.permissions import Role
from nidaan.opd.models import Priority

# Typed day first, as Indian clinics write dates (see patients.forms); ISO for links.
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H"]


def doctors_of(organisation_id: Any) -> QuerySet[User]:
    """The clinic's active doctors, the only staff who have a queue and appointments."""
    doctors: QuerySet[User] = User.objects.filter(
        organisation_id=organisation_id, role=Role.DOCTOR, is_active=True
    ).order_by("full_name", "username")
    return doctors


def staff_name(user: User) -> str:
    """A member of staff's name in the page's language (the Hindi spelling when known)."""
    if translation.get_language() == "hi" and user.full_name_hi:
        return user.full_name_hi
    return user.get_full_name()


def parse_day(value: str | None) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime((value or "").strip(), fmt).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    return None


class DoctorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: User) -> str:
        return staff_name(obj)


class _DoctorForm(forms.Form):
    doctor = DoctorChoiceField(label=_("Doctor"), queryset=User.objects.none())

    def __init__(self, *args: Any, organisation_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        doctors = doctors_of(organisation_id)
        field = cast(DoctorChoiceField, self.fields["doctor"])
        field.queryset = doctors
        # With one doctor there is nothing to choose.
        if len(doctors) == 1:
            field.initial = doctors[0].pk
            field.empty_label = None

    @property
    def doctor_chosen(self) -> bool:
        return bool(self["doctor"].value())


class TokenForm(_DoctorForm):
    # A clinic has a few doctors: one arrow key each, not a drop-down.
    doctor = DoctorChoiceField(
        label=_("Doctor"), queryset=User.objects.none(), widget=forms.RadioSelect
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        required=False,
        initial=Priority.NONE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The keyboard starts where the choice is: the doctor, or else the button.
        if not self.doctor_chosen:
            self.fields["doctor"].widget.attrs["autofocus"] = True


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, required=False)


class SlotField(forms.ChoiceField):
    """A free slot, sent as an ISO date-time and returned as an aware datetime."""

    def clean(self, value: Any) -> datetime.datetime:
        chosen = super().clean(value)
        moment = datetime.datetime.fromisoformat(chosen)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class SlotQueryForm(_DoctorForm):
    """Which doctor, which day: the free times follow from these."""

    day = forms.DateField(
        label=_("Day"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d-%m-%Y", attrs={"placeholder": "DD-MM-YYYY", "inputmode": "numeric"}
        ),
    )

    def clean_day(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise ValidationError(_("Choose today or a later day."), code="past")
        return day


class BookingForm(SlotQueryForm):
    """The doctor and day chosen above, carried along, and one of their free times."""

    slot = SlotField(
        label=_("Time"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a free time."),
            "invalid_choice": _("That time is no longer free: choose another."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, slots: list[datetime.datetime], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].widget = forms.HiddenInput()
        self.fields["day"].widget = forms.HiddenInput()
        field = cast(SlotField, self.fields["slot"])
        field.choices = [
            (slot.isoformat(), timezone.localtime(slot).strftime("%H:%M")) for slot in slots
        ]


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(
        format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric", "size": 5}
    )


class ScheduleDayForm(forms.Form):
    """A doctor's OPD hours on one weekday: from, to, an optional break, minutes each."""

    works = forms.BooleanField(label=_("OPD on this day"), required=False)
    starts = forms.TimeField(
        label=_("From"), required=False, input_formats=TIME_FORMATS, widget=_time_input()
    )
    ends = forms.TimeField(
        label=_("To"), required=False, input_formats=TIME_FORMATS, widget=_time_input()
    )
    break_starts = forms.TimeField(
        label=_("Break from"), required=False, input_formats=TIME_FORMATS, widget=_time_input()
    )
    break_ends = forms.TimeField(
        label=_("Break to"), required=False, input_formats=TIME_FORMATS, widget=_time_input()
    )
    slot_minutes = forms.IntegerField(
        label=_("Minutes per patient"),
        min_value=2,
        max_value=120,
        required=False,
        widget=forms.NumberInput(attrs={"size": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("works"):
            return data
        starts, ends = data.get("starts"), data.get("ends")
        if starts is None:
            self.add_error("starts", _("Enter the time the OPD starts."))
        if ends is None:
            self.add_error("ends", _("Enter the time the OPD ends."))
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The OPD must end after it starts."))
        if not data.get("slot_minutes"):
            self.add_error("slot_minutes", _("Enter the minutes per patient."))
        break_starts, break_ends = data.get("break_starts"), data.get("break_ends")
        if (break_starts is None) != (break_ends is None):
            self.add_error("break_ends", _("Enter both ends of the break, or neither."))
        elif break_starts and break_ends:
            if break_ends <= break_starts:
                self.add_error("break_ends", _("The break must end after it starts."))
            elif starts and ends and not (starts <= break_starts and break_ends <= ends):
                self.add_error("break_starts", _("The break must be within the OPD hours."))
        return data

    def schedule_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts": data["starts"],
            "ends": data["ends"],
            "break_starts": data["break_starts"],
            "break_ends": data["break_ends"],
            "slot_minutes": data["slot_minutes"],
            "active": True,
        }
