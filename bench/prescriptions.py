"""PDF render time of a prescription (issue 6): a 6-line bilingual A5, and the other
layouts, rendered in this process from a `Printout` (no database involved).

    python -m bench.prescriptions                     # 300 renders per layout
    python -m bench.prescriptions --renders 1000
    python -m bench.prescriptions --examples docs/    # also write example PDFs and PNGs

Wall time (perf_counter) and the process's CPU time (process_time) are both reported:
on a shared machine the wall figure includes waiting for a core, the CPU figure does
not. PDFs per second on one core = 1000 / mean CPU ms. The first render of a process
(fonts parsed, HarfBuzz faces loaded; about 0.1 s, plus ~1 s once per data directory
to make the static font instances) is excluded and reported separately.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.report import fmt, summary, table


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaan.settings.node")
    os.environ.setdefault("NIDAAN_DATA_DIR", tempfile.mkdtemp(prefix="nidaan-bench-rx-"))
    import django

    django.setup()


def sample_printout(lines: int = 6) -> Any:
    """A realistic OPD prescription: fever with cough in an adult with a penicillin
    allergy; six lines (tablets, a capsule, a suspension, an H1 drug)."""
    from nidaan.prescriptions import formulary
    from nidaan.prescriptions.lines import build_line
    from nidaan.prescriptions.printout import Printout
    from nidaan.printing import Letterhead

    rows: list[dict[str, str]] = [
        {"drug_code": "PCM650", "frequency": "1-1-1", "food": "after", "duration": "3"},
        {"drug_code": "AZI500", "frequency": "OD", "food": "after", "duration": "3"},
        {"drug_code": "LCZ5", "frequency": "0-0-1", "duration": "5"},
        {
            "drug_code": "PAN40",
            "frequency": "1-0-0",
            "food": "before",
            "duration": "2",
            "duration_unit": "weeks",
        },
        {
            "drug_code": "ANT",
            "dose": "10",
            "frequency": "TDS",
            "food": "after",
            "duration": "5",
            "quantity": "1",
            "note": "shake well",
            "note_hi": "हिलाकर पिएँ",
        },
        {"drug_code": "CFX200", "frequency": "1-0-1", "food": "after", "duration": "5"},
    ]
    drugs = formulary.by_code()
    built = tuple(build_line(row, drugs) for row in rows[:lines])
    return Printout(
        clinic=Letterhead(
            name_en="Shanti Clinic",
            name_hi="शांति क्लिनिक",
            address="Boring Road, Patna – 800001",
            phone="0612 222 3333",
            timings="9–1, 5–8",
        ),
        doctor_name="Dr. Anjali Verma",
        doctor_name_hi="डॉ. अंजलि वर्मा",
        qualification="MBBS, MD (Medicine)",
        registration_number="BMC 1234",
        council="Bihar Medical Council",
        patient_name="रमेश कुमार (Ramesh Kumar)",
        age_sex="45 y / M",
        uhid="HA7N-0001-7",
        abha="91-2345-6789-0123",
        issued_at=datetime.datetime(2026, 11, 27, 5, 30, tzinfo=datetime.UTC),
        lines=built,
        short_code="7QK2M9TX",
        verify_url="https://hub.nidaan.example/v/7QK2M9TX",
        weight_kg=Decimal("71.5"),
        complaints="fever 3 days, cough 5 days",
        findings="Temp 101.2 °F, throat congested, chest clear",
        diagnosis="Acute pharyngitis (J02.9)",
        allergies="Penicillin",
        investigations="CBC, Widal if fever persists",
        advice="Warm water gargles; plenty of fluids; rest",
        diet="Light food, no cold drinks",
        follow_up=datetime.date(2026, 12, 2),
    )


def measure(renders: int, language: str, size: str) -> dict[str, Any]:
    from nidaan.prescriptions.printout import render
    from nidaan.printing import page_size

    printout = sample_printout()
    page = page_size(size)
    started = time.perf_counter()
    first = render(printout, language, page)  # type: ignore[arg-type]
    first_ms = (time.perf_counter() - started) * 1000
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(renders):
        w0, c0 = time.perf_counter(), time.process_time()
        render(printout, language, page)  # type: ignore[arg-type]
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    mean_cpu = sum(cpu) / len(cpu)
    return {
        "layout": f"{size} {language}",
        "bytes": len(first),
        "first_ms": first_ms,
        "wall": summary(wall),
        "cpu": summary(cpu),
        "per_second": 1000 / mean_cpu,
    }


def examples(directory: Path) -> list[Path]:
    """docs/prescription-<lang>-A5.png: what the printout looks like (first page)."""
    from nidaan.prescriptions.printout import render
    from nidaan.printing import A5

    made = []
    for language in ("hi", "en", "both"):
        pdf = render(sample_printout(), language, A5)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "rx.pdf"
            path.write_bytes(pdf)
            stem = directory / f"prescription-{language}-A5"
            subprocess.run(  # noqa: S603 - fixed arguments
                [
                    shutil.which("pdftoppm") or "pdftoppm",
                    "-png",
                    "-r",
                    "110",
                    "-singlefile",
                    str(path),
                    str(stem),
                ],
                check=True,
            )
            made.append(stem.with_suffix(".png"))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=300)
    parser.add_argument("--examples", type=Path, help="write example PNGs into this folder")
    args = parser.parse_args()
    _setup()
    results = [
        measure(args.renders, language, size)
        for size, language in (("A5", "both"), ("A5", "hi"), ("A5", "en"), ("A4", "both"))
    ]
    rows = [
        [
            r["layout"],
            str(r["wall"]["n"]),
            fmt(r["wall"]["p50"]),
            fmt(r["wall"]["p95"]),
            fmt(r["cpu"]["p50"]),
            fmt(r["cpu"]["p95"]),
            fmt(r["per_second"], 0),
            f"{r['bytes'] / 1024:.0f} KiB",
            fmt(r["first_ms"], 0),
        ]
        for r in results
    ]
    header = [
        "6-line Rx",
        "n",
        "wall p50 ms",
        "wall p95 ms",
        "CPU p50 ms",
        "CPU p95 ms",
        "PDFs/s/core",
        "size",
        "first ms",
    ]
    print(table(header, rows))
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.examples:
        for path in examples(args.examples):
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
