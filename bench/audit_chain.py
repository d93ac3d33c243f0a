"""How long `nidaan audit verify` takes for a year or more of a clinic's audit log.

    python -m bench.audit_chain --events 200000

Makes a throw-away node, writes N chained events in bulk (as `record()` would chain
them: a busy clinic writes ~1,000 a day), then times the verification. Prints a table.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import tempfile
import time
import uuid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="nidaan-auditbench-")
    os.environ["NIDAAN_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "nidaan.settings.node"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from nidaan.audit import chain
    from nidaan.audit.models import AuditEvent, AuditHead
    from nidaan.audit.verify import verify_all

    try:
        call_command("migrate", verbosity=0)
        node_id, previous = uuid.uuid4(), ""
        start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        started = time.monotonic()
        batch: list[AuditEvent] = []
        with transaction.atomic():
            for seq in range(1, args.events + 1):
                event = AuditEvent(
                    node_id=node_id,
                    seq=seq,
                    prev_hash=previous,
                    at=start + datetime.timedelta(seconds=30 * seq),
                    actor_id=uuid.uuid4(),
                    actor_username="doctor",
                    org_id=node_id,
                    action="view",
                    entity="patients.patient",
                    entity_id=uuid.uuid4(),
                    patient_id=uuid.uuid4(),
                    address="192.168.1.20",
                    channel="web",
                    detail={"page": "history"},
                )
                event.hash = previous = chain.event_hash(chain.values_of(event))
                batch.append(event)
                if len(batch) == 5000:
                    AuditEvent.objects.bulk_create(batch)
                    batch = []
            AuditEvent.objects.bulk_create(batch)
            AuditHead.objects.create(node_id=node_id, seq=args.events, hash=previous, local=True)
        written = time.monotonic() - started
        started = time.monotonic()
        report = verify_all()
        verified = time.monotonic() - started
        assert report.intact  # noqa: S101 - a benchmark's sanity check
        print("| events | write (bulk, hashing) | `nidaan audit verify` | per event |")
        print("|---:|---:|---:|---:|")
        print(
            f"| {report.events:,} | {written:.1f} s | {verified:.1f} s "
            f"| {verified / report.events * 1e6:.0f} µs |"
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
