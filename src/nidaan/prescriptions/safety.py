"""Checks run before a prescription is issued. Each finding is a warning the doctor
either fixes or overrides with a reason; an override is stored with the prescription
and audited. None of them refuses outright: the doctor decides.

* allergy — a recorded drug allergy names the drug, or a class it belongs to
  (penicillin allergy vs amoxicillin);
* duplicate — the same generic twice, or two drugs of the same therapeutic class;
* max dose — a single or daily dose above the formulary's adult maximum, or, for a
  child with a recorded weight, a single dose above 1.25 × the usual mg/kg dose;
* teleconsultation — Schedule X or NDPS Act drugs may not be prescribed on a
  teleconsultation (Telemedicine Practice Guidelines 2020, Annexure 1, prohibited list).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from nidaan.prescriptions.formulary import (
    ALLERGY_CLASS_WORDS,
    LIQUID_FORMS,
    NOT_DUPLICATE_CLASSES,
    FormularyDrug,
)
from nidaan.prescriptions.instructions import administrations_per_day, largest_single
from nidaan.prescriptions.lines import RxLine

CHILD_UNTIL_AGE = 12
PER_KG_TOLERANCE = Decimal("1.25")


@dataclass(frozen=True)
class Warning:
    """One finding. `key` is stable for the same finding, so an override given for it
    (on the page or through the API) still applies when the form comes back."""

    key: str
    kind: str
    line: int
    message: str


def _words(text: str) -> set[str]:
    cleaned = "".join(c if c.isalnum() or c == "-" else " " for c in text.lower())
    return set(cleaned.split())


def _allergy_classes(substance: str) -> tuple[set[str], set[str]]:
    """The drug classes and generic-name words an allergy entry names."""
    text = substance.lower().strip()
    classes: set[str] = set()
    for word, mapped in ALLERGY_CLASS_WORDS.items():
        if word in _words(text) or (" " in word and word in text):
            classes |= mapped
    return classes, _words(text)


def _mg_per_unit(line: RxLine) -> Decimal | None:
    """mg in one counted unit, or in one ml of a liquid (strengths are per 5 ml)."""
    if line.strength_mg is None:
        return None
    return line.strength_mg / 5 if line.form in LIQUID_FORMS else line.strength_mg


def single_dose_mg(line: RxLine) -> Decimal | None:
    per_unit = _mg_per_unit(line)
    if per_unit is None:
        return None
    return line.dose * largest_single(line.frequency) * per_unit


def daily_dose_mg(line: RxLine) -> Decimal | None:
    per_unit = _mg_per_unit(line)
    per_day = administrations_per_day(line.frequency)
    if per_unit is None or per_day is None:
        return None
    return line.dose * per_day * per_unit


def _mg(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def check(
    lines: Sequence[RxLine],
    *,
    allergies: Iterable[str],
    drugs: dict[str, FormularyDrug],
    teleconsultation: bool = False,
    age_years: int | None = None,
    weight_kg: Decimal | None = None,
) -> list[Warning]:
    warnings: list[Warning] = []
    allergy_list = [a for a in allergies if a.strip()]
    seen_generic: dict[str, int] = {}
    seen_class: dict[str, int] = {}
    for index, line in enumerate(lines):
        number = index + 1
        name = line.generic.upper()
        generic_words = _words(line.generic)
        # Allergy: by name ("amoxicillin") or by class ("penicillin").
        for substance in allergy_list:
            classes, words = _allergy_classes(substance)
            by_class = classes & set(line.classes)
            by_name = bool(words & generic_words) and not words <= {"allergy", "drug"}
            if by_class or by_name:
                what = ", ".join(sorted(by_class)) if by_class else substance
                warnings.append(
                    Warning(
                        key=f"allergy:{number}:{substance.lower()}",
                        kind="allergy",
                        line=number,
                        message=_("%(drug)s: the patient is allergic to %(allergy)s (%(what)s).")
                        % {"drug": name, "allergy": substance, "what": what},
                    )
                )
        # Duplicates: the same generic, or the same specific class.
        generic_key = line.generic.lower()
        if generic_key in seen_generic:
            warnings.append(
                Warning(
                    key=f"duplicate:{number}:{generic_key}",
                    kind="duplicate",
                    line=number,
                    message=_("%(drug)s is prescribed twice (lines %(first)s and %(second)s).")
                    % {"drug": name, "first": seen_generic[generic_key], "second": number},
                )
            )
        else:
            seen_generic[generic_key] = number
            for drug_class in sorted(set(line.classes) - NOT_DUPLICATE_CLASSES):
                if drug_class in seen_class and drug_class != generic_key:
                    warnings.append(
                        Warning(
                            key=f"duplicate-class:{number}:{drug_class}",
                            kind="duplicate",
                            line=number,
                            message=_("%(drug)s is a second %(class)s (line %(first)s is one too).")
                            % {"drug": name, "class": drug_class, "first": seen_class[drug_class]},
                        )
                    )
                seen_class.setdefault(drug_class, number)
        # Doses.
        drug = drugs.get(line.drug_code) if line.drug_code else None
        single = single_dose_mg(line)
        daily = daily_dose_mg(line)
        if drug is not None and single is not None:
            if drug.max_dose_mg is not None and single > drug.max_dose_mg:
                warnings.append(
                    Warning(
                        key=f"max-dose:{number}",
                        kind="max_dose",
                        line=number,
                        message=_(
                            "%(drug)s: one dose is %(dose)s mg, above the usual maximum of "
                            "%(max)s mg."
                        )
                        % {"drug": name, "dose": _mg(single), "max": _mg(drug.max_dose_mg)},
                    )
                )
            if drug.max_daily_mg is not None and daily is not None and daily > drug.max_daily_mg:
                warnings.append(
                    Warning(
                        key=f"max-daily:{number}",
                        kind="max_dose",
                        line=number,
                        message=_(
                            "%(drug)s: %(dose)s mg a day, above the usual maximum of "
                            "%(max)s mg a day."
                        )
                        % {"drug": name, "dose": _mg(daily), "max": _mg(drug.max_daily_mg)},
                    )
                )
            if (
                age_years is not None
                and age_years < CHILD_UNTIL_AGE
                and weight_kg
                and drug.mg_per_kg_dose is not None
                and single > drug.mg_per_kg_dose * weight_kg * PER_KG_TOLERANCE
            ):
                warnings.append(
                    Warning(
                        key=f"per-kg:{number}",
                        kind="max_dose",
                        line=number,
                        message=_(
                            "%(drug)s: %(dose)s mg is more than %(per_kg)s mg/kg for a child of "
                            "%(weight)s kg (usual dose %(usual)s mg)."
                        )
                        % {
                            "drug": name,
                            "dose": _mg(single),
                            "per_kg": _mg(drug.mg_per_kg_dose),
                            "weight": _mg(weight_kg),
                            "usual": _mg(drug.mg_per_kg_dose * weight_kg),
                        },
                    )
                )
        # Teleconsultation: Schedule X and NDPS drugs are on the prohibited list.
        if teleconsultation and (line.ndps or line.schedule == "X"):
            warnings.append(
                Warning(
                    key=f"telemedicine:{number}",
                    kind="telemedicine",
                    line=number,
                    message=_(
                        "%(drug)s is a Schedule X or NDPS drug: the Telemedicine Practice "
                        "Guidelines do not allow it on a teleconsultation."
                    )
                    % {"drug": name},
                )
            )
    return warnings


def _to_half(value: Decimal) -> Decimal:
    """Rounded to the nearest half: what a spoon or a scored tablet can give."""
    return (value * 2).quantize(Decimal(1)) / 2


def dose_help(drug: FormularyDrug, weight_kg: Decimal) -> dict[str, str] | None:
    """For a child with a known weight: the usual single dose in mg (and ml of a liquid)."""
    if drug.mg_per_kg_dose is None or drug.strength_mg is None:
        return None
    mg = drug.mg_per_kg_dose * weight_kg
    if drug.max_dose_mg is not None:
        mg = min(mg, drug.max_dose_mg)
    result = {"mg": _mg(mg), "per_kg": _mg(drug.mg_per_kg_dose)}
    if drug.form in LIQUID_FORMS:
        result["ml"] = _mg(_to_half(mg * 5 / drug.strength_mg))
    else:
        result["units"] = _mg(_to_half(mg / drug.strength_mg))
    return result
