"""`nidaan node enrol --hub URL --code CODE`: connect this PC to the clinic's hub."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan.sync import client


class Command(BaseCommand):
    help = "Node tasks: enrol this PC with a hub."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="task", required=True)
        enrol = sub.add_parser("enrol", help="enrol this node with a one-time code from the hub")
        enrol.add_argument("--hub", required=True, help="the hub's address, https://...")
        enrol.add_argument("--code", required=True, help="the enrolment code the hub admin gave")
        enrol.add_argument("--name", default="", help="a name for this PC (default: host name)")
        enrol.add_argument(
            "--no-sync", action="store_true", help="only enrol; the worker syncs later"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.NIDAAN_ROLE != "node":
            raise CommandError("run this on a clinic node (NIDAAN_ROLE=node)")
        try:
            state = client.enrol(options["hub"], options["code"], options["name"])
        except client.SyncError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Enrolled with {state.hub_url}.")
        if options["no_sync"]:
            return
        self.stdout.write("First sync (clinic, staff and records)...")
        try:
            report = client.sync_once()
        except client.SyncError as error:
            raise CommandError(
                f"enrolled, but the first sync failed: {error}. "
                "`nidaan worker` keeps retrying; `nidaan sync --once` tries now."
            ) from None
        self.stdout.write(
            f"Done: {report.snapshot_rows} rows from the snapshot, {report.pulled} changes pulled."
        )
