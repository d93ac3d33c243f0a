"""GSTIN checks: format, a real state code, and the check character (CGST Rules, gst.md §3)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nidaan.clinics.states import State

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_FORMAT = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")


def check_character(first14: str) -> str:
    total = 0
    for i, char in enumerate(first14):
        product = _ALPHABET.index(char) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return _ALPHABET[(36 - total % 36) % 36]


def normalise_gstin(text: str) -> str:
    value = re.sub(r"\s", "", text).upper()
    if not _FORMAT.match(value):
        raise ValidationError(
            _("A GSTIN has 15 characters: state code, PAN, entity number, Z, check character."),
            code="format",
        )
    if value[:2] not in State.values:
        raise ValidationError(
            _("%(code)s is not an Indian state code.") % {"code": value[:2]}, code="state"
        )
    expected = check_character(value[:14])
    if value[14] != expected:
        raise ValidationError(
            _("The last character should be %(expected)s: check the GSTIN for a typing mistake.")
            % {"expected": expected},
            code="check",
        )
    return value
