"""Write the FHIR R4 (4.0.1) element table that tests/fhir/test_bundle_is_valid_r4.py
checks our bundles against.

fhir.resources 8.x (our dependency) has R4B and R5 models but no R4; its last R4 release,
6.4.0, needs pydantic 1, which cannot sit beside django-ninja's pydantic 2. So the R4
structure is read from 6.4.0 once, in a throw-away environment, and kept as data:

    python3 -m venv /tmp/r4 && /tmp/r4/bin/pip install fhir.resources==6.4.0 'pydantic<1.11'
    /tmp/r4/bin/python tools/fhir_r4_elements.py > tests/fhir/r4_elements.json

For every type reachable from the resources Nidaan emits: each element's JSON name, its
type, whether it repeats, whether it is required, and its fixed code values (when the
binding is required and closed).
"""

from __future__ import annotations

import json
import sys
from typing import Any

ROOTS = (
    "Bundle",
    "Patient",
    "Organization",
    "Practitioner",
    "Encounter",
    "Condition",
    "Observation",
    "AllergyIntolerance",
    "MedicationRequest",
    "DocumentReference",
)


def _type_name(field: Any) -> str:
    kind = field.type_
    name = getattr(kind, "__resource_type__", None)
    if name:
        return str(name)
    if kind.__name__ == "ResourceType":
        return "Resource"
    return "primitive:" + str(kind.__name__)


def table() -> dict[str, dict[str, dict[str, Any]]]:
    from fhir.resources import get_fhir_model_class

    found: dict[str, dict[str, dict[str, Any]]] = {}
    todo = list(ROOTS)
    while todo:
        name = todo.pop()
        if name in found or name == "Resource":
            continue
        # pydantic 1 models (fhir.resources 6.4.0): `__fields__` is a dict there.
        model: Any = get_fhir_model_class(name)
        elements: dict[str, dict[str, Any]] = {}
        for field in model.__fields__.values():
            extra = field.field_info.extra
            if not extra.get("element_property"):
                continue
            kind = _type_name(field)
            entry: dict[str, Any] = {"type": kind, "list": field.shape != 1}
            if extra.get("element_required") or field.required:
                entry["required"] = True
            values = extra.get("enum_values")
            if values and "+" not in values:
                entry["codes"] = list(values)
            elements[field.alias] = entry
            if not kind.startswith("primitive:"):
                todo.append(kind)
        found[name] = elements
    return dict(sorted(found.items()))


if __name__ == "__main__":
    json.dump(table(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
