"""The sync path's JSON writes what the standard library would, and reads only what
the change log can store."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

import pytest

from nidaan.core import fastjson
from nidaan.core.changelog import ChangeEncoder


def test_values_are_written_as_the_change_encoder_writes_them() -> None:
    value = {
        "at": datetime.datetime(2026, 11, 27, 7, 5, 3, 123456, tzinfo=datetime.UTC),
        "day": datetime.date(2026, 11, 27),
        "id": uuid.UUID("01900000-0000-7000-8000-00000000beef"),
        "fee": decimal.Decimal("350.50"),
        "name": "रमेश कुमार",
        "big": 2**70,
    }
    written = fastjson.dumper(ChangeEncoder)(value)
    assert json.loads(written) == json.loads(json.dumps(value, cls=ChangeEncoder))
    assert '"2026-11-27T07:05:03.123456+00:00"' in written  # microseconds kept


def test_what_no_encoder_knows_is_refused_as_before() -> None:
    with pytest.raises(TypeError):
        fastjson.dumper()({"fee": decimal.Decimal("1")})


@pytest.mark.parametrize("text", [b'{"a": NaN}', b'{"a": 1', b'"\\ud800"', b"[" * 2000])
def test_what_the_change_log_could_not_store_is_refused(text: bytes) -> None:
    # The sync views and client catch ValueError and answer with their own message.
    with pytest.raises(ValueError, match="."):
        fastjson.loads(text)
