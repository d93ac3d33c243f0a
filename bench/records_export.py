"""Records request export (issue 8): how long the FHIR bundle and the printed summary of
one patient's whole chart take, and how many queries, as the chart grows.

    python -m bench.records_export                      # patients with 1, 20 and 200 visits
    python -m bench.records_export --visits 1,50,500 --repeat 5

A throw-away SQLite node (its own NIDAAN_DATA_DIR) gets one patient per size, each visit
with a completed note, a set of vitals, a diagnosis and a three-line prescription. Wall
and CPU times are the median of `--repeat` runs; on a shared machine compare the CPU
column and ratios, not absolute wall times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from bench.report import table

RX_LINES = [
    {"drug_code": "PCM650", "frequency": "1-1-1", "food": "after", "duration": "3"},
    {"drug_code": "CTZ10", "frequency": "0-0-1", "duration": "5"},
    {"drug_code": "PAN40", "frequency": "1-0-0", "food": "before", "duration": "5"},
]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaan.settings.node")
    os.environ["NIDAAN_DATA_DIR"] = tempfile.mkdtemp(prefix="nidaan-bench-records-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _clinic() -> tuple[Any, Any]:
    """The demo clinic (`nidaan demo`) and its doctor, as the other benchmarks use them."""
    from nidaan.accounts.models import User
    from nidaan.clinics.demo import ensure_demo_clinic
    from nidaan.clinics.models import Facility

    ensure_demo_clinic()
    facility = Facility.objects.get()
    return facility, User.objects.get(username="doctor", organisation_id=facility.organisation_id)


def _patient_with_visits(facility: Any, doctor: Any, visits: int) -> Any:
    from nidaan.encounters import actions as chart
    from nidaan.patients.actions import register_patient
    from nidaan.patients.forms import PatientForm
    from nidaan.prescriptions.actions import RxDraft, issue_prescription

    form = PatientForm({"name": "रमेश कुमार", "sex": "M", "age": 54, "mobile": "9876543210"})
    assert form.is_valid(), form.errors  # noqa: S101 - fixed input
    patient = register_patient(
        acting_user=doctor, facility=facility, demographics=form.demographics()
    )
    chart.record_allergy(
        patient, {"category": "drug", "substance": "Penicillin"}, acting_user=doctor
    )
    for number in range(visits):
        encounter = chart.start_encounter(acting_user=doctor, patient=patient, facility=facility)
        chart.save_consultation(
            encounter.notes.get(),
            {"complaints": [{"text": "fever", "duration": 2, "unit": "days"}], "advice": "Rest"},
            acting_user=doctor,
            complete=True,
        )
        chart.record_vitals(
            encounter,
            {
                "bp_systolic": 120 + number % 40,
                "bp_diastolic": 80,
                "pulse": 76,
                "temperature_c": Decimal("37.2"),
                "weight_kg": Decimal("68.5"),
            },
            acting_user=doctor,
        )
        chart.add_diagnosis(
            encounter,
            {"icd10_code": "E11.9", "text": "Type 2 diabetes mellitus"},
            acting_user=doctor,
        )
        issue_prescription(encounter, RxDraft(lines=RX_LINES), acting_user=doctor)
    return patient


def _timed(run: Callable[[], Any], repeat: int) -> tuple[float, float, int, Any]:
    """Median wall ms, median CPU ms, queries of one run, and the last result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus = [], []
    result: Any = None
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            result = run()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries = len(captured)
    return statistics.median(walls), statistics.median(cpus), queries, result


def mapped(patient: Any) -> list[dict[str, Any]]:
    from nidaan.fhir.bundle import chart_resources
    from nidaan.fhir.chart import chart_records

    return chart_resources(chart_records(patient)).all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", default="1,20,200")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()
    from fhir.resources.R4B.bundle import Bundle

    from nidaan.privacy import summary

    facility, doctor = _clinic()
    rows = []
    for visits in (int(v) for v in args.visits.split(",")):
        patient = _patient_with_visits(facility, doctor, visits)
        # Warm up: fonts parsed, models imported.
        summary.render(summary.summary_for(patient))

        _wall, map_cpu, map_queries, resources = _timed(partial(mapped, patient), args.repeat)
        entries = [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]
        bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
        _wall, validate_cpu, _q, _ = _timed(partial(Bundle.model_validate, bundle), args.repeat)
        _wall, collect_cpu, summary_queries, made = _timed(
            partial(summary.summary_for, patient), args.repeat
        )
        _wall, render_cpu, _q, pdf = _timed(partial(summary.render, made), args.repeat)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
        rows.append(
            [
                str(visits),
                str(len(resources)),
                f"{map_cpu:.0f}",
                str(map_queries),
                f"{validate_cpu:.0f}",
                f"{collect_cpu:.0f}",
                str(summary_queries),
                f"{render_cpu:.0f}",
                str(pages),
                f"{len(pdf) / 1024:.0f}",
            ]
        )
    print(  # noqa: T201 - the benchmark's report
        table(
            [
                "visits",
                "FHIR resources",
                "map ms (CPU)",
                "queries",
                "R4B validation ms (CPU)",
                "summary data ms (CPU)",
                "queries",
                "PDF render ms (CPU)",
                "pages",
                "PDF KiB",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
