"""A drug line's schedule in the notations Indian doctors write, and the patient's
instructions rendered from it in English and Hindi.

`1-0-1` is morning–afternoon–night (a fourth place is bedtime: `1-1-1-1`); the
abbreviations are the usual Latin ones (OD, BD, TDS, QID, HS, SOS, stat). The Hindi is
written for patients, not chemists: "सुबह 1, रात 1, खाने के बाद, 5 दिन".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from nidaan.prescriptions.formulary import COUNTED_FORMS, FORMS, LIQUID_FORMS

# Abbreviation → (times a day, English, Hindi). None: as needed / once only.
ABBREVIATIONS: dict[str, tuple[int | None, str, str]] = {
    "OD": (1, "once a day", "दिन में 1 बार"),
    "BD": (2, "twice a day", "दिन में 2 बार"),
    "TDS": (3, "three times a day", "दिन में 3 बार"),
    "QID": (4, "four times a day", "दिन में 4 बार"),
    "HS": (1, "at bedtime", "रात को सोते समय"),
    "SOS": (None, "only when needed", "ज़रूरत होने पर ही"),
    "STAT": (None, "one dose now", "अभी एक खुराक"),
}
FREQUENCY_CHOICES: tuple[str, ...] = (
    "1-0-1",
    "1-1-1",
    "0-0-1",
    "1-0-0",
    "0-1-0",
    "1-1-0",
    "0-1-1",
    "1-1-1-1",
    "OD",
    "BD",
    "TDS",
    "QID",
    "HS",
    "SOS",
    "STAT",
)
_TIMES_EN = ("morning", "afternoon", "night", "bedtime")
_TIMES_HI = ("सुबह", "दोपहर", "रात", "सोते समय")
_PATTERN = re.compile(r"^(\d+(?:\.\d+)?|½)(?:-(\d+(?:\.\d+)?|½)){2,3}$")

FOOD: dict[str, tuple[str, str]] = {
    "": ("", ""),
    "after": ("after food", "खाने के बाद"),
    "before": ("before food", "खाने से पहले"),
    "with": ("with food", "खाने के साथ"),
    "empty": ("on an empty stomach", "खाली पेट"),
}
DURATION_UNITS: dict[str, tuple[int, str, str, str, str]] = {
    # unit: (days, English singular, plural, Hindi singular, plural)
    "days": (1, "day", "days", "दिन", "दिन"),
    "weeks": (7, "week", "weeks", "हफ़्ता", "हफ़्ते"),
    "months": (30, "month", "months", "महीना", "महीने"),
}


class FrequencyError(ValueError):
    pass


def normalise_frequency(text: str) -> str:
    """`1-0-1`, `1 0 1`, `101`, `bd`, `b.d.`, `tid` → the canonical spelling."""
    raw = text.strip().upper().replace(".", "").replace("½", "½")
    aliases = {"TID": "TDS", "QDS": "QID", "ONCE": "OD", "BID": "BD", "PRN": "SOS"}
    if raw in ABBREVIATIONS:
        return raw
    if raw in aliases:
        return aliases[raw]
    spaced = re.sub(r"[\s/,]+", "-", raw)
    if re.fullmatch(r"[01]{3,4}", spaced):
        spaced = "-".join(spaced)
    if _PATTERN.match(spaced):
        return spaced
    raise FrequencyError(text)


def _amounts(frequency: str) -> list[Decimal] | None:
    if frequency in ABBREVIATIONS:
        return None
    return [Decimal("0.5") if part == "½" else Decimal(part) for part in frequency.split("-")]


def administrations_per_day(frequency: str) -> Decimal | None:
    """Doses (of the line's dose) in a day; None for SOS and stat."""
    amounts = _amounts(frequency)
    if amounts is not None:
        return sum(amounts, Decimal(0))
    times = ABBREVIATIONS[frequency][0]
    return None if times is None else Decimal(times)


def largest_single(frequency: str) -> Decimal:
    amounts = _amounts(frequency)
    return max(amounts) if amounts else Decimal(1)


def _num(value: Decimal) -> str:
    if value == Decimal("0.5"):
        return "½"
    if value % 1 == Decimal("0.5"):
        return f"{int(value)}½"
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Schedule:
    dose: Decimal
    form: str
    frequency: str
    food: str
    duration: int | None
    duration_unit: str

    @property
    def days(self) -> int | None:
        if self.duration is None:
            return None
        return self.duration * DURATION_UNITS[self.duration_unit][0]

    def _unit(self, hindi: bool, counted: bool) -> str:
        _, en, hi = FORMS.get(self.form, ("", "", ""))
        if self.form in COUNTED_FORMS and not counted:
            return ""  # "1 morning, 1 night": as 1-0-1 reads
        return hi if hindi else en

    def _dose(self, times: Decimal, hindi: bool, counted: bool = False) -> str:
        unit = self._unit(hindi, counted)
        amount = _num(self.dose * times)
        return f"{amount} {unit}".strip()

    def _when(self, hindi: bool) -> str:
        amounts = _amounts(self.frequency)
        if amounts is not None:
            names = _TIMES_HI if hindi else _TIMES_EN
            parts = [
                (
                    f"{names[i]} {self._dose(a, hindi)}"
                    if hindi
                    else f"{self._dose(a, hindi)} {names[i]}"
                )
                for i, a in enumerate(amounts)
                if a
            ]
            return ", ".join(parts)
        _, en, hi = ABBREVIATIONS[self.frequency]
        dose = self._dose(Decimal(1), hindi, counted=True)
        return f"{dose} {hi}" if hindi else f"{dose} {en}"

    def _duration(self, hindi: bool) -> str:
        if self.duration is None or self.frequency == "STAT":
            return ""
        _, en1, en2, hi1, hi2 = DURATION_UNITS[self.duration_unit]
        if hindi:
            return f"{self.duration} {hi1 if self.duration == 1 else hi2}"
        return f"{self.duration} {en1 if self.duration == 1 else en2}"

    def english(self, note: str = "") -> str:
        parts = [self._when(False), FOOD[self.food][0], self._duration(False), note.strip()]
        return ", ".join(p for p in parts if p)

    def hindi(self, note: str = "") -> str:
        parts = [self._when(True), FOOD[self.food][1], self._duration(True), note.strip()]
        return ", ".join(p for p in parts if p)

    def quantity(self, pack_ml: int | None = None) -> tuple[Decimal | None, str]:
        """Total to dispense and its unit: tablets counted, liquids in bottles (or ml
        when the pack size is unknown), one pack of anything else; None for SOS."""
        if self.frequency == "STAT":
            per_day, days = Decimal(1), 1
        else:
            per_day_or_none = administrations_per_day(self.frequency)
            if per_day_or_none is None or self.days is None:
                return None, ""
            per_day, days = per_day_or_none, self.days
        total = self.dose * per_day * days
        if self.form in COUNTED_FORMS:
            return Decimal(math.ceil(total)), FORMS[self.form][1]
        if self.form in LIQUID_FORMS:
            if pack_ml:
                return Decimal(math.ceil(total / pack_ml)), "bottle"
            return total, "ml"
        return Decimal(1), "pack"
