"""Throw-away PostgreSQL databases for benchmark runs, beside the one DATABASE_URL names."""

from __future__ import annotations

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
