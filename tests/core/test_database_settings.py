from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_is_configured_for_power_cuts() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # In-memory test databases cannot use WAL, so the file setting is what is
            # checked: the init command that every connection runs.
            init = connection.settings_dict["OPTIONS"]["init_command"]
            assert "journal_mode=WAL" in init
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) >= 150000
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"
