"""Plausible ranges and abnormal flags for vital signs.

A value outside the plausible range is a typo (BP 1200), refused with a message that
names the range. A plausible value outside the normal adult range is accepted and
flagged for the doctor's eye.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Limits:
    plausible: tuple[Decimal, Decimal]
    normal: tuple[Decimal, Decimal] | None  # None: no single adult normal (weight, height)


def _d(low: str, high: str) -> tuple[Decimal, Decimal]:
    return Decimal(low), Decimal(high)


LIMITS: dict[str, Limits] = {
    "bp_systolic": Limits(_d("50", "260"), _d("90", "139")),
    "bp_diastolic": Limits(_d("30", "160"), _d("60", "89")),
    "pulse": Limits(_d("20", "250"), _d("60", "100")),
    "temperature_c": Limits(_d("32", "43.5"), _d("36.1", "37.9")),
    "spo2": Limits(_d("50", "100"), _d("95", "100")),
    "respiratory_rate": Limits(_d("5", "80"), _d("12", "20")),
    "weight_kg": Limits(_d("0.3", "300"), None),
    "height_cm": Limits(_d("20", "250"), None),
    "blood_sugar": Limits(_d("20", "900"), None),
    "head_circumference_cm": Limits(_d("20", "70"), None),
}

# Fasting ≥ 126 mg/dL and random ≥ 200 mg/dL are the diabetes thresholds; < 70 is low.
SUGAR_NORMAL = {"fasting": _d("70", "125"), "pp": _d("70", "199"), "random": _d("70", "199")}

LABELS = {
    "bp_systolic": _("BP systolic"),
    "bp_diastolic": _("BP diastolic"),
    "pulse": _("Pulse"),
    "temperature_c": _("Temperature"),
    "spo2": _("SpO₂"),
    "respiratory_rate": _("Respiratory rate"),
    "weight_kg": _("Weight"),
    "height_cm": _("Height"),
    "blood_sugar": _("Blood sugar"),
    "head_circumference_cm": _("Head circumference"),
}


def fahrenheit_to_celsius(value: Decimal) -> Decimal:
    return ((value - 32) * 5 / 9).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def celsius_to_fahrenheit(value: Decimal) -> Decimal:
    return (value * 9 / 5 + 32).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def out_of_plausible_range(field: str, value: Decimal) -> tuple[Decimal, Decimal] | None:
    low, high = LIMITS[field].plausible
    return None if low <= value <= high else (low, high)


def abnormal_flags(values: dict[str, Any]) -> dict[str, str]:
    """{field: "high" | "low"} for plausible values outside the normal range."""
    flags: dict[str, str] = {}
    for field, limits in LIMITS.items():
        value = values.get(field)
        if value is None or value == "":
            continue
        normal = limits.normal
        if field == "blood_sugar":
            normal = SUGAR_NORMAL.get(values.get("blood_sugar_test") or "random")
        if normal is None:
            continue
        number = Decimal(value)
        if number < normal[0]:
            flags[field] = "low"
        elif number > normal[1]:
            flags[field] = "high"
    return flags
