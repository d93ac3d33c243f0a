"""Inserting many rows fast, values prepared as Django would, without its SQL compiler.

Sync applies tens of thousands of rows a second and the search index grows with every
replicated patient; Django's bulk_create spends most of that time compiling each value
through its expression machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.constants import OnConflict


def insert_raw(
    model: type[models.Model],
    objs: list[Any],
    *,
    with_pk: bool = True,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT rows as they are, many per statement execution.

    Sync inserts tens of thousands of rows a second; Django's bulk_create spends most of
    that time compiling each value through its expression machinery. Values still go
    through each field's `get_db_prep_save`, so they are stored exactly as the ORM would;
    no default or auto_now is applied (the origin's values are kept).
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
    converters = [(f.attname, _converter(f, conn)) for f in fields]
    rows = [
        [
            value if convert is None or value is None else convert(value)
            for attname, convert in converters
            for value in (getattr(obj, attname),)
        ]
        for obj in objs
    ]
    if not rows:
        return
    with conn.cursor() as cursor:
        cursor.executemany(sql, rows)


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
    kind = type(target)
    if kind is models.UUIDField:
        if conn.features.has_native_uuid_field:
            return None
        return lambda value: value.hex
    # The adapters get_db_prep_save ends in, called directly: values built by to_python
    # are already of the field's type.
    if kind is models.DateTimeField:
        return conn.ops.adapt_datetimefield_value  # type: ignore[no-any-return]
    if kind is models.DateField:
        return conn.ops.adapt_datefield_value  # type: ignore[no-any-return]
    if kind is models.JSONField:
        encoder = target.encoder
        return lambda value: conn.ops.adapt_json_value(value, encoder)
    return lambda value: fld.get_db_prep_save(value, conn)
