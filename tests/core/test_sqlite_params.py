"""None and bool parameters take the registered fast adapters and are stored as before:
NULL, and the integers 1 and 0."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection

from nidaan.core import sqlite_params
from nidaan.keys.sqlcipher.base import Cipher


@pytest.mark.parametrize("driver", [sqlite3, Cipher], ids=["sqlite3", "sqlcipher3"])
def test_none_and_bool_are_stored_as_null_and_integers(driver: object) -> None:
    adapters = driver.adapters  # type: ignore[attr-defined]
    protocol = driver.PrepareProtocol  # type: ignore[attr-defined]
    assert (type(None), protocol) in adapters
    assert (bool, protocol) in adapters
    db = driver.connect(":memory:")  # type: ignore[attr-defined]
    db.execute("CREATE TABLE t (v)")
    db.executemany("INSERT INTO t VALUES (?)", [(None,), (True,), (False,), (7,)])
    stored = db.execute("SELECT v, typeof(v) FROM t ORDER BY rowid").fetchall()
    assert stored == [(None, "null"), (1, "integer"), (0, "integer"), (7, "integer")]
    # True compares as 1 in a query, as it did before.
    assert db.execute("SELECT count(*) FROM t WHERE v = ?", (True,)).fetchone() == (1,)


def test_install_is_idempotent_and_django_reads_back_bools(db: None) -> None:
    sqlite_params.install(sqlite3)  # again: the same registration
    from nidaan.patients.models import PatientMerge

    assert PatientMerge.objects.filter(active=True).count() == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s, %s", [None, True])
            assert cursor.fetchone() == (None, 1)
