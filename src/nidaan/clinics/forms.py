"""First-run set-up and staff forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nidaan.accounts.models import Language, User
from nidaan.clinics.gstin import normalise_gstin
from nidaan.clinics.models import TemperatureUnit
from nidaan.clinics.states import State
from nidaan.core.permissions import Role
from nidaan.patients.identifiers import validate_pin


class ClinicForm(forms.Form):
    clinic_name = forms.CharField(label=_("Clinic name (English)"), max_length=200)
    clinic_name_hi = forms.CharField(label=_("Clinic name (Hindi)"), max_length=200, required=False)
    address_line = forms.CharField(label=_("Address"), max_length=300)
    city = forms.CharField(label=_("Town or city"), max_length=100)
    district = forms.CharField(label=_("District"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("State"), choices=State.choices, initial=State.UTTAR_PRADESH)
    pin = forms.CharField(label=_("PIN code"), max_length=6, validators=[validate_pin])
    phone = forms.CharField(label=_("Phone"), max_length=20)
    timings = forms.CharField(label=_("OPD timings"), max_length=200, required=False)
    gstin = forms.CharField(label=_("GSTIN (if registered)"), max_length=20, required=False)
    temperature_unit = forms.ChoiceField(
        label=_("Temperature unit"),
        choices=TemperatureUnit.choices,
        initial=TemperatureUnit.FAHRENHEIT,
    )

    def clean_gstin(self) -> str:
        value = self.cleaned_data["gstin"].strip()
        return normalise_gstin(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        gstin, state = data.get("gstin"), data.get("state")
        if gstin and state and gstin[:2] != state:
            self.add_error(
                "gstin",
                ValidationError(
                    _("This GSTIN is registered in another state than the clinic's address."),
                    code="state_mismatch",
                ),
            )
        return data


class StaffForm(forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$")
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    full_name_hi = forms.CharField(label=_("Name in Hindi"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    qualification = forms.CharField(
        label=_("Qualification"),
        max_length=200,
        required=False,
        help_text=_("For doctors, e.g. MBBS, MD (Medicine)"),
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=50, required=False
    )
    council = forms.CharField(
        label=_("Medical council"),
        max_length=200,
        required=False,
        help_text=_("e.g. Uttar Pradesh Medical Council"),
    )

    def clean_username(self) -> str:
        value: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=value).exists():
            raise ValidationError(_("This username is taken."), code="taken")
        return value

    def clean_password(self) -> str:
        value: str = self.cleaned_data["password"]
        validate_password(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.DOCTOR:
            # MCI regulations 1.4.1: the registration number appears on every prescription.
            for field in ("qualification", "registration_number", "council"):
                if not data.get(field):
                    self.add_error(
                        field, ValidationError(_("Required for a doctor."), code="required")
                    )
        return data


class SetupAdminForm(StaffForm):
    """The first admin, made on the set-up page."""

    role = forms.ChoiceField(
        choices=[(Role.ADMIN, Role.ADMIN.label)], initial=Role.ADMIN, widget=forms.HiddenInput
    )
