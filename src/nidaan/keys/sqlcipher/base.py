"""Django's SQLite backend on SQLCipher 4 (AES-256 pages, HMAC-SHA512 per page): the
node's database file is unreadable without the key.

The node's default (settings/base.py; NIDAAN_DB_ENCRYPTION=off opts out). The key is derived
from the node's master key (keys/__init__.py, "nidaan/sqlcipher/v1") and given as a raw
256-bit key, so SQLCipher's own PBKDF2 is skipped on every connection (the master key is
already random; stretching a passphrase happens once, in keys.unseal).

Everything else is Django's sqlite3 backend: the same SQL, the same PRAGMAs (WAL,
synchronous=FULL, IMMEDIATE transactions), only the driver module is sqlcipher3's.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from itertools import tee
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3._functions import register as register_functions
from django.utils.asyncio import async_unsafe
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from sqlcipher3 import dbapi2 as Cipher

__all__ = ["Cipher", "DatabaseWrapper", "connect", "export", "key_pragma", "raw_key"]

from nidaan import keys
from nidaan.core import sqlite_params

# The converters and adapters Django registers on the standard sqlite3 module.
Cipher.register_converter("bool", b"1".__eq__)
Cipher.register_converter("date", sqlite_base.decoder(parse_date))
Cipher.register_converter("time", sqlite_base.decoder(parse_time))
Cipher.register_converter("datetime", sqlite_base.decoder(parse_datetime))
Cipher.register_converter("timestamp", sqlite_base.decoder(parse_datetime))
Cipher.register_adapter(decimal.Decimal, str)
Cipher.register_adapter(datetime.date, sqlite_base.adapt_date)
Cipher.register_adapter(datetime.datetime, sqlite_base.adapt_datetime)
sqlite_params.install(Cipher)


def raw_key(master: bytes | None = None) -> str:
    """The database key as SQLCipher's raw-key literal."""
    return f"\"x'{keys.derive('nidaan/sqlcipher/v1', master).hex()}'\""


def key_pragma(master: bytes | None = None) -> str:
    return f"PRAGMA key = {raw_key(master)}"


def connect(path: Path | str, master: bytes | None = None) -> Any:
    """A connection to an encrypted node database outside Django (tools, tests)."""
    db = Cipher.connect(str(path), uri=str(path).startswith("file:"))
    db.execute(key_pragma(master))
    return db


def export(source: Path, target: Path, *, source_key: str | None, target_key: str) -> None:
    """Copy a whole database into a new file with another key ('' = plain SQLite), in one
    read transaction so the copy is consistent while the clinic keeps writing."""
    db = Cipher.connect(str(source), uri=str(source).startswith("file:"))
    try:
        if source_key is not None:
            db.execute(f"PRAGMA key = {source_key}")
        db.execute(f"ATTACH DATABASE ? AS target KEY {target_key}", (str(target),))
        db.execute("BEGIN")
        db.execute("SELECT sqlcipher_export('target')")
        db.execute("COMMIT")
        db.execute("DETACH DATABASE target")
    finally:
        db.close()


def _why_it_does_not_open(path: Path) -> keys.KeyUnavailable:
    if keys.database_file_state(path) == "plain":
        return keys.KeyUnavailable(
            f"{path} is a plain, unencrypted SQLite database (made before Nidaan encrypted "
            "by default). Stop `nidaan serve` and `nidaan worker`, then run "
            "`nidaan keys encrypt-database` (or set NIDAAN_DB_ENCRYPTION=off to keep it "
            "unencrypted: not protected against a stolen disk)"
        )
    return keys.KeyUnavailable(
        f"this key does not open {path} (key {keys.fingerprint(keys.master_key())}): the "
        "database was encrypted with another key. Give this node's printed recovery key: "
        "`nidaan keys recover`"
    )


class CipherCursorWrapper(Cipher.Cursor):
    """Django's SQLiteCursorWrapper (format → qmark placeholders) on sqlcipher3."""

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return super().execute(query)
        names = list(params) if isinstance(params, Mapping) else None
        return super().execute(self.convert_query(query, param_names=names), params)

    def executemany(self, query: str, param_list: Any) -> Any:
        if isinstance(param_list, list):  # sync's bulk inserts: no need to copy it
            params = param_list[0] if param_list else None
        else:
            peekable, param_list = tee(iter(param_list))
            params = next(peekable, None)
        if params and isinstance(params, Mapping):
            names: list[str] | None = list(params)
        else:
            names = None
        return super().executemany(self.convert_query(query, param_names=names), param_list)

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        # Django's method on this cursor: it reads only the query and the names.
        wrapper: Any = self
        converted: str = sqlite_base.SQLiteCursorWrapper.convert_query(
            wrapper,
            query,
            param_names=param_names,
        )
        return converted


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    Database = Cipher

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        params["detect_types"] = Cipher.PARSE_DECLTYPES | Cipher.PARSE_COLNAMES
        return params

    @async_unsafe
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = Cipher.connect(**conn_params)
        # The key must be the first statement on the connection.
        conn.execute(key_pragma())
        try:
            register_functions(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA legacy_alter_table = OFF")
            for init_command in self.init_commands:  # type: ignore[attr-defined]
                if init_command := init_command.strip():
                    conn.execute(init_command)
            # The first read of page 1: a wrong key or a plain file fails here, where it
            # can be explained, not in the middle of the first query.
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except Cipher.DatabaseError as error:
            conn.close()
            if "not a database" not in str(error):
                raise
            raise _why_it_does_not_open(Path(str(conn_params["database"]))) from error
        return conn

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CipherCursorWrapper)
