"""`make bench`: registration and search on a throw-away node (SQLite file, WAL, FULL sync).

python -m bench [--patients N] [--queries N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("NIDAAN_DATA_DIR", tempfile.mkdtemp(prefix="nidaan-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaan.settings.node")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.patients import generated_patients
    from nidaan.accounts.models import User
    from nidaan.clinics.demo import ensure_demo_clinic
    from nidaan.patients.actions import register_patient
    from nidaan.patients.models import Patient
    from nidaan.patients.search import search_patients

    call_command("migrate", verbosity=0)
    ensure_demo_clinic("Bench-Password-1")
    user = User.objects.get(username="reception")
    facility = user.facility
    if facility is None:
        raise SystemExit("the demo receptionist has no branch")

    rng = random.Random(7)  # noqa: S311 - reproducible fake data
    people = list(generated_patients(args.patients, rng))
    timings: list[float] = []
    for person in people:
        started = time.perf_counter()
        register_patient(acting_user=user, facility=facility, demographics=person)
        timings.append(time.perf_counter() - started)
    first_names = [
        name.split()[0].lower() for name in Patient.objects.values_list("name_latin", flat=True)
    ]

    queries: dict[str, list[str]] = {
        "first name (Latin)": rng.sample(first_names, args.queries),
        "mobile last 4": [p["mobile"][-4:] for p in rng.sample(people, args.queries)],
        "full mobile": [p["mobile"] for p in rng.sample(people, args.queries)],
    }
    rows = [("register patient", timings)]
    for label, texts in queries.items():
        samples = []
        for text in texts:
            started = time.perf_counter()
            search_patients(user.organisation_uuid, text)
            samples.append(time.perf_counter() - started)
        rows.append((f"search: {label}", samples))

    print(f"\nNidaan bench: {args.patients} patients, SQLite at {os.environ['NIDAAN_DATA_DIR']}")
    print(f"{'operation':<28}{'n':>7}{'median ms':>12}{'p95 ms':>10}{'max ms':>10}")
    for label, samples in rows:
        ms = [s * 1000 for s in samples]
        print(
            f"{label:<28}{len(ms):>7}{statistics.median(ms):>12.2f}"
            f"{percentile(ms, 0.95):>10.2f}{max(ms):>10.2f}"
        )


if __name__ == "__main__":
    main()
