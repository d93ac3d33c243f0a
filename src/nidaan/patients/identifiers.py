"""Checks for the numbers a patient is known by: mobile, ABHA number and address, PIN."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ABHA_ADDRESS = re.compile(r"^(?![0-9.])[a-z0-9._]{4,}(?<!\.)@(abdm|sbx|ndhm)$")
_PIN = re.compile(r"^[1-9][0-9]{5}$")


def normalise_mobile(text: str) -> str:
    """The 10-digit Indian mobile number in `text`, or ValidationError.

    `phonenumbers` calls 1234567890 a valid *fixed line*, so the number type must be
    checked, not just validity.
    """
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Enter a 10-digit mobile number."), code="invalid") from error
    if number.country_code != 91:
        raise ValidationError(_("Enter an Indian mobile number."), code="not_indian")
    kind = phonenumbers.number_type(number)
    if not phonenumbers.is_valid_number(number) or kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(
            _("%(number)s is not a valid Indian mobile number.") % {"number": text},
            code="invalid",
        )
    return str(number.national_number)


def normalise_abha_number(text: str) -> str:
    """14 digits, typed with or without dashes or spaces (shown as XX-XXXX-XXXX-XXXX)."""
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"[0-9]{14}", digits):
        raise ValidationError(
            _("An ABHA number has 14 digits, like 91-6285-4575-5116."), code="invalid"
        )
    return digits


def format_abha_number(digits: str) -> str:
    return f"{digits[:2]}-{digits[2:6]}-{digits[6:10]}-{digits[10:]}" if digits else ""


def abha_number_passes_luhn(digits: str) -> bool:
    """Real ABHA numbers seen so far pass Luhn; it is undocumented, so only a warning."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_abha_address(text: str) -> str:
    value = text.strip().lower()
    if not _ABHA_ADDRESS.match(value):
        raise ValidationError(
            _(
                "An ABHA address looks like name@abdm (at least 4 characters before @, "
                "not starting with a digit or a dot)."
            ),
            code="invalid",
        )
    return value


def validate_pin(value: str) -> None:
    if not _PIN.match(value):
        raise ValidationError(
            _("A PIN code has 6 digits and does not start with 0."), code="invalid"
        )
