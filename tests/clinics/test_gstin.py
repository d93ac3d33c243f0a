from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nidaan.clinics.gstin import normalise_gstin


@pytest.mark.parametrize(
    "gstin", ["27AAPFU0939F1ZV", "24AAQCA8719H1ZC", "29AAGCB7383J1Z4", "36AAECF1151A1ZC"]
)
def test_real_gstins_pass(gstin: str) -> None:
    assert normalise_gstin(gstin.lower()) == gstin


@pytest.mark.parametrize(
    ("gstin", "code"),
    [
        ("33ABCDE1234F1Z5", "check"),
        ("07AAACT2727Q1ZZ", "check"),
        ("99AAPFU0939F1ZV", "state"),
        ("27AAPFU0939F1Z", "format"),
    ],
)
def test_wrong_gstins_say_why(gstin: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_gstin(gstin)
    assert error.value.code == code
