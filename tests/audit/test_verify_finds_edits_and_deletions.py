"""`nidaan audit verify` passes an untouched log and names the row that was tampered with."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from nidaan.audit import chain
from nidaan.audit.models import AuditEvent
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


def _verify() -> str:
    out = io.StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as error:
        return out.getvalue() + f"FAILED {error}"
    return out.getvalue()


@pytest.fixture
def events(world: ClinicWorld) -> list[AuditEvent]:
    for name in ("Asha", "Bina", "Chetan"):
        patient = world.register(name=name)
        world.client(Role.DOCTOR).get(f"/patients/{patient.pk}/")
    return list(AuditEvent.objects.order_by("seq"))


def test_untouched_log_is_intact(events: list[AuditEvent]) -> None:
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(e.prev_hash == p.hash for p, e in zip(events, events[1:], strict=False))
    output = _verify()
    assert "the chain is intact" in output
    assert f"{len(events)} audit events" in output


def test_an_edited_row_is_named(events: list[AuditEvent]) -> None:
    victim = events[5]
    AuditEvent.objects.filter(pk=victim.pk).update(actor_username="someone-else")
    output = _verify()
    assert "FAILED" in output
    assert f"edited: event {victim.seq} (id {victim.pk}) was edited" in output


def test_an_edited_and_rehashed_row_breaks_the_next_link(events: list[AuditEvent]) -> None:
    victim = events[5]
    victim.detail = {"forged": True}
    victim.hash = chain.event_hash(chain.values_of(victim))
    victim.save()
    output = _verify()
    assert f"relinked: event {victim.seq + 1} does not follow event {victim.seq}" in output


def test_a_deleted_row_is_named(events: list[AuditEvent]) -> None:
    victim = events[3]
    AuditEvent.objects.filter(pk=victim.pk).delete()
    output = _verify()
    assert f"deleted: events {victim.seq} are missing (deleted)" in output


def test_rows_cut_off_the_end_are_found(events: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq__gte=events[-2].seq).delete()
    output = _verify()
    assert f"truncated: events {events[-2].seq}–{events[-1].seq} are missing" in output


def test_new_events_continue_the_chain_after_verification(
    world: ClinicWorld, events: list[AuditEvent]
) -> None:
    world.register(name="Dev")
    newest = AuditEvent.objects.order_by("-seq").first()
    assert newest is not None
    assert newest.seq == events[-1].seq + 1
    assert newest.prev_hash == events[-1].hash
    assert "intact" in _verify()
