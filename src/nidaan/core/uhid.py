"""UHID: the short patient number printed on cards and read over the phone.

Shape: `PPPP-NNNN-C`: a four-character node prefix, the node's own sequence
(at least four digits, growing as needed) and one check character. Made offline;
unique across nodes because each node has its own prefix.

The alphabet is Crockford's base 32 (no I, L, O, U, so nothing reads as 0 or 1 or a
rude word). The check character is Luhn mod N over that alphabet, which catches every
single mistyped character and most swaps of two neighbours.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BASE = len(ALPHABET)
_INDEX = {char: i for i, char in enumerate(ALPHABET)}
# What people type for the characters Crockford's alphabet leaves out.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(rf"^([{ALPHABET}]{{4}})(\d{{4,}})([{ALPHABET}])$")


class InvalidUHID(ValueError):
    pass


def new_prefix() -> str:
    # A letter first so the prefix never reads as part of the number.
    first = secrets.choice(ALPHABET[10:])
    return first + "".join(secrets.choice(ALPHABET) for _ in range(3))


def check_character(payload: str) -> str:
    """Luhn mod 32 check character for `payload` (characters of ALPHABET)."""
    factor = 2
    total = 0
    for char in reversed(payload):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // _BASE + addend % _BASE
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def is_valid_payload_with_check(value: str) -> bool:
    payload, check = value[:-1], value[-1]
    return check_character(payload) == check


def make(prefix: str, sequence: int) -> str:
    payload = f"{prefix}{sequence:04d}"
    return f"{prefix}-{sequence:04d}-{check_character(payload)}"


def compact(text: str) -> str:
    """Uppercase, look-alikes folded, separators and spaces dropped."""
    return re.sub(r"[\s\-/.]", "", text.upper()).translate(_LOOKALIKES)


def looks_like_uhid(text: str) -> bool:
    return bool(_SHAPE.match(compact(text)))


def parse(text: str) -> str:
    """The canonical `PPPP-NNNN-C` form of what someone typed, or `InvalidUHID`."""
    value = compact(text)
    match = _SHAPE.match(value)
    if not match:
        raise InvalidUHID("not a UHID: expected 4 letters/digits, a number and a check character")
    if not is_valid_payload_with_check(value):
        raise InvalidUHID("UHID check character does not match: a character is mistyped")
    prefix, number, check = match.groups()
    return f"{prefix}-{number}-{check}"
