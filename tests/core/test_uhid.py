from __future__ import annotations

import re

import pytest

from nidaan.core import uhid


def test_shape_is_short_and_readable() -> None:
    value = uhid.make("KQ7M", 42)
    assert re.fullmatch(r"KQ7M-0042-[0-9A-Z]", value)
    assert uhid.parse(value) == value


@pytest.mark.parametrize("typed", ["kq7m00428", "KQ7M 0042 8", "kq7m-0042-8", "KQ7M/0042/8"])
def test_accepts_what_people_type(typed: str) -> None:
    canonical = uhid.make("KQ7M", 42)
    typed = typed[:-1] + canonical[-1].lower()
    assert uhid.parse(typed) == canonical


def test_lookalike_letters_are_read_as_digits() -> None:
    canonical = uhid.make("KQ7M", 1010)
    assert uhid.parse(canonical.replace("1", "I").replace("0", "O", 1)) == canonical


def test_every_single_mistyped_character_is_caught() -> None:
    for sequence in (1, 42, 9_999, 123_456):
        value = uhid.compact(uhid.make("HX3D", sequence))
        for position, original in enumerate(value):
            for replacement in uhid.ALPHABET:
                if replacement == original:
                    continue
                typo = value[:position] + replacement + value[position + 1 :]
                if uhid.looks_like_uhid(typo):
                    assert not uhid.is_valid_payload_with_check(typo), typo


def test_a_typo_is_refused_with_a_reason() -> None:
    value = uhid.compact(uhid.make("HX3D", 77))
    typo = value[:5] + ("9" if value[5] != "9" else "8") + value[6:]
    with pytest.raises(uhid.InvalidUHID, match="check character"):
        uhid.parse(typo)


def test_prefixes_start_with_a_letter() -> None:
    for _ in range(200):
        prefix = uhid.new_prefix()
        assert len(prefix) == 4
        assert prefix[0].isalpha()
        assert set(prefix) <= set(uhid.ALPHABET)
