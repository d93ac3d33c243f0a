"""The prescription form of the consultation screen (and of the API: same checks,
same messages). Drug lines are rows `line-<n>-<field>`; the rest is a Django form."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nidaan.prescriptions.actions import RxDraft
from nidaan.prescriptions.formulary import FORMS, FormularyDrug
from nidaan.prescriptions.models import PrintLanguage

LINE_FIELDS = (
    "drug",
    "dose",
    "frequency",
    "food",
    "duration",
    "duration_unit",
    "note",
    "quantity",
    "instructions_en",
    "instructions_hi",
    "auto_en",
    "auto_hi",
)
MIN_ROWS = 4
_CODE_IN_LABEL = re.compile(r"\[([A-Z0-9]{2,20})\]\s*$")


def drug_option(drug: FormularyDrug) -> str:
    """How a formulary entry reads in the drug box: `Paracetamol 650 mg tablet [PCM650]`."""
    return f"{drug.generic} {drug.strength} {drug.form} [{drug.code}]"


class PrescriptionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the consultation note on the same page has `advice` and a
        # follow-up date too.
        kwargs.setdefault("auto_id", "rx_%s")
        super().__init__(*args, **kwargs)

    investigations = forms.CharField(
        label=_("Investigations advised"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    advice = forms.CharField(
        label=_("Advice"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    diet = forms.CharField(
        label=_("Diet"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 1})
    )
    follow_up_date = forms.DateField(
        label=_("Follow-up date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.ChoiceField(
        label=_("Print in"), choices=PrintLanguage.choices, initial=PrintLanguage.BOTH
    )
    teleconsultation = forms.BooleanField(label=_("Teleconsultation"), required=False)
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal(300),
        decimal_places=2,
    )


def rows_from_post(data: Any) -> list[dict[str, str]]:
    """The drug rows of a posted form, in order, as typed."""
    count = 0
    for key in data:
        match = re.match(r"^line-(\d+)-", key)
        if match:
            count = max(count, int(match.group(1)) + 1)
    return [
        {name: str(data.get(f"line-{i}-{name}", "")).strip() for name in LINE_FIELDS}
        for i in range(count)
    ]


def line_input(row: dict[str, str]) -> dict[str, Any]:
    """A typed row → what `lines.build_line` takes (instructions only when edited)."""
    drug = row.get("drug", "")
    match = _CODE_IN_LABEL.search(drug)
    data: dict[str, Any] = {
        "drug_code": match.group(1) if match else "",
        "generic": "" if match else drug,
        "dose": row.get("dose", ""),
        "frequency": row.get("frequency", ""),
        "food": row.get("food", ""),
        "duration": row.get("duration", ""),
        "duration_unit": row.get("duration_unit") or "days",
        "note": row.get("note", ""),
        "quantity": row.get("quantity", ""),
    }
    for lang in ("en", "hi"):
        text = row.get(f"instructions_{lang}", "")
        if text and text != row.get(f"auto_{lang}", ""):
            data[f"instructions_{lang}"] = text
    return data


def is_blank(row: dict[str, str]) -> bool:
    return not any(row.get(name) for name in ("drug", "frequency", "duration", "quantity"))


def draft_from(
    form: PrescriptionForm, rows: list[dict[str, str]], overrides: dict[str, str]
) -> RxDraft:
    data = form.cleaned_data
    return RxDraft(
        lines=[line_input(row) for row in rows if not is_blank(row)],
        investigations=data["investigations"],
        advice=data["advice"],
        diet=data["diet"],
        follow_up_date=data["follow_up_date"],
        language=data["language"],
        teleconsultation=data["teleconsultation"],
        weight_kg=data["weight_kg"],
        overrides=overrides,
    )


def overrides_from_post(data: Any) -> dict[str, str]:
    return {
        key.removeprefix("override-"): str(value).strip()
        for key, value in data.items()
        if key.startswith("override-") and str(value).strip()
    }


class ClinicDrugForm(forms.Form):
    """A medicine the clinic adds to its own formulary."""

    generic = forms.CharField(label=_("Generic name"), max_length=200)
    brand = forms.CharField(label=_("Brand (optional)"), max_length=200, required=False)
    form = forms.ChoiceField(label=_("Form"), choices=[(f, f) for f in FORMS])
    strength = forms.CharField(
        label=_("Strength"), max_length=60, help_text=_("e.g. 500 mg, 125 mg/5 ml")
    )
    strength_mg = forms.DecimalField(
        label=_("mg per tablet (or per 5 ml)"),
        required=False,
        min_value=Decimal("0.001"),
        max_digits=9,
        decimal_places=3,
    )
    classes = forms.CharField(
        label=_("Drug classes"),
        max_length=200,
        required=False,
        help_text=_("comma-separated, e.g. penicillin, beta-lactam (used by the allergy check)"),
    )
    schedule = forms.ChoiceField(
        label=_("Schedule"),
        choices=[("OTC", "OTC"), ("H", "H"), ("H1", "H1"), ("X", "X")],
        initial="H",
    )
    ndps = forms.BooleanField(label=_("NDPS Act drug"), required=False)
    telemedicine = forms.ChoiceField(
        label=_("Telemedicine list"),
        choices=[("O", "O"), ("A", "A"), ("B", "B"), ("prohibited", _("prohibited"))],
        initial="A",
    )
    max_dose_mg = forms.DecimalField(
        label=_("Largest single dose (mg)"),
        required=False,
        min_value=Decimal("0.001"),
        max_digits=9,
        decimal_places=3,
    )
    max_daily_mg = forms.DecimalField(
        label=_("Largest daily dose (mg)"),
        required=False,
        min_value=Decimal("0.001"),
        max_digits=9,
        decimal_places=3,
    )
