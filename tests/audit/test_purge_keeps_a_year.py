"""`nidaan audit purge` never deletes an event younger than a year (DPDP Rules r.6), takes
events only from the oldest end, keeps what the hub has not received, and leaves a chain
that `nidaan audit verify` still proves."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.management import CommandError, call_command

from nidaan.audit import actions, chain, purge
from nidaan.audit.models import AuditAction, AuditEvent, AuditHead
from nidaan.audit.record import record
from nidaan.audit.verify import verify_all
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld

TODAY = datetime.date(2026, 11, 27)


def _events_on(world: ClinicWorld, days: list[datetime.date]) -> None:
    """One event written on each day (as an old log would hold them): written now, then
    dated back and hashed by the chain's own rules, as if written on those days. The
    clinic's set-up events are cleared first, so the log is exactly these."""
    AuditEvent.objects.all().delete()
    AuditHead.objects.filter(local=True).update(seq=0, hash="")
    for _ in days:
        record(AuditAction.LOGIN, actor=world.user(Role.DOCTOR))
    previous = ""
    for event, day in zip(AuditEvent.objects.order_by("seq"), days, strict=False):
        event.at = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        event.prev_hash = previous
        event.hash = chain.event_hash(chain.values_of(event))
        event.save()
        previous = event.hash
    AuditHead.objects.filter(local=True).update(hash=previous)
    assert verify_all().intact


def test_the_latest_cutoff_is_one_year_back() -> None:
    assert purge.latest_cutoff(TODAY) == datetime.date(2025, 11, 27)
    assert purge.latest_cutoff(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


def test_nothing_younger_than_a_year_is_purged(world: ClinicWorld) -> None:
    days = [datetime.date(2024, 1, 5), datetime.date(2025, 6, 1), datetime.date(2026, 1, 1)]
    _events_on(world, days)
    with pytest.raises(purge.PurgeRefused, match="at least one year"):
        purge.purge_before(datetime.date(2026, 1, 2), today=TODAY)
    assert AuditEvent.objects.count() == 3
    # Up to a year back: the 2024 and 2025 events go, the 2026 one stays.
    gone = purge.purge_before(datetime.date(2025, 11, 27), today=TODAY)
    assert sum(gone.values()) == 2
    assert [e.at.date() for e in AuditEvent.objects.order_by("seq")] == [days[2]]
    report = verify_all()
    assert report.intact, report.breaks
    # A deletion in the middle of what is left is still found.
    record(AuditAction.LOGIN, actor=world.user(Role.DOCTOR))
    record(AuditAction.LOGIN, actor=world.user(Role.DOCTOR))
    AuditEvent.objects.filter(seq=4).delete()
    assert [b.kind for b in verify_all().breaks] == ["deleted"]


def test_a_pc_keeps_what_the_hub_has_not_received(world: ClinicWorld) -> None:
    _events_on(world, [datetime.date(2024, 1, 5)] * 4)
    head = AuditHead.objects.get(local=True)
    purge.note_shipped(node_id=head.node_id, through=2)
    purge.purge_before(datetime.date(2025, 1, 1), today=TODAY)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [3, 4]
    assert verify_all().intact


def test_the_command_refuses_a_date_within_the_year(world: ClinicWorld) -> None:
    _events_on(world, [datetime.date(2024, 1, 5)])
    with pytest.raises(CommandError, match="at least one year"):
        call_command("audit", "purge", "--before", "2099-01-01", stdout=io.StringIO())
    assert AuditEvent.objects.count() == 1
    out = io.StringIO()
    call_command("audit", "purge", "--before", "2025-01-01", stdout=out)
    assert "1 audit event(s) purged" in out.getvalue()


def _pc_chain(node_id: uuid.UUID, organisation_id: uuid.UUID, count: int) -> list[AuditEvent]:
    previous, events = "", []
    for seq in range(1, count + 1):
        event = AuditEvent(
            node_id=node_id,
            seq=seq,
            prev_hash=previous,
            at=datetime.datetime(2024, 1, seq, 9, tzinfo=datetime.UTC),
            actor_username="doctor",
            org_id=organisation_id,
            action=AuditAction.LOGIN,
            channel="web",
            detail={},
        )
        event.hash = chain.event_hash(chain.values_of(event))
        previous = event.hash
        events.append(event)
    return events


def test_on_the_hub_a_pcs_purged_events_sent_again_are_harmless(world: ClinicWorld) -> None:
    pc = uuid.uuid4()
    org = world.organisation.pk

    def send() -> int:
        received = actions.receive_node_events(
            node_id=pc, organisation_id=org, name="A", from_seq=1, events=_pc_chain(pc, org, 3)
        )
        return received.stored

    assert send() == 3
    assert purge.purge_before(datetime.date(2025, 1, 1), today=TODAY)[pc] == 3
    assert send() == 0  # a replayed old request: nothing to compare, nothing refused
    assert not AuditEvent.objects.filter(node_id=pc).exists()
    assert verify_all().intact
