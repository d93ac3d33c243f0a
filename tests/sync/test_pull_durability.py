"""A pulled batch commits without waiting for the disk; every local write still waits."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from nidaan.sync import actions, client
from nidaan.sync.durability import PULL_CHECKPOINT_PAGES, replayable_commits

FULL, NORMAL = 2, 1


def _level() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (level,) = cursor.fetchone()
    return int(level)


def _checkpoint_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (pages,) = cursor.fetchone()
    return int(pages)


@pytest.mark.django_db(transaction=True)
def test_a_pulled_batch_is_applied_with_normal_sync_then_full_is_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "sqlite":
        # The hub's PostgreSQL is left alone: the block must not touch its connection.
        with replayable_commits():
            assert not connection.in_atomic_block
        return
    assert _level() == FULL
    assert _checkpoint_pages() == 1000  # SQLite's default, for local writes
    seen: list[tuple[int, int]] = []

    def spy(*, changes: list[Any], next_after: int) -> None:
        seen.append((_level(), _checkpoint_pages()))

    monkeypatch.setattr(actions, "apply_pulled", spy)
    assert client.apply_pull_answer({"changes": [], "next_after": 0}) == 0
    assert seen == [(NORMAL, PULL_CHECKPOINT_PAGES)]
    assert _level() == FULL
    assert _checkpoint_pages() == 1000


@pytest.mark.django_db(transaction=True)
def test_full_sync_comes_back_even_when_the_batch_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "sqlite":
        with pytest.raises(RuntimeError), replayable_commits():
            raise RuntimeError("hub answer could not be applied")
        return

    def failing(*, changes: list[Any], next_after: int) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "apply_pulled", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        client.apply_pull_answer({"changes": [], "next_after": 0})
    assert _level() == FULL
    assert _checkpoint_pages() == 1000


@pytest.mark.django_db
def test_inside_a_transaction_nothing_changes() -> None:
    # A caller's open transaction keeps its own durability (SQLite cannot change it there).
    before = _level() if connection.vendor == "sqlite" else None
    with replayable_commits():
        inside = _level() if connection.vendor == "sqlite" else None
    assert inside == before
