from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nidaan.core import hlc
from nidaan.core.hlc import ClockDriftError, HybridLogicalClock


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_layout_is_48_bit_ms_and_16_bit_counter() -> None:
    value = hlc.pack(1_700_000_000_000, 5)
    assert hlc.physical_ms(value) == 1_700_000_000_000
    assert hlc.counter(value) == 5
    assert value < 2**64


def test_follows_the_wall_clock_when_it_moves_forward() -> None:
    wall = FakeWall(1_000)
    clock = HybridLogicalClock(wall=wall)
    assert clock.now() == hlc.pack(1_000, 0)
    wall.ms = 2_000
    assert clock.now() == hlc.pack(2_000, 0)


def test_wall_clock_jumping_backwards_never_moves_the_clock_back() -> None:
    wall = FakeWall(5_000)
    clock = HybridLogicalClock(wall=wall)
    first = clock.now()
    wall.ms = 1_000  # a PC whose CMOS battery died
    second, third = clock.now(), clock.now()
    assert first < second < third
    assert hlc.physical_ms(third) == 5_000


def test_restart_resumes_from_the_persisted_value() -> None:
    wall = FakeWall(1_000)
    persisted = HybridLogicalClock(wall=FakeWall(9_000)).now()
    restarted = HybridLogicalClock(last=persisted, wall=wall)
    assert restarted.now() > persisted


def test_counter_overflow_moves_into_the_next_millisecond() -> None:
    clock = HybridLogicalClock(last=hlc.pack(1_000, hlc.COUNTER_MASK), wall=FakeWall(0))
    value = clock.now()
    assert value == hlc.pack(1_001, 0)


def test_observing_a_remote_clock_ahead_moves_past_it() -> None:
    clock = HybridLogicalClock(wall=FakeWall(1_000))
    remote = hlc.pack(1_500, 7)
    merged = clock.observe(remote, max_drift_ms=60_000)
    assert merged > remote
    assert clock.now() > merged


def test_a_remote_clock_too_far_ahead_is_refused() -> None:
    clock = HybridLogicalClock(wall=FakeWall(1_000))
    before = clock.last
    with pytest.raises(ClockDriftError):
        clock.observe(hlc.pack(1_000 + 60_001, 0), max_drift_ms=60_000)
    assert clock.last == before


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["tick", "observe", "wall"]),
            st.integers(min_value=0, max_value=10_000),
            st.integers(min_value=0, max_value=hlc.COUNTER_MASK),
        ),
        max_size=200,
    )
)
def test_every_event_gets_a_larger_timestamp(events: list[tuple[str, int, int]]) -> None:
    wall = FakeWall(5_000)
    clock = HybridLogicalClock(wall=wall)
    last = -1
    for kind, ms, count in events:
        if kind == "wall":
            wall.ms = ms  # wall clock moves either way
            continue
        value = clock.now() if kind == "tick" else clock.observe(hlc.pack(ms, count), 10_000)
        assert value > last
        last = value
