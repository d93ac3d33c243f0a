"""Billing timings (issue 7): issuing bills, printing them, and the month's GSTR-1.

    python -m bench.billing                       # SQLite, 1,000 bills
    python -m bench.billing --db sqlite,postgres --bills 2000

Each database runs in its own process on a fresh database: a new NIDAAN_DATA_DIR for
SQLite, or DATABASE_URL as given for PostgreSQL (migrated; its billing rows are added
to, never dropped). The child sets up the demo clinic and its billing, then times:
issuing a mixed bill (consultation + two medicines) through the action, the same through
`POST /api/v1/bills` with Django's test Client, a payment, the PDF at A4, A5 and 80 mm,
and GSTR-1 for a month holding all the bills. Prints one table per database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://nidaan:nidaan@127.0.0.1:5432/nidaan_bill"


def _timed(fn: Callable[[], Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _row(name: str, samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "what": name,
        "n": len(samples),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
        "max_ms": round(ordered[-1], 2),
    }


def child(bills: int) -> list[dict[str, Any]]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaan.settings.node")
    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from nidaan.accounts.actions import create_api_token
    from nidaan.accounts.models import User
    from nidaan.billing import actions, reports
    from nidaan.billing.actions import LineRequest
    from nidaan.billing.demo import ensure_demo_billing
    from nidaan.billing.models import CatalogueEntry
    from nidaan.billing.pdf import render_bill
    from nidaan.clinics.demo import ensure_demo_clinic
    from nidaan.patients.models import Patient

    call_command("migrate", verbosity=0)
    ensure_demo_clinic("bench-pass-123")
    ensure_demo_billing("bench-pass-123")
    pharmacy = User.objects.get(username="pharmacy")
    facility = pharmacy.home_facility
    patient = Patient.objects.filter(organisation_id=pharmacy.organisation_id).first()
    entries = CatalogueEntry.objects.filter(organisation_id=pharmacy.organisation_id)
    consult = entries.get(name="Consultation (first visit)")
    para = entries.get(name__startswith="Paracetamol")
    amox = entries.get(name__startswith="Amoxicillin")
    lines = [LineRequest(consult), LineRequest(para, Decimal(2)), LineRequest(amox)]
    issued: list[Any] = []

    def issue() -> None:
        issued.append(
            actions.issue_bill(
                acting_user=pharmacy, facility=facility, patient=patient, lines=lines
            )
        )

    results = [_row("issue bill (action, 3 lines)", _timed(issue, bills))]
    client = Client()
    headers = {"Authorization": f"Bearer {create_api_token(pharmacy)}"}
    body = json.dumps(
        {
            "patient_id": str(patient.pk) if patient else None,
            "lines": [
                {"entry_id": str(consult.pk)},
                {"entry_id": str(para.pk), "quantity": "2"},
                {"entry_id": str(amox.pk)},
            ],
        }
    )

    def post() -> None:
        response = client.post(
            "/api/v1/bills", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 201, response.content  # noqa: S101 - a bench check

    results.append(_row("POST /api/v1/bills", _timed(post, max(bills // 5, 20))))
    to_pay = iter(issued)

    def pay() -> None:
        bill = next(to_pay)
        actions.record_payment(bill, mode="upi", amount=bill.total, acting_user=pharmacy)

    results.append(_row("record payment (UPI)", _timed(pay, max(bills // 5, 20))))
    render_bill(issued[0], size="A4")  # fonts made and parsed once per process
    for size in ("A4", "A5", "80mm"):
        sample = iter(issued)

        def render(size: str = size, sample: Any = sample) -> None:
            render_bill(next(sample), size=size)

        results.append(_row(f"PDF {size}, en+hi", _timed(render, 50)))
    period = f"{timezone.localdate():%m%Y}"
    results.append(
        _row(
            f"GSTR-1 JSON, month of {len(issued)}+ bills",
            _timed(lambda: reports.gstr1(pharmacy.home_facility.organisation, period), 3),
        )
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.bills)))  # noqa: T201
        return
    for db in args.db.split(","):
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["NIDAAN_DATA_DIR"] = tempfile.mkdtemp(prefix=f"nidaan-billbench-{db}-")
        if db == "postgres":
            env["DATABASE_URL"] = os.environ.get("DATABASE_URL", DEFAULT_PG)
        else:
            env.pop("DATABASE_URL", None)
        done = subprocess.run(  # noqa: S603 - this same module, by its own path
            [sys.executable, "-m", "bench.billing", "--child", "--bills", str(args.bills)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        rows = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"\n{db}")  # noqa: T201
        print("| what | n | p50 ms | p95 ms | max ms |")  # noqa: T201
        print("|---|---:|---:|---:|---:|")  # noqa: T201
        for row in rows:
            print(  # noqa: T201
                f"| {row['what']} | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | "
                f"{row['max_ms']} |"
            )


if __name__ == "__main__":
    main()
