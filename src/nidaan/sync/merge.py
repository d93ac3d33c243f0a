"""The merge rules: how a replica (node or hub) applies changes made elsewhere.

One function, `apply_changes`, used by the hub when a node pushes and by a node when it
pulls, so every replica resolves the same changes the same way whatever their order:

- a change already held (same `(node_id, node_seq)`) is skipped: re-delivery is harmless;
- append-only rows (clinical facts, versions) are inserted if absent and never changed;
  two concurrent amendments of one version are both kept (both are current siblings);
- last-writer-wins rows merge per field: a field takes the incoming value only when the
  incoming stamp `(hlc, node_id)` is greater than the one recorded for that field;
- nothing is deleted: tombstones are ordinary fields (`entered_in_error`, `removed`).

A change that cannot be applied (unknown model, newer schema, another organisation's
row, a clock far ahead) is stored with its reason and left out of the feed: kept and
shown to admins, never dropped.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import functools
import gc
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from nidaan.core import hlc as clock
from nidaan.core.bulk import insert_raw, stored_pks
from nidaan.core.changelog import ChangeEncoder
from nidaan.core.ids import known_uuid, uuid_from_text
from nidaan.core.models import ChangeLogEntry, ChangeOp
from nidaan.core.synced import MergePolicy, SyncedModel, changes_stored, registry

# A change stamped further ahead of this replica's clock is held back (design.md §3).
MAX_DRIFT_MS = 5 * 60 * 1000
_INSERT_CHUNK = 400


@dataclass
class ApplyResult:
    applied: int = 0
    duplicates: int = 0
    quarantined: list[tuple[ChangeLogEntry, str]] = field(default_factory=list)
    stored: list[ChangeLogEntry] = field(default_factory=list)


class _Unapplicable(Exception):
    pass


class _Row:
    """A row the batch touches: as loaded (or new), the fields it changed, and why."""

    __slots__ = ("dirty", "entries", "is_new", "model", "obj")

    def __init__(self, model: type[SyncedModel], obj: SyncedModel, is_new: bool) -> None:
        self.model = model
        self.obj = obj
        self.is_new = is_new
        self.dirty: set[str] = set()
        self.entries: list[ChangeLogEntry] = []


@functools.cache
def _org_attname(model: type[SyncedModel]) -> str:
    return "id" if model.org_field == "id" else f"{model.org_field}_id"


class _Batch:
    """One batch being applied: rows loaded once, written once."""

    def __init__(self, scope_org: uuid.UUID | None, wall_ms: int) -> None:
        self.scope_org = scope_org
        self.wall_ms = wall_ms
        self.models = registry()
        self.rows: dict[tuple[str, uuid.UUID], _Row] = {}
        self.fk_org_cache: dict[tuple[type[models.Model], Any], Any] = {}
        self.node_hex: dict[uuid.UUID, str] = {}

    def stamp_key(self, hlc: int, node_id: uuid.UUID) -> str:
        """`hlc.stamp_key`, with each node's id written out once per batch."""
        node_hex = self.node_hex.get(node_id)
        if node_hex is None:
            node_hex = self.node_hex[node_id] = clock.stamp_key(0, node_id)[16:]
        return f"{hlc:016x}{node_hex}"

    def preload(self, keys: Iterable[tuple[str, uuid.UUID]]) -> None:
        """Load, one query per model, the rows these (entity, id) pairs name."""
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        for entity, pk in keys:
            if entity in self.models:
                wanted[entity].add(pk)
        for entity, ids in wanted.items():
            model = self.models[entity]
            # Most ids in a pulled batch are of rows about to be inserted: ask which are
            # held first, and load whole rows only for those.
            held = stored_pks(model, ids)
            if held:
                for obj in model._base_manager.filter(pk__in=held):
                    self.rows[(entity, obj.pk)] = _Row(model, obj, is_new=False)

    def _check_fk_scope(self, fk: models.Field[Any, Any], value: Any) -> None:
        """On the hub: a row may only point at rows of its own organisation."""
        if value is None or self.scope_org is None:
            return
        attname = fk.attname
        target = fk.related_model
        if not (isinstance(target, type) and issubclass(target, SyncedModel)):
            return
        key = (target, str(value))
        row = self.rows.get((target.entity_name(), uuid.UUID(str(value))))
        if row is not None:
            org = getattr(row.obj, _org_attname(target))
        elif key in self.fk_org_cache:
            org = self.fk_org_cache[key]
        else:
            org = (
                target._base_manager.filter(pk=value)
                .values_list(_org_attname(target), flat=True)
                .first()
            )
            self.fk_org_cache[key] = org
        if org is None:
            raise _Unapplicable(f"{attname} refers to a {target.entity_name()} not held here")
        if str(org) != str(self.scope_org):
            raise _Unapplicable(f"{attname} refers to another organisation's row")

    def _values(self, model: type[SyncedModel], payload: dict[str, Any]) -> dict[str, Any]:
        """Payload (by column name) → Python values, checked against the model."""
        parsers = _fast_parsers(model)
        try:
            values = {attname: parsers[attname](raw) for attname, raw in payload.items()}
        except (KeyError, ValidationError, TypeError, ValueError, ArithmeticError):
            pass  # the careful loop below names what is wrong
        else:
            if self.scope_org is not None:
                for attname, fld in _relations(model):
                    if attname in values:
                        self._check_fk_scope(fld, values[attname])
            return values
        return self._values_carefully(model, payload)

    def _values_carefully(
        self, model: type[SyncedModel], payload: dict[str, Any]
    ) -> dict[str, Any]:
        specs = _column_specs(model)
        check_fks = self.scope_org is not None
        values: dict[str, Any] = {}
        for attname, raw in payload.items():
            spec = specs.get(attname)
            if spec is None:
                raise _Unapplicable(f"{model.entity_name()} has no synced field {attname}")
            parse, fld = spec
            try:
                values[attname] = value = parse(raw)
            except ValidationError as error:
                raise _Unapplicable(f"{attname}: {'; '.join(error.messages)}") from None
            except (TypeError, ValueError, ArithmeticError):
                # Django's parsers assume text of roughly the right shape (a list given
                # for a date raises TypeError): still this change's fault, not the batch's.
                kind = fld.get_internal_type()
                raise _Unapplicable(
                    f"{attname}: a {type(raw).__name__} is not a valid {kind}"
                ) from None
            if check_fks and fld.is_relation:
                self._check_fk_scope(fld, value)
        return values

    def apply(self, entry: ChangeLogEntry) -> None:
        model = self.models.get(entry.entity)
        if model is None:
            raise _Unapplicable(f"unknown record type {entry.entity}")
        if entry.schema_version > model.schema_version:
            raise _Unapplicable(
                f"made by a newer Nidaan (schema {entry.schema_version} > "  # see NEWER_SCHEMA
                f"{model.schema_version}): upgrade this replica, then release it"
            )
        if self.scope_org is not None:
            ahead = clock.physical_ms(entry.hlc) - self.wall_ms
            if ahead > MAX_DRIFT_MS:
                raise _Unapplicable(
                    f"stamped {ahead // 1000} s ahead of the hub's clock: check that node's clock"
                )
            if entry.org_id is None or entry.org_id != self.scope_org:
                raise _Unapplicable("belongs to another organisation")
        org_attname = _org_attname(model)
        values = self._values(model, entry.fields)
        if org_attname in values and entry.org_id is not None:
            if not _same_id(values[org_attname], entry.org_id):
                raise _Unapplicable("row's organisation differs from the change's")
        stamp = self.stamp_key(entry.hlc, entry.node_id)
        key = (entry.entity, entry.entity_id)
        row = self.rows.get(key)
        if row is not None and entry.org_id is not None:
            current_org = getattr(row.obj, org_attname)
            if current_org is not None and not _same_id(current_org, entry.org_id):
                raise _Unapplicable("row belongs to another organisation")
        if row is None:
            if entry.op != ChangeOp.INSERT:
                raise _Unapplicable("changes a row this replica does not hold")
            obj = _new_row(model, entry.entity_id, values)
            obj.field_clock = {clock.CREATED: stamp}
            row = self.rows[key] = _Row(model, obj, is_new=True)
            row.entries.append(entry)
            return
        if model.merge_policy == MergePolicy.APPEND_ONLY:
            if entry.op == ChangeOp.UPDATE:
                raise _Unapplicable(f"{entry.entity} rows are append-only")
            return  # the same fact again
        row.entries.append(entry)
        columns = _columns(model)
        for attname, value in values.items():
            name = columns[attname].name
            if stamp > clock.field_stamp(row.obj.field_clock, name):
                setattr(row.obj, attname, value)
                clock.set_field_stamp(row.obj.field_clock, name, stamp)
                row.dirty.add(name)


def _same_id(a: Any, b: Any) -> bool:
    """Two ids equal, whether each is a UUID or its text (as an older row may hold)."""
    return bool(a == b) or str(a) == str(b)


@functools.cache
def _all_columns(model: type[SyncedModel]) -> list[tuple[str, Any]]:
    return [(f.attname, f) for f in model._meta.concrete_fields]


def _new_row(model: type[SyncedModel], pk: uuid.UUID, values: dict[str, Any]) -> SyncedModel:
    """A model instance from checked column values, without Model.__init__'s argument
    handling (a third of apply time): every column is set, absent ones to their default."""
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    constant, computed = _defaults(model)
    state.update(constant)
    for attname, fld in computed:
        if attname not in values:
            state[attname] = fld.get_default()
    state["id"] = pk
    state.update(values)
    return obj


_IMMUTABLE = (str, int, float, bool, type(None), decimal.Decimal, datetime.date, uuid.UUID)


@functools.cache
def _defaults(
    model: type[SyncedModel],
) -> tuple[dict[str, Any], list[tuple[str, models.Field[Any, Any]]]]:
    """Each column's default (but the key's): a value to share between rows where it is
    an immutable constant, else the field whose default is made afresh per row."""
    constant: dict[str, Any] = {}
    computed: list[tuple[str, models.Field[Any, Any]]] = []
    for attname, fld in _all_columns(model):
        if attname == "id":
            continue
        if fld.has_default() and callable(fld.default):
            computed.append((attname, fld))
            continue
        value = fld.get_default()
        if isinstance(value, _IMMUTABLE):
            constant[attname] = value
        else:
            computed.append((attname, fld))
    return constant, computed


@functools.cache
def _parsers(model: type[SyncedModel]) -> dict[str, Callable[[Any], Any]]:
    """Per column, text from a payload → the field's Python value.

    The common types take the C parsers (fromisoformat, UUID) first and fall back to the
    field's own to_python, whose error messages a refusal then carries. Text, numbers
    and decimals are then held to what the column can store: SQLite would take an
    over-long name that the hub's PostgreSQL refuses, and an integer beyond the column's
    range fails the whole batch's transaction instead of quarantining one change.
    """
    parsers: dict[str, Callable[[Any], Any]] = {}
    for attname, fld in _columns(model).items():
        target = fld.target_field if fld.is_relation else fld  # type: ignore[attr-defined]
        kind = type(target)
        fast: Callable[[str], Any] | None = None
        if kind is models.UUIDField:
            fast = uuid_from_text
        elif kind is models.DateTimeField:
            fast = _aware_datetime
        elif kind is models.DateField:
            fast = datetime.date.fromisoformat
        parse = _with_fallback(fast, fld.to_python) if fast else fld.to_python
        parsers[attname] = _storable(target, parse)
    return parsers


@functools.cache
def _relations(model: type[SyncedModel]) -> list[tuple[str, models.Field[Any, Any]]]:
    return [(attname, fld) for attname, fld in _columns(model).items() if fld.is_relation]


@functools.cache
def _fast_parsers(model: type[SyncedModel]) -> dict[str, Callable[[Any], Any]]:
    """Per column, `_parsers`' function behind a test that answers the usual value at once.

    A batch parses some twenty thousand values; three nested calls per value were a
    tenth of apply time. Each shortcut returns exactly what the full parser returns for
    the values it takes (text within its length, an int within range, a bool, an id
    parsed before) and hands everything else, None included, to the full parser.
    """
    full_parsers = _parsers(model)
    fast: dict[str, Callable[[Any], Any]] = {}
    for attname, fld in _columns(model).items():
        full = full_parsers[attname]
        target = fld.target_field if fld.is_relation else fld  # type: ignore[attr-defined]
        fast[attname] = _shortcut(target, full) or full
    return fast


def _shortcut(
    fld: models.Field[Any, Any], full: Callable[[Any], Any]
) -> Callable[[Any], Any] | None:
    kind = type(fld)
    if kind is models.UUIDField:

        def parse_uuid(raw: Any) -> Any:
            if raw.__class__ is str:
                value = known_uuid(raw)
                if value is not None:
                    return value
            return full(raw)

        return parse_uuid
    sizes: list[Any] = [check for check in fld.validators if isinstance(check, _SIZE_CHECKS)]
    if any(type(check) not in _BOUNDS or callable(check.limit_value) for check in sizes):
        return None  # a decimal's digits, or a limit computed per call: the full parser
    if isinstance(fld, (models.CharField, models.TextField)) and (
        kind.to_python in (models.CharField.to_python, models.TextField.to_python)
    ):
        longest = min(
            (check.limit_value for check in sizes if type(check) is validators.MaxLengthValidator),
            default=None,
        )
        if longest is None:
            return lambda raw: raw if raw.__class__ is str else full(raw)
        return lambda raw: raw if raw.__class__ is str and len(raw) <= longest else full(raw)
    if isinstance(fld, models.IntegerField) and kind.to_python is models.IntegerField.to_python:
        low = max(
            (c.limit_value for c in sizes if type(c) is validators.MinValueValidator), default=None
        )
        high = min(
            (c.limit_value for c in sizes if type(c) is validators.MaxValueValidator), default=None
        )
        if low is None or high is None:
            return None
        return lambda raw: raw if raw.__class__ is int and low <= raw <= high else full(raw)
    if kind is models.BooleanField:
        return lambda raw: raw if raw is True or raw is False else full(raw)
    return None


_SIZE_CHECKS = (
    validators.MaxLengthValidator,
    validators.MinValueValidator,
    validators.MaxValueValidator,
    validators.DecimalValidator,
)
_BOUNDS = (
    validators.MaxLengthValidator,
    validators.MinValueValidator,
    validators.MaxValueValidator,
)


def _storable(fld: models.Field[Any, Any], parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`parse`, then the column's own size checks (length, integer range, digits)."""
    checks = [(_quick(check), check) for check in fld.validators if isinstance(check, _SIZE_CHECKS)]
    if not checks:
        return parse

    def checked(raw: Any) -> Any:
        value = parse(raw)
        if value is not None:
            for quick, check in checks:
                if quick is None or not quick(value):
                    check(value)  # raises with Django's own message
        return value

    return checked


def _quick(check: Any) -> Callable[[Any], bool] | None:
    """A bare comparison that passes exactly what a size validator passes.

    Django's validators build a message's parameters on every call, even for a valid
    value: a vitals row has a dozen such checks and a batch a thousand rows. A value
    the comparison does not pass (or cannot compare) goes to the validator itself.
    """
    limit = getattr(check, "limit_value", None)
    if limit is None or callable(limit):
        return None
    kind = type(check)
    if kind is validators.MaxLengthValidator:
        return lambda value: value.__class__ is str and len(value) <= limit
    if kind is validators.MinValueValidator:
        return lambda value: value.__class__ is int and value >= limit
    if kind is validators.MaxValueValidator:
        return lambda value: value.__class__ is int and value <= limit
    return None


def _aware_datetime(raw: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError("naive")  # let to_python decide, as Django would
    return value


def _with_fallback(fast: Callable[[str], Any], slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(raw: Any) -> Any:
        if isinstance(raw, str):
            try:
                return fast(raw)
            except ValueError:
                pass
        return slow(raw)

    return parse


@functools.cache
def _column_specs(
    model: type[SyncedModel],
) -> dict[str, tuple[Callable[[Any], Any], models.Field[Any, Any]]]:
    """Per synced column: its parser and field, looked up once per value."""
    parsers = _parsers(model)
    return {attname: (parsers[attname], fld) for attname, fld in _columns(model).items()}


@functools.cache
def _columns(model: type[SyncedModel]) -> dict[str, models.Field[Any, Any]]:
    """Synced fields by column name (`patient_id`), as payloads key them."""
    synced = set(model.synced_field_names())
    return {fld.attname: fld for fld in model._meta.concrete_fields if fld.name in synced}


def _write_rows(batch: _Batch, quarantine: dict[int, str]) -> list[_Row]:
    """Insert new rows in bulk and save changed ones; returns the rows written."""
    written: list[_Row] = []
    by_model: dict[type[SyncedModel], list[_Row]] = defaultdict(list)
    for row in batch.rows.values():
        if row.is_new:
            by_model[row.model].append(row)
        elif row.dirty:
            names = [*row.dirty, *row.obj.derive_local_fields(), "field_clock"]
            row.obj.save_base(raw=True, update_fields=names)
            written.append(row)
    for model, rows in by_model.items():
        if model.derive_local_fields is not SyncedModel.derive_local_fields:
            for row in rows:
                row.obj.derive_local_fields()
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            try:
                with transaction.atomic():
                    insert_raw(model, [row.obj for row in chunk])
                written.extend(chunk)
            except IntegrityError:
                # One row breaks a unique rule (a username taken on two offline nodes):
                # insert the rest one by one and hold back only what fails.
                for row in chunk:
                    try:
                        with transaction.atomic():
                            insert_raw(model, [row.obj])
                        written.append(row)
                    except IntegrityError as error:
                        reason = f"conflicts with a row already held: {str(error)[:200]}"
                        for entry in row.entries:
                            quarantine[id(entry)] = reason
    return written


def _after_replicated(written: list[_Row]) -> None:
    """Let each model refresh its derived local data (search index) for its rows."""
    touched: dict[type[SyncedModel], list[Any]] = defaultdict(list)
    for row in written:
        touched[row.model].append(row.obj)
    for model, objs in touched.items():
        model.after_replicated(objs)


def _known(entries: list[ChangeLogEntry]) -> set[tuple[uuid.UUID, int]]:
    by_node: dict[uuid.UUID, list[int]] = defaultdict(list)
    for entry in entries:
        by_node[entry.node_id].append(entry.node_seq)
    held: set[tuple[uuid.UUID, int]] = set()
    for node_id, seqs in by_node.items():
        held.update(
            (node_id, seq)
            for seq in ChangeLogEntry.objects.filter(
                node_id=node_id, node_seq__gte=min(seqs), node_seq__lte=max(seqs)
            ).values_list("node_seq", flat=True)
        )
    return held


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while a batch is merged.

    A batch allocates hundreds of thousands of short-lived objects that reference
    counting frees; the collector, triggered by the allocations, kept walking the
    process's long-lived objects and took a fifth of apply time. Nothing here makes
    reference cycles worth collecting mid-batch; collection resumes right after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def apply_changes(
    entries: Iterable[ChangeLogEntry],
    *,
    scope_org: uuid.UUID | None = None,
    assign_server_seq: bool = False,
    wall_ms: int | None = None,
) -> ApplyResult:
    """Store and apply changes made elsewhere, inside the caller's transaction.

    `scope_org` (on the hub) refuses changes outside the pushing node's organisation and
    changes stamped too far ahead; `assign_server_seq` (on the hub) numbers the applied
    changes into the organisation's feed.
    """
    with collector_paused():
        return _apply_changes(
            list(entries),
            scope_org=scope_org,
            assign_server_seq=assign_server_seq,
            wall_ms=wall_ms,
        )


def _apply_changes(
    entries: list[ChangeLogEntry],
    *,
    scope_org: uuid.UUID | None,
    assign_server_seq: bool,
    wall_ms: int | None,
) -> ApplyResult:
    from nidaan.core import node

    result = ApplyResult()
    held = _known(entries)
    fresh: list[ChangeLogEntry] = []
    seen: set[tuple[uuid.UUID, int]] = set()
    for entry in entries:
        ident = (entry.node_id, entry.node_seq)
        if ident in held or ident in seen:
            result.duplicates += 1
            continue
        seen.add(ident)
        fresh.append(entry)
    if not fresh:
        return result
    batch = _Batch(scope_org, clock.wall_clock_ms() if wall_ms is None else wall_ms)
    batch.preload((entry.entity, entry.entity_id) for entry in fresh)
    quarantine: dict[int, str] = {}
    for entry in fresh:
        try:
            batch.apply(entry)
        except _Unapplicable as reason:
            quarantine[id(entry)] = str(reason)
    written = _write_rows(batch, quarantine)

    good = [e for e in fresh if id(e) not in quarantine]
    if assign_server_seq and good:
        by_org: dict[uuid.UUID, list[ChangeLogEntry]] = defaultdict(list)
        for entry in good:
            if entry.org_id is not None:  # scope_org guarantees it on the hub
                by_org[entry.org_id].append(entry)
        for org_id, org_entries in by_org.items():
            first = node.next_server_seqs(org_id, len(org_entries))
            for offset, entry in enumerate(org_entries):
                entry.server_seq = first + offset
    for entry in fresh:
        held_because = quarantine.get(id(entry))
        if held_because:
            entry.quarantine_reason = held_because[:300]
            if assign_server_seq:
                entry.server_seq = None
            result.quarantined.append((entry, held_because))
    now = timezone.now()
    for entry in fresh:
        entry.recorded_at = now
    insert_raw(ChangeLogEntry, fresh, with_pk=False)
    result.stored = fresh
    result.applied = len(good)

    _after_replicated(written)
    changes_stored(fresh)  # domains' hooks on what was stored (privacy/erasure.py)
    if good:
        _observe(max(entry.hlc for entry in good))
    return result


def _observe(remote_hlc: int) -> None:
    """Move this replica's clock past what it has just applied (unless far ahead).

    A local edit made after seeing a remote one must win over it.
    """
    from nidaan.core import node

    state = node.locked_identity()
    wall = node.corrected_wall_clock(state.clock_offset_ms)
    hybrid = clock.HybridLogicalClock(state.last_hlc, wall)
    try:
        hybrid.observe(remote_hlc, MAX_DRIFT_MS)
    except clock.ClockDriftError:
        return
    if hybrid.last != state.last_hlc:
        state.last_hlc = hybrid.last
        state.save(update_fields=["last_hlc"])


def row_to_wire(obj: SyncedModel) -> dict[str, Any]:
    """A whole row with its per-field clock: what snapshots and repairs carry."""
    model = type(obj)
    values = {attname: fld.value_from_object(obj) for attname, fld in _columns(model).items()}
    return {
        "e": model.entity_name(),
        "id": str(obj.pk),
        "f": json.loads(json.dumps(values, cls=ChangeEncoder)),
        "c": obj.field_clock,
    }


def apply_rows(rows: list[dict[str, Any]], *, repair: bool = False) -> int:
    """Merge whole rows (snapshot, divergence repair) field by field by their clocks.

    The same rule as for changes: a field takes the incoming value only when its clock
    is newer, so a row newer than the snapshot's cursor is harmless, and applying the
    same rows twice changes nothing. Returns the number of rows written.

    `repair` (divergence check): on equal clocks the incoming value wins, because equal
    clocks with different values mean this replica's row was changed behind sync's back.
    """
    with collector_paused():
        return _apply_rows(rows, repair=repair)


def _apply_rows(rows: list[dict[str, Any]], *, repair: bool) -> int:
    batch = _Batch(None, clock.wall_clock_ms())
    models_ = batch.models
    batch.preload((raw["e"], uuid.UUID(raw["id"])) for raw in rows)
    for raw in rows:
        found = models_.get(raw["e"])
        if found is None:
            continue
        model = found
        pk = uuid.UUID(raw["id"])
        values = batch._values(model, raw["f"])
        columns = _columns(model)
        their_clock = dict(raw["c"])
        row = batch.rows.get((raw["e"], pk))
        if row is None:
            obj = _new_row(model, pk, values)
            obj.field_clock = their_clock
            batch.rows[(raw["e"], pk)] = _Row(model, obj, is_new=True)
            continue
        if model.merge_policy == MergePolicy.APPEND_ONLY:
            continue
        for attname, value in values.items():
            name = columns[attname].name
            theirs = clock.field_stamp(their_clock, name)
            ours = clock.field_stamp(row.obj.field_clock, name)
            if theirs > ours or (repair and theirs == ours and getattr(row.obj, attname) != value):
                setattr(row.obj, attname, value)
                clock.set_field_stamp(row.obj.field_clock, name, theirs)
                row.dirty.add(name)
    quarantine: dict[int, str] = {}
    written = _write_rows(batch, quarantine)
    _after_replicated(written)
    return len(written)
