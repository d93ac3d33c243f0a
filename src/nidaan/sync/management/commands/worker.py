"""`nidaan worker`: keeps this node in sync with its hub, for as long as it runs.

Pushes and pulls every few seconds while the hub answers, at once when a local write
appears, and backs off (exponentially, with jitter) while the link is down.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from nidaan.core import node
from nidaan.sync import actions, client
from nidaan.sync.models import SyncState

_stopping = False


def _stop(*_: Any) -> None:
    global _stopping
    _stopping = True


class Command(BaseCommand):
    help = "Run background work: sync with the hub on an interval and after local writes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between pulls")
        parser.add_argument(
            "--check-every", type=int, default=1800, help="rounds between divergence checks"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        interval: float = options["interval"]
        failures = 0
        rounds = 0
        from nidaan.keys.protection import unlock_at_start

        unlock_at_start(self.stdout, self.stderr)
        self.stdout.write("worker started")
        # Changes parked because an older Nidaan could not read them apply after upgrading.
        applied, still = actions.retry_held(only_newer_schema=True)
        if applied or still:
            self.stdout.write(
                f"held-back changes from a newer Nidaan: {applied} applied, {still} held"
            )
        while not _stopping:
            close_old_connections()
            if not SyncState.objects.exists():
                self._wait(30.0, None)
                continue
            rounds += 1
            try:
                report = client.sync_once(check=rounds % options["check_every"] == 0)
                failures = 0
                if report.pushed or report.pulled:
                    self.stdout.write(f"pushed {report.pushed}, pulled {report.pulled}")
                delay = interval
            except client.SyncError as error:
                failures += 1
                delay = client.backoff_delay(failures)
                self.stderr.write(f"sync failed ({error}); retrying in {delay:.0f} s")
            self._wait(delay, node.identity().last_seq)
        self.stdout.write("worker stopped")

    def _wait(self, seconds: float, last_seq: int | None) -> None:
        """Sleep, but wake as soon as a local write appears (it should reach the hub now)."""
        deadline = time.monotonic() + seconds
        while not _stopping and time.monotonic() < deadline:
            time.sleep(0.25)
            if last_seq is not None and node.identity().last_seq != last_seq:
                return
