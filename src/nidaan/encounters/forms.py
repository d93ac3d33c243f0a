"""Forms of the consultation screen, shared with the JSON API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import TemperatureUnit
from nidaan.encounters import icd10, vitals
from nidaan.encounters.models import (
    AllergyCategory,
    Certainty,
    ConsultationNote,
    DurationUnit,
    Severity,
    SugarTest,
)


class VitalsForm(forms.Form):
    """Vital signs as typed; temperature in the clinic's unit, stored in °C."""

    bp_systolic = forms.IntegerField(label=_("BP systolic"), required=False)
    bp_diastolic = forms.IntegerField(label=_("BP diastolic"), required=False)
    pulse = forms.IntegerField(label=_("Pulse (/min)"), required=False)
    # max_digits: a typo such as 1e30 is refused here, before the °F→°C arithmetic (found
    # by tests/security/test_api_survives_schemathesis.py: it raised InvalidOperation).
    temperature = forms.DecimalField(
        label=_("Temperature"), required=False, decimal_places=1, max_digits=8
    )
    spo2 = forms.IntegerField(label=_("SpO₂ (%)"), required=False)
    respiratory_rate = forms.IntegerField(label=_("Respiratory rate (/min)"), required=False)
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), required=False, decimal_places=2)
    height_cm = forms.DecimalField(label=_("Height (cm)"), required=False, decimal_places=1)
    blood_sugar = forms.IntegerField(label=_("Blood sugar (mg/dL)"), required=False)
    blood_sugar_test = forms.ChoiceField(
        label=_("Sugar test"), required=False, choices=[("", "—"), *SugarTest.choices]
    )
    head_circumference_cm = forms.DecimalField(
        label=_("Head circumference (cm)"), required=False, decimal_places=1
    )

    def __init__(
        self, *args: Any, temperature_unit: str = TemperatureUnit.FAHRENHEIT, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.temperature_unit = temperature_unit
        # Short, like the other vital labels, so it fits its box: "Temp (°F)".
        self.fields["temperature"].label = _("Temp (%(unit)s)") % {
            "unit": TemperatureUnit(temperature_unit).label
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = self.values_from(data)
        for field, value in values.items():
            if value is None or field not in vitals.LIMITS:
                continue
            limits = vitals.out_of_plausible_range(field, Decimal(value))
            if limits is None:
                continue
            low, high = limits
            form_field = "temperature" if field == "temperature_c" else field
            if field == "temperature_c" and self.temperature_unit == TemperatureUnit.FAHRENHEIT:
                low, high = vitals.celsius_to_fahrenheit(low), vitals.celsius_to_fahrenheit(high)
            self.add_error(
                form_field,
                ValidationError(
                    _(
                        "%(value)s is not possible for %(what)s: check for a typing mistake "
                        "(expected %(low)s–%(high)s)."
                    )
                    % {
                        "value": data.get(form_field),
                        "what": vitals.LABELS[field],
                        "low": format(low.normalize(), "f"),
                        "high": format(high.normalize(), "f"),
                    },
                    code="implausible",
                ),
            )
        systolic, diastolic = values.get("bp_systolic"), values.get("bp_diastolic")
        if (systolic is None) != (diastolic is None):
            self.add_error(
                "bp_diastolic" if diastolic is None else "bp_systolic",
                ValidationError(_("Enter both BP numbers."), code="bp_pair"),
            )
        elif systolic is not None and diastolic is not None and diastolic >= systolic:
            self.add_error(
                "bp_diastolic",
                ValidationError(_("Diastolic BP must be lower than systolic."), code="bp_order"),
            )
        if values.get("blood_sugar") is not None and not data.get("blood_sugar_test"):
            self.add_error(
                "blood_sugar_test",
                ValidationError(
                    _("Say whether the sugar was fasting, random or after a meal."), code="required"
                ),
            )
        if not self.errors and not any(value not in (None, "") for value in values.values()):
            raise ValidationError(_("Enter at least one measurement."), code="empty")
        return data

    def values_from(self, data: dict[str, Any]) -> dict[str, Any]:
        values = {
            name: data.get(name)
            for name in (
                "bp_systolic",
                "bp_diastolic",
                "pulse",
                "spo2",
                "respiratory_rate",
                "weight_kg",
                "height_cm",
                "blood_sugar",
                "head_circumference_cm",
            )
        }
        values["blood_sugar_test"] = data.get("blood_sugar_test") or ""
        temperature = data.get("temperature")
        if temperature is not None and self.temperature_unit == TemperatureUnit.FAHRENHEIT:
            temperature = vitals.fahrenheit_to_celsius(temperature)
        values["temperature_c"] = temperature
        return values

    def vital_values(self) -> dict[str, Any]:
        """Cleaned values as VitalSigns fields (temperature in °C)."""
        return self.values_from(self.cleaned_data)


class DiagnosisForm(forms.Form):
    icd10_code = forms.CharField(label=_("ICD-10 code"), max_length=8, required=False)
    text = forms.CharField(label=_("Diagnosis"), max_length=300, required=False)
    certainty = forms.ChoiceField(
        label=_("Certainty"), choices=Certainty.choices, initial=Certainty.PROVISIONAL
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("icd10_code") or "").strip()
        if code:
            if not icd10.is_valid(code):
                self.add_error(
                    "icd10_code",
                    ValidationError(
                        _("%(code)s is not a WHO ICD-10 code.") % {"code": code}, code="unknown"
                    ),
                )
            else:
                data["icd10_code"] = icd10.display_code(code)
                data["text"] = data.get("text") or icd10.title(code)
        elif not data.get("text"):
            self.add_error(
                "text",
                ValidationError(
                    _("Choose an ICD-10 code or write the diagnosis."), code="required"
                ),
            )
        return data


class AllergyForm(forms.Form):
    category = forms.ChoiceField(label=_("Type"), choices=AllergyCategory.choices)
    substance = forms.CharField(label=_("Allergic to"), max_length=200)
    reaction = forms.CharField(label=_("Reaction"), max_length=300, required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.MODERATE
    )


class ConsultationForm(forms.Form):
    complaints_text = forms.CharField(
        label=_("Complaints"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, with how long: fever 3 days"),
    )
    history_illness = forms.CharField(
        label=_("Past illness"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    history_surgical = forms.CharField(
        label=_("Surgery"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    history_family = forms.CharField(
        label=_("Family history"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    history_personal = forms.CharField(
        label=_("Personal habits"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    examination = forms.CharField(
        label=_("Examination"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    advice = forms.CharField(
        label=_("Advice"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_date = forms.DateField(
        label=_("Follow-up date"),
        required=False,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"placeholder": "DD-MM-YYYY"}),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)
    based_on = forms.UUIDField(widget=forms.HiddenInput)

    def note_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "complaints": parse_complaints(data["complaints_text"]),
            **{
                name: data[name]
                for name in ConsultationNote.content_fields
                if name not in ("complaints", "complete")
            },
        }


_DURATION = {
    "d": DurationUnit.DAYS,
    "day": DurationUnit.DAYS,
    "days": DurationUnit.DAYS,
    "din": DurationUnit.DAYS,
    "दिन": DurationUnit.DAYS,
    "w": DurationUnit.WEEKS,
    "wk": DurationUnit.WEEKS,
    "week": DurationUnit.WEEKS,
    "weeks": DurationUnit.WEEKS,
    "hafte": DurationUnit.WEEKS,
    "हफ़्ते": DurationUnit.WEEKS,
    "हफ्ते": DurationUnit.WEEKS,
    "m": DurationUnit.MONTHS,
    "month": DurationUnit.MONTHS,
    "months": DurationUnit.MONTHS,
    "mahine": DurationUnit.MONTHS,
    "महीने": DurationUnit.MONTHS,
    "y": DurationUnit.YEARS,
    "year": DurationUnit.YEARS,
    "years": DurationUnit.YEARS,
    "saal": DurationUnit.YEARS,
    "साल": DurationUnit.YEARS,
}


def parse_complaints(text: str) -> list[dict[str, Any]]:
    """ "fever 3 days\\ncough × 1 week" → [{"text": "fever", "duration": 3, "unit": "days"}, …]"""
    import re

    complaints = []
    for line in text.splitlines():
        line = line.strip(" -•,")
        if not line:
            continue
        match = re.match(r"^(.*?)[\s×x]+(?:for\s+|since\s+)?(\d+)\s*([^\d\s]+)\s*(?:से)?$", line)
        unit = _DURATION.get(match.group(3).lower()) if match else None
        if match and unit:
            complaints.append(
                {
                    "text": match.group(1).strip(" ×x-"),
                    "duration": int(match.group(2)),
                    "unit": str(unit),
                }
            )
        else:
            complaints.append({"text": line, "duration": None, "unit": ""})
    return complaints


def complaints_as_text(complaints: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{c['text']} {c['duration']} {c['unit']}" if c.get("duration") else c["text"]
        for c in complaints
    )
