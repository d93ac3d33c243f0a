from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nidaan.core"
    label = "core"
    verbose_name = "Nidaan core"

    def ready(self) -> None:
        import sqlite3

        from nidaan.core import sqlite_params, synced

        synced.build_registry()
        # Plain SQLite (NIDAAN_DB_ENCRYPTION=off); keys.sqlcipher does it for sqlcipher3.
        sqlite_params.install(sqlite3)
