from __future__ import annotations

import pytest

from nidaan.patients import names


@pytest.mark.parametrize(
    ("typed", "latin"),
    [
        ("सुनीता देवी", "Sunita Devi"),
        ("रमेश कुमार", "Ramesh Kumar"),
        ("प्रियंका श्रीवास्तव", "Priyanka Shrivastav"),
        ("मोहम्मद आरिफ़", "Mohammad Arif"),
        ("कृष्ण", "Krishna"),
        ("  ramesh   kumar ", "Ramesh Kumar"),
    ],
)
def test_names_get_an_everyday_latin_spelling(typed: str, latin: str) -> None:
    assert names.romanize(typed) == latin


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("सुनीता देवी", "Sunita Devi"),
        ("Sunitaa Devee", "sunita devi"),
        ("श्रीवास्तव", "Srivastav"),
        ("Ramesha", "Ramesh"),
        ("Pooja", "पूजा"),
        ("Zaheer", "Jahir"),
    ],
)
def test_spelling_variants_share_one_search_key(a: str, b: str) -> None:
    assert names.search_key(a) == names.search_key(b)


def test_stored_names_are_nfc_and_single_spaced() -> None:
    decomposed = "फ़ातिमा"  # FA + NUKTA, as some keyboards type it
    assert names.clean(f"  {decomposed}   ख़ान ") == "फ़ातिमा ख़ान"
