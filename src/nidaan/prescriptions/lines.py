"""A drug line as the doctor writes it, completed from the formulary: generic name,
form, strength, dose, frequency, food, duration, total quantity and instructions."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from nidaan.prescriptions import formulary
from nidaan.prescriptions.formulary import FORMS, FormularyDrug
from nidaan.prescriptions.instructions import (
    DURATION_UNITS,
    FOOD,
    FrequencyError,
    Schedule,
    normalise_frequency,
)


@dataclass
class RxLine:
    generic: str
    form: str
    strength: str
    frequency: str
    dose: Decimal = Decimal(1)
    food: str = ""
    duration: int | None = None
    duration_unit: str = "days"
    brand: str = ""
    route: str = "oral"
    note: str = ""
    note_hi: str = ""
    drug_code: str = ""
    quantity: Decimal | None = None
    quantity_unit: str = ""
    instructions_en: str = ""
    instructions_hi: str = ""
    schedule: str = ""
    ndps: bool = False
    classes: list[str] = field(default_factory=list)
    strength_mg: Decimal | None = None

    @property
    def printed_name(self) -> str:
        """`TAB. PARACETAMOL 650 mg` — generic in capitals (MCI 1.5), brand after it."""
        prefix = FORMS.get(self.form, (self.form.upper(),))[0]
        name = f"{prefix} {self.generic.upper()} {self.strength}".strip()
        return f"{name} ({self.brand})" if self.brand else name

    @property
    def schedule_text(self) -> Schedule:
        return Schedule(
            dose=self.dose,
            form=self.form,
            frequency=self.frequency,
            food=self.food,
            duration=self.duration,
            duration_unit=self.duration_unit,
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("dose", "quantity", "strength_mg"):
            if data[key] is not None:
                data[key] = str(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RxLine:
        values = dict(data)
        for key in ("dose", "quantity", "strength_mg"):
            if values.get(key) is not None:
                values[key] = Decimal(values[key])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})


class LineError(ValueError):
    """A line that cannot be prescribed as written: `field` says which input."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def _decimal(value: Any, field_name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace("½", ".5").replace(",", ".")
    if text.startswith("."):
        text = "0" + text
    if "/" in text:
        top, _slash, bottom = text.partition("/")
        try:
            return Decimal(top) / Decimal(bottom)
        except (InvalidOperation, ZeroDivisionError) as exc:
            raise LineError(field_name, _("not a number")) from exc
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise LineError(field_name, _("not a number")) from exc
    if number <= 0:
        raise LineError(field_name, _("must be more than zero"))
    return number


def build_line(data: dict[str, Any], drugs: dict[str, FormularyDrug]) -> RxLine:
    """A complete line from what was typed: a formulary code (or a generic name that
    matches one) fills the form, strength, schedule and classes; instructions and the
    total quantity are worked out unless the doctor wrote their own."""
    code = str(data.get("drug_code") or "").strip().upper()
    drug = drugs.get(code) if code else None
    generic = str(data.get("generic") or "").strip()
    if drug is None and generic:
        drug = _match_generic(generic, str(data.get("strength") or ""), drugs)
    if drug is None and not generic:
        raise LineError("generic", _("write the generic name"))
    frequency_text = str(data.get("frequency") or "").strip()
    if not frequency_text:
        raise LineError("frequency", _("choose how often"))
    try:
        frequency = normalise_frequency(frequency_text)
    except FrequencyError as exc:
        raise LineError(
            "frequency", _("write it as 1-0-1, OD, BD, TDS, QID, HS, SOS or STAT")
        ) from exc
    food = str(data.get("food") or "")
    if food not in FOOD:
        raise LineError("food", _("before, after, with food or empty stomach"))
    unit = str(data.get("duration_unit") or "days")
    if unit not in DURATION_UNITS:
        raise LineError("duration_unit", _("days, weeks or months"))
    duration_value = _decimal(data.get("duration"), "duration")
    if duration_value is not None and duration_value != duration_value.to_integral_value():
        raise LineError("duration", _("a whole number"))
    duration = int(duration_value) if duration_value is not None else None
    if duration is None and frequency not in ("SOS", "STAT"):
        raise LineError("duration", _("for how long"))
    dose = _decimal(data.get("dose"), "dose") or Decimal(1)
    line = RxLine(
        generic=drug.generic if drug else generic,
        form=drug.form if drug else (str(data.get("form") or "tablet").strip().lower()),
        strength=drug.strength if drug else str(data.get("strength") or "").strip(),
        frequency=frequency,
        dose=dose,
        food=food,
        duration=duration,
        duration_unit=unit,
        brand=str(data.get("brand") or "").strip(),
        route=drug.route if drug else str(data.get("route") or "oral"),
        note=str(data.get("note") or "").strip(),
        note_hi=str(data.get("note_hi") or "").strip(),
        drug_code=drug.code if drug else "",
        schedule=drug.schedule if drug else str(data.get("schedule") or ""),
        ndps=drug.ndps if drug else False,
        classes=sorted(drug.classes) if drug else [],
        strength_mg=drug.strength_mg if drug else None,
    )
    if line.form not in FORMS:
        raise LineError("form", _("choose the form (tablet, capsule, syrup …)"))
    quantity, quantity_unit = line.schedule_text.quantity(drug.pack_ml if drug else None)
    given = _decimal(data.get("quantity"), "quantity")
    line.quantity = given if given is not None else quantity
    line.quantity_unit = (
        str(data.get("quantity_unit") or "") if given is not None else quantity_unit
    )
    if given is not None and not line.quantity_unit:
        line.quantity_unit = quantity_unit or FORMS[line.form][1]
    line.instructions_en = str(
        data.get("instructions_en") or ""
    ).strip() or line.schedule_text.english(line.note)
    line.instructions_hi = str(
        data.get("instructions_hi") or ""
    ).strip() or line.schedule_text.hindi(line.note_hi or line.note)
    return line


def _match_generic(
    generic: str, strength: str, drugs: dict[str, FormularyDrug]
) -> FormularyDrug | None:
    """A typed name that is exactly a formulary entry's label, or its generic with one
    strength only, is that entry."""
    wanted = generic.lower()
    same = [d for d in drugs.values() if d.generic.lower() == wanted or d.label.lower() == wanted]
    if strength:
        same = [d for d in same if d.strength.lower() == strength.strip().lower()] or same
    return same[0] if len(same) == 1 else None


def formulary_for(organisation_id: uuid.UUID | None) -> dict[str, FormularyDrug]:
    """The starter list and the clinic's own medicines, by code."""
    from nidaan.prescriptions.models import ClinicDrug

    drugs = dict(formulary.by_code())
    if organisation_id is not None:
        for row in ClinicDrug.objects.filter(organisation_id=organisation_id, active=True):
            drugs[row.code.upper()] = row.as_formulary()
    return drugs
