"""The patient form: the one validator behind the registration page and the JSON API."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.states import State
from nidaan.patients import identifiers, names
from nidaan.patients.models import Patient, Relation, Sex

MAX_AGE_YEARS = 120


def birth_date_from_age(age: int, today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - age)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year - age, day=28)


class PatientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    age = forms.IntegerField(
        label=_("Age (years)"), required=False, min_value=0, max_value=MAX_AGE_YEARS
    )
    # Typed day first (DD-MM-YYYY), as Indian clinics write dates; a browser date picker
    # would follow the PC's locale and show month-first on US-English Windows.
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d-%m-%Y", attrs={"placeholder": "DD-MM-YYYY", "inputmode": "numeric"}
        ),
    )
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    guardian_relation = forms.ChoiceField(
        label=_("Relation"), choices=[("", "—"), *Relation.choices], required=False
    )
    guardian_name = forms.CharField(
        label=_("Father's / husband's name"), max_length=200, required=False
    )
    address_line = forms.CharField(label=_("House, street"), max_length=300, required=False)
    locality = forms.CharField(label=_("Village / locality"), max_length=150, required=False)
    district = forms.CharField(label=_("District"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", "—"), *State.choices], required=False)
    pin = forms.CharField(label=_("PIN code"), max_length=6, required=False)
    abha_number = forms.CharField(label=_("ABHA number"), max_length=20, required=False)
    abha_address = forms.CharField(label=_("ABHA address"), max_length=100, required=False)

    def clean_name(self) -> str:
        value: str = names.clean(self.cleaned_data["name"])
        if not names.search_words(value):
            raise ValidationError(_("Enter the patient's name."), code="required")
        return value

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"].strip()
        return identifiers.normalise_mobile(value) if value else ""

    def clean_pin(self) -> str:
        value: str = self.cleaned_data["pin"].strip()
        if value:
            identifiers.validate_pin(value)
        return value

    def clean_abha_number(self) -> str:
        value = self.cleaned_data["abha_number"].strip()
        return identifiers.normalise_abha_number(value) if value else ""

    def clean_abha_address(self) -> str:
        value = self.cleaned_data["abha_address"].strip()
        return identifiers.normalise_abha_address(value) if value else ""

    def clean_date_of_birth(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data["date_of_birth"]
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("Date of birth cannot be in the future."), code="future")
        if value is not None and timezone.localdate().year - value.year > MAX_AGE_YEARS:
            raise ValidationError(_("Date of birth is too far in the past."), code="too_old")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("date_of_birth") is None
            and data.get("age") is None
            and "date_of_birth" not in self.errors
            and "age" not in self.errors
        ):
            self.add_error(
                "age",
                ValidationError(_("Enter the age in years or the date of birth."), code="required"),
            )
        return data

    def demographics(self) -> dict[str, Any]:
        """Cleaned values as Patient field values (age becomes an estimated birth date)."""
        data = dict(self.cleaned_data)
        age = data.pop("age")
        if data["date_of_birth"] is None:
            data["date_of_birth"] = birth_date_from_age(age, timezone.localdate())
            data["date_of_birth_estimated"] = True
        else:
            data["date_of_birth_estimated"] = False
        return data


def form_data_of(patient: Patient) -> dict[str, Any]:
    """A patient's stored values in the form's terms, for edits and partial API updates."""
    data: dict[str, Any] = {
        name: getattr(patient, name) for name in PatientForm.base_fields if name != "age"
    }
    if patient.date_of_birth_estimated:
        data["date_of_birth"] = None
        data["age"] = patient.age
    else:
        data["age"] = None
    return data


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Keep this record"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why are these the same patient?"), max_length=300, widget=forms.Textarea
    )

    def __init__(self, *args: Any, choices: tuple[Patient, Patient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [(str(p.pk), f"{p.name} ({p.uhid})") for p in choices]
        field.initial = str(choices[0].pk)


class UnmergeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are these different patients?"), max_length=300, widget=forms.Textarea
    )
