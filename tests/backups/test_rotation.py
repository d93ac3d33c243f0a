"""Rotation keeps the newest backup of each of the last 7 days, 4 weeks and 12 months."""

from __future__ import annotations

import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from nidaan.backups import archive, rotation

START = datetime.datetime(2026, 1, 1, 20, 0, tzinfo=datetime.UTC)


def test_a_year_of_nightly_backups_keeps_seven_four_and_twelve() -> None:
    nightly = [START + datetime.timedelta(days=n) for n in range(400)]
    keep = rotation.to_keep(nightly)
    newest = nightly[-1]
    assert set(nightly[-7:]) <= keep
    months = {(t.year, t.month) for t in keep}
    assert len(months) == 12
    assert len(keep) <= 7 + 4 + 12
    assert newest in keep
    assert min(keep) > newest - datetime.timedelta(days=370)


@given(st.lists(st.integers(min_value=0, max_value=800 * 24), min_size=1, max_size=200))
def test_the_newest_is_always_kept_and_never_more_than_23(hours: list[int]) -> None:
    times = [START + datetime.timedelta(hours=h) for h in hours]
    keep = rotation.to_keep(times)
    assert max(times) in keep
    assert keep <= set(times)
    assert len(keep) <= 23


def test_prune_deletes_only_what_rotation_drops(tmp_path: Path) -> None:
    for n in range(30):
        moment = START + datetime.timedelta(days=n)
        (tmp_path / f"nidaan-{moment.strftime('%Y%m%dT%H%M%SZ')}.nbak").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = archive.prune(tmp_path)
    left = sorted(p.name for p in tmp_path.glob("*.nbak"))
    assert len(left) + len(removed) == 30
    assert len(left) <= 7 + 4 + 2
    assert "nidaan-20260130T200000Z.nbak" in left
    assert (tmp_path / "notes.txt").exists()
