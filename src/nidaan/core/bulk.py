"""Inserting many rows fast, values prepared as Django would, without its SQL compiler.

Sync applies tens of thousands of rows a second and the search index grows with every
replicated patient; Django's bulk_create spends most of that time compiling each value
through its expression machinery.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.base import ModelState
from django.db.models.constants import OnConflict

from nidaan.core import fastjson

M = TypeVar("M", bound=models.Model)


def new_instance(model: type[M], values: dict[str, Any]) -> M:
    """A model instance from already-checked values for every concrete column (by
    attname), without `Model.__init__`'s keyword handling, which costs more than the
    insert itself when sync builds tens of thousands of rows a second."""
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(values)
    return obj


def insert_raw(
    model: type[models.Model],
    objs: list[Any],
    *,
    with_pk: bool = True,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT rows as they are, many per statement execution.

    Sync inserts tens of thousands of rows a second; Django's bulk_create spends most of
    that time compiling each value through its expression machinery. Values are
    prepared as each field's `get_db_prep_save` would (`_converter` calls the backend's
    adapter directly, or skips it where it returns the value unchanged), so they are
    stored exactly as the ORM would; no default or auto_now is applied (the origin's
    values are kept).
    """
    conn = connections[DEFAULT_DB_ALIAS]  # the real connection, not the proxy
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    quote = conn.ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "{} {} ({}) VALUES ({}) {}".format(  # noqa: S608 - names from the model
        conn.ops.insert_statement(on_conflict=on_conflict),
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
        conn.ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or "",
    ).rstrip()
    names = [f.attname for f in fields]
    # Straight from the instance's dict: a foreign key's id is a data descriptor whose
    # Python-level __get__ ran for every row. A value missing there (a deferred field)
    # is read the usual way.
    from_dict, values_of = operator.itemgetter(*names), operator.attrgetter(*names)
    converters = [
        (index, convert)
        for index, fld in enumerate(fields)
        if (convert := _converter(fld, conn)) is not None
    ]
    single = len(fields) == 1
    rows = []
    for obj in objs:
        try:
            got = from_dict(obj.__dict__)
        except KeyError:
            got = values_of(obj)
        row = [got] if single else list(got)
        for index, convert in converters:
            value = row[index]
            if value is not None:
                row[index] = convert(value)
        rows.append(row)
    if not rows:
        return
    with conn.cursor() as cursor:
        cursor.executemany(sql, rows)


# Below SQLite's oldest limit on bound parameters (999) and PostgreSQL's (65,535).
_KEYS_PER_QUERY = 900


def stored_pks(model: type[models.Model], pks: Iterable[Any]) -> list[Any]:
    """Which of `pks` are stored, as the column holds them.

    A sync batch asks this for a thousand ids at a time, mostly of rows it is about to
    insert.
    """
    pk = model._meta.pk
    assert pk is not None  # noqa: S101 - every concrete model has one
    return [row[0] for row in rows_where_in(model, [pk.attname], pk.attname, pks)]


def stored_form(model: type[models.Model], attname: str) -> Callable[[Any], Any]:
    """A Python value of this column → the value as the database holds and returns it
    (a UUID's hex on SQLite, the UUID itself on PostgreSQL)."""
    conn = connections[DEFAULT_DB_ALIAS]
    # get_field takes a column's attname ("patient_id") as well as its name.
    return _converter(model._meta.get_field(attname), conn) or (lambda value: value)


def rows_where_in(
    model: type[models.Model],
    columns: list[str],
    key: str,
    keys: Iterable[Any],
    *,
    where: dict[str, Any] | None = None,
) -> list[tuple[Any, ...]]:
    """`columns` (attnames) of the rows whose `key` is one of `keys` (and whose other
    columns equal `where`), as the database returns them (see `stored_form`).

    One prepared statement per few hundred keys: Django compiles every value of a long
    `__in` list through its lookup machinery, and sync asks for hundreds per batch.
    """
    conn = connections[DEFAULT_DB_ALIAS]
    quote = conn.ops.quote_name
    meta = model._meta
    column = {f.attname: quote(str(f.column)) for f in meta.concrete_fields}
    convert = stored_form(model, key)
    values = [convert(value) for value in keys]
    fixed = [
        (column[name], stored_form(model, name)(value)) for name, value in (where or {}).items()
    ]
    conditions = "".join(f" AND {name} = %s" for name, _ in fixed)
    found: list[tuple[Any, ...]] = []
    with conn.cursor() as cursor:
        for start in range(0, len(values), _KEYS_PER_QUERY):
            chunk = values[start : start + _KEYS_PER_QUERY]
            cursor.execute(
                "SELECT {} FROM {} WHERE {} IN ({}){}".format(  # noqa: S608 - model names
                    ", ".join(column[name] for name in columns),
                    quote(meta.db_table),
                    column[key],
                    ", ".join(["%s"] * len(chunk)),
                    conditions,
                ),
                [*chunk, *(value for _, value in fixed)],
            )
            found.extend(cursor.fetchall())
    return found


# Field types whose Python values the database drivers take as they are.
_PASS_THROUGH = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
)


def _converter(fld: Any, conn: Any) -> Callable[[Any], Any] | None:
    """How a field's Python value becomes a query parameter: None for as-is."""
    target = fld.target_field if fld.is_relation else fld
    if isinstance(target, _PASS_THROUGH) and (
        type(target).get_db_prep_value is models.Field.get_db_prep_value
    ):
        return None
    # Integers of every width end in adapt_integerfield_value, which SQLite's backend
    # leaves as it is (PostgreSQL's picks the width, so it still runs there); the value
    # is already an int (to_python made it).
    if (
        isinstance(target, models.IntegerField)
        and type(target).get_db_prep_value is models.IntegerField.get_db_prep_value
        and type(target).get_prep_value is models.IntegerField.get_prep_value
        and type(conn.ops).adapt_integerfield_value
        is BaseDatabaseOperations.adapt_integerfield_value
    ):
        return None
    kind = type(target)
    if kind is models.UUIDField:
        if conn.features.has_native_uuid_field:
            return None
        return _same_as_last(operator.attrgetter("hex"))
    # The adapters get_db_prep_save ends in, called directly: values built by to_python
    # are already of the field's type.
    if kind is models.DateTimeField:
        adapt: Callable[[Any], Any] = conn.ops.adapt_datetimefield_value
        if conn.vendor == "sqlite" and conn.timezone_name == "UTC":
            # What the adapter does for a UTC time (make it naive, then str), without
            # its generic checks; any other zone goes through the adapter itself. The
            # ISO text of a UTC time less its "+00:00" is that str, in one call.
            def adapt_utc(value: Any) -> Any:
                if value.tzinfo is datetime.UTC:
                    return value.isoformat(" ")[:-6]
                return adapt(value)

            return _same_as_last(adapt_utc)
        return _same_as_last(adapt)
    if kind is models.DateField:
        return conn.ops.adapt_datefield_value  # type: ignore[no-any-return]
    if kind is models.JSONField and (
        type(conn.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
    ):
        return fastjson.dumper(target.encoder)  # SQLite stores the text itself
    if kind is models.JSONField:
        encoder = target.encoder
        return lambda value: conn.ops.adapt_json_value(value, encoder)
    return lambda value: fld.get_db_prep_save(value, conn)


def _same_as_last(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, answering at once when given the very object it converted last.

    A column's rows often share one object: every change of a batch is stamped with the
    same arrival time, and the merge's UUID parser hands out one object per text, so a
    batch's organisation, doctor and patient ids repeat by identity.
    """
    last_in: Any = None
    last_out: Any = None

    def converted(value: Any) -> Any:
        nonlocal last_in, last_out
        if value is not last_in:
            last_out = convert(value)
            last_in = value  # kept alive here, so its id cannot be reused meanwhile
        return last_out

    return converted
