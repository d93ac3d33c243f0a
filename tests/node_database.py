"""Opening a node's SQLite database from a test, encrypted (the default) or not."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from nidaan import keys
from nidaan.keys import keyfile
from nidaan.keys.sqlcipher.base import connect


def open_test_database(name: str) -> Any:
    """The test run's own database (an in-memory `file:` URI, or a file), with the key the
    test process uses."""
    from django.db import connection

    if connection.settings_dict["ENGINE"] == keys.SQLCIPHER_ENGINE:
        return connect(name)
    return sqlite3.connect(name, uri=name.startswith("file:"))


def open_node_database(data_dir: Path, passphrase: str = "") -> Any:
    """The database of a node process started on `data_dir` with its key beside it (what
    a node makes when there is no OS keyring, as in tests), or with this process's key
    when there is no key file there (a restore made by this process)."""
    database = data_dir / "nidaan.sqlite3"
    if keys.database_file_state(database) != "encrypted":
        return sqlite3.connect(database)
    stored = keyfile.read(data_dir / "keys" / "master.key")
    if stored is None:
        return connect(database)
    if stored.form == keyfile.PLAIN:
        return connect(database, keys.from_recovery_text(stored.plain_text))
    return connect(database, keys.unseal(stored.sealed, passphrase))
