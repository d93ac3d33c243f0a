"""The bundle is valid R4 (4.0.1), not only R4B: every element exists in R4 for its
type, repeats or not as R4 says, required ones are there, and closed codes are R4's.

The R4 table (r4_elements.json) is read from fhir.resources 6.4.0's R4 models by
tools/fhir_r4_elements.py; 6.4.0 needs pydantic 1 and cannot be installed beside us.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from nidaan.fhir.bundle import patient_bundle
from tests.factories import ClinicWorld
from tests.records_chart import make_chart

R4 = json.loads((Path(__file__).parent / "r4_elements.json").read_text())


# The chart stores a report: its file goes to this test's own directory.
pytestmark = pytest.mark.usefixtures("data_dir")


def r4_problems(value: dict[str, Any], kind: str, path: str) -> list[str]:
    """Where `value` (a `kind` element) breaks R4's structure."""
    if kind == "Resource":
        kind = value["resourceType"]
    elements = R4[kind]
    problems = [
        f"{path}.{name}: required in R4"
        for name, rule in elements.items()
        if rule.get("required") and name not in value
    ]
    for name, item in value.items():
        if name == "resourceType":
            continue
        rule = elements.get(name)
        if rule is None:
            problems.append(f"{path}.{name}: no such element in R4 {kind}")
            continue
        if rule["list"] != isinstance(item, list):
            problems.append(f"{path}.{name}: R4 says list={rule['list']}")
            continue
        for index, one in enumerate(item if rule["list"] else [item]):
            where = f"{path}.{name}[{index}]" if rule["list"] else f"{path}.{name}"
            if rule["type"].startswith("primitive:"):
                if isinstance(one, dict | list):
                    problems.append(f"{where}: R4 {rule['type']} is a primitive")
                elif "codes" in rule and one not in rule["codes"]:
                    problems.append(f"{where}: {one!r} not in R4's codes {rule['codes']}")
            elif not isinstance(one, dict):
                problems.append(f"{where}: R4 {rule['type']} is an element")
            else:
                problems += r4_problems(one, rule["type"], where)
    return problems


def test_records_request_bundle_is_valid_r4(world: ClinicWorld) -> None:
    chart = make_chart(world)
    for marked in (False, True):
        bundle = patient_bundle(chart.patient, entered_in_error=marked)
        assert r4_problems(bundle, "Bundle", "Bundle") == []


def test_the_check_finds_r4b_only_shapes(world: ClinicWorld) -> None:
    bundle = patient_bundle(make_chart(world).patient)
    broken = copy.deepcopy(bundle)
    encounter = next(e for e in broken["entry"] if e["resource"]["resourceType"] == "Encounter")
    encounter["resource"]["class"] = [encounter["resource"]["class"]]  # R5's shape
    encounter["resource"]["virtualService"] = []  # R5 only
    del encounter["resource"]["status"]
    problems = r4_problems(broken, "Bundle", "Bundle")
    assert any("class: R4 says list=False" in p for p in problems)
    assert any("virtualService: no such element" in p for p in problems)
    assert any("status: required" in p for p in problems)
