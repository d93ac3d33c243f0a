"""nidaan.billing.words.amount_in_words and Indian digit grouping."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nidaan.billing.money import inr, rupees
from nidaan.billing.words import HINDI_0_99, amount_in_words


@pytest.mark.parametrize(
    ("amount", "english", "hindi"),
    [
        (
            "123456.78",
            "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight "
            "Paise Only",
            "रुपये एक लाख तेईस हज़ार चार सौ छप्पन और अठहत्तर पैसे मात्र",
        ),
        ("500", "Rupees Five Hundred Only", "रुपये पाँच सौ मात्र"),
        ("0.50", "Fifty Paise Only", "पचास पैसे मात्र"),
        ("10000000", "Rupees One Crore Only", "रुपये एक करोड़ मात्र"),
        (
            "25099999.99",
            "Rupees Two Crore Fifty Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine and "
            "Ninety-Nine Paise Only",
            "रुपये दो करोड़ पचास लाख निन्यानबे हज़ार नौ सौ निन्यानबे और निन्यानबे पैसे मात्र",
        ),
        ("1000000000000", "Rupees One Lakh Crore Only", "रुपये एक लाख करोड़ मात्र"),
    ],
)
def test_words_in_english_and_hindi(amount: str, english: str, hindi: str) -> None:
    assert amount_in_words(D(amount)) == english
    assert amount_in_words(D(amount), "hi") == hindi


def test_other_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="en and hi"):
        amount_in_words(D(1), "ta")


def test_hindi_table_has_a_word_for_every_number_below_100() -> None:
    assert len(HINDI_0_99) == 100
    assert len(set(HINDI_0_99)) == 100


def test_indian_grouping() -> None:
    assert inr(D("123456")) == "1,23,456.00"
    assert inr(D("12345678.9")) == "1,23,45,678.90"
    assert rupees(D("-1500.5")) == "-₹1,500.50"


@given(st.integers(min_value=1, max_value=10**11 - 1))
def test_every_amount_reads_as_words_only(paise: int) -> None:
    text = amount_in_words(D(paise) / 100)
    assert text.endswith("Only")
    assert not any(ch.isdigit() for ch in text)
    assert text.count(" and ") <= 1
    assert "," not in text
    hindi = amount_in_words(D(paise) / 100, "hi")
    assert hindi.endswith("मात्र")
    assert not any(ch.isdigit() for ch in hindi)
