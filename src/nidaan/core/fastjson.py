"""JSON for the sync path, where a node decodes and stores tens of thousands of changes a
second: orjson, with the standard library's behaviour where our data needs it.

`loads` refuses what the change log could not store anyway (NaN, integers beyond 64
bits, lone surrogates) with a ValueError, as `json.loads` refuses malformed text.
`dumps` falls back to the given encoder for types orjson does not know (Decimal) and
for times, so a time is written exactly as the encoder writes it everywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

loads = orjson.loads

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def dumper(encoder: type[json.JSONEncoder] | None = None) -> Callable[[Any], str]:
    """A function giving the compact JSON text of a value, as `encoder` would write it."""
    default = (encoder or json.JSONEncoder)().default

    def dumps(value: Any) -> str:
        try:
            return orjson.dumps(value, default=default, option=_OPTIONS).decode()
        except orjson.JSONEncodeError:
            # What orjson refuses and the standard library takes (integers beyond 64
            # bits), or refuses too, with its own message.
            return json.dumps(value, cls=encoder, separators=(",", ":"))

    return dumps


def dumps_bytes(value: Any) -> bytes:
    """Compact JSON of values that are JSON already (an answer built from stored JSON)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(value, separators=(",", ":")).encode()
