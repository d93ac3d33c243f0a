"""Percentiles and the tables the benchmark prints (Markdown, readable in a terminal too)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary(samples_ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(samples_ms),
        "p50": percentile(samples_ms, 0.50),
        "p95": percentile(samples_ms, 0.95),
        "p99": percentile(samples_ms, 0.99),
        "max": max(samples_ms) if samples_ms else math.nan,
    }


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (width + 1) + ":" if i else ":" + "-" * (width + 1)
            for i, width in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def run_title(result: dict[str, Any]) -> str:
    return f"{result['db']} · {result['size']:,} patients"


def latency_table(result: dict[str, Any]) -> str:
    """One run: p50/p95/p99 per kind, the engine's floor and the ratio, and checks."""
    rows = []
    for kind, row in result["kinds"].items():
        floor = row.get("floor")
        ratio50 = row["p50"] / floor["p50"] if floor and floor["p50"] else None
        ratio95 = row["p95"] / floor["p95"] if floor and floor["p95"] else None
        checks = []
        if row.get("name_found") is not None:
            checks.append(f"right name@10 {row['name_found']:.0%}")
        if row.get("zero"):
            checks.append(f"{row['zero']} empty")
        if row.get("violations") is not None:
            checks.append(f"{row['violations']} not first")
        if row.get("target_found") is not None and row.get("name_found") is None:
            checks.append(f"patient@20 {row['target_found']:.0%}")
        rows.append(
            [
                kind,
                str(row["n"]),
                fmt(row["p50"]),
                fmt(row["p95"]),
                fmt(row["p99"]),
                fmt(row["max"]),
                fmt(floor["p50"], 2) if floor else "",
                fmt(floor["p95"], 2) if floor else "",
                fmt(ratio50) if ratio50 else "",
                fmt(ratio95) if ratio95 else "",
                ", ".join(checks),
            ]
        )
    return table(
        [
            "query kind",
            "n",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "floor p50",
            "floor p95",
            "×floor p50",
            "×floor p95",
            "checks",
        ],
        rows,
    )


def run_report(result: dict[str, Any]) -> str:
    recall = result["recall"]
    registration = result["registration"]
    lines = [
        f"### {run_title(result)}",
        "",
        f"- code: git {result['git_head']}, search code sha1 {result['search_code_sha1']}"
        " (search.py, search_index.py, names.py, models.py)",
        f"- load: {result['load_seconds']:.0f} s ({result['load_rate']:,.0f} patients/s), "
        f"database {result['db_size_mb']:,.0f} MB; floor index built in "
        f"{result['floor_build_seconds']:.1f} s",
        f"- peak RSS of the benchmark process: {result['rss_peak_mb']:.0f} MB "
        f"(peak by the end of loading: {result['rss_after_load_mb']:.0f} MB; "
        f"RSS after the timed queries: {result['rss_after_queries_mb']:.0f} MB)",
        f"- recall@10 on {recall['n']} labelled variants: **{recall['recall_at_10']:.3f}** "
        f"(search p50 {fmt(recall['p50'])} ms, p95 {fmt(recall['p95'])} ms)",
        f"- exact identifier not ranked first: **{result['identifier_violations']}** of "
        f"{result['identifier_queries']} identifier queries",
        f"- registering one patient through the action (row, change log, audit, index):"
        f" p50 {fmt(registration['p50'])} ms, p95 {fmt(registration['p95'])} ms"
        f" ({registration['n']} patients)",
        "",
        latency_table(result),
        "",
        "Recall@10 by variant, and by the script the patient was registered in:",
        "",
        table(
            ["variant", "n", "found@10", "recall@10"],
            [
                [variant, str(v["n"]), str(v["found"]), fmt(v["found"] / v["n"], 3)]
                for variant, v in [
                    *recall["by_variant"].items(),
                    *(
                        (f"registered in {script}", v)
                        for script, v in recall["by_registered_script"].items()
                    ),
                ]
                if v["n"]
            ],
        ),
    ]
    return "\n".join(lines)


def summary_table(results: Sequence[dict[str, Any]], column: str = "p95") -> str:
    """p95 (or another column) per kind, one column per run."""
    kinds: list[str] = []
    for result in results:
        kinds += [kind for kind in result["kinds"] if kind not in kinds]
    header = ["query kind", *(f"{r['db']} {r['size']:,}" for r in results)]
    rows = []
    for kind in kinds:
        cells = [kind]
        for result in results:
            row = result["kinds"].get(kind)
            cells.append(
                f"{fmt(row['p50'])} / {fmt(row['p95'])} / {fmt(row['p99'])}" if row else ""
            )
        rows.append(cells)
    rows.append(
        [
            "recall@10",
            *(fmt(r["recall"]["recall_at_10"], 3) for r in results),
        ]
    )
    rows.append(["identifier not first", *(str(r["identifier_violations"]) for r in results)])
    rows.append(
        [
            "register 1 patient (action) p50 / p95",
            *(
                f"{fmt(r['registration']['p50'])} / {fmt(r['registration']['p95'])}"
                for r in results
            ),
        ]
    )
    rows.append(["load time s", *(f"{r['load_seconds']:.0f}" for r in results)])
    rows.append(["peak RSS MB", *(f"{r['rss_peak_mb']:.0f}" for r in results)])
    return table(header, rows)


def floor_table(results: Sequence[dict[str, Any]]) -> str:
    """Ours ÷ the bare full-text query, p50 and p95, per name kind and run."""
    kinds: list[str] = []
    for result in results:
        kinds += [k for k, row in result["kinds"].items() if row.get("floor") and k not in kinds]
    header = ["name query kind", *(f"{r['db']} {r['size']:,}" for r in results)]
    rows = []
    for kind in kinds:
        cells = [kind]
        for result in results:
            row = result["kinds"].get(kind)
            floor = row.get("floor") if row else None
            if not row or not floor:
                cells.append("")
                continue
            cells.append(
                f"{fmt(floor['p95'], 2)} ms · ×{fmt(row['p50'] / floor['p50'])}"
                f" / ×{fmt(row['p95'] / floor['p95'])}"
            )
        rows.append(cells)
    return table(header, rows)
