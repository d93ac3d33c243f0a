"""The OPD day at scale (issue 5): history, consultation save and the doctor's queue.

    python -m bench.opd                                   # 10^4 patients, 2x10^5 visits, SQLite
    python -m bench.opd --patients 100000 --encounters 2000000 --db sqlite,postgres

Each database runs in its own process on a fresh, throw-away database: a new
NIDAAN_DATA_DIR (SQLite, settings `nidaan.settings.node`) or a new PostgreSQL database
next to DATABASE_URL's (same settings, DATABASE_URL pointed at it), dropped afterwards
unless --keep. The child migrates, sets up the demo clinic, bulk-loads patients
(bulk_create) and visits (Encounter, ConsultationNote draft + completed version,
VitalSigns, Diagnosis; executemany on SQLite, COPY on PostgreSQL, see Inserter) in
large transactions, bypassing the actions (so no change-log or audit rows for the loaded
history), issues today's ~60 tokens through the real OPD actions,
then times requests through Django's test Client logged in as the demo doctor, so
middleware, view, queries and templates are all inside the figure. The process first
imports nidaan.wsgi, as `nidaan serve` does (it freezes the start-up heap); the
200-visit history is timed once more with the heap unfrozen, as it was before. See
docs/benchmarks-opd.md for what is measured and the results.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import functools
import gc
import io
import json
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.databases import recreate_pg_database, with_database

ROOT = Path(__file__).resolve().parent.parent
# The node the loaded rows were written on, as their field clocks name it.
LOADER_NODE = uuid.UUID("01900000-0000-7000-8000-0000000010ad")
DEFAULT_PG = "postgres://nidaan:nidaan@127.0.0.1:5432/nidaan"
PG_BENCH_DB = "nidaan_opdbench"
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
# Visits are generated over this many years ending yesterday, Monday to Saturday,
# 9:00-13:00 and 17:00-20:00 (the demo clinic's hours).
DEFAULT_YEARS = 8
OPEN_MINUTES = 7 * 60
BIG_PATIENT_VISITS = 200
# Encounters per loading transaction (each brings ~4 more rows).
ENCOUNTER_BATCH = 5000
INSERT_BATCH = 2000


# ----- fake clinical data ----------------------------------------------------------------

MEN = [
    ("रमेश", "Ramesh"),
    ("सुरेश", "Suresh"),
    ("राजेश", "Rajesh"),
    ("मनोज", "Manoj"),
    ("संजय", "Sanjay"),
    ("राकेश", "Rakesh"),
    ("अनिल", "Anil"),
    ("सुनील", "Sunil"),
    ("विनोद", "Vinod"),
    ("अमित", "Amit"),
    ("दिनेश", "Dinesh"),
    ("मुकेश", "Mukesh"),
    ("अशोक", "Ashok"),
    ("विजय", "Vijay"),
    ("संतोष", "Santosh"),
    ("राहुल", "Rahul"),
    ("इमरान", "Imran"),
    ("सलीम", "Salim"),
    ("जावेद", "Javed"),
    ("आरिफ", "Arif"),
]
WOMEN = [
    ("सुनीता", "Sunita"),
    ("अनीता", "Anita"),
    ("पूजा", "Pooja"),
    ("रीता", "Rita"),
    ("गीता", "Geeta"),
    ("प्रियंका", "Priyanka"),
    ("नेहा", "Neha"),
    ("सीता", "Sita"),
    ("मीना", "Meena"),
    ("रेखा", "Rekha"),
    ("किरण", "Kiran"),
    ("ममता", "Mamta"),
    ("फातिमा", "Fatima"),
    ("शबनम", "Shabnam"),
    ("रुबीना", "Rubina"),
    ("सलमा", "Salma"),
]
SURNAMES = [
    ("कुमार", "Kumar"),
    ("यादव", "Yadav"),
    ("वर्मा", "Verma"),
    ("सिंह", "Singh"),
    ("गुप्ता", "Gupta"),
    ("श्रीवास्तव", "Srivastava"),
    ("मिश्रा", "Mishra"),
    ("पांडे", "Pandey"),
    ("तिवारी", "Tiwari"),
    ("शुक्ला", "Shukla"),
    ("मौर्य", "Maurya"),
    ("खान", "Khan"),
    ("अंसारी", "Ansari"),
    ("सिद्दीकी", "Siddiqui"),
    ("प्रसाद", "Prasad"),
    ("चौहान", "Chauhan"),
]
LOCALITIES = ["Alambagh", "Aminabad", "Chinhat", "Chowk", "Gomti Nagar", "Indira Nagar"]

# Chronic problems: (ICD-10, minimum age, share of patients of that age who have it).
CHRONIC = [("I10", 40, 0.30), ("E11.9", 35, 0.18), ("J45.9", 8, 0.04), ("E03.9", 25, 0.05)]
ACUTE = [
    "J06.9",
    "J02.9",
    "A09",
    "R50.9",
    "B34.9",
    "N39.0",
    "K30",
    "M54.5",
    "R51",
    "J20.9",
    "A01.0",
    "B54",
    "L30.9",
    "H10.9",
    "D50.9",
    "K21.9",
    "M79.1",
    "R10.4",
    "J30.4",
    "B35.4",
]
FREE_TEXT = ["Viral fever", "Acid peptic disease", "Weakness, cause not clear"]
COMPLAINTS: dict[str, list[str]] = {
    "I10": ["headache", "giddiness", "routine BP check"],
    "E11.9": ["sugar check", "excessive thirst", "tingling in feet"],
    "J45.9": ["breathlessness", "wheezing", "cough"],
    "E03.9": ["weakness", "weight gain"],
    "J06.9": ["cold", "cough", "fever"],
    "J02.9": ["sore throat", "fever"],
    "A09": ["loose motions", "vomiting", "abdominal pain"],
    "R50.9": ["fever", "body ache"],
    "B34.9": ["fever", "body ache", "headache"],
    "N39.0": ["burning urination", "fever"],
    "K30": ["abdominal pain", "bloating"],
    "M54.5": ["back pain"],
    "R51": ["headache"],
    "J20.9": ["cough", "fever", "chest pain"],
    "A01.0": ["fever", "abdominal pain", "weakness"],
    "B54": ["fever with chills", "headache"],
    "L30.9": ["itching", "rash"],
    "H10.9": ["red eye", "watering from eye"],
    "D50.9": ["weakness", "breathlessness on exertion"],
    "K21.9": ["burning in chest", "sour belching"],
    "M79.1": ["body ache"],
    "R10.4": ["abdominal pain"],
    "J30.4": ["sneezing", "running nose"],
    "B35.4": ["itching", "ring-shaped rash"],
}
EXAMINATIONS = [
    "Chest clear, bilateral air entry equal. CVS S1 S2 normal. P/A soft, non-tender.",
    "Throat congested, tonsils not enlarged. Chest clear.",
    "Mild pallor. No icterus, no oedema. P/A soft, mild epigastric tenderness.",
    "Conscious, oriented. No pallor. Chest: occasional rhonchi. P/A soft.",
    "Lumbar paraspinal tenderness, SLR negative bilaterally. No neurological deficit.",
    "Afebrile at present. Chest clear. No neck stiffness.",
]
ADVICE = [
    "Plenty of oral fluids, rest. Paracetamol SOS for fever. Review if fever persists.",
    "Less salt, walk 30 minutes a day. Continue medicines. Recheck BP in 2 weeks.",
    "Diabetic diet, regular walk. Fasting and PP sugar before next visit.",
    "ORS after each loose motion, light diet. Come back if blood in stool or drowsiness.",
    "Steam inhalation, warm saline gargles. Avoid cold drinks.",
    "Complete the course of medicines. CBC and urine R/M if no better in 3 days.",
]
PERSONAL = ["Non-smoker, vegetarian.", "Smoker, 10 bidis a day.", "Tobacco chewing.", ""]
FAMILY = ["Father diabetic.", "Mother hypertensive.", "No significant family history.", ""]


@dataclass
class FakePatient:
    index: int
    id: uuid.UUID
    born: datetime.date
    sex: str
    chronic: list[str]
    systolic: int
    diastolic: int
    weight: float
    height: float
    visits: int = 0


def _ages(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.25:
        return rng.randint(0, 17)
    if roll < 0.80:
        return rng.randint(18, 59)
    return rng.randint(60, 88)


def visit_counts(total: int, patients: int, big: int, rng: random.Random) -> list[int]:
    """Visits per patient: patient 0 has exactly `big`, about 1 in 2000 has 50-150, the
    rest share the remainder in proportion to a capped log-normal weight (a few regulars,
    many occasional visitors, some registered and never seen again)."""
    counts = [0] * patients
    if patients == 0 or total == 0:
        return counts
    counts[0] = min(big, total)
    regulars = rng.sample(range(1, patients), k=min(patients - 1, max(5, patients // 2000)))
    for index in regulars:
        counts[index] = rng.randint(50, 150)
    left = total - sum(counts)
    if left < 0:
        raise ValueError("too few encounters for the 200-visit patient and the regulars")
    others = [i for i in range(1, patients) if counts[i] == 0]
    weights = [min(rng.lognormvariate(0, 1.0), 8.0) for _ in others]
    for index in rng.choices(others, weights=weights, k=left):
        counts[index] += 1
    return counts


def working_days(end: datetime.date, years: int) -> list[datetime.date]:
    start = end - datetime.timedelta(days=round(365.25 * years))
    days = []
    day = start
    while day <= end:
        if day.weekday() != 6:  # closed on Sundays
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def visit_times(
    count: int, days: list[datetime.date], rng: random.Random
) -> list[datetime.datetime]:
    """`count` sorted visit times spread evenly over the clinic's opening hours."""
    offsets = sorted(rng.random() * len(days) * OPEN_MINUTES for _ in range(count))
    times = []
    for offset in offsets:
        day_index, minute = divmod(offset, OPEN_MINUTES)
        start = 9 * 60 if minute < 240 else 17 * 60 - 240
        local = datetime.datetime.combine(days[int(day_index)], datetime.time(), tzinfo=IST)
        times.append(local + datetime.timedelta(minutes=start + minute))
    return times


def local_today() -> datetime.date:
    """Today in the clinic's time zone (the settings' Asia/Kolkata)."""
    return datetime.datetime.now(IST).date()


def _years(born: datetime.date, on: datetime.date) -> float:
    return (on - born).days / 365.25


# ----- loading -------------------------------------------------------------------------


@dataclass
class LoadStats:
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    visits: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def stored_times_kept() -> Iterator[None]:
    """Let bulk_create store the generated `recorded_at`/`created_at` instead of "now"."""
    from nidaan.encounters.models import ConsultationNote, Diagnosis, VitalSigns
    from nidaan.patients.models import Patient

    fields = [
        ConsultationNote._meta.get_field("recorded_at"),
        VitalSigns._meta.get_field("recorded_at"),
        Diagnosis._meta.get_field("recorded_at"),
        Patient._meta.get_field("created_at"),
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


@contextlib.contextmanager
def loading_connection(vendor: str) -> Iterator[None]:
    """Bulk-loading settings for this connection only; closed afterwards so the timed
    requests run on the production settings (SQLite: WAL, synchronous=FULL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-2000000")  # 2 GB of page cache
        else:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '1GB'")
    try:
        yield
    finally:
        connection.close()


class Progress:
    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.start, self.last = label, total, time.perf_counter(), 0.0

    def update(self, done: int) -> None:
        now = time.perf_counter()
        if now - self.last < 10 and done < self.total:
            return
        self.last = now
        elapsed = now - self.start
        rate = done / elapsed if elapsed else 0.0
        eta = (self.total - done) / rate if rate else 0.0
        print(
            f"  {self.label}: {done:,}/{self.total:,} ({rate:,.0f}/s, {elapsed:.0f} s, "
            f"~{eta:.0f} s left, RSS {current_rss_mb():.0f} MB)",
            flush=True,
        )


def load_patients(
    count: int, rng: random.Random, organisation_id: Any, facility_id: Any
) -> list[FakePatient]:
    from functools import lru_cache

    from django.db import transaction

    from nidaan.core import uhid
    from nidaan.core.ids import uuid7
    from nidaan.core.models import NodeState
    from nidaan.patients import names
    from nidaan.patients.models import Patient
    from nidaan.patients.search_index import index_new_patients

    romanize = lru_cache(maxsize=None)(names.romanize)
    search_key = lru_cache(maxsize=None)(names.search_key)
    state = NodeState.objects.get()
    today = local_today()
    registered = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=365 * 9)
    fakes: list[FakePatient] = []
    progress = Progress("patients", count)
    for start in range(0, count, ENCOUNTER_BATCH):
        rows = []
        for i in range(start, min(count, start + ENCOUNTER_BATCH)):
            age = 58 if i == 0 else _ages(rng)
            sex = "M" if i == 0 else rng.choice("MF")
            first = rng.choice(MEN if sex == "M" else WOMEN)
            last = rng.choice(SURNAMES)
            script = 0 if rng.random() < 0.6 else 1
            name = f"{first[script]} {last[script]}"
            born = today - datetime.timedelta(days=round(age * 365.25) + rng.randint(0, 364))
            chronic = ["I10", "E11.9"] if i == 0 else []
            if i:
                chronic = [
                    c for c, min_age, share in CHRONIC if age >= min_age and rng.random() < share
                ]
            adult = age >= 18
            fake = FakePatient(
                index=i,
                id=uuid7(),
                born=born,
                sex=sex,
                chronic=chronic,
                systolic=rng.randint(112, 150) + (12 if "I10" in chronic else 0),
                diastolic=rng.randint(72, 92) + (6 if "I10" in chronic else 0),
                weight=rng.uniform(48, 88) if adult else 0.0,
                height=rng.uniform(150, 180) if sex == "M" else rng.uniform(145, 168),
            )
            fakes.append(fake)
            guardian = rng.choice(MEN)
            rows.append(
                Patient(
                    id=fake.id,
                    organisation_id=organisation_id,
                    registered_at_id=facility_id,
                    uhid=uhid.make(state.uhid_prefix, state.last_uhid_seq + i + 1),
                    name=name,
                    name_latin=romanize(name),
                    name_key=search_key(name),
                    sex=sex,
                    date_of_birth=born,
                    date_of_birth_estimated=rng.random() < 0.3,
                    mobile=str(rng.choice("6789")) + "".join(rng.choices("0123456789", k=9)),
                    locality=rng.choice(LOCALITIES),
                    district="Lucknow",
                    state="09",
                    pin="2260" + str(rng.randint(10, 30)),
                    guardian_name=f"{guardian[script]} {last[script]}",
                    guardian_relation="father" if rng.random() < 0.7 else "husband",
                    created_at=registered + datetime.timedelta(seconds=i * 60),
                )
            )
        with transaction.atomic():
            Patient.objects.bulk_create(rows, batch_size=INSERT_BATCH)
            index_new_patients(rows)
        progress.update(start + len(rows))
    state.last_uhid_seq += count
    state.save(update_fields=["last_uhid_seq"])
    return fakes


# Rows to insert, by model name: {attname: value}.
Tables = dict[str, list[dict[str, Any]]]


class VisitMaker:
    """The rows of one visit: encounter, draft and completed note, vitals (now and then
    amended), diagnoses. Record ids are given later, in the order of `recorded_at`."""

    def __init__(self, rng: random.Random, ctx: dict[str, Any]) -> None:
        from nidaan.encounters import icd10

        self.rng = rng
        self.ctx = ctx
        self.titles = {code: icd10.title(code) for code in [*COMPLAINTS]}
        for code in self.titles:
            if not icd10.is_valid(code):
                raise ValueError(f"{code} is not a WHO ICD-10 code")

    def vitals_values(self, p: FakePatient, on: datetime.date) -> dict[str, Any]:
        rng = self.rng
        age = _years(p.born, on)
        values: dict[str, Any] = {}
        if age >= 12 and rng.random() < 0.9:
            systolic = max(90, round(rng.gauss(p.systolic, 9)))
            values["bp_systolic"] = systolic
            values["bp_diastolic"] = min(systolic - 20, max(55, round(rng.gauss(p.diastolic, 6))))
        if rng.random() < 0.9:
            values["pulse"] = rng.randint(62, 104) if age >= 12 else rng.randint(80, 130)
        if rng.random() < 0.7:
            fever = rng.random() < 0.15
            temp = rng.uniform(37.8, 39.6) if fever else rng.uniform(36.4, 37.2)
            values["temperature_c"] = Decimal(f"{temp:.1f}")
        if rng.random() < 0.6:
            values["spo2"] = rng.choice([95, 96, 97, 97, 98, 98, 99, 99, 100])
        if rng.random() < 0.3:
            values["respiratory_rate"] = rng.randint(14, 22)
        if age < 1:
            weight, height = 3.2 + age * 6.5, 50 + age * 25
        elif age < 13:
            weight, height = 8 + 2.2 * age, 75 + 6 * age
        elif age < 18:
            weight, height = 36 + (age - 13) * 4, 150 + (age - 13) * 3
        else:
            weight, height = p.weight, p.height
        if rng.random() < 0.7:
            values["weight_kg"] = Decimal(f"{max(2.0, rng.gauss(weight, 1.2)):.2f}")
        if rng.random() < 0.25:
            values["height_cm"] = Decimal(f"{height:.1f}")
        if "E11.9" in p.chronic and rng.random() < 0.7:
            values["blood_sugar"] = rng.randint(120, 280)
            values["blood_sugar_test"] = rng.choice(["random", "fasting", "pp"])
        elif age >= 30 and rng.random() < 0.08:
            values["blood_sugar"] = rng.randint(85, 150)
            values["blood_sugar_test"] = "random"
        if age < 3:
            values["head_circumference_cm"] = Decimal(f"{min(49.0, 35 + age * 5):.1f}")
        if not values:
            values["pulse"] = rng.randint(62, 104)
        return values

    def visit(
        self, p: FakePatient, started: datetime.datetime, draft_only: bool, out: Tables
    ) -> None:
        """Append the rows of one visit to `out` (field attnames; ids given later)."""
        from nidaan.core.ids import uuid7

        rng, ctx = self.rng, self.ctx
        encounter_id = uuid7()  # made in started_at order, so already time-ordered
        out["Encounter"].append(
            {
                "id": encounter_id,
                "organisation_id": ctx["organisation_id"],
                "facility_id": ctx["facility_id"],
                "patient_id": p.id,
                "doctor_id": ctx["doctor_id"],
                "started_at": started,
            }
        )
        common = {
            "organisation_id": ctx["organisation_id"],
            "patient_id": p.id,
            "encounter_id": encounter_id,
            "recorded_by_id": ctx["doctor_id"],
        }
        draft = {**common, "recorded_at": started}
        out["ConsultationNote"].append(draft)
        vitals = {
            **common,
            "recorded_at": started + datetime.timedelta(minutes=2),
            **self.vitals_values(p, started.date()),
        }
        out["VitalSigns"].append(vitals)
        if rng.random() < 0.03:
            out["VitalSigns"].append(
                {
                    **vitals,
                    "recorded_at": started + datetime.timedelta(minutes=4),
                    "reason": "re-measured",
                    "pulse": rng.randint(62, 104),
                    "_previous": vitals,
                }
            )
        roll = rng.random()
        codes: list[str] = []
        if roll < 0.9:
            for _ in range(2 if roll < 0.15 else 1):
                if p.chronic and rng.random() < 0.6:
                    codes.append(rng.choice(p.chronic))
                else:
                    codes.append(rng.choice(ACUTE))
        codes = list(dict.fromkeys(codes))
        for n, code in enumerate(codes):
            free = rng.random() < 0.05 and code in ACUTE
            final = code in p.chronic or rng.random() < 0.5
            out["Diagnosis"].append(
                {
                    **common,
                    "recorded_at": started + datetime.timedelta(minutes=5, seconds=n),
                    "icd10_code": "" if free else code,
                    "text": rng.choice(FREE_TEXT) if free else self.titles[code],
                    "certainty": "final" if final else "provisional",
                }
            )
        if draft_only:
            return
        complaints = []
        for code in codes or ["R50.9"]:
            text = rng.choice(COMPLAINTS[code])
            unit = rng.choice(["days", "days", "days", "weeks", "months"])
            complaints.append({"text": text, "duration": rng.randint(1, 7), "unit": unit})
        chronic_text = ", ".join(self.titles[c].split(",")[0].lower() for c in p.chronic)
        follow_up = rng.random() < 0.4
        out["ConsultationNote"].append(
            {
                **common,
                "recorded_at": started + datetime.timedelta(minutes=8),
                "complaints": complaints,
                "history_illness": f"Known case of {chronic_text}." if chronic_text else "",
                "history_surgical": "Appendicectomy 2012." if rng.random() < 0.05 else "",
                "history_family": rng.choice(FAMILY),
                "history_personal": rng.choice(PERSONAL),
                "examination": rng.choice(EXAMINATIONS),
                "advice": rng.choice(ADVICE),
                "follow_up_date": (
                    started.date() + datetime.timedelta(days=rng.choice([5, 7, 14, 30]))
                    if follow_up
                    else None
                ),
                "complete": True,
                "_previous": draft,
            }
        )


def with_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """UUIDv7 ids in the order of the rows' own time; lineage = id of the first version,
    and a later version names the one it supersedes."""
    from nidaan.core.ids import uuid7

    rows.sort(key=lambda row: row["recorded_at"])
    for row in rows:
        row["id"] = uuid7()
        previous = row.pop("_previous", None)
        if previous is None:
            row["lineage"] = row["id"]
        else:
            row["lineage"] = previous["lineage"]
            row["supersedes_id"] = previous["id"]
    return rows


class Inserter:
    """Inserts rows given as {attname: value} into one model's table.

    Values go through each field's own `get_db_prep_save` (as bulk_create does), with the
    field's default for anything left out; what is skipped is bulk_create's per-row
    compiler work, which made it the bottleneck (see docs/benchmarks-opd.md). SQLite gets
    one `executemany`, PostgreSQL a COPY. `--loader bulk_create` uses bulk_create instead.
    """

    def __init__(self, model: Any, method: str) -> None:
        from django.db import DEFAULT_DB_ALIAS, connections

        from nidaan.core.hlc import CREATED

        # The connection itself, not the thread-local proxy: looking that up for every
        # value cost a third of the loading time.
        connection = connections[DEFAULT_DB_ALIAS]
        self.connection, self.model, self.method = connection, model, method
        self.fields = list(model._meta.concrete_fields)
        self.columns: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
        for f in self.fields:
            kind = (f.target_field if f.is_relation else f).get_internal_type()
            convert: Callable[[Any], Any] | None
            if kind in _AS_IS:
                convert = None  # get_db_prep_save returns str, int and bool unchanged
            elif kind == "UUIDField" and connection.vendor == "sqlite":
                convert = _uuid_hex  # what UUIDField stores where there is no uuid type
            elif kind == "UUIDField":
                convert = None
            else:
                convert = functools.partial(f.get_db_prep_save, connection=connection)
            if f.attname == "field_clock":
                convert = None  # given as JSON text, see below
            self.columns.append((f.attname, f.get_default(), convert))
        # What changelog.insert stamps on a new row: the write's hybrid logical clock
        # (ms << 16) and node, once for every field (core/hlc.py, CREATED). Made as
        # text, so it costs no json.dumps.
        self.clock_template = json.dumps({CREATED: "STAMP"})
        names = {f.attname for f in self.fields}
        self.time_field = "started_at" if "started_at" in names else "recorded_at"
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        table = quote(model._meta.db_table)
        # Table and column names come from the model, quoted; values are parameters.
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def insert(self, rows: list[dict[str, Any]]) -> None:
        from nidaan.core.hlc import stamp_key

        template, time_field = self.clock_template, self.time_field
        for row in rows:
            hlc = int(row[time_field].timestamp() * 1000) << 16
            row["field_clock"] = template.replace("STAMP", stamp_key(hlc, LOADER_NODE))
        if self.method == "bulk_create":
            for row in rows:
                row["field_clock"] = json.loads(row["field_clock"])
            objs = [self.model(**row) for row in rows]
            self.model.objects.bulk_create(objs, batch_size=INSERT_BATCH)
            return
        values = []
        for row in rows:
            value = []
            for name, default, convert in self.columns:
                item = row.get(name, default)
                value.append(item if convert is None or item is None else convert(item))
            values.append(value)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                cursor.executemany(self.insert_sql, values)


_AS_IS = frozenset(
    {
        "CharField",
        "TextField",
        "BooleanField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
    }
)


def _uuid_hex(value: uuid.UUID) -> str:
    return value.hex


def load_visits(
    fakes: list[FakePatient],
    total: int,
    years: int,
    rng: random.Random,
    ctx: dict[str, Any],
    method: str,
) -> dict[str, int]:
    from django.db import transaction

    from nidaan.encounters.models import ConsultationNote, Diagnosis, Encounter, VitalSigns

    counts = visit_counts(total, len(fakes), BIG_PATIENT_VISITS, rng)
    for fake, count in zip(fakes, counts, strict=True):
        fake.visits = count
    order = [fake.index for fake, count in zip(fakes, counts, strict=True) for _ in range(count)]
    rng.shuffle(order)
    yesterday = local_today() - datetime.timedelta(days=1)
    times = visit_times(len(order), working_days(yesterday, years), rng)
    maker = VisitMaker(rng, ctx)
    # The last visit of some patients is still a draft (never completed).
    last_visit = {index: n for n, index in enumerate(order)}
    inserters = {
        model.__name__: Inserter(model, method)
        for model in (Encounter, ConsultationNote, VitalSigns, Diagnosis)
    }
    totals: Counter[str] = Counter()
    progress = Progress("encounters", len(order))
    for start in range(0, len(order), ENCOUNTER_BATCH):
        tables: Tables = {name: [] for name in inserters}
        for n in range(start, min(len(order), start + ENCOUNTER_BATCH)):
            index = order[n]
            draft_only = last_visit[index] == n and rng.random() < 0.05
            maker.visit(fakes[index], times[n], draft_only, tables)
        with transaction.atomic():
            for name, inserter in inserters.items():
                rows = tables[name] if name == "Encounter" else with_ids(tables[name])
                inserter.insert(rows)
                totals[name] += len(rows)
        progress.update(min(len(order), start + ENCOUNTER_BATCH))
    return dict(totals)


def set_up_queue(ctx: dict[str, Any], patient_ids: list[uuid.UUID], size: int) -> dict[str, int]:
    """Today's tokens for the demo doctor through the real actions: most of the morning
    seen, one with the doctor, one called, two who did not come, the rest waiting."""
    from nidaan.accounts.models import User
    from nidaan.clinics.models import Facility
    from nidaan.opd import actions
    from nidaan.opd.models import QueueEntry, QueueStatus
    from nidaan.patients.models import Patient

    doctor = User.objects.get(pk=ctx["doctor_id"])
    reception = User.objects.get(pk=ctx["reception_id"])
    facility = Facility.objects.get(pk=ctx["facility_id"])
    priorities = ["emergency", "elderly", "pregnant"]
    for n, patient in enumerate(Patient.objects.filter(pk__in=patient_ids[:size])):
        actions.issue_token(
            acting_user=reception,
            patient=patient,
            doctor=doctor,
            facility=facility,
            priority=priorities[n % 3] if n % 9 == 4 else "",
        )
    seen = int(size * 0.42)
    for n in range(seen + 2):
        entry = actions.call_next(doctor=doctor, facility=facility)
        if entry is None:
            raise RuntimeError("the queue ran dry")
        if n == seen + 1:
            break  # called, not yet in
        actions.start_consultation(entry, acting_user=doctor)
        if n < seen:
            entry.refresh_from_db()
            actions.set_queue_status(entry, QueueStatus.DONE, acting_user=doctor)
    for entry in QueueEntry.objects.filter(status=QueueStatus.WAITING).order_by("-token")[:2]:
        actions.set_queue_status(entry, QueueStatus.NO_SHOW, acting_user=reception)
    return dict(Counter(QueueEntry.objects.values_list("status", flat=True)))


# ----- measuring -----------------------------------------------------------------------


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "mean": statistics.fmean(values),
        "max": max(values),
    }


_LITERALS = re.compile(r"'[^']*'|\b\d+(\.\d+)?\b|%s")
_IN_LIST = re.compile(r"IN \([^)]*\)")


def shape(sql: str) -> str:
    return _IN_LIST.sub("IN (…)", _LITERALS.sub("?", sql))


@dataclass
class Request:
    name: str
    method: str
    path: str
    data: dict[str, Any] | None = None
    htmx: bool = False
    expect: int = 200


class Bench:
    def __init__(self, client: Any) -> None:
        self.client = client
        # CPU time of this process during the last request: on SQLite that is all of
        # the server's work, and unlike wall time it hardly grows when other programs
        # compete for the processor.
        self.last_cpu = 0.0

    def send(self, request: Request) -> tuple[float, Any]:
        """One request, timed from the handler's entry to the rendered response."""
        from django.db import close_old_connections

        headers = {"HX-Request": "true"} if request.htmx else {}
        call: Callable[..., Any] = self.client.get if request.method == "GET" else self.client.post
        cpu, started = time.process_time(), time.perf_counter()
        response = call(request.path, request.data or {}, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        self.last_cpu = (time.process_time() - cpu) * 1000
        # What the WSGI handler does after each response (the test Client skips it): with
        # SQLite's CONN_MAX_AGE=0 the next request opens a new connection, as in `serve`.
        close_old_connections()
        if response.status_code != request.expect:
            raise RuntimeError(
                f"{request.name}: {request.method} {request.path} gave "
                f"{response.status_code}, expected {request.expect}"
            )
        return elapsed, response

    def queries(self, request: Request) -> dict[str, Any]:
        """Queries of one request (a separate, untimed run: capturing slows it)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.send(request)
        shapes = Counter(shape(q["sql"]) for q in captured.captured_queries)
        repeated = [(count, sql[:160]) for sql, count in shapes.most_common() if count > 2]
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        return {
            "count": len(captured.captured_queries),
            "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
            "repeated": repeated,
            "slowest": [(round(float(q["time"]) * 1000, 2), q["sql"][:300]) for q in slowest],
            "sql": [q["sql"] for q in captured.captured_queries],
        }


def explain(sqls: list[str], vendor: str) -> list[dict[str, str]]:
    from django.db import connection

    plans = []
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            else:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(str(row[0]) for row in cursor.fetchall())
            plans.append({"sql": sql[:400], "plan": plan})
    return plans


def profile(bench: Bench, request: Request, runs: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        bench.send(request)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def consultation_requests(encounter_id: Any, note_id: Any, rng: random.Random) -> list[Request]:
    base = f"/visits/{encounter_id}"
    today = local_today()
    vitals = {
        "bp_systolic": str(rng.randint(110, 160)),
        "bp_diastolic": str(rng.randint(70, 95)),
        "pulse": str(rng.randint(64, 100)),
        "temperature": f"{rng.uniform(97.6, 101.5):.1f}",  # the demo clinic types °F
        "spo2": str(rng.randint(95, 99)),
        "respiratory_rate": str(rng.randint(14, 20)),
        "weight_kg": f"{rng.uniform(50, 85):.1f}",
        "height_cm": "",
        "blood_sugar": str(rng.randint(90, 220)),
        "blood_sugar_test": "random",
        "head_circumference_cm": "",
    }
    code = rng.choice(["I10", "E11.9", "J06.9", "A09", "R50.9", "K30"])
    diagnosis = {"q": "", "icd10_code": code, "text": "", "certainty": "provisional"}
    note = {
        "complaints_text": "fever 3 days\ncough 1 week\nbody ache",
        "history_illness": "Known case of hypertension, on amlodipine 5 mg.",
        "history_surgical": "",
        "history_family": "Father diabetic.",
        "history_personal": "Non-smoker, vegetarian.",
        "examination": EXAMINATIONS[0],
        "advice": ADVICE[0],
        "follow_up_date": (today + datetime.timedelta(days=7)).strftime("%d-%m-%Y"),
        "reason": "",
        "based_on": str(note_id),
        "complete": "1",
    }
    return [
        Request("open consultation page", "GET", f"{base}/"),
        Request("save vitals (htmx)", "POST", f"{base}/vitals/", vitals, htmx=True),
        Request("add diagnosis (htmx)", "POST", f"{base}/diagnoses/", diagnosis, htmx=True),
        Request("complete note", "POST", f"{base}/note/", note, expect=302),
    ]


SAVE_STEPS = ("save vitals (htmx)", "add diagnosis (htmx)", "complete note")
SAVE_LABEL = "consultation save: vitals + diagnosis + note (3 POSTs)"


@dataclass
class Sample:
    """The few patients the requests are made for. Chosen before measuring so that the
    100,000 generated patients can be freed: a server process does not hold them, and
    every full garbage collection would walk them (see GcWatch)."""

    big: FakePatient
    typical: FakePatient
    randoms: list[FakePatient]
    consulted: list[FakePatient]

    @classmethod
    def of(cls, fakes: list[FakePatient], count: int, rng: random.Random) -> Sample:
        with_visits = sorted((f for f in fakes if f.visits), key=lambda f: f.visits)
        return cls(
            big=fakes[0],
            typical=with_visits[len(with_visits) // 2],
            randoms=rng.sample(with_visits, k=min(len(with_visits), count)),
            consulted=rng.sample(with_visits, k=min(len(with_visits), count + 1)),
        )


class GcWatch:
    """Time spent in the garbage collector, by generation, while it is active."""

    def __init__(self) -> None:
        self.collections = [0, 0, 0]
        self.ms = [0.0, 0.0, 0.0]
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            generation = info["generation"]
            self.collections[generation] += 1
            self.ms[generation] += (time.perf_counter() - self._started) * 1000

    def __enter__(self) -> GcWatch:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def report(self) -> dict[str, Any]:
        return {
            "full collections": self.collections[2],
            "full collection ms": round(self.ms[2], 1),
            "all collections ms": round(sum(self.ms), 1),
        }


def measure(
    ctx: dict[str, Any],
    sample: Sample,
    args: argparse.Namespace,
    vendor: str,
) -> dict[str, Any]:
    from django.test import Client

    from nidaan.accounts.models import User
    from nidaan.encounters.models import ConsultationNote, Encounter

    rng = random.Random(args.seed + 1)
    doctor = User.objects.get(pk=ctx["doctor_id"])
    client = Client()
    client.force_login(doctor)
    bench = Bench(client)
    # What `nidaan serve` does at start-up: importing nidaan.wsgi builds the WSGI handler,
    # loads the URLconf and freezes the long-lived heap (gc.freeze) before any request.
    # The test Client does not import it, so import it here.
    import nidaan.wsgi  # noqa: F401

    samples, warmup = args.samples, args.warmup

    big, typical, randoms = sample.big, sample.typical, sample.randoms
    reads: dict[str, Callable[[int], Request]] = {
        f"history, {big.visits} visits": lambda n: Request(
            "history", "GET", f"/visits/patient/{big.id}/"
        ),
        f"history, {big.visits} visits, page 4": lambda n: Request(
            "history", "GET", f"/visits/patient/{big.id}/?page=4"
        ),
        f"history, typical patient ({typical.visits} visits)": lambda n: Request(
            "history", "GET", f"/visits/patient/{typical.id}/"
        ),
        "history, a different patient each time": lambda n: Request(
            "history", "GET", f"/visits/patient/{randoms[n % len(randoms)].id}/"
        ),
        "doctor's queue /opd/doctor/": lambda n: Request("queue", "GET", "/opd/doctor/"),
        "queue poll /opd/doctor/waiting/": lambda n: Request(
            "queue poll", "GET", "/opd/doctor/waiting/"
        ),
    }
    results: dict[str, Any] = {"timings": {}, "cpu": {}, "queries": {}, "notes": {}, "gc": {}}
    results["notes"]["load average before"] = os.getloadavg()
    results["notes"]["objects frozen at start-up"] = gc.get_freeze_count()
    results["notes"]["typical_visits"] = typical.visits
    results["notes"]["random_patients_median_visits"] = statistics.median(f.visits for f in randoms)
    for label, make in reads.items():
        for n in range(warmup):
            bench.send(make(n))
        times, cpus = [], []
        with GcWatch() as watch:
            for n in range(samples):
                times.append(bench.send(make(warmup + n))[0])
                cpus.append(bench.last_cpu)
        results["timings"][label] = summary(times)
        results["cpu"][label] = summary(cpus)
        results["gc"][label] = watch.report()
        results["queries"][label] = bench.queries(make(0))
        print(f"  {label}: {fmt(results['timings'][label])}", flush=True)

    # A consultation from the doctor's side: start a visit for a patient, open the
    # consultation page, save vitals, add a diagnosis, complete the note. The last
    # round is untimed and counts the queries.
    started_measuring = datetime.datetime.now(datetime.UTC)
    steps: dict[str, list[float]] = {"start visit": []}
    steps_cpu: dict[str, list[float]] = {"start visit": []}
    per_save: list[float] = []
    per_visit: list[float] = []
    per_save_cpu: list[float] = []
    per_visit_cpu: list[float] = []
    query_runs: dict[str, dict[str, Any]] = {}
    patients = sample.consulted
    for n in range(samples + warmup + 1):
        patient = patients[n % len(patients)]
        capture = n == samples + warmup
        start = Request("start visit", "POST", f"/visits/patient/{patient.id}/start/", expect=302)
        timed: dict[str, float] = {}
        timed_cpu: dict[str, float] = {}
        if capture:
            query_runs[start.name] = bench.queries(start)
        else:
            timed[start.name] = bench.send(start)[0]
            timed_cpu[start.name] = bench.last_cpu
        encounter = Encounter.objects.filter(patient_id=patient.id).order_by("-started_at").first()
        if encounter is None:
            raise RuntimeError(f"no visit was started for {patient.id}")
        note = ConsultationNote.objects.get(encounter=encounter)
        for request in consultation_requests(encounter.pk, note.pk, rng):
            if capture:
                query_runs[request.name] = bench.queries(request)
            else:
                timed[request.name] = bench.send(request)[0]
                timed_cpu[request.name] = bench.last_cpu
        if capture or n < warmup:
            continue
        for name, value in timed.items():
            steps.setdefault(name, []).append(value)
            steps_cpu.setdefault(name, []).append(timed_cpu[name])
        per_save.append(sum(timed[name] for name in SAVE_STEPS))
        per_visit.append(sum(timed.values()))
        per_save_cpu.append(sum(timed_cpu[name] for name in SAVE_STEPS))
        per_visit_cpu.append(sum(timed_cpu.values()))
    for name, values in steps.items():
        label = f"consultation: {name}"
        results["timings"][label] = summary(values)
        results["cpu"][label] = summary(steps_cpu[name])
        results["queries"][label] = query_runs[name]
        print(f"  {label}: {fmt(results['timings'][label])}", flush=True)
    save, visit = SAVE_LABEL, "whole visit: start + page + 3 POSTs"
    results["timings"][save] = summary(per_save)
    results["cpu"][save] = summary(per_save_cpu)
    results["timings"][visit] = summary(per_visit)
    results["cpu"][visit] = summary(per_visit_cpu)
    results["notes"]["load average after"] = os.getloadavg()

    # For comparison, the history as it was before nidaan.wsgi froze the start-up heap:
    # every full collection walks Django's, our modules' and the ICD-10 data's objects.
    gc.unfreeze()
    label = f"history, {big.visits} visits, heap not frozen (before nidaan.wsgi froze it)"
    request = Request("history", "GET", f"/visits/patient/{big.id}/")
    for _ in range(warmup):
        bench.send(request)
    times, cpus = [], []
    with GcWatch() as watch:
        for _ in range(samples):
            times.append(bench.send(request)[0])
            cpus.append(bench.last_cpu)
    results["timings"][label] = summary(times)
    results["cpu"][label] = summary(cpus)
    results["gc"][label] = watch.report()
    print(f"  {label}: {fmt(results['timings'][label])}", flush=True)
    # Every timed (and warm-up and counted) consultation really was stored, completed.
    results["notes"]["consultations_completed"] = ConsultationNote.objects.filter(
        recorded_at__gte=started_measuring, complete=True
    ).count()

    if args.explain:
        label = f"history, {big.visits} visits"
        results["explain"] = explain(results["queries"][label]["sql"], vendor)
    if args.profile:
        results["profile"] = profile(
            bench, Request("history", "GET", f"/visits/patient/{big.id}/"), args.profile
        )
    for q in results["queries"].values():
        q.pop("sql", None)
    return results


def fmt(t: dict[str, float]) -> str:
    return f"p50 {t['p50']:.1f} ms, p95 {t['p95']:.1f} ms, p99 {t['p99']:.1f} ms (n={t['n']})"


# ----- one database, in its own process -----------------------------------------------


def child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from nidaan.accounts.models import User
    from nidaan.clinics.demo import ensure_demo_clinic

    vendor = connection.vendor
    stats = LoadStats()
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    ensure_demo_clinic()
    doctor = User.objects.get(username="doctor")
    reception = User.objects.get(username="reception")
    ctx = {
        "organisation_id": doctor.organisation_id,
        "facility_id": doctor.facility_id,
        "doctor_id": doctor.pk,
        "reception_id": reception.pk,
    }
    stats.seconds["migrate + demo clinic"] = time.perf_counter() - t0
    print(f"[{vendor}] migrated, demo clinic ready", flush=True)

    rng = random.Random(args.seed)
    load_started = time.perf_counter()
    with stored_times_kept(), loading_connection(vendor):
        t0 = time.perf_counter()
        fakes = load_patients(args.patients, rng, ctx["organisation_id"], ctx["facility_id"])
        stats.seconds["patients (+ search index)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        stats.rows = load_visits(fakes, args.encounters, args.years, rng, ctx, args.loader)
        stats.seconds["encounters, notes, vitals, diagnoses"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    connection.close()
    stats.seconds["VACUUM ANALYZE" if vendor == "postgresql" else "(no ANALYZE on SQLite)"] = (
        time.perf_counter() - t0
    )
    stats.seconds["load total"] = time.perf_counter() - load_started
    stats.rows["Patient"] = args.patients
    counts = sorted(f.visits for f in fakes)
    stats.visits = {
        "max": counts[-1],
        "patients with 50+": sum(1 for c in counts if c >= 50),
        "patients with none": sum(1 for c in counts if c == 0),
        "median (all patients)": statistics.median(counts),
        "p90 (all patients)": percentile([float(c) for c in counts], 90),
    }
    print(f"[{vendor}] loaded in {stats.seconds['load total']:.0f} s: {stats.rows}", flush=True)
    peak_after_load = rss_mb()

    t0 = time.perf_counter()
    ids = [f.id for f in rng.sample(fakes[1:], k=min(len(fakes) - 1, args.queue))]
    sample = Sample.of(fakes, args.samples + args.warmup, random.Random(args.seed + 1))
    del fakes
    queue = set_up_queue(ctx, ids, args.queue)
    stats.seconds["today's queue (actions)"] = time.perf_counter() - t0
    del counts
    gc.collect()
    rss_before = current_rss_mb()
    measured = measure(ctx, sample, args, vendor)
    result = {
        "db": vendor,
        "patients": args.patients,
        "encounters": args.encounters,
        "samples": args.samples,
        "load": {"seconds": stats.seconds, "rows": stats.rows, "visits": stats.visits},
        "queue": queue,
        "rss_mb": {
            "peak (load)": peak_after_load,
            "before measuring": rss_before,
            "peak (end)": rss_mb(),
            "after measuring": current_rss_mb(),
        },
        "db_size_mb": database_size_mb(vendor),
        **measured,
    }
    Path(args.out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


def database_size_mb(vendor: str) -> float:
    from django.db import connection

    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            row = cursor.fetchone()
            return float(row[0]) / 2**20 if row else float("nan")
    name = Path(str(connection.settings_dict["NAME"]))
    return sum(p.stat().st_size for p in name.parent.glob(name.name + "*")) / 2**20


# ----- the parent: one child per database, then the tables ------------------------------


def run_one(db: str, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "nidaan.settings.node"
    env.pop("NIDAAN_DEBUG", None)
    data_dir = tempfile.mkdtemp(prefix=f"nidaan-opdbench-{db}-")
    env["NIDAAN_DATA_DIR"] = data_dir
    base_pg = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if db == "postgres":
        recreate_pg_database(base_pg, PG_BENCH_DB)
        env["DATABASE_URL"] = with_database(base_pg, PG_BENCH_DB)
    else:
        env.pop("DATABASE_URL", None)
    out = Path(data_dir) / "result.json"
    command = [
        sys.executable,
        "-m",
        "bench.opd",
        "--child",
        "--out",
        str(out),
        *child_args(args),
    ]
    started = time.perf_counter()
    try:
        subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        result["wall_seconds"] = time.perf_counter() - started
        return result
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                recreate_pg_database(base_pg, PG_BENCH_DB, drop_only=True)
        else:
            print(f"kept {data_dir}" + (f" and database {PG_BENCH_DB}" if db == "postgres" else ""))


def child_args(args: argparse.Namespace) -> list[str]:
    names = (
        "patients",
        "encounters",
        "years",
        "samples",
        "warmup",
        "queue",
        "seed",
        "profile",
        "loader",
    )
    return [f"--{name}={getattr(args, name)}" for name in names] + (
        ["--explain"] if args.explain else []
    )


def report(results: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for r in results:
        lines += [
            f"### {r['db']}: {r['patients']:,} patients, {r['encounters']:,} encounters",
            "",
            f"Load: {r['load']['seconds']['load total']:.0f} s "
            f"({', '.join(f'{k} {v:.0f} s' for k, v in r['load']['seconds'].items())}); "
            f"rows {r['load']['rows']}; visits per patient {r['load']['visits']}; "
            f"database {r['db_size_mb']:,.0f} MB; RSS {r['rss_mb']}; queue {r['queue']}; "
            f"wall {r.get('wall_seconds', 0):.0f} s",
            "",
            "| request | p50 ms | p95 ms | p99 ms | max ms | CPU p50 | CPU p95 | queries "
            "| SQL ms | full GCs (ms) | n |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, t in r["timings"].items():
            q = r["queries"].get(label)
            count = str(q["count"]) if q else ""
            sql = f"{q['sql_ms']:.1f}" if q else ""
            c = r["cpu"][label]
            g = r["gc"].get(label)
            gcs = f"{g['full collections']} ({g['full collection ms']:.0f})" if g else ""
            lines.append(
                f"| {label} | {t['p50']:.1f} | {t['p95']:.1f} | {t['p99']:.1f} | "
                f"{t['max']:.1f} | {c['p50']:.1f} | {c['p95']:.1f} | {count} | {sql} | {gcs} "
                f"| {t['n']} |"
            )
        repeated = {k: q["repeated"] for k, q in r["queries"].items() if q["repeated"]}
        lines += ["", f"Repeated statements (possible N+1): {repeated or 'none'}", ""]
        lines += [f"Notes: {r['notes']}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=lambda s: int(float(s)), default=10_000)
    parser.add_argument("--encounters", type=lambda s: int(float(s)), default=200_000)
    parser.add_argument("--db", default="sqlite", help="sqlite,postgres")
    parser.add_argument("--years", type=int, default=DEFAULT_YEARS)
    parser.add_argument("--samples", type=int, default=100, help="timed requests per kind")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per kind first")
    parser.add_argument("--queue", type=int, default=60, help="tokens today")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--loader",
        choices=["fast", "bulk_create"],
        default="fast",
        help="visits by executemany/COPY (fast) or by bulk_create",
    )
    parser.add_argument("--explain", action="store_true", help="query plans of the history")
    parser.add_argument("--profile", type=int, default=0, help="cProfile N history requests")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--json", help="write all results here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    results = []
    for db in [part.strip() for part in args.db.split(",") if part.strip()]:
        if db not in ("sqlite", "postgres"):
            parser.error(f"unknown database {db!r}: sqlite or postgres")
        print(f"== {db}: {args.patients:,} patients, {args.encounters:,} encounters", flush=True)
        results.append(run_one(db, args))
        print(report(results[-1:]), flush=True)
        if args.json:  # after each database, so a later failure keeps the earlier results
            Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    for r in results:
        for key in ("explain", "profile"):
            if key in r:
                print(f"--- {r['db']} {key} ---")
                print(r[key] if isinstance(r[key], str) else json.dumps(r[key], indent=1))


if __name__ == "__main__":
    main()
