"""Schemathesis against the JSON API: every operation, cases that fit the OpenAPI
document and cases that break it. No answer is a 500, and a refused request changes
nothing (no change-log entry, no patient).

    NIDAAN_FUZZ_EXAMPLES=500 pytest tests/security/test_api_survives_schemathesis.py

runs the long mode (default: 15 examples per operation and mode in `make test`).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from nidaan.api.api import api
from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Role
from nidaan.patients.models import Patient
from tests.accounts.test_permission_matrix import chart_api_parameters
from tests.documents.files import a_document
from tests.factories import ClinicWorld

EXAMPLES = int(os.environ.get("NIDAAN_FUZZ_EXAMPLES", "15"))
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
# An operation the schema cannot describe would be an Err here, and fail the count test.
OPERATIONS = {
    result.ok().label: result.ok()
    for result in SCHEMA.get_all_operations()
    if isinstance(result, Ok)
}


def _send(client: Client, case: Any, token: str) -> int:
    headers = {
        str(k): str(v)
        for k, v in (case.headers or {}).items()
        if str(k).isascii() and str(v).isascii() and str(k).lower() != "authorization"
    }
    headers["Authorization"] = f"Bearer {token}"
    body = case.body
    has_body = type(body).__name__ != "NotSet"
    query = urlencode(case.query or {}, doseq=True)
    if not has_body:
        payload: str | bytes = ""
    elif isinstance(body, bytes | str):
        payload = body  # a raw (deliberately malformed) body
    else:
        payload = json.dumps(body, default=str)
    response = client.generic(
        case.method,
        case.formatted_path,
        data=payload,
        content_type=case.media_type or "application/json",
        headers=headers,
        QUERY_STRING=query,
    )
    return int(response.status_code)


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) == len(
        [(p, m) for p, item in api.get_openapi_schema()["paths"].items() for m in item]
    )


def _known_ids(world: ClinicWorld) -> dict[str, str]:
    """Real ids for every path parameter, so cases reach past the 404 into the handler."""
    patient = world.register(name="Fuzz Patient")
    ids, _ = chart_api_parameters(world, patient)
    known = {name.strip("{}"): value for name, value in ids.items()}
    known["patient_id"] = str(patient.pk)
    known["document_id"] = str(a_document(world, patient).pk)
    return known


@pytest.mark.parametrize("label", sorted(OPERATIONS))
@pytest.mark.parametrize("mode", ["positive", "negative", "known-ids"])
def test_no_server_error_and_refusals_change_nothing(
    world: ClinicWorld, label: str, mode: str
) -> None:
    token = world.token(Role.DOCTOR)
    known = _known_ids(world)
    operation = OPERATIONS[label]
    if mode == "known-ids":
        names = {p.name for p in operation.path_parameters}
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE,
            path_parameters={name: known[name] for name in names},
        )
    else:
        strategy = operation.as_strategy(generation_mode=GenerationMode(mode))
    client = Client()
    seen: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(strategy)
        changes, patients = ChangeLogEntry.objects.count(), Patient.objects.count()
        status = _send(client, case, token)
        seen.append(status)
        assert status < 500, f"{case.method} {case.formatted_path} → {status}"
        if status >= 400:
            assert ChangeLogEntry.objects.count() == changes, f"{label} refused but wrote"
            assert Patient.objects.count() == patients

    run()
    assert seen
    if report := os.environ.get("NIDAAN_FUZZ_REPORT"):  # for docs/security.md's figures
        with open(report, "a") as out:
            out.write(f"{label}\t{mode}\t{len(seen)}\t{sorted(set(seen))}\n")
