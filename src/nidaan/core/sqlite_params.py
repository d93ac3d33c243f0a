"""None and bool query parameters bound as cheaply as any other value, on SQLite.

The sqlite3 drivers (the standard module and sqlcipher3) bind int, float, str and bytes
directly, but send every other value, None and bool included, through their adaptation
protocol first: a registry lookup, then `__adapt__` and `__conform__` probes that fail.
That cost 0.8 µs per value with sqlcipher3 and 0.27 µs with the standard module, about
fifteen times an int. A pulled vitals row carries a dozen NULLs, and a million-change sync
bound some fifteen million of them (docs/benchmarks.md, "Node apply, fifth round"). With
an adapter registered for each, the first lookup finds it. What is stored is unchanged:
NULL for None, and the integers 1 and 0 the drivers already stored for True and False.
"""

from __future__ import annotations

from typing import Any


def install(driver: Any) -> None:
    """Register the adapters on a DB-API module with sqlite3's `register_adapter`."""
    driver.register_adapter(type(None), _null)
    driver.register_adapter(bool, int)


def _null(value: None) -> None:
    return None
