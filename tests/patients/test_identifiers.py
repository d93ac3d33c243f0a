from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nidaan.patients import identifiers


@pytest.mark.parametrize(
    "typed", ["9876543210", "+91 98765 43210", "098765-43210", "91 9876543210", "(+91) 98765 43210"]
)
def test_mobile_numbers_as_typed_become_ten_digits(typed: str) -> None:
    assert identifiers.normalise_mobile(typed) == "9876543210"


@pytest.mark.parametrize(
    "typed", ["1234567890", "0522 400 1234", "98765", "+1 415 555 0100", "abc"]
)
def test_numbers_that_are_not_indian_mobiles_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        identifiers.normalise_mobile(typed)


def test_abha_number_with_or_without_dashes() -> None:
    assert identifiers.normalise_abha_number("91-6285-4575-5116") == "91628545755116"
    assert identifiers.normalise_abha_number("91 6285 4575 5116") == "91628545755116"
    assert identifiers.format_abha_number("91628545755116") == "91-6285-4575-5116"
    with pytest.raises(ValidationError):
        identifiers.normalise_abha_number("9162854575511")


def test_abha_luhn_matches_real_examples() -> None:
    for real in ("91628545755116", "91672600203406", "42717586044553"):
        assert identifiers.abha_number_passes_luhn(real)
    assert not identifiers.abha_number_passes_luhn("12345678901234")


@pytest.mark.parametrize("address", ["sunita.devi@abdm", "Gaurav_22101991@SBX", "ravi@ndhm"])
def test_valid_abha_addresses(address: str) -> None:
    assert identifiers.normalise_abha_address(address) == address.lower()


@pytest.mark.parametrize(
    "address",
    ["9sunita@abdm", ".sunita@abdm", "sunita.@abdm", "ab@abdm", "sunita@gmail.com", "sunita"],
)
def test_invalid_abha_addresses(address: str) -> None:
    with pytest.raises(ValidationError):
        identifiers.normalise_abha_address(address)


def test_pin_codes() -> None:
    identifiers.validate_pin("800001")
    for bad in ("012345", "80001", "8000011", "80000a"):
        with pytest.raises(ValidationError):
            identifiers.validate_pin(bad)
