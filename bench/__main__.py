"""`make bench`: patient search at scale, on throw-away SQLite nodes and PostgreSQL databases.

    python -m bench                                    # 10^4 patients, SQLite (quick)
    python -m bench --sizes 10000,100000,1000000 --db sqlite,postgres --report out.md

Each (database, size) runs in its own process (bench/run.py) on a fresh database: a new
NIDAAN_DATA_DIR for SQLite, a new database next to DATABASE_URL's for PostgreSQL (dropped
afterwards unless --keep). See docs/benchmarks.md for what is measured and the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.databases import recreate_pg_database, with_database
from bench.report import floor_table, run_report, summary_table, table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://nidaan:nidaan@127.0.0.1:5432/nidaan"


def sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part]


def databases(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    for db in chosen:
        if db not in ("sqlite", "postgres"):
            raise argparse.ArgumentTypeError(f"unknown database {db!r}: sqlite or postgres")
    return chosen


def run_one(db: str, size: int, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    env = dict(os.environ)
    data_dir = tempfile.mkdtemp(prefix=f"nidaan-bench-{db}-{size}-")
    env["NIDAAN_DATA_DIR"] = data_dir
    env["DJANGO_SETTINGS_MODULE"] = "nidaan.settings.node"
    pg_name = f"nidaan_bench_{size}"
    if db == "postgres":
        recreate_pg_database(args.pg_url, pg_name)
        env["DATABASE_URL"] = with_database(args.pg_url, pg_name)
    else:
        env.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        "-m",
        "bench.run",
        f"--db={db}",
        f"--size={size}",
        f"--per-kind={args.per_kind}",
        f"--planted={args.planted}",
        f"--seed={args.seed}",
        f"--batch={args.batch}",
        f"--out={out}",
    ]
    print(f"\n=== {db}, {size:,} patients (data in {data_dir}) ===", flush=True)
    started = time.perf_counter()
    try:
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own module
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                recreate_pg_database(args.pg_url, pg_name, drop_only=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wall_seconds"] = time.perf_counter() - started
    return result


def name_agreement() -> str:
    """Table words whose Devanagari and Latin spellings get different search keys."""
    from bench.patients import main_tables, planted_tables
    from nidaan.patients import names

    rows = []
    for source, words in (("main", main_tables()), ("planted", planted_tables())):
        for word in words:
            deva = sorted({names.search_key(s).strip() for s in word.deva})
            latin = sorted({names.search_key(s).strip() for s in word.latin})
            if set(deva) != set(latin):
                rows.append(
                    [
                        f"{' / '.join(word.deva)} · {' / '.join(word.latin)}",
                        source,
                        ", ".join(deva),
                        ", ".join(latin),
                    ]
                )
    return table(
        ["word (Devanagari · Latin spellings)", "table", "keys from Devanagari", "keys from Latin"],
        rows,
    )


def compare_answers(results: list[dict[str, Any]]) -> str:
    """Do SQLite and PostgreSQL return the same patients in the same order?"""
    lines = []
    for size in dict.fromkeys(r["size"] for r in results):
        runs = {r["db"]: r for r in results if r["size"] == size}
        if len(runs) < 2:
            continue
        first, second = runs["sqlite"]["answers"], runs["postgres"]["answers"]
        common = [q for q in first if q in second]
        differ = [q for q in common if first[q] != second[q]]
        as_sets = [q for q in differ if set(first[q]) != set(second[q])]
        lines.append(
            f"- {size:,} patients: {len(differ)} of {len(common)} queries gave a different"
            f" first 20 on SQLite and PostgreSQL ({len(as_sets)} a different set of patients)"
        )
        for q in differ[:5]:
            lines.append(f"  - `{q.replace(chr(9), ': ')}`")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=sizes, default=[10_000], help="e.g. 10000,100000,1e6")
    parser.add_argument("--db", type=databases, default=["sqlite"], help="sqlite,postgres")
    parser.add_argument("--per-kind", type=int, default=200, help="timed queries per kind")
    parser.add_argument("--planted", type=int, default=300, help="labelled recall patients")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=10_000, help="patients per transaction")
    parser.add_argument("--pg-url", default=os.environ.get("DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--report", type=Path, help="also write the tables here (Markdown)")
    parser.add_argument("--json", type=Path, help="also write all results here")
    parser.add_argument(
        "--names", action="store_true", help="only print where Devanagari and Latin keys differ"
    )
    args = parser.parse_args()
    if args.names:
        print(name_agreement())
        return

    results = []
    with tempfile.TemporaryDirectory(prefix="nidaan-bench-results-") as scratch:
        for size in args.sizes:
            for db in args.db:
                out = Path(scratch) / f"{db}-{size}.json"
                results.append(run_one(db, size, args, out))

    commit = subprocess.run(  # noqa: S603 - fixed command
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    header = (
        f"Nidaan search benchmark · commit {commit or '?'} · Python {platform.python_version()}"
        f" · {os.cpu_count()} CPUs · seed {args.seed}"
    )
    sections = [
        f"## {header}",
        "",
        "p50 / p95 / p99 ms per query kind:",
        "",
        summary_table(results),
        "",
        "The engine's floor (bare full-text query, p95) and ours ÷ floor (p50 / p95):",
        "",
        floor_table(results),
        "",
        compare_answers(results),
        "",
        *(run_report(result) + "\n" for result in results),
    ]
    text = "\n".join(sections)
    print("\n" + text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
