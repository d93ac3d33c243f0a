"""nidaan.billing.gstin.validate_gstin: format, state code, check character."""

from __future__ import annotations

import pytest

from nidaan.billing.gstin import validate_gstin


@pytest.mark.parametrize(
    "value", ["27AAPFU0939F1ZV", "24AAQCA8719H1ZC", "29AAGCB7383J1Z4", "36AAECF1151A1ZC"]
)
def test_valid_gstins_pass(value: str) -> None:
    assert validate_gstin(value) == value


def test_lower_case_and_spaces_are_normalised() -> None:
    assert validate_gstin(" 27aapfu0939f1zv ") == "27AAPFU0939F1ZV"


@pytest.mark.parametrize(
    ("value", "expected"), [("33ABCDE1234F1Z5", "7"), ("07AAACT2727Q1ZZ", "Y")]
)
def test_wrong_check_character_names_the_right_one(value: str, expected: str) -> None:
    with pytest.raises(ValueError, match=f"should be {expected}"):
        validate_gstin(value)


def test_wrong_state_code_is_refused() -> None:
    with pytest.raises(ValueError, match="99 is not an Indian state code"):
        validate_gstin("99AAPFU0939F1ZV")


@pytest.mark.parametrize("value", ["", "27AAPFU0939F1Z", "27AAPFU0939F1AV", "2AAAPFU0939F1ZV"])
def test_wrong_format_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="15 characters"):
        validate_gstin(value)
