from __future__ import annotations

import time
import uuid

from nidaan.core.ids import uuid7, uuid7_timestamp_ms


def test_version_variant_and_time() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert before <= uuid7_timestamp_ms(value) <= after + 1


def test_ids_made_in_a_tight_loop_are_unique_and_sorted() -> None:
    values = [uuid7() for _ in range(20_000)]
    assert len(set(values)) == len(values)
    assert values == sorted(values)
