from __future__ import annotations

from decimal import Decimal

import pytest

from nidaan.encounters.forms import VitalsForm, parse_complaints
from nidaan.encounters.vitals import abnormal_flags


def test_a_typo_like_bp_1200_is_refused_with_the_range() -> None:
    form = VitalsForm({"bp_systolic": "1200", "bp_diastolic": "80"})
    assert not form.is_valid()
    assert form.errors["bp_systolic"] == [
        "1200 is not possible for BP systolic: check for a typing mistake (expected 50–260)."
    ]


@pytest.mark.parametrize(
    ("unit", "typed", "stored"), [("F", "101.2", "38.4"), ("C", "38.4", "38.4")]
)
def test_temperature_in_the_clinics_unit_is_stored_in_celsius(
    unit: str, typed: str, stored: str
) -> None:
    form = VitalsForm({"temperature": typed}, temperature_unit=unit)
    assert form.is_valid(), form.errors
    assert form.vital_values()["temperature_c"] == Decimal(stored)


def test_fahrenheit_range_is_said_in_fahrenheit() -> None:
    form = VitalsForm({"temperature": "1012"}, temperature_unit="F")
    assert not form.is_valid()
    assert "(expected 89.6–110.3)" in form.errors["temperature"][0]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"bp_systolic": "120"}, "bp_diastolic"),
        ({"bp_systolic": "80", "bp_diastolic": "120"}, "bp_diastolic"),
        ({"blood_sugar": "140"}, "blood_sugar_test"),
        ({"spo2": "101"}, "spo2"),
    ],
)
def test_incomplete_or_impossible_values_name_the_field(data: dict[str, str], field: str) -> None:
    form = VitalsForm(data)
    assert not form.is_valid()
    assert field in form.errors


def test_an_empty_form_is_refused() -> None:
    form = VitalsForm({})
    assert not form.is_valid()
    assert form.non_field_errors() == ["Enter at least one measurement."]


def test_abnormal_values_are_flagged() -> None:
    flags = abnormal_flags(
        {
            "bp_systolic": 150,
            "bp_diastolic": 95,
            "pulse": 72,
            "spo2": 91,
            "temperature_c": Decimal("38.4"),
            "blood_sugar": 140,
            "blood_sugar_test": "fasting",
        }
    )
    assert flags == {
        "bp_systolic": "high",
        "bp_diastolic": "high",
        "spo2": "low",
        "temperature_c": "high",
        "blood_sugar": "high",
    }
    assert abnormal_flags({"blood_sugar": 140, "blood_sugar_test": "random"}) == {}


def test_complaints_with_durations_in_english_and_hindi() -> None:
    assert parse_complaints("fever 3 days\ncough × 1 week\nबुखार 2 दिन से\nheadache") == [
        {"text": "fever", "duration": 3, "unit": "days"},
        {"text": "cough", "duration": 1, "unit": "weeks"},
        {"text": "बुखार", "duration": 2, "unit": "days"},
        {"text": "headache", "duration": None, "unit": ""},
    ]
