"""`nidaan serve`: the production server for a clinic PC (waitress, pure Python)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Serve Nidaan on the clinic LAN with a production WSGI server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the whole LAN)"
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from nidaan.keys.protection import unlock_at_start
        from nidaan.wsgi import application

        unlock_at_start(self.stdout, self.stderr)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(
                self.style.WARNING(
                    "The database has unapplied migrations: run `nidaan migrate` first."
                )
            )
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Nidaan ({settings.NIDAAN_ROLE}) serving on {url}")
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        self.stdout.flush()
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="nidaan",
        )
