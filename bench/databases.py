"""Throw-away PostgreSQL databases for benchmark runs, beside the one DATABASE_URL names."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def recreate_pg_database(base_url: str, name: str, drop_only: bool = False) -> None:
    """A fresh, empty database `name` (or none, with drop_only); a run killed earlier may
    have left connections to the old one, so the drop forces them out."""
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def open_node_sqlite(path: Path) -> Any:
    """A node's SQLite file outside Django, with this node's key when it is encrypted
    (SQLCipher, the default) and plainly when it is not."""
    from nidaan import keys
    from nidaan.keys.sqlcipher.base import connect

    if keys.database_file_state(path) == "plain":
        return sqlite3.connect(path)
    return connect(path)
