"""The merge's per-column shortcuts take exactly what the full parsers take, and give the
same value; everything else still reaches the full parser, whose refusal names the field."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from nidaan.core.ids import uuid_from_text
from nidaan.core.synced import registry
from nidaan.sync import merge

COLUMNS = [
    (model, attname)
    for model in sorted(registry().values(), key=lambda m: m.entity_name())
    for attname in merge._columns(model)
]
REFUSED = (ValidationError, TypeError, ValueError, ArithmeticError)

raw_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.text(min_size=190, max_size=320),
    st.uuids().map(str),
    st.lists(st.integers(), max_size=2),
    st.datetimes().map(lambda d: d.isoformat() + "+00:00"),
)


def _outcome(parse: Any, raw: Any) -> tuple[str, Any]:
    try:
        return "value", parse(raw)
    except REFUSED as error:
        return "refused", type(error).__name__


@pytest.mark.parametrize(
    ("model", "attname"), COLUMNS, ids=[f"{m.entity_name()}.{a}" for m, a in COLUMNS]
)
@settings(max_examples=60, deadline=None)
@given(raw=raw_values)
def test_a_shortcut_answers_as_the_full_parser_does(model: Any, attname: str, raw: Any) -> None:
    full = merge._parsers(model)[attname]
    fast = merge._fast_parsers(model)[attname]
    got, expected = _outcome(fast, raw), _outcome(full, raw)
    assert got == expected
    if got[0] == "value":
        assert type(got[1]) is type(expected[1])


def test_the_usual_columns_have_shortcuts() -> None:
    # Guards the speed-up itself: a Django upgrade that changed these fields' parsers or
    # validators would silently send every value down the slow path again.
    from nidaan.encounters.models import VitalSigns

    fast, full = merge._fast_parsers(VitalSigns), merge._parsers(VitalSigns)
    for attname in ("patient_id", "status", "reason", "pulse"):
        assert fast[attname] is not full[attname], attname


def test_a_refused_value_is_named_by_the_careful_path(world: Any) -> None:
    from nidaan.encounters.models import VitalSigns

    batch = merge._Batch(None, 0)
    patient = str(uuid.uuid4())
    uuid_from_text(patient)  # seen before: the shortcut answers it
    with pytest.raises(merge._Unapplicable, match="pulse"):
        batch._values(VitalSigns, {"patient_id": patient, "pulse": 2**80})
    with pytest.raises(merge._Unapplicable, match="has no synced field colour"):
        batch._values(VitalSigns, {"patient_id": patient, "colour": "red"})
    values = batch._values(VitalSigns, {"patient_id": patient, "pulse": 72})
    assert values == {"patient_id": uuid.UUID(patient), "pulse": 72}
