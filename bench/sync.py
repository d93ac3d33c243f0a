"""Sync benchmarks (issue 4): node apply speed against raw SQLite inserts of the same rows,
hub ingest on PostgreSQL, initial sync of a facility over loopback, and how soon a change
made on one clinic PC is visible on another.

    python -m bench.sync                                   # small and quick
    python -m bench.sync --patients 50000 --visits 6       # ~1M changes (the issue's size)

Each phase runs in its own process on a fresh database: a new NIDAAN_DATA_DIR for SQLite
nodes, a new database beside DATABASE_URL's (default: the local nidaan role) for the hub.
Prints a table; docs/benchmarks.md keeps the results.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.databases import open_node_sqlite, recreate_pg_database, with_database
from bench.report import percentile

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgres://nidaan:nidaan@127.0.0.1:5432/nidaan"
BATCH = 1000
FOREIGN_NODE = uuid.UUID("01900000-0000-7000-8000-00000000beef")


# ---- inside a phase process (Django set up) ------------------------------------------


def _django(role: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = f"nidaan.settings.{role}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def synthetic_changes(patients: int, visits: int, seed: int) -> Iterator[Any]:
    """A clinic PC's log: each patient registered, seen `visits` times (visit, vitals,
    diagnosis) and edited once, as the change entries its actions would have written."""
    from django.utils import timezone

    from nidaan.accounts.models import User
    from nidaan.clinics.models import Facility
    from nidaan.core.changelog import _payload
    from nidaan.core.hlc import pack, wall_clock_ms
    from nidaan.core.ids import uuid7
    from nidaan.core.models import ChangeLogEntry
    from nidaan.encounters.models import Diagnosis, Encounter, VitalSigns
    from nidaan.patients.models import Patient

    rng = random.Random(seed)
    facility = Facility.objects.get()
    doctor = User.objects.get(username="doctor")
    org = facility.organisation_id
    seq = 0
    start = wall_clock_ms() - 3_600_000

    def entry(row: Any, op: str, fields: list[str]) -> Any:
        nonlocal seq
        seq += 1
        return ChangeLogEntry(
            node_id=FOREIGN_NODE,
            node_seq=seq,
            hlc=pack(start + seq, 0),
            org_id=org,
            entity=row.entity_name(),
            entity_id=row.pk,
            op=op,
            fields=_payload(row, fields),
            schema_version=1,
            actor_id=doctor.pk,
        )

    now = timezone.now()
    first_names = ["Ramesh", "Sunita", "रमेश", "सुनीता", "Mohd", "Fatima", "Anil", "Geeta"]
    for number in range(patients):
        patient = Patient(
            id=uuid7(),
            organisation_id=org,
            registered_at=facility,
            uhid=f"BEEF-{number + 1:06d}",
            name=f"{rng.choice(first_names)} Kumar {number}",
            name_latin=f"Kumar {number}",
            sex=rng.choice("MF"),
            date_of_birth=now.date().replace(year=now.year - rng.randint(1, 80)),
            mobile=f"9{rng.randint(100000000, 999999999)}",
            district="Patna",
            created_at=now,
        )
        yield entry(patient, "insert", patient.synced_field_names())
        for _ in range(visits):
            encounter = Encounter(
                id=uuid7(),
                organisation_id=org,
                facility=facility,
                patient=patient,
                doctor=doctor,
                started_at=now,
            )
            yield entry(encounter, "insert", encounter.synced_field_names())
            for row in (
                VitalSigns(
                    id=uuid7(),
                    organisation_id=org,
                    patient=patient,
                    encounter=encounter,
                    pulse=rng.randint(60, 100),
                    bp_systolic=rng.randint(100, 160),
                    recorded_by=doctor,
                    recorded_at=now,
                ),
                Diagnosis(
                    id=uuid7(),
                    organisation_id=org,
                    patient=patient,
                    encounter=encounter,
                    icd10_code="J06.9",
                    text="Acute upper respiratory infection",
                    recorded_by=doctor,
                    recorded_at=now,
                ),
            ):
                row.lineage = row.pk
                yield entry(row, "insert", row.synced_field_names())
        patient.locality = "Kankarbagh"
        yield entry(patient, "update", ["locality"])


def _pulled_batches(args: argparse.Namespace) -> Iterator[tuple[bytes, list[str]]]:
    """The synthetic log as the hub's pull answers carry it: JSON of 1,000 changes each,
    with the ids of the rows each batch names, in change order.

    Built one batch at a time, so the node holds no more than a real pull does.
    """
    from nidaan.sync.wire import change_to_wire

    batch: list[dict[str, Any]] = []
    ids: list[str] = []
    for number, entry in enumerate(synthetic_changes(args.patients, args.visits, seed=1), 1):
        entry.server_seq = number
        ids.append(entry.entity_id.hex)
        batch.append(change_to_wire(entry))
        if len(batch) == BATCH:
            yield json.dumps({"changes": batch, "next_after": number}).encode(), ids
            batch, ids = [], []
    if batch:
        yield json.dumps({"changes": batch, "next_after": number}).encode(), ids


def phase_node_apply(args: argparse.Namespace) -> dict[str, Any]:
    """Pulled changes applied on a SQLite node, then the same rows inserted raw.

    Timed per batch as `sync.client.Session.pull` handles an answer: JSON decoded, then
    `apply_pull_answer` (every change checked, applied with the cursor in one
    transaction). Building the synthetic batches is not timed.
    """
    _django("node")
    from django.db import connection

    from nidaan.clinics.demo import ensure_demo_clinic
    from nidaan.clinics.models import Facility
    from nidaan.core import fastjson
    from nidaan.core.synced import registry
    from nidaan.sync.client import apply_pull_answer
    from nidaan.sync.durability import PULL_PRAGMAS
    from nidaan.sync.merge import collector_paused
    from nidaan.sync.models import SyncState

    ensure_demo_clinic()
    facility = Facility.objects.get()
    SyncState.objects.create(
        hub_url="http://hub.invalid",
        credential="bench",
        organisation_id=facility.organisation_id,
        facility_id=facility.pk,
    )
    # The node's own settings, then those a pulled batch commits with.
    pragmas = [*connection.settings_dict["OPTIONS"]["init_command"].split(";"), *PULL_PRAGMAS]
    connection.close()
    db_file = Path(os.environ["NIDAAN_DATA_DIR"]) / "nidaan.sqlite3"
    template = db_file.with_name("template.sqlite3")
    shutil.copy(db_file, template)

    batch_ids: list[list[str]] = []
    change_count = 0
    apply_seconds = apply_cpu_seconds = 0.0
    for body, ids in _pulled_batches(args):
        batch_ids.append(ids)
        started, cpu_started = time.perf_counter(), time.process_time()
        with collector_paused():  # as Session.pull decodes
            change_count += apply_pull_answer(fastjson.loads(body))
        apply_seconds += time.perf_counter() - started
        apply_cpu_seconds += time.process_time() - cpu_started

    # The rows the changes materialised, inserted raw into a copy of the empty schema
    # with the node's own settings, in the same transactions and order as the apply
    # wrote them; then every row the apply wrote (those, the change log, the search index).
    tables = {
        model._meta.db_table
        for model in registry().values()
        if model._meta.label_lower
        in {
            "patients.patient",
            "encounters.encounter",
            "encounters.vitalsigns",
            "encounters.diagnosis",
        }
    }
    bookkeeping = [
        "core_changelogentry",
        "patients_searchterm",
        "patients_searchvocabulary",
        "patients_searchtermvariant",
    ]
    made = {hex_id for ids in batch_ids for hex_id in ids}
    source = open_node_sqlite(db_file)
    before = open_node_sqlite(template)
    columns: dict[str, list[str]] = {}
    by_id: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for table in sorted(tables):
        cursor = source.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our table names
        columns[table] = [d[0] for d in cursor.description]
        at = columns[table].index("id")
        by_id.update((row[at], (table, row)) for row in cursor.fetchall() if row[at] in made)
    # Each row in the batch that first names it (a later update of it writes no new row).
    same_rows = [[by_id.pop(hex_id) for hex_id in ids if hex_id in by_id] for ids in batch_ids]
    written = [list(rows) for rows in same_rows]
    logged = [list(rows) for rows in same_rows]  # the rows and the change log only
    for table in bookkeeping:
        (last,) = before.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()  # noqa: S608
        cursor = source.execute(f'SELECT * FROM "{table}" WHERE rowid > ? ORDER BY rowid', (last,))  # noqa: S608
        columns[table] = [d[0] for d in cursor.description]
        extra = cursor.fetchall()
        # In the order written, spread over the batches (the change log: one per change).
        share = len(extra) / len(written)
        for number, rows in enumerate(written):
            first, last = round(number * share), round((number + 1) * share)
            rows.extend((table, row) for row in extra[first:last])
            if table == "core_changelogentry":
                logged[number].extend((table, row) for row in extra[first:last])
    held = {
        table: source.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in [*tables, "core_changelogentry"]
    }
    source.close()
    before.close()
    row_count = sum(len(rows) for rows in same_rows)
    raw_seconds = _insert_raw(template, columns, same_rows, pragmas)
    all_seconds = _insert_raw(template, columns, written, pragmas)
    logged_seconds = _insert_raw(template, columns, logged, pragmas)
    floor_seconds = _least_python_apply(template, pragmas, args, held)
    return {
        "changes": change_count,
        "rows": row_count,
        "apply_seconds": apply_seconds,
        "apply_changes_per_s": change_count / apply_seconds,
        # CPU time too: on a shared machine wall time includes waiting for a core.
        "apply_cpu_seconds": apply_cpu_seconds,
        "raw_seconds": raw_seconds,
        "raw_rows_per_s": row_count / raw_seconds,
        "ratio": raw_seconds / apply_seconds,
        "written_rows": sum(len(rows) for rows in written),
        "written_raw_seconds": all_seconds,
        "written_ratio": all_seconds / apply_seconds,
        "logged_raw_seconds": logged_seconds,
        # The search index's own SQL: every row written, less the rows and change log.
        "search_raw_seconds": all_seconds - logged_seconds,
        "floor_seconds": floor_seconds,
        "floor_changes_per_s": change_count / floor_seconds,
        "floor_ratio": raw_seconds / floor_seconds,
    }


def _fresh_copy(template: Path, pragmas: list[str]) -> Any:
    """A connection to a new copy of `template`, in autocommit, with `pragmas` run."""
    target = template.with_name(f"copy-{uuid.uuid4().hex}.sqlite3")
    shutil.copy(template, target)
    raw = open_node_sqlite(target)
    raw.isolation_level = None
    for pragma in filter(None, (p.strip() for p in pragmas)):
        raw.execute(pragma)
    return raw


def _insert_sql(table: str, names: list[str]) -> str:
    return 'INSERT INTO "{}" ({}) VALUES ({})'.format(  # noqa: S608 - our table names
        table, ",".join(f'"{n}"' for n in names), ",".join("?" * len(names))
    )


def _insert_raw(
    template: Path,
    columns: dict[str, list[str]],
    transactions: list[list[tuple[str, tuple[Any, ...]]]],
    pragmas: list[str],
) -> float:
    """Seconds to insert the rows with plain executemany into a fresh copy of `template`,
    one transaction per list, consecutive rows of a table in one executemany.

    The connection takes the node's own PRAGMAs (WAL, foreign keys enforced,
    secure_delete), those a pulled batch commits with (sync/durability.py), and the
    node's key, so the ratio compares Python's share only, not settings or encryption.
    """
    raw = _fresh_copy(template, pragmas)
    statements = {table: _insert_sql(table, names) for table, names in columns.items()}
    started = time.perf_counter()
    for rows in transactions:
        raw.execute("BEGIN")
        run: list[tuple[Any, ...]] = []
        current = None
        for table, row in rows:
            if table != current and run:
                raw.executemany(statements[current], run)  # type: ignore[index]
                run = []
            current = table
            run.append(row)
        if run:
            raw.executemany(statements[current], run)  # type: ignore[index]
        raw.execute("COMMIT")
    seconds = time.perf_counter() - started
    raw.close()
    return seconds


def _least_python_apply(
    template: Path, pragmas: list[str], args: argparse.Namespace, expected: dict[str, int]
) -> float:
    """Seconds for the least Python any apply storing what this one stores could run:
    a lower bound on apply time, not an alternative to it.

    Per pulled answer: JSON decoded; per change, the shape test `parse_change` makes
    first, the row's values put in column order (ids to their stored hex, booleans to
    integers, UTC times to stored text) with the creating stamp as field clock, and the
    change log row with its payload re-encoded; one executemany per table and one
    transaction per answer, with the node's settings and key. Left out, so the bound is
    generous: the merge (every insert is taken as new and every update as winning),
    checks of the values, derived fields, the search index, the duplicate check.
    """
    from nidaan.core import fastjson
    from nidaan.core.synced import registry

    dumps = fastjson.dumper()
    raw = _fresh_copy(template, pragmas)
    log_columns = (
        "node_id node_seq hlc org_id entity entity_id op fields schema_version actor_id "
        "recorded_at quarantine_reason server_seq"
    ).split()
    log_sql = _insert_sql("core_changelogentry", log_columns)
    # Per synced table: its INSERT, its columns, what an absent value is stored as ("" for
    # NOT NULL text, 0 for other NOT NULL columns, else NULL), where the field clock goes,
    # and which columns hold ids or times (the only values whose stored form differs).
    shapes: dict[str, tuple[str, list[str], list[Any], int, list[int]]] = {}
    for entity, model in registry().items():
        table = model._meta.db_table
        info = raw.execute(f'PRAGMA table_info("{table}")').fetchall()
        names = [column[1] for column in info]
        blank = [
            ("" if "char" in t.lower() or "text" in t.lower() else 0) if notnull else None
            for _, _, t, notnull, _, _ in info
        ]
        convert = [
            at
            for at, (_, _, t, _, _, _) in enumerate(info)
            if t.lower() in ("char(32)", "datetime", "bool")
        ]
        shapes[entity] = (
            _insert_sql(table, names),
            names,
            blank,
            names.index("field_clock"),
            convert,
        )

    def stored(value: Any) -> Any:
        kind = value.__class__
        if kind is str:
            if len(value) == 36 and value[8] == "-":
                return value.replace("-", "")
            if len(value) == 32 and value[10] == "T" and value.endswith("+00:00"):
                return value[:10] + " " + value[11:26]
            return value
        return int(value) if kind is bool else value

    seconds = 0.0
    for body, _ids in _pulled_batches(args):  # built as for the apply, not timed
        started = time.perf_counter()
        answer = fastjson.loads(body)
        now = time.strftime("%Y-%m-%d %H:%M:%S.000000")
        inserts: dict[str, list[list[Any]]] = {}
        updates: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
        log = []
        for change in answer["changes"]:
            fields, node_seq, hlc = change["fields"], change["node_seq"], change["hlc"]
            if not (
                node_seq.__class__ is int
                and hlc.__class__ is int
                and fields.__class__ is dict
                and change["entity"] in shapes
            ):
                raise ValueError(f"change {node_seq} is not of the usual shape")
            entity, row_id, node_hex = (
                change["entity"],
                stored(change["entity_id"]),
                stored(change["node_id"]),
            )
            log.append(
                (
                    node_hex,
                    node_seq,
                    hlc,
                    stored(change["org_id"]),
                    entity,
                    row_id,
                    change["op"],
                    dumps(fields),
                    change["schema_version"],
                    stored(change["actor_id"]),
                    now,
                    "",
                    change["server_seq"],
                )
            )
            if change["op"] == "insert":
                sql, names, blank, clock_at, convert = shapes[entity]
                get = fields.get
                row = [get(name, absent) for name, absent in zip(names, blank, strict=True)]
                for at in convert:
                    row[at] = stored(row[at])
                row[0], row[clock_at] = row_id, f'{{"*": "{hlc:016x}{node_hex}"}}'  # core.hlc
                inserts.setdefault(sql, []).append(row)
            else:
                updates.setdefault((entity, tuple(fields)), []).append(
                    [*(stored(v) for v in fields.values()), row_id]
                )
        raw.execute("BEGIN")
        for sql, rows in inserts.items():
            raw.executemany(sql, rows)
        raw.executemany(log_sql, log)
        for (entity, changed), rows in updates.items():
            raw.executemany(
                'UPDATE "{}" SET {} WHERE id = ?'.format(  # noqa: S608 - our table names
                    registry()[entity]._meta.db_table, ", ".join(f'"{n}" = ?' for n in changed)
                ),
                rows,
            )
        raw.execute("COMMIT")
        seconds += time.perf_counter() - started
    # The bound only counts if it wrote what the apply wrote.
    for table, count in expected.items():
        (held,) = raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
        if held != count:
            raise RuntimeError(f"the floor wrote {held} rows into {table}, the apply {count}")
    raw.close()
    return seconds


def phase_hub_ingest(args: argparse.Namespace) -> dict[str, Any]:
    """Pushes of 1,000 changes received by the hub's action on PostgreSQL (one worker)."""
    _django("hub")
    from nidaan.clinics.demo import ensure_demo_clinic
    from nidaan.clinics.models import Facility
    from nidaan.sync import actions
    from nidaan.sync.models import EnrolledNode

    ensure_demo_clinic()
    facility = Facility.objects.get()
    enrolled = EnrolledNode.objects.create(
        node_id=FOREIGN_NODE,
        organisation_id=facility.organisation_id,
        facility=facility,
        name="bench",
        credential_hash="0" * 64,
        uhid_prefix="BEEF",
        series="Z",
    )
    changes = list(synthetic_changes(args.patients, args.visits, seed=1))
    started = time.perf_counter()
    for first in range(0, len(changes), BATCH):
        batch = changes[first : first + BATCH]
        outcome = actions.receive_push(enrolled=enrolled, from_seq=batch[0].node_seq, changes=batch)
        if outcome.result.quarantined:
            raise SystemExit(f"held back: {outcome.result.quarantined[0][1]}")
    seconds = time.perf_counter() - started
    return {"changes": len(changes), "seconds": seconds, "changes_per_s": len(changes) / seconds}


# ---- the orchestrator ------------------------------------------------------------------


def _phase(name: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    out = Path(tempfile.mkstemp(prefix=f"bench-sync-{name}-", suffix=".json")[1])
    command = [
        sys.executable,
        "-m",
        "bench.sync",
        "--phase",
        name,
        "--out",
        str(out),
        "--patients",
        str(args.patients),
        "--visits",
        str(args.visits),
    ]
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return result


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIDAAN_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def _nidaan(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "nidaan"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _serve_hub(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    hub = subprocess.Popen(
        [str(BIN / "nidaan"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return hub
        except OSError:
            time.sleep(0.2)
    raise SystemExit("hub did not start")


def _reader(env: dict[str, str], database: Path) -> Any:
    """A read-only connection to another node's database, with that node's key."""
    from nidaan import keys
    from nidaan.keys.sqlcipher.base import connect

    uri = f"file:{database}?mode=ro"
    if keys.database_file_state(database) == "plain":
        return sqlite3.connect(uri, uri=True)
    recovery = _nidaan(env, "keys", "recovery").strip().splitlines()[-1]
    return connect(uri, keys.from_recovery_text(recovery))


def initial_sync_and_visibility(
    args: argparse.Namespace, hub_env: dict[str, str]
) -> dict[str, Any]:
    """A new node's first sync from the filled hub, then change-to-visible latency."""
    port = 8600 + os.getpid() % 300
    hub = _serve_hub(hub_env, port)
    url = f"http://127.0.0.1:{port}"
    workdir = Path(tempfile.mkdtemp(prefix="bench-sync-nodes-"))
    workers: list[subprocess.Popen[bytes]] = []
    try:
        nodes: list[dict[str, str]] = []
        first_sync = 0.0
        for name in ("reception", "doctor"):
            env = _clean_env(NIDAAN_DATA_DIR=str(workdir / name))
            _nidaan(env, "migrate", "--verbosity", "0")
            code = _nidaan(hub_env, "hub", "enrolment-code").strip().splitlines()[-1]
            started = time.perf_counter()
            _nidaan(env, "node", "enrol", "--hub", url, "--code", code)
            if not nodes:
                first_sync = time.perf_counter() - started
            nodes.append(env)
        for env in nodes:
            workers.append(
                subprocess.Popen(
                    [str(BIN / "nidaan"), "worker", "--interval", "2"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        latencies = []
        writer = subprocess.Popen(
            [sys.executable, "-m", "bench.sync", "--phase", "writer"],
            env={**nodes[0], "DJANGO_SETTINGS_MODULE": "nidaan.settings.node"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        reader = _reader(nodes[1], workdir / "doctor" / "nidaan.sqlite3")
        assert writer.stdin is not None  # noqa: S101
        assert writer.stdout is not None  # noqa: S101
        for sample in range(args.samples):
            writer.stdin.write(f"Visible Patient {sample}\n")
            writer.stdin.flush()
            patient_hex, committed = writer.stdout.readline().split()
            while True:
                found = reader.execute(
                    "SELECT 1 FROM patients_patient WHERE id = ?", [patient_hex]
                ).fetchone()
                if found:
                    latencies.append(time.time() - float(committed))
                    break
                time.sleep(0.02)
            time.sleep(random.uniform(0.2, 1.5))  # noqa: S311 - spread over poll phases
        writer.stdin.close()
        writer.wait()
        latencies.sort()
        return {
            "first_sync_seconds": first_sync,
            "visible_p50": percentile(latencies, 0.50),
            "visible_p95": percentile(latencies, 0.95),
            "visible_max": latencies[-1],
            "samples": len(latencies),
        }
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()
        hub.terminate()
        hub.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def phase_writer() -> None:
    """Registers a patient per input line on a node; prints its id and commit time."""
    import django

    django.setup()
    from nidaan.accounts.models import User
    from nidaan.patients.actions import register_patient

    reception = User.objects.get(username="reception")
    import datetime

    for line in sys.stdin:
        patient = register_patient(
            acting_user=reception,
            facility=reception.home_facility,
            demographics={
                "name": line.strip(),
                "sex": "F",
                "date_of_birth": datetime.date(1990, 1, 1),
                "date_of_birth_estimated": True,
            },
        )
        print(patient.pk.hex, time.time(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--visits", type=int, default=3, help="visits per patient")
    parser.add_argument("--samples", type=int, default=20, help="visibility samples")
    parser.add_argument("--pg", default=os.environ.get("DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "writer":
        phase_writer()
        return
    if args.phase:
        result = {"node-apply": phase_node_apply, "hub-ingest": phase_hub_ingest}[args.phase](args)
        Path(args.out).write_text(json.dumps(result))
        return

    changes = args.patients * (2 + 3 * args.visits)
    print(f"sync benchmark: {args.patients} patients x {args.visits} visits = {changes} changes")
    node_dir = tempfile.mkdtemp(prefix="bench-sync-node-")
    apply = _phase("node-apply", args, _clean_env(NIDAAN_DATA_DIR=node_dir))
    shutil.rmtree(node_dir, ignore_errors=True)
    hub_name = f"nidaan_bench_sync_{os.getpid()}"
    recreate_pg_database(args.pg, hub_name)
    hub_url = with_database(args.pg, hub_name)
    hub_dir = tempfile.mkdtemp(prefix="bench-sync-hub-")
    hub_env = _clean_env(
        NIDAAN_ROLE="hub",
        DATABASE_URL=hub_url,
        NIDAAN_DATA_DIR=hub_dir,
        NIDAAN_INSECURE_COOKIES="1",
    )
    try:
        ingest = _phase("hub-ingest", args, hub_env)
        loopback = initial_sync_and_visibility(args, hub_env)
    finally:
        recreate_pg_database(args.pg, hub_name, drop_only=True)
        shutil.rmtree(hub_dir, ignore_errors=True)

    print()
    print("| measure | result | target |")
    print("|---|---|---|")
    print(
        f"| node apply (SQLite), {apply['changes']:,} pulled changes | "
        f"{apply['apply_changes_per_s']:,.0f} changes/s ({apply['apply_seconds']:.1f} s; "
        f"CPU {apply['apply_cpu_seconds']:.1f} s) | ≥ 20,000/s |"
    )
    print(
        f"| raw SQLite insert of the same {apply['rows']:,} rows | "
        f"{apply['raw_rows_per_s']:,.0f} rows/s ({apply['raw_seconds']:.1f} s) | |"
    )
    print(
        f"| raw SQLite insert of every row the apply wrote ({apply['written_rows']:,}: "
        f"rows, change log, search index) | {apply['written_raw_seconds']:.1f} s, apply at "
        f"{apply['written_ratio']:.0%} of it | |"
    )
    print(
        f"| apply speed as a share of raw insert (same rows, time ratio) | "
        f"{apply['ratio']:.0%} | ≥ 30% |"
    )
    print(
        f"| the search index's own SQL (every row written less the rows and change log) | "
        f"{apply['search_raw_seconds']:.1f} s | |"
    )
    print(
        f"| least Python an apply storing the same could run (bound; no merge, no search "
        f"index) | {apply['floor_changes_per_s']:,.0f} changes/s ({apply['floor_seconds']:.1f} s), "
        f"{apply['floor_ratio']:.0%} of raw | |"
    )
    print(
        f"| hub ingest (PostgreSQL, one worker), {ingest['changes']:,} changes | "
        f"{ingest['changes_per_s']:,.0f} changes/s | ≥ 2,000/s |"
    )
    print(
        f"| initial sync of a new node ({changes:,} changes: snapshot + tail, loopback) | "
        f"{loopback['first_sync_seconds']:.1f} s | ≤ 300 s for 1M |"
    )
    print(
        f"| change on one node visible on the other (workers, {loopback['samples']} samples) | "
        f"p50 {loopback['visible_p50']:.2f} s, p95 {loopback['visible_p95']:.2f} s, "
        f"max {loopback['visible_max']:.2f} s | p95 ≤ 5 s |"
    )


if __name__ == "__main__":
    main()
