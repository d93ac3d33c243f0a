"""One benchmark run (one database, one size) in its own process; `python -m bench` starts it.

The parent sets NIDAAN_DATA_DIR (a fresh directory) and, for PostgreSQL, DATABASE_URL (a
fresh database) before this process sets Django up. Steps: migrate, demo clinic, load
the generated patients in bulk, time the query mix, run the labelled recall set, build
the bare full-text index (the engine's floor) and time it on the same name queries,
then write the results as JSON.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import resource
import subprocess
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bench.patients import Person, generate
from bench.queries import (
    ALL_KINDS,
    IDENTIFIER_KINDS,
    MOBILE_4,
    NAME_FOUND_KINDS,
    NAME_KINDS,
    RECALL_VARIANTS,
    UHID,
    UHID_COMPACT,
    Query,
    query_mix,
    recall_set,
)
from bench.report import run_report, summary

# Queries are drawn from a random sample of this many registered patients.
SAMPLE = 8000


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident set size now (VmRSS), or NaN off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def batched(items: Iterable[Person], size: int) -> Iterator[list[Person]]:
    batch: list[Person] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, choices=["sqlite", "postgres"])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--per-kind", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10, help="untimed queries per kind")
    parser.add_argument("--planted", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaan.settings.node")
    import django

    django.setup()
    Runner(args).run()


class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.result: dict[str, Any] = {"db": args.db, "size": args.size, "seed": args.seed}
        self.sample: list[Person] = []
        self.planted: list[Person] = []
        self.uhid_prefix = ""
        self.uhid_base = 0
        self.ids: dict[int, uuid.UUID] = {}  # registration index → patient id
        self.name_words: dict[int, set[str]] = {}  # index → key words of given + surname
        self.people: dict[int, Person] = {}

    # -- set-up and loading --

    def record_code_version(self) -> None:
        """Which search code this run measured (others may be editing src/ meanwhile)."""
        import nidaan.patients

        package = Path(nidaan.patients.__file__).parent
        digest = hashlib.sha1(usedforsecurity=False)
        for name in ("search.py", "search_index.py", "names.py", "models.py"):
            digest.update((package / name).read_bytes())
        self.result["search_code_sha1"] = digest.hexdigest()[:10]
        head = subprocess.run(  # noqa: S603 - fixed command
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
            cwd=package,
            capture_output=True,
            text=True,
            check=False,
        )
        self.result["git_head"] = head.stdout.strip()

    def run(self) -> None:
        from django.core.management import call_command

        from nidaan.clinics.demo import ensure_demo_clinic
        from nidaan.clinics.models import Facility
        from nidaan.core import node

        self.record_code_version()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        ensure_demo_clinic("Bench-Password-1")
        self.facility = Facility.objects.get()
        self.organisation_id = self.facility.organisation_id
        state = node.identity()
        self.uhid_prefix = state.uhid_prefix
        self.uhid_base = state.last_uhid_seq + 1
        print(
            f"[{self.args.db} {self.args.size:,}] migrated in {time.perf_counter() - started:.1f} s"
        )

        self.load()
        self.prepare_targets()
        self.measure_queries()
        self.result["rss_after_queries_mb"] = current_rss_mb()
        self.measure_recall()
        self.measure_floor()
        self.measure_registration()
        self.result["rss_peak_mb"] = rss_mb()
        self.result["rss_end_mb"] = current_rss_mb()
        self.result["db_size_mb"] = self.database_size_mb()
        with open(self.args.out, "w", encoding="utf-8") as handle:
            json.dump(self.result, handle, ensure_ascii=False, indent=1)
        print()
        print(run_report(self.result))
        print()

    def uhid_of(self, person: Person) -> str:
        from nidaan.core import uhid

        return uhid.make(self.uhid_prefix, self.uhid_base + person.index)

    def load(self) -> None:
        from django.db import transaction

        from nidaan.core.ids import uuid7
        from nidaan.patients import names
        from nidaan.patients.models import Patient
        from nidaan.patients.search_index import index_new_patients

        args = self.args
        keep = random.Random(args.seed + 1)
        keep_fraction = min(1.0, SAMPLE / args.size)
        derived: dict[str, tuple[str, str]] = {}  # name → (name_latin, name_key)
        # On PostgreSQL one INSERT may carry at most 65,535 parameters.
        insert_batch = 2000
        started = time.perf_counter()
        loaded = 0
        report_every = max(args.size // 20, args.batch)
        next_report = report_every
        for batch in batched(generate(args.size, args.seed, args.planted), args.batch):
            patients = []
            for person in batch:
                if person.name not in derived:
                    derived[person.name] = (
                        names.romanize(person.name),
                        names.search_key(person.name),
                    )
                name_latin, name_key = derived[person.name]
                patients.append(
                    Patient(
                        id=uuid7(),
                        organisation_id=self.organisation_id,
                        registered_at=self.facility,
                        uhid=self.uhid_of(person),
                        name_latin=name_latin,
                        name_key=name_key,
                        **person.demographics(),
                    )
                )
                if person.planted:
                    self.planted.append(person)
                elif keep.random() < keep_fraction:
                    self.sample.append(person)
            with transaction.atomic():
                Patient.objects.bulk_create(patients, batch_size=insert_batch)
                index_new_patients(patients)
            loaded += len(batch)
            if loaded >= next_report or loaded == args.size:
                next_report += report_every
                elapsed = time.perf_counter() - started
                print(
                    f"[{args.db} {args.size:,}] loaded {loaded:,} ({loaded / args.size:.0%})"
                    f" in {elapsed:.0f} s, {loaded / elapsed:,.0f} patients/s,"
                    f" RSS peak {rss_mb():.0f} MB",
                    flush=True,
                )
            del patients
        self.advance_uhid_series()
        gc.collect()
        self.after_load()
        seconds = time.perf_counter() - started
        self.result["load_seconds"] = seconds
        self.result["load_rate"] = args.size / seconds
        self.result["distinct_names"] = len(derived)
        self.result["rss_after_load_mb"] = rss_mb()
        print(
            f"[{args.db} {args.size:,}] loaded in {seconds:.0f} s; {len(derived):,} distinct names"
        )

    def advance_uhid_series(self) -> None:
        """Move the node's UHID counter past the loaded patients, as an import would."""
        from nidaan.core.models import NodeState

        state = NodeState.objects.get(pk=NodeState.SINGLETON_ID)
        state.last_uhid_seq = self.uhid_base + self.args.size - 1
        state.save(update_fields=["last_uhid_seq"])

    def after_load(self) -> None:
        """PostgreSQL: do now what autovacuum would do within minutes of the load.

        Otherwise autovacuum runs during the timed queries and, on two cores, competes
        with them (a fresh 10^5 load showed p95 ×3). SQLite gets nothing: a node never
        runs ANALYZE.
        """
        from django.db import connection

        if connection.vendor == "postgresql":
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.result["vacuum_seconds"] = time.perf_counter() - started

    def database_size_mb(self) -> float:
        from django.conf import settings
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                (size,) = cursor.fetchone() or (0,)
            return float(size) / 2**20
        path = str(settings.DATABASES["default"]["NAME"])
        return (
            sum(
                os.path.getsize(path + suffix)
                for suffix in ("", "-wal")
                if os.path.exists(path + suffix)
            )
            / 2**20
        )

    def prepare_targets(self) -> None:
        from nidaan.patients import names
        from nidaan.patients.models import Patient

        people = self.sample + self.planted
        by_uhid = {self.uhid_of(p): p.index for p in people}
        uhids = list(by_uhid)
        for start in range(0, len(uhids), 500):
            for pk, value in Patient.objects.filter(
                uhid__in=uhids[start : start + 500]
            ).values_list("pk", "uhid"):
                self.ids[by_uhid[value]] = pk
        self.people = {person.index: person for person in people}
        for person in people:
            positions = [person.given] if person.family is None else [person.given, person.family]
            text = " ".join(person.registered_words[i] for i in positions)
            self.name_words[person.index] = set(names.search_words(text))

    # -- our search --

    def search(self, text: str) -> tuple[float, list[Any]]:
        from nidaan.patients.search import search_patients

        started = time.perf_counter()
        hits = search_patients(self.organisation_id, text, limit=20, facility_id=self.facility.pk)
        return (time.perf_counter() - started) * 1000, hits

    def measure_queries(self) -> None:
        from nidaan.patients.search import Rank

        args = self.args
        mix = query_mix(
            self.sample, args.per_kind + args.warmup, args.seed + 2, self.uhid_of, ALL_KINDS
        )
        warmup = [q for kind in ALL_KINDS for q in mix[kind][: args.warmup]]
        timed = [q for kind in ALL_KINDS for q in mix[kind][args.warmup :]]
        shuffle = random.Random(args.seed + 3)
        shuffle.shuffle(warmup)
        shuffle.shuffle(timed)
        for query in warmup:
            self.search(query.text)

        samples: dict[str, list[float]] = {kind: [] for kind in ALL_KINDS}
        zero: dict[str, int] = dict.fromkeys(ALL_KINDS, 0)
        name_found: dict[str, int] = dict.fromkeys(ALL_KINDS, 0)
        target_found: dict[str, int] = dict.fromkeys(ALL_KINDS, 0)
        violations: dict[str, int] = dict.fromkeys(ALL_KINDS, 0)
        misses: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ALL_KINDS}
        # What each query returned (UHIDs in order): compared across databases.
        answers: dict[str, list[str]] = self.result.setdefault("answers", {})
        started = time.perf_counter()
        for query in timed:
            ms, hits = self.search(query.text)
            samples[query.kind].append(ms)
            answers[self.answer_key(query)] = [self.serial(hit) for hit in hits]
            target = self.ids.get(query.target)
            if not hits:
                zero[query.kind] += 1
                if query.kind not in NAME_FOUND_KINDS and len(misses[query.kind]) < 40:
                    misses[query.kind].append(self.miss(query, hits))
            if any(hit.patient.pk == target for hit in hits):
                target_found[query.kind] += 1
            if query.kind in IDENTIFIER_KINDS:
                first_rank = [hit.patient.pk for hit in hits if hit.rank == Rank.IDENTIFIER]
                if not hits or hits[0].rank != Rank.IDENTIFIER or target not in first_rank:
                    violations[query.kind] += 1
                    misses[query.kind].append(self.miss(query, hits))
            if query.kind in NAME_FOUND_KINDS:
                wanted = self.name_words[query.target]
                if any(wanted <= set(hit.patient.name_key.split()) for hit in hits[:10]):
                    name_found[query.kind] += 1
                elif len(misses[query.kind]) < 40:
                    misses[query.kind].append(self.miss(query, hits))
        print(
            f"[{args.db} {args.size:,}] {len(timed):,} timed queries in"
            f" {time.perf_counter() - started:.0f} s"
        )
        kinds: dict[str, Any] = {}
        for kind in ALL_KINDS:
            n = len(samples[kind])
            row: dict[str, Any] = summary(samples[kind])
            row["zero"] = zero[kind]
            row["target_found"] = target_found[kind] / n if n else None
            if kind in NAME_FOUND_KINDS:
                row["name_found"] = name_found[kind] / n if n else None
            if kind in IDENTIFIER_KINDS:
                row["violations"] = violations[kind]
            row["misses"] = misses[kind][:40]
            kinds[kind] = row
        self.result["kinds"] = kinds
        self.result["identifier_violations"] = sum(violations[k] for k in IDENTIFIER_KINDS)
        self.result["identifier_queries"] = sum(len(samples[k]) for k in IDENTIFIER_KINDS)
        self.name_queries = {kind: [q for q in timed if q.kind == kind] for kind in NAME_KINDS}
        self.result["mobile_suffix_note"] = (
            f"{MOBILE_4}: the patient is among the 20 results in "
            f"{target_found[MOBILE_4]}/{len(samples[MOBILE_4])} queries"
        )

    @staticmethod
    def answer_key(query: Query) -> str:
        # UHID prefixes are random per node, so UHID queries differ in text between runs.
        text = "" if query.kind in (UHID, UHID_COMPACT) else query.text
        return f"{query.kind}\t{query.target}\t{text}"

    @staticmethod
    def serial(hit: Any) -> str:
        """The patient's place in the registration order (its UHID number), and its rank."""
        return f"{hit.patient.uhid.split('-')[1]}/{hit.rank}"

    @staticmethod
    def miss(query: Query, hits: list[Any]) -> dict[str, Any]:
        return {
            "query": query.text,
            "expected": query.expected,
            "detail": query.detail,
            "got": [f"{hit.patient.name} (rank {hit.rank})" for hit in hits[:3]],
        }

    # -- the labelled variant set --

    def measure_recall(self) -> None:
        queries = recall_set(self.planted, self.args.seed + 4)
        found = 0
        by_variant = {variant: {"n": 0, "found": 0} for variant in RECALL_VARIANTS}
        by_script = {script: {"n": 0, "found": 0} for script in ("Devanagari", "Latin")}
        samples = []
        misses = []
        positions = []
        answers: dict[str, list[str]] = self.result.setdefault("answers", {})
        for query in queries:
            ms, hits = self.search(query.text)
            samples.append(ms)
            answers[self.answer_key(query)] = [self.serial(hit) for hit in hits]
            variant = query.detail.split(":")[0]
            script = "Devanagari" if self.people[query.target].devanagari else "Latin"
            by_variant[variant]["n"] += 1
            by_script[script]["n"] += 1
            top = [hit.patient.pk for hit in hits[:10]]
            target = self.ids[query.target]
            if target in top:
                found += 1
                by_variant[variant]["found"] += 1
                by_script[script]["found"] += 1
                positions.append(top.index(target) + 1)
            else:
                misses.append(self.miss(query, hits))
        self.result["recall"] = {
            "n": len(queries),
            "found": found,
            "recall_at_10": found / len(queries) if queries else float("nan"),
            "first": sum(1 for p in positions if p == 1),
            "by_variant": by_variant,
            "by_registered_script": by_script,
            "misses": misses,
            **{k: v for k, v in summary(samples).items() if k != "n"},
        }

    # -- registration through the action, last so that it changes nothing measured above --

    def measure_registration(self, count: int = 100) -> None:
        """One patient at a time through `register_patient`: row, change log, audit, index."""
        from nidaan.accounts.models import User
        from nidaan.patients.actions import register_patient

        user = User.objects.get(username="reception")
        samples = []
        for person in generate(count, self.args.seed + 9):
            demographics = {**person.demographics(), "abha_number": ""}
            started = time.perf_counter()
            register_patient(acting_user=user, facility=self.facility, demographics=demographics)
            samples.append((time.perf_counter() - started) * 1000)
        self.result["registration"] = summary(samples)

    # -- the engine's floor --

    def measure_floor(self) -> None:
        from django.db import connection

        from nidaan.patients import names

        started = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "CREATE VIRTUAL TABLE bench_name_fts USING fts5(name_key, tokenize='unicode61')"
                )
                cursor.execute(
                    "INSERT INTO bench_name_fts(rowid, name_key)"
                    " SELECT rowid, name_key FROM patients_patient"
                )
                cursor.execute("INSERT INTO bench_name_fts(bench_name_fts) VALUES ('optimize')")
                sql = (
                    "SELECT rowid FROM bench_name_fts WHERE bench_name_fts MATCH %s"
                    " ORDER BY rowid DESC LIMIT 20"
                )
            else:
                cursor.execute(
                    "CREATE INDEX bench_name_key_fts ON patients_patient"
                    " USING gin (to_tsvector('simple', name_key))"
                )
                cursor.execute("ANALYZE patients_patient")
                sql = (
                    "SELECT id FROM patients_patient"
                    " WHERE to_tsvector('simple', name_key) @@ to_tsquery('simple', %s)"
                    " ORDER BY id DESC LIMIT 20"
                )
        self.result["floor_build_seconds"] = time.perf_counter() - started
        sqlite = connection.vendor == "sqlite"

        def expression(text: str) -> str:
            words = [w for w in names.search_words(text) if not names.is_particle(w)]
            words = list(dict.fromkeys(words)) or names.search_words(text)
            if sqlite:
                return " AND ".join(f'"{w}"*' for w in words)
            return " & ".join(f"{w}:*" for w in words)

        jobs = [
            (kind, expression(q.text))
            for kind, queries in self.name_queries.items()
            for q in queries
        ]
        jobs = [(kind, e) for kind, e in jobs if e]
        shuffle = random.Random(self.args.seed + 5)
        shuffle.shuffle(jobs)
        samples: dict[str, list[float]] = {kind: [] for kind in self.name_queries}
        empty: dict[str, int] = dict.fromkeys(self.name_queries, 0)
        with connection.cursor() as cursor:
            for _kind, match in jobs[: max(20, len(jobs) // 10)]:  # warm-up
                cursor.execute(sql, [match])
                cursor.fetchall()
            for kind, match in jobs:
                started = time.perf_counter()
                cursor.execute(sql, [match])
                rows = cursor.fetchall()
                samples[kind].append((time.perf_counter() - started) * 1000)
                empty[kind] += not rows
        for kind, values in samples.items():
            self.result["kinds"][kind]["floor"] = {**summary(values), "empty": empty[kind]}
        self.result["floor_sql"] = sql


if __name__ == "__main__":
    main()
